"""Writes that span models: the one write path of an article (``save_article``) with
its workflow steps, and restoring an article's revision (``steps``).

Each rule of a step is a function that returns why it refuses and writes nothing
(``rules.step_refusals``): the admin's form and quote list call them to keep the typed
form on screen, and ``save_article`` enforces them for every other caller.
"""

from .rules import (
    TRANSITIONS,
    Refusal,
    Step,
    allowed_transitions,
    can_edit,
    can_transition,
    check_medical_review,
    expiry_refusal,
    image_credit_refusal,
    medical_review_refusal,
    publication_time,
    quote_approval_note,
    quote_refusal,
    step_refusals,
    unapproved_quotes,
)
from .steps import (
    article_publish,
    article_reschedule,
    article_restore,
    article_send_back,
    article_submit,
    article_transition,
    article_unpublish,
    check_step_allowed,
    save_article,
)

__all__ = [
    "TRANSITIONS",
    "Refusal",
    "Step",
    "allowed_transitions",
    "article_publish",
    "article_reschedule",
    "article_restore",
    "article_send_back",
    "article_submit",
    "article_transition",
    "article_unpublish",
    "can_edit",
    "can_transition",
    "check_medical_review",
    "check_step_allowed",
    "expiry_refusal",
    "image_credit_refusal",
    "medical_review_refusal",
    "publication_time",
    "quote_approval_note",
    "quote_refusal",
    "save_article",
    "step_refusals",
    "unapproved_quotes",
]
