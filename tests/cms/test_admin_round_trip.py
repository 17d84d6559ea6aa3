"""Every admin change form, on the demo content, as every role: saved back unchanged
it changes nothing; saved with one small edit it changes exactly that.

The admins are discovered from the admin site, so a new model cannot escape. A role
that may not change an object must be refused (403, or a redirect) or shown a
read-only page, never an error.
"""

import traceback
from collections import Counter
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.postgres.search import SearchVectorField
from django.core.cache import cache
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.test import RequestFactory
from django.urls import reverse
from reversion.models import Revision, Version

from articles.models import Article, ArticleQuote, Category, ListItem, Tag
from articles.roles import ROLES
from cms.models import Image, WebhookDelivery, WebhookEndpoint
from experts.models import Expert
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    ExternalLinkFactory,
    QuoteFactory,
    UserFactory,
)
from tests.html_forms import form_fields, parsed, post_back

User = get_user_model()

SUPERUSER = "superuser"
ROLE_NAMES = [SUPERUSER, *ROLES]  # "Writer", "Editor", "Site admin"
ROLE_PARAMS = [
    pytest.param(role, id=role.lower().replace(" ", "-")) for role in ROLE_NAMES
]

# Admins with no change view for anyone: their change page must be read-only.
# django-tasks-db's task results are a record of what the worker did, and the
# webhooks' delivery log of what the sender did (cms/webhooks.py).
READ_ONLY_ADMINS = {
    "articles.ExternalLink",
    "django_tasks_database.DBTaskResult",
    "cms.WebhookDelivery",
}
# django-axes' records of sign-in attempts (cms/admin.py).
SIGN_IN_RECORDS = {"axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog"}
READ_ONLY_ADMINS |= SIGN_IN_RECORDS
# Admins whose change form has no plain text field to edit (only a unique name), so
# only the unchanged save is tried.
NO_SMALL_CHANGE = {"auth.Group", "articles.Tag", "articles.OldAddress", "cms.ImageTag"}

# What every save updates by design, on top of auto_now timestamps.
BOOKKEEPING_FIELDS = {"articles.Article.version", "articles.Article.modified_by"}
# Rows a save adds beside the object: the admin's log and django-reversion's history.
BOOKKEEPING_MODELS = {LogEntry, Revision, Version}

# Objects tried per model (the demo has fewer of most; the cap keeps a bigger one fast).
MAX_OBJECTS = 12

PROJECT = Path(__file__).resolve().parents[2]


def registered() -> dict[str, admin.ModelAdmin]:
    return {
        model._meta.label: model_admin
        for model, model_admin in admin.site._registry.items()
    }


def admin_params(labels):
    registry = registered()
    return [pytest.param(label, id=type(registry[label]).__name__) for label in labels]


ROUND_TRIPPED = sorted(set(registered()) - READ_ONLY_ADMINS)


# --- People and the writer's own draft ----------------------------------------------


@pytest.fixture
def logins(demo):
    """One staff login per role and a superuser; the Writer has an author and a draft
    of their own; a few other accounts give the user admin something to show."""
    users = {SUPERUSER: UserFactory(username="root", superuser=True)}
    for name in ROLES:
        user = UserFactory(
            username=name.lower().replace(" ", "-"),
            first_name=name.split()[0],
            last_name="Tester",
            is_staff=True,
        )
        user.groups.add(Group.objects.get(name=name))
        users[name] = user
    reader = UserFactory(username="reader", first_name="Rae")
    reader.groups.add(Group.objects.create(name="Newsletter"))
    former = UserFactory(username="former-writer", is_staff=True, is_active=False)
    former.groups.add(Group.objects.get(name="Writer"))
    both = UserFactory(username="writer-and-editor", is_staff=True)
    both.groups.add(*Group.objects.filter(name__in=["Writer", "Editor"]))

    writers_draft(users["Writer"])
    WebhookEndpoint.objects.get_or_create(
        name="Newsletter",
        url="https://hooks.example.org/cms",
        events=["article.published", "article.deleted"],
    )
    return users


