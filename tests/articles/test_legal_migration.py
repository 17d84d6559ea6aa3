"""articles 0024: /legal/ is the legal pages' address now, so a section already there
moves to /legal-section/ and its old addresses keep leading to it."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from articles.models import Article, ArticlePath, Category, OldAddress

BEFORE = [("articles", "0023_reference_images")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_a_section_at_legal_moves_and_its_addresses_still_lead_to_it():
    old = migrate(BEFORE)
    section = old.get_model("articles", "Category").objects.create(
        name="Legal", slug="legal"
    )
    old.get_model("articles", "Article").objects.create(
        title="Parental leave",
        slug="parental-leave",
        category=section,
        body="Text.",
        status="published",
        published_at=timezone.now() - timedelta(days=1),
    )

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    moved = Category.objects.get(pk=section.pk)
    article = Article.objects.get(slug="parental-leave")
    assert moved.slug == "legal-section"
    assert OldAddress.objects.get(path="/legal/").category == moved
    assert ArticlePath.objects.resolve("legal", "parental-leave").article == article
    assert article.get_absolute_url() == "/legal-section/parental-leave/"
