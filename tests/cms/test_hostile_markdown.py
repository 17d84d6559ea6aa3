"""Hostile Markdown from a staff account: never a 500, never a worker tied up.

Every shape of ``tests/markdown_shapes.py`` renders at the size a field may hold, its
text still on the page and nothing unsanitised in it; every Markdown field refuses
more than that size, or nesting deeper than the limit, as a form error naming why;
the live preview answers such text with the reason. The Markdown fields are found
from the models, so a new one cannot escape. Timings are bench/hostile_markdown.py's.
"""

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.urls import reverse
from factory.django import DjangoModelFactory
from markdown.test_tools import recursionlimit
from markdownx.models import MarkdownxField

import tests.factories
from articles.models import Article
from cms.limits import MAX_NESTING, MarkdownLimits, limit_problems
from cms.markdown import ALLOWED_TAGS, References, render
from experts.models import Quote
from tests.factories import ArticleFactory
from tests.html_forms import form_fields, post_back
from tests.markdown_shapes import END, PROSE, SHAPES

PREVIEW_URL = reverse("markdownx_markdownify")
# What the renderer adds after sanitising: callouts' markup and the markers.
RENDERED_TAGS = ALLOWED_TAGS | {"aside", "div", "span", "svg", "path"}
RENDERED_TAGS |= {"cms-block", "cms-inline"}
# Shapes that nest as deep as they can: rendered with little stack left.
NESTED = [
    ":::urgent lines",
    "1. on one line",
    "> on one line",
    "> - on one line",
    "lists indented deeper",
    "emphasis nested",
    "links nested",
    "<div> nested",
]
TOO_DEEP = ":::urgent\n" * (MAX_NESTING + 1) + "Words."


def markdown_fields():
    """Every model field that holds Markdown: markdownx's, or one whose references
    are checked (a quote's words are a plain TextField)."""
    return [
        field
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, MarkdownxField)
        or any(isinstance(v, References) for v in getattr(field, "validators", []))
    ]


MARKDOWN_FIELDS = [
    pytest.param(field, id=f"{field.model._meta.label}.{field.name}")
    for field in markdown_fields()
]


def at_size(size: int) -> str:
    """Prose of exactly ``size`` bytes of UTF-8, two of them in an "é"."""
    text = "Café. " + SHAPES["prose"](size - len("Café. ".encode()))
    assert len(text.encode()) == size
    return text


# --- The renderer -------------------------------------------------------------------


@pytest.mark.parametrize("name", SHAPES)
def test_each_shape_at_the_cap_renders_with_its_text_and_only_sanitised_tags(
    settings, name
):
    text = SHAPES[name](settings.CMS_MAX_MARKDOWN_BYTES)

    html = render(text).html

    assert END in html
    tags = {tag.name for tag in BeautifulSoup(html, "html.parser").find_all(True)}
    assert tags <= RENDERED_TAGS


def test_typed_tags_that_never_close_show_as_typed(settings):
    html = render(SHAPES["<a repeated"](settings.CMS_MAX_MARKDOWN_BYTES)).html

    assert "<a" not in html
    assert html.count("&lt;a ") > 60_000


@pytest.mark.parametrize("name", NESTED)
def test_nested_shapes_render_with_little_stack_left(settings, name):
    text = SHAPES[name](settings.CMS_MAX_MARKDOWN_BYTES)
    render.cache_clear()

    with recursionlimit(250):  # a request's own frames leave far more
        html = render(text).html

    assert END in html


def test_text_deeper_than_the_limit_still_renders_every_word():
    text = ":::urgent Outer\n" * 50 + "The deepest words.\n\n" + ":::\n"

    html = render(text).html

    assert "The deepest words." in html
    assert html.count('class="callout callout-urgent"') >= MAX_NESTING


def test_text_over_the_cap_renders_as_typed(settings):
    settings.CMS_MAX_MARKDOWN_BYTES = 1_000
    text = "**Bold** and [a link](https://example.com/) " * 30

    html = render(text).html

    assert "<strong>" not in html
    assert "<a " not in html
    assert "**Bold** and [a link](https://example.com/)" in html


# --- The rule ------------------------------------------------------------------------


def test_every_markdown_field_has_the_limits_validator():
    labels = {param.id for param in MARKDOWN_FIELDS}
    assert "articles.Article.body" in labels  # the fields were found

    for param in MARKDOWN_FIELDS:
        field = param.values[0]
        assert any(isinstance(v, MarkdownLimits) for v in field.validators), param.id


def test_the_size_is_counted_in_bytes_of_utf8(settings):
    settings.CMS_MAX_MARKDOWN_BYTES = 100

    assert limit_problems("é" * 50) == []
    assert limit_problems("é" * 50 + "!") == [
        "This text is 101 bytes long, and the most a text can be is 100 bytes: "
        "shorten it, or split it in two."
    ]


@pytest.mark.parametrize(
    "text, line",
    [
        (TOO_DEEP, MAX_NESTING + 1),
        ("Intro.\n\n" + "> " * (MAX_NESTING + 1) + "Deep.", 3),
        ("".join("    " * depth + "- item\n" for depth in range(MAX_NESTING + 1)), 9),
        (":::tip\n" * 4 + "> - > - > Deep.", 5),
    ],
    ids=["callouts", "quotes", "lists", "mixed"],
)
def test_nesting_past_the_limit_is_refused_naming_the_line(text, line):
    [problem] = limit_problems(text)

    assert problem.startswith(f"Line {line}: callouts, lists and quotes are nested")


