"""Only published content exists for the API, whatever is asked: every operation the
schema documents is called with every value that could name a hidden article (its id,
its address, its own tag, author and quote, and every filter it would match), one
test per editorial state it can be in.

The hidden article shares everything with a public one (section, tag, author, the
expert who reviewed it and is quoted in it, search words); the public article links
to it from its body and its related links. Each operation shows the public one, and
must show nothing of the hidden one.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from articles.previews import make_share_token
from articles.services import article_publish, article_submit, article_unpublish
from tests.factories import (
    ArticleFactory,
    ArticleQuoteFactory,
    AuthorFactory,
    CategoryFactory,
    ExpertFactory,
    QuoteFactory,
    RelatedLinkFactory,
    TagFactory,
    UserFactory,
)

from .support import API, error, operations, parameters

pytestmark = pytest.mark.django_db

HIDDEN = ("zebracorn hidden", "zebracorn-hidden")
PUBLIC = ("zebracorn public", "zebracorn-public")


def hide(article: Article, state: str, editor, time_machine) -> None:
    """Put a new draft in ``state`` the way editors do, through the services."""
    now = timezone.now()
    if state == "in review":
        article_submit(article=article, by=editor)
    elif state == "scheduled":
        article_publish(article=article, by=editor, publish_at=now + timedelta(days=3))
    elif state == "unpublished":
        article_publish(article=article, by=editor)
        article_unpublish(article=article, by=editor)
    elif state == "expired":
        article_publish(article=article, by=editor, expires_at=now + timedelta(hours=1))
        time_machine.move_to(now + timedelta(hours=2), tick=False)


STATES = ("draft", "in review", "scheduled", "unpublished", "expired")


@pytest.fixture(params=STATES)
def world(request, time_machine):
    section = CategoryFactory(name="Zebracorn public section", slug="zebracorn-public")
    child = CategoryFactory(name="Zebracorn public sub", parent=section)
    shared_tag = TagFactory(name="Zebracorn public shared", slug="zebracorn-public-t")
    shared_author = AuthorFactory(
        display_name="Zebracorn public writer", slug="zebracorn-public-w"
    )
    expert = ExpertFactory(name="Zebracorn Public", slug="zebracorn-public-e")

    def article(label: str, section, **fields) -> Article:
        made = ArticleFactory(
            title=f"Zebracorn {label}",
            slug=f"zebracorn-{label}",
            standfirst=f"All about zebracorn {label}.",
            category=section,
            authors=[shared_author, AuthorFactory(display_name=f"Zebracorn {label}")],
            reviewed=True,
            reviewed_by=expert,
            **fields,
        )
        made.tags.add(shared_tag, TagFactory(name=f"Zebracorn {label} topic"))
        ArticleQuoteFactory(
            article=made, quote=QuoteFactory(expert=expert, text=f"Zebracorn {label}.")
        )
        return made

    hidden = article("hidden", child)
    hide(hidden, request.param, UserFactory(superuser=True), time_machine)
    public = article(
        "public",
        child,
        published=True,
        body=f"## Links\n\nSee [[article:{hidden.pk}|this one]].",
    )
    RelatedLinkFactory(article=public, target_article=hidden)
    assert not Article.objects.published().filter(pk=hidden.pk).exists()
    hidden_tag, hidden_author, hidden_quote = (
        hidden.tags.exclude(pk=shared_tag.pk).get(),
        hidden.authors.exclude(pk=shared_author.pk).get(),
        hidden.article_quotes.get().quote,
    )
    return {
        "hidden": hidden,
        "public": public,
        # (value, names a hidden thing) for each parameter name, by resource.
        "articles": {
            "pk": [(hidden.pk, True), (public.pk, False)],
            "section/slug": [
                ((child.slug, hidden.slug), True),
                ((child.slug, public.slug), False),
            ],
        },
        "sections": {"slug": [(section.slug, False), (child.slug, False)]},
        "tags": {"slug": [(hidden_tag.slug, True), (shared_tag.slug, False)]},
        "authors": {"slug": [(hidden_author.slug, True), (shared_author.slug, False)]},
        "experts": {"slug": [(expert.slug, False)]},
        "quotes": {
            "pk": [
                (hidden_quote.pk, True),
                (public.article_quotes.get().quote_id, False),
            ]
        },
        "query": {
            "section": [section.slug, child.slug],
            "tag": [shared_tag.slug, hidden_tag.slug],
            "author": [shared_author.slug, hidden_author.slug],
            "expert": [expert.slug],
            "q": ["zebracorn", "hidden"],
            "published_since": [(timezone.now() - timedelta(days=30)).isoformat()],
            "published_until": [(timezone.now() + timedelta(days=30)).isoformat()],
            "updated_since": [(timezone.now() - timedelta(days=30)).isoformat()],
            "limit": [100],
            # A valid token for the hidden article: it opens nothing but its preview.
            "preview": [make_share_token(hidden)],
        },
        # Filter values naming what only the hidden article uses: a 400, as for
        # a slug naming nothing (a 200 with no items would tell that it exists).
        "unknown": {("tag", hidden_tag.slug), ("author", hidden_author.slug)},
    }


def as_tuple(value) -> tuple:
    return value if isinstance(value, tuple) else (value,)


def requests_for(path: str, operation: dict, world) -> list[tuple[str, dict, int]]:
    """(address, query, expected status) for each way to call the operation: 404 for
    an address naming a hidden thing, 400 for a filter naming one, 403 for the hidden
    article's preview token on another article, 200 for the rest."""
    resource = path.split("/")[3]
    names = [p["name"] for p in parameters(operation, "path")]
    addresses = [(path, False)]
    if names:
        known = world[resource].get("/".join(names))
        assert known, f"no values for {path}: add them to the world"
        addresses = [
            (path.format(**dict(zip(names, as_tuple(value), strict=True))), h)
            for value, h in known
        ]
    queries = [{}]
    for parameter in parameters(operation, "query"):
        name = parameter["name"]
        values = parameter["schema"].get("enum") or world["query"].get(name)
        assert values or name == "cursor", f"no values for ?{name}: add them"
        queries += [{name: value} for value in values or []]
    requests = []
    for address, names_hidden in addresses:
        for query in queries:
            if "preview" in query and names_hidden:
                continue  # what a token is for: tests/api/test_preview.py
            if names_hidden:
                expected = 404
            elif set(query.items()) & world["unknown"]:
                expected = 400
            else:
                expected = 403 if "preview" in query else 200
            requests.append((address, query, expected))
    return requests


