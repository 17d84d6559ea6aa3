"""The image library: every picture readers see is one of these records, picked by
heroes, list items, portraits and ``[[image:N]]`` references in bodies."""

import posixpath

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q

from cms.fields import ImageField


class ImageTag(models.Model):
    """A label for finding images in the library (not a public tag page)."""

    name = models.CharField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ImageQuerySet(models.QuerySet):
    def search(self, words: str):
        """Images whose title, alt text, caption, credit or tags contain every word."""
        queryset = self
        for word in words.split():
            queryset = queryset.filter(
                Q(title__icontains=word)
                | Q(alt__icontains=word)
                | Q(caption__icontains=word)
                | Q(credit__icontains=word)
                | Q(tags__name__icontains=word)
            )
        return queryset.distinct()


class Image(models.Model):
    """One picture, with what every use of it needs: alt text, caption, credit,
    licence and the focal point its crops keep in view."""

    title = models.CharField(
        max_length=200,
        help_text="For finding it in the library; readers do not see it.",
    )
    file = ImageField(
        upload_to="library/%Y/%m/",
        width_field="width",
        height_field="height",
        help_text="JPEG, PNG, WebP or GIF. Replacing it updates every page using it.",
    )
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    file_renditions = models.JSONField(
        null=True,
        blank=True,
        editable=False,
        help_text="The file and focal point whose renditions are made (set by the "
        "background worker, cms.images): until then pages show the original.",
    )
    alt = models.CharField(
        "alt text",
        max_length=250,
        blank=True,
        help_text="Describe what it shows for people who cannot see it. "
        "Leave empty only for a purely decorative image.",
    )
    caption = models.CharField(
        max_length=250, blank=True, help_text="Shown under the image. Optional."
    )
    credit = models.CharField(
        max_length=200,
        blank=True,
        help_text='Who took or owns it, such as "Photo: Jane Doe / Agency".',
    )
    licence = models.CharField(
        max_length=200,
        blank=True,
        help_text='The terms we use it under, such as "Staff photo" or "CC BY 4.0".',
    )
    focal_x = models.PositiveSmallIntegerField(
        "focal point across (%)",
        default=50,
        validators=[MaxValueValidator(100)],
        help_text="Where the subject is, from the left edge (0) to the right (100). "
        "Click the picture to set it.",
    )
    focal_y = models.PositiveSmallIntegerField(
        "focal point down (%)",
        default=50,
        validators=[MaxValueValidator(100)],
        help_text="Where the subject is, from the top (0) to the bottom (100).",
    )
    tags = models.ManyToManyField(ImageTag, blank=True, related_name="images")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(focal_x__lte=100, focal_y__lte=100),
                name="image_focal_in_image",
                violation_error_message="The focal point is a percentage from 0 to 100.",
            ),
        ]

    def __str__(self):
        return self.title or posixpath.basename(self.file.name)

    @property
    def focal_point(self) -> tuple[int, int]:
        return self.focal_x, self.focal_y
