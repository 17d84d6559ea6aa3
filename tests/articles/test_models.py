import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import URLResolver, get_resolver
from django.utils import timezone

from articles.models import (
    Article,
    ArticleAuthor,
    Category,
    ListItem,
    RelatedLink,
)
from cms.paths import RESERVED_SLUGS
from tests.factories import (
    ArticleFactory,
    ArticleQuoteFactory,
    AuthorFactory,
    CategoryFactory,
    ExpertFactory,
    ImageFactory,
    ListItemFactory,
    QuoteFactory,
    RelatedLinkFactory,
    TagFactory,
    image_file,
)

LONDON = ZoneInfo("Europe/London")


def errors_of(obj, **kwargs):
    """The message_dict full_clean() raises, or fail if it passes."""
    with pytest.raises(ValidationError) as excinfo:
        obj.full_clean(**kwargs)
    return excinfo.value.message_dict


def all_messages(message_dict):
    return " ".join(" ".join(messages) for messages in message_dict.values())


# Publication -----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "published_delta", "public"),
    [
        (Article.Status.DRAFT, None, False),
        (Article.Status.DRAFT, timedelta(days=-1), False),
        (Article.Status.PUBLISHED, timedelta(days=-1), True),
        (Article.Status.PUBLISHED, timedelta(minutes=-1), True),
        (Article.Status.PUBLISHED, timedelta(days=1), False),
    ],
    ids=["draft", "draft-with-date", "published", "just-published", "scheduled"],
)
def test_published_queryset_and_is_published_agree(status, published_delta, public):
    published_at = timezone.now() + published_delta if published_delta else None
    article = ArticleFactory(status=status, published_at=published_at)

    assert (article in Article.objects.published()) is public
    assert article.is_published() is public


@pytest.mark.django_db
def test_published_lists_only_public_articles():
    public = ArticleFactory(published=True)
    ArticleFactory()
    ArticleFactory(
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() + timedelta(hours=1),
    )

    assert list(Article.objects.published()) == [public]


@pytest.mark.django_db
def test_articles_are_listed_newest_first():
    older = ArticleFactory(
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - timedelta(days=3),
    )
    newer = ArticleFactory(
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - timedelta(days=1),
    )

    assert list(Article.objects.published()) == [newer, older]


@pytest.mark.django_db
def test_publishing_without_a_date_stamps_published_at_now():
    before = timezone.now()

    article = ArticleFactory(status=Article.Status.PUBLISHED, published_at=None)

    article.refresh_from_db()
    assert before <= article.published_at <= timezone.now()
    assert article.is_published()


@pytest.mark.django_db
def test_saving_again_keeps_the_original_publication_date():
    published_at = timezone.now() - timedelta(days=10)
    article = ArticleFactory(status=Article.Status.PUBLISHED, published_at=published_at)

    article.title = "Edited headline"
    article.save()

    article.refresh_from_db()
    assert article.published_at == published_at


@pytest.mark.django_db
def test_draft_is_saved_without_a_publication_date():
    article = ArticleFactory()

    article.refresh_from_db()
    assert article.published_at is None


@pytest.mark.django_db
def test_full_clean_of_a_published_article_without_date_fills_it_in():
    article = ArticleFactory.build(
        category=CategoryFactory(),
        status=Article.Status.PUBLISHED,
        published_at=None,
    )

    article.full_clean()

    assert article.published_at is not None


@pytest.mark.django_db
def test_database_refuses_published_status_without_a_date():
    article = ArticleFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(
            status=Article.Status.PUBLISHED, published_at=None
        )

    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


# Query helpers -----------------------------------------------------------------


@pytest.mark.django_db
def test_in_section_includes_the_sections_own_articles_and_its_sub_sections():
    baby = CategoryFactory(name="Baby")
    health = CategoryFactory(name="Health", parent=baby)
    toddler = CategoryFactory(name="Toddler")
    in_baby = ArticleFactory(category=baby)
    in_health = ArticleFactory(category=health)
    in_toddler = ArticleFactory(category=toddler)

    assert set(Article.objects.in_section(baby)) == {in_baby, in_health}
    assert set(Article.objects.in_section(health)) == {in_health}
    assert set(Article.objects.in_section(toddler)) == {in_toddler}


