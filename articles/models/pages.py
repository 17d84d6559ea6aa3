"""The article page, rendered once and kept until something it shows changes.

A request for a published article reads this row with the article (one query) and
places its HTML in the site's frame; the API's article answer is its ``document``,
rendered with the page from the same data. Whatever the page showed is written down as
``PageDependency`` rows when it is rendered; a change to any of those objects marks the
rows' pages stale (see ``articles.pages``), and the next request renders them again.
"""

from django.db import models


class ArticlePage(models.Model):
    article = models.OneToOneField(
        "articles.Article",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="page",
    )
    # Everything in <head> that is the article's, and everything in <main>.
    head = models.TextField(blank=True)
    body = models.TextField(blank=True)
    # The API's answer for the article (JSON, ``cms.api.articles.document``).
    document = models.TextField(blank=True)
    # What it shows, as page-cache tags ("expert:3 quote:12 ..."): read with the page.
    tags = models.TextField(blank=True)
    # Bumped by every change that makes the page stale: a render that started before
    # the change cannot store what it read.
    generation = models.PositiveIntegerField(default=0)
    # When something the page shows changes by the clock alone (a linked article's
    # scheduled time, an expiry), the page is rendered again from then on.
    valid_until = models.DateTimeField(null=True, blank=True)
    # None until rendered, and again once stale.
    rendered_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Page of article {self.article_id}"

    @property
    def is_fresh(self) -> bool:
        from django.utils import timezone

        return self.rendered_at is not None and (
            self.valid_until is None or self.valid_until > timezone.now()
        )


class PageDependency(models.Model):
    """One object an article's rendered page shows: an article, expert, quote, ..."""

    page = models.ForeignKey(
        ArticlePage, on_delete=models.CASCADE, related_name="dependencies"
    )
    kind = models.CharField(max_length=20)
    object_id = models.PositiveBigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["kind", "object_id"], name="page_dep_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["page", "kind", "object_id"], name="page_dep_unique"
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id}"
