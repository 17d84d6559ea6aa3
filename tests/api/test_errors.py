"""Refusals: unknown ids and slugs are 404s, bad parameters 400s or 422s naming the
parameter and why, all in the API's error body; no value of any parameter is a 500.

Operations and their parameters come from the API's own schema, so a new endpoint or
parameter is covered without being named here.
"""

import base64
import json

import pytest
from django.test import Client

from tests.factories import (
    ArticleFactory,
    ArticleQuoteFactory,
    AuthorFactory,
    CategoryFactory,
    ExpertFactory,
    TagFactory,
)

from .support import API, error, list_operations, operations, parameters, schema

pytestmark = pytest.mark.django_db


def test_the_schema_served_is_the_one_these_tests_walk(client):
    assert client.get(f"{API}/openapi.json").json() == schema()


def test_the_docs_page_loads(client):
    assert client.get(f"{API}/docs").status_code == 200


# Unknown ids and slugs ---------------------------------------------------------------

UNKNOWN = {"integer": 987654, "string": "no-such-thing"}


@pytest.mark.parametrize(
    "path",
    [path for path, op in operations() if parameters(op, "path")],
)
def test_an_unknown_id_or_slug_is_a_404_with_the_error_body(client, path):
    ArticleFactory(published=True)
    operation = dict(operations())[path]
    values = {
        p["name"]: UNKNOWN[p["schema"]["type"]] for p in parameters(operation, "path")
    }

    body = error(client.get(path.format(**values)), 404)

    assert body["error"] == "not_found"
    assert "404" in operation["responses"]


def test_an_address_outside_the_api_is_a_404_with_the_error_body(client):
    error(client.get(f"{API}/no-such-endpoint"), 404)


# Bad parameters: 422 for a value of the wrong shape -------------------------------------


def shape_errors() -> list[tuple[str, str, str]]:
    """(path, parameter, value) breaking each constraint the schema states."""
    cases = []
    for path, operation in operations():
        for parameter in parameters(operation, "query"):
            name, rules = parameter["name"], parameter["schema"]
            if "minimum" in rules:
                cases.append((path, name, str(rules["minimum"] - 1)))
            if "maximum" in rules:
                cases += [(path, name, str(rules["maximum"] + 1)), (path, name, "ten")]
            if "enum" in rules:
                cases.append((path, name, "bogus"))
            for option in rules.get("anyOf", [rules]):
                if option.get("format") == "date-time":
                    cases += [(path, name, "notadate"), (path, name, "2024-02-30")]
                if "maxLength" in option:
                    cases.append((path, name, "x" * (option["maxLength"] + 1)))
    return cases


@pytest.mark.parametrize("path,parameter,value", shape_errors())
def test_a_value_of_the_wrong_shape_is_a_422_naming_the_parameter(
    client, path, parameter, value
):
    address = path.format(pk=UNKNOWN["integer"], slug=UNKNOWN["string"])

    body = error(client.get(address, {parameter: value}), 422, parameter)

    assert body["error"] == "invalid_parameter"


def test_the_422s_the_issue_names(client):
    """limit=0, limit=101, order=bogus, published_since=notadate."""
    for parameter, value in [
        ("limit", "0"),
        ("limit", "101"),
        ("order", "bogus"),
        ("published_since", "notadate"),
    ]:
        error(client.get(f"{API}/articles", {parameter: value}), 422, parameter)


def test_every_bad_parameter_is_named_at_once(client):
    body = error(client.get(f"{API}/articles", {"limit": "0", "order": "x"}), 422)

    assert {e["parameter"] for e in body["errors"]} == {"limit", "order"}


# Bad parameters: 400 for a value that names nothing --------------------------------------


@pytest.mark.parametrize("parameter", ["section", "tag", "author", "expert"])
def test_an_unknown_slug_in_a_filter_is_a_400_naming_it(client, parameter):
    response = client.get(f"{API}/articles", {parameter: "no-such-thing"})

    body = error(response, 400, parameter)
    assert body["error"] == "bad_parameter"
    assert "no-such-thing" in body["errors"][0]["message"]


def test_an_unknown_expert_on_the_quotes_list_is_a_400_naming_it(client):
    error(client.get(f"{API}/quotes", {"expert": "no-such-thing"}), 400, "expert")


@pytest.mark.parametrize("path", [path for path, _ in list_operations()])
@pytest.mark.parametrize("cursor", ["abc", "!!!", "eyJ4IjoxfQ", "WzEsMiwzXQ"])
def test_a_cursor_this_api_did_not_give_is_a_400_naming_it(client, path, cursor):
    error(client.get(path, {"cursor": cursor}), 400, "cursor")


