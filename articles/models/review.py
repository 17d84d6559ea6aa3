"""Medical review of an article: who checked it, when, which body they saw, and when next.

The fields live on ``Article``; what is derived from them lives here, so the rules of
a current review are in one place for the page, the admin and the workflow.
"""

import calendar
import hashlib
from datetime import date, timedelta

from django.db.models import F, Q
from django.utils import timezone

# An article whose next review falls within this many days is "due soon".
REVIEW_SOON_DAYS = 30


def hash_body(body: str) -> str:
    """A fingerprint of the body's words; line endings and trailing spaces do not count."""
    lines = (body or "").replace("\r\n", "\n").replace("\r", "\n").strip().split("\n")
    normalised = "\n".join(line.rstrip() for line in lines)
    return hashlib.sha256(normalised.encode()).hexdigest()


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (or earlier); the 31st becomes the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


class ReviewQuerySetMixin:
    """Review cadence as queries; ``today`` defaults to the local date."""

    def review_overdue(self, today: date | None = None):
        """Reviewed articles whose next review date has passed."""
        return self.filter(next_review_at__lt=today or timezone.localdate())

    def review_due_soon(self, today: date | None = None):
        """Reviewed articles whose next review falls today or within the next 30 days."""
        today = today or timezone.localdate()
        return self.filter(
            next_review_at__gte=today,
            next_review_at__lte=today + timedelta(days=REVIEW_SOON_DAYS),
        )

    def review_out_of_date(self):
        """Reviewed articles whose body has changed since the review."""
        return self.filter(reviewed_at__isnull=False).exclude(
            reviewed_body_hash=F("body_hash")
        )

    def with_stale_sources(self, today: date | None = None):
        """Articles citing at least one source older than CMS_SOURCE_MAX_AGE_YEARS."""
        from .sources import ArticleSource

        stale = ArticleSource.objects.stale(today).values("article_id")
        return self.filter(pk__in=stale)

    def review_due(self, today: date | None = None):
        """Articles still on the site or on their way to it whose review needs attention.

        Overdue, due within 30 days, out of date (body changed) or citing stale sources.
        Archived (unpublished) articles are left out.
        """
        from .sources import ArticleSource

        today = today or timezone.localdate()
        return self.exclude(status=self.model.Status.UNPUBLISHED).filter(
            Q(next_review_at__lte=today + timedelta(days=REVIEW_SOON_DAYS))
            | (Q(reviewed_at__isnull=False) & ~Q(reviewed_body_hash=F("body_hash")))
            | Q(pk__in=ArticleSource.objects.stale(today).values("article_id"))
        )


class MedicalReviewMixin:
    """What the review fields of an article mean, for the page, the admin and publishing."""

    @property
    def is_medically_reviewed(self) -> bool:
        return bool(self.reviewed_by_id and self.reviewed_at)

    @property
    def review_is_current(self) -> bool:
        """Reviewed, and the body is the one the reviewer saw."""
        return self.is_medically_reviewed and self.reviewed_body_hash == hash_body(
            self.body
        )

    def review_is_overdue(self, today: date | None = None) -> bool:
        return bool(
            self.next_review_at
            and self.next_review_at < (today or timezone.localdate())
        )

    def default_next_review_at(self, reviewed_at: date) -> date:
        """The review date plus the section's interval (12 months unless set)."""
        months = self.category.review_interval_months if self.category_id else 12
        return add_months(reviewed_at, months)

    def record_review(self, *, by, on: date, next_review_at: date | None = None):
        """Record that ``by`` reviewed the body as it is now, on ``on``. Does not save."""
        self.reviewed_by = by
        self.reviewed_at = on
        self.reviewed_body_hash = hash_body(self.body)
        self.next_review_at = next_review_at or self.default_next_review_at(on)

    def apply_review(
        self, *, by, on: date | None, recorded: bool, next_review_at: date | None
    ) -> None:
        """The review a save with these values leaves (the form's, and the checks
        panel's as typed): a reviewer and date changed or confirmed (``recorded``) are a
        review of the body being saved; neither, no review. Does not save."""
        if by and on and recorded:
            self.record_review(by=by, on=on, next_review_at=next_review_at)
        elif not by and not on:
            self.clear_review()

    def clear_review(self) -> None:
        self.reviewed_by = None
        self.reviewed_at = self.next_review_at = None
        self.reviewed_body_hash = ""

    def review_errors(self, today: date | None = None) -> dict[str, str]:
        """Field errors of the review fields taken together; empty when they fit."""
        today = today or timezone.localdate()
        errors = {}
        if self.reviewed_by_id and not self.reviewed_at:
            errors["reviewed_at"] = "Give the date of the review."
        if self.reviewed_at and not self.reviewed_by_id:
            errors["reviewed_by"] = "Choose the expert who reviewed it."
        if self.reviewed_at and self.reviewed_at > today:
            errors["reviewed_at"] = "A review cannot be dated in the future."
        if self.next_review_at and not self.reviewed_at:
            errors["next_review_at"] = "Record the review before its next date."
        elif (
            self.next_review_at
            and self.reviewed_at
            and self.next_review_at <= self.reviewed_at
        ):
            errors["next_review_at"] = "The next review must come after the review."
        return errors
