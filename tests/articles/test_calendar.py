"""The editorial calendar: what it shows on which day, for whom, and moving a scheduled
article from it under the rules of the article form."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError

from articles.models import Article, ArticleTransition
from articles.revisions import article_versions
from articles.services import article_publish, article_reschedule
from tests.articles.test_workflow import (
    change_data,
    change_url,
    local_fields,
    logged_in,
    member_of,
    reloaded,
)
from tests.factories import (
    ArticleFactory,
    ArticleQuoteFactory,
    CategoryFactory,
    QuoteFactory,
    UserFactory,
)

Status = Article.Status
LONDON = ZoneInfo("Europe/London")  # the site's TIME_ZONE
# A Wednesday; June 2030's grid runs from Monday 27 May to Sunday 30 June.
NOW = datetime(2030, 6, 12, 9, 0, tzinfo=LONDON)
URL = "/admin/articles/calendar/"
MOVE_URL = "/admin/articles/calendar/move/"


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def editor(db):
    return member_of("Editor")


@pytest.fixture
def writer(db):
    return member_of("Writer")


def scheduled(at=NOW + timedelta(days=2), **kwargs):
    return ArticleFactory(status=Status.PUBLISHED, published_at=at, **kwargs)


def soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def day(page, when: date) -> str:
    """The words of a day's cell (month) or list item (week)."""
    cell = page.select_one(f"#day-{when.isoformat()}")
    assert cell is not None, f"{when} is not shown"
    return " ".join(cell.get_text(" ").split())


def shown(page) -> str:
    return " ".join(page.select_one(".calendar").get_text(" ").split())


