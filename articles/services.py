"""Writes that span models: the one write path of an article (``save_article``) with
its workflow steps, and restoring an article's revision.

Each rule of a step is a function that returns why it refuses and writes nothing
(``step_refusals``): the admin's form and quote list call them to keep the typed form
on screen, and ``save_article`` enforces them for every other caller.
"""

from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass
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
from .models.references import references_synced_once
from .notifications import step_taken
from .revisions import describe_part, record_revision, revision_parts, stored_values

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
    if article.status != Status.DRAFT:
        return False
    # Asked for the article and each of its inlines on one page: answered once per
    # state of the article (a save bumps its version).
    known = article.__dict__.setdefault("_owned_by", {})
    key = (user.pk, article.version)
    if key not in known:
        known[key] = Article.objects.owned_by(user).filter(pk=article.pk).exists()
    return known[key]


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


@dataclass(frozen=True)
class Refusal:
    """Why a rule refuses a step: said next to ``field`` on the admin's form (None: at
    the top), or on its own (``alone``) where no form shows it."""

    field: str | None
    on_form: str
    alone: str
    code: str | None = None


@dataclass(frozen=True)
class Step:
    """A workflow step taken with a save: where to, and what the person chose."""

    to_status: str
    comment: str = ""
    publish_at: datetime | None = None
    override_quote_approval: bool = False


def quote_refusal(quotes: Iterable[Quote], *, override: bool) -> Refusal | None:
    """Publishing needs ``quotes`` (all the article keeps) approved by their experts,
    unless ``override``; nothing is checked when CMS_REQUIRE_QUOTE_APPROVAL is off."""
    unapproved = [quote for quote in quotes if not quote.is_approved]
    if not unapproved or override or not settings.CMS_REQUIRE_QUOTE_APPROVAL:
        return None
    named = "; ".join(
        f"{quote.reference} by {quote.expert.full_name} "
        f"({quote.get_status_display().lower()})"
        for quote in unapproved
    )
    alone = (
        f"Quotes not approved by their experts: {named}. Get them approved, or take "
        "them out of the article, before publishing."
    )
    return Refusal(
        field=None,
        on_form=f"{alone} To publish anyway, tick “Publish even though some quotes "
        "are not approved” under Workflow.",
        alone=alone,
        code="unapproved_quotes",
    )


def quote_approval_note(quotes: Iterable[Quote], *, override: bool) -> str:
    """The history's note when an override let unapproved quotes through, else ""."""
    unapproved = [quote.reference for quote in quotes if not quote.is_approved]
    if not (unapproved and override and settings.CMS_REQUIRE_QUOTE_APPROVAL):
        return ""
    return f"Published with unapproved quotes: {', '.join(unapproved)}."


def expiry_refusal(
    expires_at: datetime | None, published_at: datetime, now: datetime
) -> Refusal | None:
    """A published article's expiry must be in the future and after its publication."""
    if expires_at and expires_at <= now:
        message = "The expiry time has passed: clear it or choose a later one."
        return Refusal("expires_at", message, message)
    if expires_at and expires_at <= published_at:
        return Refusal(
            "expires_at",
            "The expiry time must be after publication.",
            "The expiry time must be after the publication time.",
        )
    return None


def step_refusals(
    article: Article,
    step: Step,
    *,
    quotes: Iterable[Quote] | None = None,
    now: datetime | None = None,
) -> list[Refusal]:
    """Every rule ``step`` must pass, in order; [] when it may be taken. Writes nothing.

    ``article`` is as the save will leave it, in its state before the step. ``quotes``
    are the quotes it keeps; None leaves their approval to the caller (the admin's
    quote list knows them only after the form is checked, see ``quote_refusal``).
    """
    now = now or timezone.now()
    refusals = []
    if (
        step.to_status == Status.DRAFT
        and article.status == Status.IN_REVIEW
        and not step.comment.strip()
    ):
        refusals.append(
            Refusal(
                "comment",
                "Say what needs changing when you send it back.",
                "Say what needs changing when you send an article back.",
            )
        )
    if step.to_status == Status.PUBLISHED:
        if article.category_id and (refusal := medical_review_refusal(article)):
            refusals.append(Refusal(None, refusal, refusal))
        if quotes is not None and (
            refusal := quote_refusal(quotes, override=step.override_quote_approval)
        ):
            refusals.append(refusal)
        if step.publish_at and step.publish_at <= now:
            refusals.append(
                Refusal(
                    "publish_at",
                    "This time has passed: leave it empty to publish now, or choose "
                    "a later one.",
                    "The publication time chosen has passed: choose a later one.",
                )
            )
        published_at = publication_time(article, step.publish_at, now)
        if refusal := expiry_refusal(article.expires_at, published_at, now):
            refusals.append(refusal)
        if refusal := image_credit_refusal(article):
            refusals.append(refusal)
    return refusals


def image_credit_refusal(article: Article) -> Refusal | None:
    """With ``CMS_IMAGE_CREDIT_REQUIRED``, the hero and list-item images (as saved)
    that lack a credit or a licence, named; None when there are none."""
    if not settings.CMS_IMAGE_CREDIT_REQUIRED:
        return None
    images = [article.hero_image] if article.hero_image_id else []
    if article.pk:
        items = article.list_items.filter(image__isnull=False).select_related("image")
        images += [item.image for item in items]
    missing = {
        image.pk: image
        for image in images
        if not (image.credit.strip() and image.licence.strip())
    }
    if not missing:
        return None
    names = ", ".join(f"“{image}”" for image in missing.values())
    message = (
        "Give these images a credit and a licence in the image library before "
        f"publishing: {names}."
    )
    return Refusal(None, message, message)


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
