from datetime import timedelta

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from articles import feeds
from articles.models import Article, Author, Category
from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory, image_file

pytestmark = pytest.mark.django_db

FEEDS = [
    ("articles:feed_rss", "rss20"),
    ("articles:feed_atom", "atom10"),
]


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


@pytest.mark.parametrize(("name", "version"), FEEDS)
def test_site_feed_lists_published_articles_newest_first(client, name, version):
    author = AuthorFactory(display_name="Priya Lang")
    older = ArticleFactory(
        published=True,
        title="Older & wiser: a guide",
        published_at=timezone.now() - timedelta(days=2),
        authors=[author],
    )
    newer = ArticleFactory(
        published=True,
        title="Newer piece",
        standfirst="What to expect at the first check.",
        authors=[author],
    )
    ArticleFactory(title="Secret draft")
    ArticleFactory(
        title="Scheduled",
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() + timedelta(hours=1),
    )

    feed = parse(client, reverse(name))
    assert feed.version == version
    assert [e.title for e in feed.entries] == [newer.title, older.title]
    entry = feed.entries[0]
    assert entry.link == f"http://testserver{newer.get_absolute_url()}"
    assert entry.summary == "What to expect at the first check."
    assert entry.author == "Priya Lang"
    assert entry.published_parsed is not None
    if version == "atom10":
        assert entry.updated_parsed is not None


def test_feed_has_at_most_twenty_items(client):
    for _ in range(23):
        ArticleFactory(published=True)
    assert len(parse(client, reverse("articles:feed_rss")).entries) == 20


@pytest.mark.parametrize("name", ["articles:feed_rss", "articles:feed_atom"])
def test_hero_image_is_an_enclosure_with_its_size_and_type(client, name):
    article = ArticleFactory(
        published=True,
        hero_image=image_file("hero.png", size=(160, 90)),
        hero_alt="A baby",
    )
    ArticleFactory(published=True, title="No picture")
    feed = parse(client, reverse(name))
    by_title = {e.title: e for e in feed.entries}
    (enclosure,) = by_title[article.title].enclosures
    assert enclosure.href == f"http://testserver{article.hero_image.file.url}"
    assert enclosure.type == "image/png"
    assert int(enclosure.length) == article.hero_image.file.size > 0
    assert by_title["No picture"].enclosures == []


