"""The parts of an article after its body: related links and the numbered list."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from markdownx.models import MarkdownxField

from cms.limits import MarkdownLimits
from cms.markdown import References, render

from .references import texts_changed


class RelatedLinkQuerySet(models.QuerySet):
    def broken(self) -> "RelatedLinkQuerySet":
        """Curated links in published articles to articles readers cannot see."""
        from .article import Article  # article.py imports this module

        return self.filter(
            article__in=Article.objects.published(), target_article__isnull=False
        ).exclude(target_article__in=Article.objects.published())


class RelatedLink(models.Model):
    """A curated link in the related-content block: another article, or an external page."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="related_links"
    )
    label = models.CharField(
        max_length=40,
        default="Read more",
        help_text='The lead-in, such as "Read more" or "Now read".',
    )
    target_article = models.ForeignKey(
        "articles.Article",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="incoming_related_links",
        help_text="An article on this site. Leave empty to link to an external address instead.",
    )
    url = models.URLField(
        blank=True,
        help_text="An external address, when not linking to one of our articles.",
    )
    title = models.CharField(
        max_length=200,
        blank=True,
        help_text="Link text. Defaults to the linked article's headline.",
    )
    position = models.PositiveSmallIntegerField(default=0)

    objects = RelatedLinkQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(target_article__isnull=False) & Q(url=""))
                | (Q(target_article__isnull=True) & ~Q(url="")),
                name="related_link_one_target",
                violation_error_message="Choose an article or enter an external address, not both.",
            ),
            models.CheckConstraint(
                condition=~Q(target_article=models.F("article")),
                name="related_link_not_self",
            ),
        ]

    def __str__(self):
        return f"{self.label}: {self.link_title}"

    def clean(self):
        from ..addresses import site_path, target_of  # imports models

        path = site_path(self.url) if self.url and not self.target_article_id else None
        if path is not None:
            # One of our articles typed as an address: linked as the article, so the
            # link follows it and leaves the page while it is not public.
            found = target_of(path)
            if found.article_id is not None:
                self.target_article_id, self.url = found.article_id, ""
            elif not found.is_page:
                raise ValidationError(
                    {
                        "url": f"{self.url} is an address on this site, but no "
                        "article or page is there. Choose the article instead."
                    }
                )
        if self.target_article_id and self.url:
            raise ValidationError(
                "Choose an article or enter an external address, not both."
            )
        if not self.target_article_id and not self.url:
            raise ValidationError("Choose an article or enter an external address.")
        if self.target_article_id and self.target_article_id == self.article_id:
            raise ValidationError(
                {"target_article": "An article cannot link to itself."}
            )
        if self.url and not self.title.strip():
            raise ValidationError(
                {"title": "Give external links a title readers can recognise."}
            )

    @property
    def link_url(self) -> str:
        return (
            self.target_article.get_absolute_url()
            if self.target_article_id
            else self.url
        )

    @property
    def link_title(self) -> str:
        return self.title or (
            self.target_article.title if self.target_article_id else self.url
        )

    @property
    def is_external(self) -> bool:
        return not self.target_article_id


class ListItem(models.Model):
    """One entry of the numbered list that follows an article's body."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="list_items"
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Lower numbers come first."
    )
    heading = models.CharField(
        max_length=200, help_text='The item name, such as "Cradle cap".'
    )
    image = models.ForeignKey(
        "cms.Image",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="list_items",
        help_text="From the image library; readers can expand it to full size. Its "
        "alt text is the library's.",
    )
    text = MarkdownxField(
        help_text="Markdown. Link to another of our articles with [[article:123|your "
        "words]] (or paste its address), and name an expert with [[expert:their-slug]].",
        validators=[MarkdownLimits(), References("expert", "article")],
    )
    text_html = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.heading

    def save(self, *args, **kwargs):
        self.text_html = render(self.text).html
        super().save(*args, **kwargs)
        # Links and mentions in the text are the article's references too.
        texts_changed(self.article_id, lambda: self.article)

    def delete(self, *args, **kwargs):
        article_id = self.article_id
        result = super().delete(*args, **kwargs)
        texts_changed(article_id, lambda: self.article)
        return result

    def clean(self):
        from ..addresses import link_articles  # imports models

        self.text, link_errors = link_articles(self.text)
        if link_errors:
            raise ValidationError({"text": link_errors})
        if self.image_id and not self.image.alt.strip():
            raise ValidationError(
                {
                    "image": f"“{self.image}” has no alt text: describe it in the "
                    "image library for readers who cannot see it."
                }
            )

    @property
    def image_alt(self) -> str:
        return self.image.alt if self.image_id else ""