def test_a_hidden_article_exists_nowhere(client, world):
    for path, operation in operations():
        shown = []
        for address, query, expected in requests_for(path, operation, world):
            response = client.get(address, query)
            where = f"{address} {query}"
            if expected != 200:
                error(response, expected)
                continue
            assert response.status_code == 200, where
            text = response.content.decode().lower()
            for marker in HIDDEN:
                assert marker not in text, f"{where} shows the hidden article"
            shown.append(text)
        # What the operation shows of the public article, it could show of the other.
        assert any(marker in text for text in shown for marker in PUBLIC), path


# Answers kept between requests follow an article that leaves or arrives.


def linking_to(target: Article) -> Article:
    """A public article linking to ``target`` from its body and related links."""
    linking = ArticleFactory(
        published=True, body=f"## See\n\nRead [[article:{target.pk}|its words]]."
    )
    RelatedLinkFactory(article=linking, target_article=target)
    return linking


def detail_text(client, article: Article) -> str:
    response = client.get(f"{API}/articles/{article.pk}")
    assert response.status_code == 200
    return response.content.decode().lower()


def test_an_article_unpublished_leaves_every_answer_that_showed_it(client):
    editor = UserFactory(superuser=True)
    target = ArticleFactory(title="Zebracorn hidden")
    article_publish(article=target, by=editor)
    linking = linking_to(target)
    assert HIDDEN[0] in detail_text(client, linking)

    article_unpublish(article=target, by=editor)

    shown = detail_text(client, linking)
    assert HIDDEN[0] not in shown and target.get_absolute_url() not in shown


def test_a_scheduled_article_joins_the_answers_linking_to_it_on_time(
    client, time_machine
):
    at = timezone.now() + timedelta(hours=2)
    target = ArticleFactory(title="Zebracorn hidden")
    article_publish(article=target, by=UserFactory(superuser=True), publish_at=at)
    linking = linking_to(target)
    assert HIDDEN[0] not in detail_text(client, linking)

    time_machine.move_to(at + timedelta(seconds=1), tick=False)

    shown = detail_text(client, linking)
    assert HIDDEN[0] in shown and target.get_absolute_url() in shown


def test_an_expiring_article_leaves_the_answers_linking_to_it_on_time(
    client, time_machine
):
    at = timezone.now() + timedelta(hours=2)
    target = ArticleFactory(title="Zebracorn hidden")
    article_publish(article=target, by=UserFactory(superuser=True), expires_at=at)
    linking = linking_to(target)
    assert HIDDEN[0] in detail_text(client, linking)

    time_machine.move_to(at + timedelta(seconds=1), tick=False)

    assert HIDDEN[0] not in detail_text(client, linking)
