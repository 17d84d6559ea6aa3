"""Articles and authors as schema.org JSON-LD, built from what their pages show.

Every function takes ``absolute``, which turns a site path into a full address
(``request.build_absolute_uri``), and reads only what the page's queryset fetched.
"""

from collections.abc import Callable

from django.conf import settings
from django.utils import timezone

from cms.images import large_url
from cms.json_ld import organisation, without_empty
from experts.structured_data import expert_person

from .models import Article, ArticleSource, Author

Absolute = Callable[[str], str]


def publisher(absolute: Absolute) -> dict:
    return organisation(settings.CMS_SITE_NAME, absolute("/"))


def author_person(author: Author, absolute: Absolute, *, full: bool = False) -> dict:
    """Person for a byline; ``full`` adds what the author's own page shows."""
    person = {
        "@type": "Person",
        "name": author.display_name,
        "url": absolute(author.get_absolute_url()),
        "jobTitle": author.job_title,
    }
    if full:
        person |= {
            "affiliation": organisation(settings.CMS_SITE_NAME, absolute("/")),
            "image": absolute(large_url(author.photo, "portrait"))
            if author.photo
            else "",
            "sameAs": [link.url for link in author.links.all()],
        }
    return without_empty(person)


def author_graph(author: Author, absolute: Absolute) -> dict:
    return {
        "@context": "https://schema.org",
        **author_person(author, absolute, full=True),
    }


def citation(source: ArticleSource) -> dict:
    return without_empty(
        {
            "@type": "CreativeWork",
            "name": source.title,
            "url": source.url,
            "publisher": organisation(source.publisher) if source.publisher else None,
            "datePublished": source.published_on.isoformat()
            if source.published_on
            else "",
        }
    )


def is_medical_page(article: Article) -> bool:
    """Reviewed, or in a section that requires review: a MedicalWebPage."""
    return article.is_medically_reviewed or article.category.needs_medical_review


def article_graph(article: Article, absolute: Absolute) -> dict:
    """The page as ``Article`` or ``MedicalWebPage``, its numbered list as ``ItemList``
    and its breadcrumb trail as ``BreadcrumbList``."""
    url = absolute(article.get_absolute_url())
    page = {
        "@type": "MedicalWebPage" if is_medical_page(article) else "Article",
        "@id": f"{url}#article",
        "url": url,
        "mainEntityOfPage": url,
        "headline": article.title,
        "description": article.meta_description,
        "image": absolute(large_url(article.hero_image, "hero"))
        if article.hero_image
        else "",
        "datePublished": _iso(article.published_at),
        "dateModified": _iso(article.modified_at),
        "inLanguage": "en-GB",
        "author": [author_person(author, absolute) for author in article.byline],
        "publisher": publisher(absolute),
        "citation": [citation(source) for source in article.sources.all()],
    }
    if article.is_medically_reviewed:
        page["reviewedBy"] = expert_person(article.reviewed_by, absolute)
        page["lastReviewed"] = article.reviewed_at.isoformat()
    graph = [without_empty(page)]
    items = list(article.list_items.all())
    if items:
        graph.append(
            {
                "@type": "ItemList",
                "@id": f"{url}#list-heading",
                "name": article.list_heading or "At a glance",
                "numberOfItems": len(items),
                "itemListElement": [
                    {
                        "@type": "ListItem",
                        "position": position,
                        "name": item.heading,
                        "url": f"{url}#item-{position}",
                    }
                    for position, item in enumerate(items, start=1)
                ],
            }
        )
    graph.append(breadcrumb_list(article.category, absolute, article))
    return {"@context": "https://schema.org", "@graph": graph}


def _iso(moment) -> str:
    """As the page's <time datetime> shows it: local time, ISO 8601."""
    return timezone.localtime(moment).isoformat() if moment else ""


def breadcrumb_list(
    category, absolute: Absolute, article: Article | None = None
) -> dict:
    """The page's breadcrumb trail (Home › section › sub-section › article) as a
    ``BreadcrumbList`` node, the same trail the page shows."""
    trail = [("Home", absolute("/"))]
    if category.parent_id:
        trail.append(
            (category.parent.name, absolute(category.parent.get_absolute_url()))
        )
    trail.append((category.name, absolute(category.get_absolute_url())))
    if article is not None:
        trail.append((article.title, absolute(article.get_absolute_url())))
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": url}
            for position, (name, url) in enumerate(trail, start=1)
        ],
    }
