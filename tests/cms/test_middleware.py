"""A NUL byte anywhere in a request is a 400, before any view or query sees it."""

import pytest

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return ArticleFactory()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/autocomplete/?term=a%00&app_label=articles&model_name=article"
        "&field_name=category",
        "/admin/articles/article/{pk}%00/history/",
        "/admin/articles/article/{pk}%00/change/",
        "/admin/articles/article/?q=rash%00",
        "/admin/articles/article/?title%00=x",
    ],
)
def test_nul_byte_in_a_staff_address_is_400(admin_client, article, url):
    # On PostgreSQL each of these was a 500 ("cannot contain NUL characters").
    response = admin_client.get(url.format(pk=article.pk))

    assert response.status_code == 400


def test_nul_byte_in_a_form_field_is_400(admin_client, article):
    response = admin_client.post(
        f"/admin/articles/article/{article.pk}/change/", {"title": "Heat\x00rash"}
    )

    assert response.status_code == 400
    article.refresh_from_db()
    assert "\x00" not in article.title


def test_nul_byte_in_a_cookie_is_400(client):
    # On PostgreSQL the session lookup was a 500.
    client.cookies["sessionid"] = "abcdefgh\x00"

    assert client.get("/admin/login/").status_code == 400


def test_nul_byte_in_a_public_address_is_400(client):
    assert client.get("/experts/?page=1%00").status_code == 400


def test_requests_without_nul_bytes_pass(admin_client, article):
    assert admin_client.get("/admin/articles/article/?q=rash").status_code == 200
    assert (
        admin_client.get(f"/admin/articles/article/{article.pk}/change/").status_code
        == 200
    )
