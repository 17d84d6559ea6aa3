"""Every staff URL, for every role, with malformed ids, queries and posts: never a 5xx.

The URLs are the ones the admin site lists (every ModelAdmin's and custom views such
as the article comparison), so a new model or view is fuzzed without being named
here. Hypothesis draws the requests; the run is bounded by ``EXAMPLES_PER_URL``.
"""

import itertools
import re
from dataclasses import dataclass, field

import pytest
import reversion
from bs4 import BeautifulSoup
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, reverse
from django.urls.resolvers import RegexPattern
from hypothesis import Phase, given, settings
from hypothesis import strategies as st
from reversion.models import Version

from articles.models import Article
from cms.views import markdownx_urls
from tests.factories import (
    ArticleFactory,
    ArticleQuoteFactory,
    ArticleSourceFactory,
    AuthorFactory,
    CalloutFactory,
    CategoryFactory,
    ExpertFactory,
    ExternalLinkFactory,
    ListItemFactory,
    QuoteFactory,
    RelatedLinkFactory,
    TagFactory,
    UserFactory,
    image_file,
)

# Each URL pattern gets this many drawn requests per role (a GET and a POST each):
# about 80 patterns x 4 roles keeps the file well under a minute on two cores.
EXAMPLES_PER_URL = 2

ROLES = ["superuser", "Writer", "Editor", "Site admin"]

NASTY = [
    "abc",
    "-1",
    "0",
    "1.5",
    "1e3",
    "99999999999999999999",
    "9223372036854775808",
    "\x00",
    "1\x00",
    "é",
    "日本語",
    "💥",
    "%",
    "%25",
    "%00",
    "%zz",
    "%2F",
    "%C3%28",
    "",
    " ",
    "null",
    "'",
    '"',
    "<b>",
    "..",
    "1,2",
    "_5F",
    "1/2",
]
junk = st.one_of(st.sampled_from(NASTY), st.text(max_size=8))
junk_file = st.builds(
    SimpleUploadedFile,
    st.sampled_from(["photo.png", "x.jpg", "😀.webp", "noext", ".png"]),
    st.binary(max_size=64),
)
real_image = st.builds(image_file)

CHANGELIST_KEYS = ["q", "o", "p", "e", "_to_field", "_popup", "_facets", "all"]
OTHER_KEYS = ["_to_field", "_popup", "_changelist_filters", "from", "to", "next"]
AUTOCOMPLETE_KEYS = ["term", "app_label", "model_name", "field_name", "page"]
FORM_BUTTONS = ["_save", "_continue", "_addanother", "_saveasnew"]
POST_KEYS = [
    "post",
    "image",
    "content",
    "edit_version",
    "username",
    "password",
    "password1",
    "password2",
    "old_password",
    "new_password1",
    "new_password2",
    "usable_password",
]

PARAM = re.compile(r"<(?:\w+:)?(\w+)>")
NAMED_GROUP = re.compile(r"\(\?P<(\w+)>[^()]*\)")
GROUP = re.compile(r"\([^()]*\)")


@dataclass(frozen=True)
class Route:
    template: str  # "/admin/articles/article/{object_id}/change/"
    name: str
    model_admin: admin.ModelAdmin | None

    @property
    def params(self) -> list[str]:
        return re.findall(r"{(\w+)}", self.template)

    def url(self, values: dict[str, str]) -> str:
        return re.sub(r"{(\w+)}", lambda m: values[m[1]], self.template)


def as_template(pattern) -> str:
    """A URL pattern as text, each parameter written ``{name}``."""
    text = str(pattern)
    if isinstance(pattern, RegexPattern):
        text = NAMED_GROUP.sub(r"{\1}", text.removeprefix("^").removesuffix("$"))
        numbers = itertools.count()
        text = GROUP.sub(lambda _: f"{{arg{next(numbers)}}}", text)
        return text.replace("\\", "")
    return PARAM.sub(r"{\1}", text)


def registered_models() -> list:
    return [model for model in apps.get_models() if admin.site.is_registered(model)]


def staff_routes() -> list[Route]:
    """Every URL pattern of the admin site, nested ones included, and markdownx's."""
    model_admins = {}
    for model in registered_models():
        opts = model._meta
        model_admins[f"{opts.app_label}/{opts.model_name}/"] = (
            admin.site.get_model_admin(model)
        )

    def walk(patterns, prefix, model_admin):
        for entry in patterns:
            text = as_template(entry.pattern)
            if isinstance(entry, URLResolver):
                owner = model_admins.get(text, model_admin)
                yield from walk(entry.url_patterns, prefix + text, owner)
            else:
                yield Route(prefix + text, entry.name or "", model_admin)

    return [
        *walk(admin.site.get_urls(), reverse("admin:index"), None),
        *walk(markdownx_urls, "/markdownx/", None),
    ]


