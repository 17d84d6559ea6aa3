"""Text the site stores and writes into feeds: no C0 control characters.

XML 1.0 cannot hold them (one in a title made every feed fail), and no editor means to
type one: they come from pasted text. Tab, newline and carriage return stay.

Every text field of the site's own models drops them before it validates a value
(``Field.clean``: an admin form or ``full_clean`` sees the clean value, so "\\x01" in a
required field is "This field cannot be blank", not a database error) and before it
writes one (``Field.get_db_prep_save``: ``save``, ``update`` and ``bulk_create``).
Lookups are left alone: ``cms.prepared`` finds its stand-ins by their control
characters.
"""

import re

from django.apps import apps
from django.db import models

# C0 controls other than tab (09), newline (0A) and carriage return (0D), and DEL (7F).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# Whose text fields are cleaned: the site's own apps, and the names of logins (shown
# in the admin's history and revision lists).
CLEANED_APPS = {"cms", "articles", "experts"}
CLEANED_FIELDS = {("auth", "user"): {"first_name", "last_name"}}


def strip_control_characters(value: str) -> str:
    """``value`` without the control characters XML and readers cannot take."""
    return CONTROL_CHARACTERS.sub("", value)


def _chosen(model: type[models.Model], field: models.Field) -> bool:
    meta = model._meta
    if not isinstance(field, models.CharField | models.TextField):
        return False
    if meta.app_label in CLEANED_APPS:
        return True
    return field.name in CLEANED_FIELDS.get((meta.app_label, meta.model_name), ())


def _stripping_first(method):
    """``method`` of a field, given its value without control characters."""

    def stripped_first(value, *args, **kwargs):
        if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
            value = strip_control_characters(value)
        return method(value, *args, **kwargs)

    return stripped_first


def clean_text_fields() -> None:
    """Make each chosen text field strip control characters before it validates or
    writes a value (called in ``AppConfig.ready``)."""
    for model in apps.get_models():
        for field in model._meta.local_concrete_fields:
            if _chosen(model, field) and not text_field_is_cleaned(field):
                field.clean = _stripping_first(field.clean)
                field.get_db_prep_save = _stripping_first(field.get_db_prep_save)
                field.strips_control_characters = True


def clean_instance(sender, instance, **kwargs) -> None:
    """pre_save, connected before every other app's: the instance's own text is clean
    before any handler looks a value up with it (PostgreSQL refuses a NUL even in a
    lookup)."""
    for field in sender._meta.local_concrete_fields:
        if text_field_is_cleaned(field):
            value = instance.__dict__.get(field.attname)
            if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
                setattr(instance, field.attname, strip_control_characters(value))


def text_field_is_cleaned(field: models.Field) -> bool:
    return getattr(field, "strips_control_characters", False)
