"""Sitemap of the public expert pages."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max

from .models import Expert


class ExpertSitemap(Sitemap):
    """Active experts: the ones the public index lists."""

    def items(self):
        return Expert.objects.active().order_by("pk")

    def lastmod(self, item):
        return item.modified_at

    def get_latest_lastmod(self):
        return self.items().aggregate(latest=Max("modified_at"))["latest"]
