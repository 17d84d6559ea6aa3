"""Answers made outside the API's views still speak JSON under /api/: an unknown
address, a server error and the database down (cms/views.py, cms/middleware.py)."""

import pytest
from django.urls import path

from cms.urls import urlpatterns as site_urlpatterns
from tests.cms.test_error_pages import database_down
from tests.factories import ArticleFactory


def boom(request):
    raise RuntimeError("Something broke in an API view")


urlpatterns = [path("api/v1/boom", boom), path("boom/", boom), *site_urlpatterns]
handler404 = "cms.views.page_not_found"
handler500 = "cms.views.server_error"


def _error(response, status: int, error: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert (body["status"], body["error"]) == (status, error)
    assert body["detail"]
    return body


@pytest.mark.django_db
@pytest.mark.parametrize("address", ["/api/v1/nothing-here", "/api/v2/articles"])
def test_an_unknown_api_address_is_a_json_404(client, address):
    _error(client.get(address), 404, "not_found")


@pytest.mark.django_db
def test_an_unknown_page_address_is_still_the_branded_page(client):
    response = client.get("/no/such/page/here/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_the_database_down_is_a_json_503_with_retry_after(client):
    ArticleFactory(published=True)
    with database_down():
        response = client.get("/api/v1/articles")

    _error(response, 503, "unavailable")
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_server_error_in_the_api_is_json_with_its_request_id(client):
    client.raise_request_exception = False
    body = _error(client.get("/api/v1/boom"), 500, "server_error")
    assert len(body["request_id"]) == 32
    assert "RuntimeError" not in body["detail"]
    page = client.get("/boom/")
    assert page["Content-Type"].startswith("text/html")
