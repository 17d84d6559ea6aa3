"""Every public URL pattern, with malformed paths, queries and headers: never a 5xx.

The patterns are discovered from the URL resolver, so a new page, feed or endpoint is
fuzzed without being named here; the admin site and markdownx (staff only) have their
own fuzz in test_admin_fuzz.py. Requests go to the demo content, mixing its real
addresses with junk. Hypothesis draws them, bounded by ``EXAMPLES_PER_ROUTE``.
"""

import re
from dataclasses import dataclass
from functools import cache
from html import unescape
from urllib.parse import quote, urlsplit

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, URLResolver, get_resolver, resolve, reverse
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from articles.models import Article
from articles.previews import make_share_token
from cms.views import markdownx_urls
from tests.cms.test_admin_fuzz import as_template

# Drawn requests per pattern, after its fixed examples (``fixed_examples``): about
# 25 patterns stay well under a minute on two cores.
EXAMPLES_PER_ROUTE = 20

SEGMENTS = [
    "",
    ".",
    "..",
    "../..",
    "%2e%2e",
    "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "a/b",
    "%2F",
    "//",
    "%",
    "%zz",
    "%C3%28",
    "%E2%80%AE",
    "%00",
    "%FF%FE",
    "~",
    "-",
    "_",
    "0",
    "-1",
    "1.5",
    "1e9",
    "99999999999999999999",
    "9223372036854775808",
    "é",
    "日本語",
    "💥",
    "\u202e",
    "<script>",
    "'",
    '"',
    ";",
    "index.php",
    ".env",
    "rss",
    "x" * 255,
    "x" * 4000,
]
VALUES = [
    "",
    "0",
    "-1",
    "-99999999999999999999",
    "99999999999999999999",
    "9223372036854775808",
    "1e308",
    "NaN",
    "last",
    "%",
    "%zz",
    "%C3%28",
    "%00",
    "\x00",
    "é",
    "💥",
    "a" * 20000,
    "'\"<>&;",
    "*:()!|&",
]
KEYS = ["page", "q", "p", "format", "utm_source", "token", "sort", "next", "lang"]
RAW_QUERIES = ["&&==&", "=", "%", "a=%zz", ";;", "a" * 30000, "a=1&" * 1200]
HEADERS = {
    "Accept-Language": [
        "*",
        "xx",
        "en-GB;q=abc",
        ",,,",
        "en;q=1.5",
        "zh-Hant-TW;q=0.9, ;q=",
        "de-DE-x-private-ab",
        "a" * 5000,
    ],
    "If-None-Match": ["*", '"abc"', 'W/"x"', "garbage", '"' * 100, "W/"],
    "If-Modified-Since": [
        "Sat, 29 Oct 1994 19:43:31 GMT",
        "Mon, 32 Foo 99999 99:99:99 GMT",
        "yesterday",
        "0",
        "-1",
    ],
    "Range": [
        "bytes=0-0",
        "bytes=-1",
        "bytes=5-1",
        "bytes=99999999999999999999-",
        "bytes=0-0," * 200,
        "lines=1-2",
        "bytes=garbage",
    ],
    "Cookie": [
        "sessionid=garbage",
        f"{django_settings.CSRF_COOKIE_NAME}={'x' * 4096}",
        "; ".join(f"c{n}={'v' * 100}" for n in range(100)),
        "=; ;;=;",
        "a=%zz; é=é",
        "sessionid=\x00",
    ],
    "Accept": ["*/*", "application/json", "text/html;q=abc", "a" * 2000],
    "X-Forwarded-Proto": ["https", "garbage"],
    "Referer": ["javascript:alert(1)", "http://[::1", "💥"],
}


def wsgi_text(value: str) -> str:
    """``value`` as a WSGI server hands it over: UTF-8 bytes read as Latin-1."""
    return value.encode("utf-8", "surrogatepass").decode("latin-1")


segment = st.one_of(st.sampled_from(SEGMENTS), st.text(max_size=20))
value = st.one_of(st.sampled_from(VALUES), st.text(max_size=20))
pairs = st.lists(
    st.tuples(st.one_of(st.sampled_from(KEYS), st.text(max_size=8)), value),
    max_size=6,
)
query_string = st.one_of(
    pairs.map(
        lambda items: "&".join(
            f"{quote(k, safe='%')}={quote(v, safe='%')}" for k, v in items
        )
    ),
    st.sampled_from(RAW_QUERIES),
)
# Host names the site answers to, spelt differently (any other is a 400 by design).
HOSTS = ["testserver", "TESTSERVER", "testserver:80", "localhost:8000", "[::1]:8000"]
headers = st.fixed_dictionaries(
    {},
    optional={
        "Host": st.sampled_from(HOSTS),
        **{
            name: st.one_of(
                st.sampled_from(choices), st.text(max_size=30).map(wsgi_text)
            )
            for name, choices in HEADERS.items()
        },
    },
)
method = st.sampled_from(["GET", "GET", "GET", "HEAD", "POST", "OPTIONS"])


