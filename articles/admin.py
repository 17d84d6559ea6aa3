from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html

from cms.admin_forms import EDITOR_CSS, FORMFIELD_OVERRIDES

from .models import (
    Article,
    ArticleAuthor,
    ArticleQuote,
    Author,
    AuthorLink,
    Category,
    ListItem,
    RelatedLink,
    Tag,
)
from .rendering import check_quote_refs


class AuthorLinkInline(admin.TabularInline):
    model = AuthorLink
    extra = 0
    formfield_overrides = FORMFIELD_OVERRIDES


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["display_name", "job_title", "user", "is_active"]
    list_filter = ["is_active"]
    list_select_related = ["user"]
    search_fields = ["display_name", "job_title", "user__username", "user__email"]
    prepopulated_fields = {"slug": ("display_name",)}
    autocomplete_fields = ["user"]
    readonly_fields = ["created_at", "modified_at"]
    formfield_overrides = FORMFIELD_OVERRIDES
    inlines = [AuthorLinkInline]

    class Media:
        css = EDITOR_CSS


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "slug", "position"]
    list_filter = ["parent"]
    list_select_related = ["parent"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ["parent"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ("name",)}


class ArticleAuthorInline(admin.TabularInline):
    model = ArticleAuthor
    autocomplete_fields = ["author"]
    extra = 0
    min_num = 1
    validate_min = True
    verbose_name = "byline"
    verbose_name_plural = "Bylines (at least one; lower positions come first)"

    def get_formset(self, request, obj=None, **kwargs):
        # InlineModelAdmin does not pass validate_min to the formset by itself.
        kwargs.setdefault("validate_min", self.validate_min)
        formset = super().get_formset(request, obj, **kwargs)
        formset.default_error_messages = {
            **formset.default_error_messages,
            "too_few_forms": "Add at least one author to the byline.",
        }
        return formset


class ArticleQuoteFormSet(BaseInlineFormSet):
    """Every quote placed in the body must be one of this article's quotes."""

    def clean(self):
        super().clean()
        kept = [
            form.cleaned_data["quote"].pk
            for form in self.forms
            if form.cleaned_data.get("quote") and not form.cleaned_data.get("DELETE")
        ]
        check_quote_refs(self.instance.body, kept)


class ArticleQuoteInline(admin.TabularInline):
    model = ArticleQuote
    formset = ArticleQuoteFormSet
    autocomplete_fields = ["quote"]
    readonly_fields = ["reference"]
    extra = 0
    verbose_name_plural = (
        "Quotes (place each in the body with its reference on a line of its own)"
    )

    @admin.display(description="Reference")
    def reference(self, obj):
        return (
            format_html("<code>{}</code>", obj.quote.reference) if obj.quote_id else "–"
        )


class ListItemInline(admin.StackedInline):
    model = ListItem
    extra = 0
    formfield_overrides = FORMFIELD_OVERRIDES
    fields = ["position", "heading", "image", "image_alt", "text"]
    verbose_name_plural = "Numbered list items (after the body)"


class RelatedLinkInline(admin.TabularInline):
    model = RelatedLink
    fk_name = "article"
    autocomplete_fields = ["target_article"]
    extra = 0
    formfield_overrides = FORMFIELD_OVERRIDES
    fields = ["position", "label", "target_article", "url", "title"]
    verbose_name_plural = "Related content"


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "category",
        "status",
        "is_published",
        "published_at",
        "bylines",
        "view_link",
    ]
    list_filter = ["status", "category", "authors"]
    list_select_related = ["category__parent"]
    search_fields = ["title", "standfirst", "slug"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ["category", "tags"]
    readonly_fields = ["word_count", "created_at", "modified_at", "modified_by"]
    formfield_overrides = FORMFIELD_OVERRIDES
    inlines = [
        ArticleAuthorInline,
        ArticleQuoteInline,
        ListItemInline,
        RelatedLinkInline,
    ]
    fieldsets = [
        (None, {"fields": ["title", "slug", "standfirst", "category", "tags"]}),
        ("Hero image", {"fields": ["hero_image", "hero_alt", "hero_caption"]}),
        ("Body", {"fields": ["body", "list_heading"]}),
        ("Publishing", {"fields": ["status", "published_at", "updated_at"]}),
        (
            "Search engines",
            {"classes": ["collapse"], "fields": ["seo_title", "seo_description"]},
        ),
        (
            "Record",
            {
                "classes": ["collapse"],
                "fields": ["word_count", "created_at", "modified_at", "modified_by"],
            },
        ),
    ]

    class Media:
        css = EDITOR_CSS
        js = ["cms/admin/markdownx-inlines.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("article_authors__author")

    def view_on_site(self, obj):
        """Only public articles have a page to view; drafts would be a 404."""
        return obj.get_absolute_url() if obj.is_published() else None

    def save_model(self, request, obj, form, change):
        obj.modified_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="Bylines")
    def bylines(self, obj):
        return ", ".join(author.display_name for author in obj.byline)

    @admin.display(description="Public page")
    def view_link(self, obj):
        if not obj.is_published():
            return "–"
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">View on site</a>',
            obj.get_absolute_url(),
        )
