"""The checks panel beside the article editor's preview, updating as a writer types."""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from articles.models import Article
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CategoryFactory,
    ExpertFactory,
    UserFactory,
)

from .signing_in import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

BODY = "## Settling\n\nHold your baby close and keep the room dim."


@pytest.fixture
def writer_page(live_server, page):
    """A writer signed in, with a draft of their own open in the editor."""
    user = UserFactory(username="wren")
    user.groups.add(Group.objects.get(name="Writer"))
    article = ArticleFactory(
        title="How to settle a baby who wakes at night",
        standfirst="Simple, gentle ways to help your baby settle back to sleep after "
        "a night-time waking.",
        body=BODY,
        authors=[AuthorFactory(user=user)],
    )
    sign_in(live_server, page, user)
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    return page, article


def panel_violations(page) -> list[str]:
    """axe-core's WCAG A/AA violations inside the panel (the admin around it is
    Django's)."""
    from axe_playwright_python.sync_playwright import Axe

    from .test_accessibility import WCAG_TAGS

    results = Axe().run(
        page,
        context=".editor-checks",
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}},
    )
    return [v["id"] for v in results.response["violations"]]


def findings(page, check):
    return page.locator(f'.editor-checks [data-check="{check}"] .finding')


def test_a_check_appears_as_the_writer_types_and_clears_when_fixed(writer_page):
    page, article = writer_page
    panel = page.get_by_role("region", name="Checks")
    expect(panel).to_be_visible()
    # Beside the preview: in the editor's own box, not in a row of its own.
    assert page.locator(".field-body .markdownx .editor-checks").count() == 1
    expect(findings(page, "headings")).to_have_text(
        ["OK: Headings go down one level at a time."]
    )

    page.locator("#id_body").fill(
        BODY
        + "\n\n#### Night feeds\n\nSee the advice [click here](https://www.nhs.uk/)."
    )

    expect(findings(page, "headings").first).to_contain_text(
        "Warning: Heading level skipped: “Night feeds” is an H4 after an H2."
    )
    expect(findings(page, "link_text").first).to_contain_text(
        "Warning: The link “click here” says nothing of where it goes."
    )
    expect(panel.locator(".checks-summary")).to_have_text("2 warnings.")
    assert panel_violations(page) == []

    page.locator("#id_body").fill(
        BODY + "\n\n### Night feeds\n\nSee the [NHS advice on night feeds]"
        "(https://www.nhs.uk/)."
    )

    expect(findings(page, "headings")).to_have_text(
        ["OK: Headings go down one level at a time."]
    )
    expect(findings(page, "link_text")).to_have_text(
        ["OK: Every link says where it goes."]
    )
    expect(panel.locator(".checks-summary")).to_have_text("No warnings.")
    # Nothing was saved: the checks read the form, not the article.
    article.refresh_from_db()
    assert article.body == BODY
    assert Article.objects.get(pk=article.pk).version == article.version


def test_the_search_preview_follows_the_seo_title(writer_page):
    page, _ = writer_page
    page.locator(
        "fieldset:has(#id_seo_title) .collapse-toggle, "
        "fieldset:has(#id_seo_title) summary"
    ).first.click()
    page.locator("#id_seo_title").fill("Settling a baby at night: what helps")

    snippet = page.locator(".editor-checks .snippet-title")
    expect(snippet).to_have_text("Settling a baby at night: what helps | Little Steps")
    expect(findings(page, "seo_title").first).to_have_text(
        "OK: Search title: 36 characters (aim for 30–60). From the SEO title."
    )


def test_the_panel_says_checks_are_unavailable_when_the_endpoint_fails(writer_page):
    page, _ = writer_page
    page.route("**/admin/articles/article/checks/", lambda route: route.abort())

    page.locator("#id_body").fill(BODY + "\n\nOne more line.")

    expect(page.locator(".editor-checks .checks-summary")).to_contain_text(
        "Checks unavailable"
    )
    # The form still works as a form: the text is there and can be saved.
    assert page.locator("#id_body").input_value().endswith("One more line.")
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()


def test_the_review_check_follows_the_reviewer_and_date_the_editor_types(
    live_server, page
):
    editor = UserFactory(username="eda")
    editor.groups.add(Group.objects.get(name="Editor"))
    section = CategoryFactory(name="Baby health", requires_medical_review=True)
    article = ArticleFactory(title="Fevers in babies", body=BODY, category=section)
    ExpertFactory(name="Amara Osei")
    sign_in(live_server, page, editor)
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    review = findings(page, "review").first
    expect(review).to_contain_text("need a medical review")

    # The reviewer from the autocomplete, then the date from the admin's "Today".
    page.locator("#id_reviewed_by + .select2").click()
    page.keyboard.type("Osei")
    page.locator(".select2-results__option", has_text="Osei").click()
    expect(review).to_contain_text("Give the date of the review.")
    page.locator(".field-reviewed_at .datetimeshortcuts a", has_text="Today").click()

    expect(review).to_have_text(
        re.compile(r"OK: Medically reviewed on .*; next review")
    )
    article.refresh_from_db()
    assert article.reviewed_by is None  # the checks read the form; nothing is saved
