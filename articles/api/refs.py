"""How articles' sections, tags and authors appear wherever the API names them."""

from cms.api.schemas import Link, api_url, page_url


class SectionRef(Link):
    id: int
    slug: str
    name: str
    parent: str | None = None


class TagRef(Link):
    id: int
    slug: str
    name: str


class AuthorRef(Link):
    id: int
    slug: str
    name: str
    job_title: str


def section_ref(request, category) -> dict:
    return {
        "id": category.pk,
        "slug": category.slug,
        "name": category.name,
        "parent": category.parent.slug if category.parent_id else None,
        "url": page_url(request, category),
        "api_url": api_url(request, "section", slug=category.slug),
    }


def tag_ref(request, tag) -> dict:
    return {
        "id": tag.pk,
        "slug": tag.slug,
        "name": tag.name,
        "url": page_url(request, tag),
        "api_url": api_url(request, "tag", slug=tag.slug),
    }


def author_ref(request, author) -> dict:
    return {
        "id": author.pk,
        "slug": author.slug,
        "name": author.display_name,
        "job_title": author.job_title,
        "url": page_url(request, author),
        "api_url": api_url(request, "author", slug=author.slug),
    }
