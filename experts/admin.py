from django.contrib import admin
from django.utils.html import format_html

from cms.admin_forms import EDITOR_CSS, FORMFIELD_OVERRIDES

from .models import Expert, Quote


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    list_display = ["full_name", "job_title", "organisation", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "short_name", "job_title", "organisation"]
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ["created_at", "modified_at"]
    formfield_overrides = FORMFIELD_OVERRIDES
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "honorific",
                    "name",
                    "slug",
                    "short_name",
                    "job_title",
                    "organisation",
                    "credentials",
                ]
            },
        ),
        ("Profile", {"fields": ["bio", "photo", "website", "is_active"]}),
        ("Record", {"classes": ["collapse"], "fields": ["created_at", "modified_at"]}),
    ]

    class Media:
        css = EDITOR_CSS


@admin.register(Quote)
class QuoteAdmin(admin.ModelAdmin):
    list_display = ["excerpt", "expert", "reference", "modified_at"]
    list_filter = ["expert"]
    list_select_related = ["expert"]
    search_fields = ["text", "expert__name", "expert__short_name", "context"]
    autocomplete_fields = ["expert"]
    readonly_fields = ["reference", "created_at", "modified_at"]
    fields = ["expert", "text", "context", "reference", "created_at", "modified_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("expert")

    @admin.display(description="Quote")
    def excerpt(self, obj):
        return obj.text if len(obj.text) <= 90 else f"{obj.text[:88]}…"

    @admin.display(description="Reference to paste in a body")
    def reference(self, obj):
        return (
            format_html("<code>{}</code>", obj.reference)
            if obj.pk
            else "Saved quotes get a reference."
        )
