from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from tests.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def ago(**kwargs):
    return timezone.now() - timedelta(**kwargs)


def test_featured_article_is_the_one_editors_chose(client):
    chosen = ArticleFactory(published=True, is_featured=True, published_at=ago(days=3))
    ArticleFactory(published=True, published_at=ago(minutes=5))
    page = soup(client.get(reverse("articles:home")))
    featured = page.select(".home-featured .card-lead h2 a")
    assert [a.get_text() for a in featured] == [chosen.title]
    others = [a.get_text() for a in page.select(".card:not(.card-lead) h2 a")]
    assert chosen.title not in others


def test_without_a_choice_the_latest_article_is_featured(client):
    ArticleFactory(published=True, published_at=ago(days=1))
    newest = ArticleFactory(published=True, published_at=ago(minutes=5))
    page = soup(client.get(reverse("articles:home")))
    assert page.select_one(".home-featured .card-lead h2 a").get_text() == newest.title


def test_a_featured_draft_or_scheduled_article_is_not_shown(client):
    ArticleFactory(is_featured=True, title="Featured draft")
    ArticleFactory(
        is_featured=True,
        title="Featured later",
        status="published",
        published_at=timezone.now() + timedelta(hours=1),
    )
    public = ArticleFactory(published=True)
    html = client.get(reverse("articles:home")).content.decode()
    assert "Featured draft" not in html and "Featured later" not in html
    assert public.title in soup_text(html).select_one(".home-featured").get_text()


def test_home_leads_with_one_story_two_beside_it_and_a_grid_of_the_rest(client):
    lead = ArticleFactory(published=True, published_at=ago(minutes=1))
    rest = [
        ArticleFactory(published=True, published_at=ago(hours=h)) for h in range(1, 7)
    ]
    page = soup(client.get(reverse("articles:home")))

    titles = [a.get_text() for a in page.select(".home-featured .card-lead h2 a")]
    assert titles == [lead.title]
    beside = page.select(".home-featured .front-secondary .card h2 a")
    assert [a.get_text() for a in beside] == [a.title for a in rest[:2]]
    grid = page.select(".home-latest .cards > .card h2 a")
    assert [a.get_text() for a in grid] == [a.title for a in rest[2:]]
    assert page.select_one(".home-latest h2").get_text() == "Latest advice"


def test_section_front_leads_with_its_newest_article_then_a_grid(client):
    section = CategoryFactory(name="Toddler", slug="toddler")
    newest = ArticleFactory(published=True, category=section, published_at=ago(hours=1))
    older = [
        ArticleFactory(published=True, category=section, published_at=ago(days=d))
        for d in range(1, 4)
    ]
    page = soup(client.get(section.get_absolute_url()))
    assert page.select_one(".front-lead .card-lead h2 a").get_text() == newest.title
    grid = [a.get_text() for a in page.select(".cards > .card h2 a")]
    assert grid == [a.title for a in older]


def test_a_section_with_one_article_shows_it_as_the_lead_alone(client):
    section = CategoryFactory(name="Pregnancy", slug="pregnancy")
    only = ArticleFactory(published=True, category=section)
    page = soup(client.get(section.get_absolute_url()))
    assert page.select_one(".card-lead h2 a").get_text() == only.title
    assert not page.select(".cards")


def test_a_section_front_past_its_first_page_has_no_lead(client):
    section = CategoryFactory(name="Baby", slug="baby")
    for hours in range(1, 23):
        ArticleFactory(published=True, category=section, published_at=ago(hours=hours))
    page = soup(client.get(section.get_absolute_url(), {"page": "2"}))
    assert not page.select(".card-lead")
    assert len(page.select(".cards > .card")) == 2


def soup_text(html):
    return BeautifulSoup(html, "html.parser")


def test_home_has_a_block_per_top_level_section_with_its_newest_articles(client):
    baby = CategoryFactory(name="Baby", slug="baby", position=1)
    sleep = CategoryFactory(name="Sleep", slug="baby-sleep", parent=baby)
    toddler = CategoryFactory(name="Toddler", slug="toddler", position=2)
    CategoryFactory(name="Empty", slug="empty", position=3)
    in_sub = ArticleFactory(published=True, category=sleep, published_at=ago(hours=2))
    for hours in range(3, 8):
        ArticleFactory(published=True, category=baby, published_at=ago(hours=hours))
    in_toddler = ArticleFactory(published=True, category=toddler)
    ArticleFactory(category=toddler, title="Toddler draft")

    page = soup(client.get(reverse("articles:home")))
    blocks = page.select(".home-section")
    assert [b.h2.get_text() for b in blocks] == ["Baby", "Toddler"]
    baby_titles = [a.get_text() for a in blocks[0].select("h3 a")]
    assert len(baby_titles) == 4 and baby_titles[0] == in_sub.title
    assert [a.get_text() for a in blocks[1].select("h3 a")] == [in_toddler.title]
    assert blocks[0].select_one(".more a")["href"] == baby.get_absolute_url()


def test_home_query_count_is_fixed(client, django_assert_max_num_queries):
    for n in range(4):
        section = CategoryFactory()
        for _ in range(6):
            ArticleFactory(published=True, category=section, published_at=ago(hours=n))
    ArticleFactory(published=True, is_featured=True)
    # Featured (2), latest page (3), section blocks (2), the header's sections (1).
    with django_assert_max_num_queries(8):
        response = client.get(reverse("articles:home"))
    assert response.status_code == 200


def test_home_paginates_with_clean_links(client):
    for hours in range(1, 24):
        ArticleFactory(published=True, published_at=ago(hours=hours))
    page = soup(client.get(reverse("articles:home")))
    assert page.select_one(".pagination a[rel=next]")["href"] == "?page=2"
    second = client.get(reverse("articles:home"), {"page": "2"})
    assert second.status_code == 200
    page2 = soup(second)
    # 23 articles: one featured, 20 on the first page of the latest, 2 on the second.
    assert len(page2.select(".card h2 a")) == 2
    assert page2.select_one(".pagination a[rel=prev]")["href"] == "/"
    assert not page2.select(".home-section") and not page2.select(".home-featured")
    assert "page 2" in page2.title.get_text()


@pytest.mark.parametrize("value", ["0", "3", "abc", "last", "-1", "1.5"])
def test_home_page_out_of_range_or_not_a_number_is_404(client, value):
    ArticleFactory(published=True)
    assert client.get(reverse("articles:home"), {"page": value}).status_code == 404


def test_empty_home_still_renders(client):
    response = client.get(reverse("articles:home"))
    assert response.status_code == 200
    assert "No articles here yet" in response.content.decode()


def test_section_page_lists_its_sub_sections(client):
    baby = CategoryFactory(name="Baby", slug="baby")
    CategoryFactory(name="Sleep", slug="baby-sleep", parent=baby)
    page = soup(client.get(baby.get_absolute_url()))
    links = [a.get_text() for a in page.select(".subsections a")]
    assert links == ["Sleep"]


def test_editors_feature_an_article_in_the_admin(admin_client):
    html = admin_client.get(reverse("admin:articles_article_add")).content.decode()
    assert 'name="is_featured"' in html
