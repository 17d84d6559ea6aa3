import io
import re
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import HttpRequest

from articles.demo.content import FLAGSHIP
from articles.models import (
    Article,
    ArticleAuthor,
    ArticleQuote,
    ArticleReference,
    ArticleSource,
    Author,
    AuthorLink,
    Callout,
    Category,
    ListItem,
    RelatedLink,
    Tag,
)
from articles.models.review import add_months
from cms.markdown import block_refs
from cms.models import Image as LibraryImage
from experts.models import Expert, Quote

MODELS = [
    Article,
    ArticleAuthor,
    ArticleQuote,
    ArticleReference,
    Callout,
    ListItem,
    RelatedLink,
    ArticleSource,
    Author,
    AuthorLink,
    Expert,
    Quote,
    Category,
    Tag,
]


AUTHOR_SLUG = "esme-dalgleish"


def media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def flagship(demo):
    category_slug, slug = FLAGSHIP
    return Article.objects.for_page().get(category__slug=category_slug, slug=slug)


def load(**options) -> str:
    out = io.StringIO()
    call_command("load_demo_content", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what waits for the commit (writing image files) when the test's block ends;
    renditions are left out: they are tested with the images."""
    with (
        mock.patch("cms.images.generate_renditions"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        yield


@pytest.mark.django_db
def test_image_files_are_written_once_the_load_commits(
    settings, django_capture_on_commit_callbacks
):
    with (
        mock.patch("cms.images.generate_renditions"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        load()
        assert media_files() == []
    files = media_files()

    # One file per library image, each written once: heroes, list items, portraits
    # and the flagship's body figures all pick from the library.
    assert len(files) == LibraryImage.objects.count()
    for article in Article.objects.all():
        assert (Path(settings.MEDIA_ROOT) / article.hero_image.file.name).is_file()


@pytest.mark.django_db
def test_a_second_load_creates_nothing_and_writes_no_file(committed):
    load()
    counts, files = row_counts(), media_files()

    output = load()

    assert row_counts() == counts and all(counts.values())
    assert media_files() == files
    assert "0 rows created, 0 restored, 0 removed, 0 images drawn" in output


@pytest.mark.django_db
def test_a_failed_load_leaves_no_rows_and_no_files(committed):
    with (
        mock.patch(
            "articles.demo.loader._write_parts", side_effect=RuntimeError("power cut")
        ),
        pytest.raises(RuntimeError),
    ):
        load()

    assert not any(row_counts().values())
    assert media_files() == []


@pytest.mark.django_db
def test_loading_after_rows_were_deleted_makes_no_renamed_copies(committed):
    load()
    author = Author.objects.get(slug=AUTHOR_SLUG)
    name = author.photo.file.name
    ArticleAuthor.objects.filter(author=author).delete()
    author.delete()

    load()

    assert Author.objects.get(slug=AUTHOR_SLUG).photo.file.name == name
    assert not [path for path in media_files() if "_" in path.stem]


def test_content_someone_edited_is_left_alone(demo):
    flagship = Article.objects.get(slug=FLAGSHIP[1])
    Article.objects.filter(pk=flagship.pk).update(title="Our own headline")
    flagship.list_items.order_by("position").first().delete()
    quote = Quote.objects.first()
    Quote.objects.filter(pk=quote.pk).update(text="Words as the expert said them.")
    before = row_counts()

    output = load()

    flagship.refresh_from_db()
    assert flagship.title == "Our own headline"
    assert flagship.list_items.count() == 10
    assert Quote.objects.get(pk=quote.pk).text == "Words as the expert said them."
    assert row_counts()["ListItem"] == before["ListItem"]
    assert "0 rows created" in output


def test_what_is_missing_is_created_again(demo):
    Tag.objects.filter(slug="skin").delete()

    output = load()

    assert Tag.objects.filter(slug="skin").exists()
    assert "1 rows created" in output


def test_reset_restores_edited_content_after_confirmation(demo, settings):
    settings.DEBUG = True
    flagship = Article.objects.get(slug=FLAGSHIP[1])
    Article.objects.filter(pk=flagship.pk).update(title="Our own headline")
    flagship.list_items.order_by("position").first().delete()

    with mock.patch("builtins.input", return_value="yes"):
        load(reset=True)

    flagship.refresh_from_db()
    assert flagship.title != "Our own headline"
    assert flagship.list_items.count() == 11


def test_reset_answered_no_changes_nothing(demo, settings):
    settings.DEBUG = True
    Article.objects.filter(slug=FLAGSHIP[1]).update(title="Our own headline")

    with (
        mock.patch("builtins.input", return_value="no"),
        pytest.raises(CommandError, match="cancelled"),
    ):
        load(reset=True)

    assert Article.objects.get(slug=FLAGSHIP[1]).title == "Our own headline"


def test_reset_is_refused_with_debug_off(demo, settings):
    settings.DEBUG = False
    Article.objects.filter(slug=FLAGSHIP[1]).update(title="Our own headline")

    with pytest.raises(CommandError, match="DEBUG is off"):
        load(reset=True, interactive=False)

    assert Article.objects.get(slug=FLAGSHIP[1]).title == "Our own headline"


def test_demo_links_between_articles_by_reference_throughout(demo):
    for article in Article.objects.all():
        texts = [article.body] + [item.text for item in article.list_items.all()]
        for text in texts:
            assert "](/" not in text, article.slug


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
        assert item.image and item.image.width and item.image_alt.strip()


def test_flagship_links_to_other_published_demo_articles(flagship):
    others = {
        article.get_absolute_url()
        for article in Article.objects.published().exclude(pk=flagship.pk)
    }
    hrefs = re.findall(r'href="([^"]+)"', str(flagship.body_for_page()))

    assert len({href for href in hrefs if href in others}) >= 3
    # Linked by reference, not by pasted address.
    assert len(list(flagship.body_references.links())) >= 3
    assert not set(re.findall(r'href="([^"]+)"', flagship.body_html)) & others
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


def test_flagship_is_medically_reviewed_by_one_of_its_experts(flagship):
    quoted = {row.quote.expert for row in flagship.article_quotes.all()}

    assert flagship.reviewed_by in quoted
    assert flagship.reviewed_by.honorific == "Dr"
    assert flagship.reviewed_at <= flagship.published_at.date()
    assert flagship.review_is_current
    assert flagship.next_review_at == add_months(flagship.reviewed_at, 12)


def test_flagship_cites_three_or_four_dated_sources_from_health_bodies(flagship):
    sources = list(flagship.sources.all())

    assert 3 <= len(sources) <= 4
    assert [source.position for source in sources] == list(range(1, len(sources) + 1))
    hosts = {source.url.split("/")[2] for source in sources}
    assert {"www.nhs.uk", "www.nice.org.uk", "www.bad.org.uk"} <= hosts
    for source in sources:
        assert source.url.startswith("https://")
        assert source.title and source.publisher and source.dated_on
        assert source.dated_on <= flagship.published_at.date()


def test_every_article_in_the_clinical_section_has_a_current_review(demo):
    health = Category.objects.get(slug="baby-health")
    published = Article.objects.published().in_section(health)

    assert health.requires_medical_review
    assert published.count() >= 5
    for article in published.select_related("reviewed_by", "category"):
        assert article.is_medically_reviewed, article.slug
        assert article.review_is_current, article.slug
        assert article.reviewed_at <= article.published_at.date()
    assert not Article.objects.review_out_of_date().exists()


def test_articles_outside_the_clinical_section_are_not_reviewed(demo):
    others = Article.objects.exclude(category__slug="baby-health")

    assert others.exists()
    assert not others.filter(reviewed_by__isnull=False).exists()
    assert not Category.objects.exclude(slug="baby-health").filter(
        requires_medical_review=True
    )


def test_flagship_page_shows_its_review_and_sources(client, flagship):
    html = client.get(flagship.get_absolute_url()).content.decode()

    assert "Medically reviewed by <a" in html
    assert 'href="https://www.nhs.uk/conditions/"' in html
    assert '"@type": "MedicalWebPage"' in html


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


DEMO_USERNAMES = ["editor", "writer", "admin"]


def demo_logins(settings) -> dict[str, str]:
    """Run ensure_demo_editor; the printed username → password pairs."""
    settings.DEBUG = True
    out = io.StringIO()
    call_command("ensure_demo_editor", stdout=out)
    return dict(re.findall(r"username: (\S+)\n\s+password: (\S+)", out.getvalue()))


def test_ensure_demo_editor_refuses_without_debug(db, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("ensure_demo_editor", stdout=io.StringIO())

    assert not get_user_model().objects.filter(username__in=DEMO_USERNAMES).exists()


def test_ensure_demo_editor_points_at_the_api_docs(db, settings, client):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("ensure_demo_editor", "--site-url", "http://testserver", stdout=out)

    address = re.search(r"content API and its docs: (\S+)", out.getvalue())[1]
    assert client.get(address).status_code == 200


def test_ensure_demo_editor_prints_a_working_login_per_role(db, settings):
    logins = demo_logins(settings)

    assert sorted(logins) == sorted(DEMO_USERNAMES)
    users = {
        username: authenticate(HttpRequest(), username=username, password=password)
        for username, password in logins.items()
    }
    for username, role in [
        ("editor", "Editor"),
        ("writer", "Writer"),
        ("admin", "Site admin"),
    ]:
        user = users[username]
        assert user is not None
        assert user.is_staff and not user.is_superuser
        assert list(user.groups.values_list("name", flat=True)) == [role]
        assert not user.user_permissions.exists()
    editor, writer, admin = users["editor"], users["writer"], users["admin"]
    assert editor.has_perm("articles.publish_article")
    assert editor.has_perm("experts.delete_quote")
    assert not editor.has_perm("auth.add_user")
    assert writer.has_perm("articles.add_article")
    assert not writer.has_perm("articles.publish_article")
    assert admin.has_perm("auth.change_user")
    assert not admin.has_perm("articles.add_article")


def test_ensure_demo_editor_twice_keeps_one_user_each_with_the_new_password(
    db, settings
):
    first = demo_logins(settings)
    second = demo_logins(settings)

    for username in DEMO_USERNAMES:
        assert get_user_model().objects.filter(username=username).count() == 1
        assert second[username] != first[username]
        assert authenticate(HttpRequest(), username=username, password=second[username])


def test_ensure_demo_editor_drops_hand_assigned_permissions(db, settings):
    old = get_user_model().objects.create_user("editor")
    old.user_permissions.set(Permission.objects.filter(codename="add_user"))

    demo_logins(settings)

    old.refresh_from_db()
    assert not old.user_permissions.exists()
    assert not old.has_perm("auth.add_user")


def test_ensure_demo_editor_never_demotes_a_superuser(db, settings):
    get_user_model().objects.create_superuser("admin", password="mine")

    logins = demo_logins(settings)

    assert "admin" not in logins
    assert authenticate(HttpRequest(), username="admin", password="mine").is_superuser


def test_demo_writer_gets_the_flagship_byline(demo, settings, flagship):
    logins = demo_logins(settings)

    (author,) = flagship.byline
    author.refresh_from_db()
    assert author.user.username == "writer"
    assert authenticate(HttpRequest(), username="writer", password=logins["writer"])


def test_demo_logins_can_open_the_add_article_page(db, settings, client):
    demo_logins(settings)

    for username in ["editor", "writer"]:
        client.force_login(get_user_model().objects.get(username=username))
        assert client.get("/admin/articles/article/add/").status_code == 200
