"""Every response tells browsers what they may load and run: a Content-Security-Policy
with no inline script, and a Permissions-Policy, on public pages, the admin, errors and
pages the page cache answers."""

import json

import pytest
from django.contrib import admin
from django.urls import URLResolver, get_resolver, reverse

from articles.previews import make_share_token
from tests.cms.test_settings import run_python
from tests.factories import (
    ArticleFactory,
    ArticleQuoteFactory,
    AuthorFactory,
    TagFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

EXPECTED = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'", "'unsafe-inline'"},
    "img-src": {"'self'", "data:"},
    "connect-src": {"'self'"},
    "object-src": {"'none'"},
    "base-uri": {"'none'"},
    "frame-ancestors": {"'none'"},
    "form-action": {"'self'"},
}
DENIED_FEATURES = {
    "camera",
    "microphone",
    "geolocation",
    "payment",
    "usb",
    "browsing-topics",
}


def policy(header: str) -> dict[str, set[str]]:
    """A Content-Security-Policy header as {directive: sources}."""
    directives = {}
    for part in filter(str.strip, header.split(";")):
        name, *sources = part.split()
        directives[name] = set(sources)
    return directives


def assert_protected(headers, where):
    """``headers`` (any case) carry our CSP and deny the features no page uses."""
    headers = {name.lower(): value for name, value in headers.items()}
    assert policy(headers.get("content-security-policy", "")) == EXPECTED, where
    features = dict(
        item.strip().split("=", 1)
        for item in headers.get("permissions-policy", "").split(",")
    )
    assert all(features.get(name) == "()" for name in DENIED_FEATURES), where
    # Chrome logs a feature it does not know as a console error (Lighthouse's best
    # practices): FLoC's, retired in 2022, is not sent.
    assert "interest-cohort" not in features, where


