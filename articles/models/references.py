"""The standard callouts and experts an article's body refers to by key."""

from django.db import models
from django.db.models import Q

from cms.markdown import block_keys, inline_keys
from experts.models import Expert

from .callouts import Callout


class ArticleReferenceQuerySet(models.QuerySet):
    def sync_with_body(self, article, *, adding: bool = False) -> None:
        """Make the article's rows match what its stored body refers to now.

        A key that matches no callout or expert gets no row (validation names it); a
        row whose key is still in the body is kept, so renaming an expert's slug does
        not break the pages that already mention them.
        """
        wanted = {("callout", key) for key in block_keys(article.body_html, "callout")}
        wanted |= {("expert", key) for key in inline_keys(article.body_html, "expert")}
        if adding and not wanted:
            return
        have = {(row.kind, row.key): row.pk for row in self.filter(article=article)}
        stale = [pk for ref, pk in have.items() if ref not in wanted]
        if stale:
            self.filter(pk__in=stale).delete()
        missing = wanted - have.keys()
        callouts = {key for kind, key in missing if kind == "callout"}
        experts = {key for kind, key in missing if kind == "expert"}
        self.bulk_create(
            [
                ArticleReference(article=article, key=callout.key, callout=callout)
                for callout in (
                    Callout.objects.filter(key__in=callouts) if callouts else []
                )
            ]
            + [
                ArticleReference(article=article, key=expert.slug, expert=expert)
                for expert in (
                    Expert.objects.filter(slug__in=experts) if experts else []
                )
            ]
        )


class ArticleReference(models.Model):
    """A standard callout or a mentioned expert that an article's body refers to.

    Kept in step with the body whenever the article is saved, so the page fetches them
    all in one query, and neither can be deleted while a body still refers to it.
    """

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="body_references"
    )
    key = models.CharField(max_length=140, help_text="The reference as written.")
    callout = models.ForeignKey(
        Callout,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="article_references",
    )
    expert = models.ForeignKey(
        Expert,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="article_mentions",
    )

    objects = ArticleReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(callout__isnull=False, expert__isnull=True)
                | Q(callout__isnull=True, expert__isnull=False),
                name="article_reference_one_target",
            ),
            models.UniqueConstraint(
                fields=["article", "key"],
                condition=Q(callout__isnull=False),
                name="article_reference_callout_once",
            ),
            models.UniqueConstraint(
                fields=["article", "key"],
                condition=Q(expert__isnull=False),
                name="article_reference_expert_once",
            ),
        ]

    def __str__(self):
        if self.callout_id:
            return f"{self.article} places the callout [[callout:{self.key}]]"
        return f"{self.article} mentions [[expert:{self.key}]]"

    @property
    def kind(self) -> str:
        return "callout" if self.callout_id else "expert"