def said(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def local_input(value: datetime) -> str:
    """A time as a datetime-local input sends it."""
    return value.astimezone(LONDON).strftime("%Y-%m-%dT%H:%M")


def move(client, article, to, *, version=None, back="?view=month&date=2030-06-12"):
    return client.post(
        MOVE_URL,
        {
            "article": article.pk,
            "edit_version": article.version if version is None else version,
            "publish_at": to if isinstance(to, str) else local_input(to),
            "back": back,
        },
    )


# What it shows ---------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("view", ["month", "week"])
def test_each_kind_of_event_is_shown_on_its_day_with_its_state(frozen, editor, view):
    goes_live = scheduled(title="Weaning plan", at=NOW + timedelta(days=1, hours=1))
    live = ArticleFactory(
        title="Sleep basics",
        status=Status.PUBLISHED,
        published_at=NOW - timedelta(days=1),
        expires_at=NOW + timedelta(days=3),
    )
    review = ArticleFactory(title="Fever guide", next_review_at=date(2030, 6, 14))
    ArticleFactory(title="A draft with no date")

    page = soup(logged_in(editor).get(URL, {"view": view, "date": "2030-06-12"}))

    assert "Goes live 10:00 Weaning plan Scheduled" in day(page, date(2030, 6, 13))
    assert "Published 09:00 Sleep basics Published" in day(page, date(2030, 6, 11))
    assert "Expires 09:00 Sleep basics Published" in day(page, date(2030, 6, 15))
    assert "Review due Fever guide Draft" in day(page, date(2030, 6, 14))
    assert "A draft with no date" not in shown(page)
    links = {a["href"] for a in page.select(".calendar-entries a")}
    assert {change_url(goes_live), change_url(live), change_url(review)} == links
    # The state in words and as a colour (the class).
    badge = page.select_one(f'.entry-scheduled a[href="{change_url(goes_live)}"]')
    assert "state-scheduled" in badge.parent["class"]


@pytest.mark.django_db
def test_past_expiries_overdue_reviews_and_archived_articles(frozen, editor):
    expired = ArticleFactory(
        title="Old clinic times",
        status=Status.PUBLISHED,
        published_at=NOW - timedelta(days=5),
        expires_at=NOW - timedelta(days=1),
    )
    ArticleFactory(title="Overdue review", next_review_at=date(2030, 6, 3))
    ArticleFactory(
        title="Being edited",
        status=Status.IN_REVIEW,
        next_review_at=date(2030, 6, 20),
    )
    ArticleFactory(
        title="Archived piece",
        status=Status.UNPUBLISHED,
        published_at=NOW - timedelta(days=3),
        next_review_at=date(2030, 6, 20),
    )

    page = soup(logged_in(editor).get(URL, {"date": "2030-06-01"}))

    assert f"Expired 09:00 {expired.title} Expired" in day(page, date(2030, 6, 11))
    assert "Review overdue Overdue review Draft" in day(page, date(2030, 6, 3))
    assert "Review due Being edited In review" in day(page, date(2030, 6, 20))
    entry = page.select_one("#day-2030-06-20 .entry")
    assert "state-in-review" in entry["class"]
    assert "Archived piece" not in shown(page)


@pytest.mark.django_db
def test_the_month_is_a_table_of_whole_weeks_and_the_week_a_list_of_days(
    frozen, editor
):
    client = logged_in(editor)

    month = soup(client.get(URL))
    week = soup(client.get(URL, {"view": "week"}))

    assert month.select_one("h1").get_text() == "Editorial calendar: June 2030"
    cells = month.select("table.calendar-month td")
    assert (cells[0]["id"], cells[-1]["id"]) == ("day-2030-05-27", "day-2030-06-30")
    assert "today" in month.select_one("#day-2030-06-12")["class"]
    days = week.select("ol.calendar-week > li")
    assert [d["id"] for d in days][0::6] == ["day-2030-06-10", "day-2030-06-16"]
    assert day(week, date(2030, 6, 10)) == "Monday 10 June Nothing this day."


@pytest.mark.django_db
def test_events_are_bucketed_by_the_day_in_the_sites_time_zone(frozen, editor):
    # London is an hour ahead of UTC in June.
    utc = lambda *args: datetime(*args, tzinfo=UTC)  # noqa: E731
    scheduled(title="Just before midnight", at=utc(2030, 6, 14, 22, 59))
    scheduled(title="Just after midnight", at=utc(2030, 6, 14, 23, 0))
    scheduled(title="First of July", at=utc(2030, 6, 30, 23, 30))
    scheduled(title="Monday early", at=utc(2030, 6, 16, 23, 30))
    scheduled(title="Sunday late", at=utc(2030, 6, 16, 22, 30))
    client = logged_in(editor)

    month = soup(client.get(URL, {"date": "2030-06-12"}))
    week = soup(client.get(URL, {"view": "week", "date": "2030-06-12"}))

    assert "23:59 Just before midnight" in day(month, date(2030, 6, 14))
    assert "00:00 Just after midnight" in day(month, date(2030, 6, 15))
    assert "First of July" not in shown(month)
    july = soup(client.get(URL, {"date": "2030-07-01"}))
    assert "00:30 First of July" in day(july, date(2030, 7, 1))
    assert "Just after midnight" not in day(month, date(2030, 6, 14))
    assert "23:30 Sunday late" in day(week, date(2030, 6, 16))
    assert "Monday early" not in shown(week)


@pytest.mark.django_db
def test_filters_by_section_with_its_sub_sections_and_by_author(frozen, editor):
    baby = CategoryFactory(name="Baby")
    sleep = CategoryFactory(name="Sleep", parent=baby)
    scheduled(title="In Baby", category=baby)
    scheduled(title="In Baby › Sleep", category=sleep)
    scheduled(title="Elsewhere")
    mine = scheduled(title="By the editor", authors=[editor.author])
    client = logged_in(editor)

    by_section = shown(soup(client.get(URL, {"section": baby.pk})))
    by_author = shown(soup(client.get(URL, {"author": editor.author.pk})))
    junk = shown(
        soup(client.get(URL, {"section": "x", "author": "99999999999999999999"}))
    )

    assert "In Baby" in by_section and "In Baby › Sleep" in by_section
    assert "Elsewhere" not in by_section and mine.title not in by_section
    assert mine.title in by_author and "Elsewhere" not in by_author
    assert "Elsewhere" in junk  # unknown filters show everything


@pytest.mark.django_db
def test_moving_between_periods_keeps_the_view_and_filters(frozen, editor):
    section = CategoryFactory()
    page = soup(
        logged_in(editor).get(
            URL,
            {
                "view": "week",
                "date": "2030-06-12",
                "section": section.pk,
                "author": editor.author.pk,
            },
        )
    )

    nav = {a.get_text(strip=True): a["href"] for a in page.select(".calendar-nav a")}
    kept = f"&section={section.pk}&author={editor.author.pk}"
    assert nav["← Previous week"] == f"?view=week&date=2030-06-05{kept}"
    assert nav["Next week →"] == f"?view=week&date=2030-06-19{kept}"
    assert nav["Today"] == f"?view=week&date=2030-06-12{kept}"
    assert nav["Month"] == f"?view=month&date=2030-06-12{kept}"
    assert page.select_one("#calendar-section option[selected]")["value"] == str(
        section.pk
    )


@pytest.mark.django_db
def test_month_navigation_goes_from_month_to_month(frozen, editor):
    page = soup(logged_in(editor).get(URL, {"date": "2030-01-31"}))

    nav = {a.get_text(strip=True): a["href"] for a in page.select(".calendar-nav a")}
    assert nav["← Previous month"] == "?view=month&date=2029-12-01"
    assert nav["Next month →"] == "?view=month&date=2030-02-01"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"date": "junk"},
        {"date": "9999-12-31"},
        {"date": "0001-01-01"},
        {"view": "year"},
        {"section": "-1"},
    ],
)
def test_malformed_parameters_show_this_month(frozen, editor, params):
    page = soup(logged_in(editor).get(URL, params))

    assert page.select_one("h1").get_text() == "Editorial calendar: June 2030"


