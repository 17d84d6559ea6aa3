"""The "Insert image" picker under an article's body. On the site as deployed, an
editor picks a library image into a published article, sees it in the live preview,
saves, and readers see the same figure on the page; and results beyond the first page
come with "More images"."""

import re

import pytest

from articles.demo.loader import DEMO_CREDIT
from cms.image_picker import PAGE_SIZE
from cms.management.commands.ensure_demo_editor import WRITER_AUTHOR
from tests.browser.test_insert_quote import body_value, open_article
from tests.browser.test_newsroom_journeys import (
    assert_no_server_errors,
    errors,
    messages,
    open_in_changelist,
    save,
)
from tests.factories import ArticleFactory, ImageFactory, UserFactory

from .signing_in import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]


TITLE = "Teething: when the first tooth arrives"
URL = "/toddler/teething-when-the-first-tooth-arrives/"
FIRST = "Most babies cut their first tooth at around six months."
BODY = f"## Signs of teething\n\n{FIRST}\n\nDribbling and red cheeks are common."
# The demo's library image the editor looks for (articles/demo/content.py).
IMAGE_TITLE = "Baby acne: small spots on cheeks and nose"
IMAGE_CAPTION = "Baby acne tends to stay on the face and starts a little later."

PUBLISHED_ARTICLE = """
from django.utils import timezone
from articles.demo.loader import DEMO_CREDIT
from articles.models import Article, ArticleAuthor, Author, Category

article = Article.objects.create(
    title=TITLE,
    slug="teething-when-the-first-tooth-arrives",
    standfirst="What to expect as the first tooth comes through.",
    category=Category.objects.get(slug="toddler"),
    body=BODY,
    status="published",
    published_at=timezone.now(),
)
ArticleAuthor.objects.create(
    article=article, author=Author.objects.get(slug=AUTHOR), position=0
)
"""


def put_cursor_after(page, text):
    page.locator("#id_body").evaluate(
        "(el, text) => { el.focus(); const at = el.value.indexOf(text) + text.length;"
        " el.setSelectionRange(at, at); }",
        text,
    )


def test_editor_picks_a_library_image_into_the_body_and_readers_see_it(site, page):
    since = site.log_size()
    site.shell(
        f"TITLE = {TITLE!r}\nBODY = {BODY!r}\nAUTHOR = {WRITER_AUTHOR!r}\n"
        + PUBLISHED_ARTICLE
    )
    site.login(page, "Editor")
    open_in_changelist(page, site, TITLE)
    put_cursor_after(page, FIRST)

    page.get_by_label("Insert image").fill("acne later")
    result = page.locator(".image-search-results .insert-image")
    result.first.wait_for(timeout=5000)
    assert result.count() == 1
    assert IMAGE_TITLE in result.inner_text()
    assert result.locator("img").get_attribute("src").startswith("/media/")
    image_id = result.get_attribute("data-image-id")
    # Enter picks the first result, as in "Link to an article".
    page.get_by_label("Insert image").press("Enter")

    reference = f"[[image:{image_id}]]"
    assert page.locator("#id_body").input_value() == BODY.replace(
        FIRST, f"{FIRST}\n\n{reference}"
    )
    assert page.locator(".image-search-results li").count() == 0
    preview = page.locator(".field-body .markdownx-preview figure.body-figure")
    preview.wait_for(timeout=5000)
    assert preview.locator("figcaption").inner_text().startswith(IMAGE_CAPTION)
    assert preview.locator("img").get_attribute("alt").startswith("Illustration:")
    previewed = preview.evaluate("el => el.outerHTML")

    save(page)

    assert any(
        re.fullmatch(rf"The article “{re.escape(TITLE)}” was changed successfully.*", m)
        for m in messages(page)
    ), errors(page)
    page.goto(site.url + URL)
    figure = page.locator(".prose figure.body-figure")
    assert figure.count() == 1
    # The renditions the worker made for the demo: WebP and a JPEG fallback.
    assert figure.locator("source[type='image/webp']").count() == 1
    assert figure.locator(".credit").text_content() == DEMO_CREDIT
    # The same markup as the preview showed.
    assert figure.evaluate("el => el.outerHTML") == previewed
    assert figure.locator("xpath=preceding-sibling::p[1]").inner_text() == FIRST
    assert_no_server_errors(site, since)


@pytest.mark.django_db(transaction=True)
def test_more_images_come_a_page_at_a_time_and_a_click_inserts_one(live_server, page):
    boss = UserFactory(username="boss", superuser=True)
    sign_in(live_server, page, boss)
    oldest = ImageFactory(title="Hat 0")
    for n in range(1, PAGE_SIZE + 1):
        ImageFactory(title=f"Hat {n}")
    article = ArticleFactory(body="## Sun\n\nWear a hat.")
    open_article(live_server, page, article)

    page.get_by_label("Insert image").fill("hat")
    results = page.locator(".image-search-results .insert-image")
    page.get_by_role("button", name="More images").click()
    results.nth(PAGE_SIZE).wait_for(timeout=5000)
    assert results.count() == PAGE_SIZE + 1
    assert page.get_by_role("button", name="More images").count() == 0
    # The first image added has the focus; it is the oldest.
    assert results.nth(PAGE_SIZE).evaluate("el => el === document.activeElement")
    results.nth(PAGE_SIZE).click()

    # Never clicked into the body: the image goes at the end, on a line of its own.
    assert body_value(page) == f"## Sun\n\nWear a hat.\n\n[[image:{oldest.pk}]]\n\n"
    page.locator(".field-body .markdownx-preview figure.body-figure").wait_for(
        timeout=5000
    )
