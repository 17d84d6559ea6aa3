"""What came from another system: old addresses that must keep working, and which
record each imported item became, so importing the same file again updates rather
than duplicates."""

from django.db import models
from django.db.models import Q

from cms.text import strip_control_characters

from .article import Article
from .sections import Category


def normalise_path(path: str) -> str:
    """The form an old address is stored and looked up in: the decoded path, with a
    trailing slash unless it names a file, and WordPress's one query (``/?p=12``)."""
    path, _, query = strip_control_characters(path).strip().partition("?")
    path = "/" + path.strip("/")
    if path != "/" and "." not in path.rsplit("/", 1)[-1]:
        path += "/"
    return f"{path}?{query}" if query else path


class OldAddressQuerySet(models.QuerySet):
    def leading(self, path: str) -> "OldAddress | None":
        """The old address ``path`` (any form of it), with what it leads to."""
        return (
            self.select_related("article__category", "category")
            .filter(path=normalise_path(path))
            .first()
        )


class OldAddress(models.Model):
    """An address the site had before it moved here, such as a WordPress permalink
    (``/2019/05/03/cradle-cap/``, ``/?p=12``, ``/category/baby/``), and the article or
    section it now leads to: readers and search engines following it are redirected
    for good. With neither (its article deleted), the address is gone (410)."""

    path = models.CharField(
        max_length=500,
        unique=True,
        help_text="The old address without the host, such as /2019/05/03/cradle-cap/ "
        "or /?p=12.",
    )
    article = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="old_addresses",
    )
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="old_addresses",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OldAddressQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name_plural = "old addresses"
        constraints = [
            models.CheckConstraint(
                condition=Q(article__isnull=True) | Q(category__isnull=True),
                name="old_address_one_target",
                violation_error_message="Choose an article or a section, not both.",
            ),
        ]

    def __str__(self):
        return self.path

    def save(self, *args, **kwargs):
        self.path = normalise_path(self.path)
        super().save(*args, **kwargs)

    @property
    def target_url(self) -> str | None:
        """Where it leads now; None when its article is gone or not public."""
        if self.category_id:
            return self.category.get_absolute_url()
        if self.article_id and self.article.is_published():
            return self.article.get_absolute_url()
        return None


class ImportedItem(models.Model):
    """One item of another system (a WordPress post, attachment, author, category or
    tag) and the record it became here. Matched by the source's id first and its
    GUID second; the checksum of what was read tells an unchanged item from one
    changed since the last import."""

    class Kind(models.TextChoices):
        POST = "post", "Post"
        ATTACHMENT = "attachment", "Attachment"
        AUTHOR = "author", "Author"
        CATEGORY = "category", "Category"
        TAG = "tag", "Tag"

    source = models.CharField(
        max_length=300, help_text="The site it came from, such as its base address."
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    source_id = models.CharField(max_length=200)
    guid = models.CharField(max_length=500, blank=True)
    # The article, author, section or tag's key; for an attachment, none.
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    # For an attachment: the stored file's name.
    stored_name = models.CharField(max_length=500, blank=True)
    checksum = models.CharField(max_length=64)
    # It was here before the import (a section or author of the same slug): used as
    # it is, never changed by an import.
    adopted = models.BooleanField(default=False)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["source", "kind", "source_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "source_id"], name="imported_item_once"
            ),
        ]
        indexes = [models.Index(fields=["source", "kind", "guid"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.source_id} from {self.source}"
