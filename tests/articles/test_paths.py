import importlib

import pytest
from bs4 import BeautifulSoup
from django.apps import apps

from articles.models import Article, ArticlePath
from tests.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db


def rename(article, **changes):
    for field, value in changes.items():
        setattr(article, field, value)
    article.save()
    return article


def assert_one_hop(client, old_url, article):
    response = client.get(old_url)
    assert response.status_code == 301, old_url
    assert response["Location"] == article.get_absolute_url()
    assert client.get(response["Location"]).status_code == 200


# Recording ---------------------------------------------------------------------


def test_saving_an_article_records_its_current_path():
    article = ArticleFactory(slug="teething", category__slug="baby")
    path = ArticlePath.objects.get(article=article)
    assert (path.category_slug, path.slug) == ("baby", "teething")
    assert path.created_at is not None
    assert str(path) == "/baby/teething/"


def test_every_path_an_article_has_had_is_kept():
    article = ArticleFactory(slug="one", category__slug="baby")
    rename(article, slug="two")
    rename(article, category=CategoryFactory(slug="toddler"))
    assert {str(p) for p in article.paths.all()} == {
        "/baby/one/",
        "/baby/two/",
        "/toddler/two/",
    }


def test_saving_again_without_a_change_adds_no_path():
    article = ArticleFactory()
    rename(article, title="A new headline")
    assert article.paths.count() == 1


def test_renaming_a_section_records_the_new_path_of_each_of_its_articles():
    section = CategoryFactory(slug="baby")
    first, second = ArticleFactory(category=section), ArticleFactory(category=section)
    section.slug = "babies"
    section.save()
    for article in (first, second):
        assert article.paths.filter(category_slug="babies", slug=article.slug).exists()
        assert article.paths.filter(category_slug="baby", slug=article.slug).exists()


def test_saving_a_section_without_a_new_slug_writes_nothing(
    django_assert_num_queries,
):
    section = CategoryFactory()
    ArticleFactory.create_batch(3, category=section)
    section.name = "Renamed"
    # The save itself, one query that finds nothing to record, one that reads the
    # sections again for the site header's cached list (a read, not a write), and one
    # that marks stale the stored pages showing the section (articles/pages.py).
    with django_assert_num_queries(4):
        section.save()


def test_data_migration_records_existing_articles_and_can_run_again():
    migration = importlib.import_module("articles.migrations.0004_article_paths")
    article = ArticleFactory(slug="colic", category__slug="baby")
    ArticlePath.objects.all().delete()

    migration.record_current_paths(apps, None)
    migration.record_current_paths(apps, None)

    assert [str(p) for p in article.paths.all()] == ["/baby/colic/"]


# Resolving ---------------------------------------------------------------------


def test_resolve_finds_an_old_path_of_a_public_article():
    article = ArticleFactory(published=True, slug="old", category__slug="baby")
    rename(article, slug="new")
    assert ArticlePath.objects.resolve("baby", "old").article == article


def test_resolve_ignores_current_unknown_and_non_public_paths():
    public = ArticleFactory(published=True, slug="here", category__slug="baby")
    draft = ArticleFactory(slug="draft-old", category=public.category)
    rename(draft, slug="draft-new")
    assert ArticlePath.objects.resolve("baby", "here") is None
    assert ArticlePath.objects.resolve("baby", "never-was") is None
    assert ArticlePath.objects.resolve("baby", "draft-old") is None


def test_resolve_reports_a_deleted_articles_path_as_gone():
    article = ArticleFactory(published=True, slug="gone", category__slug="baby")
    article.delete()
    assert ArticlePath.objects.resolve("baby", "gone").is_gone


# The public page ---------------------------------------------------------------


def test_slug_change_redirects_the_old_url_permanently(client):
    article = ArticleFactory(published=True)
    old_url = article.get_absolute_url()
    rename(article, slug="a-better-slug")
    assert_one_hop(client, old_url, article)


def test_category_change_redirects_the_old_url(client):
    article = ArticleFactory(published=True)
    old_url = article.get_absolute_url()
    rename(article, category=CategoryFactory())
    assert_one_hop(client, old_url, article)


def test_after_several_renames_every_old_url_redirects_in_one_hop(client):
    article = ArticleFactory(published=True, slug="first")
    old_urls = [article.get_absolute_url()]
    for slug in ["second", "third"]:
        rename(article, slug=slug)
        old_urls.append(article.get_absolute_url())
    rename(article, slug="fourth", category=CategoryFactory())
    for old_url in old_urls:
        assert_one_hop(client, old_url, article)


def test_renamed_section_redirects_its_articles_old_urls(client):
    section = CategoryFactory(slug="baby")
    article = ArticleFactory(published=True, category=section)
    old_url = article.get_absolute_url()
    section.slug = "babies"
    section.save()
    article.refresh_from_db()
    assert_one_hop(client, old_url, article)


def test_redirect_costs_two_queries(client, django_assert_num_queries):
    article = ArticleFactory(published=True)
    old_url = article.get_absolute_url()
    rename(article, slug="moved")
    with django_assert_num_queries(2):
        assert client.get(old_url).status_code == 301


def test_deleted_article_is_410_gone_at_its_current_and_old_urls(client):
    article = ArticleFactory(published=True)
    old_url = article.get_absolute_url()
    rename(article, slug="latest")
    current_url = article.get_absolute_url()
    article.delete()
    for url in (current_url, old_url):
        response = client.get(url)
        assert response.status_code == 410, url
        page = BeautifulSoup(response.content.decode(), "html.parser")
        assert page.h1.get_text() == "This article has been removed"
        assert page.select_one("main a")["href"] == "/"


def test_unknown_path_is_404(client):
    section = CategoryFactory()
    ArticleFactory(published=True, category=section)
    assert client.get(f"/{section.slug}/never-existed/").status_code == 404


def test_unpublished_article_is_404_at_its_current_and_old_urls(client):
    article = ArticleFactory(published=True)
    old_url = article.get_absolute_url()
    rename(article, slug="archived")
    rename(article, status=Article.Status.UNPUBLISHED)
    assert client.get(old_url).status_code == 404
    assert client.get(article.get_absolute_url()).status_code == 404


def test_old_url_of_a_draft_is_404_not_a_redirect(client):
    article = ArticleFactory()
    old_url = article.get_absolute_url()
    rename(article, slug="still-a-draft")
    assert client.get(old_url).status_code == 404


def test_a_path_reused_by_a_newer_article_serves_the_newer_article(client):
    older = ArticleFactory(published=True, slug="sleep", title="Older")
    old_url = older.get_absolute_url()
    rename(older, slug="sleep-2019")
    newer = ArticleFactory(
        published=True, slug="sleep", category=older.category, title="Newer"
    )
    response = client.get(old_url)
    assert response.status_code == 200
    assert response.context["article"] == newer
    path = ArticlePath.objects.get(category_slug=older.category.slug, slug="sleep")
    assert path.article == newer
    assert client.get(older.get_absolute_url()).context["article"] == older


def test_a_reused_path_stays_with_the_newer_article_once_it_moves_on(client):
    older = ArticleFactory(published=True, slug="sleep")
    old_url = older.get_absolute_url()
    rename(older, slug="sleep-2019")
    newer = ArticleFactory(published=True, slug="sleep", category=older.category)
    rename(newer, slug="sleep-guide")
    assert_one_hop(client, old_url, newer)
