"""Bylines: the writers behind articles."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from markdownx.models import MarkdownxField

from cms.limits import MarkdownLimits
from cms.markdown import References, render


class Author(models.Model):
    """The person behind a byline; freelancers may have no user account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author",
        help_text="The login this author uses, if they have one.",
    )
    display_name = models.CharField(
        max_length=120, help_text="The name shown in bylines."
    )
    slug = models.SlugField(
        max_length=140, unique=True, help_text="Used in the author's page address."
    )
    job_title = models.CharField(
        max_length=120, blank=True, help_text='For example "Digital Writer".'
    )
    bio = MarkdownxField(
        blank=True,
        help_text="Shown at the foot of their articles and on their page. Markdown.",
        validators=[MarkdownLimits(), References()],
    )
    bio_html = models.TextField(blank=True, editable=False)
    photo = models.ForeignKey(
        "cms.Image",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="authors",
        help_text="A head-and-shoulders photo from the image library.",
    )
    is_active = models.BooleanField(
        default=True,
        help_text="Inactive authors keep their existing bylines but cannot be added to new ones.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["display_name"]

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        self.bio_html = render(self.bio).html
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:author", kwargs={"slug": self.slug})


class AuthorLink(models.Model):
    """A profile elsewhere (social account, personal site) shown on the author's page."""

    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="links")
    label = models.CharField(
        max_length=60, help_text='What the link is, such as "Instagram".'
    )
    url = models.URLField(help_text="The full address, starting https://.")
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Lower numbers come first."
    )

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return f"{self.author}: {self.label}"