@pytest.mark.django_db
def test_by_author_lists_every_article_the_author_is_on():
    writer, other = AuthorFactory(), AuthorFactory()
    solo = ArticleFactory(authors=[writer])
    shared = ArticleFactory(authors=[other, writer])
    ArticleFactory(authors=[other])

    assert set(Article.objects.by_author(writer)) == {solo, shared}
    assert Article.objects.by_author(writer).count() == 2


@pytest.mark.django_db
def test_tagged_lists_articles_with_the_tag():
    skin, sleep = TagFactory(), TagFactory()
    tagged = ArticleFactory()
    tagged.tags.add(skin, sleep)
    other = ArticleFactory()
    other.tags.add(sleep)

    assert list(Article.objects.tagged(skin)) == [tagged]
    assert set(Article.objects.tagged(sleep)) == {tagged, other}


@pytest.mark.django_db
def test_query_helpers_chain_with_published():
    writer = AuthorFactory()
    public = ArticleFactory(published=True, authors=[writer])
    ArticleFactory(authors=[writer])

    assert list(Article.objects.published().by_author(writer)) == [public]


@pytest.mark.django_db
def test_with_related_loads_sections_and_ordered_bylines_up_front(
    django_assert_num_queries,
):
    parent = CategoryFactory(name="Baby")
    first, second = AuthorFactory(display_name="Ann"), AuthorFactory(display_name="Bea")
    for _ in range(3):
        ArticleFactory(category=CategoryFactory(parent=parent), authors=[second, first])

    with django_assert_num_queries(2):
        articles = list(Article.objects.with_related())
        sections = [str(article.category) for article in articles]
        bylines = [
            [author.display_name for author in article.byline] for article in articles
        ]

    assert all(section.startswith("Baby › ") for section in sections)
    assert bylines == [["Bea", "Ann"]] * 3


# Slugs -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_slug_must_be_unique_within_a_section():
    category = CategoryFactory()
    ArticleFactory(category=category, slug="nappy-rash")

    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(category=category, slug="nappy-rash")


@pytest.mark.django_db
def test_duplicate_slug_in_a_section_fails_validation_with_a_clear_message():
    category = CategoryFactory()
    ArticleFactory(category=category, slug="nappy-rash")
    duplicate = ArticleFactory.build(category=category, slug="nappy-rash")

    errors = errors_of(duplicate)

    assert "already exists in this section" in all_messages(errors)


@pytest.mark.django_db
def test_same_slug_is_allowed_in_another_section():
    ArticleFactory(category=CategoryFactory(), slug="nappy-rash")
    other = ArticleFactory.build(category=CategoryFactory(), slug="nappy-rash")

    other.full_clean()
    other.save()

    assert Article.objects.filter(slug="nappy-rash").count() == 2


# Hero image -----------------------------------------------------------------------


@pytest.mark.django_db
def test_hero_image_without_alt_text_fails_validation_naming_the_image():
    article = ArticleFactory.build(
        category=CategoryFactory(),
        hero_image=ImageFactory(title="Cot at night", alt="  "),
    )

    errors = errors_of(article)

    assert "hero_image" in errors
    assert "“Cot at night” has no alt text" in " ".join(errors["hero_image"])


@pytest.mark.django_db
def test_hero_reads_the_library_image_words_size_and_focal_point():
    image = ImageFactory(
        file=image_file("hero.png", size=(64, 48)),
        alt="A baby asleep in a cot",
        caption="Safe sleep",
        credit="Photo: Staff",
        focal_x=30,
        focal_y=70,
    )
    article = ArticleFactory(hero_image=image)

    article = Article.objects.with_related().get(pk=article.pk)
    assert (article.hero_image.width, article.hero_image.height) == (64, 48)
    assert article.hero_image.file.name.endswith(".png")
    assert (article.hero_alt, article.hero_caption, article.hero_credit) == (
        "A baby asleep in a cot",
        "Safe sleep",
        "Photo: Staff",
    )
    assert article.hero_focal_point == (30, 70)