# Who sees what ----------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(client):
    for url in (URL, MOVE_URL):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_staff_without_articles_cannot_open_it(client):
    client.force_login(UserFactory(staff=True))

    assert client.get(URL).status_code == 403


@pytest.mark.django_db
def test_a_writer_sees_their_own_scheduled_articles_but_no_move_form(frozen, writer):
    scheduled(title="Writer's own", authors=[writer.author])
    scheduled(title="Someone else's embargo")
    page = soup(logged_in(writer).get(URL))

    assert "Writer's own" in shown(page)
    assert "Someone else's embargo" not in shown(page)
    assert page.select("form.move-form") == []


@pytest.mark.django_db
def test_an_editor_gets_a_move_form_on_scheduled_entries_only(frozen, editor):
    article = scheduled(title="Weaning plan")
    ArticleFactory(published=True, title="Already live")
    page = soup(logged_in(editor).get(URL, {"section": article.category_id}))

    forms = page.select("form.move-form")
    assert len(forms) == 1
    field = forms[0].select_one("input[type=datetime-local]")
    assert field["value"] == "2030-06-14T09:00"
    assert forms[0].select_one("input[name=csrfmiddlewaretoken]")
    label = forms[0].select_one(f"label[for={field['id']}]").get_text()
    assert label == "New publication time for “Weaning plan”"


@pytest.mark.django_db
def test_start_page_and_navigation_link_to_it(editor, writer):
    for user in (editor, writer):
        page = soup(logged_in(user).get("/admin/"))
        assert page.select_one("#calendar-link a")["href"] == URL
        entry = page.select_one("#content-main .model-calendar a")
        assert (entry["href"], entry.get_text()) == (URL, "Editorial calendar")
    calendar = soup(logged_in(editor).get(URL))
    assert calendar.select_one("#nav-sidebar .model-calendar a")["href"] == URL


# Moving a scheduled article -------------------------------------------------------


@pytest.mark.django_db
def test_an_editor_moves_a_scheduled_article_to_a_new_time(frozen, editor):
    section = CategoryFactory()
    article = scheduled(title="Weaning plan", category=section)
    new_time = datetime(2030, 6, 20, 7, 30, tzinfo=LONDON)
    back = f"?view=week&date=2030-06-12&section={section.pk}&evil=1"

    response = move(logged_in(editor), article, new_time, back=back)

    assert response.status_code == 302
    assert (
        response["Location"] == f"{URL}?view=week&date=2030-06-12&section={section.pk}"
    )
    assert said(response) == [
        "“Weaning plan” moved: it now goes live on 20 June 2030, 07:30."
    ]
    moved = reloaded(article)
    assert (moved.status, moved.published_at) == (Status.PUBLISHED, new_time)
    assert moved.state_label == "Scheduled"
    step = ArticleTransition.objects.get(article=article)
    assert (step.by, step.publish_at, step.comment) == (
        editor,
        new_time,
        "Moved on the editorial calendar.",
    )
    page = soup(logged_in(editor).get(URL, {"date": "2030-06-20"}))
    assert "Goes live 07:30 Weaning plan" in day(page, date(2030, 6, 20))
    assert "Weaning plan" not in day(page, date(2030, 6, 14))


