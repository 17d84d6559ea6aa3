"""Experts in the read API (``cms.api``): the public index and each expert's profile;
the articles quoting them are at ``/articles?expert=…``."""

from django.http import Http404, HttpResponse
from ninja import Query, Router, Schema

from cms.api import cursor
from cms.api.errors import ERRORS
from cms.api.schemas import Image, Link, Paging, api_url, articles_url, image, page_url
from cms.pagecache import tag_response

from .models import Expert

router = Router(tags=["experts"])


class ExpertRef(Link):
    id: int
    slug: str
    name: str
    short_name: str
    job_title: str
    organisation: str
    credentials: str
    role: str


class ExpertProfile(ExpertRef):
    bio_html: str
    photo: Image | None
    website: str
    articles_url: str


class ExpertPage(Schema):
    items: list[ExpertRef]
    next_cursor: str | None


def expert_ref(request, expert) -> dict:
    return {
        "id": expert.pk,
        "slug": expert.slug,
        "name": expert.full_name,
        "short_name": expert.display_short_name,
        "job_title": expert.job_title,
        "organisation": expert.organisation,
        "credentials": expert.credentials,
        "role": expert.role,
        "url": page_url(request, expert),
        "api_url": api_url(request, "expert", slug=expert.slug),
    }


@router.get("/experts", response={200: ExpertPage, **ERRORS}, url_name="experts")
def list_experts(request, response: HttpResponse, paging: Query[Paging]):
    """Active experts, as the public index lists them, by slug."""
    items, next_cursor = cursor.by_slug(Expert.objects.active(), paging)
    tag_response(response, "experts", *(f"expert:{e.pk}" for e in items))
    return {
        "items": [expert_ref(request, e) for e in items],
        "next_cursor": next_cursor,
    }


@router.get(
    "/experts/{slug}", response={200: ExpertProfile, **ERRORS}, url_name="expert"
)
def get_expert(request, response: HttpResponse, slug: str):
    """Any expert: inactive ones keep their page, for articles that quote them."""
    expert = Expert.objects.select_related("photo").filter(slug=slug).first()
    if expert is None:
        raise Http404(f"No expert has the slug {slug!r}.")
    tag_response(response, f"expert:{expert.pk}")
    return expert_ref(request, expert) | {
        "bio_html": expert.bio_html,
        "photo": image(request, expert.photo, "portrait", expert.full_name),
        "website": expert.website,
        "articles_url": articles_url(request, "expert", expert.slug),
    }
