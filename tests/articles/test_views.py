from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import (
    ArticleFactory,
    ArticleQuoteFactory,
    AuthorFactory,
    AuthorLinkFactory,
    CategoryFactory,
    ExpertFactory,
    ListItemFactory,
    QuoteFactory,
    RelatedLinkFactory,
    TagFactory,
    image_file,
)

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


@pytest.fixture
def full_article():
    """A published article with every part the reference article has."""
    parent = CategoryFactory(name="Baby", slug="baby")
    section = CategoryFactory(name="Health", slug="baby-health", parent=parent)
    author = AuthorFactory(
        display_name="Priya Lang", bio="Priya writes about **newborn care**."
    )
    AuthorLinkFactory(author=author, label="Instagram")
    expert = ExpertFactory(
        honorific="Dr",
        name="Amara Okafor",
        job_title="Consultant Paediatrician",
        organisation="Harbour Children's Hospital",
    )
    quote = QuoteFactory(
        expert=expert, text="Most newborn spots fade without treatment."
    )
    article = ArticleFactory(
        published=True,
        category=section,
        title="Newborn rashes explained",
        slug="newborn-rashes",
        standfirst="Which spots are normal and when to get help.",
        hero_image=image_file("hero.png", size=(160, 90)),
        hero_alt="A sleeping baby",
        hero_caption="Most rashes are harmless",
        list_heading="Other skin complaints",
        body=(
            "## What is it?\n\nIntro text.\n\n"
            f"{quote.reference}\n\n"
            "## When to call 999\n\nIf a rash does not fade under a glass, call 999."
        ),
        authors=[author],
    )
    ArticleQuoteFactory(article=article, quote=quote)
    article.tags.add(TagFactory(name="Skin"))
    ListItemFactory(
        article=article,
        position=1,
        heading="Cradle cap",
        image=image_file("cap.png", size=(120, 80)),
        image_alt="Flaky scalp",
        text="Scaly patches on the scalp.",
    )
    ListItemFactory(
        article=article, position=2, heading="Heat rash", text="Tiny red spots."
    )
    target = ArticleFactory(published=True, title="Nappy rash guide")
    RelatedLinkFactory(article=article, target_article=target, label="Now read")
    RelatedLinkFactory(
        article=article,
        target_article=None,
        url="https://example.org/skin",
        title="Skin care leaflet",
    )
    RelatedLinkFactory(
        article=article, target_article=ArticleFactory(title="Hidden draft")
    )
    return article


def test_article_page_shows_every_part(client, full_article):
    response = client.get(full_article.get_absolute_url())
    assert response.status_code == 200
    page = soup(response)

    assert [h.get_text() for h in page.find_all("h1")] == ["Newborn rashes explained"]
    assert page.select_one(".standfirst").get_text() == full_article.standfirst
    byline = page.select_one(".byline a[rel=author]")
    assert byline.get_text() == "Priya Lang"
    assert byline["href"] == full_article.byline[0].get_absolute_url()
    assert page.select_one(".dates time")["datetime"].startswith(
        str(timezone.localtime(full_article.published_at).date())
    )

    hero = page.select_one("figure.hero img")
    assert hero["alt"] == "A sleeping baby"
    assert (hero["width"], hero["height"]) == ("160", "90")
    assert (
        page.select_one("figure.hero figcaption").get_text()
        == "Most rashes are harmless"
    )

    figure = page.select_one(".prose figure.quote")
    assert "Most newborn spots fade" in figure.blockquote.get_text()
    caption = figure.figcaption
    assert "Dr Amara Okafor" in caption.get_text()
    assert (
        "Consultant Paediatrician at Harbour Children's Hospital" in caption.get_text()
    )
    expert = full_article.article_quotes.get().quote.expert
    assert caption.a["href"] == expert.get_absolute_url()

    items = page.select("ol.numbered-list > li")
    assert [li.h3.get_text(" ", strip=True) for li in items] == [
        "1 Cradle cap",
        "2 Heat rash",
    ]
    expand = items[0].select_one("a[data-viewer]")
    assert expand["href"].endswith(".png")
    assert expand.img["alt"] == "Flaky scalp"
    assert page.select_one("#list-heading").get_text() == "Other skin complaints"

    related = page.select_one("aside.related")
    assert related["aria-labelledby"] == "related-heading"
    assert related.h2.get_text() == "Related content"
    links = [(a.get_text(), a["href"]) for a in related.select("a")]
    assert ("Nappy rash guide", full_article.related_links.first().link_url) in links
    assert ("Skin care leaflet", "https://example.org/skin") in links
    assert "Hidden draft" not in related.get_text()
    assert "Now read:" in related.get_text()

    bio = page.select_one(".author-bio")
    assert "newborn care" in bio.get_text()
    assert page.select_one(".tags a").get_text() == "Skin"
    assert "call 999" in page.select_one(".prose").get_text()


def test_table_of_contents_links_point_at_body_headings(client, full_article):
    page = soup(client.get(full_article.get_absolute_url()))
    toc = page.select_one("nav.toc")
    assert toc["aria-labelledby"] == "toc-heading"
    assert page.select_one("#toc-heading").get_text() == "In this article"
    targets = [a["href"] for a in toc.select("a")]
    assert targets == ["#what-is-it", "#when-to-call-999", "#list-heading"]
    for target in targets:
        assert page.select_one(target) is not None, target
    body_h2_ids = [h["id"] for h in page.select(".prose > h2")]
    assert body_h2_ids == ["what-is-it", "when-to-call-999"]


