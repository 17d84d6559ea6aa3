"""An article's sources: the model, the admin inline, the page and revisions."""

from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles.models import Article, ArticleSource
from articles.models.review import add_months
from articles.revisions import article_versions, revision_parts
from tests.articles.test_admin import assert_saved, management_form
from tests.articles.test_revisions import change_data, restore_url, rows, save
from tests.articles.test_workflow import change_url, html_of, member_of, reloaded
from tests.factories import ArticleFactory, ArticleSourceFactory

pytestmark = pytest.mark.django_db

SOURCE_FIELDS = ["position", "title", "publisher", "url", "published_on", "accessed_on"]


def today():
    return timezone.localdate()


def years_ago(years: int, days: int = 0) -> date:
    return add_months(today(), -12 * years) + timedelta(days=days)


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def new_source_rows(*sources: dict) -> dict:
    data = management_form("sources", len(sources))
    for index, source in enumerate(sources):
        for field, value in source.items():
            data[f"sources-{index}-{field}"] = value
    return data


# The model -----------------------------------------------------------------------


def test_a_source_needs_a_publication_or_access_date():
    source = ArticleSourceFactory.build(
        article=ArticleFactory(), accessed_on=None, published_on=None
    )

    with pytest.raises(ValidationError) as excinfo:
        source.full_clean()

    assert (
        "Give the date the source was published or the date you read it."
        in (excinfo.value.message_dict["accessed_on"])
    )


def test_a_source_cannot_be_dated_in_the_future():
    source = ArticleSourceFactory.build(
        article=ArticleFactory(), published_on=today() + timedelta(days=1)
    )

    with pytest.raises(ValidationError) as excinfo:
        source.full_clean()

    assert "published_on" in excinfo.value.message_dict


def test_sources_come_in_position_order():
    article = ArticleFactory()
    second = ArticleSourceFactory(article=article, position=2, title="Second")
    first = ArticleSourceFactory(article=article, position=1, title="First")

    assert list(article.sources.all()) == [first, second]
    assert str(first) == "First (NHS)"


def test_a_source_is_stale_when_its_date_is_older_than_three_years():
    old = ArticleSourceFactory(published_on=years_ago(3, days=-1))
    recent = ArticleSourceFactory(published_on=years_ago(3, days=1))
    # The publication date counts, whenever the page was last read.
    read_lately = ArticleSourceFactory(
        published_on=years_ago(5), accessed_on=today() - timedelta(days=2)
    )
    # Without a publication date, the day it was read counts.
    read_long_ago = ArticleSourceFactory(published_on=None, accessed_on=years_ago(4))

    assert old.is_stale() and read_lately.is_stale() and read_long_ago.is_stale()
    assert not recent.is_stale()
    assert set(ArticleSource.objects.stale()) == {old, read_lately, read_long_ago}
    assert set(Article.objects.with_stale_sources()) == {
        old.article,
        read_lately.article,
        read_long_ago.article,
    }


def test_the_age_limit_is_a_setting_read_when_asked(settings):
    source = ArticleSourceFactory(published_on=years_ago(2))
    assert not source.is_stale()

    settings.CMS_SOURCE_MAX_AGE_YEARS = 1

    assert source.is_stale()
    assert list(ArticleSource.objects.stale()) == [source]


# The page ------------------------------------------------------------------------


def test_sources_are_a_numbered_list_at_the_foot_of_the_article(client):
    article = ArticleFactory(published=True)
    ArticleSourceFactory(
        article=article,
        position=2,
        title="Fever in under 5s",
        publisher="NICE",
        url="https://www.nice.org.uk/guidance",
        published_on=date(2025, 3, 12),
        accessed_on=date(2026, 10, 6),
    )
    ArticleSourceFactory(
        article=article,
        position=1,
        title="Rashes in babies",
        publisher="NHS",
        url="https://www.nhs.uk/conditions/",
        published_on=None,
        accessed_on=date(2026, 10, 6),
    )

    page = soup(client.get(article.get_absolute_url()))
    section = page.select_one("section.sources")

    assert section["aria-labelledby"] == "sources-heading"
    assert section.h2.get_text() == "Sources"
    items = section.select("ol > li")
    assert [li.get_text(" ", strip=True) for li in items] == [
        "Rashes in babies . NHS. Accessed 6 October 2026 .",
        "Fever in under 5s . NICE. Published 12 March 2025 ; accessed 6 October 2026 .",
    ]
    assert [li.a["href"] for li in items] == [
        "https://www.nhs.uk/conditions/",
        "https://www.nice.org.uk/guidance",
    ]
    assert items[1].time["datetime"] == "2025-03-12"
    # After the body and the numbered list, before the bios.
    html = str(page)
    assert html.index('class="prose"') < html.index('class="sources"')
    assert html.index('class="sources"') < html.index('class="about-authors"')


