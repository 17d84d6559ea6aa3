"""What the home page lists: the featured article and the latest in each section."""

from collections import defaultdict

from django.db import models
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from .sections import Category

NEWEST_FIRST = ("-published_at", "-pk")


def pks_of_any(querysets) -> RawSQL:
    """A subquery of the primary keys any of ``querysets`` returns, each keeping its
    own order and slice: several small index scans instead of one over every row.

    (Django's ``union()`` cannot hold sliced parts on SQLite; a derived table can.)
    """
    parts, params = [], []
    for n, queryset in enumerate(querysets):
        sql, part_params = queryset.values("pk").query.sql_with_params()
        parts.append(f"SELECT * FROM ({sql}) AS part{n}")  # noqa: S608 - built by the ORM
        params += part_params
    return RawSQL(" UNION ".join(parts), params, output_field=models.BigIntegerField())


class ListingQuerySetMixin:
    def featured(self):
        """The most recent article editors featured, else the latest; None if none.

        One query (plus the queryset's prefetches), read from an index in that order.
        """
        return self.order_by("-is_featured", *NEWEST_FIRST).first()

    def latest_per_section(self, per_section: int = 4) -> list[tuple[Category, list]]:
        """Each top-level section with its newest articles (sub-sections included),
        in menu order; sections with none are left out. Two queries, each section's
        newest found by an index rather than by ranking every article.
        """
        categories = list(Category.objects.all())
        sections = [category for category in categories if not category.parent_id]
        if not sections:
            return []
        ids = {section.pk: [section.pk] for section in sections}
        for category in categories:
            if category.parent_id in ids:
                ids[category.parent_id].append(category.pk)
        newest = [
            self.filter(category_id__in=ids[section.pk]).order_by(*NEWEST_FIRST)[
                :per_section
            ]
            for section in sections
        ]
        ranked = (
            self.filter(pk__in=pks_of_any(newest))
            .annotate(section_id=Coalesce("category__parent_id", "category_id"))
            .select_related("category", "hero_image")
            .order_by(*NEWEST_FIRST)
        )
        by_section = defaultdict(list)
        for article in ranked:
            by_section[article.section_id].append(article)
        return [
            (category, by_section[category.pk])
            for category in sections
            if by_section[category.pk]
        ]
