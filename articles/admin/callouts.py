"""Standard callouts: kept once here, placed in articles by reference."""

from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from cms.admin_forms import EDITOR_CSS, FORMFIELD_OVERRIDES

from ..models import Article, Callout


@admin.register(Callout)
class CalloutAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "reference", "use_count", "modified_at"]
    list_filter = ["kind"]
    search_fields = ["key", "title", "body"]
    prepopulated_fields = {"key": ("title",)}
    readonly_fields = ["reference", "used_in", "created_at", "modified_at"]
    formfield_overrides = FORMFIELD_OVERRIDES
    fields = [
        "title",
        "key",
        "kind",
        "body",
        "reference",
        "used_in",
        "created_at",
        "modified_at",
    ]

    class Media:
        css = EDITOR_CSS

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(uses=Count("article_references__article", distinct=True))
        )

    def get_readonly_fields(self, request, obj=None):
        # Bodies place the callout by its key: changing it would break them.
        readonly = super().get_readonly_fields(request, obj)
        return [*readonly, "key"] if obj else readonly

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj else super().get_prepopulated_fields(request, obj)

    @admin.display(description="Reference to paste in a body")
    def reference(self, obj):
        return (
            format_html("<code>{}</code>", obj.reference)
            if obj.pk
            else "Saved callouts get a reference."
        )

    @admin.display(description="Articles", ordering="uses")
    def use_count(self, obj):
        return obj.uses

    @admin.display(description="Placed in")
    def used_in(self, obj):
        articles = (
            Article.objects.filter(body_references__callout=obj).distinct()
            if obj.pk
            else []
        )
        if not articles:
            return "No article places this callout yet."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a> ({})</li>',
                (
                    (
                        reverse("admin:articles_article_change", args=[article.pk]),
                        article.title,
                        article.state_label,
                    )
                    for article in articles
                ),
            ),
        )