def test_article_page_query_count_is_flat(
    client, django_assert_max_num_queries, django_assert_num_queries, full_article
):
    for position in range(3, 13):
        ListItemFactory(article=full_article, position=position)
        RelatedLinkFactory(article=full_article)
    # Rendering the page: 9 for the article and its parts (the curated links fill the
    # related block), the rest to store it and what it shows.
    with django_assert_num_queries(15):
        client.get(full_article.get_absolute_url())
    # Every later reader: the article with its stored page, nothing else.
    with django_assert_num_queries(1):
        response = client.get(full_article.get_absolute_url())
    assert len(soup(response).select("ol.numbered-list > li")) == 12


@pytest.mark.parametrize(
    "body",
    [
        "<script>alert('x')</script>Hello",
        '<img src="x.png" onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">click</a>',
        '<p onclick="alert(1)">Hi</p>',
    ],
)
def test_editor_script_never_reaches_the_page(client, body):
    article = ArticleFactory(published=True, body=f"## Safe\n\n{body}")
    html = client.get(article.get_absolute_url()).content.decode()
    prose = str(soup_text(html).select_one(".prose"))
    assert "<script>alert" not in prose
    assert "javascript:" not in prose
    assert "onerror" not in prose and "onclick" not in prose


def soup_text(html):
    return BeautifulSoup(html, "html.parser")


def test_draft_article_is_404_for_anonymous(client):
    article = ArticleFactory(status=Article.Status.DRAFT)
    assert client.get(article.get_absolute_url()).status_code == 404


def test_draft_article_is_404_at_the_public_url_even_for_staff(admin_client):
    article = ArticleFactory(status=Article.Status.DRAFT)
    assert admin_client.get(article.get_absolute_url()).status_code == 404


def test_scheduled_article_is_404_until_its_time(client):
    article = ArticleFactory(
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() + timedelta(hours=2),
    )
    assert client.get(article.get_absolute_url()).status_code == 404


def test_unknown_slug_and_wrong_section_are_404(client):
    article = ArticleFactory(published=True)
    other = CategoryFactory()
    assert client.get(f"/{article.category.slug}/no-such-article/").status_code == 404
    assert client.get(f"/{other.slug}/{article.slug}/").status_code == 404


def test_home_lists_latest_published_articles_only(
    client, django_assert_max_num_queries
):
    older = ArticleFactory(published=True, title="Older piece")
    newer = ArticleFactory(
        published=True,
        title="Newer piece",
        published_at=timezone.now() - timedelta(minutes=5),
    )
    ArticleFactory(title="Secret draft")
    for _ in range(5):
        ArticleFactory(published=True, published_at=timezone.now() - timedelta(days=2))
    # Featured (2), latest page (3), section blocks (2), the header's sections (1):
    # see tests/articles/test_home.py.
    with django_assert_max_num_queries(8):
        response = client.get(reverse("articles:home"))
    titles = [a.get_text() for a in soup(response).select(".card h2 a")]
    assert titles[:2] == [newer.title, older.title]
    assert "Secret draft" not in titles
    assert len(titles) == 7


def test_section_page_lists_its_and_its_subsections_articles(client):
    parent = CategoryFactory(name="Baby", slug="baby")
    child = CategoryFactory(name="Health", slug="baby-health", parent=parent)
    in_child = ArticleFactory(published=True, category=child)
    in_parent = ArticleFactory(published=True, category=parent)
    elsewhere = ArticleFactory(published=True)
    page = soup(client.get(parent.get_absolute_url()))
    titles = {a.get_text() for a in page.select(".card h2 a")}
    assert titles == {in_child.title, in_parent.title}
    assert elsewhere.title not in titles


@pytest.mark.parametrize("page", ["0", "99", "abc"])
def test_section_page_out_of_range_is_404(client, page):
    category = CategoryFactory()
    ArticleFactory(published=True, category=category)
    assert client.get(category.get_absolute_url(), {"page": page}).status_code == 404


def test_tag_page_lists_tagged_published_articles(client):
    tag = TagFactory(name="Sleep")
    tagged = ArticleFactory(published=True)
    tagged.tags.add(tag)
    draft = ArticleFactory()
    draft.tags.add(tag)
    page = soup(client.get(tag.get_absolute_url()))
    assert [a.get_text() for a in page.select(".card h2 a")] == [tagged.title]


def test_author_page_shows_profile_and_published_articles(client):
    author = AuthorFactory(display_name="Sam Reid", job_title="Health Editor")
    AuthorLinkFactory(author=author, label="Website", url="https://sam.example")
    mine = ArticleFactory(published=True, authors=[author])
    ArticleFactory(authors=[author], title="Unpublished thoughts")
    response = client.get(author.get_absolute_url())
    page = soup(response)
    assert page.h1.get_text() == "Sam Reid"
    assert "Health Editor" in page.select_one(".role").get_text()
    assert page.select_one(".profile-links a")["href"] == "https://sam.example"
    assert [a.get_text() for a in page.select(".card h2 a")] == [mine.title]


def test_unknown_author_tag_and_section_are_404(client):
    assert client.get("/authors/nobody/").status_code == 404
    assert client.get("/tags/nothing/").status_code == 404
    assert client.get("/no-such-section/").status_code == 404
