import pytest

from tests.factories import ArticleFactory, ListItemFactory, UserFactory, image_file

from .signing_in import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def article():
    article = ArticleFactory(
        published=True,
        list_heading="Other complaints",
        body="## First\n\n" + "Words. " * 400 + "\n\n## Second\n\n" + "More. " * 400,
    )
    for position in (1, 2):
        ListItemFactory(
            article=article,
            position=position,
            heading=f"Item {position}",
            image=image_file(f"item{position}.png", size=(300, 200)),
            image_alt=f"Drawing number {position}",
        )
    return article


def test_image_viewer_opens_and_closes_by_keyboard(live_server, page, article):
    page.goto(live_server.url + article.get_absolute_url())
    link = page.locator("#item-2 a[data-viewer]")
    link.focus()
    page.keyboard.press("Enter")

    dialog = page.locator("dialog.viewer")
    assert dialog.evaluate("d => d.open")
    assert dialog.locator("img").get_attribute("alt") == "Drawing number 2"
    assert page.evaluate("document.activeElement.closest('dialog') !== null")
    assert page.url.endswith(article.get_absolute_url())  # no navigation to the image

    page.keyboard.press("Escape")
    assert not dialog.evaluate("d => d.open")
    assert page.evaluate(
        "document.activeElement.getAttribute('href')"
    ) == link.get_attribute("href")


def test_image_link_works_without_javascript(browser, live_server, article):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + article.get_absolute_url())
    page.locator("#item-1 a[data-viewer]").click()
    assert page.url.endswith(".png")
    context.close()


def test_table_of_contents_jumps_to_the_section(live_server, phone_page, article):
    phone_page.goto(live_server.url + article.get_absolute_url())
    phone_page.locator("nav.toc a", has_text="Second").click()
    phone_page.wait_for_function("() => location.hash === '#second'")
    # Scrolling is smooth: wait until the heading has arrived near the top.
    phone_page.wait_for_function(
        "() => (() => { const top = document.getElementById('second').getBoundingClientRect().top;"
        " return top >= 0 && top < 200; })()",
        timeout=5000,
    )


def test_live_preview_works_in_a_newly_added_list_item(live_server, page, article):
    boss = UserFactory(username="boss", superuser=True)
    sign_in(live_server, page, boss)
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")

    page.click("#list_items-group .add-row a")
    row = page.locator("#list_items-group .inline-related:not(.empty-form)").last
    row.locator("textarea").fill("**Fresh** words")
    preview = row.locator(".markdownx-preview strong")
    preview.wait_for(timeout=5000)
    assert preview.inner_text() == "Fresh"
