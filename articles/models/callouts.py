"""Standard callouts: advice kept once and placed in articles by reference."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from markdownx.models import MarkdownxField

from cms.limits import MarkdownLimits
from cms.markdown import References, callout_html, render

validate_callout_key = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z",
    "Use lower-case letters and numbers, with single hyphens between words.",
)


class Callout(models.Model):
    """A callout every article places with ``[[callout:<key>]]``: one text, no copies."""

    class Kind(models.TextChoices):
        URGENT = "urgent", "Urgent"
        WARNING = "warning", "Warning"
        TIP = "tip", "Tip"

    key = models.SlugField(
        max_length=80,
        unique=True,
        validators=[validate_callout_key],
        help_text="How articles place it: [[callout:<key>]] on a line of its own, such "
        "as [[callout:when-to-call-999]]. Cannot be changed once saved.",
    )
    title = models.CharField(
        max_length=120,
        help_text='Shown at the top of the callout after its kind, such as "When to '
        'call 999".',
    )
    kind = models.CharField(
        max_length=10,
        choices=Kind.choices,
        default=Kind.URGENT,
        help_text="Urgent: get help now. Warning: take care. Tip: useful advice. "
        "Readers see it as a label and an icon, not only a colour.",
    )
    body = MarkdownxField(
        help_text="Markdown: paragraphs, lists, bold and links. A change here shows "
        "at once in every article that places this callout.",
        validators=[MarkdownLimits(), References()],
    )
    body_html = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key"]
        verbose_name = "standard callout"

    def __str__(self):
        return f"{self.title} ({self.get_kind_display()})"

    def save(self, *args, **kwargs):
        self.body_html = render(self.body).html
        super().save(*args, **kwargs)

    def clean(self):
        body_html = render(self.body).html
        if "<cms-" in body_html or "<aside" in body_html:
            raise ValidationError(
                {
                    "body": "A standard callout cannot hold quotes, other callouts or "
                    "expert mentions: write its text in full."
                }
            )

    @property
    def reference(self) -> str:
        """The line a writer puts in an article body to place this callout."""
        return f"[[callout:{self.key}]]" if self.key else ""

    def as_html(self) -> str:
        """The callout as the page shows it, from its current title, kind and body."""
        return callout_html(self.kind, self.title, self.body_html)