def assert_not_moved(response, article, message):
    assert response.status_code == 302
    assert said(response) == [f"“{article.title}” was not moved: {message}"]
    unchanged = reloaded(article)
    assert (unchanged.published_at, unchanged.version) == (
        article.published_at,
        article.version,
    )
    assert not ArticleTransition.objects.filter(article=article).exists()


@pytest.mark.django_db
def test_a_time_in_the_past_is_refused(frozen, editor):
    article = scheduled()

    response = move(logged_in(editor), article, NOW - timedelta(hours=1))

    assert_not_moved(
        response,
        article,
        "The publication time chosen has passed: choose a later one.",
    )


@pytest.mark.django_db
def test_a_time_after_the_articles_expiry_is_refused(frozen, editor):
    article = scheduled(expires_at=NOW + timedelta(days=5))

    response = move(logged_in(editor), article, NOW + timedelta(days=6))

    assert_not_moved(
        response, article, "The expiry time must be after the publication time."
    )


@pytest.mark.django_db
def test_an_article_saved_since_the_calendar_was_shown_is_not_moved(frozen, editor):
    other = member_of("Editor", first_name="Ada", last_name="Lovelace")
    article = scheduled()
    article.modified_by = other
    article.save()
    article = reloaded(article)

    response = move(
        logged_in(editor), article, NOW + timedelta(days=4), version=article.version - 1
    )

    assert_not_moved(
        response,
        article,
        "Ada Lovelace saved it at 12 June 2030, 09:00, after this page was shown: "
        "look at its new time and move it again if you still need to.",
    )


@pytest.mark.django_db
def test_a_writer_cannot_move_even_their_own(frozen, writer):
    article = scheduled(authors=[writer.author])

    response = move(logged_in(writer), article, NOW + timedelta(days=4))

    assert_not_moved(
        response,
        article,
        "You do not have permission to schedule articles: ask an editor.",
    )


@pytest.mark.django_db
def test_an_article_that_has_gone_live_is_not_moved(frozen, editor):
    article = ArticleFactory(published=True)

    response = move(logged_in(editor), article, NOW + timedelta(days=4))

    assert_not_moved(
        response,
        article,
        "It is no longer scheduled (it is published): open it to change its "
        "publication time.",
    )


@pytest.mark.django_db
def test_an_article_whose_quotes_lost_approval_is_not_moved(frozen, editor):
    article = scheduled()
    quote = QuoteFactory(sent=True)
    ArticleQuoteFactory(article=article, quote=quote)

    response = move(logged_in(editor), article, NOW + timedelta(days=4))

    assert_not_moved(
        response,
        article,
        f"Quotes not approved by their experts: {quote.reference} by "
        f"{quote.expert.full_name} ({quote.get_status_display().lower()}). Get them approved, or take them out of "
        "the article, before publishing.",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Give the new date and time."),
        ("next tuesday", "Give the new time as a date and a time of day."),
        (
            "2031-03-30T01:30",  # the clocks go forward: no such time in London
            "2031-03-30 01:30:00 couldn’t be interpreted in time zone Europe/London; "
            "it may be ambiguous or it may not exist.",
        ),
    ],
)
def test_a_malformed_time_is_refused(frozen, editor, value, message):
    article = scheduled()

    assert_not_moved(move(logged_in(editor), article, value), article, message)


