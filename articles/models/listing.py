"""What the home page lists: the featured article and the latest in each section."""

from collections import defaultdict

from django.db.models import F, Window
from django.db.models.functions import Coalesce, RowNumber

from .sections import Category


class ListingQuerySetMixin:
    def featured(self):
        """The most recent article editors featured, else the latest; None if none.

        One query (plus the queryset's prefetches).
        """
        return self.order_by("-is_featured", "-published_at", "-pk").first()

    def latest_per_section(self, per_section: int = 4) -> list[tuple[Category, list]]:
        """Each top-level section with its newest articles (sub-sections included),
        in menu order; sections with none are left out. Two queries.
        """
        section = Coalesce("category__parent_id", "category_id")
        newest_first = [F("published_at").desc(), F("pk").desc()]
        ranked = (
            self.annotate(
                section_id=section,
                position=Window(
                    RowNumber(), partition_by=[section], order_by=newest_first
                ),
            )
            .filter(position__lte=per_section)
            .select_related("category")
            .order_by(*newest_first)
        )
        by_section = defaultdict(list)
        for article in ranked:
            by_section[article.section_id].append(article)
        return [
            (category, by_section[category.pk])
            for category in Category.objects.filter(parent__isnull=True)
            if by_section[category.pk]
        ]