@pytest.mark.parametrize(
    "text",
    [
        ":::urgent\n" * MAX_NESTING + "Words.",
        (":::urgent\nWords.\n:::\n\n") * 100,
        "- - - - - - - - - - - -",  # a rule, not lists
        "```\n" + "> " * 20 + "\n```",  # code
    ],
    ids=["at-the-limit", "side-by-side", "rule", "code"],
)
def test_nesting_within_the_limit_is_accepted(text):
    assert limit_problems(text) == []


# --- Every Markdown field in the admin -------------------------------------------------


# A quote's words can be edited only until they are sent to the expert.
EDITABLE = {Quote: {"not_sent": True}}


def editable(model):
    """A new object of ``model``, made by its factory, whose Markdown can be edited."""
    factory = next(
        factory
        for factory in vars(tests.factories).values()
        if isinstance(factory, type)
        and issubclass(factory, DjangoModelFactory)
        and factory._meta.model is model
    )
    return factory(**EDITABLE.get(model, {}))


def edit_page(obj):
    """The admin change page where ``obj``'s fields are edited: its own, or its
    parent's, where it is an inline row."""
    model = type(obj)
    if model in admin.site._registry:
        return obj
    for parent, model_admin in admin.site._registry.items():
        if any(inline.model is model for inline in model_admin.inlines):
            key = next(f for f in model._meta.fields if f.related_model is parent)
            return getattr(obj, key.name)
    raise AssertionError(f"No admin page edits {model._meta.label}")


def change_url(obj) -> str:
    meta = obj._meta
    return reverse(
        f"admin:{meta.app_label}_{meta.model_name}_change", args=[quote(obj.pk)]
    )


def post_field(client, obj, field, value):
    """Post ``obj``'s admin page back with ``field`` set to ``value``."""
    url = change_url(edit_page(obj))
    page = client.get(url)
    stored = getattr(obj, field.name).replace("\n", "\r\n")
    [name] = [
        name
        for name, values in form_fields(page.content.decode()).items()
        if (name == field.name or name.endswith(f"-{field.name}")) and stored in values
    ]
    return post_back(client, url, changes={name: value}, page=page)


def errors(response) -> list[str]:
    soup = BeautifulSoup(response.content, "html.parser")
    return [li.get_text() for li in soup.select(".errorlist li")]


@pytest.mark.django_db
@pytest.mark.parametrize("field", MARKDOWN_FIELDS)
def test_every_markdown_field_refuses_text_over_the_cap_in_the_admin(
    admin_client, settings, field
):
    settings.CMS_MAX_MARKDOWN_BYTES = 1_000
    obj = editable(field.model)
    before = getattr(obj, field.name)

    response = post_field(admin_client, obj, field, at_size(1_001))

    assert response.status_code == 200
    assert (
        "This text is 1,001 bytes long, and the most a text can be is 1,000 bytes: "
        "shorten it, or split it in two."
    ) in errors(response)
    obj.refresh_from_db()
    assert getattr(obj, field.name) == before


@pytest.mark.django_db
@pytest.mark.parametrize("field", MARKDOWN_FIELDS)
def test_every_markdown_field_refuses_nesting_past_the_limit_in_the_admin(
    admin_client, field
):
    obj = editable(field.model)
    before = getattr(obj, field.name)

    response = post_field(admin_client, obj, field, TOO_DEEP)

    assert response.status_code == 200
    assert any(
        error.startswith(f"Line {MAX_NESTING + 1}: callouts, lists and quotes")
        for error in errors(response)
    )
    obj.refresh_from_db()
    assert getattr(obj, field.name) == before


@pytest.mark.django_db
def test_an_article_body_of_exactly_the_cap_is_saved(admin_client, settings):
    article = ArticleFactory()
    body = at_size(settings.CMS_MAX_MARKDOWN_BYTES)

    response = post_field(admin_client, article, Article._meta.get_field("body"), body)

    assert response.status_code == 302, errors(response)
    article.refresh_from_db()
    assert article.body == body
    assert END in article.body_html


# --- The live preview ------------------------------------------------------------------


@pytest.mark.django_db
def test_preview_answers_text_over_the_cap_with_the_reason(admin_client, settings):
    settings.CMS_MAX_MARKDOWN_BYTES = 1_000

    response = admin_client.post(PREVIEW_URL, {"content": at_size(1_001)})

    assert response.status_code == 400
    assert response["Cache-Control"] == "no-store"
    assert response.content.decode() == (
        '<p class="preview-error" role="alert">This text is 1,001 bytes long, and '
        "the most a text can be is 1,000 bytes: shorten it, or split it in two.</p>"
    )


@pytest.mark.django_db
def test_preview_answers_nesting_past_the_limit_with_the_line(admin_client):
    response = admin_client.post(PREVIEW_URL, {"content": TOO_DEEP})

    assert response.status_code == 400
    assert response.content.decode().startswith(
        f'<p class="preview-error" role="alert">Line {MAX_NESTING + 1}: callouts, '
        "lists and quotes are nested more than"
    )


@pytest.mark.django_db
def test_preview_renders_text_of_exactly_the_cap(admin_client, settings):
    text = at_size(settings.CMS_MAX_MARKDOWN_BYTES)

    response = admin_client.post(PREVIEW_URL, {"content": text})

    assert response.status_code == 200
    assert END in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("name", SHAPES)
def test_preview_never_fails_on_a_shape_at_the_cap(admin_client, settings, name):
    text = SHAPES[name](settings.CMS_MAX_MARKDOWN_BYTES)

    response = admin_client.post(PREVIEW_URL, {"content": text})

    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert END in response.content.decode()
    else:
        assert limit_problems(text)


def test_prose_shape_is_what_a_writer_types():
    # The timings are only worth having if "prose" renders as prose does.
    html = render(PROSE).html

    assert "<strong>when</strong>" in html
    assert '<a href="https://www.nhs.uk/conditions/fever-in-children/"' in html
