"""Site-wide records that belong to no one app: who changed whose roles."""

from django.conf import settings
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
