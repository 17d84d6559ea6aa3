"""The article admin: workflow, previews and the editing rights of each role."""

import json
from contextlib import contextmanager

from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.formats import date_format
from reversion.admin import VersionAdmin

from cms.admin_forms import EDITOR_CSS, FORMFIELD_OVERRIDES
from cms.markdown import block_refs

from ..forms import ArticleAdminForm
from ..models import (
    Article,
)
from ..pagination import CappedAdminPaginator
from ..services import (
    article_publish,
    article_unpublish,
    can_edit,
    save_article,
)
from .article_links import ArticleLinksMixin
from .checks import ArticleChecksMixin
from .columns import ArticleColumns
from .filters import ReviewDueFilter, SectionFilter, StateFilter
from .parts import (
    ArticleAuthorInline,
    ArticleQuoteInline,
    ArticleSourceInline,
    ListItemInline,
    RelatedLinkInline,
)
from .revisions import RevisionViews

# Fields of the article form that are choices made while saving, not the article's.
WORKFLOW_CHOICES = {
    "action",
    "comment",
    "edit_version",
    "publish_at",
    "substantive_update",
    "override_quote_approval",
    "confirm_unpublish",
    "review_confirmed",
}


def posted_every_row(formset) -> bool:
    """Whether the page posted back each row the inline had (rows not posted are
    left as they are, unseen by the formset)."""
    posted = {f.instance.pk for f in formset.initial_forms}
    return posted == {row.pk for row in formset.get_queryset()}


def saved_rows(form, formsets) -> dict[str, list]:
    """The tags, and the rows each of ``formsets`` (inlines that posted every row)
    leaves once saved, by accessor (``list_items``…), so none is fetched again."""
    rows = {"tags": list(form.cleaned_data["tags"])} if "tags" in form.fields else {}
    for formset in formsets:
        accessor = formset.fk.remote_field.get_accessor_name()
        kept = [f.instance for f in formset.initial_forms if f.instance.pk is not None]
        rows[accessor] = kept + list(formset.new_objects)
    return rows


def step_done(article: Article, *, sent_back: bool = False) -> str:
    """What the person who took a workflow step is told."""
    if article.status == Article.Status.IN_REVIEW:
        return f"“{article}” is now in review: an editor will look at it."
    if sent_back and article.status == Article.Status.DRAFT:
        return (
            f"“{article}” is sent back to its writers with your comment; it is a "
            "draft again."
        )
    if article.state_label == "Scheduled":
        when = date_format(timezone.localtime(article.published_at), "j F Y, H:i")
        return f"“{article}” is now scheduled: it goes live on {when}."
    return f"“{article}” is now {article.state_phrase}."


