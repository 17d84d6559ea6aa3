"""What the article admin shows of an article beside its fields: the list's columns
and the change page's read-only panels (state, editor's note, previews, history,
medical review)."""

from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from cms.admin_forms import history_table

from ..previews import make_share_token, share_link_expires_at


class ArticleColumns:
    """For ArticleAdmin: its display methods, named in list_display and
    readonly_fields."""

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
        return history_table(
            ["When", "Who", "From", "To", "Comment"],
            (
                (
                    t.at,
                    t.by.get_username() if t.by else "–",
                    t.get_from_status_display(),
                    t.get_to_status_display(),
                    t.comment,
                )
                for t in rows
            ),
        )

    @admin.display(description="Medical review status")
    def review_status(self, obj):
        needed = (
            f" Articles in {obj.category} need a current medical review before they "
            "are published."
            if obj and obj.category_id and obj.category.needs_medical_review
            else ""
        )
        if obj is None or not obj.is_medically_reviewed:
            return f"Not reviewed.{needed}"
        reviewed = date_format(obj.reviewed_at, "j F Y")
        if not obj.review_is_current:
            return format_html(
                "<strong>Out of date</strong>: the body changed since the review on "
                "{}.{}",
                reviewed,
                needed,
            )
        next_review = (
            date_format(obj.next_review_at, "j F Y") if obj.next_review_at else "–"
        )
        if obj.review_is_overdue():
            return format_html(
                "<strong>Overdue</strong>: reviewed on {}; the next review was due on "
                "{}.{}",
                reviewed,
                next_review,
                needed,
            )
        return format_html(
            "Current: reviewed by {} on {}; next review due {}.",
            obj.reviewed_by.full_name,
            reviewed,
            next_review,
        )

    @admin.display(description="Review", ordering="next_review_at")
    def medical_review(self, obj):
        if not obj.is_medically_reviewed:
            return "–"
        if not obj.review_is_current:
            return "Out of date"
        when = date_format(obj.next_review_at, "j M Y") if obj.next_review_at else ""
        return f"Overdue (was due {when})" if obj.review_is_overdue() else f"Due {when}"

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
