from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.base import DeserializationError
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from reversion.admin import VersionAdmin
from reversion.errors import RevertError

from cms.admin_forms import EDITOR_CSS, FORMFIELD_OVERRIDES

from .forms import ArticleAdminForm
from .models import (
    Article,
    ArticleAuthor,
    ArticleQuote,
    Author,
    AuthorLink,
    Category,
    ListItem,
    RelatedLink,
    Tag,
)
from .previews import make_share_token, share_link_expires_at
from .rendering import check_quote_refs
from .revisions import article_versions, compare, pick_pair
from .services import (
    article_publish,
    article_restore,
    article_transition,
    article_unpublish,
    can_edit,
)


class AuthorLinkInline(admin.TabularInline):
    model = AuthorLink
    extra = 0
    formfield_overrides = FORMFIELD_OVERRIDES


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["display_name", "job_title", "user", "is_active"]
    list_filter = ["is_active"]
    list_select_related = ["user"]
    search_fields = ["display_name", "job_title", "user__username", "user__email"]
    prepopulated_fields = {"slug": ("display_name",)}
    autocomplete_fields = ["user"]
    readonly_fields = ["created_at", "modified_at"]
    formfield_overrides = FORMFIELD_OVERRIDES
    inlines = [AuthorLinkInline]

    class Media:
        css = EDITOR_CSS


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "slug", "position"]
    list_filter = ["parent"]
    list_select_related = ["parent"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ["parent"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ("name",)}


class ArticlePartInline:
    """Parts of an article are editable exactly when the article is."""

    def has_add_permission(self, request, obj):
        allowed = super().has_add_permission(request, obj)
        return allowed and (obj is None or can_edit(request.user, obj))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_edit(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or can_edit(request.user, obj))


class ArticleAuthorInline(ArticlePartInline, admin.TabularInline):
    model = ArticleAuthor
    autocomplete_fields = ["author"]
    extra = 0
    min_num = 1
    validate_min = True
    verbose_name = "byline"
    verbose_name_plural = "Bylines (at least one; lower positions come first)"

    def get_formset(self, request, obj=None, **kwargs):
        # InlineModelAdmin does not pass validate_min to the formset by itself.
        kwargs.setdefault("validate_min", self.validate_min)
        formset = super().get_formset(request, obj, **kwargs)
        formset.default_error_messages = {
            **formset.default_error_messages,
            "too_few_forms": "Add at least one author to the byline.",
        }
        return formset


class ArticleQuoteFormSet(BaseInlineFormSet):
    """Every quote placed in the body must be one of this article's quotes."""

    def clean(self):
        super().clean()
        kept = [
            form.cleaned_data["quote"].pk
            for form in self.forms
            if form.cleaned_data.get("quote") and not form.cleaned_data.get("DELETE")
        ]
        check_quote_refs(self.instance.body, kept)


class ArticleQuoteInline(ArticlePartInline, admin.TabularInline):
    model = ArticleQuote
    formset = ArticleQuoteFormSet
    autocomplete_fields = ["quote"]
    readonly_fields = ["reference"]
    extra = 0
    verbose_name_plural = (
        "Quotes (place each in the body with its reference on a line of its own)"
    )

    @admin.display(description="Reference")
    def reference(self, obj):
        return (
            format_html("<code>{}</code>", obj.quote.reference) if obj.quote_id else "–"
        )


class ListItemInline(ArticlePartInline, admin.StackedInline):
    model = ListItem
    extra = 0
    formfield_overrides = FORMFIELD_OVERRIDES
    fields = ["position", "heading", "image", "image_alt", "text"]
    verbose_name_plural = "Numbered list items (after the body)"


class RelatedLinkInline(ArticlePartInline, admin.TabularInline):
    model = RelatedLink
    fk_name = "article"
    autocomplete_fields = ["target_article"]
    extra = 0
    formfield_overrides = FORMFIELD_OVERRIDES
    fields = ["position", "label", "target_article", "url", "title"]
    verbose_name_plural = "Related content"


class StateFilter(admin.SimpleListFilter):
    """Workflow state as editors see it, with scheduled and expired told apart."""

    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("draft", "Draft"),
            ("in_review", "In review"),
            ("scheduled", "Scheduled"),
            ("live", "Published (live)"),
            ("expired", "Expired"),
            ("unpublished", "Unpublished"),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        published = queryset.filter(status=Article.Status.PUBLISHED)
        return {
            "draft": lambda: queryset.filter(status=Article.Status.DRAFT),
            "in_review": lambda: queryset.filter(status=Article.Status.IN_REVIEW),
            "scheduled": lambda: queryset.scheduled(),
            "live": lambda: queryset.published(),
            "expired": lambda: published.filter(expires_at__lte=now),
            "unpublished": lambda: queryset.filter(status=Article.Status.UNPUBLISHED),
        }.get(self.value(), lambda: queryset)()


@admin.register(Article)
class ArticleAdmin(VersionAdmin):
    form = ArticleAdminForm
    list_display = [
        "title",
        "category",
        "state",
        "published_at",
        "bylines",
        "modified_at",
        "view_link",
    ]
    list_filter = [StateFilter, "category", "authors"]
    show_facets = admin.ShowFacets.ALWAYS
    list_select_related = ["category__parent"]
    search_fields = ["title", "standfirst", "slug"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ["category", "tags"]
    readonly_fields = [
        "state",
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
    ]
    formfield_overrides = FORMFIELD_OVERRIDES
    inlines = [
        ArticleAuthorInline,
        ArticleQuoteInline,
        ListItemInline,
        RelatedLinkInline,
    ]
    actions = ["publish_selected", "unpublish_selected"]

    class Media:
        css = EDITOR_CSS
        js = ["cms/admin/markdownx-inlines.js", "cms/admin/unsaved-changes.js"]

    def get_fieldsets(self, request, obj=None):
        workflow = [
            "state",
            "editor_note",
            "action",
            "comment",
            "edit_version",
            "preview_links",
        ]
        if request.user.has_perm("articles.publish_article"):
            workflow[3:3] = ["publish_at", "expires_at", "substantive_update"]
        return [
            (None, {"fields": ["title", "slug", "standfirst", "category", "tags"]}),
            ("Hero image", {"fields": ["hero_image", "hero_alt", "hero_caption"]}),
            ("Body", {"fields": ["body", "list_heading"]}),
            ("Workflow", {"fields": workflow}),
            (
                "Search engines",
                {"classes": ["collapse"], "fields": ["seo_title", "seo_description"]},
            ),
            (
                "Record",
                {
                    "classes": ["collapse"],
                    "fields": [
                        "published_at",
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
            # preview_links gets only the article; share links must be absolute.
            obj.request_origin = f"{request.scheme}://{request.get_host()}"
        return form

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("article_authors__author")

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

    def save_model(self, request, obj, form, change):
        obj.modified_by = request.user
        if not change:
            obj.created_by = request.user
        if (
            form.cleaned_data.get("substantive_update")
            and obj.status == obj.Status.PUBLISHED
        ):
            obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        """Inlines first, then the chosen workflow step, all in the admin's transaction."""
        super().save_related(request, form, formsets, change)
        action = form.cleaned_data.get("action")
        if not action:
            return
        article = article_transition(
            article=form.instance,
            by=request.user,
            to_status=action,
            comment=form.cleaned_data.get("comment", ""),
            publish_at=form.cleaned_data.get("publish_at"),
            expires_at=form.cleaned_data.get("expires_at", form.instance.expires_at),
        )
        form.instance.refresh_from_db()
        self.message_user(request, f"“{article}” is now {article.state_label.lower()}.")

    @admin.action(description="Publish selected articles now", permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._bulk(request, queryset, article_publish, "published")

    @admin.action(description="Unpublish selected articles", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        self._bulk(request, queryset, article_unpublish, "unpublished")

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

    @admin.display(description="State", ordering="status")
    def state(self, obj):
        return obj.state_label

    @admin.display(description="Note from the editor")
    def editor_note(self, obj):
        last = obj.transitions.first() if obj.pk else None
        if (
            obj.status == obj.Status.DRAFT
            and last
            and last.from_status == obj.Status.IN_REVIEW  # not a reopened archive
            and last.to_status == obj.Status.DRAFT
        ):
            who = last.by.get_username() if last.by else "An editor"
            return format_html(
                "<strong>{}</strong> sent this back: {}", who, last.comment
            )
        return "–"

    @admin.display(description="Preview")
    def preview_links(self, obj):
        if obj.pk is None:
            return "Save the article to preview it."
        token = make_share_token(obj)
        share_url = getattr(obj, "request_origin", "") + reverse(
            "articles:share_preview", args=[token]
        )
        until = date_format(timezone.localtime(share_link_expires_at()), "j F Y H:i")
        return format_html(
            '<p><a class="preview-link" href="{}" target="_blank" rel="noopener">'
            "Preview</a>: the page exactly as it will look, whatever its state.</p>"
            '<p><a class="share-preview-link" href="{}" target="_blank" '
            'rel="noopener">Share preview link</a> (copy it to send): '
            '<input type="text" readonly size="60" value="{}" '
            'aria-label="Share preview link"></p>'
            '<div class="help">Anyone with this link can read this version until {} '
            "or until its state changes.</div>",
            reverse("articles:preview", args=[obj.pk]),
            share_url,
            share_url,
            until,
        )

    @admin.display(description="Workflow history")
    def workflow_history(self, obj):
        rows = obj.transitions.select_related("by") if obj.pk else []
        if not rows:
            return "No changes of state yet."
        return format_html(
            "<table><thead><tr><th>When</th><th>Who</th><th>From</th><th>To</th>"
            "<th>Comment</th></tr></thead><tbody>{}</tbody></table>",
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                (
                    (
                        date_format(timezone.localtime(t.at), "j M Y H:i"),
                        t.by.get_username() if t.by else "–",
                        t.get_from_status_display(),
                        t.get_to_status_display(),
                        t.comment,
                    )
                    for t in rows
                ),
            ),
        )

    @admin.display(description="Bylines")
    def bylines(self, obj):
        return ", ".join(author.display_name for author in obj.byline)

    @admin.display(description="Public page")
    def view_link(self, obj):
        if not obj.is_published():
            return "–"
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">View on site</a>',
            obj.get_absolute_url(),
        )

    # Revisions: every admin save is one (VersionAdmin); compare any two, restore one.

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
