"""Anonymous readers see only what is live, through every channel; writers read their
own articles and live ones, never another writer's unpublished or embargoed work,
wherever the admin or a preview would show it."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.previews import make_share_token
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

pytestmark = pytest.mark.django_db


def writer(username: str):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name="Writer"))
    AuthorFactory(user=user, display_name=username.title())
    return user


@pytest.fixture
def ana():
    return writer("ana")


@pytest.fixture
def ben_work():
    """Another freelancer's draft, embargoed piece and archived piece, and a live one."""
    ben = writer("ben")
    later = timezone.now() + timedelta(days=3)
    return {
        "draft": ArticleFactory(title="Ben's draft", authors=[ben.author]),
        "embargoed": ArticleFactory(
            title="Ben's embargoed",
            authors=[ben.author],
            status=Article.Status.PUBLISHED,
            published_at=later,
        ),
        "archived": ArticleFactory(
            title="Ben's archived",
            authors=[ben.author],
            status=Article.Status.UNPUBLISHED,
        ),
        "live": ArticleFactory(
            title="Ben's live", authors=[ben.author], published=True
        ),
    }


def test_a_writer_sees_their_own_work_and_live_articles_only(ana, ben_work):
    own = ArticleFactory(title="Ana's draft", authors=[ana.author])

    visible = set(Article.objects.visible_to(ana))

    assert visible == {own, ben_work["live"]}


def test_an_editor_sees_everything(ben_work):
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="Editor"))

    assert set(Article.objects.visible_to(editor)) == set(ben_work.values())


def test_the_admin_list_and_search_leave_others_unpublished_work_out(
    client, ana, ben_work
):
    client.force_login(ana)

    changelist = reverse("admin:articles_article_changelist")
    listing = client.get(changelist).content.decode()
    search = client.get(f"{changelist}?q=Ben").content.decode()

    for page in (listing, search):
        assert "Ben&#x27;s live" in page
        for hidden in ("draft", "embargoed", "archived"):
            assert f"Ben&#x27;s {hidden}" not in page


@pytest.mark.parametrize("hidden", ["draft", "embargoed", "archived"])
def test_every_admin_page_of_another_writers_unpublished_article_is_closed(
    client, ana, ben_work, hidden
):
    article = ben_work[hidden]
    client.force_login(ana)
    change, history, compare = (
        client.get(reverse(f"admin:articles_article_{view}", args=[article.pk]))
        for view in ("change", "history", "compare")
    )
    preview = client.get(reverse("articles:preview", args=[article.pk]))

    assert (change.status_code, change.url) == (302, reverse("admin:index"))
    assert history.status_code in (302, 404)
    assert compare.status_code == 404
    assert preview.status_code == 404


def test_link_pickers_do_not_offer_others_unpublished_work(client, ana, ben_work):
    client.force_login(ana)

    response = client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Ben",
            "app_label": "articles",
            "model_name": "relatedlink",
            "field_name": "target_article",
        },
    )

    titles = {result["text"] for result in response.json()["results"]}
    assert titles == {"Ben's live"}


def test_a_writer_previews_their_own_draft(client, ana):
    draft = ArticleFactory(title="Ana's draft", authors=[ana.author])
    client.force_login(ana)

    response = client.get(reverse("articles:preview", args=[draft.pk]))

    assert response.status_code == 200


def test_the_start_page_shows_a_writer_no_one_elses_embargoed_work(
    client, ana, ben_work
):
    client.force_login(ana)

    page = client.get(reverse("admin:index")).content.decode()

    assert "Ben&#x27;s embargoed" not in page


# Anonymous readers: every channel, every state that is not public.
#
# Each hidden article shares everything with one public article (section, tag, author,
# the expert it quotes and was reviewed by, search words); the public article links to
# each of them from its body and its related links. A channel that works shows the
# public one, and must show none of the others.

HIDDEN_STATES = {
    "draft": {"status": Article.Status.DRAFT},
    "in-review": {"status": Article.Status.IN_REVIEW},
    "scheduled": {
        "status": Article.Status.PUBLISHED,
        "published_at": timedelta(days=3),
    },
    "unpublished": {
        "status": Article.Status.UNPUBLISHED,
        "published_at": timedelta(days=-10),
    },
    "expired": {
        "status": Article.Status.PUBLISHED,
        "published_at": timedelta(days=-10),
        "expires_at": timedelta(days=-1),
    },
    # A draft whose share link was made, and opened by this very reader.
    "shared-preview": {"status": Article.Status.DRAFT},
}


def in_state(label: str) -> dict:
    """The fields that put an article in state ``label``, times counted from now."""
    now = timezone.now()
    return {
        name: now + value if isinstance(value, timedelta) else value
        for name, value in {**HIDDEN_STATES, **PUBLIC_STATE}[label].items()
    }


