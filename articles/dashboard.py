"""What the admin start page shows a person: their work and the newsroom's queue."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q

from .models import Article

LIMIT = 10
# The lists show titles and times only: never load bodies for them.
ROW_FIELDS = ["pk", "title", "status", "published_at", "expires_at", "modified_at"]


@dataclass(frozen=True)
class DashboardList:
    """One block of the start page; ``state`` is the changelist's ?state= for "see all"."""

    state: str
    title: str
    count: int
    articles: list[Article]
    time_field: str
    time_label: str
    empty: str
    see_all: str

    @property
    def rows(self) -> list[tuple[Article, datetime | None]]:
        return [
            (article, getattr(article, self.time_field)) for article in self.articles
        ]


def dashboard_for(user) -> dict[str, DashboardList]:
    """The start page's lists for this user, in display order, in at most five queries.

    Empty for someone who may not see articles at all.
    """
    if not user.has_perm("articles.view_article"):
        return {}
    articles = Article.objects.all()
    specs = [
        (
            articles.drafts_of(user).order_by("-modified_at", "-pk"),
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
    # Every count in one query; each list's rows in one more.
    counts = articles.aggregate(
        **{
            spec["state"]: Count("pk", filter=Q(pk__in=queryset.values("pk")))
            for queryset, spec in specs
        }
    )
    return {
        spec["state"]: DashboardList(
            count=counts[spec["state"]],
            articles=list(queryset.only(*ROW_FIELDS)[:LIMIT]),
            **spec,
        )
        for queryset, spec in specs
    }