def writers_draft(writer) -> Article:
    """A draft the Writer created, under their own byline, with the parts writers add:
    tags, a hero and a list-item image (library images of the demo's), and a quote
    placed in the body that is not signed off yet."""
    author = AuthorFactory(user=writer, display_name="Wren Tester", slug="wren-tester")
    illustrated = (
        Article.objects.filter(hero_image__isnull=False).order_by("pk").first()
    )
    item_image = ListItem.objects.filter(image__isnull=False).order_by("pk").first()
    quote = QuoteFactory(expert=Expert.objects.order_by("pk").first(), not_sent=True)
    draft = ArticleFactory(
        title="Teething: what helps and what to avoid",
        slug="teething-what-helps",
        category=Category.objects.order_by("pk").first(),
        body=(
            "## What helps\n\nSomething cold to chew.\n\n"
            f"{quote.reference}\n\n## What to avoid\n\nAmber necklaces."
        ),
        hero_image=illustrated.hero_image,
        created_by=writer,
        modified_by=writer,
        authors=[author],
    )
    draft.tags.set(Tag.objects.order_by("pk")[:2])
    ArticleQuote.objects.create(article=draft, quote=quote, position=0)
    ListItem.objects.create(
        article=draft,
        position=1,
        heading="A cold teething ring",
        text="Chilled in the fridge, never frozen.",
        image=item_image.image,
    )
    return draft


# --- What is tried, and how ---------------------------------------------------------


def objects_to_try(model) -> list[models.Model]:
    """The model's objects in primary-key order, capped; within the cap come first
    each object with a stored file or a library image, the first object with each
    value of each field that has choices (a quote in each state of sign-off), and the
    newest (such as the Writer's own draft, made after the demo)."""
    objects = list(model._default_manager.order_by("pk"))
    files = [
        f.attname
        for f in model._meta.fields
        if isinstance(f, models.FileField)
        or (f.is_relation and f.related_model is Image)
    ]
    choices = [f.attname for f in model._meta.fields if f.choices]
    first_of_kind = {
        next(obj for obj in objects if getattr(obj, name) == value).pk
        for name in choices
        for value in {getattr(obj, name) for obj in objects}
    }
    newest = objects[-1].pk if objects else None

    def wanted(obj):
        return obj.pk in first_of_kind or any(getattr(obj, name) for name in files)

    # Stable: pk order within each group.
    objects.sort(key=lambda obj: (obj.pk != newest, not wanted(obj)))
    return sorted(objects[:MAX_OBJECTS], key=lambda obj: obj.pk)


def change_url(obj) -> str:
    meta = obj._meta
    return reverse(
        f"admin:{meta.app_label}_{meta.model_name}_change", args=[quote(obj.pk)]
    )


def describe(obj) -> str:
    text = str(obj)
    text = text if len(text) <= 50 else f"{text[:48]}…"
    return f"{obj._meta.object_name} {obj.pk} «{text}»"


def can_submit(page) -> bool:
    """The change page offers a Save button (a view-only page does not)."""
    form = parsed(page.content.decode()).select_one("form[id$=_form]")
    return form is not None and form.select_one("[type=submit][name=_save]") is not None


def is_refused(page) -> bool:
    """Refused: 403, or a redirect (an object the role may not see is "not found")."""
    return page.status_code in (302, 403) and not is_login(page)


def is_login(page) -> bool:
    return page.status_code == 302 and page["Location"].startswith(
        reverse("admin:login")
    )


# --- Snapshots ----------------------------------------------------------------------


def is_bookkeeping(field) -> bool:
    return (
        getattr(field, "auto_now", False)
        or f"{field.model._meta.label}.{field.name}" in BOOKKEEPING_FIELDS
    )


def field_values(obj, *, with_pk=True) -> dict:
    values = {}
    for field in obj._meta.concrete_fields:
        if is_bookkeeping(field) or (field.primary_key and not with_pk):
            continue
        value = field.value_from_object(obj)
        if isinstance(value, FieldFile):
            value = value.name
        elif isinstance(value, datetime):
            # The admin's date and time inputs show whole seconds: a save rounds off
            # what no one could see or type.
            value = value.replace(microsecond=0)
        values[field.attname] = value
    return values


