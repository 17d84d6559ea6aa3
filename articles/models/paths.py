"""Every address an article has had, so old links redirect and removed ones say so."""

from collections.abc import Iterable

from django.db import models
from django.db.models import Exists, OuterRef

from .article import Article
from .sections import Category


class ArticlePathQuerySet(models.QuerySet):
    def record(self, pairs: Iterable[tuple[str, str, int]]) -> None:
        """Point each (category slug, slug) at its article id, in one upsert.

        An address already recorded for another article now belongs to this one:
        the newest article to use an address owns it.
        """
        rows = [
            ArticlePath(category_slug=category_slug, slug=slug, article_id=article_id)
            for category_slug, slug, article_id in pairs
        ]
        if rows:
            self.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["category_slug", "slug"],
                update_fields=["article"],
                batch_size=500,
            )

    def record_article(self, article: Article) -> None:
        """Record the article's current address."""
        self.record([(article.category.slug, article.slug, article.pk)])

    def record_category(self, category: Category) -> None:
        """Record the current address of each of the section's articles not yet recorded.

        After a change of the section's slug that is all of them; otherwise none, in
        one query.
        """
        recorded = self.filter(
            article=OuterRef("pk"), category_slug=category.slug, slug=OuterRef("slug")
        )
        missing = category.articles.filter(~Exists(recorded)).values_list("slug", "pk")
        self.record((category.slug, slug, pk) for slug, pk in missing)

    def resolve(self, category_slug: str, slug: str) -> "ArticlePath | None":
        """The record for an address that is gone, or that moved to a public article.

        None when the address was never used, or its article is not public (a 404),
        or the address is still its article's current one.
        """
        found = (
            self.select_related("article__category")
            .filter(category_slug=category_slug, slug=slug)
            .first()
        )
        if found is None or found.is_gone:
            return found
        if found.article.is_published() and not found.is_current:
            return found
        return None


class ArticlePath(models.Model):
    """One address, /<category_slug>/<slug>/, and the article it now leads to.

    The article is empty once it has been deleted: the address is gone (410).
    """

    # The unique constraint's index serves every lookup.
    category_slug = models.SlugField(max_length=80, db_index=False, allow_unicode=True)
    slug = models.SlugField(max_length=200, db_index=False, allow_unicode=True)
    article = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="paths",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ArticlePathQuerySet.as_manager()

    class Meta:
        ordering = ["category_slug", "slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["category_slug", "slug"], name="article_path_unique"
            ),
        ]

    def __str__(self):
        return f"/{self.category_slug}/{self.slug}/"

    @property
    def is_gone(self) -> bool:
        return self.article_id is None

    @property
    def is_current(self) -> bool:
        """True when this is still its article's own address."""
        return (self.article.category.slug, self.article.slug) == (
            self.category_slug,
            self.slug,
        )
