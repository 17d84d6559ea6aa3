"""The related-content block: curated links first, then automatic suggestions."""

from dataclasses import dataclass

from django.conf import settings

from .blocks import RelatedLink


@dataclass(frozen=True)
class RelatedItem:
    """One entry of the block, the same shape whether curated or automatic."""

    label: str
    url: str
    title: str
    # The article linked to (for its image and standfirst); None for external pages.
    article: object = None
    is_external: bool = False
    is_automatic: bool = False

    @classmethod
    def from_link(cls, link: RelatedLink) -> "RelatedItem":
        return cls(
            label=link.label,
            url=link.link_url,
            title=link.link_title,
            article=link.target_article if link.target_article_id else None,
            is_external=link.is_external,
        )

    @classmethod
    def from_article(cls, article) -> "RelatedItem":
        return cls(
            label=RelatedLink._meta.get_field("label").default,
            url=article.get_absolute_url(),
            title=article.title,
            article=article,
            is_automatic=True,
        )


def related_content(article) -> list[RelatedItem]:
    """The block's items: every public curated link, then published articles that
    share tags or the section, up to ``CMS_RELATED_COUNT`` items in all.

    Costs at most one query beyond ``ArticleQuerySet.for_page`` (none when the
    curated links already fill the block).
    """
    curated = article.public_related_links()
    items = [RelatedItem.from_link(link) for link in curated]
    wanted = settings.CMS_RELATED_COUNT - len(items)
    if wanted > 0 and article.pk is not None:
        suggestions = (
            type(article)
            .objects.published()
            .related_to(
                article,
                exclude_ids={link.target_article_id for link in curated} - {None},
                limit=wanted,
            )
        )
        items += [RelatedItem.from_article(other) for other in suggestions]
    return items
