"""Pagination that never counts a whole table.

A list of 100,000 articles costs a full ``COUNT(*)`` per request with Django's
``Paginator``. This one counts at most ``cap`` rows (a bounded subquery), and fetches
one row beyond the page to know whether there is a next one; past the cap, the page
number UI stays ("Page 60") without a total.
"""

from functools import cached_property
from math import ceil

from django.core.paginator import InvalidPage, Page, Paginator

# Counting up to this many rows costs about as much as showing a page.
COUNT_CAP = 1000
# Databases take a row offset up to a signed 64-bit integer: no page lies beyond it.
MAX_OFFSET = 2**63 - 1


class CappedPage(Page):
    """A page that knows whether a next one exists from one extra fetched row."""

    def __init__(self, object_list, number, paginator, *, has_next: bool):
        super().__init__(object_list, number, paginator)
        self._has_next = has_next

    def has_next(self) -> bool:
        return self._has_next

    def next_page_number(self) -> int:
        if not self._has_next:
            raise InvalidPage("That page contains no results")
        return self.number + 1

    def previous_page_number(self) -> int:
        if self.number <= 1:
            raise InvalidPage("That page number is less than 1")
        return self.number - 1

    def start_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + 1 if self else 0

    def end_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + len(self)


class CappedPaginator:
    """``count`` and ``num_pages`` are exact up to ``cap`` rows, else None (always
    None with ``cap=0``: no count query at all)."""

    def __init__(self, object_list, per_page: int, cap: int | None = None):
        self.object_list, self.per_page = object_list, int(per_page)
        self.cap = COUNT_CAP if cap is None else cap

    @cached_property
    def count(self) -> int | None:
        """The number of rows, or None when there are more than ``cap``.

        The order does not change how many rows there are, so it is dropped (with
        the annotations only it used, such as a search's rank and snippet).
        """
        if not self.cap:
            return None
        found = self.object_list.order_by().values("pk")[: self.cap + 1].count()
        return found if found <= self.cap else None

    @property
    def is_capped(self) -> bool:
        return self.count is None

    @cached_property
    def num_pages(self) -> int | None:
        if self.count is None:
            return None
        return max(1, ceil(self.count / self.per_page))

    def page(self, number) -> CappedPage:
        """Page ``number``; InvalidPage when it is not a positive number or lies past
        the last row (page 1 of an empty list exists)."""
        try:
            number = int(number)
        except (TypeError, ValueError) as exc:
            raise InvalidPage("That page number is not an integer") from exc
        if number < 1:
            raise InvalidPage("That page number is less than 1")
        if self.num_pages is not None and number > self.num_pages:
            raise InvalidPage("That page contains no results")
        start = (number - 1) * self.per_page
        if start + self.per_page + 1 > MAX_OFFSET:
            raise InvalidPage("That page contains no results")
        # The page's ids first, then its rows: what a row costs beyond its id (a
        # search snippet) is paid for the page alone, not for every row skipped.
        ids = self.object_list.values("pk")[start : start + self.per_page + 1]
        rows = list(self.object_list.filter(pk__in=ids))
        if not rows and number > 1:
            raise InvalidPage("That page contains no results")
        return CappedPage(
            rows[: self.per_page], number, self, has_next=len(rows) > self.per_page
        )


# The admin list counts at most this many rows: 100 pages of 100.
ADMIN_COUNT_CAP = 10_000


class AtLeast(int):
    """A count known only to be at least this many, shown as "10000+"."""

    def __str__(self) -> str:
        return f"{int(self)}+"

    def __html__(self) -> str:
        return str(self)


class CappedAdminPaginator(Paginator):
    """The admin list's paginator: a broad filter or search counts at most
    ``ADMIN_COUNT_CAP`` rows (the list then says "10000+ articles") rather than the
    whole table, on every page of the list."""

    @cached_property
    def count(self) -> int:
        cap = ADMIN_COUNT_CAP
        found = self.object_list.order_by().values("pk")[: cap + 1].count()
        return found if found <= cap else AtLeast(cap)
