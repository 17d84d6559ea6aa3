from datetime import timedelta
from xml.etree import ElementTree

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CategoryFactory,
    ExpertFactory,
    ListItemFactory,
    image_file,
)

pytestmark = pytest.mark.django_db

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "image": "http://www.google.com/schemas/sitemap-image/1.1",
}
ORIGIN = "http://testserver"


def xml(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ElementTree.fromstring(response.content)


def locations(client, section):
    root = xml(client, f"/sitemaps/{section}.xml")
    return [loc.text for loc in root.findall("sm:url/sm:loc", NS)]


def test_index_lists_the_five_sitemaps(client):
    root = xml(client, "/sitemap.xml")
    assert root.tag == f"{{{NS['sm']}}}sitemapindex"
    assert [loc.text for loc in root.findall("sm:sitemap/sm:loc", NS)] == [
        f"{ORIGIN}/sitemaps/{name}.xml"
        for name in ("articles", "sections", "authors", "experts", "legal")
    ]


def test_legal_sitemap_lists_the_legal_pages(client):
    assert locations(client, "legal") == [
        f"{ORIGIN}/legal/{name}/"
        for name in ("privacy", "terms", "cookies", "accessibility")
    ]


def test_article_sitemap_lists_exactly_the_published_articles(client):
    published = ArticleFactory(published=True)
    ArticleFactory(title="Draft")
    ArticleFactory(
        published=True,
        expires_at=timezone.now() - timedelta(minutes=1),
        published_at=timezone.now() - timedelta(hours=2),
    )
    assert locations(client, "articles") == [f"{ORIGIN}{published.get_absolute_url()}"]


def test_scheduled_article_is_absent_until_its_time(client):
    now = timezone.now()
    scheduled = ArticleFactory(
        status=Article.Status.PUBLISHED, published_at=now + timedelta(hours=3)
    )
    url = f"{ORIGIN}{scheduled.get_absolute_url()}"
    assert url not in locations(client, "articles")
    with time_machine.travel(now + timedelta(hours=3, minutes=1), tick=False):
        assert url in locations(client, "articles")


def test_lastmod_is_the_articles_real_modification_time(client):
    article = ArticleFactory(published=True)
    Article.objects.filter(pk=article.pk).update(
        modified_at=timezone.now() - timedelta(days=10)
    )
    article.refresh_from_db()
    root = xml(client, "/sitemaps/articles.xml")
    lastmod = root.find("sm:url/sm:lastmod", NS).text
    assert lastmod.startswith(
        timezone.localtime(article.modified_at).date().isoformat()
    )


def test_article_images_are_listed(client):
    article = ArticleFactory(
        published=True, hero_image=image_file("hero.png"), hero_alt="A baby"
    )
    item = ListItemFactory(
        article=article, image=image_file("cap.png"), image_alt="Flaky scalp"
    )
    ListItemFactory(article=article)  # no image
    root = xml(client, "/sitemaps/articles.xml")
    images = [loc.text for loc in root.findall("sm:url/image:image/image:loc", NS)]
    assert images == [
        f"{ORIGIN}{article.hero_image.file.url}",
        f"{ORIGIN}{item.image.file.url}",
    ]


def test_section_sitemap_lists_sections_with_lastmod_from_their_articles(client):
    baby = CategoryFactory(slug="baby")
    sleep = CategoryFactory(slug="baby-sleep", parent=baby)
    ArticleFactory(published=True, category=sleep)
    empty = CategoryFactory(slug="empty")
    root = xml(client, "/sitemaps/sections.xml")
    urls = {
        url.find("sm:loc", NS).text: url.find("sm:lastmod", NS)
        for url in root.findall("sm:url", NS)
    }
    assert set(urls) == {
        f"{ORIGIN}/baby/",
        f"{ORIGIN}/baby-sleep/",
        f"{ORIGIN}{empty.get_absolute_url()}",
    }
    assert urls[f"{ORIGIN}/baby/"] is not None
    assert urls[f"{ORIGIN}{empty.get_absolute_url()}"] is None


def test_author_sitemap_lists_authors_with_published_articles(client):
    writer = AuthorFactory()
    ArticleFactory(published=True, authors=[writer])
    ArticleFactory(published=True, authors=[writer])
    drafter = AuthorFactory()
    ArticleFactory(authors=[drafter])
    assert locations(client, "authors") == [f"{ORIGIN}{writer.get_absolute_url()}"]


def test_expert_sitemap_lists_active_experts(client):
    active = ExpertFactory()
    ExpertFactory(is_active=False)
    assert locations(client, "experts") == [f"{ORIGIN}{active.get_absolute_url()}"]


def test_sitemap_query_count_is_fixed(client, django_assert_max_num_queries):
    for n in range(15):
        article = ArticleFactory(
            published=True, hero_image=image_file(f"h{n}.png"), hero_alt="x"
        )
        ListItemFactory(article=article, image=image_file(f"i{n}.png"), image_alt="y")
    with django_assert_max_num_queries(3):
        assert len(locations(client, "articles")) == 15
    # A count and a latest modification time per sitemap, whatever the content.
    with django_assert_max_num_queries(8):
        xml(client, "/sitemap.xml")


def test_articles_are_not_counted_on_every_request_but_a_publish_shows_at_once(
    client, django_capture_on_commit_callbacks
):
    ArticleFactory(published=True)
    xml(client, "/sitemap.xml")
    with CaptureQueriesContext(connection) as queries:
        xml(client, "/sitemap.xml")
        locations(client, "articles")
    counts = 'COUNT(*) AS "__count" FROM "articles_article"'
    assert not [query for query in queries if counts in query["sql"]]

    draft = ArticleFactory(title="Fresh")
    draft.status = Article.Status.PUBLISHED
    with django_capture_on_commit_callbacks(execute=True):
        draft.save()
    assert draft.get_absolute_url() in " ".join(locations(client, "articles"))


def test_robots_txt_points_at_the_sitemap_and_keeps_out_admin_and_previews(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /preview/" in lines
    assert f"Sitemap: {ORIGIN}/sitemap.xml" in lines
