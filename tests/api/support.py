"""Helpers for the read API's tests: its operations, its error body, paging."""

import json
from functools import cache

from bs4 import BeautifulSoup

from cms.api import api

API = "/api/v1"
ERROR_KEYS = {"status", "error", "detail", "errors"}


@cache
def schema() -> dict:
    """The OpenAPI schema as served (tests/api/test_errors.py checks it is)."""
    return json.loads(json.dumps(api.get_openapi_schema(path_prefix=f"{API}/")))


def operations() -> list[tuple[str, dict]]:
    """(path, operation) for every GET the API documents."""
    return [
        (path, methods["get"])
        for path, methods in schema()["paths"].items()
        if "get" in methods
    ]


def parameters(operation: dict, where: str) -> list[dict]:
    return [p for p in operation.get("parameters", []) if p["in"] == where]


def list_operations() -> list[tuple[str, dict]]:
    """Operations that answer a page of items with a cursor."""
    return [
        (path, operation)
        for path, operation in operations()
        if any(p["name"] == "cursor" for p in parameters(operation, "query"))
    ]


def error(response, status: int, parameter: str | None = None) -> dict:
    """The API's error body, with ``status``, naming ``parameter`` if given."""
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert ERROR_KEYS <= body.keys(), body
    assert body["status"] == status
    assert body["error"] and body["detail"]
    if parameter is not None:
        assert parameter in [e["parameter"] for e in body["errors"]], body
        assert parameter in body["detail"], body
        assert all(e["message"] for e in body["errors"]), body
    return body


def walk(client, path: str, params=None, between=None) -> list[dict]:
    """Every item of a list, page by page through ``next_cursor``; ``between(page)``
    runs after each page is fetched."""
    params, items = dict(params or {}), []
    for page in range(1, 200):
        response = client.get(path, params)
        assert response.status_code == 200, response.content[:500]
        body = response.json()
        items += body["items"]
        if between is not None:
            between(page)
        if body["next_cursor"] is None:
            return items
        params["cursor"] = body["next_cursor"]
    raise AssertionError("the cursor never ends")


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def inner_html(element) -> str:
    return "".join(str(child) for child in element.contents)


def same_html(html: str) -> str:
    """``html`` as BeautifulSoup writes it, to compare with a parsed page's part."""
    return BeautifulSoup(html, "html.parser").decode()
