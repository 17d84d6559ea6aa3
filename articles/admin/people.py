"""Authors and their profile links."""

from django.contrib import admin

from cms.admin_forms import EDITOR_CSS, FORMFIELD_OVERRIDES

from ..models import (
    Author,
    AuthorLink,
)


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
    autocomplete_fields = ["user", "photo"]
    readonly_fields = ["created_at", "modified_at"]
    formfield_overrides = FORMFIELD_OVERRIDES
    inlines = [AuthorLinkInline]

    class Media:
        css = EDITOR_CSS
