"""Notifications on the site as deployed: a submission emails the editor (sent by the
worker), whose email leads to the article; the writer turns "published" emails off
on their profile, and the editor's publication then sends them nothing. An editor
names herself a section's editor in the admin, and only she is told of its
submissions."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TITLE = "Bath time without tears"
# A draft the demo's writer submits for review (read by no other browser test).
SUBMITTED_BY_WRITER = f"""
from django.contrib.auth import get_user_model
from articles.models import Article, ArticleAuthor, Category
from articles.services import article_submit

writer = get_user_model().objects.get(username="writer")
article = Article.objects.create(
    title={TITLE!r},
    slug="bath-time-without-tears",
    standfirst="Warm water, a calm voice and a routine help most babies relax.",
    category=Category.objects.get(slug="toddler"),
    body="## Before the bath\\n\\nGather the towel and clothes first.",
    created_by=writer,
    modified_by=writer,
)
ArticleAuthor.objects.create(article=article, author=writer.author, position=0)
article_submit(article=article, by=writer)
"""


def run_worker(site) -> None:
    site.manage("db_worker", "--batch", "--no-startup-delay", "--no-reload")


def emails_to(site, address: str, after: int) -> list:
    """This article's emails to ``address`` (the worker also sends what other
    journeys queued)."""
    return [
        m for m in site.emails()[after:] if m["To"] == address and TITLE in m["Subject"]
    ]


def test_editor_is_emailed_a_submission_and_writer_turns_published_emails_off(
    site, page, browser
):
    before = len(site.emails())
    site.shell(SUBMITTED_BY_WRITER)
    run_worker(site)

    [told] = emails_to(site, "editor@example.com", before)
    assert told["Subject"] == f"Submitted for review: {TITLE}"
    assert emails_to(site, "writer@example.com", before) == []
    body = told.get_body(("plain",)).get_content()
    change = re.search(r"/admin/articles/article/\d+/change/", body).group(0)

    # The writer turns "published" emails off on their profile.
    writer = browser.new_context().new_page()
    site.login(writer, "Writer")
    writer.locator("#user-tools").get_by_role("link", name="Your profile").click()
    assert writer.locator("#profile-email").inner_text() == (
        "Emails go to writer@example.com."
    )
    writer.get_by_label("Published").uncheck()
    with writer.expect_navigation():
        writer.get_by_role("button", name="Save").click()
    assert (
        "Your email settings are saved." in writer.locator(".messagelist").inner_text()
    )
    assert not writer.get_by_label("Published").is_checked()
    assert writer.get_by_label("Sent back").is_checked()
    writer.context.close()

    # The editor follows the email's link and publishes: the writer is not told.
    site.login(page, "Editor")
    page.goto(site.url + change)
    assert page.input_value("#id_title") == TITLE
    page.get_by_label("Publish (or schedule)").check()
    with page.expect_navigation():
        page.click("input[name=_continue]")
    assert f"“{TITLE}” is now published." in page.locator(".messagelist").inner_text()
    before = len(site.emails())
    run_worker(site)
    assert emails_to(site, "writer@example.com", before) == []


SECTION_TITLE = "Nappy rash: a quick guide"
SUBMITTED_IN_PREGNANCY = SUBMITTED_BY_WRITER.replace(repr(TITLE), repr(SECTION_TITLE))
SUBMITTED_IN_PREGNANCY = SUBMITTED_IN_PREGNANCY.replace(
    '"bath-time-without-tears"', '"nappy-rash-a-quick-guide"'
).replace('slug="toddler"', 'slug="pregnancy"')
PUT_BACK_SECTION = f"""
from django.contrib.auth import get_user_model
from articles.models import Article, Category
Category.objects.get(slug="pregnancy").editors.clear()
get_user_model().objects.filter(username="deputy").delete()
Article.objects.filter(title={SECTION_TITLE!r}).delete()
"""


def test_a_section_s_editor_named_in_the_admin_alone_is_told_of_its_submissions(
    site, page
):
    second = site.add_login("deputy", "Editor")
    try:
        # The editor names herself the Pregnancy section's editor with the admin's widget.
        site.login(page, "Editor")
        page.goto(site.url + "/admin/articles/category/?q=pregnancy")
        page.locator("#result_list").get_by_role("link", name="Pregnancy").click()
        page.select_option("#id_editors_from", label="editor")
        page.click("#id_editors_add")
        with page.expect_navigation():
            page.click("input[name=_continue]")
        assert "was changed successfully" in page.locator(".messagelist").inner_text()
        assert page.locator("#id_editors_to option").all_inner_texts() == ["editor"]
        offered = page.locator("#id_editors_from option").all_inner_texts()
        assert second.username in offered and "writer" not in offered

        before = len(site.emails())
        site.shell(SUBMITTED_IN_PREGNANCY)
        run_worker(site)
        told = [
            m["To"] for m in site.emails()[before:] if SECTION_TITLE in m["Subject"]
        ]
        assert told == ["editor@example.com"]
    finally:
        site.shell(PUT_BACK_SECTION)
