"""Writes that span models: workflow transitions, and restoring an article's revision."""

from datetime import date, datetime

import reversion
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from reversion.models import Version

from experts.models import Quote

from .models import Article, ArticleQuote, ArticleTransition, Tag
from .revisions import describe_part, revision_parts, stored_values

Status = Article.Status

# Allowed moves, and the permission each needs beyond being able to edit the article.
TRANSITIONS: dict[tuple[str, str], str | None] = {
    (Status.DRAFT, Status.IN_REVIEW): None,
    (Status.IN_REVIEW, Status.DRAFT): "articles.publish_article",
    (Status.DRAFT, Status.PUBLISHED): "articles.publish_article",
    (Status.IN_REVIEW, Status.PUBLISHED): "articles.publish_article",
    (Status.PUBLISHED, Status.PUBLISHED): "articles.publish_article",  # reschedule
    (Status.UNPUBLISHED, Status.PUBLISHED): "articles.publish_article",
    (Status.PUBLISHED, Status.UNPUBLISHED): "articles.publish_article",
    (Status.UNPUBLISHED, Status.DRAFT): "articles.publish_article",
}


def can_edit(user, article: Article) -> bool:
    """Editors edit anything; writers edit their own drafts (including ones sent back)."""
    if not (user.is_active and user.has_perm("articles.change_article")):
        return False
    if user.has_perm("articles.edit_any_article"):
        return True
    if article.pk is None:
        return True
    return (
        article.status == Status.DRAFT
        and Article.objects.owned_by(user).filter(pk=article.pk).exists()
    )


def can_transition(user, article: Article, to_status: str) -> bool:
    key = (article.status, to_status)
    if key not in TRANSITIONS:
        return False
    needed = TRANSITIONS[key]
    if needed:
        return user.is_active and user.has_perm(needed)
    return can_edit(user, article)


def allowed_transitions(user, article: Article) -> list[str]:
    return [
        to
        for (frm, to) in TRANSITIONS
        if frm == article.status and can_transition(user, article, to)
    ]


def medical_review_refusal(article: Article, today: date | None = None) -> str | None:
    """Why the article may not be published for want of a current medical review.

    None when its section does not require review, or its review is current: recorded,
    made of the body as it is now, and not past its next review date.
    """
    if not article.category.needs_medical_review:
        return None
    section = article.category
    if not article.is_medically_reviewed:
        return (
            f"Articles in {section} need a medical review before they are published. "
            "Record who reviewed it and when under Medical review, then publish."
        )
    reviewed = date_format(article.reviewed_at, "j F Y")
    if not article.review_is_current:
        return (
            f"The body has changed since the medical review on {reviewed}, and "
            f"articles in {section} need a current review before they are published. "
            "Ask for this version to be reviewed and record the new review under "
            "Medical review."
        )
    if article.review_is_overdue(today):
        due = date_format(article.next_review_at, "j F Y")
        return (
            f"The medical review on {reviewed} was due to be renewed on {due}, and "
            f"articles in {section} need a current review before they are published. "
            "Record a new review under Medical review."
        )
    return None


def check_medical_review(article: Article) -> None:
    """Raise ValidationError when the article's section needs a current review it lacks."""
    refusal = medical_review_refusal(article)
    if refusal:
        raise ValidationError(refusal)


def unapproved_quotes(article: Article) -> list[Quote]:
    """The article's quotes, in list order, that their experts have not approved."""
    rows = (
        ArticleQuote.objects.filter(article=article)
        .exclude(quote__status=Quote.Status.APPROVED)
        .select_related("quote__expert")
    )
    return [row.quote for row in rows]


def check_quote_approval(quotes: list[Quote], *, override: bool) -> str:
    """Check that ``quotes`` (an article about to be published) are all approved.

    Returns the note for the article's history when ``override`` lets unapproved quotes
    through, else "". Raises ValidationError naming each unapproved quote when there is
    no override. Nothing is checked when CMS_REQUIRE_QUOTE_APPROVAL is off.
    """
    unapproved = [quote for quote in quotes if not quote.is_approved]
    if not unapproved or not settings.CMS_REQUIRE_QUOTE_APPROVAL:
        return ""
    if override:
        refs = ", ".join(quote.reference for quote in unapproved)
        return f"Published with unapproved quotes: {refs}."
    named = "; ".join(
        f"{quote.reference} by {quote.expert.full_name} "
        f"({quote.get_status_display().lower()})"
        for quote in unapproved
    )
    raise ValidationError(
        f"Quotes not approved by their experts: {named}. Get them approved, or take "
        "them out of the article, before publishing.",
        code="unapproved_quotes",
    )


def publication_time(
    article: Article, publish_at: datetime | None = None, now: datetime | None = None
) -> datetime:
    """When publishing makes the article public: the chosen time, else now.

    Only an article that is already live keeps its publication date; a scheduled,
    unpublished or new one goes live now.
    """
    now = now or timezone.now()
    if publish_at:
        return publish_at
    if (
        article.status == Status.PUBLISHED
        and article.published_at
        and article.published_at <= now
    ):
        return article.published_at
    return now


