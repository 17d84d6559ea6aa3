"""The API as published, checked from outside: every operation's real answers on the
demo content against the OpenAPI schema the server publishes (status, content type,
body), then a bounded, seeded fuzz of every operation that must never meet a server
error.

The server is the site as deployed (``cms.wsgi``: the API's rate limit and the page
cache in front of Django) on a loopback port, in threads of this process, reading the
test database with the demo committed to it, once for the module.
"""

import threading
from contextlib import contextmanager
from urllib.parse import urlencode

import pytest
import schemathesis
from django.core.management import call_command
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import QuietWSGIRequestHandler
from django.test.utils import override_settings
from hypothesis import given
from hypothesis import settings as fuzzing
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = [
    pytest.mark.slow,
    # Sets the test database up. The server's threads have connections of their own,
    # so what they read is the module's demo, committed, not a test's transaction.
    pytest.mark.django_db,
    # One worker takes the whole module: one server, one demo.
    pytest.mark.xdist_group("api-contract"),
]

API = "/api/v1"
CONFORMANCE = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# The demo's images get their renditions from the background worker; here only the
# flagship's hero gets them (enough to check their shape), not all 27 images.
NO_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
# Valid requests only: whatever a client may send must get a documented answer.
GENERATION = schemathesis.Config.from_dict({"generation": {"mode": "positive"}})
# Every operation the schema publishes: a new one fails the first test below until
# these tests read its real answers too.
OPERATIONS = {
    f"GET {API}/articles",
    f"GET {API}/articles/{{pk}}",
    f"GET {API}/articles/{{section}}/{{slug}}",
    f"GET {API}/sections",
    f"GET {API}/sections/{{slug}}",
    f"GET {API}/tags",
    f"GET {API}/tags/{{slug}}",
    f"GET {API}/authors",
    f"GET {API}/authors/{{slug}}",
    f"GET {API}/experts",
    f"GET {API}/experts/{{slug}}",
    f"GET {API}/quotes",
    f"GET {API}/quotes/{{pk}}",
}
# A demo article given a new address for these tests: section, old slug, new slug.
MOVED = ("baby-health", "nappy-rash", "nappy-rash-in-babies")


@contextmanager
def serving(application):
    """``application`` on a free loopback port, a thread per request; its base URL."""
    server = ThreadedWSGIServer(
        ("127.0.0.1", 0), QuietWSGIRequestHandler, allow_reuse_address=False
    )
    server.set_app(application)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextmanager
def demo_site(django_db_blocker, media_root, **overrides):
    """The site serving the demo, with the ids a new site has (``make run``); its base
    URL. The demo is committed for the server's threads to read, and the database
    emptied again afterwards. ``overrides`` are settings."""
    from articles.demo import load_demo_content
    from articles.demo.content import FLAGSHIP
    from articles.models import Article
    from cms.images import make_ready
    from cms.wsgi import application

    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media_root, TASKS=NO_TASKS, **overrides),
    ):
        call_command("flush", interactive=False, verbosity=0)  # ids from 1 again
        try:
            load_demo_content()
            make_ready(Article.objects.get(slug=FLAGSHIP[1]).hero_image, "file")
            with serving(application) as url:
                yield url
        finally:
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(scope="module")
def live(django_db_setup, django_db_blocker, tmp_path_factory):
    from articles.models import Article

    # No rate limit: the fuzz sends more than a minute's allowance.
    media = tmp_path_factory.mktemp("media")
    with demo_site(django_db_blocker, media, CMS_API_RATE_LIMIT=0) as url:
        section, old, new = MOVED
        article = Article.objects.get(category__slug=section, slug=old)
        article.slug = new
        article.save()
        yield url


@pytest.fixture(scope="module")
def api_schema(live):
    """The schema as the server publishes it."""
    return schemathesis.openapi.from_url(f"{live}{API}/openapi.json", config=GENERATION)


