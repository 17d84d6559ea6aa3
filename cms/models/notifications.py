"""Which emails each person wants: one switch per kind, all on until they say."""

from django.conf import settings
from django.db import models


class NotificationKind(models.TextChoices):
    """The emails the newsroom sends; each is a switch on ``NotificationSettings``."""

    SUBMITTED = "submitted", "An article is submitted for review"
    SENT_BACK = "sent_back", "An article of yours is sent back, with the comment"
    PUBLISHED = "published", "An article of yours is published"
    WEEKLY_DIGEST = "weekly_digest", "Weekly digest of reviews due and stale sources"


def switch(kind: str) -> str:
    """The field that turns ``kind`` on or off."""
    return f"has_{NotificationKind(kind).value}_emails"


class NotificationSettingsQuerySet(models.QuerySet):
    def for_user(self, user) -> "NotificationSettings":
        """The person's settings; unsaved, all on, until they first save them."""
        return self.filter(user=user).first() or self.model(user=user)


class NotificationSettings(models.Model):
    """One person's email switches. No row means every kind is on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_settings",
    )
    has_submitted_emails = models.BooleanField(
        "submitted for review",
        default=True,
        help_text="Editors: an article in a section you edit waits for review.",
    )
    has_sent_back_emails = models.BooleanField(
        "sent back",
        default=True,
        help_text="An editor sent an article of yours back, with what to change.",
    )
    has_published_emails = models.BooleanField(
        "published",
        default=True,
        help_text="An article of yours went live (a scheduled one when its time "
        "comes).",
    )
    has_weekly_digest_emails = models.BooleanField(
        "weekly digest",
        default=True,
        help_text="Editors: medical reviews due and sources older than the set age, "
        "once a week when there are any.",
    )
    modified_at = models.DateTimeField(auto_now=True)

    objects = NotificationSettingsQuerySet.as_manager()

    class Meta:
        ordering = ["user_id"]
        verbose_name = "notification settings"
        verbose_name_plural = "notification settings"

    def __str__(self):
        return f"Notification settings of {self.user}"

    def wants(self, kind: str) -> bool:
        return getattr(self, switch(kind))
