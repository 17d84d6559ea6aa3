import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, ArticlePath, ArticleReference
from cms.markdown import render

SMALL = {"articles": 30, "authors": 5, "experts": 5, "tags": 20, "sections": 4}


@pytest.fixture
def seeded(db):
    call_command("seed_bench", **SMALL)
    return Article.objects.published().for_page().first()


def test_seeded_article_page_shows_what_was_seeded(seeded, client):
    response = client.get(seeded.get_absolute_url())

    assert response.status_code == 200
    page = response.content.decode()
    assert seeded.title in page
    assert seeded.toc[0]["title"] in page
    for row in seeded.article_quotes.all():
        if not row.quote.is_withdrawn:
            assert row.quote.expert.full_name in page
    for source in seeded.sources.all():
        assert source.publisher in page


def test_seeded_section_tag_and_author_pages_list_the_article(seeded, client):
    pages = [seeded.category, seeded.tags.all()[0], seeded.byline[0]]

    for obj in pages:
        response = client.get(obj.get_absolute_url())
        assert response.status_code == 200
        assert seeded.title in response.content.decode()


def test_seeded_rows_are_what_a_save_would_store(seeded):
    rendered = render(seeded.body)

    assert (seeded.body_html, seeded.toc, seeded.word_count) == (
        rendered.html,
        rendered.toc,
        rendered.word_count,
    )
    before = sorted((r.kind, r.key, r.title) for r in seeded.body_references.all())
    ArticleReference.objects.sync_with_body(seeded)
    after = sorted((r.kind, r.key, r.title) for r in seeded.body_references.all())
    assert before == after
    assert ArticlePath.objects.get(article=seeded).slug == seeded.slug


def test_most_seeded_articles_are_published_some_are_not(seeded):
    assert Article.objects.count() == 30
    assert 20 <= Article.objects.published().count() < 30 or (
        Article.objects.published().count() == 30
    )


def test_seeding_a_database_with_content_is_refused_until_flushed(seeded):
    with pytest.raises(CommandError, match="--flush"):
        call_command("seed_bench", **SMALL)

    call_command("seed_bench", flush=True, **SMALL)

    assert Article.objects.count() == 30
