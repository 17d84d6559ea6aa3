"""Webhooks: signed JSON POSTs to the endpoints that site admins register
(docs/api.md, "Webhooks"). Apps say what happened (``record``); this module knows
no app.

``record`` adds one ``WebhookDelivery`` per subscribed endpoint in the caller's
transaction, and queues a task for each once it commits: nothing goes over the
network in the editor's request. The task POSTs the payload, signed with the
endpoint's secret, and on a failure queues the next attempt after a growing wait, up
to CMS_WEBHOOK_ATTEMPTS in all.
"""

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from functools import partial
from http.client import HTTPException
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .models import WebhookDelivery, WebhookEndpoint

logger = logging.getLogger(__name__)

Status = WebhookDelivery.Status
SIGNATURE_HEADER = "X-CMS-Signature"
USER_AGENT = "CMS-Webhooks/1.0"
# The longest error text kept on a delivery.
ERROR_LENGTH = 500


# Signing ---------------------------------------------------------------------------


def sign(secret: str, body: bytes, timestamp: int) -> str:
    """The X-CMS-Signature value: ``t=<unix seconds>,v1=<hex HMAC-SHA256>`` of
    ``"<t>." + body``, so a captured request cannot be replayed later."""
    return f"t={timestamp},v1={_digest(secret, body, timestamp)}"


def _digest(secret: str, body: bytes, timestamp: int) -> str:
    message = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify_signature(
    secret: str,
    header: str | None,
    body: bytes | str,
    *,
    tolerance: int = 300,
    now: float | None = None,
) -> bool:
    """For receivers: whether ``header`` (X-CMS-Signature) signs ``body`` (the raw
    request body) with ``secret``, made within ``tolerance`` seconds of ``now``."""
    if isinstance(body, str):
        body = body.encode()
    timestamp, candidates = None, []
    for part in (header or "").split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == "v1":
            candidates.append(value)
    if timestamp is None or not candidates:
        return False
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        return False
    expected = _digest(secret, body, timestamp)
    # Every candidate is compared, in constant time each: no early way out.
    matches = [hmac.compare_digest(expected, value) for value in candidates]
    return any(matches)


# Recording and queueing ------------------------------------------------------------


def iso(when: datetime | None) -> str | None:
    """A time as payloads show it: ISO 8601 in UTC, as the API writes it."""
    return when.astimezone(UTC).isoformat().replace("+00:00", "Z") if when else None


def record(
    event: str,
    data: Callable[[], dict],
    *,
    article_id: int,
    occurred_at: datetime,
) -> list[WebhookDelivery]:
    """A pending delivery of ``event`` for each active endpoint subscribed to it, in
    the current transaction; each is queued once that commits. The payload is what
    ``data()`` returns (called only when some endpoint is subscribed) after the
    event's "id", "event" and "created_at"."""
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.active()
        if endpoint.subscribes_to(event)
    ]
    if not endpoints:
        return []
    body = data()
    deliveries = []
    for endpoint in endpoints:
        pk = uuid.uuid4()
        payload = {
            "id": str(pk),
            "event": str(event),
            "created_at": iso(occurred_at),
            **body,
        }
        deliveries.append(
            WebhookDelivery(
                id=pk,
                endpoint=endpoint,
                event=event,
                article_id=article_id,
                occurred_at=occurred_at,
                payload=payload,
                next_attempt_at=timezone.now(),
            )
        )
    WebhookDelivery.objects.bulk_create(deliveries)
    _queue_after_commit(deliveries)
    return deliveries


def send_again(delivery: WebhookDelivery) -> WebhookDelivery:
    """The same payload to the same endpoint, now. A delivery waiting for its next
    attempt is tried now; any other is copied to a new delivery (the payload, and so
    its "id", unchanged: a receiver that has it already can tell)."""
    with transaction.atomic():
        waiting = WebhookDelivery.objects.filter(
            pk=delivery.pk, status=Status.PENDING, next_attempt_at__isnull=False
        ).update(next_attempt_at=timezone.now())
        if not waiting:
            delivery = WebhookDelivery.objects.create(
                endpoint=delivery.endpoint,
                event=delivery.event,
                article_id=delivery.article_id,
                occurred_at=delivery.occurred_at,
                payload=delivery.payload,
                next_attempt_at=timezone.now(),
            )
        _queue_after_commit([delivery])
    return delivery


def _queue_after_commit(deliveries: Iterable[WebhookDelivery]) -> None:
    ids = [str(delivery.pk) for delivery in deliveries]
    transaction.on_commit(partial(_queue, ids), robust=True)


