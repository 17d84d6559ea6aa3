from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.text import Truncator
from markdownx.models import MarkdownxField

from cms.markdown import render
from cms.validators import validate_image


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
    bio = MarkdownxField(blank=True, help_text="A short biography in Markdown.")
    bio_html = models.TextField(blank=True, editable=False)
    photo = models.ImageField(
        upload_to="experts/",
        blank=True,
        width_field="photo_width",
        height_field="photo_height",
        validators=[validate_image],
        help_text="A head-and-shoulders photo. JPEG, PNG or WebP.",
    )
    photo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    website = models.URLField(blank=True, help_text="Their professional page, if any.")
    is_active = models.BooleanField(
        default=True, help_text="Inactive experts cannot be chosen for new quotes."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

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

    expert = models.ForeignKey(
        Expert,
        on_delete=models.PROTECT,
        related_name="quotes",
        help_text="Who said it.",
    )
    text = models.TextField(
        help_text="The words exactly as approved, without quotation marks."
    )
    text_html = models.TextField(blank=True, editable=False)
    context = models.CharField(
        max_length=200,
        blank=True,
        help_text='Internal note on where it came from, e.g. "Phone interview, May 2026".',
    )
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["expert__name", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(text=""), name="quote_text_not_empty"
            ),
        ]

    def __str__(self):
        return f"{self.expert.display_short_name}: “{Truncator(self.text).chars(60)}” (#{self.pk})"

    def save(self, *args, **kwargs):
        self.text_html = render(self.text).html
        super().save(*args, **kwargs)

    def clean(self):
        if self._state.adding and self.expert_id and not self.expert.is_active:
            raise ValidationError(
                {
                    "expert": f"{self.expert} is inactive: new quotes need an active expert."
                }
            )

    @property
    def reference(self) -> str:
        """The line a writer puts in an article body to place this quote."""
        return f"[[quote:{self.pk}]]" if self.pk else ""
