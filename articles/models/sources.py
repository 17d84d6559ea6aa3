"""The sources an article relies on, numbered at its foot and cited in its JSON-LD."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .review import add_months


def stale_before(today: date | None = None) -> date:
    """Sources dated before this day are older than CMS_SOURCE_MAX_AGE_YEARS."""
    years = settings.CMS_SOURCE_MAX_AGE_YEARS
    return add_months(today or timezone.localdate(), -12 * years)


class ArticleSourceQuerySet(models.QuerySet):
    def stale(self, today: date | None = None) -> "ArticleSourceQuerySet":
        """Sources whose date (published, else accessed) is older than the set age."""
        cutoff = stale_before(today)
        return self.filter(
            Q(published_on__lt=cutoff)
            | Q(published_on__isnull=True, accessed_on__lt=cutoff)
        )


class ArticleSource(models.Model):
    """A source the article relies on, such as an NHS page or a NICE guideline."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="sources"
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Lower numbers come first; readers see them numbered."
    )
    title = models.CharField(
        max_length=300,
        help_text='The page or document\'s title, such as "Rashes in babies and children".',
    )
    publisher = models.CharField(
        max_length=200, help_text='Who published it, such as "NHS" or "NICE".'
    )
    url = models.URLField(
        "URL", max_length=500, help_text="The full address, starting https://."
    )
    published_on = models.DateField(
        "published",
        null=True,
        blank=True,
        help_text="When it was published or last updated, if it says.",
    )
    accessed_on = models.DateField(
        "accessed",
        null=True,
        blank=True,
        help_text="When you last read it. Needed when the source shows no date.",
    )

    objects = ArticleSourceQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(published_on__isnull=False) | Q(accessed_on__isnull=False),
                name="article_source_has_date",
                violation_error_message="Give the date the source was published or "
                "the date you read it.",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.publisher})" if self.publisher else self.title

    def clean(self):
        if not self.published_on and not self.accessed_on:
            raise ValidationError(
                {
                    "accessed_on": "Give the date the source was published or the "
                    "date you read it."
                }
            )
        today = timezone.localdate()
        for name in ("published_on", "accessed_on"):
            if getattr(self, name) and getattr(self, name) > today:
                raise ValidationError({name: "This date is in the future."})

    @property
    def dated_on(self) -> date | None:
        """The date its age runs from: publication if known, else when it was read."""
        return self.published_on or self.accessed_on

    def is_stale(self, today: date | None = None) -> bool:
        return bool(self.dated_on and self.dated_on < stale_before(today))
