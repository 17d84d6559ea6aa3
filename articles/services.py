"""Writes that span models: workflow transitions (article + its transition record)."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .models import Article, ArticleTransition

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


@transaction.atomic
def article_transition(
    *,
    article: Article,
    by,
    to_status: str,
    comment: str = "",
    publish_at: datetime | None = None,
    expires_at: datetime | None = None,
) -> Article:
    """Move an article to another state and record who, when and why.

    Raises PermissionDenied for a user who may not, and ValidationError for a move
    that the workflow does not have or that leaves the article invalid.
    """
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

    locked.status = to_status
    if to_status == Status.PUBLISHED:
        now = timezone.now()
        if publish_at:
            locked.published_at = publish_at
        elif from_status != Status.PUBLISHED or not locked.published_at:
            # A first publication, or a republication, goes live now.
            locked.published_at = now
        locked.expires_at = expires_at
        if locked.expires_at and locked.expires_at <= locked.published_at:
            raise ValidationError("The expiry time must be after the publication time.")
    locked.modified_by = by
    locked.full_clean()
    locked.save()
    ArticleTransition.objects.create(
        article=locked,
        from_status=from_status,
        to_status=to_status,
        by=by,
        comment=comment.strip(),
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
) -> Article:
    """Publish now, or schedule with a future ``publish_at``."""
    return article_transition(
        article=article,
        by=by,
        to_status=Status.PUBLISHED,
        comment=comment,
        publish_at=publish_at,
        expires_at=expires_at,
    )


def article_unpublish(*, article: Article, by, comment: str = "") -> Article:
    return article_transition(
        article=article, by=by, to_status=Status.UNPUBLISHED, comment=comment
    )
