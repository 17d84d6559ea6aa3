"""Where articles live: sections (categories) and tags."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from cms.paths import RESERVED_SLUGS, reserved_slugs


def validate_section_slug(value: str) -> None:
    if value.lower() in reserved_slugs():
        raise ValidationError(
            f"“{value}” is used by the site itself (/{value}/), so a section cannot have it. "
            "Choose another slug."
        )


class Category(models.Model):
    """A section such as Baby, or a sub-section such as Baby › Health (one level deep)."""

    name = models.CharField(
        max_length=80, help_text='The section name readers see, such as "Health".'
    )
    slug = models.SlugField(
        max_length=80,
        unique=True,
        allow_unicode=True,
        validators=[validate_section_slug],
        help_text="The first part of every article address in this section: /<slug>/<article>/.",
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="Leave empty for a top-level section.",
    )
    description = models.TextField(
        blank=True, help_text="One or two sentences shown on the section page."
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Lower numbers come first in menus."
    )
    requires_medical_review = models.BooleanField(
        default=False,
        help_text="Articles here (and in its sub-sections) can be published only with "
        "a current medical review.",
    )
    review_interval_months = models.PositiveSmallIntegerField(
        default=12,
        validators=[MinValueValidator(1)],
        help_text="How many months a medical review of an article here lasts before "
        "the next one is due.",
    )

    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="edited_sections",
        verbose_name="section editors",
        help_text="The editors told when an article here is submitted for review. "
        "None: those of the parent section, or else every editor.",
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"
        constraints = [
            models.CheckConstraint(
                condition=~Q(slug__in=sorted(RESERVED_SLUGS)),
                name="category_slug_not_reserved",
            ),
        ]

    def __str__(self):
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name

    def get_absolute_url(self):
        return reverse("articles:category", kwargs={"slug": self.slug})

    def clean(self):
        if self.parent_id:
            if self.parent_id == self.pk:
                raise ValidationError({"parent": "A section cannot be its own parent."})
            if self.parent.parent_id:
                raise ValidationError(
                    {
                        "parent": "Sections nest one level only: choose a top-level section."
                    }
                )
            if self.pk and self.children.exists():
                raise ValidationError(
                    {
                        "parent": "This section has sub-sections, so it must stay top-level."
                    }
                )

    @property
    def needs_medical_review(self) -> bool:
        """True when this section, or the section it belongs to, requires review."""
        return self.requires_medical_review or bool(
            self.parent_id and self.parent.requires_medical_review
        )


class Tag(models.Model):
    name = models.CharField(
        max_length=60, unique=True, help_text='A topic, such as "Skin".'
    )
    slug = models.SlugField(
        max_length=80,
        unique=True,
        allow_unicode=True,
        help_text="Used in the tag's page address.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:tag", kwargs={"slug": self.slug})