def snapshot(model_admin, pk) -> dict:
    """Every field of the object, its many-to-many choices, each inline's rows, and
    the rows elsewhere that point to it (by content: some are rebuilt on save)."""
    model = model_admin.model
    obj = model._default_manager.get(pk=pk)
    name = model._meta.object_name
    state = {f"{name}.{key}": value for key, value in field_values(obj).items()}
    for field in model._meta.many_to_many:
        state[f"{name}.{field.name}"] = sorted(
            getattr(obj, field.name).values_list("pk", flat=True)
        )
    request = RequestFactory().get("/")
    request.user = User(is_superuser=True, is_staff=True, is_active=True)
    inlined = set()
    for inline in model_admin.get_inline_instances(request, obj):
        fk = inline.get_formset(request, obj).fk
        inlined.add((inline.model, fk.name))
        rows = inline.model._default_manager.filter(**{fk.name: obj})
        for row in rows.order_by("pk"):
            prefix = f"{inline.model._meta.object_name} {row.pk}"
            state.update(
                {f"{prefix}.{key}": value for key, value in field_values(row).items()}
            )
    for rel in model._meta.related_objects:
        related = rel.related_model
        if related in BOOKKEEPING_MODELS or (related, rel.field.name) in inlined:
            continue
        rows = related._default_manager.filter(**{rel.field.name: obj})
        key = f"{related._meta.object_name} rows by {rel.field.name}"
        if rel.many_to_many:
            state[key] = sorted(rows.values_list("pk", flat=True))
        else:
            state[key] = sorted(
                repr(sorted(field_values(row, with_pk=False).items())) for row in rows
            )
    return state


def differences(before: dict, after: dict, *, expected=None) -> list[str]:
    """What changed between two snapshots, apart from the ``expected`` changes."""
    expected = expected or {}
    changed = []
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if key in expected:
            if new != expected[key]:
                changed.append(
                    f"{key}: expected {short(expected[key])}, got {short(new)}"
                )
        elif key not in after:
            changed.append(f"{key}: {short(old)} was deleted")
        elif key not in before:
            changed.append(f"{key}: {short(new)} was added")
        elif old != new:
            changed.append(f"{key}: {change(old, new)}")
    return changed


def short(value, limit=300) -> str:
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def change(old, new) -> str:
    """``old → new``; for long texts, only around where they first differ."""
    if isinstance(old, list) and isinstance(new, list):
        removed = list((Counter(old) - Counter(new)).elements())
        added = list((Counter(new) - Counter(old)).elements())
        return f"removed {short(removed)}, added {short(added)}"
    if isinstance(old, str) and isinstance(new, str) and max(len(old), len(new)) > 80:
        start = next(
            (i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b),
            min(len(old), len(new)),
        )
        start = max(start - 30, 0)
        return (
            f"…{old[start : start + 80]!r}… → …{new[start : start + 80]!r}… "
            f"(from character {start}; lengths {len(old)} → {len(new)})"
        )
    return f"{short(old)} → {short(new)}"


# --- Failures, told precisely -------------------------------------------------------


def form_errors(response) -> str:
    """The errors the admin shows on a form it sent back."""
    context = getattr(response, "context_data", None) or {}
    found = []
    adminform = context.get("adminform")
    if adminform is not None:
        for name, errors in adminform.form.errors.items():
            found.append(f"{name or 'form'}: {' '.join(errors)}")
    for inline in context.get("inline_admin_formsets", []):
        formset = inline.formset
        found += [f"{formset.prefix}: {e}" for e in formset.non_form_errors()]
        for number, errors in enumerate(formset.errors):
            for name, messages in errors.items():
                found.append(f"{formset.prefix}-{number}-{name}: {' '.join(messages)}")
    if not found and context.get("errors"):
        found = [" ".join(error) for error in context["errors"]]
    if not found:
        text = BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)
        found = [f"no form errors shown; page: {text[:300]}"]
    return "; ".join(found)