@transaction.atomic
def article_transition(
    *,
    article: Article,
    by,
    to_status: str,
    comment: str = "",
    publish_at: datetime | None = None,
    expires_at: datetime | None = None,
    override_quote_approval: bool = False,
) -> Article:
    """Move an article to another state and record who, when and why.

    Raises PermissionDenied for a user who may not, and ValidationError for a move
    that the workflow does not have or that leaves the article invalid. Publishing
    with quotes not approved by their experts needs ``override_quote_approval``, and
    the history records it.
    """
    if to_status not in Status.values:
        raise ValidationError(f"“{to_status}” is not a workflow state.")
    locked = Article.objects.select_for_update().get(pk=article.pk)
    from_status = locked.status
    label = Status(to_status).label
    if (from_status, to_status) not in TRANSITIONS:
        raise ValidationError(
            f"An article that is {locked.get_status_display().lower()} cannot become "
            f"{label.lower()}."
        )
    if not can_transition(by, locked, to_status):
        raise PermissionDenied(
            f"You do not have permission to make this article {label.lower()}."
        )
    if (
        to_status == Status.DRAFT
        and from_status == Status.IN_REVIEW
        and not comment.strip()
    ):
        raise ValidationError("Say what needs changing when you send an article back.")

    now = timezone.now()
    goes_live_at = publication_time(locked, publish_at, now)  # from the state before
    locked.status = to_status
    note = ""
    if to_status == Status.PUBLISHED:
        check_medical_review(locked)
        note = check_quote_approval(
            unapproved_quotes(locked), override=override_quote_approval
        )
        locked.published_at = goes_live_at
        if expires_at is not None:  # None keeps the expiry the article already has
            locked.expires_at = expires_at
        if locked.expires_at and locked.expires_at <= now:
            raise ValidationError(
                "The expiry time has passed: clear it or choose a later one."
            )
        if locked.expires_at and locked.expires_at <= locked.published_at:
            raise ValidationError("The expiry time must be after the publication time.")
    locked.modified_by = by
    locked.full_clean()
    # A save like any other, so a revision (joined to the admin's, when one is open).
    with reversion.create_revision():
        reversion.set_user(by)
        reversion.set_comment(f"{Status(from_status).label} → {label}")
        locked.save()
    ArticleTransition.objects.create(
        article=locked,
        from_status=from_status,
        to_status=to_status,
        by=by,
        comment=" ".join(part for part in (note, comment.strip()) if part),
        publish_at=locked.published_at if to_status == Status.PUBLISHED else None,
    )
    return locked


def article_submit(*, article: Article, by, comment: str = "") -> Article:
    return article_transition(
        article=article, by=by, to_status=Status.IN_REVIEW, comment=comment
    )


def article_send_back(*, article: Article, by, comment: str) -> Article:
    return article_transition(
        article=article, by=by, to_status=Status.DRAFT, comment=comment
    )


def article_publish(
    *,
    article: Article,
    by,
    publish_at: datetime | None = None,
    expires_at: datetime | None = None,
    comment: str = "",
    override_quote_approval: bool = False,
) -> Article:
    """Publish now, or schedule with a future ``publish_at``."""
    return article_transition(
        article=article,
        by=by,
        to_status=Status.PUBLISHED,
        comment=comment,
        publish_at=publish_at,
        expires_at=expires_at,
        override_quote_approval=override_quote_approval,
    )


def article_unpublish(*, article: Article, by, comment: str = "") -> Article:
    return article_transition(
        article=article, by=by, to_status=Status.UNPUBLISHED, comment=comment
    )


@transaction.atomic
def article_restore(
    *, article: Article, version: Version, by, edit_version: int | None = None
) -> tuple[Article, list[str]]:
    """Bring back the content of an earlier revision, as a new save and revision.

    Content is the article's fields, tags, bylines, quotes, list items and related
    links; state, publication times and the version counter stay as they are (the
    version goes up, as with any save). Returns the article and the rows left out
    because what they point to has since been deleted. Raises PermissionDenied for a
    user who may not edit the article, and ValidationError when someone saved after
    ``edit_version`` or the old content no longer fits (its slug taken, say).
    """
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if not can_edit(by, locked):
        raise PermissionDenied("You do not have permission to edit this article.")
    if not Version.objects.get_for_object(locked).filter(pk=version.pk).exists():
        raise ValidationError("This revision is not one of this article's.")
    if edit_version is not None and edit_version != locked.version:
        raise ValidationError(
            "Someone saved this article after you opened the comparison. Nothing was "
            "restored: compare again to see their changes first."
        )
    values = stored_values(version)
    tag_ids = values.pop("tags", [])
    for name, value in values.items():
        setattr(locked, name, value)
    locked.modified_by = by
    locked.full_clean()
    left_out = []
    with reversion.create_revision(manage_manually=True):
        locked.save()
        locked.tags.set(Tag.objects.filter(pk__in=tag_ids))
        for model, rows in revision_parts(version).items():
            # Cleared first, so rows brought back never clash with today's.
            model.objects.filter(article=locked).delete()
            for row in rows:
                if _targets_exist(row):
                    row.save(force_insert=True)
                else:
                    left_out.append(describe_part(row))
        reversion.add_to_revision(locked)
        reversion.set_user(by)
        when = date_format(
            timezone.localtime(version.revision.date_created), "j M Y, H:i:s"
        )
        reversion.set_comment(f"Restored the revision of {when}")
    return locked, left_out


def _targets_exist(row) -> bool:
    """True when every row the part points to (author, quote, article) still exists."""
    return all(
        field.related_model._base_manager.filter(
            pk=getattr(row, field.attname)
        ).exists()
        for field in row._meta.concrete_fields
        if field.is_relation
        and field.name != "article"
        and getattr(row, field.attname) is not None
    )
