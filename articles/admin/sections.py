"""Sections (categories) and tags."""

from django.contrib import admin

from ..models import (
    Category,
    Tag,
)
from ..notifications import editors


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "parent",
        "slug",
        "position",
        "requires_medical_review",
        "review_interval_months",
    ]
    list_filter = ["parent", "requires_medical_review"]
    list_select_related = ["parent"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ["parent"]
    filter_horizontal = ["editors"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "editors":  # only those who may review can be named
            kwargs["queryset"] = editors().order_by("username")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ("name",)}
