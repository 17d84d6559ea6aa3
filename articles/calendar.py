"""The editorial calendar: a month or a week of articles going live, published,
expiring and due a medical review, bucketed by day in the site's time zone."""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from django.utils import timezone
from django.utils.text import slugify

from .models import Article, Author, Category
from .models.calendar import local_date
from .models.review import add_months
from .services import can_transition

VIEWS = {"month": "Month", "week": "Week"}
# Query parameters a calendar keeps when it moves to another month or week.
FILTERS = ("section", "author")
# Dates outside these years show today's calendar instead (and never overflow).
YEARS = range(1900, 9000)


@dataclass(frozen=True)
class Entry:
    """One event of an article on a day: ``kind`` is scheduled, published, expires
    or review; ``when`` is its local time (None for a review, due all day)."""

    article: Article
    kind: str
    label: str
    when: datetime | None
    can_move: bool = False

    @property
    def state_class(self) -> str:
        """The article's state as a CSS class ("in-review", "scheduled"…)."""
        return slugify(self.article.state_label)

    @property
    def move_value(self) -> str:
        """The time for a datetime-local input."""
        return self.when.strftime("%Y-%m-%dT%H:%M") if self.when else ""


@dataclass(frozen=True)
class Day:
    date: date
    entries: list[Entry]
    in_period: bool = True  # a month's grid starts and ends with other months' days
    is_today: bool = False


@dataclass(frozen=True)
class Calendar:
    view: str
    title: str
    days: list[Day]
    query: dict[str, str]  # the filters chosen, by parameter
    anchors: dict[str, date]  # previous, next, today
    sections: list[Category]
    authors: list[Author]
    section: Category | None
    author: Author | None

    @property
    def weeks(self) -> list[list[Day]]:
        return [self.days[i : i + 7] for i in range(0, len(self.days), 7)]

    @property
    def weekdays(self) -> list[str]:
        return [day.date.strftime("%A") for day in self.days[:7]]

    @property
    def entry_count(self) -> int:
        return sum(len(day.entries) for day in self.days)

    def link(self, anchor: date, view: str | None = None) -> str:
        """The query string of this calendar's view and filters at ``anchor``."""
        params = {"view": view or self.view, "date": anchor.isoformat(), **self.query}
        return "?" + urlencode(params)

    @property
    def links(self) -> dict[str, str]:
        links = {name: self.link(anchor) for name, anchor in self.anchors.items()}
        links.update({name: self.link(self.anchors["shown"], name) for name in VIEWS})
        return links

    @property
    def here(self) -> str:
        """This page's query string, for coming back after a move."""
        return self.link(self.anchors["shown"])


def parse_date(value: str | None) -> date | None:
    try:
        day = date.fromisoformat(value or "")
    except ValueError:
        return None
    return day if day.year in YEARS else None


def period(view: str, anchor: date) -> tuple[list[date], date, date, str]:
    """The days shown, the anchors of the previous and next periods, and a title."""
    if view == "week":
        start = anchor - timedelta(days=anchor.weekday())
        days = [start + timedelta(days=n) for n in range(7)]
        title = f"Week of {start.day} {start:%B %Y}"
        return days, anchor - timedelta(days=7), anchor + timedelta(days=7), title
    weeks = calendar.Calendar().monthdatescalendar(anchor.year, anchor.month)
    first = anchor.replace(day=1)
    days = [day for week in weeks for day in week]
    return days, add_months(first, -1), add_months(first, 1), f"{first:%B %Y}"


def midnight(day: date) -> datetime:
    """The start of ``day`` in the site's time zone."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


def calendar_for(user, params) -> Calendar:
    """The calendar ``params`` (a request's GET) ask for, as ``user`` may see it: in
    three queries (sections, authors, articles), however many articles it holds.

    Unknown or malformed parameters fall back to the month of today, unfiltered.
    """
    today = timezone.localdate(timezone=timezone.get_default_timezone())
    view = params.get("view") if params.get("view") in VIEWS else "month"
    anchor = parse_date(params.get("date")) or today
    days, previous, following, title = period(view, anchor)
    sections = list(Category.objects.select_related("parent"))
    authors = list(Author.objects.only("pk", "display_name").order_by("display_name"))
    section = _chosen(sections, params.get("section"))
    author = _chosen(authors, params.get("author"))
    articles = Article.objects.visible_to(user)
    if section is not None:
        articles = articles.in_section(section)
    if author is not None:
        articles = articles.by_author(author)
    start, end = midnight(days[0]), midnight(days[-1] + timedelta(days=1))
    by_day: dict[date, list[Entry]] = {day: [] for day in days}
    now = timezone.now()
    for article in articles.for_calendar(start, end):
        for day, entry in _entries(article, user, start, end, now, today):
            if day in by_day:
                by_day[day].append(entry)
    month = anchor.month
    return Calendar(
        view=view,
        title=title,
        days=[
            Day(
                date=day,
                entries=sorted(by_day[day], key=_order),
                in_period=view == "week" or day.month == month,
                is_today=day == today,
            )
            for day in days
        ],
        query={
            name: str(chosen.pk)
            for name, chosen in (("section", section), ("author", author))
            if chosen is not None
        },
        anchors={
            "previous": previous,
            "next": following,
            "today": today,
            "shown": anchor,
        },
        sections=sections,
        authors=authors,
        section=section,
        author=author,
    )


def _chosen(options: list, value: str | None):
    """The option whose key is ``value``, or None (nothing chosen, or not one of them)."""
    return next((option for option in options if str(option.pk) == value), None)


def _entries(article: Article, user, start, end, now, today):
    """(day, entry) for each event of ``article`` from ``start`` up to ``end``."""
    zone = timezone.get_default_timezone()
    published = article.status == Article.Status.PUBLISHED
    at = article.published_at
    if published and at and start <= at < end:
        local = timezone.localtime(at, zone)
        if at > now:
            may_move = can_transition(user, article, Article.Status.PUBLISHED)
            yield (
                local.date(),
                Entry(article, "scheduled", "Goes live", local, may_move),
            )
        else:
            yield local.date(), Entry(article, "published", "Published", local)
    at = article.expires_at
    if published and at and start <= at < end:
        label = "Expires" if at > now else "Expired"
        yield (
            local_date(at),
            Entry(article, "expires", label, timezone.localtime(at, zone)),
        )
    due = article.next_review_at
    if due and article.status != Article.Status.UNPUBLISHED:
        label = "Review overdue" if due < today else "Review due"
        yield due, Entry(article, "review", label, None)


def _order(entry: Entry):
    """Reviews (all day) first, then by time, then by title."""
    when = entry.when.time() if entry.when else time.min
    return (entry.when is not None, when, entry.article.title)
