"""Editorial checks that read other records: quotes placed in the body that their
experts have not approved, and the article's medical review. The rules that block
publishing stay in ``articles.services``; their messages are reused here."""

from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format

from ..models.review import REVIEW_SOON_DAYS
from .base import INFO, OK, WARNING, Draft, Finding, TypedReview


def placed_quotes(quotes) -> list[Finding]:
    """``quotes``: those the body places. Unapproved ones are named with their
    status; the detail says whether publishing will be refused for them."""
    from ..services import quote_refusal

    unapproved = [quote for quote in quotes if not quote.is_approved]
    if not unapproved:
        return [Finding("quotes", OK, "Every quote placed is approved by its expert.")]
    refusal = quote_refusal(unapproved, override=False)
    detail = (
        f"Publishing will be refused until then: {refusal.alone}"
        if refusal
        else "Publishing does not wait for approval on this site."
    )
    return [
        Finding(
            "quotes",
            WARNING,
            f"{quote.reference} by {quote.expert.full_name} is not approved "
            f"({quote.get_status_display().lower()}).",
            detail,
        )
        for quote in unapproved
    ]


def image_credits(draft: Draft) -> list[Finding]:
    """With ``CMS_IMAGE_CREDIT_REQUIRED``, the images publishing would refuse for
    want of a credit or a licence (``services.image_credit_refusal``): the hero and
    pictures as typed, list items as saved."""
    from ..models import Article
    from ..services import image_credit_refusal

    if not settings.CMS_IMAGE_CREDIT_REQUIRED:
        return []
    article = Article(
        pk=getattr(draft.article, "pk", None), hero_image=draft.hero, body=draft.body
    )
    if refusal := image_credit_refusal(article):
        return [Finding("credits", WARNING, refusal.alone, "Saving is not affected.")]
    return [Finding("credits", OK, "Every image shown has a credit and a licence.")]


def _as_typed(article, review: TypedReview) -> None:
    """The saved review on ``article`` as saving the typed fields would leave it: a
    changed reviewer or date (or a confirmed one) is a review of the typed body."""
    by_id = review.by.pk if review.by else None
    recorded = review.confirmed or (by_id, review.on) != (
        article.reviewed_by_id,
        article.reviewed_at,
    )
    typed_next = review.next_review_at != article.next_review_at
    article.reviewed_by, article.reviewed_at = review.by, review.on
    article.next_review_at = review.next_review_at
    article.apply_review(
        by=review.by,
        on=review.on,
        recorded=recorded,
        next_review_at=review.next_review_at if typed_next else None,
    )


def review_due(draft: Draft, today: date | None = None) -> list[Finding]:
    """The medical review as the typed body, section and review would leave it: what
    publishing would refuse (``services.medical_review_refusal``), and a review
    overdue or due soon."""
    from ..models import Article
    from ..services import medical_review_refusal

    if draft.category is None:
        return [Finding("review", INFO, "Choose a section to check its review rules.")]
    today = today or timezone.localdate()
    article = Article(
        category=draft.category,
        body=draft.body,
        reviewed_by_id=getattr(draft.article, "reviewed_by_id", None),
        reviewed_at=getattr(draft.article, "reviewed_at", None),
        next_review_at=getattr(draft.article, "next_review_at", None),
        reviewed_body_hash=getattr(draft.article, "reviewed_body_hash", ""),
    )
    if draft.review is not None:
        _as_typed(article, draft.review)
        if errors := article.review_errors(today):
            return [
                Finding("review", WARNING, error, "Saving is refused until then.")
                for error in dict.fromkeys(errors.values())
            ]
    if refusal := medical_review_refusal(article, today):
        return [Finding("review", WARNING, refusal, "Saving is not affected.")]
    if not article.is_medically_reviewed:
        return [
            Finding(
                "review",
                INFO,
                "Not medically reviewed; its section does not require it.",
            )
        ]
    reviewed = date_format(article.reviewed_at, "j F Y")
    if not article.review_is_current:
        return [
            Finding(
                "review",
                WARNING,
                f"The body has changed since the medical review on {reviewed}.",
                "Once saved, readers see “Last reviewed by …” instead of “Medically "
                "reviewed by …”: ask for this version to be reviewed.",
            )
        ]
    due = article.next_review_at
    when = date_format(due, "j F Y") if due else ""
    if article.review_is_overdue(today):
        return [
            Finding(
                "review",
                WARNING,
                f"The medical review is overdue: it was due on {when}.",
                "Ask the reviewer to check it again and record the new review.",
            )
        ]
    if due and due <= today + timedelta(days=REVIEW_SOON_DAYS):
        return [
            Finding(
                "review",
                WARNING,
                f"The next medical review is due soon, on {when}.",
                "Ask the reviewer in good time.",
            )
        ]
    return [
        Finding(
            "review",
            OK,
            f"Medically reviewed on {reviewed}"
            + (f"; next review due {when}." if when else "."),
        )
    ]