def where(exc: BaseException) -> str:
    """The innermost line of project code (outside the tests) the exception came from."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        path = Path(frame.filename)
        if (
            path.is_relative_to(PROJECT)
            and ".venv" not in path.parts
            and "tests" not in path.relative_to(PROJECT).parts[:1]
        ):
            return f" at {path.relative_to(PROJECT)}:{frame.lineno} in {frame.name}"
    return ""


def answer(response, step: str) -> str:
    if response.status_code == 200:
        return f"{step} answered 200 with the form again: {form_errors(response)}"
    return f"{step} answered {response.status_code}, expected a 302 redirect"


# --- The small edit -----------------------------------------------------------------


def editable_text_field(page, model):
    """The first text input or textarea of the form, in page order, that edits a plain
    text field of the model (no choices, not unique, no slug, address or login)."""
    form = parsed(page.content.decode()).select_one("form[id$=_form]")
    for element in form.select("input, textarea"):
        if element.name == "input" and element.get("type", "text") != "text":
            continue
        if element.has_attr("disabled") or element.has_attr("readonly"):
            continue
        try:
            field = model._meta.get_field(element.get("name", ""))
        except Exception:
            continue  # an inline's field, or one of the form's own
        if (
            isinstance(field, models.CharField | models.TextField)
            and not isinstance(
                field, models.SlugField | models.EmailField | models.URLField
            )
            and field.editable
            and not field.choices
            and not field.unique
            and field.name not in {"password", getattr(model, "USERNAME_FIELD", None)}
        ):
            return field
    return None


def derived(field) -> list:
    """Fields of the same model that follow an edit of ``field`` by design: its
    rendering (``text`` → ``text_html``) and the search index."""
    return [
        other
        for other in field.model._meta.concrete_fields
        if not other.editable
        and (
            other.name.startswith(f"{field.name}_")
            or isinstance(other, SearchVectorField)
        )
    ]


def edited(value: str, max_length) -> str:
    suffix = " rt"
    if not value:
        return "rt"
    if max_length and len(value) + len(suffix) > max_length:
        return f"{value[: max_length - len(suffix)]}{suffix}"
    return f"{value}{suffix}"


# --- One object, one role -----------------------------------------------------------

REFUSED, VIEW_ONLY, SAVED_UNCHANGED, EDITED = (
    "refused",
    "view only",
    "saved unchanged",
    "edited",
)


def round_trip(client, model_admin, obj) -> tuple[str, list[str]]:
    """GET the change page, save it back unchanged, then with one small edit.

    Returns how far it went and what went wrong."""
    url = change_url(obj)
    page = client.get(url)
    if is_refused(page):
        return REFUSED, []
    if is_login(page):
        return REFUSED, [
            "GET redirected to the login page: the login cannot use the admin"
        ]
    if page.status_code != 200:
        return REFUSED, [f"GET answered {page.status_code}, expected 200, 302 or 403"]
    if not can_submit(page):
        return VIEW_ONLY, []

    problems = []
    before = snapshot(model_admin, obj.pk)
    response = post_back(client, url, page=page)
    if response.status_code != 302:
        return SAVED_UNCHANGED, [answer(response, "saving the form unchanged")]
    if changed := differences(before, snapshot(model_admin, obj.pk)):
        problems.append("saving the form unchanged changed " + "; ".join(changed))

    page = client.get(url)
    field = editable_text_field(page, type(obj))
    if field is None:
        return SAVED_UNCHANGED, problems
    old = form_fields(page.content.decode())[field.name][0]
    new = edited(old, field.max_length)
    before = snapshot(model_admin, obj.pk)
    response = post_back(client, url, page=page, changes={field.name: new})
    if response.status_code != 302:
        return EDITED, [*problems, answer(response, f"saving a change to {field.name}")]
    after = snapshot(model_admin, obj.pk)
    name = type(obj)._meta.object_name
    saved = after[f"{name}.{field.attname}"]
    # Kept as typed, or with the browser's CRLF line breaks made LF.
    stored = saved if saved in {new, new.replace("\r\n", "\n")} else new
    expected = {
        f"{name}.{field.attname}": stored,
        **{f"{name}.{f.attname}": after[f"{name}.{f.attname}"] for f in derived(field)},
    }
    if changed := differences(before, after, expected=expected):
        problems.append(
            f"saving a change to {field.name} changed " + "; ".join(changed)
        )
    return EDITED, problems


@pytest.mark.parametrize("role", ROLE_PARAMS)
@pytest.mark.parametrize("label", admin_params(ROUND_TRIPPED))
def test_change_form_saved_back_changes_nothing_and_one_edit_only_that(
    client, logins, label, role
):
    model_admin = registered()[label]
    client.force_login(logins[role])
    objects = objects_to_try(model_admin.model)
    assert objects, f"{label} has no object to try (see the coverage test)"

    outcomes, failures = {}, []
    for obj in objects:
        try:
            with transaction.atomic():  # each object starts from the demo as loaded
                outcome, problems = round_trip(client, model_admin, obj)
                transaction.set_rollback(True)
        except Exception as exc:  # a 500: say where, and go on with the next object
            outcome = "error"
            problems = [f"{type(exc).__name__}: {exc}{where(exc)}"]
        finally:
            cache.clear()  # nothing cached from a rolled-back save may linger
        outcomes[obj.pk] = outcome
        failures += [f"{describe(obj)} as {role}: {problem}" for problem in problems]

    assert not failures, "\n".join([f"{len(failures)} failure(s):", *failures])
    saved = [
        pk for pk, outcome in outcomes.items() if outcome in {SAVED_UNCHANGED, EDITED}
    ]
    request = RequestFactory().get("/")
    request.user = logins[role]
    if model_admin.has_change_permission(request):
        assert saved, f"{role} may change {label} objects, but could save none of them"
    edited_any = any(outcome == EDITED for outcome in outcomes.values())
    if label in NO_SMALL_CHANGE:
        assert not edited_any, (
            f"{label} has a text field to edit now: take it out of NO_SMALL_CHANGE"
        )
    else:
        assert edited_any or not saved, f"No text field of {label} was found to edit"


# --- Coverage -----------------------------------------------------------------------


def test_every_registered_admin_is_round_tripped_or_has_no_change_view(logins):
    registry = registered()
    nothing_to_try = [
        label for label in ROUND_TRIPPED if not objects_to_try(registry[label].model)
    ]
    assert not nothing_to_try, (
        "These admins have no object in the demo or the test logins, so their form "
        f"is never saved back: {nothing_to_try}. Add demo content or a test object."
    )
    assert READ_ONLY_ADMINS <= set(registry), "a read-only admin is not registered"
    request = RequestFactory().get("/")
    request.user = logins[SUPERUSER]
    for label in READ_ONLY_ADMINS:
        assert not registry[label].has_change_permission(request), (
            f"{label} has a change view now: take it out of READ_ONLY_ADMINS"
        )


def queued_task():
    """A task waiting on the database queue, as a save with a new image leaves."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.create(
        task_path="cms.images.make_renditions",
        args_kwargs={"args": ["articles.article", 1, "hero_image"], "kwargs": {}},
        backend_name="default",
    )


