from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from markdownx.models import MarkdownxField

from cms.limits import MarkdownLimits
from cms.markdown import References, render


class ExpertQuerySet(models.QuerySet):
    def active(self) -> "ExpertQuerySet":
        """Experts who may be quoted in new content; the public index lists these."""
        return self.filter(is_active=True)


class Expert(models.Model):
    """A named professional quoted in, or reviewing, content."""

    honorific = models.CharField(
        max_length=20,
        blank=True,
        help_text='Title before the name, such as "Dr" or "Prof". Optional.',
    )
    name = models.CharField(
        max_length=120, help_text='Full name without the honorific: "Amara Okafor".'
    )
    slug = models.SlugField(
        max_length=140, unique=True, help_text="Used in the expert's page address."
    )
    short_name = models.CharField(
        max_length=60,
        blank=True,
        help_text='How running text refers to them after the first mention, such as "Dr Amara". '
        "Defaults to the honorific and first name.",
    )
    job_title = models.CharField(
        max_length=120, blank=True, help_text='For example "Consultant Paediatrician".'
    )
    organisation = models.CharField(
        max_length=200,
        blank=True,
        help_text='For example "Riverside Children\'s Hospital, part of Northgate Health".',
    )
    credentials = models.CharField(
        max_length=200,
        blank=True,
        help_text='Qualifications shown after the name, such as "MBBS, MRCPCH".',
    )
    bio = MarkdownxField(
        blank=True,
        help_text="A short biography in Markdown.",
        validators=[MarkdownLimits(), References()],
    )
    bio_html = models.TextField(blank=True, editable=False)
    photo = models.ForeignKey(
        "cms.Image",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="experts",
        help_text="A head-and-shoulders photo from the image library.",
    )
    website = models.URLField(blank=True, help_text="Their professional page, if any.")
    is_active = models.BooleanField(
        default=True, help_text="Inactive experts cannot be chosen for new quotes."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    objects = ExpertQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.bio_html = render(self.bio).html
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("experts:detail", kwargs={"slug": self.slug})

    @property
    def full_name(self) -> str:
        return f"{self.honorific} {self.name}".strip()

    @property
    def display_short_name(self) -> str:
        if self.short_name:
            return self.short_name
        return f"{self.honorific} {self.name.split()[0]}".strip() if self.name else ""

    @property
    def role(self) -> str:
        """Job title and organisation as running text: "Consultant Paediatrician at X"."""
        if self.job_title and self.organisation:
            return f"{self.job_title} at {self.organisation}"
        return self.job_title or self.organisation


class Quote(models.Model):
    """An expert's words, kept once so every article that uses them agrees."""

    class Status(models.TextChoices):
        NOT_SENT = "not_sent", "Not yet sent"
        SENT = "sent", "Sent to the expert"
        APPROVED = "approved", "Approved by the expert"
        WITHDRAWN = "withdrawn", "Withdrawn"

    expert = models.ForeignKey(
        Expert,
        on_delete=models.PROTECT,
        related_name="quotes",
        help_text="Who said it.",
    )
    text = models.TextField(
        help_text="The words exactly as approved, without quotation marks.",
        validators=[MarkdownLimits(), References()],
    )
    text_html = models.TextField(blank=True, editable=False)
    context = models.CharField(
        max_length=200,
        blank=True,
        help_text='Internal note on where it came from, e.g. "Phone interview, May 2026".',
    )
    status = models.CharField(
        "sign-off",
        max_length=20,
        choices=Status.choices,
        default=Status.NOT_SENT,
        help_text="Where the expert's approval of these words stands. A withdrawn quote "
        "disappears from every article; the rest of the article stays.",
    )
    sent_at = models.DateField(
        "sent on",
        null=True,
        blank=True,
        help_text="When the words were sent to the expert to check. Today if left empty.",
    )
    approved_at = models.DateField(
        "approved on",
        null=True,
        blank=True,
        help_text="When the expert approved the words. Today if left empty.",
    )
    approved_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="approval recorded by",
    )
    withdrawn_at = models.DateField(
        "withdrawn on",
        null=True,
        blank=True,
        help_text="When the expert withdrew the words. Today if left empty.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["expert__name", "-created_at"]
        permissions = [
            (
                "sign_off_quote",
                "Can record an expert's sign-off of a quote, and reopen it",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(text=""), name="quote_text_not_empty"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False),
                name="quote_sent_has_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="approved")
                | models.Q(approved_at__isnull=False),
                name="quote_approved_has_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="withdrawn")
                | models.Q(withdrawn_at__isnull=False),
                name="quote_withdrawn_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.expert.display_short_name}: “{Truncator(self.text).chars(60)}” (#{self.pk})"

    def save(self, *args, **kwargs):
        self.date_sign_off()
        self.text_html = render(self.text).html
        super().save(*args, **kwargs)

    def clean(self):
        if not self._state.adding and self.text_is_locked(self.text):
            raise ValidationError(
                {
                    "text": "These words have been sent to the expert or approved, so "
                    "they cannot change: add a new quote with the new words, or ask "
                    "an editor to reopen the sign-off."
                }
            )
        if self._state.adding and self.expert_id and not self.expert.is_active:
            raise ValidationError(
                {
                    "expert": f"{self.expert} is inactive: new quotes need an active expert."
                }
            )
        self.date_sign_off()
        today = timezone.localdate()
        errors = {
            name: "This date is in the future."
            for name in ("sent_at", "approved_at", "withdrawn_at")
            if getattr(self, name) and getattr(self, name) > today
        }
        if (
            not errors
            and self.sent_at
            and self.approved_at
            and self.approved_at < self.sent_at
        ):
            errors["approved_at"] = (
                "The approval cannot come before the words were sent."
            )
        if errors:
            raise ValidationError(errors)

    def text_is_locked(self, text: str) -> bool:
        """True when ``text`` would change words already sent or approved (as stored)."""
        stored = Quote.objects.filter(pk=self.pk).values("text", "status").first()
        return bool(
            stored
            and stored["status"] != self.Status.NOT_SENT
            and stored["text"] != text
        )

    @property
    def words_are_open(self) -> bool:
        """Words may change only before they go to the expert."""
        return self.status == self.Status.NOT_SENT

    @property
    def reference(self) -> str:
        """The line a writer puts in an article body to place this quote."""
        return f"[[quote:{self.pk}]]" if self.pk else ""

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def is_withdrawn(self) -> bool:
        """A withdrawn quote shows nowhere, whatever places it."""
        return self.status == self.Status.WITHDRAWN

    def date_sign_off(self) -> None:
        """Give the current sign-off step today's date when none was entered."""
        field = {
            self.Status.SENT: "sent_at",
            self.Status.APPROVED: "approved_at",
            self.Status.WITHDRAWN: "withdrawn_at",
        }.get(self.status)
        if field and not getattr(self, field):
            setattr(self, field, timezone.localdate())


class SignOff(models.Model):
    """One change of a quote's sign-off: who recorded it, when, from and to."""

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="sign_offs")
    from_status = models.CharField(
        max_length=20, blank=True, choices=Quote.Status.choices
    )
    to_status = models.CharField(max_length=20, choices=Quote.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.quote.reference}: {self.get_to_status_display()}"