def test_a_cursor_from_another_order_is_a_400_naming_it(client):
    ArticleFactory.create_batch(2, published=True)
    first = client.get(f"{API}/articles", {"limit": 1, "order": "oldest"}).json()

    body = error(
        client.get(f"{API}/articles", {"cursor": first["next_cursor"]}), 400, "cursor"
    )

    assert "order" in body["detail"]


@pytest.mark.parametrize("q", ["!!!", "  ", "?", "-- ;", "\u2603"])
def test_a_search_with_no_word_is_a_400_naming_q(client, q):
    error(client.get(f"{API}/articles", {"q": q}), 400, "q")


def test_a_nul_byte_in_a_parameter_is_a_400_with_the_error_body(client):
    error(client.get(f"{API}/articles", {"q": "a\x00b"}), 400)


# Never a 500 -----------------------------------------------------------------------------


def cursor(*parts) -> str:
    """A cursor made up by a client: the API's encoding of anything."""
    raw = json.dumps(list(parts)).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


ODD_VALUES = [
    "",
    " ",
    "0",
    "-1",
    "1.5",
    "1e308",
    "NaN",
    "99999999999999999999",
    "9223372036854775808",
    "-9223372036854775809",
    "true",
    "null",
    "[]",
    "{}",
    "é",
    "日本語",
    "💥",
    "\u202e\u200b",
    "\ud7ff\ue000",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%",
    "%00",
    "\\",
    "a\x00b",
    "x" * 201,
    "x" * 5000,
    "0001-01-01",
    "9999-12-31",
    "0001-01-01T00:00:00",
    "9999-12-31T23:59:59",
    "2024-06-01T12:00:00+23:59",
    "2024-06-01T12:00:00Z",
    # Times that exist in their zone but not in UTC.
    "0001-01-01T00:00:00+05:00",
    "9999-12-31T23:59:59-05:00",
    cursor("newest", "2024-06-01T12:00:00+00:00", 1),
    cursor("newest", "2024-06-01T12:00:00+00:00", 2**63),
    cursor("newest", "2024-06-01T12:00:00+00:00", "1"),
    cursor("newest", "not a time", 1),
    cursor("newest", None, 1),
    cursor("newest", 5, 1),
    cursor("newest", "0001-01-01T00:00:00+05:00", 1),
    cursor("newest", "9999-12-31T23:59:59-05:00", 1),
    cursor("newest", "2024-06-01T12:00:00", 1),
    cursor("slug", None, 1),
    cursor("slug", "a", 1),
    cursor("slug", "", True),
    cursor("slug", ["a"], 1),
    cursor("slug", {"a": 1}, 1),
    cursor("slug", "x" * 100, 2**62),
    cursor("oldest", "2024-06-01T12:00:00+00:00"),
    cursor("newest", "2024-06-01T12:00:00+00:00", 1, 2),
    cursor(),
]

# PostgreSQL refuses a NUL in text: the cursor must be refused before a query.
NUL_CURSOR = cursor("slug", "a\x00b", 1)
SLUG_LISTS = [f"{API}/{name}" for name in ("tags", "authors", "experts")]


@pytest.fixture
def content():
    """Something in every list, so that filters and cursors reach the database; the
    values to put in addresses."""
    expert = ExpertFactory()
    article = ArticleFactory(
        published=True,
        category=CategoryFactory(parent=CategoryFactory()),
        authors=[AuthorFactory()],
        reviewed=True,
        reviewed_by=expert,
    )
    article.tags.add(TagFactory())
    placed = ArticleQuoteFactory(article=article, quote__expert=expert)
    return {"pk": article.pk, "slug": article.slug, "quote": placed.quote_id}


def query_parameters() -> list[tuple[str, str]]:
    return [
        (path, parameter["name"])
        for path, operation in operations()
        for parameter in parameters(operation, "query")
    ]


@pytest.mark.parametrize("path,parameter", query_parameters())
def test_no_value_of_any_parameter_is_a_server_error(content, path, parameter):
    client = Client(raise_request_exception=False)
    documented = dict(operations())[path]["responses"]
    for value in [*ODD_VALUES, NUL_CURSOR]:
        response = client.get(path.format(**content), {parameter: value})
        assert response.status_code < 500, (parameter, value, response.content[:300])
        assert str(response.status_code) in documented, (parameter, value)
        assert response["Content-Type"].startswith("application/json"), (
            parameter,
            value,
        )


@pytest.mark.parametrize("path", SLUG_LISTS)
def test_a_cursor_holding_a_nul_byte_is_a_400(content, path):
    response = Client(raise_request_exception=False).get(path, {"cursor": NUL_CURSOR})

    error(response, 400, "cursor")
