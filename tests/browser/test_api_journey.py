"""The content API and its webhooks on the deployed site, as their users meet them: a
site admin registers a webhook in the admin, a headless front end reads an article
with images through the API (from the page cache, revalidated with its ETag), an
editor changes that article in the admin, and both the front end and the webhook
receiver learn of it."""

import json
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from cms.webhooks import SIGNATURE_HEADER, verify_signature

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SAVE_AND_CONTINUE = "input[name=_continue]"


class Receiver(BaseHTTPRequestHandler):
    """A webhook receiver on loopback that keeps what it is sent."""

    received: list = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((self.headers, body))  # names in any case
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Receiver.received = []
    yield f"http://127.0.0.1:{server.server_address[1]}/hooks/cms"
    server.shutdown()


def fetch(url: str, **headers) -> tuple[int, dict, bytes]:
    """A request as a front end's server makes it: no cookies."""
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as answer:
        return answer.code, dict(answer.headers), answer.read()


def test_a_change_in_the_admin_reaches_the_api_and_the_webhook(site, person, receiver):
    # An article of the demo with a hero image and list images, not the flagship.
    pk, path = site.shell(
        "from articles.models import Article\n"
        "a = Article.objects.published().filter(hero_image__isnull=False)"
        ".exclude(list_items=None).order_by('pk').last()\n"
        "print(a.pk, a.get_absolute_url())"
    ).split()
    api = f"{site.url}/api/v1/articles/{pk}"

    # The site admin registers the receiver for updates.
    admin = person()
    site.login(admin, "Site admin")
    admin.goto(f"{site.url}/admin/cms/webhookendpoint/add/")
    admin.fill("#id_name", "Partner app")
    admin.fill("#id_url", receiver)
    admin.check("input[name=events][value='article.updated']")
    secret = admin.input_value("#id_secret")
    admin.click(SAVE_AND_CONTINUE)
    expect(admin.locator(".messagelist .success")).to_have_count(1)

    # The front end reads the article: its images come with their renditions, and
    # the second read is the page cache's, revalidated with its ETag.
    status, headers, body = fetch(api)
    assert status == 200
    before = json.loads(body)
    assert before["hero"]["renditions"], "the demo's renditions are made"
    assert all(item["image"] for item in before["list_items"])
    assert before["url"] == f"{site.url}{path}"
    status, headers, _ = fetch(api)
    assert (status, headers["X-Page-Cache"]) == (200, "hit")
    assert fetch(api, **{"If-None-Match": headers["ETag"]})[0] == 304

    # An editor changes the standfirst and saves.
    editor = person()
    site.login(editor, "Editor")
    editor.goto(f"{site.url}/admin/articles/article/{pk}/change/")
    original = editor.input_value("#id_standfirst")
    editor.fill("#id_standfirst", "Rewritten for the API journey. " + original)
    editor.click(SAVE_AND_CONTINUE)
    expect(editor.locator(".messagelist .success")).to_have_count(1)

    try:
        # The front end's next read has it, whatever it held.
        status, headers, body = fetch(api, **{"If-None-Match": headers["ETag"]})
        assert status == 200
        assert json.loads(body)["standfirst"].startswith("Rewritten for the API")
        assert Receiver.received == [], "nothing is sent in the editor's request"

        # The worker sends the event, signed with the secret the admin was shown.
        site.manage("db_worker", "--batch", "--no-startup-delay", "--no-reload")
        [(sent_headers, sent_body)] = Receiver.received
        assert sent_headers["X-CMS-Event"] == "article.updated"
        assert verify_signature(secret, sent_headers[SIGNATURE_HEADER], sent_body)
        assert json.loads(sent_body)["article"]["id"] == int(pk)

        # The delivery log says so.
        admin.goto(f"{site.url}/admin/cms/webhookdelivery/")
        expect(admin.locator("#result_list")).to_contain_text("Delivered")
    finally:
        # Put back as an editor's save does: pages and stored answers follow.
        site.shell(
            "from cms.models import WebhookEndpoint\n"
            "WebhookEndpoint.objects.all().delete()\n"
            "from articles.models import Article\n"
            f"article = Article.objects.get(pk={pk})\n"
            f"article.standfirst = {original!r}\n"
            "article.save()\n"
        )
