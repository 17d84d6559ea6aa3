from contextlib import contextmanager
from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.http import Http404
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import get_resolver

from tests.factories import ArticleFactory


@contextmanager
def database_down():
    """Every query fails, as it would with the database unreachable."""

    def refuse(*args, **kwargs):
        raise OperationalError("could not connect to server")

    with (
        mock.patch.object(CursorWrapper, "execute", refuse),
        mock.patch.object(CursorWrapper, "executemany", refuse),
    ):
        yield


def soup(content):
    return BeautifulSoup(
        content.decode() if isinstance(content, bytes) else content, "html.parser"
    )


@pytest.mark.django_db
def test_page_needing_the_database_answers_the_branded_503_when_it_is_down(client):
    client.raise_request_exception = False
    ArticleFactory(published=True)
    with database_down():
        response = client.get("/no-such-section/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = soup(response.content)
    assert page.h1.get_text() == "We’ll be back soon"
    assert page.html["lang"] == "en-GB"
    assert page.select_one("link[rel=stylesheet]")["href"].endswith("site.css")
    assert "Little Steps" in page.title.get_text()


def test_500_handler_makes_no_query():
    # No django_db mark: any database access at all fails this test.
    handler = get_resolver().resolve_error_handler(500)
    with database_down():
        response = handler(RequestFactory().get("/"))
    assert response.status_code == 500


@pytest.mark.django_db
def test_404_page_renders_with_the_database_down():
    handler = get_resolver().resolve_error_handler(404)
    with database_down():
        response = handler(RequestFactory().get("/a/b/c/d/"), Http404())
    assert response.status_code == 404
    page = soup(response.content)
    assert page.h1.get_text() == "We can’t find that page"
    assert page.select_one("form[role=search]")["action"] == "/search/"
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"


@pytest.mark.django_db
def test_unknown_address_gives_the_friendly_404(client):
    response = client.get("/no/such/page/here/")
    assert response.status_code == 404
    assert "We can’t find that page" in response.content.decode()


@pytest.mark.django_db
def test_410_page_renders_with_the_database_down():
    request = RequestFactory().get("/gone/")
    with database_down():
        html = render_to_string("410.html", request=request)
    assert "This article has been removed" in soup(html).h1.get_text()
