"""One write path: an admin save or workflow step saves the article once, renders
each Markdown text once, records one revision and stays within its query budget.

Measured on the demo's flagship article (11 list items, quotes, expert mentions,
standard callouts and article links), posted back as the browser sends the form.
"""

from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from unittest import mock

import markdown
import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.urls import reverse
from reversion.models import Revision

from articles.demo.loader import flagship_url
from articles.models import Article, ArticleAuthor, ArticleReference
from articles.revisions import article_versions, revision_parts
from cms.markdown import render
from tests.factories import AuthorFactory, ExpertFactory, UserFactory
from tests.html_forms import post_back

Status = Article.Status

# An editor's publish: at most 30 queries (the issue), the page cache's
# invalidation and the look-up of webhook endpoints included.
PUBLISH_BUDGET = 30
# One of them checks the chosen library image of the hero exists (the form's choice).
PUBLISH_QUERIES = 27


def search_index() -> int:
    """Queries PostgreSQL adds to a save: the search vector, kept by a signal (the
    tags' names, then an update)."""
    return 2 if connection.vendor == "postgresql" else 0


@dataclass
class Measured:
    queries: list = field(default_factory=list)
    saves: int = 0
    renders: Counter = field(default_factory=Counter)
    revisions: int = 0


@contextmanager
def measured():
    """Queries, Article.save calls, Markdown renders by text, and revisions made."""
    result = Measured()
    real_save, real_convert = Article.save, markdown.Markdown.convert

    def save(article, *args, **kwargs):
        result.saves += 1
        return real_save(article, *args, **kwargs)

    def convert(md, text):
        result.renders[text] += 1
        return real_convert(md, text)

    def record(execute, sql, params, many, context):
        result.queries.append(sql)
        return execute(sql, params, many, context)

    revisions = Revision.objects.count()
    render.cache_clear()  # what the demo's loading rendered is not this save's
    # Cached for the life of the process, as in any server after its first request.
    ContentType.objects.get_for_models(*apps.get_app_config("articles").get_models())
    with (
        mock.patch.object(Article, "save", save),
        mock.patch.object(markdown.Markdown, "convert", convert),
        connection.execute_wrapper(record),
    ):
        yield result
    result.revisions = Revision.objects.count() - revisions


def member_of(role: str, username: str):
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def change_url(article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def flagship(demo) -> Article:
    """The demo's flagship: list items, quotes, mentions, callouts and links."""
    slug = flagship_url().rstrip("/").rsplit("/", 1)[-1]
    article = Article.objects.get(slug=slug)
    assert article.list_items.count() == 11
    assert article.article_quotes.exists()
    assert ArticleReference.objects.filter(article=article).exists()
    return article


def texts_of(article: Article) -> list[str]:
    """The article's Markdown texts as stored: the body and each list item's."""
    return [article.body, *article.list_items.values_list("text", flat=True)]


def post_measured(client, article, changes):
    page = client.get(change_url(article))
    with measured() as result:
        response = post_back(
            client, change_url(article), changes=changes, button="_save", page=page
        )
    return response, result


def report(name: str, result: Measured) -> None:
    """Printed with ``-s``: the numbers the assertions below pin down."""
    print(
        f"\n{name}: {len(result.queries)} queries, {result.saves} save(s), "
        f"{sum(result.renders.values())} render(s), {result.revisions} revision(s)"
    )


def latest_revision_parts(article: Article) -> dict[str, list]:
    version = article_versions(article)[0]
    return {model.__name__: rows for model, rows in revision_parts(version).items()}


# Before the one write path (same tests, same demo, on SQLite, page cache included):
# publish 228 queries, 2 saves, 31 renders (the body 9 times); an unchanged save 181
# queries and 27 renders; a writer's submit 256 queries, 2 saves, 31 renders.


def test_editor_publishes_the_flagship_in_one_save_within_the_budget(flagship):
    Article.objects.filter(pk=flagship.pk).update(status=Status.IN_REVIEW)
    client = logged_in(member_of("Editor", "eddie"))
    version = flagship.version

    response, result = post_measured(client, flagship, {"action": Status.PUBLISHED})

    report("publish", result)
    assert response.status_code == 302
    article = Article.objects.get(pk=flagship.pk)
    assert article.status == Status.PUBLISHED
    assert f"“{article}” is now published." in messages_of(response)
    assert article.transitions.get().to_status == Status.PUBLISHED
    assert article.version == version + 1
    assert (result.saves, result.revisions) == (1, 1)
    assert result.renders == Counter({article.body: 1})  # list items are unchanged
    assert len(result.queries) == PUBLISH_QUERIES + search_index()
    assert len(result.queries) <= PUBLISH_BUDGET


def test_saving_the_flagship_unchanged_renders_the_body_once_and_keeps_references(
    flagship,
):
    client = logged_in(member_of("Editor", "eddie"))
    version = flagship.version
    references = list(flagship.body_references.values_list("pk", "key"))

    response, result = post_measured(client, flagship, {})

    report("unchanged save", result)
    assert response.status_code == 302
    article = Article.objects.get(pk=flagship.pk)
    assert article.version == version + 1
    assert (result.saves, result.revisions) == (1, 1)
    assert result.renders == Counter({article.body: 1})
    # 25: one is the form's look-up of the hero's library image.
    assert len(result.queries) == 25 + search_index()
    assert list(article.body_references.values_list("pk", "key")) == references
    parts = latest_revision_parts(article)
    assert len(parts["ListItem"]) == 11
    assert len(parts["ArticleQuote"]) == article.article_quotes.count()


def test_writer_submits_their_draft_in_one_save(flagship):
    Article.objects.filter(pk=flagship.pk).update(status=Status.DRAFT)
    writer = member_of("Writer", "wren")
    ArticleAuthor.objects.create(
        article=flagship, author=AuthorFactory(user=writer), position=9
    )
    client = logged_in(writer)

    response, result = post_measured(client, flagship, {"action": Status.IN_REVIEW})

    report("submit", result)
    assert response.status_code == 302
    article = Article.objects.get(pk=flagship.pk)
    assert article.status == Status.IN_REVIEW
    assert (result.saves, result.revisions) == (1, 1)
    assert result.renders == Counter({article.body: 1})
    # 25: one is the form's look-up of the hero's library image.
    assert len(result.queries) == 25 + search_index()


def test_editing_one_list_item_renders_it_once_and_syncs_its_mention(flagship):
    expert = ExpertFactory(slug="nadia-brook")
    client = logged_in(member_of("Editor", "eddie"))
    item = flagship.list_items.all()[3]
    text = f"{item.text}\n\nAsk [[expert:nadia-brook]]."

    response, result = post_measured(
        client, flagship, {"list_items-3-text": text.replace("\n", "\r\n")}
    )

    report("one list item edited", result)
    assert response.status_code == 302
    assert result.renders == Counter({flagship.body: 1, text: 1})
    assert (result.saves, result.revisions) == (1, 1)
    assert flagship.body_references.filter(expert=expert).exists()
    stored = {row.pk: row.text for row in latest_revision_parts(flagship)["ListItem"]}
    assert stored[item.pk] == text


def test_a_save_started_from_an_older_version_is_still_refused(flagship):
    client = logged_in(member_of("Editor", "eddie"))
    page = client.get(change_url(flagship))
    Article.objects.get(pk=flagship.pk).save()  # someone else saves meanwhile

    response = post_back(
        client, change_url(flagship), changes={"title": "Mine"}, page=page
    )

    assert response.status_code == 200
    assert "after you opened it" in response.content.decode()
    assert Article.objects.get(pk=flagship.pk).title == flagship.title