@pytest.mark.django_db
def test_an_unknown_or_hidden_article_is_refused(frozen, writer):
    hidden = scheduled()
    client = logged_in(writer)

    for article_id in (hidden.pk, 999999, "junk"):
        response = client.post(
            MOVE_URL,
            {
                "article": article_id,
                "edit_version": 1,
                "publish_at": "2030-07-01T10:00",
            },
        )
        assert said(response)[-1] == "That article was not found: nothing was moved."
    assert reloaded(hidden).published_at == hidden.published_at


@pytest.mark.django_db
def test_moving_needs_a_post_with_the_csrf_token(frozen, editor):
    article = scheduled()
    client = logged_in(editor)
    client.handler.enforce_csrf_checks = True

    assert client.get(MOVE_URL).status_code == 405
    assert move(client, article, NOW + timedelta(days=4)).status_code == 403
    assert reloaded(article).published_at == article.published_at


# Costs ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_calendar_takes_the_same_queries_however_many_articles(
    frozen, editor, django_assert_num_queries
):
    client = logged_in(editor)
    client.get(URL)  # the session, once
    scheduled()
    ArticleFactory(published=True, expires_at=NOW + timedelta(days=1))
    with django_assert_num_queries(QUERIES):
        client.get(URL, {"author": editor.author.pk})
    for n in range(15):
        scheduled(at=NOW + timedelta(days=1, hours=n), authors=[editor.author])
        ArticleFactory(next_review_at=date(2030, 6, 20), authors=[editor.author])

    with django_assert_num_queries(QUERIES):
        page = soup(client.get(URL, {"author": editor.author.pk}))
    assert len(page.select("form.move-form")) == 15


# The session, the user, their permissions (user and group), the sections, the
# authors and the articles.
QUERIES = 7


# The rules themselves -------------------------------------------------------------


@pytest.mark.django_db
def test_for_calendar_finds_each_event_in_the_period_once(frozen):
    start = datetime(2030, 6, 10, tzinfo=LONDON)
    end = datetime(2030, 6, 17, tzinfo=LONDON)
    both = ArticleFactory(
        status=Status.PUBLISHED,
        published_at=start,
        expires_at=start + timedelta(days=1),
        next_review_at=date(2030, 6, 16),
    )
    before = scheduled(at=start - timedelta(seconds=1))
    at_end = scheduled(at=end)
    draft_review = ArticleFactory(next_review_at=date(2030, 6, 10))

    found = list(Article.objects.for_calendar(start, end))

    assert found == [both, draft_review]
    assert before not in found and at_end not in found


@pytest.mark.django_db
def test_scheduling_from_the_form_refuses_a_time_that_has_passed(frozen, editor):
    article = ArticleFactory()
    data = change_data(
        article,
        action=Status.PUBLISHED,
        **local_fields("publish_at", NOW - timedelta(days=1)),
    )

    response = logged_in(editor).post(change_url(article), data)

    assert response.status_code == 200
    assert "This time has passed: leave it empty to publish now" in response.text
    assert reloaded(article).status == Status.DRAFT


@pytest.mark.django_db
def test_publishing_through_the_service_refuses_a_time_that_has_passed(frozen, editor):
    article = ArticleFactory()

    with pytest.raises(ValidationError):
        article_publish(
            article=article, by=editor, publish_at=NOW - timedelta(minutes=1)
        )
    assert reloaded(article).status == Status.DRAFT


@pytest.mark.django_db
def test_article_reschedule_moves_and_records_a_revision(frozen, editor):
    article = scheduled()
    later = NOW + timedelta(days=9)

    moved = article_reschedule(
        article=article, by=editor, publish_at=later, edit_version=article.version
    )

    assert reloaded(article).published_at == later
    assert moved.version == article.version + 1
    assert moved.modified_by == editor
    revision = article_versions(moved).get().revision
    assert (revision.user, revision.comment) == (editor, "Published → Published")


@pytest.mark.django_db
def test_article_reschedule_refuses_a_version_someone_saved_over(frozen, editor):
    article = scheduled()

    with pytest.raises(ValidationError) as refused:
        article_reschedule(
            article=article,
            by=editor,
            publish_at=NOW + timedelta(days=9),
            edit_version=article.version + 1,
        )

    assert refused.value.code == "stale"
    assert reloaded(article).published_at == article.published_at