def named_routes(patterns=None, namespace=""):
    """Every named URL pattern, "namespace:name", the admin's own left out."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = (
                f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            )
            yield from named_routes(pattern.url_patterns, inner)
        elif pattern.name:
            yield namespace + pattern.name, pattern.pattern.converters


@pytest.fixture
def content():
    """One of everything a public page shows."""
    tag = TagFactory()
    author = AuthorFactory()
    article = ArticleFactory(published=True, authors=[author])
    article.tags.add(tag)
    placed = ArticleQuoteFactory(article=article)
    draft = ArticleFactory()
    return {
        "media": {"path": "nothing-here.jpg"},
        "password_reset_confirm": {"uidb64": "MQ", "token": "set-password"},
        "sitemaps": {"section": "articles"},
        "experts:detail": {"slug": placed.quote.expert.slug},
        "articles:author": {"slug": author.slug},
        "articles:tag": {"slug": tag.slug},
        "articles:author_feed_rss": {"slug": author.slug},
        "articles:author_feed_atom": {"slug": author.slug},
        "articles:section_feed_rss": {"slug": article.category.slug},
        "articles:section_feed_atom": {"slug": article.category.slug},
        "articles:preview": {"pk": draft.pk},
        "articles:share_preview": {"token": make_share_token(draft)},
        "articles:category": {"slug": article.category.slug},
        "articles:detail": {
            "category_slug": article.category.slug,
            "slug": article.slug,
        },
        "api:article": {"pk": article.pk},
        "api:article_at": {"section": article.category.slug, "slug": article.slug},
        "api:section": {"slug": article.category.slug},
        "api:tag": {"slug": tag.slug},
        "api:author": {"slug": author.slug},
        "api:expert": {"slug": placed.quote.expert.slug},
        "api:quote": {"pk": placed.quote_id},
    }


def test_every_public_address_has_the_policies(client, content):
    seen = {}
    for name, converters in named_routes():
        if converters or name == "media":
            assert name in content, f"No sample address for {name}: add one above."
        url = reverse(name, kwargs=content.get(name))
        response = client.get(url)
        assert response.status_code < 500, url
        assert_protected(response.headers, url)
        seen[name] = response.status_code

    # The real pages, not only their refusals.
    for name in [
        "articles:home",
        "articles:detail",
        "articles:share_preview",
        "api:article",
        "api:quote",
    ]:
        assert seen[name] == 200, name
    assert {"experts:detail", "articles:feed_rss", "sitemaps"} <= set(seen)


@pytest.mark.parametrize(
    "url", ["/no/such/page/", "/no-such-section/", "/no-such/article/"]
)
def test_not_found_pages_have_the_policies(client, url):
    response = client.get(url)

    assert response.status_code == 404
    assert_protected(response.headers, url)


def test_the_500_page_has_the_policies(client, monkeypatch):
    from articles import views

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(views.HomeView, "get", broken)
    client.raise_request_exception = False

    response = client.get("/")

    assert response.status_code == 500
    assert_protected(response.headers, "500")


def test_the_login_page_and_lockout_page_have_the_policies(client, settings):
    login = client.get(reverse("admin:login"))
    UserFactory(username="edna", staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        locked = client.post(
            reverse("admin:login"), {"username": "edna", "password": "wrong"}
        )

    assert_protected(login.headers, "login")
    assert locked.status_code == 429
    assert_protected(locked.headers, "lockout")


def test_every_admin_list_and_form_has_the_policies(client, content):
    client.force_login(UserFactory(superuser=True))
    for model in admin.site._registry:
        opts = model._meta
        prefix = f"admin:{opts.app_label}_{opts.model_name}"
        urls = [reverse(f"{prefix}_changelist"), reverse(f"{prefix}_add")]
        obj = model._default_manager.first()
        if obj is not None:
            urls.append(reverse(f"{prefix}_change", args=[obj.pk]))
        for url in urls:
            response = client.get(url)
            # Some models cannot be added by hand (403): the refusal is covered too.
            assert response.status_code in (200, 302, 403), url
            assert_protected(response.headers, url)
    assert_protected(client.get(reverse("admin:index")).headers, "admin index")


def test_the_live_preview_and_static_files_have_the_policies(client):
    client.force_login(UserFactory(superuser=True))

    preview = client.post(reverse("markdownx_markdownify"), {"content": "*Hi*"})
    static = client.get("/static/cms/site/site.css")

    assert preview.status_code == 200
    assert_protected(preview.headers, "preview")
    assert_protected(static.headers, "static")


def test_pages_from_the_page_cache_keep_the_policies(server):
    article = ArticleFactory(published=True)

    for url in [article.get_absolute_url(), "/", reverse("articles:feed_rss")]:
        first, second = server.get(url), server.get(url)

        assert (first.status, second.status) == (200, 200)
        assert second.hit
        for response in (first, second):
            assert_protected(response.headers, url)


@pytest.mark.slow
@pytest.mark.parametrize(
    "env, media_origin",
    [
        ({}, None),
        (
            {
                "MEDIA_S3_BUCKET": "cms-media",
                "MEDIA_S3_CUSTOM_DOMAIN": "media.example.net",
            },
            "https://media.example.net",
        ),
        ({"MEDIA_S3_BUCKET": "cms-media"}, "https://cms-media.s3.amazonaws.com"),
        (
            {
                "MEDIA_S3_BUCKET": "cms-media",
                "MEDIA_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
            },
            "http://127.0.0.1:9000",
        ),
        (
            {"DJANGO_MEDIA_URL": "https://cdn.example.org/media/"},
            "https://cdn.example.org",
        ),
    ],
)
def test_images_may_come_from_the_media_host(env, media_origin):
    result = run_python(
        "-c",
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']))",
        DJANGO_SECRET_KEY="x" * 50,
        **env,
    )

    assert result.returncode == 0, result.stderr
    img_src = json.loads(result.stdout.strip().splitlines()[-1])
    assert img_src == ["'self'", "data:"] + ([media_origin] if media_origin else [])


# HSTS, and Django's deployment check


def test_https_responses_ask_browsers_to_stay_on_https_for_a_year(client):
    response = client.get("/", secure=True)

    assert response["Strict-Transport-Security"] == "max-age=31536000"


def loaded(*names, **env):
    result = run_python(
        "-c",
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps([getattr(settings, name) for name in {list(names)!r}]))",
        **env,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


HSTS = ("SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD")


@pytest.mark.slow
def test_hsts_is_on_by_default_without_debug_and_off_with_it():
    assert loaded(*HSTS, DJANGO_SECRET_KEY="x" * 50) == [31536000, False, False]
    assert loaded(*HSTS, DJANGO_DEBUG="1") == [0, False, False]


@pytest.mark.slow
def test_hsts_opts_out_with_zero_and_in_to_subdomains_and_preload():
    key = "x" * 50
    assert loaded(*HSTS, DJANGO_SECRET_KEY=key, DJANGO_HSTS_SECONDS="0")[0] == 0
    assert loaded(
        *HSTS,
        DJANGO_SECRET_KEY=key,
        DJANGO_HSTS_INCLUDE_SUBDOMAINS="1",
        DJANGO_HSTS_PRELOAD="1",
    ) == [31536000, True, True]


PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "k3y-" + "abcdefghijklmnopqrstuvwxyz0123456789" * 2,
    "DJANGO_ALLOWED_HOSTS": "www.example.com",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://www.example.com",
    "DJANGO_SECURE_SSL_REDIRECT": "1",
    "DJANGO_BEHIND_PROXY": "1",
}


@pytest.mark.slow
def test_the_deployment_check_passes_with_production_settings():
    result = run_python(
        "manage.py", "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.slow
def test_the_deployment_check_warns_when_https_is_switched_off():
    plain_http = {
        **PRODUCTION,
        "DJANGO_HSTS_SECONDS": "0",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
    }

    result = run_python("manage.py", "check", "--deploy", **plain_http)

    for warning in ["security.W004", "security.W008", "security.W012", "security.W016"]:
        assert warning in result.stderr + result.stdout