@pytest.mark.parametrize("name", ["articles:feed_rss", "articles:feed_atom"])
def test_once_renditions_are_made_the_enclosure_is_the_largest_not_the_upload(
    client, name, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory(
            published=True,
            hero_image=image_file("hero.png", size=(2000, 1000)),
            hero_alt="A baby",
        )
    (enclosure,) = parse(client, reverse(name)).entries[0].enclosures
    path = enclosure.href.removeprefix("http://testserver")
    assert path.startswith(settings.MEDIA_URL + "renditions/")
    assert path.endswith("hero-1600w-" + path.rsplit("-", 1)[1])
    assert enclosure.type == "image/png"
    stored = default_storage.size(path.removeprefix(settings.MEDIA_URL))
    assert int(enclosure.length) == stored > 0
    assert article.hero_image.file.url not in enclosure.href


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_section_feed_lists_the_section_and_its_sub_sections(client, kind):
    baby = CategoryFactory(name="Baby", slug="baby")
    sleep = CategoryFactory(name="Sleep", slug="baby-sleep", parent=baby)
    in_sub = ArticleFactory(published=True, category=sleep)
    in_baby = ArticleFactory(published=True, category=baby)
    ArticleFactory(published=True, title="Elsewhere")
    feed = parse(client, reverse(f"articles:section_feed_{kind}", args=["baby"]))
    assert {e.title for e in feed.entries} == {in_sub.title, in_baby.title}
    assert "Baby" in feed.feed.title


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_author_feed_lists_their_published_articles(client, kind):
    author = AuthorFactory(slug="sam-reid", display_name="Sam Reid")
    mine = ArticleFactory(published=True, authors=[author])
    ArticleFactory(authors=[author], title="Their draft")
    ArticleFactory(published=True, title="Someone else's")
    feed = parse(client, reverse(f"articles:author_feed_{kind}", args=["sam-reid"]))
    assert [e.title for e in feed.entries] == [mine.title]
    assert "Sam Reid" in feed.feed.title


def test_unknown_section_or_author_feed_is_404(client):
    assert client.get("/feeds/no-such-section/rss/").status_code == 404
    assert client.get("/feeds/authors/nobody/atom/").status_code == 404


def test_feed_urls():
    assert reverse("articles:feed_rss") == "/feeds/rss/"
    assert reverse("articles:feed_atom") == "/feeds/atom/"
    assert reverse("articles:section_feed_rss", args=["baby"]) == "/feeds/baby/rss/"
    assert (
        reverse("articles:author_feed_atom", args=["sam"]) == "/feeds/authors/sam/atom/"
    )


def test_pages_link_to_their_feeds(client):
    section = CategoryFactory(slug="baby")
    author = AuthorFactory(slug="sam")
    html = client.get(section.get_absolute_url()).content.decode()
    assert 'type="application/rss+xml"' in html and 'href="/feeds/rss/"' in html
    assert 'href="/feeds/atom/"' in html and 'href="/feeds/baby/rss/"' in html
    html = client.get(author.get_absolute_url()).content.decode()
    assert 'href="/feeds/authors/sam/atom/"' in html


@pytest.mark.parametrize("name", ["articles:feed_rss", "articles:feed_atom"])
def test_feed_query_count_is_fixed(client, django_assert_max_num_queries, name):
    for n in range(20):
        ArticleFactory(
            published=True,
            hero_image=image_file(f"hero{n}.png"),
            hero_alt="A picture",
            authors=[AuthorFactory(), AuthorFactory()],
        )
    with django_assert_max_num_queries(2):
        feed = parse(client, reverse(name))
    assert len(feed.entries) == 20


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_item_id_is_a_tag_uri_kept_when_the_article_is_renamed_or_moved(client, kind):
    article = ArticleFactory(published=True, slug="cradle-cap")
    url = reverse(f"articles:feed_{kind}")
    (entry,) = parse(client, url).entries
    assert entry.id == f"tag:testserver,{feeds.ITEM_ID_YEAR}:article:{article.pk}"
    if kind == "rss":
        assert entry.guidislink is False

    article.slug = "cradle-cap-in-babies"
    article.category = CategoryFactory(slug="skin")
    article.save()
    (entry,) = parse(client, url).entries
    assert entry.id == f"tag:testserver,{feeds.ITEM_ID_YEAR}:article:{article.pk}"
    assert entry.link == "http://testserver/skin/cradle-cap-in-babies/"


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_description_is_the_standfirst_as_escaped_html(client, kind):
    """Readers treat both formats' descriptions as HTML: the standfirst is plain
    text, so a reader shows its "<" and "&" as typed and runs none of it."""
    standfirst = 'Use <b>cream</b> & "wait" <script>alert(1)</script>'
    ArticleFactory(published=True, standfirst=standfirst)
    (entry,) = parse(client, reverse(f"articles:feed_{kind}")).entries
    shown = BeautifulSoup(entry.summary, "html.parser")
    assert shown.find() is None  # text only, no element
    assert shown.get_text() == standfirst


FEED_URLS = [
    "/feeds/rss/",
    "/feeds/atom/",
    "/feeds/baby/rss/",
    "/feeds/baby/atom/",
    "/feeds/authors/sam/rss/",
    "/feeds/authors/sam/atom/",
]


def _store_raw(model, pk, **values):
    """Write ``values`` with SQL, as rows stored before text was cleaned are (Django's
    own writes strip control characters)."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(f"{connection.ops.quote_name(c)} = %s" for c in values)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {columns} WHERE id = %s", [*values.values(), pk]
        )


@pytest.mark.parametrize("url", FEED_URLS)
def test_feeds_stay_valid_with_control_characters_already_stored(client, url):
    author = AuthorFactory(slug="sam")
    article = ArticleFactory(
        published=True, category=CategoryFactory(slug="baby"), authors=[author]
    )
    _store_raw(
        Article,
        article.pk,
        title="Cradle\x0b cap\x7f",
        standfirst="What\x1b to do.\x0c",
        body="Some\x01 text.",
        body_html="<p>Some\x01 text.</p>",
    )
    _store_raw(Author, author.pk, display_name="Sam\x08 Reid")
    _store_raw(Category, article.category_id, name="Ba\x1fby", description="\x02")
    assert "\x0b" in Article.objects.get(pk=article.pk).title
    feed = parse(client, url)
    (entry,) = feed.entries
    assert entry.title == "Cradle cap"
    assert entry.summary == "What to do."
    assert entry.author == "Sam Reid"
    assert "\x1f" not in feed.feed.title
