"""Site-wide records that belong to no one app: who changed whose roles, where
webhooks go, the image library both apps pick from, and who wants which emails."""

import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone


class RoleChange(models.Model):
    """One role given to or taken from a login: who, whom, what and when."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_changes"
    )
    role = models.CharField(max_length=150)
    granted = models.BooleanField(help_text="Given (true) or taken away (false).")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty when made outside the admin (a command or the shell).",
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        verb = "given" if self.granted else "taken from"
        return f"{self.role} {verb} {self.user}"


MIN_SECRET_LENGTH = 24


def new_webhook_secret() -> str:
    """A fresh signing secret: 256 random bits as URL-safe text."""
    return secrets.token_urlsafe(32)


class WebhookEvent(models.TextChoices):
    """What an endpoint can be told of: readers gain, see change, or lose an article."""

    PUBLISHED = "article.published", "Article published (readers can see it)"
    UPDATED = "article.updated", "Published article saved"
    UNPUBLISHED = "article.unpublished", "Article unpublished or expired"
    DELETED = "article.deleted", "Published article deleted"


class WebhookEndpointQuerySet(models.QuerySet):
    def active(self) -> "WebhookEndpointQuerySet":
        return self.filter(is_active=True)


class WebhookEndpoint(models.Model):
    """An address told of article events by signed JSON POSTs (cms/webhooks.py)."""

    name = models.CharField(
        max_length=100, help_text="Who receives it, e.g. “Newsletter service”."
    )
    url = models.URLField(
        "URL",
        max_length=500,
        validators=[
            URLValidator(
                schemes=["http", "https"],
                message="Enter an address starting http:// or https://.",
            )
        ],
        help_text="Where each event is sent, as a JSON POST. Redirects are not "
        "followed.",
    )
    secret = models.CharField(
        max_length=200,
        default=new_webhook_secret,
        help_text="Copy it to the receiving end: it checks each delivery's "
        "X-CMS-Signature header with it. Made for you; replace it to rotate it.",
    )
    events = models.JSONField(
        default=list, help_text="The events this address is sent."
    )
    is_active = models.BooleanField(
        "active",
        default=True,
        help_text="Untick to stop sending: deliveries not yet sent are not sent.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = WebhookEndpointQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if len(self.secret) < MIN_SECRET_LENGTH:
            errors["secret"] = (
                f"Use at least {MIN_SECRET_LENGTH} characters: a short secret can be "
                "guessed."
            )
        events = self.events if isinstance(self.events, list) else []
        if not events or not set(events) <= set(WebhookEvent.values):
            errors["events"] = "Choose at least one of the events."
        if errors:
            raise ValidationError(errors)

    def subscribes_to(self, event: str) -> bool:
        return event in self.events


class WebhookDelivery(models.Model):
    """One event for one endpoint: the payload as sent, and how sending it went."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    # Sent as X-CMS-Delivery; the payload's "id" is that of the first delivery of the
    # event (the same when it is sent again).
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(max_length=40, choices=WebhookEvent.choices)
    # Not a foreign key: the log outlives a deleted article.
    article_id = models.PositiveBigIntegerField()
    occurred_at = models.DateTimeField(
        help_text="When the event happened (the payload's created_at)."
    )
    payload = models.JSONField()
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When it is tried next; empty while it is being sent and once done.",
    )
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    response_code = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="The HTTP status of the last answer; empty when none came.",
    )
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name_plural = "webhook deliveries"
        indexes = [
            # Whether a publication or expiry that came by the clock was already told.
            models.Index(
                fields=["article_id", "event", "occurred_at"],
                name="webhook_delivery_event_idx",
            ),
        ]

    def __str__(self):
        return f"{self.event} to {self.endpoint}"


from .images import Image, ImageTag  # noqa: E402, F401  (the library)
from .notifications import (  # noqa: E402, F401  (who wants which emails)
    NotificationKind,
    NotificationSettings,
)
