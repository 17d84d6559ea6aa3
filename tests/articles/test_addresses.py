"""Links typed as addresses of this site's articles become references on save."""

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError

from articles.addresses import link_articles
from articles.models import Article, ListItem, RelatedLink
from articles.services import article_unpublish
from tests.articles.test_admin import ADD_URL, article_post_data, bylines
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    ListItemFactory,
    TagFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def target():
    return ArticleFactory(published=True, title="Cradle cap", slug="cradle-cap")


def address(article) -> str:
    return article.get_absolute_url()


@pytest.mark.parametrize(
    "typed",
    [
        "Read more: [our guide]({url}).",
        'Read more: [our guide]({url} "Cradle cap").',
        "Read more: [our guide](http://localhost{url}).",
        "Read more: [our guide](https://127.0.0.1{url}).",
        "Read more: [our guide][guide].\n\n[guide]: {url}",
        'Read more: <a href="{url}">our guide</a>.',
    ],
    ids=["path", "titled", "full-url", "https-host", "reference-style", "html"],
)
def test_a_typed_address_of_an_article_becomes_a_reference(target, typed):
    text, problems = link_articles(typed.format(url=address(target)))

    assert problems == []
    assert text.strip() == f"Read more: [[article:{target.pk}|our guide]]."


def test_an_autolink_becomes_a_reference_showing_the_title(target):
    text, _ = link_articles(f"See <http://localhost{address(target)}>.")

    assert text == f"See [[article:{target.pk}]]."


def test_an_old_address_of_a_renamed_article_becomes_a_reference_to_it(target):
    old = address(target)
    target.slug = "cradle-cap-explained"
    target.save()

    text, problems = link_articles(f"[guide]({old})")

    assert (text, problems) == (f"[[article:{target.pk}|guide]]", [])


@pytest.mark.parametrize(
    "kept",
    [
        "[NHS](https://www.nhs.uk/conditions/cradle-cap/)",
        "[a section]({url}#treatment)",
        "`[code]({url})`",
        "```\n[code]({url})\n```",
        "![a picture](/media/cradle-cap.jpg)",
    ],
    ids=["external", "fragment", "code-span", "fenced-code", "image"],
)
def test_other_links_are_kept_as_typed(target, kept):
    typed = kept.format(url=address(target))

    text, problems = link_articles(typed)

    assert (text, problems) == (typed, [])


def test_links_to_other_pages_of_the_site_are_kept(target):
    tag = TagFactory(slug="skin")
    typed = (
        f"[All skin guides]({tag.get_absolute_url()}), [search](/search/?q=rash) "
        "and [the leaflet](/media/uploads/2026/12/leaflet.pdf)"
    )

    assert link_articles(typed) == (typed, [])


@pytest.mark.parametrize(
    "url", ["/baby-health/no-such-article/", "/no/such/page/at/all/", "/tags/none/"]
)
def test_a_site_address_with_nothing_there_is_refused_naming_it(url):
    _, problems = link_articles(f"Intro.\n\nSee [this]({url}).")

    assert problems == [
        f"Line 3: {url} is an address on this site, but no article or page is there: "
        "check the address, or link with “Link to an article”."
    ]


def test_saving_through_the_admin_stores_the_reference(admin_client, target):
    data = article_post_data(
        body=f"## Scalp\n\nRead more: [our guide]({address(target)}).",
        **bylines(AuthorFactory()),
    )

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 302
    article = Article.objects.get(slug="nappy-rash")
    assert f"[[article:{target.pk}|our guide]]" in article.body
    assert [ref.target_article for ref in article.body_references.links()] == [target]


def test_the_admin_refuses_a_dead_site_address_and_keeps_the_typing(admin_client):
    body = "## Scalp\n\nSee [this](/baby-health/gone-missing/)."
    data = article_post_data(body=body, **bylines(AuthorFactory()))

    response = admin_client.post(ADD_URL, data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "/baby-health/gone-missing/ is an address on this site" in page
    assert (
        "gone-missing"
        in BeautifulSoup(page, "html.parser")
        .select_one("textarea[name=body]")
        .get_text()
    )
    assert not Article.objects.filter(slug="nappy-rash").exists()


def test_a_list_item_links_by_reference_and_loses_the_link_when_unpublished(
    client, target
):
    article = ArticleFactory(published=True, list_heading="Other rashes")
    item = ListItemFactory.build(
        article=article, text=f"Read more: [our guide]({address(target)})."
    )
    item.full_clean()
    item.save()

    assert item.text == f"Read more: [[article:{target.pk}|our guide]]."
    page = BeautifulSoup(client.get(address(article)).content, "html.parser")
    assert page.select_one(f".numbered-list a[href='{address(target)}']")

    article_unpublish(article=target, by=UserFactory(superuser=True))

    page = BeautifulSoup(client.get(address(article)).content, "html.parser")
    text = page.select_one(".numbered-list .prose")
    assert text.get_text(strip=True) == "Read more: our guide."
    assert not text.select("a")


def test_deleting_a_list_item_forgets_its_links(target):
    article = ArticleFactory()
    item = ListItem(
        article=article, heading="Cradle cap", text=f"[[article:{target.pk}]]"
    )
    item.save()
    assert list(article.body_references.links())

    item.delete()

    assert not list(article.body_references.links())


def test_a_related_link_typed_as_an_address_links_the_article(target):
    link = RelatedLink(
        article=ArticleFactory(), url=f"http://localhost{address(target)}"
    )

    link.full_clean()

    assert (link.target_article, link.url) == (target, "")


def test_a_related_link_to_a_dead_site_address_is_refused():
    link = RelatedLink(article=ArticleFactory(), url="/baby-health/nowhere/", title="x")

    with pytest.raises(ValidationError) as refused:
        link.full_clean()

    assert "no article or page is there" in str(refused.value.message_dict["url"])
