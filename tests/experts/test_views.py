from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import (
    ArticleFactory,
    ArticleQuoteFactory,
    ExpertFactory,
    QuoteFactory,
    image_file,
)

pytestmark = pytest.mark.django_db

INDEX_URL = "/experts/"


def soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def published(days_ago, **kwargs):
    return ArticleFactory(
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - timedelta(days=days_ago),
        **kwargs,
    )


def quoting(expert, article, quote=None):
    quote = quote or QuoteFactory(expert=expert)
    ArticleQuoteFactory(article=article, quote=quote)
    return quote


def reviewed_by(expert, days_ago):
    return published(
        days_ago, reviewed_by=expert, reviewed_at=timezone.localdate() - timedelta(1)
    )


def card_titles(page):
    return [h.get_text(strip=True) for h in page.select(".expert-articles .card h2")]


# The index ---------------------------------------------------------------------------


def test_index_url_is_named():
    assert reverse("experts:index") == INDEX_URL


def test_index_lists_active_experts_alphabetically_with_photo_name_and_role(client):
    ExpertFactory(honorific="Dr", name="Zara Adams", job_title="GP", organisation="")
    ExpertFactory(
        honorific="Prof",
        name="Amara Okafor",
        slug="amara-okafor",
        job_title="Consultant Paediatrician",
        organisation="Riverside Hospital",
        photo=image_file("amara.png"),
    )
    ExpertFactory(name="Ian Active", is_active=False)

    page = soup(client.get(INDEX_URL))

    names = [h.get_text(strip=True) for h in page.select(".expert-list h2")]
    assert names == ["Prof Amara Okafor", "Dr Zara Adams"]
    first = page.select_one(".expert-list li")
    assert first.select_one("h2 a")["href"] == "/experts/amara-okafor/"
    assert first.select_one(".role").get_text() == (
        "Consultant Paediatrician at Riverside Hospital"
    )
    assert first.select_one("img.portrait")["src"].endswith(".png")


def test_index_query_count_does_not_grow_with_experts(
    client, django_assert_max_num_queries
):
    ExpertFactory.create_batch(12)
    client.get(INDEX_URL)  # the header's section list is cached from here on

    with django_assert_max_num_queries(1):
        client.get(INDEX_URL)


def test_index_without_experts_says_so(client):
    assert "No experts here yet." in client.get(INDEX_URL).content.decode()


# An expert's page --------------------------------------------------------------------


def test_expert_page_shows_name_role_and_credentials(client):
    expert = ExpertFactory(
        honorific="Dr",
        name="Leila Haddad",
        job_title="Consultant Dermatologist",
        organisation="Northgate Skin Clinic",
        credentials="MBBS, MRCP",
        bio="Specialises in *childhood eczema*.",
    )
    response = client.get(expert.get_absolute_url())
    page = BeautifulSoup(response.content.decode(), "html.parser")
    assert page.h1.get_text() == "Dr Leila Haddad"
    assert (
        page.select_one(".role").get_text()
        == "Consultant Dermatologist at Northgate Skin Clinic"
    )
    assert page.select_one(".credentials").get_text() == "MBBS, MRCP"
    assert page.select_one("em").get_text() == "childhood eczema"


def test_expert_page_shows_photo_and_website(client):
    expert = ExpertFactory(
        photo=image_file("leila.png"), website="https://example.org/leila"
    )

    page = soup(client.get(expert.get_absolute_url()))

    assert page.select_one(".profile img.portrait")["src"].endswith(".png")
    assert page.select_one('.profile a[href="https://example.org/leila"]')


def test_unknown_expert_is_404(client):
    assert client.get("/experts/nobody/").status_code == 404


def test_inactive_expert_keeps_their_page(client):
    expert = ExpertFactory(is_active=False)

    assert client.get(expert.get_absolute_url()).status_code == 200


def test_expert_page_lists_published_articles_quoting_or_reviewed_newest_first(client):
    expert = ExpertFactory()
    quoting(expert, published(3, title="Older quote"))
    reviewed_by(expert, 1)
    Article.objects.filter(reviewed_by=expert).update(title="Newest review")
    quoting(expert, published(2, title="Middle quote"))

    page = soup(client.get(expert.get_absolute_url()))

    assert card_titles(page) == ["Newest review", "Middle quote", "Older quote"]
    notes = [p.get_text() for p in page.select(".expert-articles .card-note")]
    assert notes == ["Medically reviewed", "Quoted", "Quoted"]


def test_article_both_quoting_and_reviewed_by_the_expert_is_listed_once(client):
    expert = ExpertFactory()
    article = reviewed_by(expert, 1)
    quoting(expert, article)

    page = soup(client.get(expert.get_absolute_url()))

    assert card_titles(page) == [article.title]
    assert page.select_one(".card-note").get_text() == "Quoted and medically reviewed"


