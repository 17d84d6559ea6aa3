"""What an article's body refers to by key: standard callouts, experts, articles and
library images."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import models
from django.db.models import Q

from cms.markdown import block_keys, inline_keys
from cms.models import Image
from experts.models import Expert

from .callouts import Callout

# An article link is the row with no callout, expert or image: its target may have
# been deleted since (SET_NULL), and the row still holds the key and the title.
IS_LINK = Q(callout__isnull=True, expert__isnull=True, image__isnull=True)


@dataclass
class _Pending:
    article: models.Model
    changed: bool = False
    adding: bool = True  # only the new article's own body: no list items to read


# The article whose saves inside ``references_synced_once`` wait for one sync.
_pending: ContextVar[_Pending | None] = ContextVar("reference_sync", default=None)


@contextmanager
def references_synced_once(article, *, changed: bool = False) -> Iterator[None]:
    """Saves of ``article`` and its list items inside the block sync its references
    once, at the end, if a text changed (or ``changed``), not at each save."""
    pending = _Pending(article, changed=changed, adding=not changed)
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    if pending.changed:
        ArticleReference.objects.sync_with_body(article, adding=pending.adding)


def texts_changed(article_id: int, get_article, *, adding: bool = False) -> None:
    """A text of the article changed (its body, or a list item's text, added or
    deleted): sync its references now, or at the end of ``references_synced_once``.

    ``get_article()`` returns the article, called only for a sync now.
    """
    pending = _pending.get()
    if pending is not None and pending.article.pk == article_id:
        pending.changed = True
        pending.adding = pending.adding and adding
        return
    ArticleReference.objects.sync_with_body(get_article(), adding=adding)


class ArticleReferenceQuerySet(models.QuerySet):
    def sync_with_body(self, article, *, adding: bool = False) -> None:
        """Make the article's rows match what its stored body and list items refer
        to now.

        A key that matches no callout, expert or article gets no row (validation names
        it); a row whose key is still in the body is kept, so renaming an expert's slug
        or deleting a linked article does not break the pages that already refer to
        them. Article links store the target's title as it is now, for the words to
        keep if the target is deleted.
        """
        from .blocks import ListItem  # blocks.py imports this module

        texts = [article.body_html]
        if not adding:
            texts += ListItem.objects.filter(article=article).values_list(
                "text_html", flat=True
            )
        html = "\n".join(texts)
        wanted = {("callout", key) for key in block_keys(html, "callout")}
        wanted |= {("expert", key) for key in inline_keys(html, "expert")}
        wanted |= {("article", key) for key in inline_keys(html, "article")}
        wanted |= {("image", key) for key in block_keys(html, "image") if key.isdigit()}
        if adding and not wanted:
            return
        have = {
            (row.kind, row.key): row
            for row in self.filter(article=article).select_related("target_article")
        }
        stale = [row.pk for ref, row in have.items() if ref not in wanted]
        if stale:
            self.filter(pk__in=stale).delete()
        retitled = [
            row
            for ref, row in have.items()
            if ref in wanted
            and row.target_article_id
            and row.title != row.target_article.title
        ]
        for row in retitled:
            row.title = row.target_article.title
        if retitled:
            self.bulk_update(retitled, ["title"])
        missing = wanted - have.keys()
        callouts = {key for kind, key in missing if kind == "callout"}
        experts = {key for kind, key in missing if kind == "expert"}
        targets = {int(key) for kind, key in missing if kind == "article"}
        images = {int(key) for kind, key in missing if kind == "image"}
        from .article import Article  # article.py imports this module

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
            + [
                ArticleReference(
                    article=article,
                    key=str(target.pk),
                    target_article=target,
                    title=target.title,
                )
                for target in (
                    Article.objects.filter(pk__in=targets).only("pk", "title")
                    if targets
                    else []
                )
            ]
            + [
                ArticleReference(article=article, key=str(image.pk), image=image)
                for image in (
                    Image.objects.filter(pk__in=images).only("pk") if images else []
                )
            ]
        )

    def links(self) -> "ArticleReferenceQuerySet":
        """Links to other articles by reference, including ones whose target is gone."""
        return self.filter(IS_LINK)

    def broken(self) -> "ArticleReferenceQuerySet":
        """Links in published articles to articles readers cannot see: unpublished,
        draft, in review, scheduled, expired or deleted."""
        from .article import Article

        return (
            self.links()
            .filter(article__in=Article.objects.published())
            .exclude(target_article__in=Article.objects.published())
        )


class ArticleReference(models.Model):
    """A standard callout, a mentioned expert, a linked article or a placed library
    image in an article's body.

    Kept in step with the body whenever the article is saved, so the page fetches them
    all in one query, no callout, expert or image can be deleted while a body still
    refers to it, and "what links here" (or "where is this image used") is a query.
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
    image = models.ForeignKey(
        Image,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="body_references",
        help_text="The library image placed with [[image:<id>]].",
    )
    target_article = models.ForeignKey(
        "articles.Article",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incoming_references",
        help_text="The article linked to with [[article:<id>]]; empty once deleted.",
    )
    title = models.CharField(
        max_length=200,
        blank=True,
        help_text="The linked article's title when the body was last saved: the words "
        "a link without its own text keeps if the article is deleted.",
    )

    objects = ArticleReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    callout__isnull=False, expert__isnull=True, image__isnull=True
                )
                | Q(callout__isnull=True, expert__isnull=False, image__isnull=True)
                | Q(callout__isnull=True, expert__isnull=True, image__isnull=False)
                | IS_LINK,
                name="article_reference_one_target",
            ),
            models.CheckConstraint(
                condition=Q(target_article__isnull=True) | IS_LINK,
                name="article_reference_link_only_article",
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
            models.UniqueConstraint(
                fields=["article", "key"],
                condition=IS_LINK,
                name="article_reference_article_once",
            ),
            models.UniqueConstraint(
                fields=["article", "key"],
                condition=Q(image__isnull=False),
                name="article_reference_image_once",
            ),
        ]

    def __str__(self):
        if self.callout_id:
            return f"{self.article} places the callout [[callout:{self.key}]]"
        if self.expert_id:
            return f"{self.article} mentions [[expert:{self.key}]]"
        if self.image_id:
            return f"{self.article} places the image [[image:{self.key}]]"
        return f"{self.article} links to [[article:{self.key}]]"

    @property
    def kind(self) -> str:
        if self.callout_id:
            return "callout"
        if self.image_id:
            return "image"
        return "expert" if self.expert_id else "article"