PUBLIC_STATE = {
    "public": {"status": Article.Status.PUBLISHED, "published_at": timedelta(hours=-1)}
}


def markers(label: str) -> tuple[str, str]:
    """How an article would show: its title, or its slug in any address."""
    return f"zebracorn {label}", f"zebracorn-{label}"


@pytest.fixture
def world(client):
    section, tag = CategoryFactory(), TagFactory(name="Zebracorn topic")
    author = AuthorFactory()
    expert = ExpertFactory()

    def article(label, **fields):
        title, slug = markers(label)
        made = ArticleFactory(
            title=title.capitalize(),
            slug=slug,
            standfirst=f"All about {title}.",
            category=section,
            authors=[author],
            reviewed=True,
            reviewed_by=expert,
            **in_state(label),
            **fields,
        )
        made.tags.add(tag)
        ArticleQuoteFactory(article=made, quote=QuoteFactory(expert=expert))
        return made

    hidden = {label: article(label) for label in HIDDEN_STATES}
    links = "\n\n".join(f"See [[article:{a.pk}|this one]]." for a in hidden.values())
    public = article("public", body=f"## Links\n\n{links}")
    for target in hidden.values():
        RelatedLinkFactory(article=public, target_article=target)
    share = client.get(
        reverse(
            "articles:share_preview", args=[make_share_token(hidden["shared-preview"])]
        )
    )
    assert share.status_code == 200  # the reader has seen the preview
    return {
        "hidden": hidden,
        "public": public,
        "section": section,
        "tag": tag,
        "author": author,
        "expert": expert,
    }


def text_of(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return (
        b"".join(response).decode() if response.streaming else response.content.decode()
    )


def json_ld(client, url) -> str:
    page = BeautifulSoup(text_of(client, url), "html.parser")
    return " ".join(
        script.get_text()
        for script in page.select('script[type="application/ld+json"]')
    )


def every_sitemap(client) -> str:
    from cms.urls import sitemaps

    return " ".join(
        text_of(client, reverse("sitemaps", args=[section])) for section in sitemaps
    ) + text_of(client, reverse("sitemap"))


def feeds(client, names, **kwargs) -> str:
    return " ".join(
        text_of(client, reverse(f"articles:{name}", kwargs=kwargs)) for name in names
    )


# Channel: what a reader can fetch, as text. Each shows the public article.
CHANNELS = {
    "home": lambda c, w: text_of(c, reverse("articles:home")),
    "section page": lambda c, w: text_of(c, w["section"].get_absolute_url()),
    "tag page": lambda c, w: text_of(c, w["tag"].get_absolute_url()),
    "author page": lambda c, w: text_of(c, w["author"].get_absolute_url()),
    "expert page": lambda c, w: text_of(c, w["expert"].get_absolute_url()),
    "search": lambda c, w: text_of(c, reverse("articles:search") + "?q=zebracorn"),
    "site feeds": lambda c, w: feeds(c, ["feed_rss", "feed_atom"]),
    "section feeds": lambda c, w: feeds(
        c, ["section_feed_rss", "section_feed_atom"], slug=w["section"].slug
    ),
    "author feeds": lambda c, w: feeds(
        c, ["author_feed_rss", "author_feed_atom"], slug=w["author"].slug
    ),
    "sitemaps": lambda c, w: every_sitemap(c),
    # Body links and the related block of a public article that points at them all.
    "public article page": lambda c, w: text_of(c, w["public"].get_absolute_url()),
    "structured data": lambda c, w: " ".join(
        json_ld(c, obj.get_absolute_url())
        for obj in (w["public"], w["section"], w["author"], w["expert"])
    ),
}


@pytest.mark.parametrize("channel", CHANNELS)
def test_anonymous_readers_see_no_article_that_is_not_live(client, world, channel):
    shown = CHANNELS[channel](client, world).lower()

    assert any(marker in shown for marker in markers("public")), channel
    for label in HIDDEN_STATES:
        for marker in markers(label):
            assert marker not in shown, f"{channel} shows the {label} article"


@pytest.mark.parametrize("label", HIDDEN_STATES)
def test_the_address_of_an_article_that_is_not_live_shows_nothing(client, world, label):
    response = client.get(world["hidden"][label].get_absolute_url())

    assert response.status_code in (404, 410)
    assert markers(label)[0] not in response.content.decode().lower()


@pytest.mark.parametrize("label", ["draft", "scheduled"])
def test_a_bare_link_does_not_name_an_article_that_was_never_live(client, label):
    target = ArticleFactory(title=f"Zebracorn {label}", **in_state(label))
    page = ArticleFactory(published=True, body=f"See [[article:{target.pk}]].")

    shown = client.get(page.get_absolute_url()).content.decode().lower()

    assert markers(label)[0] not in shown