def get(api_schema, template: str, status: int = 200, path=None, **query):
    """The answer to GET ``template`` (a path of the schema, filled with ``path``),
    checked against the schema and expected to have ``status``."""
    operation = api_schema[f"{API}{template}"]["GET"]
    case = operation.Case(path_parameters=path or {}, query=query)
    response = case.call_and_validate(checks=CONFORMANCE, allow_redirects=False)
    assert response.status_code == status, response.text[:500]
    return response


def every_page(api_schema, template: str, **query) -> list[dict]:
    """Every item of a list, two at a time through its cursors, each page checked."""
    items, cursor = [], {}
    for _ in range(50):  # the demo's lists are a few pages long
        page = get(api_schema, template, limit=2, **query, **cursor).json()
        items += page["items"]
        if page["next_cursor"] is None:
            return items
        cursor = {"cursor": page["next_cursor"]}
    pytest.fail(f"{template} has a next page after 50 pages of 2")


def test_these_tests_read_every_operation_the_schema_publishes(api_schema):
    """A new operation fails here until its real answers are checked below."""
    published = {result.ok().label for result in api_schema.get_all_operations()}

    assert published == OPERATIONS


def test_the_article_list_pages_through_every_published_article(api_schema):
    from articles.models import Article

    first = get(api_schema, "/articles").json()
    paged = every_page(api_schema, "/articles")

    published = Article.objects.published().order_by("-published_at", "-pk")
    assert [item["id"] for item in paged] == list(
        published.values_list("pk", flat=True)
    )
    assert [item["id"] for item in first["items"]] == [item["id"] for item in paged]
    assert first["next_cursor"] is None


@pytest.mark.parametrize(
    "query",
    [
        {"section": "baby"},
        {"tag": "skin"},
        {"author": "maisie-arkwright"},
        {"expert": "helena-marsh"},
        {"q": "rash"},
        {"published_since": "2026-09-01", "published_until": "2026-10-01T00:00:00Z"},
        {"updated_since": "2000-01-01T00:00:00+01:00"},
        {"order": "oldest"},
        {"order": "recently_modified"},
        {"order": "least_recently_modified"},
    ],
    ids=urlencode,
)
def test_filtered_and_ordered_article_lists_conform(api_schema, query):
    assert every_page(api_schema, "/articles", **query)


def test_each_listed_article_conforms_by_id_and_by_address(api_schema):
    listed = every_page(api_schema, "/articles")

    for item in listed:
        by_id = get(api_schema, "/articles/{pk}", path={"pk": item["id"]}).json()
        address = {"section": item["section"]["slug"], "slug": item["slug"]}
        at = get(api_schema, "/articles/{section}/{slug}", path=address).json()
        assert by_id == at
        assert by_id["id"] == item["id"]
    # The renditions' shape is checked too (only the flagship's hero has them here).
    assert any(item["hero"] and item["hero"]["renditions"] for item in listed)


def test_each_section_conforms_in_detail(api_schema):
    sections = get(api_schema, "/sections").json()

    assert sections
    for section in sections:
        answer = get(api_schema, "/sections/{slug}", path={"slug": section["slug"]})
        assert answer.json()["id"] == section["id"]


@pytest.mark.parametrize(
    ("listing", "detail", "key"),
    [
        ("/tags", "/tags/{slug}", "slug"),
        ("/authors", "/authors/{slug}", "slug"),
        ("/experts", "/experts/{slug}", "slug"),
        ("/quotes", "/quotes/{pk}", "pk"),
    ],
)
def test_each_listed_item_conforms_in_detail(api_schema, listing, detail, key):
    items = every_page(api_schema, listing)

    assert items
    field = "id" if key == "pk" else key
    for item in items:
        answer = get(api_schema, detail, path={key: item[field]}).json()
        assert answer[field] == item[field]


def test_quotes_of_one_expert_conform(api_schema):
    quotes = every_page(api_schema, "/quotes", expert="siobhan-adeyemi")

    assert {quote["expert"]["slug"] for quote in quotes} == {"siobhan-adeyemi"}


