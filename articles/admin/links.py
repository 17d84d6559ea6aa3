"""The link report: published articles linking to articles readers cannot see, and
external addresses the checker (``manage.py check_links``) found broken."""

from functools import cache

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from ..linkcheck import external_link_usage
from ..models import ExternalLink, OldAddress
from ..models.references import broken_internal_links


class ResultFilter(admin.SimpleListFilter):
    title = "result"
    parameter_name = "result"

    def lookups(self, request, model_admin):
        return [("ok", "OK"), ("broken", "Broken"), ("unchecked", "Not checked yet")]

    def queryset(self, request, queryset):
        if self.value() == "ok":
            return queryset.filter(ok=True)
        if self.value() == "broken":
            return queryset.broken()
        if self.value() == "unchecked":
            return queryset.filter(checked_at__isnull=True)
        return queryset


def articles_html(articles) -> str:
    """Links to each article's admin page, or a dash."""
    if not articles:
        return "—"
    return format_html_join(
        ", ",
        '<a href="{}">{}</a>',
        (
            (reverse("admin:articles_article_change", args=[a.pk]), a.title)
            for a in articles
        ),
    )


@admin.register(ExternalLink)
class ExternalLinkAdmin(admin.ModelAdmin):
    list_display = ["address", "result", "ok", "redirects_to", "checked_at"]
    list_filter = [ResultFilter, "checked_at"]
    search_fields = ["url", "final_url", "error"]
    readonly_fields = ["url", "status_code", "final_url", "error", "ok", "checked_at"]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False  # check_links adds the addresses it finds

    def has_change_permission(self, request, obj=None):
        return False

    def get_list_display(self, request):
        # Which articles use an address is worked out from the articles themselves,
        # once per page shown, so it is never out of date.
        usage = cache(external_link_usage)

        @admin.display(description="Used in")
        def used_in(link):
            return articles_html(usage().get(link.url, []))

        return [*super().get_list_display(request), used_in]

    def get_urls(self):
        return [
            path(
                "report/",
                self.admin_site.admin_view(self.report_view),
                name="articles_externallink_report",
            ),
            *super().get_urls(),
        ]

    @admin.display(description="Address", ordering="url")
    def address(self, link):
        return format_html('<a href="{0}" rel="noopener">{0}</a>', link.url)

    @admin.display(description="Status")
    def result(self, link):
        if link.checked_at is None:
            return "Not checked yet"
        return link.error or link.status_code

    @admin.display(description="Redirects to")
    def redirects_to(self, link):
        return link.final_url if link.is_redirected else ""

    def report_view(self, request):
        """Published articles with links to unpublished or deleted articles, and
        broken external addresses, each with the articles that use them."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        usage = external_link_usage()
        external = [
            (link, usage.get(link.url, []))
            for link in ExternalLink.objects.broken().order_by("url")
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": "Link report",
            "opts": self.opts,
            "internal": broken_internal_links(),
            "external": external,
            "last_checked": ExternalLink.objects.filter(checked_at__isnull=False)
            .order_by("-checked_at")
            .values_list("checked_at", flat=True)
            .first(),
        }
        return TemplateResponse(request, "admin/articles/link_report.html", context)


@admin.register(OldAddress)
class OldAddressAdmin(admin.ModelAdmin):
    """Addresses from before the move (an import records them; editors may add
    more): each redirects to its article or section for good."""

    list_display = ["path", "article", "category", "created_at"]
    search_fields = ["path", "article__title", "category__name"]
    autocomplete_fields = ["article", "category"]
    fields = ["path", "article", "category"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article", "category")
