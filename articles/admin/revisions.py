"""Compare and restore views for article revisions."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.base import DeserializationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from reversion.errors import RevertError

from ..revisions import article_versions, compare, pick_pair
from ..services import (
    article_restore,
)


class RevisionViews:
    """Every admin save is a revision (VersionAdmin); compare any two, restore one."""

    # The history page lists revisions, newest first, each linking to the comparison.
    object_history_template = None
    history_latest_first = True
    # No "Recover deleted articles": a revision leaves out the state and bookkeeping
    # that a new row needs, and a deleted article's address is gone for good (410).
    change_list_template = None

    @admin.display(description="Revisions")
    def revisions(self, obj):
        if obj.pk is None:
            return "Every save keeps a revision you can compare and restore."
        return format_html(
            '<a href="{}">Compare revisions</a> ({} saved)',
            reverse("admin:articles_article_compare", args=[obj.pk]),
            article_versions(obj).count(),
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/compare/",
                view(self.compare_view),
                name="articles_article_compare",
            ),
            path(
                "<path:object_id>/revisions/<str:version_id>/restore/",
                view(self.restore_view),
                name="articles_article_restore",
            ),
            *super().get_urls(),
        ]

    def _article_or_404(self, request, object_id):
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No such article.")
        return article

    def compare_view(self, request, object_id):
        """Two revisions side by side: changed fields, parts and the body's lines."""
        article = self._article_or_404(request, object_id)
        if not (
            self.has_change_permission(request, article)
            or request.user.has_perm("articles.edit_any_article")
        ):
            raise PermissionDenied
        versions = list(article_versions(article))
        old, new = pick_pair(
            versions,
            _chosen(request, versions, "from"),
            _chosen(request, versions, "to"),
        )
        comparison = None
        if old and new:
            try:
                comparison = compare(old, new)
            except (RevertError, DeserializationError):
                self.message_user(
                    request, "These revisions can no longer be read.", messages.ERROR
                )
        request.current_app = self.admin_site.name
        context = {
            **self.admin_site.each_context(request),
            "title": f"Compare revisions of “{article}”",
            "opts": self.opts,
            "original": article,
            "versions": versions,
            "old": old,
            "new": new,
            "comparison": comparison,
            "restorable": [v for v in (old, new) if v and v != versions[0]],
            "can_restore": self.has_change_permission(request, article),
            "edit_version": article.version,
        }
        return TemplateResponse(request, "admin/articles/article/compare.html", context)

    def restore_view(self, request, object_id, version_id):
        """Restore an earlier revision (POST from the comparison), as a new save."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._article_or_404(request, object_id)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        version = _chosen(
            request, list(article_versions(article)), version_id=version_id
        )
        edit_version = request.POST.get("edit_version", "")
        try:
            article, left_out = article_restore(
                article=article,
                version=version,
                by=request.user,
                edit_version=int(edit_version) if edit_version.isdigit() else None,
            )
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            compare_url = reverse("admin:articles_article_compare", args=[article.pk])
            return redirect(f"{compare_url}?from={version.pk}")
        when = date_format(
            timezone.localtime(version.revision.date_created), "j M Y, H:i:s"
        )
        self.message_user(
            request,
            f"Restored the revision of {when} as a new save. Its state and "
            "publication time are unchanged.",
            messages.SUCCESS,
        )
        if left_out:
            self.message_user(
                request,
                "Left out, because what they point to has been deleted: "
                f"{'; '.join(left_out)}.",
                messages.WARNING,
            )
        self.warn_if_review_lapsed(request, article)
        return redirect("admin:articles_article_change", article.pk)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """The history's links lead to the comparison, which can restore."""
        compare_url = reverse("admin:articles_article_compare", args=[object_id])
        return redirect(f"{compare_url}?from={version_id}")

    def recoverlist_view(self, request, extra_context=None):
        raise Http404

    def recover_view(self, request, version_id, extra_context=None):
        raise Http404


def _chosen(request, versions, name=None, version_id=None):
    """The version picked by a query parameter or URL part; None if not given; 404 if unknown."""
    wanted = request.GET.get(name) if name else version_id
    if wanted is None:
        return None
    found = next((v for v in versions if str(v.pk) == wanted), None)
    if found is None:
        raise Http404("No such revision of this article.")
    return found
