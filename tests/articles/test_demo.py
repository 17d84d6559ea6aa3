import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.demo.content import FLAGSHIP
from articles.models import (
    Article,
    ArticleAuthor,
    ArticleQuote,
    Author,
    AuthorLink,
    Category,
    ListItem,
    RelatedLink,
    Tag,
)
from cms.markdown import block_refs
from experts.models import Expert, Quote

MODELS = [
    Article,
    ArticleAuthor,
    ArticleQuote,
    ListItem,
    RelatedLink,
    Author,
    AuthorLink,
    Expert,
    Quote,
    Category,
    Tag,
]


def media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def demo(db):
    call_command("load_demo_content", stdout=io.StringIO())


@pytest.fixture
def flagship(demo):
    category_slug, slug = FLAGSHIP
    return Article.objects.for_page().get(category__slug=category_slug, slug=slug)


@pytest.mark.slow
@pytest.mark.django_db
def test_loading_twice_changes_no_rows_and_adds_no_files():
    call_command("load_demo_content", stdout=io.StringIO())
    first_counts, first_files = row_counts(), media_files()

    out = io.StringIO()
    call_command("load_demo_content", stdout=out)

    assert row_counts() == first_counts
    assert media_files() == first_files
    assert all(count > 0 for count in first_counts.values())
    assert "0 rows created" in out.getvalue()
    assert "0 images drawn" in out.getvalue()


def test_flagship_has_the_reference_shape(flagship):
    assert flagship.is_published()
    assert flagship.category.parent.slug == "baby"
    assert len(flagship.toc) >= 9
    assert flagship.hero_image and flagship.hero_alt.startswith("Illustration:")
    assert flagship.standfirst and flagship.list_heading
    assert 2 <= flagship.tags.count() <= 4
    assert flagship.seo_title == flagship.seo_description == ""


def test_flagship_places_quotes_from_three_experts_all_in_its_quote_list(flagship):
    placed = block_refs(flagship.body_html, "quote")
    listed = {row.quote_id for row in flagship.article_quotes.all()}
    experts = set(
        Quote.objects.filter(pk__in=placed).values_list("expert_id", flat=True)
    )

    assert len(placed) >= 5
    assert set(placed) <= listed
    assert len(experts) >= 3
    assert Expert.objects.filter(pk__in=experts, honorific="Dr").exists()


def test_flagship_has_eleven_illustrated_list_items(flagship):
    items = list(flagship.list_items.all())

    assert [item.position for item in items] == list(range(1, 12))
    for item in items:
        assert item.heading and item.text_html
        assert item.image and item.image_width and item.image_alt.strip()


def test_flagship_links_to_other_published_demo_articles(flagship):
    others = {
        article.get_absolute_url()
        for article in Article.objects.published().exclude(pk=flagship.pk)
    }
    hrefs = re.findall(r'href="([^"]+)"', flagship.body_html)

    assert len({href for href in hrefs if href in others}) >= 3
    assert len(flagship.related_links.all()) >= 4
    assert any(link.is_external for link in flagship.related_links.all())
    assert all(
        link.link_url in others
        for link in flagship.related_links.all()
        if not link.is_external
    )


def test_flagship_writer_is_a_digital_writer_with_a_bio(flagship):
    (author,) = flagship.byline
    assert author.job_title == "Digital Writer"
    assert author.bio_html.count("<p>") == 2
    assert author.links.exists()


def test_site_has_other_published_articles_and_a_draft(flagship):
    others = Article.objects.published().exclude(pk=flagship.pk)

    assert others.count() >= 6
    assert others.values("category").distinct().count() >= 2
    assert Article.objects.filter(status=Article.Status.DRAFT).exists()
    for article in others:
        assert 3 <= len(article.toc) <= 5
        assert article.standfirst and article.hero_image and article.hero_alt
        assert article.tags.exists() and article.article_authors.count() == 1


def test_every_placed_quote_in_demo_articles_is_listed(demo):
    for article in Article.objects.prefetch_related("article_quotes"):
        listed = {row.quote_id for row in article.article_quotes.all()}
        assert set(block_refs(article.body_html, "quote")) == listed


def test_demo_people_are_complete(demo):
    assert Author.objects.count() >= 2
    assert Expert.objects.count() >= 3
    assert Quote.objects.count() >= 6
    for expert in Expert.objects.all():
        assert expert.job_title and expert.organisation and expert.credentials
        assert expert.bio_html and expert.photo


def test_ensure_demo_editor_refuses_without_debug(db, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("ensure_demo_editor", stdout=io.StringIO())

    assert not get_user_model().objects.filter(username="editor").exists()


def test_ensure_demo_editor_prints_a_working_login(db, settings):
    settings.DEBUG = True
    out = io.StringIO()

    call_command("ensure_demo_editor", stdout=out)

    output = out.getvalue()
    assert "username: editor" in output
    password = re.search(r"password: (\S+)", output)[1]
    user = authenticate(username="editor", password=password)
    assert user is not None
    assert user.is_staff and not user.is_superuser
    assert user.has_perm("articles.add_article")
    assert user.has_perm("experts.delete_quote")
    assert not user.has_perm("auth.add_user")


def test_ensure_demo_editor_twice_keeps_one_user_with_the_new_password(db, settings):
    settings.DEBUG = True
    call_command("ensure_demo_editor", stdout=io.StringIO())
    out = io.StringIO()

    call_command("ensure_demo_editor", stdout=out)

    password = re.search(r"password: (\S+)", out.getvalue())[1]
    assert get_user_model().objects.filter(username="editor").count() == 1
    assert authenticate(username="editor", password=password) is not None


def test_demo_editor_can_open_the_add_article_page(db, settings, client):
    settings.DEBUG = True
    call_command("ensure_demo_editor", stdout=io.StringIO())
    client.force_login(get_user_model().objects.get(username="editor"))

    response = client.get("/admin/articles/article/add/")

    assert response.status_code == 200
