"""Who may take which workflow step, and why a step is refused: each rule a function
that returns its refusal and writes nothing, so the admin's forms show it beside what was
typed and ``save_article`` enforces it for every other caller."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format

from cms.markdown import block_refs, render
from cms.models import Image
from experts.models import Quote

from ..models import Article, ArticleQuote

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
    """With ``CMS_IMAGE_CREDIT_REQUIRED``, the images the article shows (the hero,
    pictures placed in the body, and list items' as saved) that lack a credit or a
    licence, named; None when there are none."""
    if not settings.CMS_IMAGE_CREDIT_REQUIRED:
        return None
    images = [article.hero_image] if article.hero_image_id else []
    if placed := block_refs(render(article.body).html, "image"):
        images += Image.objects.filter(pk__in=placed).order_by("pk")
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