def form_data(html: str) -> dict[str, list[str]]:
    """The admin form's fields as a browser sends them, files left out."""
    form = BeautifulSoup(html, "html.parser").select_one("#content-main form")
    data: dict[str, list[str]] = {}
    for element in form.select("input[name], select[name], textarea[name]"):
        kind = element.get("type", "text")
        if kind in {"file", "submit", "button"}:
            continue
        if kind in {"checkbox", "radio"} and not element.has_attr("checked"):
            continue
        if element.name == "select":
            values = [o.get("value", "") for o in element.select("option[selected]")]
        elif element.name == "textarea":
            values = [element.get_text().removeprefix("\n")]
        else:
            default = "on" if kind in {"checkbox", "radio"} else ""
            values = [element.get("value", default)]
        data.setdefault(element["name"], []).extend(values)
    return data


@dataclass
class Site:
    """What the fuzz aims at: real ids to mix with junk, and each form as rendered."""

    routes: list[Route]
    users: dict[str, object]
    ids: dict[str, list[str]] = field(default_factory=dict)
    forms: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    autocomplete: list[dict[str, str]] = field(default_factory=list)

    def real_ids(self, route: Route, param: str) -> list[str]:
        model = route.model_admin.model if route.model_admin else None
        if param in {"object_id", "id", "arg0"} and model is not None:
            return self.ids.get(model._meta.label, [])
        return self.ids.get(param, [])


@pytest.fixture
def site(db):
    """Something of every kind to aim at (an article with a byline, quote, list item,
    links and two revisions; an expert, callout, tag and sections), a login per role
    (the Writer has the byline), and each add and change form as a superuser sees it."""
    writer = UserFactory(staff=True, username="fuzz-writer")
    article = ArticleFactory(
        published=True, authors=[AuthorFactory(user=writer)], reviewed=True
    )
    article.tags.add(TagFactory())
    ArticleQuoteFactory(article=article, quote=QuoteFactory(expert=ExpertFactory()))
    ListItemFactory(article=article)
    RelatedLinkFactory(article=article)
    ArticleSourceFactory(article=article)
    ArticleFactory(category=CategoryFactory(parent=article.category))
    CalloutFactory()
    ExternalLinkFactory()
    for title in ["First take", "Second take"]:
        with reversion.create_revision():
            article.title = title
            article.save()

    users = {"superuser": UserFactory(superuser=True, username="fuzz-superuser")}
    for role in ROLES[1:]:
        user = writer if role == "Writer" else UserFactory(staff=True)
        user.groups.add(Group.objects.get(name=role))
        users[role] = user

    routes = staff_routes()
    target = Site(routes=routes, users=users)
    for model in registered_models():
        first = model._default_manager.order_by("pk").first()
        target.ids[model._meta.label] = [str(first.pk)] if first else []
    target.ids["version_id"] = target.ids["arg1"] = [
        str(pk) for pk in Version.objects.values_list("pk", flat=True)
    ]
    target.ids["content_type_id"] = [str(ContentType.objects.get_for_model(Article).pk)]
    target.ids["app_label"] = sorted({m._meta.app_label for m in registered_models()})
    target.autocomplete = [
        {
            "app_label": model._meta.app_label,
            "model_name": model._meta.model_name,
            "field_name": name,
        }
        for model in registered_models()
        for name in admin.site.get_model_admin(model).autocomplete_fields
    ]

    client = Client()
    client.force_login(users["superuser"])
    for route in routes:
        if route.name.endswith(("_add", "_change")):
            values = {p: (target.real_ids(route, p) or ["0"])[0] for p in route.params}
            page = client.get(route.url(values))
            if page.status_code == 200:  # some models have no add or change form
                target.forms[route.name] = form_data(page.content.decode())
    return target


def path_values(site: Site, route: Route):
    """Each URL parameter: a real id first (the simplest example), else junk."""
    return st.fixed_dictionaries(
        {
            param: st.one_of(st.sampled_from(real), junk)
            if (real := site.real_ids(route, param))
            else junk
            for param in route.params
        }
    )


