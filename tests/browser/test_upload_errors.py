"""An image dropped or pasted into a Markdown editor: a refused one is explained above
the editor and leaves the writer's text as it was; an accepted one goes in."""

import base64
import io

import pytest
from django.conf import settings
from PIL import Image

from cms.validators import NOT_AN_IMAGE
from tests.factories import ArticleFactory, UserFactory

from .signing_in import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

BODY = "## Intro\n\nFirst paragraph.\n\nSecond paragraph."
EDITOR = "#id_body"
ERRORS = ".field-body .upload-errors"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"

# Every preview markdownx receives, to show the refusal never reached it.
RECORD_PREVIEWS = """
window.previews = [];
document.addEventListener("markdownx.update", (event) => {
  window.previews.push(String(event.detail[0]));
}, true);
"""

# How markdownx is handed a file: a drop or a paste on the editor carrying it.
SEND_FILE = """
([how, name, type, data]) => {
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  const files = new DataTransfer();
  files.items.add(new File([bytes], name, { type }));
  const event = how === "drop"
    ? new DragEvent("drop", { dataTransfer: files, bubbles: true, cancelable: true })
    : new ClipboardEvent("paste", { clipboardData: files, bubbles: true, cancelable: true });
  document.querySelector("#id_body").dispatchEvent(event);
}
"""


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def editor(live_server, page):
    """The article change form, signed in, with the caret after "First paragraph"."""
    boss = UserFactory(username="boss", superuser=True)
    article = ArticleFactory(body=BODY)
    sign_in(live_server, page, boss)
    page.add_init_script(RECORD_PREVIEWS)
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    page.wait_for_function("() => window.previews.length > 0")
    select(page, "First paragraph", "First paragraph")
    return page


def select(page, start_after: str, end_after: str) -> None:
    page.locator(EDITOR).evaluate(
        "(el, [a, b]) => { el.focus(); el.setSelectionRange("
        "el.value.indexOf(a) + a.length, el.value.indexOf(b) + b.length); }",
        [start_after, end_after],
    )


def selection(page) -> tuple[int, int]:
    return tuple(
        page.locator(EDITOR).evaluate("el => [el.selectionStart, el.selectionEnd]")
    )


def send(page, how: str, name: str, content_type: str, data: bytes) -> None:
    page.evaluate(
        SEND_FILE, [how, name, content_type, base64.b64encode(data).decode("ascii")]
    )


def refusal(page) -> str:
    errors = page.locator(ERRORS)
    errors.wait_for(timeout=10_000)
    assert errors.get_attribute("role") == "alert"
    assert "errorlist" in errors.get_attribute("class")
    return errors.inner_text()


def assert_text_kept(page, caret: tuple[int, int], *, previewed: bool = True) -> None:
    assert page.locator(EDITOR).input_value() == BODY
    assert selection(page) == caret
    # Once faded for the upload, the editor is usable again.
    assert page.locator(EDITOR).evaluate("el => el.style.opacity") == "1"
    # The preview is redrawn from the kept text, never with markdownx's stray words.
    count = page.evaluate("window.previews.length")
    page.wait_for_function("n => window.previews.length > n", arg=count, timeout=5000)
    previews = page.evaluate("window.previews")
    assert not any("Invalid response" in html for html in previews)
    if previewed:
        assert "First paragraph." in previews[-1]


@pytest.mark.parametrize(
    ("how", "name", "content_type", "data"),
    [
        ("drop", "logo.svg", "image/svg+xml", SVG),
        ("paste", "logo.svg", "image/svg+xml", SVG),
        ("drop", "page.png", "image/png", HTML),
    ],
    ids=["dropped svg", "pasted svg", "html renamed .png"],
)
def test_a_refused_image_is_explained_and_the_text_kept(
    editor, how, name, content_type, data
):
    caret = selection(editor)

    send(editor, how, name, content_type, data)

    assert refusal(editor) == NOT_AN_IMAGE
    assert_text_kept(editor, caret)
    # The field's error is read out with the editor.
    described = editor.locator(EDITOR).get_attribute("aria-describedby")
    assert editor.locator(ERRORS).get_attribute("id") in described.split()


def test_a_selection_is_not_replaced_by_a_refused_image(editor):
    select(editor, "## ", "First paragraph.")
    caret = selection(editor)

    send(editor, "drop", "logo.svg", "image/svg+xml", SVG)

    assert refusal(editor) == NOT_AN_IMAGE
    assert_text_kept(editor, caret)


def test_an_accepted_image_goes_in_at_the_caret_and_clears_the_refusal(editor):
    send(editor, "drop", "logo.svg", "image/svg+xml", SVG)
    refusal(editor)

    send(editor, "drop", "photo.png", "image/png", png())

    editor.wait_for_function(
        "() => document.querySelector('#id_body').value.includes('![](')",
        timeout=10_000,
    )
    text = editor.locator(EDITOR).input_value()
    head, image, tail = text.partition("![](")
    assert head == "## Intro\n\nFirst paragraph"
    assert tail.split(")", 1)[1] == ".\n\nSecond paragraph."
    assert "Invalid response" not in text
    assert editor.locator(ERRORS).count() == 0


def test_typing_clears_the_refusal(editor):
    send(editor, "drop", "logo.svg", "image/svg+xml", SVG)
    refusal(editor)
    shown = editor.locator(ERRORS).get_attribute("id")

    editor.keyboard.type("!")

    assert editor.locator(ERRORS).count() == 0
    described = editor.locator(EDITOR).get_attribute("aria-describedby") or ""
    assert shown not in described.split()
    assert "First paragraph!." in editor.locator(EDITOR).input_value()


@pytest.mark.parametrize(
    ("answer", "told"),
    [
        ({"status": 413, "body": "<h1>413 Request Entity Too Large</h1>"}, "too large"),
        ({"status": 502, "body": "<h1>Bad gateway</h1>"}, "error 502"),
        ({"status": 403, "body": "<h1>Forbidden</h1>"}, "signed out"),
        (None, "did not reach the server"),
    ],
    ids=["413 from a proxy", "502 from a proxy", "403 page", "connection lost"],
)
def test_an_answer_that_is_not_the_endpoints_is_explained(editor, answer, told):
    caret = selection(editor)

    def reply(route):
        if answer is None:
            route.abort("connectionreset")
        else:
            route.fulfill(content_type="text/html", **answer)

    editor.route("**/markdownx/upload/", reply)
    send(editor, "drop", "photo.png", "image/png", png())

    assert told in refusal(editor)
    assert_text_kept(editor, caret)


def test_an_upload_after_the_session_ended_says_to_sign_in_again(editor):
    context = editor.context
    kept = [c for c in context.cookies() if c["name"] != settings.SESSION_COOKIE_NAME]
    context.clear_cookies()
    context.add_cookies(kept)
    caret = selection(editor)

    send(editor, "drop", "photo.png", "image/png", png())

    assert "Sign in again" in refusal(editor)
    # Signed out, the preview cannot be redrawn either.
    assert_text_kept(editor, caret, previewed=False)
