from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from articles.models import Article
from tests.factories import (
    ArticleFactory,
    CategoryFactory,
    RelatedLinkFactory,
    TagFactory,
    image_file,
)

pytestmark = pytest.mark.django_db


def ago(days=0, hours=0):
    return timezone.now() - timedelta(days=days, hours=hours)


def tagged(*tags, **kwargs):
    article = ArticleFactory(published=True, **kwargs)
    article.tags.add(*tags)
    return article


def titles(items):
    return [item.title for item in items]


@pytest.fixture
def subject():
    """A published article in its own section with two tags."""
    article = ArticleFactory(
        published=True, title="Newborn rashes", category=CategoryFactory()
    )
    article.tags.add(TagFactory(name="Skin"), TagFactory(name="Newborn"))
    return article


def page_items(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    aside = BeautifulSoup(html, "html.parser").select_one("aside.related")
    return aside.select("li") if aside else []


# The queryset method


def test_related_to_ranks_shared_tags_then_section_then_newest(subject):
    skin, newborn = subject.tags.all()
    both_tags = tagged(skin, newborn, title="Both tags", published_at=ago(days=30))
    one_tag_old = tagged(skin, title="One tag, old", published_at=ago(days=20))
    one_tag_new = tagged(newborn, title="One tag, new", published_at=ago(days=1))
    one_tag_same_section = tagged(
        skin,
        title="One tag, same section",
        category=subject.category,
        published_at=ago(days=40),
    )
    section_new = ArticleFactory(
        published=True, category=subject.category, published_at=ago(days=2)
    )
    section_old = ArticleFactory(
        published=True, category=subject.category, published_at=ago(days=9)
    )
    ArticleFactory(published=True, title="Nothing in common")

    related = list(Article.objects.published().related_to(subject))

    assert related == [
        both_tags,
        one_tag_same_section,
        one_tag_new,
        one_tag_old,
        section_new,
        section_old,
    ]
    assert related[0].shared_tags == 2


def test_related_to_never_returns_the_article_itself_or_excluded_ones(subject):
    skin = subject.tags.first()
    kept = tagged(skin)
    left_out = tagged(skin)
    related = Article.objects.published().related_to(subject, exclude_ids={left_out.pk})
    assert list(related) == [kept]


@pytest.mark.parametrize(
    "state",
    [
        {"status": Article.Status.DRAFT},
        {"status": Article.Status.IN_REVIEW},
        {"status": Article.Status.UNPUBLISHED, "published_at": ago(days=3)},
        {"published": True, "published_at": timezone.now() + timedelta(days=1)},
        {"published": True, "published_at": ago(days=2), "expires_at": ago(hours=1)},
    ],
    ids=["draft", "in-review", "unpublished", "scheduled", "expired"],
)
def test_related_to_on_published_leaves_out_articles_not_public(subject, state):
    hidden = ArticleFactory(category=subject.category, **state)
    hidden.tags.add(*subject.tags.all())
    assert list(Article.objects.published().related_to(subject)) == []


def test_related_to_respects_the_limit(subject):
    for _ in range(5):
        ArticleFactory(published=True, category=subject.category)
    assert len(Article.objects.published().related_to(subject, limit=3)) == 3


def test_related_to_an_article_without_tags_uses_its_section():
    article = ArticleFactory(published=True)
    same_section = ArticleFactory(published=True, category=article.category)
    tagged(TagFactory())
    assert list(Article.objects.published().related_to(article)) == [same_section]


def test_related_to_ranks_a_bounded_candidate_set_by_the_same_rule(
    subject, monkeypatch, django_assert_num_queries
):
    """Only the newest few of each tag are ranked: an older article sharing both
    tags still comes first, as it is among the newest of its rarer tag."""
    monkeypatch.setattr("articles.models.article.RELATED_CANDIDATES", 2)
    skin, newborn = subject.tags.all()
    both_tags = tagged(skin, newborn, title="Both tags", published_at=ago(days=30))
    newest = [tagged(skin, published_at=ago(days=n)) for n in (1, 2, 3)]

    with django_assert_num_queries(2):  # the subject's tags, then the ranking
        related = list(Article.objects.published().related_to(subject, limit=3))

    assert related == [both_tags, newest[0], newest[1]]


# The block's items


def test_curated_links_come_first_and_the_rest_fills_automatically(subject):
    first = ArticleFactory(published=True, title="Curated first")
    RelatedLinkFactory(article=subject, target_article=first, label="Now read")
    RelatedLinkFactory(
        article=subject,
        target_article=None,
        url="https://www.nhs.uk/conditions/rashes/",
        title="NHS: rashes",
    )
    newest = tagged(*subject.tags.all(), title="Auto 1")
    older = tagged(subject.tags.first(), title="Auto 2", published_at=ago(days=5))
    tagged(subject.tags.first(), title="Auto 3", published_at=ago(days=6))

    items = subject.related_content

    assert titles(items) == ["Curated first", "NHS: rashes", "Auto 1", "Auto 2"]
    assert [item.label for item in items] == [
        "Now read",
        "Read more",
        "Read more",
        "Read more",
    ]
    assert [item.is_automatic for item in items] == [False, False, True, True]
    assert items[1].is_external and items[1].article is None
    assert items[2].article == newest and items[3].article == older
    assert items[2].url == newest.get_absolute_url()


def test_enough_curated_links_need_no_automatic_fill(
    subject, settings, django_assert_num_queries
):
    settings.CMS_RELATED_COUNT = 2
    for _ in range(2):
        RelatedLinkFactory(article=subject)
    tagged(*subject.tags.all())
    article = Article.objects.for_page().get(pk=subject.pk)
    with django_assert_num_queries(0):
        items = article.related_content
    assert not any(item.is_automatic for item in items)


def test_more_curated_links_than_the_count_are_all_shown(subject, settings):
    settings.CMS_RELATED_COUNT = 2
    for _ in range(3):
        RelatedLinkFactory(article=subject)
    assert len(subject.related_content) == 3


def test_count_setting_is_respected(subject, settings):
    for _ in range(8):
        ArticleFactory(published=True, category=subject.category)
    assert len(subject.related_content) == 4
    settings.CMS_RELATED_COUNT = 6
    del subject.related_content  # worked out once per page
    assert len(subject.related_content) == 6


def test_automatic_fill_never_duplicates_a_curated_article(subject):
    curated = tagged(*subject.tags.all(), title="Best match")
    RelatedLinkFactory(article=subject, target_article=curated)
    other = tagged(subject.tags.first(), title="Second best")
    items = subject.related_content
    assert titles(items) == ["Best match", "Second best"]
    assert [item.article for item in items] == [curated, other]


def test_curated_link_to_an_unpublished_article_is_skipped(subject):
    gone = tagged(*subject.tags.all(), title="Withdrawn advice")
    RelatedLinkFactory(article=subject, target_article=gone)
    gone.status = Article.Status.UNPUBLISHED
    gone.save()
    scheduled = ArticleFactory(
        published=True,
        title="Coming soon",
        published_at=timezone.now() + timedelta(days=1),
    )
    RelatedLinkFactory(article=subject, target_article=scheduled)
    assert subject.related_content == []


def test_a_draft_never_fills_the_block(subject):
    ArticleFactory(category=subject.category, title="Draft in the same section")
    assert subject.related_content == []


# The page


def test_page_shows_title_image_and_standfirst_of_each_item(client, subject):
    target = ArticleFactory(
        published=True,
        title="Nappy rash guide",
        standfirst="The three types and how to treat them.",
        hero_image=image_file("nappy.png", size=(120, 90)),
        hero_alt="A baby's nappy",
    )
    RelatedLinkFactory(article=subject, target_article=target, label="Now read")
    automatic = tagged(
        *subject.tags.all(), title="Heat rash", standfirst="Tiny red spots."
    )

    first, second = page_items(client, subject)

    assert first.select_one(".related-label").get_text() == "Now read:"
    link = first.select_one("a")
    assert (link.get_text(), link["href"]) == (
        "Nappy rash guide",
        target.get_absolute_url(),
    )
    image = first.select_one("img")
    assert image["alt"] == ""
    assert image["width"].isdigit() and image["height"].isdigit()
    assert first.select_one("p").get_text() == "The three types and how to treat them."

    assert second.select_one("a")["href"] == automatic.get_absolute_url()
    assert second.select_one("p").get_text() == "Tiny red spots."
    assert second.select_one("img") is None
    assert "related-automatic" in second["class"]


def test_page_without_related_content_has_no_block(client):
    article = ArticleFactory(published=True)
    assert page_items(client, article) == []


@pytest.mark.parametrize("curated", [1, 10])
def test_page_query_count_does_not_grow_with_related_items(
    client, settings, django_assert_num_queries, subject, curated
):
    # More than the curated links, so the automatic fill runs in both cases.
    settings.CMS_RELATED_COUNT = 20
    for _ in range(curated):
        RelatedLinkFactory(article=subject)
    for _ in range(10):
        tagged(subject.tags.first(), hero_image=image_file(), hero_alt="A baby")
    # The first view renders the page: 10 for the article, its parts and the
    # automatic fill, the rest to store it; every later view reads it in one.
    with django_assert_num_queries(16):
        items = page_items(client, subject)
    with django_assert_num_queries(1):
        assert page_items(client, subject) == items
    assert len(items) == curated + 10
