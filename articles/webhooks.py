"""The article events that webhooks tell (docs/api.md, "Webhooks"): readers gain,
see a change to, or lose an article. Sending is cms.webhooks'.

A save or deletion of an article that readers can see records its event in the same
transaction. A publication or expiry that comes by the clock (a scheduled article,
an expiry time) is a task queued for that time: it checks the article then, and
records the event only if it still holds.
"""

from dataclasses import asdict, dataclass
from datetime import datetime
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_init, post_save
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from cms import webhooks
from cms.models import WebhookDelivery, WebhookEvent

from .models import Article

# A save naming only other fields (such as the search vector) is bookkeeping, not news.
WATCHED_FIELDS = {
    "status",
    "published_at",
    "expires_at",
    "title",
    "slug",
    "category",
    "category_id",
}


@dataclass(frozen=True)
class _State:
    """What decides whether readers see an article."""

    status: str
    published_at: datetime | None
    expires_at: datetime | None

    def is_live(self, now: datetime) -> bool:
        """``Article.is_published()`` at ``now``: both sides of a save are judged at
        the same moment, so a scheduled time passing in between changes nothing."""
        return Article(**asdict(self)).is_published(now)


def _state(article: Article) -> _State | None:
    """From the loaded values only: None when one is deferred."""
    values = article.__dict__
    if not {"status", "published_at", "expires_at"} <= values.keys():
        return None
    return _State(values["status"], values["published_at"], values["expires_at"])


def _live(state: _State | None, now: datetime) -> bool:
    return state is not None and state.is_live(now)


def remember_state(sender, instance, **kwargs):
    """The state as loaded: the write paths load the row they save (locked, or with
    a version check), so it is the state before the save without another query.
    ``refresh_from_db`` does not update it."""
    instance._webhook_state = _state(instance)


def article_saved(sender, instance, created=False, raw=False, update_fields=None, **kw):
    if raw or (update_fields is not None and not WATCHED_FIELDS & set(update_fields)):
        return
    after = _state(instance)
    if after is None:
        return  # saved with a deferred field: not an editor's save
    # Loaded with a deferred field: taken as unchanged.
    before = None if created else getattr(instance, "_webhook_state", None) or after
    instance._webhook_state = after
    now = timezone.now()
    was_live, is_live = _live(before, now), _live(after, now)
    if is_live:
        event = WebhookEvent.UPDATED if was_live else WebhookEvent.PUBLISHED
        _record(event, instance, occurred_at=now)
    elif was_live:
        _record(WebhookEvent.UNPUBLISHED, instance, occurred_at=now)
    if after != before:
        _watch_clock(instance.pk, after, now)


def article_deleted(sender, instance, **kwargs):
    now = timezone.now()
    if _live(getattr(instance, "_webhook_state", None) or _state(instance), now):
        _record(WebhookEvent.DELETED, instance, occurred_at=now)


def _watch_clock(article_id: int, state: _State, now: datetime) -> None:
    """A save that leaves the article due to appear or expire later: check then."""
    if state.status != Article.Status.PUBLISHED:
        return
    due = []
    if state.published_at and state.published_at > now:
        due.append((WebhookEvent.PUBLISHED, state.published_at))
    if state.expires_at and state.expires_at > now:
        due.append((WebhookEvent.UNPUBLISHED, state.expires_at))
    for event, when in due:
        check = partial(
            webhooks.enqueue_at, when, check_clock, article_id, event, when.isoformat()
        )
        transaction.on_commit(check, robust=True)


@task()
def check_clock(article_id: int, event: str, at: str) -> None:
    """The background task at a scheduled publication or an expiry: the event, if
    the article still appears (or expires) at that time and no one was told yet."""
    when = datetime.fromisoformat(at)
    with transaction.atomic():
        # Locked: two checks of the same moment tell the endpoints once.
        article = Article.objects.select_for_update().filter(pk=article_id).first()
        if article is None:
            return
        if event == WebhookEvent.PUBLISHED:
            holds = article.published_at == when and article.is_published()
        else:
            holds = (
                article.status == Article.Status.PUBLISHED
                and article.expires_at == when
                and when <= timezone.now()
            )
        told = WebhookDelivery.objects.filter(
            article_id=article_id, event=event, occurred_at=when
        ).exists()
        if holds and not told:
            _record(event, article, occurred_at=when)


def _record(event: str, article: Article, *, occurred_at: datetime) -> None:
    webhooks.record(
        event,
        lambda: {"article": article_payload(article)},
        article_id=article.pk,
        occurred_at=occurred_at,
    )


def article_payload(article: Article) -> dict:
    """The article as the payload shows it (its last known state when deleted)."""
    return {
        "id": article.pk,
        "title": article.title,
        "slug": article.slug,
        "section": article.category.slug,
        "url": _absolute(article.get_absolute_url()),
        "api_url": _absolute(reverse("api:article", kwargs={"pk": article.pk})),
        "published_at": webhooks.iso(article.published_at),
        "modified_at": webhooks.iso(article.modified_at),
    }


def _absolute(path: str) -> str:
    """The address on the public site when CMS_SITE_URL is set, else the path."""
    return settings.CMS_SITE_URL + path


def connect() -> None:
    post_init.connect(
        remember_state, sender=Article, dispatch_uid="articles.webhooks.state"
    )
    post_save.connect(
        article_saved, sender=Article, dispatch_uid="articles.webhooks.saved"
    )
    post_delete.connect(
        article_deleted, sender=Article, dispatch_uid="articles.webhooks.deleted"
    )