def _queue(ids: list[str]) -> None:
    """A queue that fails is logged, never raised: the change has committed, and the
    delivery waits in the admin's log to be sent again."""
    for pk in ids:
        try:
            deliver.enqueue(pk)
        except Exception:
            logger.exception("Could not queue webhook delivery %s", pk)


def enqueue_at(when: datetime, task_, *args) -> bool:
    """Queue ``task_`` to run at ``when``; False (logged) when the backend cannot
    wait, as the immediate backend cannot."""
    try:
        if task_.get_backend().supports_defer:
            task_.using(run_after=when).enqueue(*args)
            return True
        if WebhookEndpoint.objects.active().exists():
            logger.warning(
                "The task backend cannot run %s at %s: webhooks due then are not "
                "sent (use the database queue)",
                task_.name,
                when.isoformat(),
            )
    except Exception:
        logger.exception("Could not queue %s for %s", task_.name, when.isoformat())
    return False


# Sending ---------------------------------------------------------------------------


def backoff(attempts: int) -> timedelta:
    """The wait after ``attempts`` failed attempts: 30 s, 2 min, 8 min, 32 min, …"""
    base = settings.CMS_WEBHOOK_BACKOFF_SECONDS
    return timedelta(seconds=base * 4 ** (attempts - 1))


@task()
def deliver(delivery_id: str) -> None:
    """The background task: one attempt at one delivery. A failure queues the next
    attempt after ``backoff``; the last one marks the delivery failed."""
    delivery = (
        WebhookDelivery.objects.select_related("endpoint")
        .filter(pk=delivery_id, status=Status.PENDING)
        .first()
    )
    if delivery is None:
        return
    pending = WebhookDelivery.objects.filter(pk=delivery.pk, status=Status.PENDING)
    if not delivery.endpoint.is_active:
        pending.update(
            status=Status.FAILED,
            next_attempt_at=None,
            last_error="Not sent: the endpoint is disabled.",
        )
        return
    now = timezone.now()
    attempts = delivery.attempts + 1
    # Claimed by clearing the time of the next attempt: a second task for the same
    # attempt, or one whose time has not come, finds nothing to do.
    claimed = pending.filter(
        attempts=delivery.attempts, next_attempt_at__lte=now
    ).update(attempts=attempts, next_attempt_at=None, last_attempt_at=now)
    if not claimed:
        return
    code, error = post(delivery)
    if code is not None and 200 <= code < 300:
        pending.update(status=Status.DELIVERED, response_code=code, last_error="")
    elif attempts >= settings.CMS_WEBHOOK_ATTEMPTS:
        pending.update(status=Status.FAILED, response_code=code, last_error=error)
        logger.warning(
            "Webhook delivery %s to %s failed after %s attempts: %s",
            delivery.pk,
            delivery.endpoint,
            attempts,
            error,
        )
    else:
        retry_at = timezone.now() + backoff(attempts)
        pending.update(next_attempt_at=retry_at, response_code=code, last_error=error)
        enqueue_at(retry_at, deliver, str(delivery.pk))


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer like any other that is not 2xx."""

    def redirect_request(self, *args, **kwargs):
        return None


def post(delivery: WebhookDelivery) -> tuple[int | None, str]:
    """POST the payload to the endpoint, signed: (HTTP status or None, error text)."""
    endpoint = delivery.endpoint
    if urlsplit(endpoint.url).scheme not in {"http", "https"}:
        return None, "Not sent: only http:// and https:// addresses are allowed."
    body = json.dumps(delivery.payload, separators=(",", ":")).encode()
    request = urllib.request.Request(
        endpoint.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "X-CMS-Event": delivery.event,
            "X-CMS-Delivery": str(delivery.pk),
            SIGNATURE_HEADER: sign(endpoint.secret, body, int(time.time())),
        },
    )
    timeout = settings.CMS_WEBHOOK_TIMEOUT
    opener = urllib.request.build_opener(_NoRedirects)
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, ""
    except urllib.error.HTTPError as answer:
        with answer:
            return answer.code, _truncated(_describe(answer))
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            return None, f"No answer within {timeout:g} seconds."
        return None, _truncated(f"Could not connect: {error.reason}")
    except TimeoutError:
        return None, f"No answer within {timeout:g} seconds."
    except (OSError, HTTPException, ValueError) as error:
        return None, _truncated(f"{type(error).__name__}: {error}")


def _describe(answer: urllib.error.HTTPError) -> str:
    """The status and reason. Never the body: an address on the servers' own network
    would otherwise be readable through the log."""
    text = f"HTTP {answer.code} {answer.reason}"
    if 300 <= answer.code < 400:
        return f"{text}: redirects are not followed (to {answer.headers['Location']})"
    return text


def _truncated(text: str) -> str:
    return text if len(text) <= ERROR_LENGTH else text[: ERROR_LENGTH - 1] + "…"
