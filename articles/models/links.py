"""Results of the external link checker (``manage.py check_links``)."""

import hashlib
from datetime import timedelta

from django.db import models
from django.db.models import Q
from django.utils import timezone


def url_key(url: str) -> str:
    """A fixed-size unique key: a 2,000-character URL is too long for some indexes."""
    return hashlib.sha256(url.encode()).hexdigest()


class ExternalLinkQuerySet(models.QuerySet):
    def broken(self) -> "ExternalLinkQuerySet":
        """Checked and failed: an error (timeout, refused, TLS) or a 4xx/5xx answer."""
        return self.filter(checked_at__isnull=False, ok=False)

    def stale(self, days: float) -> "ExternalLinkQuerySet":
        """Never checked, or last checked more than ``days`` ago."""
        cutoff = timezone.now() - timedelta(days=days)
        return self.filter(Q(checked_at__isnull=True) | Q(checked_at__lt=cutoff))

    def oldest_first(self) -> "ExternalLinkQuerySet":
        """Never-checked links first, then the longest unchecked."""
        return self.order_by(models.F("checked_at").asc(nulls_first=True), "pk")


class ExternalLink(models.Model):
    """One external address used by published articles, and its last check."""

    url = models.CharField(max_length=2000)
    url_hash = models.CharField(max_length=64, unique=True, editable=False)
    status_code = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The final HTTP status, after redirects."
    )
    final_url = models.CharField(
        max_length=2000, blank=True, help_text="Where redirects ended."
    )
    error = models.TextField(
        blank=True, help_text="Why no answer came (timeout, refused, TLS…)."
    )
    ok = models.BooleanField(default=False)
    checked_at = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = ExternalLinkQuerySet.as_manager()

    class Meta:
        ordering = ["url"]
        verbose_name = "external link"

    def __str__(self):
        return self.url

    def save(self, *args, **kwargs):
        self.url_hash = url_key(self.url)
        super().save(*args, **kwargs)

    @property
    def is_broken(self) -> bool:
        return self.checked_at is not None and not self.ok

    @property
    def is_redirected(self) -> bool:
        return bool(self.final_url) and self.final_url != self.url
