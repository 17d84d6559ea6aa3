"""Emails to the newsroom's people: who may be sent one, and each their own copy,
from a background task. Apps decide what happened and whom it concerns; this module
knows no app.

A person is emailed only when active, with an address, not the one who acted, and
not having turned that kind off (``NotificationSettings``). Queueing happens once
the change commits; a failure to queue or to send is logged, never raised: the
change it tells of has been made.
"""

import logging
from datetime import datetime
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse

from .models.notifications import switch

logger = logging.getLogger(__name__)


def recipients(users: QuerySet, kind: str, *, actor=None) -> QuerySet:
    """Those of ``users`` who may be sent ``kind``, each once."""
    chosen = (
        users.filter(is_active=True)
        .exclude(email="")
        .exclude(**{f"notification_settings__{switch(kind)}": False})
    )
    if actor is not None:
        chosen = chosen.exclude(pk=actor.pk)
    return chosen.distinct().order_by("pk")


def absolute(path: str) -> str:
    """A full address with CMS_SITE_URL (the admin is served by the same site)."""
    return settings.CMS_SITE_URL + path


def one_line(text: str) -> str:
    """A subject: headers never hold a line break."""
    return " ".join(text.split())


def send(users, *, subject: str, template: str, context: dict) -> int:
    """Email each of ``users`` their own copy of ``emails/<template>.txt`` with
    ``.html`` beside it; returns how many went. A failure is logged per person."""
    sent = 0
    for user in users:
        values = {
            **context,
            "user": user,
            "site_name": settings.CMS_SITE_NAME,
            "profile_url": absolute(reverse("admin:profile")),
        }
        try:
            message = EmailMultiAlternatives(
                subject=one_line(subject),
                body=render_to_string(f"emails/{template}.txt", values),
                to=[user.email],
            )
            message.attach_alternative(
                render_to_string(f"emails/{template}.html", values), "text/html"
            )
            message.send()
        except Exception:
            logger.exception(
                "Could not send the %s email to user %s", template, user.pk
            )
        else:
            sent += 1
    return sent


def enqueue(task_, *args, run_after: datetime | None = None) -> bool:
    """Queue ``task_`` (at ``run_after``, when given); False, logged, when it could
    not be queued."""
    try:
        if run_after is not None:
            if not task_.get_backend().supports_defer:
                logger.warning(
                    "The task backend cannot wait until %s: %s is not run then "
                    "(use the database queue)",
                    run_after.isoformat(),
                    task_.name,
                )
                return False
            task_ = task_.using(run_after=run_after)
        task_.enqueue(*args)
    except Exception:
        logger.exception("Could not queue %s%r", task_.name, args)
        return False
    return True


def enqueue_on_commit(task_, *args, run_after: datetime | None = None) -> None:
    """``enqueue`` once the current transaction commits (nothing if it rolls back)."""
    transaction.on_commit(
        partial(enqueue, task_, *args, run_after=run_after), robust=True
    )
