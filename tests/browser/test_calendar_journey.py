"""An editor moves a scheduled article from the editorial calendar to another day."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group

from articles.models import Article
from tests.browser.test_accessibility import violations
from tests.factories import ArticleFactory, UserFactory

from .signing_in import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

LONDON = ZoneInfo("Europe/London")  # the site's TIME_ZONE


def next_monday():
    """The Monday of next week: that week is all in the future."""
    today = datetime.now(LONDON).date()
    return today + timedelta(days=7 - today.weekday())


def going_live(title: str, day, at: time) -> Article:
    """A scheduled article going live on ``day`` at ``at``, London time."""
    return ArticleFactory(
        title=title,
        status=Article.Status.PUBLISHED,
        published_at=datetime.combine(day, at, tzinfo=LONDON),
    )


def sign_in_as_editor(live_server, page) -> None:
    editor = UserFactory(username="desk", staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    sign_in(live_server, page, editor)


def test_editor_moves_a_scheduled_article_to_another_day(live_server, page):
    monday = next_monday()
    thursday = monday + timedelta(days=3)
    article = going_live("Starting solids", monday, time(9, 30))
    sign_in_as_editor(live_server, page)

    with page.expect_navigation():
        page.get_by_role("link", name="Editorial calendar").first.click()
    with page.expect_navigation():
        page.get_by_role("link", name="Week", exact=True).click()
    with page.expect_navigation():
        page.get_by_role("link", name="Next week →").click()
    monday_list = page.locator(f"#day-{monday.isoformat()}")
    assert "Goes live 09:30" in monday_list.inner_text()
    field = page.get_by_label("New publication time for “Starting solids”")
    field.fill(f"{thursday.isoformat()}T14:15")
    with page.expect_navigation():
        monday_list.get_by_role("button", name="Move").click()

    assert page.locator(".messagelist li").all_inner_texts() == [
        f"“Starting solids” moved: it now goes live on {thursday.day} "
        f"{thursday:%B %Y}, 14:15."
    ]
    thursday_list = page.locator(f"#day-{thursday.isoformat()}")
    assert "Goes live 14:15" in thursday_list.inner_text()
    assert "Starting solids" in thursday_list.inner_text()
    assert (
        "Starting solids" not in page.locator(f"#day-{monday.isoformat()}").inner_text()
    )
    article.refresh_from_db()
    assert article.published_at == datetime.combine(
        thursday, time(14, 15), tzinfo=LONDON
    )


def test_editor_drags_a_scheduled_article_onto_another_day(live_server, page):
    monday = next_monday()
    friday = monday + timedelta(days=4)
    article = going_live("Teething remedies", monday, time(8, 45))
    sign_in_as_editor(live_server, page)
    page.goto(f"{live_server.url}/admin/articles/calendar/?view=month&date={monday}")

    entry = page.locator(".entry", has_text="Teething remedies")
    with page.expect_navigation():
        entry.drag_to(page.locator(f"#day-{friday.isoformat()}"))

    assert page.locator(".messagelist li").all_inner_texts() == [
        f"“Teething remedies” moved: it now goes live on {friday.day} "
        f"{friday:%B %Y}, 08:45."
    ]
    assert "Teething remedies" in page.locator(f"#day-{friday}").inner_text()
    article.refresh_from_db()
    assert article.published_at == datetime.combine(friday, time(8, 45), tzinfo=LONDON)


@pytest.mark.parametrize("view", ["month", "week"])
@pytest.mark.parametrize("screen", ["phone_page", "page"], ids=["phone", "desktop"])
def test_the_calendar_has_no_wcag_violations(live_server, request, screen, view):
    page = request.getfixturevalue(screen)
    monday = next_monday()
    ArticleFactory(
        status=Article.Status.PUBLISHED,
        published_at=datetime.combine(monday, time(10), tzinfo=LONDON),
        expires_at=datetime.combine(monday, time(18), tzinfo=LONDON),
    )
    ArticleFactory(status=Article.Status.IN_REVIEW, next_review_at=monday)
    sign_in_as_editor(live_server, page)

    page.goto(f"{live_server.url}/admin/articles/calendar/?view={view}&date={monday}")

    assert page.locator(".calendar .entry").count() >= 3
    assert violations(page) == []