@dataclass(frozen=True)
class InternalLink:
    """A link from one article to another, in its body or its curated related links."""

    article: models.Model  # the article that links
    target: models.Model | None  # None when the target was deleted
    text: str  # the target's title (its title when last seen, once deleted)
    via: str  # "body" (an [[article:…]] reference) or "related" (a curated link)

    @property
    def target_state(self) -> str:
        return self.target.state_label if self.target else "Deleted"

    @property
    def where(self) -> str:
        return "in the body" if self.via == "body" else "in related links"


def _body_link(ref: "ArticleReference") -> InternalLink:
    target = ref.target_article
    return InternalLink(
        article=ref.article,
        target=target,
        text=target.title if target else ref.title,
        via="body",
    )


def _related_link(link) -> InternalLink:
    return InternalLink(
        article=link.article, target=link.target_article, text=link.link_title,
        via="related",
    )  # fmt: skip


def broken_internal_links() -> list[InternalLink]:
    """Every body reference and curated related link in a published article whose
    target is not published (or no longer exists), by linking article's title."""
    from .blocks import RelatedLink

    found = [
        _body_link(ref)
        for ref in ArticleReference.objects.broken().select_related(
            "article__category", "target_article__category"
        )
    ] + [
        _related_link(link)
        for link in RelatedLink.objects.broken().select_related(
            "article__category", "target_article__category"
        )
    ]
    return sorted(found, key=lambda link: (link.article.title, link.article.pk))


def links_to(article) -> list[InternalLink]:
    """What links here: every article (any state) linking to ``article``, by title."""
    from .blocks import RelatedLink

    found = [
        _body_link(ref)
        for ref in ArticleReference.objects.filter(
            target_article=article
        ).select_related("article__category", "target_article")
    ] + [
        _related_link(link)
        for link in RelatedLink.objects.filter(target_article=article).select_related(
            "article__category", "target_article"
        )
    ]
    return sorted(found, key=lambda link: (link.article.title, link.article.pk))


def links_from(article) -> list[InternalLink]:
    """What ``article`` links to, body references first (deleted targets included)."""
    from .blocks import RelatedLink

    return [
        _body_link(ref)
        for ref in ArticleReference.objects.links()
        .filter(article=article)
        .select_related("article", "target_article__category")
    ] + [
        _related_link(link)
        for link in RelatedLink.objects.filter(
            article=article, target_article__isnull=False
        ).select_related("article", "target_article__category")
    ]
