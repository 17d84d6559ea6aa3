"""The one write path of an article (``save_article``), its workflow steps, and
restoring an article's revision."""

from collections.abc import Callable
from contextlib import nullcontext
from datetime import datetime

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from reversion.models import Version

from ..models import Article, ArticleTransition, Tag
from ..models.references import references_synced_once
from ..notifications import step_taken
from ..revisions import describe_part, record_revision, revision_parts, stored_values
from .rules import (
    TRANSITIONS,
    Step,
    can_edit,
    can_transition,
    publication_time,
    quote_approval_note,
    step_refusals,
    unapproved_quotes,
)

Status = Article.Status


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
    the history records it. ``expires_at`` None keeps the article's expiry.
    """
    if to_status not in Status.values:
        raise ValidationError(f"“{to_status}” is not a workflow state.")
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if expires_at is not None:
        locked.expires_at = expires_at
    step = Step(
        to_status=to_status,
        comment=comment,
        publish_at=publish_at,
        override_quote_approval=override_quote_approval,
    )
    return save_article(locked, by=by, step=step)


def check_step_allowed(article: Article, by, to_status: str) -> None:
    """Raise ValidationError for a move the workflow lacks, PermissionDenied for one
    ``by`` may not make (the admin's form offers only the others)."""
    label = Status(to_status).label
    if (article.status, to_status) not in TRANSITIONS:
        raise ValidationError(
            f"An article that is {article.get_status_display().lower()} cannot become "
            f"{label.lower()}."
        )
    if not can_transition(by, article, to_status):
        raise PermissionDenied(
            f"You do not have permission to make this article {label.lower()}."
        )


@transaction.atomic(savepoint=False)
def save_article(
    article: Article,
    *,
    by,
    step: Step | None = None,
    save_parts: Callable[[], dict[str, list] | None] | None = None,
    comment: Callable[[], str] | None = None,
    checked: bool = False,
) -> Article:
    """The one write path of an article: the step's rules, one save, its parts, its
    references synced once, one revision, and the step's record (its email queued
    for after the commit).

    ``save_parts`` saves what belongs to the article (the admin's tags and inlines)
    once it has a key, and may return the rows it leaves (see
    ``revisions.use_rows``). ``comment`` gives the revision's comment once they are
    saved (default: the step, such as "Draft → Published"). ``checked`` says the
    caller holds the row lock and has checked the step and the article (the admin's
    form and inlines); without it, the step's rules and the article's validation run
    here and raise PermissionDenied or ValidationError.
    """
    now = timezone.now()
    from_status = article.status
    was_live = article.is_published(now)
    if step is not None and not checked:
        check_step_allowed(article, by, step.to_status)
        publishing = step.to_status == Status.PUBLISHED
        quotes = unapproved_quotes(article) if publishing else None
        for refusal in step_refusals(article, step, quotes=quotes, now=now):
            raise ValidationError(refusal.alone, code=refusal.code)
    if step is not None:
        if step.to_status == Status.PUBLISHED:
            article.published_at = publication_time(article, step.publish_at, now)
        article.status = step.to_status
    article.modified_by = by
    if not checked:
        article.full_clean()
    # In a revision someone opened, the rows are added once at the end, not one by one
    # as each is saved.
    manual = (
        reversion.create_revision(manage_manually=True, atomic=False)
        if reversion.is_active()
        else nullcontext()
    )
    with manual:
        with references_synced_once(article):
            article.save()
            rows = save_parts() if save_parts is not None else None
        if comment is not None:
            said = comment()
        elif step is not None:
            said = f"{Status(from_status).label} → {Status(step.to_status).label}"
        else:
            said = ""
        record_revision(article, user=by, comment=said, rows=rows)
    if step is not None:
        transition = _record_step(article, step, by=by, from_status=from_status)
        # Emailed from a background task once this commits (articles.notifications).
        step_taken(transition, was_live=was_live)
    return article


def _record_step(
    article: Article, step: Step, *, by, from_status: str
) -> ArticleTransition:
    """The step in the article's history, with the note of an approval override."""
    note = ""
    if step.to_status == Status.PUBLISHED:
        note = quote_approval_note(
            [row.quote for row in article.article_quotes.all()],
            override=step.override_quote_approval,
        )
    return ArticleTransition.objects.create(
        article=article,
        from_status=from_status,
        to_status=step.to_status,
        by=by,
        comment=" ".join(part for part in (note, step.comment.strip()) if part),
        publish_at=article.published_at if step.to_status == Status.PUBLISHED else None,
    )


@transaction.atomic
def article_reschedule(
    *, article: Article, by, publish_at: datetime, edit_version: int | None = None
) -> Article:
    """Move a scheduled article to another time (the calendar's "Move"), with the
    rules of scheduling it from its form.

    Raises PermissionDenied for someone who may not schedule, and ValidationError when
    it is no longer scheduled, someone saved it after ``edit_version``, or the time
    breaks a rule of publishing (passed, not before its expiry…).
    """
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if not can_transition(by, locked, Status.PUBLISHED):
        raise PermissionDenied(
            "You do not have permission to schedule articles: ask an editor."
        )
    if edit_version is not None and edit_version != locked.version:
        who = locked.modified_by
        name = (who.get_full_name() or who.get_username()) if who else "Someone"
        when = date_format(timezone.localtime(locked.modified_at), "j F Y, H:i")
        raise ValidationError(
            f"{name} saved it at {when}, after this page was shown: look at its new "
            "time and move it again if you still need to.",
            code="stale",
        )
    if locked.state_label != "Scheduled":
        raise ValidationError(
            f"It is no longer scheduled (it is {locked.state_phrase}): open it to "
            "change its publication time."
        )
    step = Step(
        to_status=Status.PUBLISHED,
        publish_at=publish_at,
        comment="Moved on the editorial calendar.",
    )
    return save_article(locked, by=by, step=step)


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
        # List items are cleared in bulk, so references are synced whatever changed.
        with references_synced_once(locked, changed=True):
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
        when = date_format(
            timezone.localtime(version.revision.date_created), "j M Y, H:i:s"
        )
        record_revision(locked, user=by, comment=f"Restored the revision of {when}")
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