def webhook_delivery():
    """A delivery that failed, as the sender leaves it."""
    return WebhookDelivery.objects.create(
        endpoint=WebhookEndpoint.objects.get(name="Newsletter"),
        event="article.published",
        article_id=1,
        occurred_at=datetime(2026, 1, 1, tzinfo=UTC),
        payload={"id": "6f1c2a1e", "article": {"id": 1, "title": "Colic"}},
        status=WebhookDelivery.Status.FAILED,
        attempts=6,
        response_code=500,
        last_error="HTTP 500 Internal Server Error",
    )


@pytest.mark.parametrize("role", ROLE_PARAMS)
@pytest.mark.parametrize("label", admin_params(sorted(READ_ONLY_ADMINS)))
def test_admin_without_change_view_shows_a_read_only_page(client, logins, label, role):
    model = registered()[label].model
    read_only_examples = {
        "articles.ExternalLink": ExternalLinkFactory,
        "django_tasks_database.DBTaskResult": queued_task,
        "cms.WebhookDelivery": webhook_delivery,
    } | {
        label: partial(
            registered()[label].model.objects.create,
            username="edna",
            ip_address="127.0.0.1",
            **({"failures_since_start": 5} if label == "axes.AccessAttempt" else {}),
        )
        for label in SIGN_IN_RECORDS
    }
    obj = model._default_manager.first() or read_only_examples[label]()
    client.force_login(logins[role])

    page = client.get(change_url(obj))

    assert is_refused(page) or (page.status_code == 200 and not can_submit(page))