@admin.register(Article)
class ArticleAdmin(
    ArticleColumns, ArticleChecksMixin, ArticleLinksMixin, RevisionViews, VersionAdmin
):
    form = ArticleAdminForm
    list_display = [
        "title",
        "category",
        "state",
        "published_at",
        "bylines",
        "modified_at",
        "medical_review",
        "view_link",
    ]
    list_filter = [
        StateFilter,
        ReviewDueFilter,
        ("category", SectionFilter),
        "authors",
        "published_at",
    ]
    # Facet counts (one COUNT per choice) only when asked for, and no second count
    # of the whole table beside a filtered one.
    show_facets = admin.ShowFacets.ALLOW
    show_full_result_count = False
    paginator = CappedAdminPaginator
    list_select_related = ["category__parent"]
    # Trigram indexes serve these on PostgreSQL (migration 0017). No date_hierarchy:
    # its list of years reads every row; the "published" filter takes its place.
    search_fields = ["title", "standfirst", "slug"]
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ["category", "tags", "reviewed_by", "hero_image"]
    readonly_fields = [
        "state",
        "review_status",
        "editor_note",
        "preview_links",
        "published_at",
        "updated_at",
        "workflow_history",
        "revisions",
        "word_count",
        "created_at",
        "created_by",
        "modified_at",
        "modified_by",
        "links_here",
        "links_out",
    ]
    formfield_overrides = FORMFIELD_OVERRIDES
    inlines = [
        ArticleAuthorInline,
        ArticleQuoteInline,
        ListItemInline,
        RelatedLinkInline,
        ArticleSourceInline,
    ]
    actions = ["publish_selected", "unpublish_selected"]

    class Media:
        css = EDITOR_CSS
        js = [
            "cms/admin/markdownx-inlines.js",
            "cms/admin/unsaved-changes.js",
            "cms/admin/body-cursor.js",
            "cms/admin/insert-search.js",
            "cms/admin/insert-quote.js",
            "cms/admin/insert-article-link.js",
            "cms/admin/insert-image.js",
            "cms/admin/checks.js",
        ]

    def get_fieldsets(self, request, obj=None):
        workflow = [
            "state",
            "published_at",
            "editor_note",
            "action",
            "comment",
            "edit_version",
            "preview_links",
        ]
        review = ["review_status"]
        body = ["body", "checks", "list_heading"]  # checks: see ArticleChecksMixin
        if request.user.has_perm("articles.publish_article"):
            workflow[3:3] = [
                "publish_at",
                "expires_at",
                "substantive_update",
                "override_quote_approval",
                "confirm_unpublish",
                "is_featured",
            ]
            review += [
                "reviewed_by",
                "reviewed_at",
                "next_review_at",
                "review_confirmed",
            ]
        if obj is not None and not self.has_change_permission(request, obj):
            # Read-only: what the form asks (the step, its comment…) has no value.
            workflow = [name for name in workflow if name not in WORKFLOW_CHOICES]
            review = [name for name in review if name not in WORKFLOW_CHOICES]
            body.remove("checks")  # nothing is typed, so nothing to check
        return [
            (None, {"fields": ["title", "slug", "standfirst", "category", "tags"]}),
            (
                "Hero image",
                {
                    "description": "Pick one from the image library by its title, "
                    "alt text or tags, or add one with +. Its alt text, caption, credit "
                    "and focal point are edited in the library.",
                    "fields": ["hero_image"],
                },
            ),
            ("Body", {"fields": body}),
            ("Medical review", {"fields": review}),
            ("Workflow", {"fields": workflow}),
            (
                "Links",
                {"classes": ["collapse"], "fields": ["links_here", "links_out"]},
            ),
            (
                "Search engines",
                {"classes": ["collapse"], "fields": ["seo_title", "seo_description"]},
            ),
            (
                "Record",
                {
                    "classes": ["collapse"],
                    "fields": [
                        "updated_at",
                        "workflow_history",
                        "revisions",
                        "word_count",
                        "created_at",
                        "created_by",
                        "modified_at",
                        "modified_by",
                    ],
                },
            ),
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        if obj is not None:
            # Read-only fields get only the article: share links must be absolute,
            # and link tables list only what this person may see.
            obj.request_origin = f"{request.scheme}://{request.get_host()}"
            obj.viewer = request.user
        return form

    def get_formset_kwargs(self, request, obj, inline, prefix):
        """A new article's byline starts as the writer's own (shown on the empty
        form only: as posted, it counts as typed, so it is saved)."""
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if not (
            isinstance(inline, ArticleAuthorInline)
            and obj.pk is None
            and request.method == "GET"
        ):
            return kwargs
        author = getattr(request.user, "author", None)
        if author is not None and author.is_active:
            kwargs["initial"] = [{"author": author.pk, "position": 0}]
        return kwargs

    def get_queryset(self, request):
        """Writers find only their own articles and live ones, in the list, search,
        link pickers and every page of an article."""
        return (
            super()
            .get_queryset(request)
            .visible_to(request.user)
            .prefetch_related("article_authors__author")
        )

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_edit(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or can_edit(request.user, obj))

    def has_publish_permission(self, request):
        return request.user.has_perm("articles.publish_article")

    def view_on_site(self, obj):
        """Only public articles have a page to view; drafts would be a 404."""
        return obj.get_absolute_url() if obj.is_published() else None

    def get_object(self, request, object_id, from_field=None):
        """The article alone: its form's inlines fetch its parts (the list's
        prefetched bylines would be fetched for nothing)."""
        queryset = self.get_queryset(request).prefetch_related(None)
        field = (
            Article._meta.pk
            if from_field is None
            else Article._meta.get_field(from_field)
        )
        try:
            return queryset.get(**{field.name: field.to_python(object_id)})
        except (Article.DoesNotExist, ValidationError, ValueError):
            return None

    def save_model(self, request, obj, form, change):
        """What the person's save sets; ``save_related`` saves it with its parts."""
        if not change:
            obj.created_by = request.user
        if (
            form.cleaned_data.get("substantive_update")
            and obj.status == obj.Status.PUBLISHED
        ):
            obj.updated_at = timezone.now()

    def save_related(self, request, form, formsets, change):
        """The article, its tags and inlines and the chosen workflow step, saved once
        through the one write path; the form and inlines have checked the step."""
        was_live = form.instance.is_published()

        def save_parts() -> dict[str, list]:
            complete = [formset for formset in formsets if posted_every_row(formset)]
            super(ArticleAdmin, self).save_related(request, form, formsets, change)
            return saved_rows(form, complete)

        def comment() -> str:
            """The revision's comment: what the admin's history says of this save."""
            message = self.construct_change_message(request, form, formsets, not change)
            return LogEntry(change_message=json.dumps(message)).get_change_message()

        article = save_article(
            form.instance,
            by=request.user,
            step=form.step,
            save_parts=save_parts,
            comment=comment,
            checked=True,
        )
        self._warn_unplaced_quotes(request, article)
        if "body" in form.changed_data and was_live:
            self.warn_if_review_lapsed(request, article)
        if form.step is not None:
            sent_back = form.step.to_status == Article.Status.DRAFT
            self.message_user(request, step_done(article, sent_back=sent_back))

    @contextmanager
    def create_revision(self, request):
        """No revision around the admin's views: every save of an article goes through
        ``services.save_article``, which records one (``revisions.record_revision``)."""
        yield

    def warn_if_review_lapsed(self, request, article):
        """A live article whose body no longer matches its medical review tells its
        readers "Last reviewed"; the editor who made it so should know."""
        if (
            article.is_published()
            and article.is_medically_reviewed
            and not article.review_is_current
        ):
            self.message_user(
                request,
                f"The body of “{article}” has changed since its medical review, so "
                "readers now see “Last reviewed by …” instead of “Medically reviewed "
                "by …”, and it is listed as review due. Record a new review under "
                "Medical review when the reviewer has checked this version.",
                messages.WARNING,
            )

    def _warn_unplaced_quotes(self, request, article):
        """A quote in the list but nowhere in the body shows nowhere: say so."""
        placed = set(block_refs(article.body_html, "quote"))
        unplaced = [
            row.quote.reference
            for row in article.article_quotes.all()
            if row.quote_id not in placed
        ]
        if unplaced:
            self.message_user(
                request,
                f"In the Quotes list but placed nowhere in the body, so not shown: "
                f"{', '.join(unplaced)}. Put each reference on a line of its own "
                "where the quote belongs, or take it out of the list.",
                messages.WARNING,
            )

    def response_change(self, request, obj):
        """After a step that leaves the article no longer theirs to edit (a writer's
        submit), back to the start page rather than a form they cannot use."""
        if "_continue" in request.POST and not self.has_change_permission(request, obj):
            return redirect("admin:index")
        return super().response_change(request, obj)

    @admin.action(description="Publish selected articles now", permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._bulk(request, queryset, article_publish, "published")

    @admin.action(description="Unpublish selected articles", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        """Asks first when published articles link to the ones chosen."""
        if confirmation := self.confirm_unpublish(request, queryset):
            return confirmation
        self._bulk(request, queryset, article_unpublish, "unpublished")
        return None

    def _bulk(self, request, queryset, service, done):
        succeeded = 0
        for article in queryset:
            try:
                service(article=article, by=request.user)
                succeeded += 1
            except (ValidationError, PermissionDenied) as exc:
                message = " ".join(getattr(exc, "messages", [str(exc)]))
                self.message_user(
                    request, f"“{article}” was not {done}: {message}", messages.ERROR
                )
        if succeeded:
            self.message_user(
                request, f"{succeeded} article(s) {done}.", messages.SUCCESS
            )