def query(site: Site, route: Route):
    """A query string: the changelist's own parameters and filters, autocomplete's
    source field, or the few that every admin page reads."""
    if route.name == "autocomplete":
        return st.builds(
            lambda source, extra: {**source, **extra},
            st.sampled_from(site.autocomplete),
            st.dictionaries(st.sampled_from(AUTOCOMPLETE_KEYS), junk, max_size=3),
        )
    if route.name.endswith("_changelist"):
        model_admin = route.model_admin
        lookups = [
            getattr(item, "parameter_name", item) for item in model_admin.list_filter
        ]
        if model_admin.date_hierarchy:
            lookups.append(model_admin.date_hierarchy)
        keys = CHANGELIST_KEYS + [
            f"{name}{suffix}"
            for name in lookups
            if isinstance(name, str)
            for suffix in ["", "__exact", "__id__exact", "__isnull", "__gte", "__year"]
        ]
        orderings = st.lists(st.integers(-12, 12), max_size=3).map(
            lambda numbers: ".".join(map(str, numbers))
        )
        return st.dictionaries(
            st.sampled_from(keys), st.one_of(junk, orderings), max_size=4
        )
    return st.dictionaries(
        st.one_of(st.sampled_from(OTHER_KEYS), junk), junk, max_size=2
    )


def form_post(site: Site, route: Route):
    """A post: an action with chosen ids, the page's own form with a few fields
    changed to junk, or junk fields alone."""
    model_admin = route.model_admin
    if route.name.endswith("_changelist"):
        actions = [getattr(a, "__name__", a) for a in model_admin.actions or []]
        pks = st.sampled_from(site.real_ids(route, "object_id") or ["1"])
        return st.fixed_dictionaries(
            {
                "action": st.one_of(
                    st.sampled_from(["delete_selected", *actions]), junk
                ),
                "_selected_action": st.lists(st.one_of(pks, junk), max_size=3),
            },
            optional={
                "index": st.one_of(st.sampled_from(["0", "1", "-1", "7"]), junk),
                "select_across": st.one_of(st.sampled_from(["0", "1"]), junk),
                "post": st.just("yes"),
                "_save": st.just("Save"),
            },
        )
    if route.name in site.forms:
        base = site.forms[route.name]
        fields = sorted(base) or ["name"]
        return st.builds(
            lambda changes, button: {**base, **changes, button: "Save"},
            st.dictionaries(
                st.one_of(st.sampled_from(fields), junk),
                st.one_of(junk, junk_file, real_image),
                max_size=3,
            ),
            st.sampled_from(FORM_BUTTONS),
        )
    return st.dictionaries(
        st.one_of(st.sampled_from(POST_KEYS), junk),
        st.one_of(junk, junk_file),
        max_size=3,
    )


@settings(
    max_examples=EXAMPLES_PER_URL,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
)
@given(data=st.data())
def fuzz_route(client, site, route, failures, data):
    url = route.url(data.draw(path_values(site, route), label="path"))
    session = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    for method, payload in [
        ("get", data.draw(query(site, route), label="query")),
        ("post", data.draw(form_post(site, route), label="post")),
    ]:
        # Each request is rolled back and the login kept, so a delete or a logout
        # leaves the next request the same site to aim at.
        with transaction.atomic():
            response = getattr(client, method)(url, payload)
            transaction.set_rollback(True)
        client.cookies[django_settings.SESSION_COOKIE_NAME] = session
        if response.status_code >= 500:
            failures.append(
                f"{response.status_code} {method.upper()} {url!r} {payload!r}"
            )


@pytest.mark.slow
@pytest.mark.parametrize("role", ROLES)
def test_no_staff_url_answers_5xx_to_malformed_requests(site, role):
    client = Client(raise_request_exception=False)
    client.force_login(site.users[role])
    failures: list[str] = []

    for route in site.routes:
        fuzz_route(client, site, route, failures)

    assert not failures, "\n".join(failures)


def test_the_fuzz_reaches_every_model_admin_and_custom_view():
    names = {route.name for route in staff_routes()}

    for model in registered_models():
        opts = model._meta
        assert f"{opts.app_label}_{opts.model_name}_changelist" in names
        assert f"{opts.app_label}_{opts.model_name}_change" in names
    assert {
        "autocomplete",
        "articles_article_compare",
        "articles_article_restore",
        "auth_user_password_change",
        "markdownx_upload",
    } <= names
