"""The article list's filters: workflow state, review due and section."""

from django.conf import settings
from django.contrib import admin
from django.utils import timezone

from ..models import Article, Category


class StateFilter(admin.SimpleListFilter):
    """Workflow state as editors see it, with scheduled and expired told apart."""

    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("draft", "Draft"),
            ("sent_back", "Sent back"),
            ("in_review", "In review"),
            ("scheduled", "Scheduled"),
            ("live", "Published (live)"),
            ("expired", "Expired"),
            ("unpublished", "Unpublished"),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        published = queryset.filter(status=Article.Status.PUBLISHED)
        return {
            "draft": lambda: queryset.filter(status=Article.Status.DRAFT),
            "sent_back": lambda: queryset.sent_back(),
            "in_review": lambda: queryset.filter(status=Article.Status.IN_REVIEW),
            "scheduled": lambda: queryset.scheduled(),
            "live": lambda: queryset.published(),
            "expired": lambda: published.filter(expires_at__lte=now),
            "unpublished": lambda: queryset.filter(status=Article.Status.UNPUBLISHED),
        }.get(self.value(), lambda: queryset)()


class ReviewDueFilter(admin.SimpleListFilter):
    """Articles whose medical review needs attention; "any reason" is the start page's count."""

    title = "review due"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("due", "Any reason"),
            ("overdue", "Overdue"),
            ("soon", "Due within 30 days"),
            ("out_of_date", "Out of date (body changed)"),
            (
                "stale_sources",
                f"Sources older than {settings.CMS_SOURCE_MAX_AGE_YEARS} years",
            ),
        ]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        due = queryset.review_due()
        return {
            "due": lambda: due,
            "overdue": lambda: due.review_overdue(),
            "soon": lambda: due.review_due_soon(),
            "out_of_date": lambda: due.review_out_of_date(),
            "stale_sources": lambda: due.with_stale_sources(),
        }.get(self.value(), lambda: queryset)()


class SectionFilter(admin.RelatedFieldListFilter):
    """Sections by their full name ("Baby › Health"), fetched with their parents in
    one query rather than one query per sub-section."""

    def field_choices(self, field, request, model_admin):
        sections = Category.objects.select_related("parent")
        return [(section.pk, str(section)) for section in sections]