REFUSALS = [
    ("/articles", {}, {"section": "no-such-section"}, 400),
    ("/articles", {}, {"cursor": "not-a-cursor"}, 400),
    ("/articles", {}, {"q": "?!"}, 400),
    ("/articles", {}, {"limit": 0}, 422),
    ("/articles", {}, {"order": "popular"}, 422),
    ("/articles", {}, {"published_since": "last week"}, 422),
    ("/articles/{pk}", {"pk": 999_999}, {}, 404),
    ("/articles/{pk}", {"pk": 1}, {"preview": "not-a-token"}, 403),
    ("/articles/{section}/{slug}", {"section": "baby", "slug": "nope"}, {}, 404),
    ("/sections/{slug}", {"slug": "nope"}, {}, 404),
    ("/tags", {}, {"limit": 101}, 422),
    ("/tags/{slug}", {"slug": "nope"}, {}, 404),
    ("/authors", {}, {"cursor": "not-a-cursor"}, 400),
    ("/authors/{slug}", {"slug": "nope"}, {}, 404),
    ("/experts/{slug}", {"slug": "nope"}, {}, 404),
    ("/quotes", {}, {"limit": "many"}, 422),
    ("/quotes/{pk}", {"pk": 999_999}, {}, 404),
]


@pytest.mark.parametrize(
    ("template", "path", "query", "status"),
    REFUSALS,
    ids=[f"{status} {t}?{urlencode(q)}" for t, _, q, status in REFUSALS],
)
def test_refusals_conform_in_the_error_shape(api_schema, template, path, query, status):
    body = get(api_schema, template, status, path=path, **query).json()

    assert body["status"] == status
    assert body["detail"]


def demo_draft():
    from articles.models import Article

    return Article.objects.get(status=Article.Status.DRAFT)


def test_a_draft_is_not_found(api_schema):
    get(api_schema, "/articles/{pk}", 404, path={"pk": demo_draft().pk})


def test_a_preview_token_shows_the_draft_it_was_made_for(api_schema):
    from articles.previews import make_share_token

    draft = demo_draft()
    token = make_share_token(draft)

    shown = get(api_schema, "/articles/{pk}", path={"pk": draft.pk}, preview=token)

    assert shown.json()["preview"] is True
    assert shown.headers["cache-control"] == ["private, no-store"]


def test_an_old_address_moves_to_the_new_one(api_schema, live):
    section, old, new = MOVED

    moved = get(
        api_schema,
        "/articles/{section}/{slug}",
        301,
        path={"section": section, "slug": old},
    )

    assert moved.headers["location"] == [f"{live}{API}/articles/{section}/{new}"]


def test_past_the_rate_limit_the_answer_is_429_in_the_error_shape(api_schema, settings):
    settings.CMS_API_RATE_LIMIT = 1
    case = api_schema[f"{API}/sections"]["GET"].Case()
    # Two in one clock minute, whichever minute the first falls in.
    for _ in range(3):
        response = case.call()
        if response.status_code == 429:
            break

    case.validate_response(response, checks=CONFORMANCE)
    assert response.status_code == 429
    assert int(response.headers["retry-after"][0]) >= 1


def test_nul_byte_in_a_parameter_is_refused_in_the_error_shape(api_schema):
    body = get(api_schema, "/tags", 400, cursor="\x00").json()

    assert body["error"] == "bad_request"


def test_an_id_too_large_for_the_database_is_not_found(api_schema):
    get(api_schema, "/articles/{pk}", 404, path={"pk": 2**63})


@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_fuzzed_valid_requests_get_documented_answers_never_a_server_error(
    api_schema, label
):
    operation = api_schema.find_operation_by_label(label)

    # Bounded and seeded: the same 25 requests per operation on every run.
    @fuzzing(max_examples=25, derandomize=True, deadline=None, database=None)
    @given(case=operation.as_strategy())
    def fuzz(case):
        case.call_and_validate(checks=CONFORMANCE, allow_redirects=False)

    fuzz()
