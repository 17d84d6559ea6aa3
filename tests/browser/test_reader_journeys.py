"""A reader's journeys through the demo article on a phone and on a desktop, on the
site as deployed (the `site` fixture: DEBUG off, collected static files, the demo)."""

import os
from pathlib import Path

import pytest

from articles.demo.content import FLAGSHIP

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTICLE = "/{}/{}/".format(*FLAGSHIP)
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
VIEWPORTS = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True},
    "desktop": {"viewport": {"width": 1280, "height": 900}},
}


@pytest.fixture(params=list(VIEWPORTS))
def reader(request, browser):
    context = browser.new_context(**VIEWPORTS[request.param])
    page = context.new_page()
    page.viewport_name = request.param
    yield page
    context.close()


def read_the_article(site, reader):
    reader.goto(site.url + ARTICLE)
    assert reader.locator("h1").count() == 1
    assert reader.locator("h1").is_visible()

    # The hero comes as WebP, sized for the screen, and is loaded at once.
    hero = reader.locator("figure.hero img")
    hero.wait_for()
    reader.wait_for_function("() => document.querySelector('figure.hero img').complete")
    assert hero.evaluate("img => img.currentSrc").endswith(".webp")
    assert 0 < hero.evaluate("img => img.naturalWidth") <= 1600

    if os.environ.get("UPDATE_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        reader.screenshot(path=SCREENSHOTS / f"article-{reader.viewport_name}.png")

    # Follow the table of contents to the third section.
    link = reader.locator("nav.toc a").nth(2)
    target = link.get_attribute("href")
    link.click()
    reader.wait_for_function(f"() => location.hash === '{target}'")
    reader.wait_for_function(
        "() => (() => { const top = document.querySelector(location.hash)"
        ".getBoundingClientRect().top; return top >= 0 && top < 200; })()",
        timeout=5000,
    )


def use_the_image_viewer_by_keyboard(site, reader):
    reader.goto(site.url + ARTICLE)
    link = reader.locator(".numbered-list a[data-viewer]").first
    alt = link.locator("img").get_attribute("alt")
    link.focus()
    reader.keyboard.press("Enter")

    dialog = reader.locator("dialog.viewer")
    dialog.wait_for()
    assert dialog.evaluate("d => d.open")
    assert dialog.get_attribute("aria-label") == "Image viewer"
    assert dialog.locator("img").get_attribute("alt") == alt
    # Focus is inside the dialog and stays there (the page behind is inert).
    for _ in range(3):
        assert reader.evaluate(
            "document.querySelector('dialog.viewer').contains(document.activeElement)"
            " || document.activeElement === document.body"
        )
        reader.keyboard.press("Tab")

    reader.keyboard.press("Escape")
    assert not dialog.evaluate("d => d.open")
    assert reader.evaluate("document.activeElement.hasAttribute('data-viewer')")
    assert reader.evaluate("document.activeElement.href") == link.evaluate(
        "a => a.href"
    )


def search_from_the_header(site, reader):
    reader.goto(site.url + "/")
    box = reader.get_by_role("searchbox", name="Search articles")
    box.fill("rash")
    box.press("Enter")
    reader.wait_for_url("**/search/?q=rash")
    results = reader.locator("main a[href]")
    assert results.count() > 0
    assert reader.locator("main").get_by_text("rash", exact=False).count() > 0


def test_reader_journeys(site, reader):
    read_the_article(site, reader)
    use_the_image_viewer_by_keyboard(site, reader)
    search_from_the_header(site, reader)
