"""Every text field of the site's models is stored without C0 control characters
(tab, newline and carriage return stay), whichever way it is saved."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection, models
from django.urls import reverse

from articles.models import Article, Author, Callout, Category, ListItem, Tag
from articles.services import save_article
from cms.text import (
    CONTROL_CHARACTERS,
    strip_control_characters,
    text_field_is_cleaned,
)
from experts.models import Expert, Quote
from tests.factories import ArticleFactory, UserFactory

# Every character the rule strips: C0 but tab, newline and carriage return; and DEL.
STRIPPED = "".join(
    chr(code) for code in [*range(0x20), 0x7F] if chr(code) not in "\t\n\r"
)
KEPT = "\t\n\r"


def _dirty(value: str) -> str:
    """``value`` with every stripped character before it, and one of them after each
    of its characters: cleaning gives ``value`` back."""
    return STRIPPED + "".join(
        char + STRIPPED[i % len(STRIPPED)] for i, char in enumerate(value)
    )


def _text_models():
    own = [
        model
        for label in ("cms", "articles", "experts")
        for model in apps.get_app_config(label).get_models()
    ]
    return [*own, get_user_model()]


def test_the_rule_strips_c0_and_del_and_keeps_tab_newline_and_return():
    assert len(STRIPPED) == 30
    assert strip_control_characters(f"a{STRIPPED}b{KEPT}c") == f"ab{KEPT}c"
    assert not CONTROL_CHARACTERS.search(strip_control_characters(STRIPPED * 3))


def _valid_value(field) -> str:
    if field.choices:
        return str(field.choices[0][0])
    if isinstance(field, models.URLField):
        return "https://example.com/a"
    if isinstance(field, models.EmailField):
        return "a@example.com"
    return "v"


def _text_fields(model):
    return [
        field
        for field in model._meta.local_concrete_fields
        if isinstance(field, models.CharField | models.TextField)
    ]


def test_every_text_field_of_every_model_converts_without_control_characters():
    """Each CharField and TextField of the site's models (and a login's names) strips
    them before it validates or writes a value: a field added later is covered too."""
    covered = 0
    for model in _text_models():
        fields = _text_fields(model)
        if model is get_user_model():
            chosen = [f for f in fields if f.name in {"first_name", "last_name"}]
            assert not any(text_field_is_cleaned(f) for f in fields if f not in chosen)
            fields = chosen
        for field in fields:
            assert text_field_is_cleaned(field), field
            value = f"{field.name} {KEPT}value"
            assert field.get_db_prep_save(_dirty(value), connection) == value
            valid = _valid_value(field)
            assert field.clean(_dirty(valid), None) == valid
            covered += 1
    assert covered > 50


@pytest.mark.django_db
def test_demo_rows_saved_with_control_characters_read_back_clean(demo):
    """Each model's own save (renders, hashes, signals), with no validation first,
    stores every text field clean; what save derives holds none either."""
    UserFactory(first_name="Sam", last_name="Reid")
    saved = set()
    for model in _text_models():
        instance = model._default_manager.order_by("pk").first()
        if instance is None:
            continue
        editable = [
            field.attname
            for field in model._meta.concrete_fields
            if text_field_is_cleaned(field) and field.editable
        ]
        before = {
            name: getattr(instance, name)
            for name in editable
            if getattr(instance, name) is not None
        }
        for name, value in before.items():
            setattr(instance, name, _dirty(value))
        instance.save()
        stored = model._default_manager.get(pk=instance.pk)
        for name, value in before.items():
            assert getattr(stored, name) == value, (model, name)
        for field in _text_fields(model):
            stored_value = getattr(stored, field.attname) or ""
            assert not CONTROL_CHARACTERS.search(stored_value), field
        saved.add(model)
    assert {
        Article,
        Author,
        Callout,
        Category,
        Expert,
        ListItem,
        Quote,
        Tag,
        get_user_model(),
    } <= saved


@pytest.mark.django_db
def test_the_write_path_stores_a_clean_title_and_standfirst():
    article = ArticleFactory()
    editor = UserFactory(superuser=True)
    article.title = "Cradle\x0b cap"
    article.standfirst = f"Line one.{KEPT}Line\x1b two.\x7f"
    save_article(article, by=editor)
    article.refresh_from_db()
    assert article.title == "Cradle cap"
    assert article.standfirst == f"Line one.{KEPT}Line two."


@pytest.mark.django_db
def test_updates_and_bulk_creates_store_clean_text():
    tag = Tag.objects.create(name="Skin", slug="skin")
    Tag.objects.filter(pk=tag.pk).update(name=_dirty("Rashes"))
    Tag.objects.bulk_create([Tag(name=_dirty("Sleep"), slug="sleep")])
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["Rashes", "Sleep"]


@pytest.mark.django_db
def test_an_admin_save_stores_clean_text(admin_client):
    tag = Tag.objects.create(name="Skin", slug="skin")
    url = reverse("admin:articles_tag_change", args=[tag.pk])
    response = admin_client.post(url, {"name": "Skin\x0c care", "slug": "skin"})
    assert response.status_code == 302
    tag.refresh_from_db()
    assert tag.name == "Skin care"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("\x01\x02", "This field cannot be blank."),
        ("Sle\x0bep", "Tag with this Name already exists."),
    ],
)
def test_admin_validation_sees_the_clean_value(admin_client, name, error):
    """A value valid only with its control characters is a form error, never a
    database error once they are stripped."""
    Tag.objects.create(name="Sleep", slug="sleep")
    response = admin_client.post(
        reverse("admin:articles_tag_add"), {"name": name, "slug": "new"}
    )
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Tag.objects.filter(slug="new").exists()
