import pytest

from articles.models import Article
from tests.factories import ArticleFactory, UserFactory

from .signing_in import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

BANNER = ".unsaved-changes"
COPIES = (
    "Object.keys(localStorage).filter(k => k.startsWith('unsaved-changes:/')).length"
)


@pytest.fixture
def article():
    return ArticleFactory(title="Original title", body="## Original\n\nServer text.")


@pytest.fixture
def signed_in(live_server, page):
    """A superuser in the admin; leaving a page with edits is always confirmed."""
    boss = UserFactory(username="boss", superuser=True)
    sign_in(live_server, page, boss)
    page.dialogs = []

    def accept(dialog):
        page.dialogs.append(dialog.type)
        dialog.accept()

    page.on("dialog", accept)
    return page


def change_url(live_server, article):
    return f"{live_server.url}/admin/articles/article/{article.pk}/change/"


def type_edits(page):
    page.fill("#id_title", "Typed title")
    page.fill("#id_body", "## Typed\n\nWords typed before the connection went.")
    page.wait_for_function(f"() => {COPIES} > 0", timeout=5000)


def test_typed_edits_come_back_after_a_reload(live_server, signed_in, article):
    page = signed_in
    page.goto(change_url(live_server, article))
    assert page.locator(BANNER).count() == 0
    type_edits(page)

    page.reload()

    assert "beforeunload" in page.dialogs
    banner = page.locator(BANNER)
    assert "You have unsaved changes from" in banner.inner_text()
    assert page.input_value("#id_title") == "Original title"

    page.click(f"{BANNER} button:has-text('Restore them')")

    assert page.locator(BANNER).count() == 0
    assert page.input_value("#id_title") == "Typed title"
    assert page.input_value("#id_body").startswith("## Typed")
    # The restored body reaches markdownx's live preview too.
    page.locator(".markdownx-preview h2", has_text="Typed").wait_for(timeout=5000)


@pytest.mark.parametrize("button", ["_continue", "_save"])
def test_a_successful_save_clears_the_copy(live_server, signed_in, article, button):
    page = signed_in
    page.goto(change_url(live_server, article))
    type_edits(page)

    page.click(f"input[name={button}]")

    page.locator(".messagelist .success").wait_for(timeout=5000)
    article.refresh_from_db()
    assert article.title == "Typed title"
    assert page.evaluate(COPIES) == 0
    page.goto(change_url(live_server, article))
    assert page.locator(BANNER).count() == 0


def test_discard_forgets_the_copy(live_server, signed_in, article):
    page = signed_in
    page.goto(change_url(live_server, article))
    type_edits(page)
    page.reload()

    page.click(f"{BANNER} button:has-text('Discard')")

    assert page.input_value("#id_title") == "Original title"
    assert page.evaluate(COPIES) == 0
    page.reload()
    assert page.locator(BANNER).count() == 0


def test_edits_refused_as_stale_are_offered_on_the_newer_version(
    live_server, signed_in, article
):
    page = signed_in
    page.goto(change_url(live_server, article))
    type_edits(page)
    # Someone else saves while this form is open.
    other = Article.objects.get(pk=article.pk)
    other.standfirst = "Changed by a colleague."
    other.save()

    page.click("input[name=_continue]")

    assert "after you opened it" in page.locator(".errorlist.nonfield").inner_text()
    assert page.input_value("#id_title") == "Typed title"  # still in the form
    page.goto(change_url(live_server, article))
    banner = page.locator(BANNER)
    assert "before this article was last saved" in banner.inner_text()
    page.click(f"{BANNER} button:has-text('Restore them')")
    assert page.input_value("#id_title") == "Typed title"
    assert page.input_value("#id_standfirst") == "Changed by a colleague."