@pytest.mark.django_db
def test_article_without_hero_reads_empty_words():
    article = ArticleFactory()

    assert (article.hero_alt, article.hero_caption, article.hero_credit) == ("", "", "")
    assert article.hero_focal_point == (50, 50)


# Derived content -------------------------------------------------------------------


@pytest.mark.django_db
def test_body_html_toc_and_word_count_are_computed_at_save():
    article = ArticleFactory(
        body="## Symptoms\n\nRed *spots* appear.\n\n## Treatment\n\nUse cream."
    )

    article.refresh_from_db()
    assert '<h2 id="symptoms">Symptoms</h2>' in article.body_html
    assert "<em>spots</em>" in article.body_html
    assert article.toc == [
        {"id": "symptoms", "title": "Symptoms"},
        {"id": "treatment", "title": "Treatment"},
    ]
    assert article.word_count == 7


@pytest.mark.django_db
def test_body_html_follows_an_edited_body():
    article = ArticleFactory(body="## Old\n\nOld text.")

    article.body = "## New\n\nNew text <script>alert(1)</script>"
    article.save()

    article.refresh_from_db()
    assert "Old" not in article.body_html
    assert "<script" not in article.body_html
    assert article.toc == [{"id": "new", "title": "New"}]


@pytest.mark.parametrize(
    ("word_count", "minutes"),
    [(0, 1), (50, 1), (200, 1), (350, 2), (1000, 5), (2150, 11)],
)
def test_reading_time_is_minutes_at_200_words_a_minute_and_at_least_one(
    word_count, minutes
):
    assert Article(word_count=word_count).reading_time == minutes


def test_meta_title_defaults_to_the_headline():
    assert Article(title="Nappy rash").meta_title == "Nappy rash"


def test_meta_title_uses_the_seo_title_when_set():
    article = Article(title="Nappy rash", seo_title="Nappy rash: causes and cures")

    assert article.meta_title == "Nappy rash: causes and cures"


def test_meta_description_defaults_to_the_standfirst():
    assert Article(standfirst="What it is.").meta_description == "What it is."


def test_meta_description_default_is_cut_to_160_characters():
    article = Article(standfirst="word " * 80)

    assert len(article.meta_description) <= 160
    assert article.meta_description.endswith("…")


def test_meta_description_uses_the_seo_description_when_set():
    article = Article(standfirst="What it is.", seo_description="For search.")

    assert article.meta_description == "For search."


def test_show_updated_when_updated_on_a_later_day():
    published = datetime(2026, 3, 1, 9, 0, tzinfo=LONDON)

    article = Article(published_at=published, updated_at=published + timedelta(days=2))

    assert article.show_updated is True


@pytest.mark.parametrize(
    "updated_at",
    [None, datetime(2026, 3, 1, 17, 0, tzinfo=LONDON)],
    ids=["never-updated", "same-day"],
)
def test_show_updated_is_false_without_a_later_day(updated_at):
    article = Article(
        published_at=datetime(2026, 3, 1, 9, 0, tzinfo=LONDON), updated_at=updated_at
    )

    assert article.show_updated is False


def test_show_updated_is_false_for_an_unpublished_article():
    article = Article(updated_at=timezone.now())

    assert article.show_updated is False


def test_show_updated_compares_the_dates_readers_see():
    """Published 00:30 and updated 10:00 on 1 June in London is one day, not two."""
    article = Article(
        published_at=datetime(2026, 6, 1, 0, 30, tzinfo=LONDON).astimezone(
            ZoneInfo("UTC")
        ),
        updated_at=datetime(2026, 6, 1, 10, 0, tzinfo=LONDON).astimezone(
            ZoneInfo("UTC")
        ),
    )

    assert article.show_updated is False