def test_expert_page_leaves_out_articles_that_are_not_public(client):
    expert = ExpertFactory()
    quoting(expert, ArticleFactory(title="Draft"))
    quoting(expert, ArticleFactory(title="Archived", status=Article.Status.UNPUBLISHED))
    quoting(expert, published(-1, title="Scheduled"))
    quoting(
        expert,
        published(9, title="Expired", expires_at=timezone.now() - timedelta(days=1)),
    )
    ArticleFactory(
        title="Reviewed draft", reviewed_by=expert, reviewed_at=timezone.localdate()
    )
    quoting(expert, published(1, title="Live"))

    page = soup(client.get(expert.get_absolute_url()))

    assert card_titles(page) == ["Live"]


def test_expert_page_leaves_out_other_experts_articles(client):
    expert, other = ExpertFactory(), ExpertFactory()
    quoting(other, published(1, title="Someone else's"))

    page = soup(client.get(expert.get_absolute_url()))

    assert card_titles(page) == []
    assert not page.select(".expert-quotes")


def test_a_reused_quote_is_listed_once_with_every_article_it_appears_in(client):
    expert = ExpertFactory()
    quote = QuoteFactory(expert=expert, text="Oatmeal baths *soothe* eczema.")
    quoting(expert, published(2, title="Eczema basics"), quote)
    quoting(expert, published(1, title="Bath time"), quote)
    quoting(expert, ArticleFactory(title="Draft bath"), quote)
    quoting(expert, published(3, title="Another"))

    page = soup(client.get(expert.get_absolute_url()))

    figures = page.select(".expert-quotes figure.quote")
    assert len(figures) == 2
    reused = next(f for f in figures if "Oatmeal" in f.get_text())
    assert reused.select_one("blockquote em").get_text() == "soothe"
    assert [a.get_text() for a in reused.select("figcaption a")] == [
        "Bath time",
        "Eczema basics",
    ]
    assert (
        reused.select_one("figcaption").get_text() == "In Bath time and Eczema basics"
    )


def test_withdrawn_quote_and_the_article_it_alone_placed_are_left_out(client):
    expert = ExpertFactory()
    withdrawn = QuoteFactory(expert=expert, withdrawn=True, text="Taken back.")
    quoting(expert, published(1, title="Only the withdrawn quote"), withdrawn)
    quoting(expert, published(2, title="Still quoting"))

    page = soup(client.get(expert.get_absolute_url()))

    assert card_titles(page) == ["Still quoting"]
    assert "Taken back." not in page.select_one(".expert-quotes").get_text()


@pytest.mark.parametrize("count", [1, 15])
def test_expert_page_query_count_does_not_grow_with_articles(
    client, django_assert_max_num_queries, count
):
    expert = ExpertFactory()
    for days in range(count):
        article = published(days + 1)
        quoting(expert, article)
        quoting(expert, article)
        if days % 2:
            Article.objects.filter(pk=article.pk).update(
                reviewed_by=expert, reviewed_at=timezone.localdate()
            )

    with django_assert_max_num_queries(4):
        response = client.get(expert.get_absolute_url())

    assert len(card_titles(soup(response))) == count
    assert len(soup(response).select(".expert-quotes figure")) == 2 * count


def test_expert_page_lists_articles_twenty_a_page_newest_first(client):
    expert = ExpertFactory()
    quote = QuoteFactory(expert=expert)
    for days in range(1, 23):
        quoting(expert, published(days, title=f"Day {days}"), quote)

    first = soup(client.get(expert.get_absolute_url()))
    second = soup(client.get(expert.get_absolute_url(), {"page": 2}))

    assert card_titles(first) == [f"Day {days}" for days in range(1, 21)]
    assert card_titles(second) == ["Day 21", "Day 22"]
    assert first.select_one("a[rel=next]")["href"] == "?page=2"
    assert client.get(expert.get_absolute_url(), {"page": 3}).status_code == 404


def test_a_quote_in_many_articles_names_the_newest_ten_and_counts_the_rest(client):
    expert = ExpertFactory()
    quote = QuoteFactory(expert=expert, text="Keep them cool.")
    for days in range(1, 14):
        quoting(expert, published(days, title=f"Day {days}"), quote)

    page = soup(client.get(expert.get_absolute_url()))

    caption = page.select_one(".expert-quotes figcaption")
    named = [a.get_text() for a in caption.select("a")]
    assert named == [f"Day {days}" for days in range(1, 11)]
    assert caption.get_text().endswith("Day 10 and 3 more")
