"""The article, its one definition of "published", and its ordered bylines and quotes."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models, router
from django.db.models import (
    Case,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import Truncator
from markdownx.models import MarkdownxField

from cms.limits import MarkdownLimits
from cms.markdown import References, render
from experts.models import Expert, Quote

from ..addresses import link_articles
from ..rendering import body_reference_errors, fill_body
from .blocks import ListItem, RelatedLink
from .calendar import CalendarQuerySetMixin
from .listing import ListingQuerySetMixin, pks_of_any
from .people import Author
from .references import ArticleReference, texts_changed
from .related import RelatedItem, related_content
from .review import MedicalReviewMixin, ReviewQuerySetMixin, hash_body
from .search import SearchQuerySetMixin, plain_text
from .sections import Category, Tag

# How many of the newest articles of each tag the related-content block ranks.
RELATED_CANDIDATES = 50


def is_live(now=None) -> Q:
    """The one definition of public, as a filter: published, its time reached, not
    yet expired. Scheduling and expiry are just times compared with now."""
    now = now or timezone.now()
    return Q(status=Article.Status.PUBLISHED, published_at__lte=now) & (
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )


class ArticleQuerySet(
    SearchQuerySetMixin,
    ListingQuerySetMixin,
    ReviewQuerySetMixin,
    CalendarQuerySetMixin,
    models.QuerySet,
):
    def published(self, now=None) -> "ArticleQuerySet":
        """What readers see (``is_live``)."""
        return self.filter(is_live(now))

    def scheduled(self) -> "ArticleQuerySet":
        """Published with a time still in the future."""
        return self.filter(
            status=Article.Status.PUBLISHED, published_at__gt=timezone.now()
        )

    def owned_by(self, user) -> "ArticleQuerySet":
        """Articles the user created or has a byline on."""
        return self.filter(Q(created_by=user) | Q(authors__user=user)).distinct()

    def visible_to(self, user) -> "ArticleQuerySet":
        """What someone may read in the admin and in previews: everything for those
        who edit anyone's work; otherwise their own articles and live ones, so one
        freelancer never sees another's draft or embargoed (scheduled) piece."""
        if user.has_perm("articles.edit_any_article"):
            return self
        byline = ArticleAuthor.objects.filter(article=OuterRef("pk"), author__user=user)
        return self.filter(Q(created_by=user) | Exists(byline) | is_live())

    def drafts_of(self, user) -> "ArticleQuerySet":
        """Drafts the user created or has a byline on."""
        return self.owned_by(user).filter(status=Article.Status.DRAFT)

    def sent_back(self) -> "ArticleQuerySet":
        """Drafts an editor sent back, with the editor's ``send_back_comment`` and
        ``sent_back_by`` (username) from that step."""
        last = ArticleTransition.objects.filter(article=OuterRef("pk")).order_by(
            "-at", "-pk"
        )
        return (
            self.filter(status=Article.Status.DRAFT)
            .annotate(
                last_from=Subquery(last.values("from_status")[:1]),
                send_back_comment=Subquery(last.values("comment")[:1]),
                sent_back_by=Subquery(last.values("by__username")[:1]),
            )
            .filter(last_from=Article.Status.IN_REVIEW)
        )

    def in_review(self) -> "ArticleQuerySet":
        """Submitted by a writer and waiting for an editor."""
        return self.filter(status=Article.Status.IN_REVIEW)

    def with_related(self) -> "ArticleQuerySet":
        """What a list of articles shows: section and ordered bylines."""
        return self.select_related("category__parent", "hero_image").prefetch_related(
            Prefetch(
                "article_authors",
                queryset=ArticleAuthor.objects.select_related("author__photo"),
            ),
        )

    def for_page(self) -> "ArticleQuerySet":
        """Everything the article page shows, in a fixed number of queries."""
        return (
            self.with_related()
            .select_related("reviewed_by")
            .prefetch_related(
                "tags",
                Prefetch("article_authors__author__links"),
                Prefetch(
                    "article_quotes",
                    queryset=ArticleQuote.objects.shown().select_related(
                        "quote__expert"
                    ),
                ),
                Prefetch(
                    "list_items", queryset=ListItem.objects.select_related("image")
                ),
                Prefetch(
                    "related_links",
                    queryset=RelatedLink.objects.select_related(
                        "target_article__category", "target_article__hero_image"
                    ),
                ),
                "sources",
                Prefetch(
                    "body_references",
                    queryset=ArticleReference.objects.select_related(
                        "callout", "expert", "image", "target_article__category"
                    ),
                ),
            )
        )

    def by_author(self, author: Author) -> "ArticleQuerySet":
        return self.filter(authors=author)

    def in_section(self, category: Category) -> "ArticleQuerySet":
        """Articles in a section or any of its sub-sections.

        A section fetched with its ``children`` prefetched is filtered by ids alone,
        so each section's index on (category, published_at) serves its pages.
        """
        if "children" in getattr(category, "_prefetched_objects_cache", {}):
            ids = [category.pk, *(child.pk for child in category.children.all())]
            return self.filter(category_id__in=ids)
        return self.filter(Q(category=category) | Q(category__parent=category))

    def tagged(self, tag: Tag) -> "ArticleQuerySet":
        return self.filter(tags=tag)

    def featuring(self, expert) -> "ArticleQuerySet":
        """Articles quoting the expert (a quote not withdrawn) or reviewed by them,
        as the expert's page lists them."""
        quoted = ArticleQuote.objects.shown().filter(
            article=OuterRef("pk"), quote__expert=expert
        )
        return self.filter(Q(Exists(quoted)) | Q(reviewed_by=expert))

    def linking_to(self, targets) -> "ArticleQuerySet":
        """Articles whose body ([[article:…]]) or curated related links link to any of
        ``targets`` (articles or ids), the targets themselves left out."""
        ids = [getattr(target, "pk", target) for target in targets]
        return (
            self.filter(
                Q(body_references__target_article__in=ids)
                | Q(related_links__target_article__in=ids)
            )
            .exclude(pk__in=ids)
            .distinct()
        )

    def related_to(
        self, article: "Article", *, exclude_ids=(), limit: int | None = None
    ) -> "ArticleQuerySet":
        """Articles sharing a tag or the section with ``article``, most related first:
        more shared tags, then the same section, then newest. Never ``article`` itself.

        Reads ``article.tags.all()``, so a prefetched article costs one query.
        Only a bounded set of candidates is ranked, each found by an index: the
        newest ``RELATED_CANDIDATES`` of each of its tags, and the newest of its
        section (enough to fill ``limit``), never every article sharing a tag.
        """
        tag_ids = [tag.pk for tag in article.tags.all()]
        shared_tags = (
            Count("tags", filter=Q(tags__in=tag_ids), distinct=True)
            if tag_ids
            else Value(0)
        )
        same_section = Case(
            When(category_id=article.category_id, then=Value(1)),
            default=Value(0),
            output_field=models.IntegerField(),
        )
        others = self.exclude(pk=article.pk).exclude(pk__in=list(exclude_ids))
        newest = ("-published_at", "-pk")
        window = RELATED_CANDIDATES
        candidates = [
            others.filter(tags=tag_id).order_by(*newest)[:window] for tag_id in tag_ids
        ] + [
            others.filter(category_id=article.category_id).order_by(*newest)[
                : limit or window
            ]
        ]
        related = (
            others.filter(pk__in=pks_of_any(candidates))
            .annotate(shared_tags=shared_tags, same_section=same_section)
            .filter(Q(shared_tags__gt=0) | Q(same_section=1))
            .select_related("category", "hero_image")
            .order_by("-shared_tags", "-same_section", "-published_at", "-pk")
        )
        return related[:limit] if limit is not None else related


