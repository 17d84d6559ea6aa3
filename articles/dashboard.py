"""What the admin start page shows a person: their work and the newsroom's queue."""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Q

from .models import Article

LIMIT = 10
# The lists show titles and times only: never load bodies for them.
ROW_FIELDS = ["pk", "title", "status", "published_at", "expires_at", "modified_at"]


@dataclass(frozen=True)
class Breakdown:
    """Part of a block's count, linked to the changelist at ``?<query>``."""

    label: str
    count: int
    query: str


@dataclass(frozen=True)
class DashboardList:
    """One block of the start page; ``state`` is the changelist's ?state= for "see all".

    A block with a ``breakdown`` shows counts by reason instead of articles (so costs
    no query of its own), and its "see all" opens the changelist at ``?<query>``.
    """

    state: str
    title: str
    count: int
    articles: list[Article]
    time_field: str
    time_label: str
    empty: str
    see_all: str
    query: str = ""
    breakdown: list[Breakdown] = field(default_factory=list)

    @property
    def changelist_query(self) -> str:
        return self.query or f"state={self.state}"

    @property
    def rows(self) -> list[tuple[Article, datetime | None]]:
        return [
            (article, getattr(article, self.time_field)) for article in self.articles
        ]


def dashboard_for(user) -> dict[str, DashboardList]:
    """The start page's lists for this user, in display order, in at most five queries.

    Empty for someone who may not see articles at all. Editors also see the medical
    reviews due, counted by reason in the same query as the other counts.
    """
    if not user.has_perm("articles.view_article"):
        return {}
    articles = Article.objects.visible_to(user)
    specs = []
    if user.has_perm("articles.add_article"):  # people who write: their own work
        specs += [
            (
                articles.owned_by(user).sent_back().order_by("-modified_at", "-pk"),
                {
                    "state": "sent_back",
                    "title": "Sent back to you",
                    "time_field": "modified_at",
                    "time_label": "Last changed",
                    "empty": "Nothing has been sent back to you.",
                    "see_all": "All sent back",
                    "query": "state=sent_back",
                },
            ),
            (
                articles.drafts_of(user)
                .exclude(pk__in=articles.sent_back().values("pk"))
                .order_by("-modified_at", "-pk"),
                {
                    "state": "draft",
                    "title": "Your drafts",
                    "time_field": "modified_at",
                    "time_label": "Last changed",
                    "empty": "You have no drafts.",
                    "see_all": "All drafts",
                },
            ),
        ]
    if user.has_perm("articles.add_article") and not user.has_perm(
        "articles.publish_article"
    ):
        specs.append(
            (
                articles.owned_by(user).in_review().order_by("-modified_at", "-pk"),
                {
                    "state": "yours_in_review",
                    "title": "Yours in review",
                    "time_field": "modified_at",
                    "time_label": "Submitted",
                    "empty": "None of yours is waiting for an editor.",
                    "see_all": "All in review",
                    "query": "state=in_review",
                },
            )
        )
    if user.has_perm("articles.publish_article"):
        specs.append(
            (
                articles.in_review().order_by("modified_at", "pk"),
                {
                    "state": "in_review",
                    "title": "In review",
                    "time_field": "modified_at",
                    "time_label": "Submitted",
                    "empty": "Nothing is waiting for review.",
                    "see_all": "All in review",
                },
            )
        )
        specs.append(_reviews_due(articles))
    specs += [
        (
            articles.scheduled().order_by("published_at", "pk"),
            {
                "state": "scheduled",
                "title": "Scheduled",
                "time_field": "published_at",
                "time_label": "Goes live",
                "empty": "Nothing is scheduled.",
                "see_all": "All scheduled",
            },
        ),
        (
            articles.published().order_by("-published_at", "-pk"),
            {
                "state": "live",
                "title": "Recently published",
                "time_field": "published_at",
                "time_label": "Published",
                "empty": "Nothing is published yet.",
                "see_all": "All live articles",
            },
        ),
    ]
    # Every count (breakdowns too) in one query; each list's rows in one more.
    counted = {}
    for queryset, spec in specs:
        counted[spec["state"]] = queryset
        counted.update({key: part for key, _, _, part in spec.get("breakdown", [])})
    counts = articles.aggregate(
        **{
            key: Count("pk", filter=Q(pk__in=queryset.values("pk")))
            for key, queryset in counted.items()
        }
    )
    return {spec["state"]: _block(queryset, spec, counts) for queryset, spec in specs}


def _block(queryset, spec: dict, counts: dict) -> DashboardList:
    spec = dict(spec)
    parts = spec.pop("breakdown", None)
    if parts is None:
        rows = list(queryset.only(*ROW_FIELDS)[:LIMIT])
        return DashboardList(count=counts[spec["state"]], articles=rows, **spec)
    breakdown = [Breakdown(label, counts[key], query) for key, label, query, _ in parts]
    return DashboardList(
        count=counts[spec["state"]], articles=[], breakdown=breakdown, **spec
    )


def _reviews_due(articles):
    """The medical reviews needing attention, counted by reason (the changelist's filter)."""
    due = articles.review_due()
    return (
        due,
        {
            "state": "review_due",
            "title": "Medical review due",
            "time_field": "next_review_at",
            "time_label": "Articles",
            "empty": "No medical reviews are due.",
            "see_all": "All reviews due",
            "query": "review=due",
            "breakdown": [
                ("review_overdue", "Overdue", "review=overdue", due.review_overdue()),
                (
                    "review_soon",
                    "Due within 30 days",
                    "review=soon",
                    due.review_due_soon(),
                ),
                (
                    "review_out_of_date",
                    "Out of date (body changed)",
                    "review=out_of_date",
                    due.review_out_of_date(),
                ),
                (
                    "review_stale_sources",
                    f"Sources older than {settings.CMS_SOURCE_MAX_AGE_YEARS} years",
                    "review=stale_sources",
                    due.with_stale_sources(),
                ),
            ],
        },
    )
