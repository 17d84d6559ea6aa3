"""Article events (articles/webhooks.py): which save or deletion tells the webhook
endpoints what, with which article payload, and the events that come by the clock.
How they are sent: tests/cms/test_webhooks.py."""

from datetime import UTC, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.services import (
    article_publish,
    article_submit,
    article_unpublish,
    save_article,
)
from cms.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from tests.articles.test_admin import assert_saved
from tests.articles.test_workflow import change_data, member_of, reloaded
from tests.cms.test_webhooks import DATABASE_QUEUE, HANG, receiving, run_worker
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def endpoint():
    """Subscribed to every event. Nothing is sent: these tests' transactions never
    commit, and what would be sent is the recorded delivery."""
    return WebhookEndpoint.objects.create(
        name="Newsletter",
        url="https://hooks.example.org/cms",
        events=WebhookEvent.values,
    )


@pytest.fixture
def editor():
    return UserFactory(superuser=True)


def told() -> list[str]:
    return list(
        WebhookDelivery.objects.order_by("occurred_at", "created_at").values_list(
            "event", flat=True
        )
    )


def test_publishing_tells_the_article(endpoint, editor):
    article = ArticleFactory(title="Colic", slug="colic", category__slug="babies")

    article_publish(article=article, by=editor)

    delivery = WebhookDelivery.objects.get()
    article.refresh_from_db()
    assert (delivery.event, delivery.endpoint, delivery.article_id) == (
        "article.published",
        endpoint,
        article.pk,
    )
    assert delivery.payload == {
        "id": str(delivery.pk),
        "event": "article.published",
        "created_at": delivery.occurred_at.astimezone(UTC)
        .isoformat()
        .replace("+00:00", "Z"),
        "article": {
            "id": article.pk,
            "title": "Colic",
            "slug": "colic",
            "section": "babies",
            "url": "/babies/colic/",
            "api_url": f"/api/v1/articles/{article.pk}",
            "published_at": article.published_at.astimezone(UTC)
            .isoformat()
            .replace("+00:00", "Z"),
            "modified_at": article.modified_at.astimezone(UTC)
            .isoformat()
            .replace("+00:00", "Z"),
        },
    }


def test_addresses_are_absolute_with_the_site_url(endpoint, editor, settings):
    settings.CMS_SITE_URL = "https://www.example.org"
    article = ArticleFactory(slug="colic", category__slug="babies")

    article_publish(article=article, by=editor)

    sent = WebhookDelivery.objects.get().payload["article"]
    assert sent["url"] == "https://www.example.org/babies/colic/"
    assert sent["api_url"] == f"https://www.example.org/api/v1/articles/{article.pk}"


def test_saving_unpublishing_and_deleting_a_live_article_are_each_told(
    endpoint, editor
):
    article = ArticleFactory()
    article_publish(article=article, by=editor)
    # Each change loads the article afresh, as the admin and the services do.
    article = reloaded(article)
    article.title = "Colic: what helps"
    save_article(article, by=editor)
    article_unpublish(article=article, by=editor)
    article_publish(article=article, by=editor)
    article = reloaded(article)
    url = article.get_absolute_url()

    article.delete()

    assert told() == [
        "article.published",
        "article.updated",
        "article.unpublished",
        "article.published",
        "article.deleted",
    ]
    updated = WebhookDelivery.objects.get(event="article.updated")
    assert updated.payload["article"]["title"] == "Colic: what helps"
    deleted = WebhookDelivery.objects.get(event="article.deleted").payload["article"]
    assert (deleted["title"], deleted["url"]) == ("Colic: what helps", url)


def test_drafts_and_articles_in_review_tell_nothing(endpoint, editor):
    article = ArticleFactory()
    article.title = "Still a draft"
    save_article(article, by=editor)
    article_submit(article=article, by=editor)
    article = reloaded(article)
    article.title = "In review"
    save_article(article, by=editor)
    ArticleFactory().delete()

    assert told() == []


def test_a_scheduled_article_tells_nothing_when_saved(endpoint, editor):
    article = ArticleFactory()

    article_publish(
        article=article, by=editor, publish_at=timezone.now() + timedelta(hours=1)
    )
    article = reloaded(article)
    article.title = "Still scheduled"
    save_article(article, by=editor)

    assert told() == []


def test_a_save_of_bookkeeping_fields_alone_tells_nothing(endpoint):
    article = ArticleFactory(published=True)

    # A save of derived values alone, such as the word count.
    article.save(update_fields=["word_count"])

    assert told() == ["article.published"]  # its creation alone


# By the clock, on the database queue ---------------------------------------------


@pytest.fixture
def receiver(settings):
    settings.TASKS = DATABASE_QUEUE
    with receiving() as receiver:
        WebhookEndpoint.objects.create(
            name="Newsletter", url=receiver.url(), events=WebhookEvent.values
        )
        yield receiver


@pytest.mark.django_db(transaction=True)
def test_a_scheduled_article_is_told_at_its_time_once(receiver, editor, time_machine):
    article = ArticleFactory()
    first_time = timezone.now() + timedelta(hours=1)
    later = first_time + timedelta(hours=1)
    article_publish(article=article, by=editor, publish_at=first_time)
    # Moved to later: the check queued for the first time finds nothing to tell.
    article_publish(article=article, by=editor, publish_at=later)

    run_worker()
    time_machine.move_to(first_time + timedelta(minutes=1))
    run_worker()

    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()

    time_machine.move_to(later + timedelta(minutes=1))
    run_worker()

    [request] = receiver.requests
    assert request.payload["event"] == "article.published"
    assert request.payload["created_at"] == later.astimezone(UTC).isoformat().replace(
        "+00:00", "Z"
    )


@pytest.mark.django_db(transaction=True)
def test_an_expiring_article_is_told_when_it_expires(receiver, editor, time_machine):
    expires_at = timezone.now() + timedelta(hours=2)
    article_publish(article=ArticleFactory(), by=editor, expires_at=expires_at)
    run_worker()

    time_machine.move_to(expires_at + timedelta(minutes=1))
    run_worker()

    assert receiver.events() == ["article.published", "article.unpublished"]


@pytest.mark.django_db(transaction=True)
def test_the_editors_save_does_not_wait_for_the_endpoint(receiver):
    receiver.answers = [HANG]
    editor = member_of("Editor")
    client = Client()
    client.force_login(editor)
    article = ArticleFactory(authors=[editor.author])

    response = client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        change_data(article, action="published"),
    )

    assert_saved(response)
    assert receiver.requests == []
    # Queued, not run: the delivery, and the authors' email (articles.notifications).
    assert set(DBTaskResult.objects.ready().values_list("task_path", flat=True)) == {
        "cms.webhooks.deliver",
        "articles.notifications.announce",
    }
