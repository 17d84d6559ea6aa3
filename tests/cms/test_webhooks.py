"""Webhooks (cms/webhooks.py) against a real HTTP server on loopback: a recorded event
is sent signed, retried after a failure, and listed in the admin with "Send again".
Which article changes record which event: tests/articles/test_webhooks.py."""

import json
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, timedelta
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cms import webhooks
from cms.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from cms.webhooks import sign, verify_signature
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

Status = WebhookDelivery.Status
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
HANG = "hang"
ARTICLE = {"id": 7, "title": "Colic", "slug": "colic"}


# A receiver on loopback --------------------------------------------------------


@dataclass
class Received:
    path: str
    headers: Message
    body: bytes

    @property
    def payload(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    """Records each POST and answers with the next of ``answers`` (200 when none
    are left): a status, (status, Location) for a redirect, or HANG (no answer)."""

    requests: list[Received] = field(default_factory=list)
    answers: list = field(default_factory=list)
    released: threading.Event = field(default_factory=threading.Event)

    def url(self, path="/hooks") -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def events(self) -> list[str]:
        return [request.headers["X-CMS-Event"] for request in self.requests]

    def handler(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append(Received(self.path, self.headers, body))
                answer = receiver.answers.pop(0) if receiver.answers else 200
                if answer == HANG:
                    receiver.released.wait(10)
                    return
                status, location = answer if isinstance(answer, tuple) else (answer, "")
                self.send_response(status)
                if location:
                    self.send_header("Location", receiver.url(location))
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        return Handler


@contextmanager
def receiving():
    """A Receiver listening on a free loopback port until the block ends."""
    receiver = Receiver()
    receiver.server = ThreadingHTTPServer(("127.0.0.1", 0), receiver.handler())
    receiver.server.daemon_threads = True
    thread = threading.Thread(
        target=receiver.server.serve_forever, args=(0.05,), daemon=True
    )
    thread.start()
    try:
        yield receiver
    finally:
        receiver.released.set()
        receiver.server.shutdown()
        receiver.server.server_close()


def run_worker() -> None:
    """``manage.py db_worker --batch``: every task that is due, then stop."""
    call_command("db_worker", batch=True, startup_delay=False, interval=0, verbosity=0)


@pytest.fixture
def receiver():
    with receiving() as receiver:
        yield receiver


@pytest.fixture
def endpoint(receiver):
    return WebhookEndpoint.objects.create(
        name="Newsletter", url=receiver.url(), events=WebhookEvent.values
    )


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a change as if its transaction committed (deliveries are queued then)."""

    def run(change, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return change(*args, **kwargs)

    return run


@pytest.fixture
def database_queue(settings):
    settings.TASKS = DATABASE_QUEUE


def tell(event="article.published", article=ARTICLE, **kwargs):
    """Record ``event`` as an app does."""
    kwargs.setdefault("occurred_at", timezone.now())
    return webhooks.record(
        event, lambda: {"article": article}, article_id=article["id"], **kwargs
    )


# Recording and delivery ------------------------------------------------------------


def test_an_event_is_posted_signed_with_the_endpoints_secret(
    receiver, endpoint, committed
):
    occurred_at = timezone.now() - timedelta(minutes=1)

    committed(tell, "article.published", occurred_at=occurred_at)

    [request] = receiver.requests
    delivery = WebhookDelivery.objects.get()
    assert request.path == "/hooks"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["User-Agent"] == webhooks.USER_AGENT
    assert request.headers["X-CMS-Event"] == "article.published"
    assert request.headers["X-CMS-Delivery"] == str(delivery.pk)
    assert verify_signature(
        endpoint.secret, request.headers["X-CMS-Signature"], request.body
    )
    assert request.payload == {
        "id": str(delivery.pk),
        "event": "article.published",
        "created_at": occurred_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "article": ARTICLE,
    }
    assert (delivery.status, delivery.attempts, delivery.response_code) == (
        Status.DELIVERED,
        1,
        200,
    )


def test_nothing_is_sent_before_the_transaction_commits(
    receiver, endpoint, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        tell()

    assert receiver.requests == []
    assert WebhookDelivery.objects.get().status == Status.PENDING


def test_an_endpoint_gets_only_the_events_it_chose(receiver, committed):
    WebhookEndpoint.objects.create(
        name="Published", url=receiver.url("/published"), events=["article.published"]
    )
    WebhookEndpoint.objects.create(
        name="Deleted", url=receiver.url("/deleted"), events=["article.deleted"]
    )

    committed(tell, "article.published")
    committed(tell, "article.unpublished")

    assert [(r.path, r.headers["X-CMS-Event"]) for r in receiver.requests] == [
        ("/published", "article.published")
    ]
    assert WebhookDelivery.objects.count() == 1


def test_a_disabled_endpoint_is_sent_nothing(
    receiver, endpoint, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        tell()
    # Disabled after the event was recorded, before it was sent.
    endpoint.is_active = False
    endpoint.save()

    for callback in queued:
        callback()
    with django_capture_on_commit_callbacks(execute=True):
        assert tell() == []  # not recorded for a disabled endpoint

    assert receiver.requests == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == Status.FAILED
    assert delivery.last_error == "Not sent: the endpoint is disabled."


def test_a_redirect_is_not_followed(receiver, endpoint, committed, settings):
    settings.CMS_WEBHOOK_ATTEMPTS = 1
    receiver.answers = [(302, "/elsewhere")]

    committed(tell)

    assert [request.path for request in receiver.requests] == ["/hooks"]
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.response_code) == (Status.FAILED, 302)
    assert "redirects are not followed" in delivery.last_error


# Signatures ----------------------------------------------------------------------


def test_a_signature_verifies_only_with_the_secret_the_body_and_a_recent_time():
    body = b'{"event":"article.published"}'
    header = sign("s3cret-s3cret-s3cret-s3cret", body, 1_700_000_000)

    def verify(secret="s3cret-s3cret-s3cret-s3cret", signed=body, **kwargs):
        kwargs.setdefault("now", 1_700_000_000 + 60)
        return verify_signature(secret, header, signed, **kwargs)

    assert verify()
    assert verify(signed=body.decode())
    assert not verify(secret="another-secret-another-secret")
    assert not verify(signed=b'{"event":"article.deleted"}')
    # A captured request replayed later, or one stamped in the future.
    assert not verify(now=1_700_000_000 + 301)
    assert not verify(now=1_700_000_000 - 301)
    assert verify(now=1_700_000_000 + 3600, tolerance=3600)
    for forged in (None, "", "v1=abc", "t=1700000000", "t=soon,v1=abc"):
        assert not verify_signature("s3cret-s3cret-s3cret-s3cret", forged, body)


def test_a_rotated_secret_verifies_during_the_changeover():
    body = b"{}"
    old = sign("old-secret-old-secret-old", body, 1_700_000_000)
    new = sign("new-secret-new-secret-new", body, 1_700_000_000)
    both = f"{new},{old.split(',')[1]}"

    assert verify_signature("old-secret-old-secret-old", both, body, now=1_700_000_000)


# Retries, on the database queue -------------------------------------------------


@pytest.mark.parametrize(
    ("first_answer", "error"),
    [(500, "HTTP 500 Internal Server Error"), (HANG, "No answer within 0.2 seconds.")],
    ids=["server-error", "timeout"],
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("database_queue")
def test_a_failed_attempt_is_retried_after_a_wait(
    receiver, endpoint, settings, time_machine, first_answer, error
):
    settings.CMS_WEBHOOK_TIMEOUT = 0.2
    receiver.answers = [first_answer]
    tell()

    run_worker()

    delivery = WebhookDelivery.objects.get()
    assert len(receiver.requests) == 1
    assert (delivery.status, delivery.attempts) == (Status.PENDING, 1)
    assert delivery.last_error.startswith(error)
    assert delivery.response_code == (500 if first_answer == 500 else None)
    # Queued for later, not now.
    assert delivery.next_attempt_at - delivery.last_attempt_at >= timedelta(seconds=30)
    assert not DBTaskResult.objects.ready().exists()

    settings.CMS_WEBHOOK_TIMEOUT = 5
    time_machine.move_to(delivery.next_attempt_at + timedelta(seconds=1))
    run_worker()

    delivery.refresh_from_db()
    assert len(receiver.requests) == 2
    first, second = receiver.requests
    assert first.body == second.body
    assert second.headers["X-CMS-Delivery"] == str(delivery.pk)
    assert verify_signature(
        endpoint.secret, second.headers["X-CMS-Signature"], second.body
    )
    assert (delivery.status, delivery.attempts, delivery.response_code) == (
        Status.DELIVERED,
        2,
        200,
    )
    assert delivery.last_error == ""


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("database_queue")
def test_a_delivery_fails_after_the_last_attempt(receiver, endpoint, settings):
    settings.CMS_WEBHOOK_ATTEMPTS = 3
    settings.CMS_WEBHOOK_BACKOFF_SECONDS = 0
    receiver.answers = [500, 503, 502, 200]
    tell()

    run_worker()

    delivery = WebhookDelivery.objects.get()
    assert len(receiver.requests) == 3
    assert (delivery.status, delivery.attempts, delivery.response_code) == (
        Status.FAILED,
        3,
        502,
    )
    assert delivery.next_attempt_at is None
    assert not DBTaskResult.objects.ready().exists()


# The admin ---------------------------------------------------------------------


def change_url(delivery) -> str:
    return reverse("admin:cms_webhookdelivery_change", args=[delivery.pk])


@pytest.fixture
def failed_delivery(receiver, endpoint, committed, settings):
    settings.CMS_WEBHOOK_ATTEMPTS = 1
    receiver.answers = [500]
    committed(tell)
    settings.CMS_WEBHOOK_ATTEMPTS = 6
    return WebhookDelivery.objects.get()


def test_the_delivery_log_shows_status_attempts_and_the_error(
    admin_client, failed_delivery
):
    page = admin_client.get(reverse("admin:cms_webhookdelivery_changelist"))

    row = BeautifulSoup(page.content, "html.parser").select_one("#result_list tbody tr")
    cells = {cell["class"][0]: cell.get_text(strip=True) for cell in row(["th", "td"])}
    assert cells["field-status"] == "Failed"
    assert cells["field-attempts"] == "1"
    assert cells["field-response_code"] == "500"
    assert cells["field-error"] == "HTTP 500 Internal Server Error"
    assert cells["field-article"] == "Colic (#7)"


def test_send_again_posts_the_same_payload_as_a_new_delivery(
    admin_client, receiver, failed_delivery, django_capture_on_commit_callbacks
):
    page = admin_client.get(change_url(failed_delivery))
    assert b'name="_send_again"' in page.content
    assert b"Colic" in page.content  # the payload

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(change_url(failed_delivery), {"_send_again": "1"})

    again = WebhookDelivery.objects.exclude(pk=failed_delivery.pk).get()
    assert response.status_code == 302
    assert response["Location"] == change_url(again)
    first, second = receiver.requests
    assert second.body == first.body  # the same "id": a receiver can tell
    assert second.headers["X-CMS-Delivery"] == str(again.pk)
    assert again.status == Status.DELIVERED
    failed_delivery.refresh_from_db()
    assert failed_delivery.status == Status.FAILED


def test_send_again_from_the_list(
    admin_client, receiver, failed_delivery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:cms_webhookdelivery_changelist"),
            {"action": "send_again", "_selected_action": [str(failed_delivery.pk)]},
        )

    assert len(receiver.requests) == 2
    assert WebhookDelivery.objects.filter(status=Status.DELIVERED).count() == 1


def test_who_may_only_read_the_log_cannot_send_again(client, failed_delivery):
    reader = UserFactory(staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_webhookdelivery"))
    client.force_login(reader)

    page = client.get(change_url(failed_delivery))
    refused = client.post(change_url(failed_delivery), {"_send_again": "1"})

    assert page.status_code == 200
    assert b"_send_again" not in page.content
    assert refused.status_code == 403
    assert WebhookDelivery.objects.count() == 1


def endpoint_form(secret: str) -> dict:
    return {
        "name": "Newsletter",
        "url": "https://hooks.example.org/cms",
        "events": ["article.published", "article.deleted"],
        "is_active": "on",
        "secret": secret,
    }


def test_an_endpoint_is_added_with_a_secret_made_for_it(admin_client):
    add_url = reverse("admin:cms_webhookendpoint_add")
    page = BeautifulSoup(admin_client.get(add_url).content, "html.parser")
    secret = page.select_one("input[name=secret]")["value"]

    response = admin_client.post(add_url, endpoint_form(secret))

    assert response.status_code == 302
    endpoint = WebhookEndpoint.objects.get()
    assert len(secret) >= 40 and endpoint.secret == secret
    assert endpoint.events == ["article.published", "article.deleted"]


def member_of(role: str):
    user = UserFactory(staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def test_a_site_admin_adds_endpoints_reads_the_log_and_sends_again(
    client, failed_delivery
):
    client.force_login(member_of("Site admin"))

    index = client.get(reverse("admin:index"))
    added = client.post(
        reverse("admin:cms_webhookendpoint_add"), endpoint_form("s" * 40)
    )
    log = client.get(reverse("admin:cms_webhookdelivery_changelist"))
    page = client.get(change_url(failed_delivery))

    assert reverse("admin:cms_webhookendpoint_changelist").encode() in index.content
    assert added.status_code == 302
    assert WebhookEndpoint.objects.filter(url="https://hooks.example.org/cms").exists()
    assert log.status_code == 200 and b"Colic (#7)" in log.content
    assert b'name="_send_again"' in page.content


@pytest.mark.parametrize("role", ["Editor", "Writer"])
def test_editors_and_writers_cannot_see_or_change_webhooks(
    client, failed_delivery, role
):
    client.force_login(member_of(role))

    index = client.get(reverse("admin:index"))
    pages = [
        client.get(reverse("admin:cms_webhookendpoint_changelist")),
        client.post(reverse("admin:cms_webhookendpoint_add"), endpoint_form("s" * 40)),
        client.get(reverse("admin:cms_webhookdelivery_changelist")),
        client.post(change_url(failed_delivery), {"_send_again": "1"}),
    ]

    assert b"webhook" not in index.content.lower()
    assert [page.status_code for page in pages] == [403, 403, 403, 403]
    assert WebhookEndpoint.objects.count() == 1
    assert WebhookDelivery.objects.count() == 1


@pytest.mark.parametrize(
    "url", ["ftp://example.org/hook", "file:///etc/passwd", "javascript:alert(1)"]
)
def test_an_endpoint_must_be_an_http_address(url):
    endpoint = WebhookEndpoint(name="Bad", url=url, events=["article.published"])

    with pytest.raises(ValidationError) as refused:
        endpoint.full_clean()

    assert "url" in refused.value.message_dict


def test_an_endpoint_must_choose_an_event():
    endpoint = WebhookEndpoint(name="Deaf", url="https://example.org/", events=[])

    with pytest.raises(ValidationError) as refused:
        endpoint.full_clean()

    assert "events" in refused.value.message_dict
