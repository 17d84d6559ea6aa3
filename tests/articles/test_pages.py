"""Stored article pages (articles/pages.py): one query per view, fresh after any change
to anything they show."""

from datetime import timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.apps import apps
from django.utils import timezone

from articles.demo.loader import flagship_url
from articles.models import Article, ArticlePage, Callout, PageDependency
from articles.pages import ORIGIN
from experts.models import Expert, Quote
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

# What each kind of object a page shows looks like on the page, and a change to it.
VISIBLE_CHANGES = {
    "expert": ("job_title", "Head of Newborn Medicine"),
    "quote": ("text", "Every rash deserves a second look in good light."),
    "author": ("display_name", "Renamed Writer"),
    "section": ("name", "Renamed Section"),
    "tag": ("name", "Renamed topic"),
    "callout": ("title", "Renamed warning"),
    "article": ("title", "A renamed related guide"),
    "image": ("caption", "A caption changed in the image library"),
}
MODELS = {
    "expert": Expert,
    "quote": Quote,
    "author": "articles.Author",
    "section": "articles.Category",
    "tag": "articles.Tag",
    "callout": Callout,
    "article": Article,
    "image": "cms.Image",
}


def model_of(kind):
    model = MODELS[kind]
    return apps.get_model(model) if isinstance(model, str) else model


def page_text(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").get_text(" ")


def stored(url) -> ArticlePage:
    article = Article.objects.published().get(
        slug=url.rstrip("/").rsplit("/", 1)[1], category__slug=url.split("/")[1]
    )
    return ArticlePage.objects.get(pk=article.pk)


def test_the_flagship_is_one_query_once_rendered(
    client, demo, django_assert_num_queries
):
    url = flagship_url()
    first = client.get(url)
    with django_assert_num_queries(1):
        again = client.get(url)
    assert again.content == first.content
    page = BeautifulSoup(again.content, "html.parser")
    assert len(page.select("ol.numbered-list > li")) == 11
    assert page.select("figure.quote, blockquote")
    assert ORIGIN not in again.content.decode()


def test_addresses_on_the_page_are_the_readers_host(client, demo):
    url = flagship_url()
    client.get(url, HTTP_HOST="localhost")
    html = client.get(url, HTTP_HOST="127.0.0.1").content.decode()
    canonical = BeautifulSoup(html, "html.parser").select_one("link[rel=canonical]")
    assert canonical["href"] == f"http://127.0.0.1{url}"
    assert "localhost" not in html


def test_every_object_a_page_shows_is_recorded(client, demo):
    url = flagship_url()
    client.get(url)
    kinds = set(stored(url).dependencies.values_list("kind", flat=True))
    assert kinds == set(VISIBLE_CHANGES), "the flagship shows one of each kind"


@pytest.mark.parametrize("kind", sorted(VISIBLE_CHANGES))
def test_a_change_to_anything_the_page_shows_is_on_it_at_once(
    client, demo, kind, django_assert_max_num_queries
):
    url = flagship_url()
    client.get(url)
    page = stored(url)
    shown = page.dependencies.filter(kind=kind).order_by("object_id")
    field, value = VISIBLE_CHANGES[kind]
    # The first of its kind the page shows in words.
    for dependency in shown:
        obj = model_of(kind).objects.get(pk=dependency.object_id)
        if str(getattr(obj, field)) in page_text(client, url):
            break
    else:
        pytest.fail(f"no {kind} the page shows is on it by its {field}")
    assert value not in page_text(client, url)

    setattr(obj, field, value)
    obj.save()

    assert ArticlePage.objects.get(pk=page.pk).body == ""
    assert value in page_text(client, url)
    with django_assert_max_num_queries(1):
        assert value in page_text(client, url)


def test_a_withdrawn_quote_leaves_the_page(client, demo):
    url = flagship_url()
    client.get(url)
    quote = Quote.objects.get(
        pk=stored(url).dependencies.filter(kind="quote")[0].object_id
    )
    words = quote.text.split(".")[0]
    assert words in page_text(client, url)
    quote.status = Quote.Status.WITHDRAWN
    quote.save()
    assert words not in page_text(client, url)


def test_a_linked_article_unpublished_keeps_only_its_words(client):
    target = ArticleFactory(published=True, title="Teething guide")
    article = ArticleFactory(
        published=True, body=f"## Read\n\n[[article:{target.pk}|Our teething guide]]"
    )
    url = article.get_absolute_url()
    html = client.get(url).content.decode()
    assert f'href="{target.get_absolute_url()}"' in html

    target.status = Article.Status.DRAFT
    target.save()

    html = client.get(url).content.decode()
    assert "Our teething guide" in html
    assert f'href="{target.get_absolute_url()}"' not in html


def test_a_linked_article_moved_is_linked_at_its_new_address(client):
    target = ArticleFactory(published=True, slug="old-slug")
    article = ArticleFactory(published=True, body=f"## Read\n\n[[article:{target.pk}]]")
    client.get(article.get_absolute_url())
    target.slug = "new-slug"
    target.save()
    assert (
        target.get_absolute_url()
        in client.get(article.get_absolute_url()).content.decode()
    )


def test_a_scheduled_link_becomes_a_link_at_its_time(client):
    soon = timezone.now() + timedelta(minutes=10)
    target = ArticleFactory(published=True, published_at=soon, title="Weaning guide")
    article = ArticleFactory(published=True, body=f"## Read\n\n[[article:{target.pk}]]")
    url = article.get_absolute_url()
    assert 'href="' + target.get_absolute_url() not in client.get(url).content.decode()
    assert ArticlePage.objects.get(pk=article.pk).valid_until == soon

    with time_machine.travel(soon + timedelta(seconds=1)):
        html = client.get(url).content.decode()
    assert 'href="' + target.get_absolute_url() in html


def test_a_render_that_raced_a_change_is_not_kept(client):
    """A change committed while the page was being rendered wins."""
    article = ArticleFactory(published=True)
    url = article.get_absolute_url()
    client.get(url)
    page = ArticlePage.objects.get(pk=article.pk)
    ArticlePage.objects.filter(pk=page.pk).update(body="")  # stale
    stale = ArticlePage.objects.get(pk=page.pk)

    from articles import pages

    original = Article.objects.for_page

    def change_meanwhile(*args, **kwargs):
        article.title = "Changed while rendering"
        article.save()
        return original(*args, **kwargs)

    Article.objects.for_page = change_meanwhile
    try:
        pages._render(stale)
    finally:
        del Article.objects.for_page
    assert ArticlePage.objects.get(pk=page.pk).body == ""
    assert "Changed while rendering" in page_text(client, url)


def test_unrelated_pages_stay_stored(client):
    one, other = ArticleFactory(published=True), ArticleFactory(published=True)
    for article in (one, other):
        client.get(article.get_absolute_url())
    one.title = "Only this one changed"
    one.save()
    assert ArticlePage.objects.get(pk=other.pk).body
    assert ArticlePage.objects.get(pk=one.pk).body == ""


def test_a_deleted_page_takes_its_record_with_it(client):
    article = ArticleFactory(published=True)
    client.get(article.get_absolute_url())
    article.delete()
    assert not PageDependency.objects.filter(page_id=article.pk).exists()