@pytest.mark.django_db
def test_article_str_and_url():
    article = ArticleFactory(
        title="Nappy rash",
        slug="nappy-rash",
        category=CategoryFactory(slug="baby"),
    )

    assert str(article) == "Nappy rash"
    assert article.get_absolute_url() == "/baby/nappy-rash/"


# Categories ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["admin", "search", "tags", "authors", "experts"])
def test_reserved_category_slug_fails_validation_naming_the_slug(slug):
    category = Category(name="Sneaky", slug=slug)

    errors = errors_of(category)

    assert "slug" in errors
    assert f"“{slug}”" in " ".join(errors["slug"])


@pytest.mark.django_db
def test_reserved_category_slug_check_ignores_case():
    errors = errors_of(Category(name="Sneaky", slug="Admin"))

    assert "slug" in errors


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["admin", "health", "markdownx", "tags"])
def test_database_refuses_a_reserved_category_slug(slug):
    with pytest.raises(IntegrityError), transaction.atomic():
        Category.objects.create(name="Sneaky", slug=slug)


@pytest.mark.django_db
def test_ordinary_category_slug_is_accepted():
    category = Category(name="Baby", slug="baby")

    category.full_clean()


def _first_segments(patterns):
    """The literal first path segment of every URL pattern, following '' includes."""
    segments = set()
    for pattern in patterns:
        route = str(pattern.pattern)
        first = route.lstrip("^").split("/")[0]
        if not first and isinstance(pattern, URLResolver):
            segments |= _first_segments(pattern.url_patterns)
        elif first and not first.startswith("<"):
            segments.add(first)
    return segments


def test_every_top_level_url_path_is_a_reserved_slug():
    segments = _first_segments(get_resolver().url_patterns)

    assert {"admin", "markdownx", "health", "experts", "authors", "tags"} <= segments
    assert segments - RESERVED_SLUGS == set()


def test_reserved_slugs_are_all_lower_case():
    assert all(slug == slug.lower() for slug in RESERVED_SLUGS)


@pytest.mark.django_db
def test_sub_section_str_shows_its_parent():
    health = CategoryFactory(name="Health", parent=CategoryFactory(name="Baby"))

    assert str(health) == "Baby › Health"
    assert str(health.parent) == "Baby"


@pytest.mark.django_db
def test_sub_section_may_not_have_sub_sections():
    baby = CategoryFactory(name="Baby")
    health = CategoryFactory(name="Health", parent=baby)
    too_deep = Category(name="Skin", slug="skin", parent=health)

    errors = errors_of(too_deep)

    assert "one level" in " ".join(errors["parent"])


@pytest.mark.django_db
def test_section_cannot_be_its_own_parent():
    baby = CategoryFactory(name="Baby")
    baby.parent = baby

    errors = errors_of(baby)

    assert "its own parent" in " ".join(errors["parent"])


@pytest.mark.django_db
def test_section_with_sub_sections_cannot_become_a_sub_section():
    baby = CategoryFactory(name="Baby")
    CategoryFactory(name="Health", parent=baby)
    baby.parent = CategoryFactory(name="Family")

    errors = errors_of(baby)

    assert "sub-sections" in " ".join(errors["parent"])


@pytest.mark.django_db
def test_category_url_is_its_slug():
    assert CategoryFactory(slug="baby").get_absolute_url() == "/baby/"


# Related links ------------------------------------------------------------------------


@pytest.mark.django_db
def test_related_link_to_an_article_is_valid():
    link = RelatedLinkFactory.build(
        article=ArticleFactory(), target_article=ArticleFactory(published=True)
    )

    link.full_clean()


@pytest.mark.django_db
def test_related_link_with_both_article_and_url_fails_validation():
    link = RelatedLinkFactory.build(
        article=ArticleFactory(),
        target_article=ArticleFactory(),
        url="https://nhs.uk/",
        title="NHS",
    )

    errors = errors_of(link)

    assert "not both" in all_messages(errors)


@pytest.mark.django_db
def test_related_link_with_neither_article_nor_url_fails_validation():
    link = RelatedLink(article=ArticleFactory(), label="Read more")

    errors = errors_of(link)

    assert "Choose an article or enter an external address" in all_messages(errors)


