"""Every admin form with a Markdown field (its own or an inline's) shows markdownx's
editor, with the script that explains a refused image upload."""

import pytest
from bs4 import BeautifulSoup
from django.contrib import admin
from django.urls import reverse
from markdownx.models import MarkdownxField

SCRIPT = "cms/admin/upload-errors.js"


def has_markdown(model) -> bool:
    return any(isinstance(field, MarkdownxField) for field in model._meta.get_fields())


def add_page(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")


@pytest.mark.django_db
def test_every_markdown_field_gets_the_editor_that_explains_refused_uploads(
    admin_client,
):
    pages = [
        add_page(model)
        for model, model_admin in admin.site._registry.items()
        if has_markdown(model)
        or any(has_markdown(inline.model) for inline in model_admin.inlines)
    ]
    assert reverse("admin:articles_article_add") in pages

    for address in pages:
        response = admin_client.get(address)
        page = BeautifulSoup(response.content, "html.parser")
        assert response.status_code == 200, address
        assert page.select("textarea.markdownx-editor"), address
        scripts = [tag["src"] for tag in page.select("script[src]")]
        assert any(SCRIPT in src for src in scripts), address