def test_article_without_sources_has_no_sources_section(client):
    article = ArticleFactory(published=True)

    assert soup(client.get(article.get_absolute_url())).select_one(".sources") is None


def test_source_text_is_escaped_on_the_page(client):
    article = ArticleFactory(published=True)
    ArticleSourceFactory(article=article, title="<script>alert(1)</script>")

    html = client.get(article.get_absolute_url()).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# The admin -----------------------------------------------------------------------


def test_writer_adds_sources_to_their_draft_in_the_admin(client):
    writer = member_of("Writer")
    article = ArticleFactory(authors=[writer.author])
    client.force_login(writer)

    response = client.post(
        change_url(article),
        change_data(
            article,
            **new_source_rows(
                {
                    "position": "1",
                    "title": "Rashes in babies",
                    "publisher": "NHS",
                    "url": "www.nhs.uk/conditions/",
                    "published_on": "",
                    "accessed_on": "2026-10-06",
                }
            ),
        ),
    )

    assert_saved(response)
    (source,) = reloaded(article).sources.all()
    assert source.url == "https://www.nhs.uk/conditions/"
    assert source.accessed_on == date(2026, 10, 6)


def test_a_source_without_any_date_is_refused_in_the_admin(admin_client):
    article = ArticleFactory()

    response = admin_client.post(
        change_url(article),
        change_data(
            article,
            **new_source_rows(
                {
                    "position": "1",
                    "title": "Undated",
                    "publisher": "NHS",
                    "url": "https://www.nhs.uk/",
                    "published_on": "",
                    "accessed_on": "",
                }
            ),
        ),
    )

    assert response.status_code == 200
    assert "Give the date the source was published" in html_of(response)
    assert not article.sources.exists()


def test_the_inline_marks_sources_older_than_the_limit(admin_client):
    article = ArticleFactory()
    ArticleSourceFactory(article=article, title="Old", published_on=years_ago(4))
    ArticleSourceFactory(article=article, title="New", published_on=years_ago(1))

    page = soup(admin_client.get(change_url(article)))
    marks = [
        cell.get_text(" ", strip=True)
        for cell in page.select(
            "#sources-group tr.form-row:not(.empty-form) td.field-freshness"
        )
    ]

    assert marks == [
        "Older than 3 years : check it is still current, or replace it.",
        "–",
    ]


def test_a_writer_cannot_change_sources_of_a_published_article(client):
    writer = member_of("Writer")
    article = ArticleFactory(authors=[writer.author], published=True)
    ArticleSourceFactory(article=article)
    client.force_login(writer)

    response = client.get(change_url(article))

    inline = next(
        formset
        for formset in response.context["inline_admin_formsets"]
        if formset.formset.prefix == "sources"
    )
    assert not inline.has_add_permission and not inline.has_change_permission


# Revisions -----------------------------------------------------------------------


def test_a_revision_keeps_the_sources_and_restoring_brings_them_back(admin_client):
    article = ArticleFactory()
    kept = ArticleSourceFactory(article=article, position=1, title="Kept")
    dropped = ArticleSourceFactory(article=article, position=2, title="Dropped")
    save(admin_client, article)
    old_version = article_versions(article)[0]
    assert [row.title for row in revision_parts(old_version)[ArticleSource]] == [
        "Kept",
        "Dropped",
    ]

    save(
        admin_client,
        article,
        **rows("sources", article.sources.all(), SOURCE_FIELDS, delete=[dropped]),
    )
    assert list(article.sources.all()) == [kept]

    response = admin_client.post(
        restore_url(article, old_version), {"edit_version": str(article.version)}
    )

    assert response.status_code == 302
    assert [source.title for source in article.sources.all()] == ["Kept", "Dropped"]


def test_comparing_revisions_lists_changed_sources(admin_client):
    article = ArticleFactory()
    save(admin_client, article)
    ArticleSourceFactory(article=article, title="NICE guideline")
    save(admin_client, article)

    versions = list(article_versions(article))
    response = admin_client.get(
        f"/admin/articles/article/{article.pk}/compare/",
        {"from": versions[1].pk, "to": versions[0].pk},
    )

    assert "Source “NICE guideline” added" in html_of(response)