@pytest.mark.django_db
@pytest.mark.parametrize("both", [True, False], ids=["both", "neither"])
def test_database_refuses_a_related_link_without_exactly_one_target(both):
    article = ArticleFactory()
    extra = (
        {"target_article": ArticleFactory(), "url": "https://nhs.uk/"} if both else {}
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        RelatedLink.objects.create(article=article, title="NHS", **extra)


@pytest.mark.django_db
def test_related_link_cannot_target_its_own_article():
    article = ArticleFactory()
    link = RelatedLink(article=article, target_article=article)

    errors = errors_of(link)

    assert "cannot link to itself" in " ".join(errors["target_article"])


@pytest.mark.django_db
def test_database_refuses_a_related_link_to_its_own_article():
    article = ArticleFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        RelatedLink.objects.create(article=article, target_article=article)


@pytest.mark.django_db
def test_external_related_link_needs_a_title():
    link = RelatedLink(article=ArticleFactory(), url="https://www.nhs.uk/", title="")

    errors = errors_of(link)

    assert "title" in errors


@pytest.mark.django_db
def test_external_related_link_with_a_title_is_valid():
    link = RelatedLink(
        article=ArticleFactory(), url="https://www.nhs.uk/", title="NHS advice"
    )

    link.full_clean()


@pytest.mark.django_db
def test_internal_related_link_points_at_the_article_with_its_headline():
    target = ArticleFactory(
        published=True,
        title="Cradle cap",
        slug="cradle-cap",
        category=CategoryFactory(slug="baby"),
    )
    link = RelatedLinkFactory(target_article=target)

    assert link.link_url == "/baby/cradle-cap/"
    assert link.link_title == "Cradle cap"
    assert link.is_external is False
    assert str(link) == "Read more: Cradle cap"


@pytest.mark.django_db
def test_internal_related_link_title_overrides_the_headline():
    link = RelatedLinkFactory(title="All about cradle cap")

    assert link.link_title == "All about cradle cap"


@pytest.mark.django_db
def test_external_related_link_points_at_its_url():
    link = RelatedLinkFactory(
        target_article=None, url="https://www.nhs.uk/", title="NHS advice"
    )

    assert link.link_url == "https://www.nhs.uk/"
    assert link.link_title == "NHS advice"
    assert link.is_external is True


@pytest.mark.django_db
def test_public_related_links_skip_links_to_unpublished_articles():
    article = ArticleFactory(published=True)
    public = RelatedLinkFactory(article=article, position=0)
    RelatedLinkFactory(article=article, target_article=ArticleFactory(), position=1)
    RelatedLinkFactory(
        article=article,
        target_article=ArticleFactory(
            status=Article.Status.PUBLISHED,
            published_at=timezone.now() + timedelta(days=1),
        ),
        position=2,
    )
    external = RelatedLinkFactory(
        article=article,
        target_article=None,
        url="https://www.nhs.uk/",
        title="NHS advice",
        position=3,
    )

    assert article.public_related_links() == [public, external]


# List items and bylines -------------------------------------------------------------


@pytest.mark.django_db
def test_list_item_image_without_alt_text_fails_validation():
    item = ListItemFactory.build(article=ArticleFactory(), image=ImageFactory(alt=""))

    errors = errors_of(item)

    assert "image" in errors
    assert "has no alt text" in " ".join(errors["image"])


@pytest.mark.django_db
def test_list_item_with_a_library_image_reads_its_alt_and_stores_html():
    item = ListItemFactory(
        image=ImageFactory(file=image_file("item.png", size=(20, 10)), alt="Scales"),
        text="Gentle **brushing** helps.",
    )

    item.refresh_from_db()
    assert (item.image.width, item.image.height) == (20, 10)
    assert item.image_alt == "Scales"
    assert "<strong>brushing</strong>" in item.text_html


@pytest.mark.django_db
def test_list_items_come_in_position_order():
    article = ArticleFactory()
    second = ListItemFactory(article=article, position=2)
    first = ListItemFactory(article=article, position=1)

    assert list(article.list_items.all()) == [first, second]
    assert isinstance(first, ListItem)


@pytest.mark.django_db
def test_an_author_can_be_on_an_article_only_once():
    writer = AuthorFactory()
    article = ArticleFactory(authors=[writer])

    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleAuthor.objects.create(article=article, author=writer, position=1)


@pytest.mark.django_db
def test_byline_follows_position_order():
    ann, bea = AuthorFactory(display_name="Ann"), AuthorFactory(display_name="Bea")
    article = ArticleFactory(authors=[])
    ArticleAuthor.objects.create(article=article, author=ann, position=2)
    ArticleAuthor.objects.create(article=article, author=bea, position=1)

    assert article.byline == [bea, ann]


# Placed quotes ---------------------------------------------------------------------


@pytest.mark.django_db
def test_body_for_page_renders_a_placed_quote_as_a_captioned_figure():
    expert = ExpertFactory(
        honorific="Dr",
        name="Amara Okafor",
        slug="amara-okafor",
        job_title="Consultant Paediatrician",
        organisation="Riverside Hospital",
    )
    quote = QuoteFactory(expert=expert, text="Most rashes settle on their own.")
    article = ArticleFactory(body=f"Intro.\n\n[[quote:{quote.pk}]]\n\nOutro.")
    ArticleQuoteFactory(article=article, quote=quote)

    html = str(article.body_for_page())

    figure = re.search(r"<figure.*?</figure>", html, re.S)
    assert figure, html
    figure = figure.group(0)
    assert re.search(
        r"<blockquote>.*Most rashes settle on their own\..*</blockquote>", figure, re.S
    )
    caption = re.search(r"<figcaption>(.*?)</figcaption>", figure, re.S).group(1)
    assert "Dr Amara Okafor" in caption
    assert "Consultant Paediatrician" in caption
    assert "Riverside Hospital" in caption
    assert 'href="/experts/amara-okafor/"' in caption
    assert html.index("Intro.") < html.index("<figure") < html.index("Outro.")
    assert "cms-block" not in html


@pytest.mark.django_db
def test_body_for_page_shows_the_quotes_current_wording():
    quote = QuoteFactory(text="Old wording.")
    article = ArticleFactory(body=f"[[quote:{quote.pk}]]")
    ArticleQuoteFactory(article=article, quote=quote)

    quote.text = "Approved new wording."
    quote.save()

    html = str(Article.objects.get(pk=article.pk).body_for_page())
    assert "Approved new wording." in html
    assert "Old wording." not in html


@pytest.mark.django_db
def test_body_for_page_drops_a_placed_quote_not_in_the_articles_list():
    stray = QuoteFactory(text="Not chosen for this article.")
    article = ArticleFactory(body=f"Intro.\n\n[[quote:{stray.pk}]]\n\nOutro.")

    html = str(article.body_for_page())

    assert "Not chosen" not in html
    assert "<figure" not in html
    assert "cms-block" not in html
    assert "Intro." in html and "Outro." in html


@pytest.mark.django_db
def test_body_for_page_escapes_expert_details():
    quote = QuoteFactory(expert__name="<b>Eve</b> Mallory", expert__job_title="")
    article = ArticleFactory(body=f"[[quote:{quote.pk}]]")
    ArticleQuoteFactory(article=article, quote=quote)

    html = str(article.body_for_page())

    assert "<b>Eve</b>" not in html
    assert "&lt;b&gt;Eve&lt;/b&gt;" in html


@pytest.mark.django_db
def test_inactive_author_cannot_join_a_byline_but_keeps_existing_ones():
    author = AuthorFactory()
    article = ArticleFactory(authors=[author])
    author.is_active = False
    author.save()

    with pytest.raises(ValidationError) as excinfo:
        ArticleAuthor(article=ArticleFactory(authors=[]), author=author).full_clean()
    assert "inactive" in str(excinfo.value)
    article.article_authors.get().full_clean()