class Article(MedicalReviewMixin, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished (archived)"

    title = models.CharField(
        max_length=200, help_text="The headline readers see (the page's h1)."
    )
    slug = models.SlugField(
        max_length=200,
        allow_unicode=True,
        help_text="The last part of the address. Must be unique within its section.",
    )
    standfirst = models.TextField(
        max_length=400,
        help_text="One or two sentences under the headline that say what the reader will learn.",
    )
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        related_name="articles",
        help_text="The section it appears in.",
    )
    tags = models.ManyToManyField(
        Tag, blank=True, related_name="articles", help_text="Topics for tag pages."
    )
    authors = models.ManyToManyField(
        Author, through="ArticleAuthor", related_name="articles"
    )
    hero_image = models.ForeignKey(
        "cms.Image",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hero_of",
        help_text="The main picture at the top, from the image library (landscape, at "
        "least 1200 pixels wide). Its alt text, caption, credit and focal point are "
        "the library's: edit them there.",
    )
    body = MarkdownxField(
        help_text="Markdown. Start each section with “## Heading”: H2s make the “In this article” list. "
        "To place an expert quote, add it under Quotes below, then put its reference, "
        "such as [[quote:12]], on a line of its own. "
        "A standard callout goes on a line of its own by its key: [[callout:when-to-call-999]]. "
        "For a callout of your own, put “:::urgent Its title” (or :::warning, :::tip; the "
        "title is optional) on a line, its text below, then “:::” on a line to close. "
        "To name an expert in a sentence, write [[expert:their-slug]]: the first time an "
        "expert appears gives their full name, job title and organisation, later times "
        "their short name. "
        "To link to another of our articles, write [[article:123|your words]] (or "
        "[[article:123]] for its title), or use “Link to an article” to search titles: "
        "the link follows the article if its address changes. "
        "To place a picture from the image library, use “Insert image”, or put "
        "[[image:12]] (or [[image:12|a caption of its own]]) on a line of its own.",
        validators=[
            MarkdownLimits(),
            References("quote", "callout", "image", "expert", "article"),
        ],
    )
    body_html = models.TextField(blank=True, editable=False)
    body_hash = models.CharField(max_length=64, blank=True, editable=False)
    toc = models.JSONField(default=list, blank=True, editable=False)
    word_count = models.PositiveIntegerField(default=0, editable=False)
    # The body as the words readers see: searched, and quoted in search snippets.
    body_text = models.TextField(blank=True, editable=False)
    # PostgreSQL full-text vector (title A, standfirst B, tags C, body D), kept current by
    # signals; its GIN index is created by migration on PostgreSQL only.
    search_vector = SearchVectorField(null=True, editable=False)
    is_featured = models.BooleanField(
        "featured on the home page",
        default=False,
        help_text="Show it at the top of the home page. If several are featured, the "
        "most recently published one is shown; with none, the latest article is.",
    )
    list_heading = models.CharField(
        max_length=200,
        blank=True,
        help_text='Heading over the numbered list after the body, such as "More common skin complaints".',
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        editable=False,
        help_text="When it went (or goes) public. A future time schedules it.",
    )
    expires_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Optional: the article leaves the site at this time by itself.",
    )
    updated_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="The last substantive update; readers see “Updated” with this date.",
    )
    seo_title = models.CharField(
        max_length=70,
        blank=True,
        help_text="Title for search engines. Defaults to the headline.",
    )
    seo_description = models.CharField(
        max_length=160,
        blank=True,
        help_text="Description for search results. Defaults to the standfirst.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    modified_at = models.DateTimeField(auto_now=True)
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    reviewed_by = models.ForeignKey(
        Expert,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviewed_articles",
        verbose_name="medically reviewed by",
        help_text="The expert who checked the article for medical accuracy.",
    )
    reviewed_at = models.DateField(
        "review date",
        null=True,
        blank=True,
        help_text="When they reviewed it. Readers see “Medically reviewed by … on” "
        "this date.",
    )
    next_review_at = models.DateField(
        "next review",
        null=True,
        blank=True,
        help_text="When it is due to be reviewed again. Leave as it is to have it set "
        "from the section's review interval (12 months unless set).",
    )
    # The body the reviewer saw: a later change of body makes the review out of date.
    reviewed_body_hash = models.CharField(max_length=64, blank=True, editable=False)
    # Bumped by every save: a form started from an older version cannot overwrite newer work.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "slug"],
                name="article_slug_unique_in_category",
                violation_error_message="An article with this slug already exists in this section.",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="article_published_has_date",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True)
                | Q(published_at__isnull=True)
                | Q(expires_at__gt=models.F("published_at")),
                name="article_expires_after_publication",
                violation_error_message="The expiry time must be after the publication time.",
            ),
            models.CheckConstraint(
                condition=Q(reviewed_by__isnull=True, reviewed_at__isnull=True)
                | Q(reviewed_by__isnull=False, reviewed_at__isnull=False),
                name="article_review_has_expert_and_date",
                violation_error_message="A medical review needs both the expert and "
                "the date.",
            ),
        ]
        indexes = [
            models.Index(
                fields=["status", "-published_at"], name="article_status_pub_idx"
            ),
            # The page cache asks when the next article expires.
            models.Index(fields=["expires_at"], name="article_expires_idx"),
            # The home page's featured article: featured first, then the newest.
            models.Index(
                fields=["-is_featured", "-published_at", "-id"],
                name="article_featured_idx",
            ),
            # The sitemaps' last modification times, overall and per section.
            models.Index(fields=["-modified_at"], name="article_modified_idx"),
            # Section pages, newest first.
            models.Index(
                fields=["category", "-published_at"], name="article_category_pub_idx"
            ),
            # Counting and paging through what is published without reading rows
            # (an index-only scan on PostgreSQL, where ``include`` is supported).
            models.Index(
                fields=["-published_at", "-id"],
                include=["expires_at"],
                condition=Q(status="published"),
                name="article_published_idx",
            ),
        ]
        permissions = [
            (
                "publish_article",
                "Can publish, schedule, unpublish and send back articles",
            ),
            ("edit_any_article", "Can edit articles by anyone, in any state"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.status == self.Status.PUBLISHED and not self.published_at:
            self.published_at = timezone.now()
        if self.pk:
            self.version += 1
        rendered = render(self.body)
        self.body_html, self.toc, self.word_count = (
            rendered.html,
            rendered.toc,
            rendered.word_count,
        )
        self.body_text = plain_text(self.body_html)
        adding = self._state.adding
        # The stored hash is of the body as last saved: the same body refers to the
        # same things, so its references stay as they are.
        body_hash = hash_body(self.body)
        body_changed = adding or body_hash != self.body_hash
        self.body_hash = body_hash
        super().save(*args, **kwargs)
        if body_changed:
            texts_changed(self.pk, lambda: self, adding=adding)

    def get_absolute_url(self):
        return reverse(
            "articles:detail",
            kwargs={"category_slug": self.category.slug, "slug": self.slug},
        )

    def clean_fields(self, exclude=None):
        """A related row the form has just fetched exists: not fetched again (Django
        checks each key with a query of its own)."""
        exclude = set(exclude or ())
        for field in self._meta.concrete_fields:
            if field.many_to_one and field.is_cached(self):
                related = field.get_cached_value(self)
                key = getattr(self, field.attname)
                if related is not None and key is not None and related.pk == key:
                    exclude.add(field.name)
        return super().clean_fields(exclude=exclude)

    def validate_constraints(self, exclude=None):
        """The check constraints back up rules checked in Python (``clean``, the
        fields' validators, ``services.step_refusals``) with their own messages: only
        the unique ones are asked of the database (Django asks one query of each)."""
        using = router.db_for_write(type(self), instance=self)
        errors = {}
        for constraint in self._meta.constraints:
            if isinstance(constraint, models.CheckConstraint):
                continue
            try:
                constraint.validate(type(self), self, exclude=exclude, using=using)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def clean(self):
        if self.hero_image_id and not self.hero_image.alt.strip():
            raise ValidationError(
                {
                    "hero_image": f"“{self.hero_image}” has no alt text: describe it "
                    "in the image library for readers who cannot see it."
                }
            )
        if review_errors := self.review_errors():
            raise ValidationError(review_errors)
        if self.pk and self.body_hash and hash_body(self.body) == self.body_hash:
            return  # the body as saved, whose references were checked then
        deleted_links = (
            [
                int(key)
                for key in self.body_references.links()
                .filter(target_article__isnull=True)
                .values_list("key", flat=True)
            ]
            if self.pk
            else []
        )
        self.body, link_errors = link_articles(self.body)
        body_errors = link_errors + body_reference_errors(
            self.body, deleted_links=deleted_links
        )
        if body_errors:
            raise ValidationError({"body": body_errors})
        if self.status == self.Status.PUBLISHED and not self.published_at:
            self.published_at = timezone.now()

    # The hero's words are the library image's, read through here by templates,
    # feeds and the API.
    @property
    def hero_alt(self) -> str:
        return self.hero_image.alt if self.hero_image_id else ""

    @property
    def hero_caption(self) -> str:
        return self.hero_image.caption if self.hero_image_id else ""

    @property
    def hero_credit(self) -> str:
        return self.hero_image.credit if self.hero_image_id else ""

    @property
    def hero_focal_point(self) -> tuple[int, int]:
        """(x, y) in percent: where thumbnails of the hero are centred."""
        return self.hero_image.focal_point if self.hero_image_id else (50, 50)

    def is_published(self, now=None) -> bool:
        """Same rule as ArticleQuerySet.published(), for one article, at ``now`` (a
        datetime; the present when None)."""
        now = now or timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= now
            and (self.expires_at is None or self.expires_at > now)
        )

    is_published.boolean = True

    def was_live(self) -> bool:
        """Readers have seen it: its publication time has come (it may since have been
        unpublished or expired). A draft never published, or one scheduled for later,
        has not been."""
        return self.published_at is not None and self.published_at <= timezone.now()

    @property
    def state_label(self) -> str:
        """The status as editors think of it: a future publication is "Scheduled"."""
        if self.status == self.Status.PUBLISHED and self.published_at:
            now = timezone.now()
            if self.published_at > now:
                return "Scheduled"
            if self.expires_at and self.expires_at <= now:
                return "Expired"
        return self.get_status_display()

    @property
    def state_phrase(self) -> str:
        """The state in a sentence: "this article is a draft", "… is scheduled"."""
        label = self.state_label
        return "a draft" if label == "Draft" else label.lower()

    @property
    def byline(self) -> list[Author]:
        return [row.author for row in self.article_authors.all()]

    @property
    def meta_title(self) -> str:
        return self.seo_title or self.title

    @property
    def meta_description(self) -> str:
        return self.seo_description or Truncator(self.standfirst).chars(160)

    @property
    def reading_time(self) -> int:
        """Minutes, at 200 words a minute."""
        return max(1, round(self.word_count / 200))

    @property
    def show_updated(self) -> bool:
        """True when updated on a later day than published, as readers' dates show it."""
        return bool(
            self.updated_at
            and self.published_at
            and timezone.localdate(self.updated_at)
            > timezone.localdate(self.published_at)
        )

    def body_for_page(self):
        """The stored body filled in from live data: quotes from the article's quote
        list, standard callouts, library images, mentioned experts and linked articles
        from its body references.

        A withdrawn quote's marker renders as nothing (``for_page`` already leaves
        withdrawn quotes out; the check here covers an article fetched without it).
        """
        return self._filled[0]

    def numbered_list(self) -> list[tuple["ListItem", str]]:
        """Each item of the numbered list with its text filled like the body's
        (experts first named in the body get their short name here)."""
        return self._filled[1]

    @cached_property
    def _filled(self) -> tuple[str, list[tuple["ListItem", str]]]:
        """The body and the list items' texts, filled once in page order."""
        references = self.body_references.all()
        seen: set[int] = set()

        def fill(rendered_html: str) -> str:
            return fill_body(
                rendered_html,
                quotes=(
                    row.quote
                    for row in self.article_quotes.all()
                    if not row.quote.is_withdrawn
                ),
                callouts={ref.key: ref.callout for ref in references if ref.callout_id},
                experts={ref.key: ref.expert for ref in references if ref.expert_id},
                links={
                    int(ref.key): ref for ref in references if ref.kind == "article"
                },
                images={ref.image_id: ref.image for ref in references if ref.image_id},
                seen=seen,
            )

        body = fill(self.body_html)
        return body, [(item, fill(item.text_html)) for item in self.list_items.all()]

    @cached_property
    def related_content(self) -> list["RelatedItem"]:
        """What the related-content block shows (see ``related.related_content``)."""
        return related_content(self)

    def public_related_links(self) -> list["RelatedLink"]:
        """Curated links, minus internal ones whose target is not public."""
        return [
            link
            for link in self.related_links.all()
            if link.target_article_id is None or link.target_article.is_published()
        ]


class ArticleAuthor(models.Model):
    """One byline on an article, in order."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="article_authors"
    )
    author = models.ForeignKey(
        Author, on_delete=models.PROTECT, related_name="article_bylines"
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Lower numbers come first in the byline."
    )

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "author"], name="article_author_once"
            ),
        ]

    def __str__(self):
        return f"{self.author} on {self.article}"

    def clean(self):
        if self._state.adding and self.author_id and not self.author.is_active:
            raise ValidationError(
                {
                    "author": f"{self.author} is inactive and cannot be added to a byline."
                }
            )


class ArticleQuoteQuerySet(models.QuerySet):
    def shown(self) -> "ArticleQuoteQuerySet":
        """Placements whose quote may appear on a page: all but withdrawn quotes."""
        return self.exclude(quote__status=Quote.Status.WITHDRAWN)


class ArticleQuote(models.Model):
    """A quote an article uses; the body places it with [[quote:<id>]]."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="article_quotes"
    )
    quote = models.ForeignKey(
        Quote, on_delete=models.PROTECT, related_name="article_uses"
    )
    position = models.PositiveSmallIntegerField(default=0)

    objects = ArticleQuoteQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "quote"], name="article_quote_once"
            ),
        ]

    def __str__(self):
        return f"{self.quote.reference} in {self.article}"


class ArticleTransition(models.Model):
    """One change of an article's state: who, when, from, to and why."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(max_length=20, choices=Article.Status.choices)
    to_status = models.CharField(max_length=20, choices=Article.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True)
    publish_at = models.DateTimeField(
        null=True, blank=True, help_text="The publication time chosen, if any."
    )

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return (
            f"{self.article}: {self.get_from_status_display()} → "
            f"{self.get_to_status_display()}"
        )
