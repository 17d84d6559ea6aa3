"""The web of links on the article admin: what links here, what it links to, and the
confirmations before unpublishing or deleting an article that published pages link to."""

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.actions import delete_selected
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from ..models import Article
from ..models.references import InternalLink, links_from, links_to


def _admin_link(article) -> str:
    return format_html(
        '<a href="{}">{}</a>',
        reverse("admin:articles_article_change", args=[article.pk]),
        article.title,
    )


def _links_table(rows: list[InternalLink], *, incoming: bool) -> str:
    def cells(link: InternalLink):
        if incoming:
            return _admin_link(link.article), link.article.state_label, link.where
        if link.target is None:
            return link.text, "Deleted", link.where
        return _admin_link(link.target), link.target_state, link.where

    return format_html(
        "<table><thead><tr><th>Article</th><th>State</th><th>Where</th></tr></thead>"
        "<tbody>{}</tbody></table>",
        format_html_join(
            "", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", map(cells, rows)
        ),
    )


def _visible(obj, rows: list[InternalLink], *, incoming: bool) -> list[InternalLink]:
    """The rows whose other article the person viewing ``obj`` may see."""
    other = (lambda link: link.article) if incoming else (lambda link: link.target)
    ids = {other(link).pk for link in rows if other(link) is not None}
    viewer = getattr(obj, "viewer", None)
    if viewer is not None and ids:
        ids = set(
            Article.objects.visible_to(viewer)
            .filter(pk__in=ids)
            .values_list("pk", flat=True)
        )
    return [link for link in rows if other(link) is None or other(link).pk in ids]


def published_linking(targets) -> list[Article]:
    """Published articles linking to any of ``targets``, by title."""
    return list(Article.objects.published().linking_to(targets).order_by("title"))


class ArticleLinksMixin:
    """For ArticleAdmin: readonly "Links" fields and link-aware delete and unpublish."""

    unpublish_confirmation_template = (
        "admin/articles/article/unpublish_confirmation.html"
    )

    @admin.display(description="What links here")
    def links_here(self, obj):
        rows = _visible(obj, links_to(obj), incoming=True) if obj and obj.pk else []
        if not rows:
            return "No article links here."
        return _links_table(rows, incoming=True)

    @admin.display(description="What it links to")
    def links_out(self, obj):
        rows = _visible(obj, links_from(obj), incoming=False) if obj and obj.pk else []
        if not rows:
            return "It links to no other article."
        return _links_table(rows, incoming=False)

    def render_delete_form(self, request, context):
        obj = context.get("object")
        context["linking_articles"] = published_linking([obj]) if obj else []
        return super().render_delete_form(request, context)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            _, name, description = actions["delete_selected"]
            actions["delete_selected"] = (
                ArticleLinksMixin._delete_selected,
                name,
                description,
            )
        return actions

    @staticmethod
    def _delete_selected(modeladmin, request, queryset):
        """Django's bulk delete, its confirmation page also listing the published
        articles that link to the ones about to go."""
        response = delete_selected(modeladmin, request, queryset)
        if isinstance(response, TemplateResponse):
            response.context_data["linking_articles"] = published_linking(
                queryset.values_list("pk", flat=True)
            )
        return response

    def confirm_unpublish(self, request, queryset):
        """A confirmation page when published articles link to the ones chosen; None
        when none do or the editor has confirmed."""
        if request.POST.get("post"):
            return None
        linking = published_linking(queryset.values_list("pk", flat=True))
        if not linking:
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Unpublish these articles?",
            "opts": self.opts,
            "queryset": queryset,
            "linking_articles": linking,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.unpublish_confirmation_template, context)
