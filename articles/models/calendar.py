"""What the editorial calendar asks of articles: every dated event in a period."""

from datetime import date, datetime

from django.db.models import Q
from django.utils import timezone

# What a calendar entry shows: titles, times and state, never bodies.
CALENDAR_FIELDS = [
    "pk",
    "title",
    "status",
    "published_at",
    "expires_at",
    "next_review_at",
    "version",
]


def local_date(moment: datetime) -> date:
    """The day ``moment`` falls on in the site's time zone (settings.TIME_ZONE)."""
    return timezone.localtime(moment, timezone.get_default_timezone()).date()


class CalendarQuerySetMixin:
    def for_calendar(self, start: datetime, end: datetime):
        """Articles with an event from ``start`` up to ``end``, in one query: going
        live or published (``published_at``) and expiring while published, or a
        medical review due on a day of the period (archived articles left out, as in
        ``review_due``). Only the fields an entry shows are loaded."""
        Status = self.model.Status
        published = Q(status=Status.PUBLISHED)
        goes_live = Q(published_at__gte=start, published_at__lt=end)
        expires = Q(expires_at__gte=start, expires_at__lt=end)
        review_due = Q(
            next_review_at__gte=local_date(start), next_review_at__lt=local_date(end)
        )
        events = (
            published & (goes_live | expires)
            | ~Q(status=Status.UNPUBLISHED) & review_due
        )
        return self.filter(events).only(*CALENDAR_FIELDS).order_by("pk")