@dataclass(frozen=True)
class Route:
    template: str  # "/<category_slug>/<slug>/" written "/{category_slug}/{slug}/"
    name: str

    @property
    def params(self) -> list[str]:
        return re.findall(r"{(\w+)}", self.template)

    def url(self, values: dict[str, str]) -> str:
        return re.sub(
            r"{(\w+)}", lambda m: quote(values[m[1]], safe="/%"), self.template
        )

    def __str__(self):
        return self.template


def public_routes() -> list[Route]:
    """Every URL pattern but the admin site's and markdownx's."""

    def walk(patterns, prefix, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace == "admin" or entry.url_patterns is markdownx_urls:
                    continue
                inner = f"{entry.namespace}:" if entry.namespace else namespace
                yield from walk(
                    entry.url_patterns, prefix + as_template(entry.pattern), inner
                )
            else:
                yield Route(prefix + as_template(entry.pattern), namespace + entry.name)

    return list(walk(get_resolver().url_patterns, "/", ""))


ROUTES = public_routes()
LINK = re.compile(r'(?:href|src)="([^"]+)"|<loc>([^<]+)</loc>')
UPLOAD = "fuzz/a.png"


@cache
def real_addresses(demo_key) -> list[str]:
    """Addresses that exist: each object's page (two of every model that has one),
    every address those pages and the sitemaps link to (tags, feeds, sections), a
    share link, a preview and a reset link's shape."""
    client = Client()
    pages = [reverse("articles:home"), reverse("sitemap")]
    for model in apps.get_models():
        if hasattr(model, "get_absolute_url"):
            for obj in model._default_manager.order_by("pk")[:2]:
                pages.append(obj.get_absolute_url())
    article = Article.objects.published().first()
    addresses = set(pages)
    for page in pages:
        for link in LINK.finditer(client.get(page).content.decode()):
            addresses.add(unescape(link[1] or link[2]))
    addresses = {urlsplit(a).path for a in addresses if a.startswith(("/", "http"))}
    addresses |= {
        reverse("articles:share_preview", args=[make_share_token(article)]),
        reverse("articles:preview", args=[article.pk]),
        reverse("password_reset_confirm", args=["MQ", "set-password"]),
        f"{django_settings.MEDIA_URL}{article.hero_image.file.name}",  # never written
        f"{django_settings.MEDIA_URL}{UPLOAD}",
    }
    return sorted(addresses)


@pytest.fixture
def targets(demo, settings):
    """Real path values per route, and per parameter name across all routes."""
    upload = settings.MEDIA_ROOT / UPLOAD
    upload.parent.mkdir(parents=True)
    upload.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 200)
    by_route: dict[str, list[dict]] = {}
    by_param: dict[str, set[str]] = {}
    key = tuple(Article.objects.order_by("pk").values_list("pk", flat=True))
    for address in real_addresses(key):
        try:
            match = resolve(address)
        except Resolver404:
            continue
        by_route.setdefault(match.view_name, []).append(
            {name: str(value) for name, value in match.kwargs.items()}
        )
        for name, value in match.kwargs.items():
            by_param.setdefault(name, set()).add(str(value))
    return by_route, {name: sorted(values) for name, values in by_param.items()}


def path_values(route: Route, by_route, by_param):
    """A real address's values, or each parameter a real value or junk."""
    mixed = st.fixed_dictionaries(
        {
            param: st.one_of(st.sampled_from(by_param[param]), segment)
            if param in by_param
            else segment
            for param in route.params
        }
    )
    real = by_route.get(route.name)
    if not real:
        return mixed
    return st.one_of(st.sampled_from(real), mixed)


@pytest.mark.slow
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_no_public_url_answers_5xx_to_malformed_requests(route, targets):
    by_route, by_param = targets
    client = Client()  # a view's exception is raised here, with its traceback

    @settings(
        max_examples=EXAMPLES_PER_ROUTE,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(
        values=path_values(route, by_route, by_param),
        query=query_string,
        headers=headers,
        method=method,
    )
    def request(values, query, headers, method):
        url = route.url(values) + (f"?{query}" if query else "")
        with transaction.atomic():  # each request sees the demo as loaded
            response = client.generic(method, url, headers=headers)
            transaction.set_rollback(True)
        assert response.status_code < 500, (method, url, headers)

    for values, query in fixed_examples(route, by_route.get(route.name)):
        request = example(values=values, query=query, headers={}, method="GET")(request)
    request()


def fixed_examples(route: Route, real: list[dict] | None):
    """Tried first, whatever is drawn: every junk segment in every parameter, and
    every junk value in the parameters pages read, at a real address."""
    if route.params:
        for junk in SEGMENTS:
            yield dict.fromkeys(route.params, junk), ""
    address = real[0] if real else dict.fromkeys(route.params, "x")
    for junk in VALUES:
        value = quote(junk, safe="%")
        yield address, f"page={value}&q={value}&p={value}"


def test_the_fuzz_reaches_every_kind_of_public_url():
    names = {route.name for route in ROUTES}
    assert {
        "articles:home",
        "articles:detail",
        "articles:category",
        "articles:search",
        "articles:feed_rss",
        "articles:section_feed_atom",
        "articles:share_preview",
        "experts:detail",
        "sitemap",
        "sitemaps",
        "health",
        "robots",
        "media",
        "password_reset_confirm",
    } <= names
    assert not any(name.startswith(("admin:", "markdownx")) for name in names)
