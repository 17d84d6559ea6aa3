import io
from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from articles.models import (
    Article,
    ArticleAuthor,
    ArticleQuote,
    ArticleSource,
    Author,
    AuthorLink,
    Callout,
    Category,
    ExternalLink,
    ListItem,
    OldAddress,
    RelatedLink,
    Tag,
)
from articles.models.review import add_months, hash_body
from cms.models import Image as LibraryImage
from experts.models import Expert, Quote


def image_file(name="photo.png", size=(40, 30), fmt="PNG", color=(200, 120, 80)):
    """A small, real image upload."""
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, fmt)
    return SimpleUploadedFile(
        name, buffer.getvalue(), content_type=f"image/{fmt.lower()}"
    )


class ImageFactory(factory.django.DjangoModelFactory):
    """A library image: a real small JPEG with alt text, caption and credit."""

    class Meta:
        model = "cms.Image"

    title = factory.Sequence(lambda n: f"Library image {n}")
    file = factory.LazyFunction(
        lambda: image_file("library.jpg", size=(1600, 1000), fmt="JPEG")
    )
    alt = "A baby's hand holding a parent's finger"
    caption = "Newborn skin is thinner than an adult's."
    credit = "Photo: Demo Studio"
    licence = "Staff photo"


def library_image(kwargs: dict, field: str, **words: str) -> dict:
    """Factory kwargs whose image ``field`` takes a library image, or (shorter for
    tests) an uploaded file, put into the library with the words given under the
    names in ``words`` (such as ``hero_alt="..."`` for the image's ``alt``)."""
    given = {
        image_name: kwargs.pop(name)
        for name, image_name in words.items()
        if name in kwargs
    }
    value = kwargs.get(field)
    if value is not None and not isinstance(value, LibraryImage):
        kwargs[field] = ImageFactory(file=value, **given)
    return kwargs


PASSWORD = "correct horse battery staple"  # every factory-made login's


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password(PASSWORD)

    class Params:
        staff = factory.Trait(is_staff=True)
        superuser = factory.Trait(is_staff=True, is_superuser=True)


class ExpertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expert

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        return library_image(kwargs, "photo")

    honorific = "Dr"
    name = factory.Sequence(lambda n: f"Morgan Hale{n}")
    slug = factory.Sequence(lambda n: f"morgan-hale-{n}")
    short_name = factory.LazyAttribute(lambda e: f"Dr {e.name.split()[0]}")
    job_title = "Consultant Paediatrician"
    organisation = "Riverside Children's Hospital"


class QuoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quote

    expert = factory.SubFactory(ExpertFactory)
    text = factory.Sequence(
        lambda n: f"Most newborn rashes settle on their own, note {n}."
    )
    # Approved unless a test says otherwise: publishing needs approved quotes.
    status = Quote.Status.APPROVED
    approved_at = factory.LazyFunction(timezone.localdate)

    class Params:
        not_sent = factory.Trait(status=Quote.Status.NOT_SENT, approved_at=None)
        sent = factory.Trait(
            status=Quote.Status.SENT,
            sent_at=factory.LazyFunction(timezone.localdate),
            approved_at=None,
        )
        withdrawn = factory.Trait(
            status=Quote.Status.WITHDRAWN,
            withdrawn_at=factory.LazyFunction(timezone.localdate),
        )


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        return library_image(kwargs, "photo")

    display_name = factory.Sequence(lambda n: f"Writer {n}")
    slug = factory.Sequence(lambda n: f"writer-{n}")
    job_title = "Digital Writer"
    bio = "Writes about **sleep** and skin."


class AuthorLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuthorLink

    author = factory.SubFactory(AuthorFactory)
    label = "Website"
    url = "https://example.com/writer"


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    """A draft with one author; ``published=True`` makes it public an hour ago.
    ``hero_image`` takes a library image, or a file with ``hero_alt`` and so on."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        return library_image(
            kwargs,
            "hero_image",
            hero_alt="alt",
            hero_caption="caption",
            hero_credit="credit",
            hero_focal_x="focal_x",
            hero_focal_y="focal_y",
        )

    title = factory.Sequence(lambda n: f"Article {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    standfirst = "What parents need to know."
    category = factory.SubFactory(CategoryFactory)
    body = "## First section\n\nSome text.\n\n## Second section\n\nMore text."
    status = Article.Status.DRAFT

    class Params:
        published = factory.Trait(
            status=Article.Status.PUBLISHED,
            published_at=factory.LazyFunction(
                lambda: timezone.now() - timedelta(hours=1)
            ),
        )
        # Medically reviewed a week ago, of the body as it is; next review in a year.
        reviewed = factory.Trait(
            reviewed_by=factory.SubFactory(ExpertFactory),
            reviewed_at=factory.LazyFunction(
                lambda: timezone.localdate() - timedelta(days=7)
            ),
            next_review_at=factory.LazyAttribute(
                lambda a: add_months(a.reviewed_at, 12)
            ),
            reviewed_body_hash=factory.LazyAttribute(lambda a: hash_body(a.body)),
        )

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if not create:
            return
        for position, author in enumerate(
            extracted if extracted is not None else [AuthorFactory()]
        ):
            ArticleAuthor.objects.create(article=self, author=author, position=position)


class ArticleQuoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArticleQuote

    article = factory.SubFactory(ArticleFactory)
    quote = factory.SubFactory(QuoteFactory)


class CalloutFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Callout

    key = factory.Sequence(lambda n: f"callout-{n}")
    title = factory.Sequence(lambda n: f"When to get help {n}")
    kind = Callout.Kind.URGENT
    body = "Call **999** if your baby is floppy or hard to wake."


class ListItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ListItem

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        return library_image(kwargs, "image", image_alt="alt")

    article = factory.SubFactory(ArticleFactory)
    position = factory.Sequence(lambda n: n)
    heading = factory.Sequence(lambda n: f"Item {n}")
    text = "A short *explanation*."


class RelatedLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RelatedLink

    article = factory.SubFactory(ArticleFactory)
    label = "Read more"
    target_article = factory.SubFactory(ArticleFactory, published=True)


class ArticleSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArticleSource

    article = factory.SubFactory(ArticleFactory)
    position = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"Guidance page {n}")
    publisher = "NHS"
    url = factory.Sequence(lambda n: f"https://www.nhs.uk/conditions/page-{n}/")
    accessed_on = factory.LazyFunction(
        lambda: timezone.localdate() - timedelta(days=30)
    )


class ExternalLinkFactory(factory.django.DjangoModelFactory):
    """A checked, working external address."""

    class Meta:
        model = ExternalLink

    url = factory.Sequence(lambda n: f"https://www.nhs.uk/conditions/topic-{n}/")
    status_code = 200
    final_url = factory.LazyAttribute(lambda link: link.url)
    ok = True
    checked_at = factory.LazyFunction(timezone.now)


class OldAddressFactory(factory.django.DjangoModelFactory):
    """A WordPress permalink leading to a published article."""

    class Meta:
        model = OldAddress

    path = factory.Sequence(lambda n: f"/2019/05/{n % 28 + 1:02d}/old-post-{n}/")
    article = factory.SubFactory(ArticleFactory, published=True)
