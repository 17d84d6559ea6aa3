import io
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from articles.demo import flagship_url, load_demo_content
from articles.demo.content import FLAGSHIP
from articles.models import Article, ArticleReference, Author, Category, Tag
from articles.services import save_article
from articles.transfer.export import (
    SCHEMAS,
    Record,
    TransferError,
    export_content,
    render_record,
)
from articles.transfer.restore import import_content, parse_record
from cms.models import Image, ImageTag
from experts.models import Expert, Quote
from tests.factories import (
    ArticleFactory,
    ArticleQuoteFactory,
    AuthorFactory,
    CategoryFactory,
    ExpertFactory,
    ImageFactory,
    ListItemFactory,
    QuoteFactory,
    TagFactory,
    UserFactory,
    image_file,
)

from .export_helpers import USERNAMES, differences, generated_site, tree


def export_then_empty(tmp_path, settings, make_content) -> Path:
    """Export what ``make_content()`` makes, then leave the database as it was before
    it (empty of content) and media in a new folder; returns the export's folder."""
    folder = tmp_path / "one"
    with transaction.atomic():
        make_content()
        export_content(folder)
        transaction.set_rollback(True)
    settings.MEDIA_ROOT = tmp_path / "media-here"
    return folder


def small_site():
    """Two sections, a quote placed in one article, and links between articles both
    ways, one of them with a hero image."""
    section = CategoryFactory(slug="baby")
    other = CategoryFactory(slug="toddler")
    quote = QuoteFactory()
    first = ArticleFactory(category=section, slug="first", title="First")
    second = ArticleFactory(
        category=other,
        slug="second",
        title="Second",
        hero_image=image_file("hero.png"),
        hero_alt="A hero",
        body=f"See [[article:{first.pk}|the first]].\n\n{quote.reference}",
    )
    ArticleQuoteFactory(article=second, quote=quote)
    first.body += f"\n\nThen [[article:{second.pk}]]."
    first.save()
    TagFactory(slug="sleep")
    AuthorFactory(slug="writer-a")


@pytest.fixture
def demo_with_files(django_capture_on_commit_callbacks):
    """A function loading the demo content with its image files (the ``demo``
    fixture never writes them)."""

    def load():
        with (
            mock.patch("cms.images.generate_renditions"),
            django_capture_on_commit_callbacks(execute=True),
        ):
            load_demo_content()

    return load


# --- Round trips -------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_round_trip_gives_byte_identical_files(
    demo_with_files, tmp_path, settings, client
):
    one = export_then_empty(tmp_path, settings, demo_with_files)
    assert not Article.objects.exists()

    report = import_content(one)
    export_content(tmp_path / "two")

    assert report.failed == 0, report.lines()
    files, again = tree(one), tree(tmp_path / "two")
    assert differences(files, again) == []
    assert sum(name.startswith("media/") for name in files) > Article.objects.count()
    assert report.counts["articles"]["created"] == Article.objects.count() > 0
    flagship = client.get(flagship_url())
    assert flagship.status_code == 200
    placed = Article.objects.get(slug=FLAGSHIP[1]).article_quotes.first().quote
    assert placed.text_html in flagship.content.decode()
    moved = client.get("/2019/05/03/newborn-rash/")
    assert (moved.status_code, moved["Location"]) == (301, flagship_url())


@pytest.mark.slow
@pytest.mark.django_db
def test_generated_site_round_trip_gives_byte_identical_files(tmp_path, settings):
    for username in USERNAMES:  # users are not exported: they stay
        UserFactory(username=username)
    one = export_then_empty(tmp_path, settings, lambda: generated_site(500))

    report = import_content(one)
    export_content(tmp_path / "two")

    assert report.failed == 0, report.lines()
    assert report.counts["articles"]["created"] == 500
    assert differences(tree(one), tree(tmp_path / "two")) == []


def test_every_key_of_every_record_is_documented():
    docs = (Path(__file__).parents[2] / "docs/export.md").read_text(encoding="utf-8")
    keys = {
        name
        for schema in SCHEMAS.values()
        for key_name, key in schema.items()
        for name in [key_name, *(key.entries or {})]
    }

    assert sorted(name for name in keys if f"`{name}`" not in docs) == []


def test_texts_keep_every_character_through_a_file():
    tricky = [
        "",
        "plain",
        "yes",
        "null",
        "12",
        "- a dash",
        "# not a comment",
        "key: value",
        "  leading spaces",
        "trailing spaces  ",
        "two\nlines",
        "ends with a line end\n",
        "two line ends\n\n",
        "windows\r\nline ends",
        "tabs\tand\u00a0spaces",
        "emoji 🍼 and right-to-left \u200fمرحبا",
        "---\nlooks like a delimiter\n---",
    ]
    for text in tricky:
        record = Record("x.md", {"title": text, "items": [{"text": text}]}, text)

        front, body = parse_record(render_record(record))

        assert (front, body) == (record.front, record.body), repr(text)


# --- Importing into a database with content ------------------------------------------


@pytest.mark.django_db
def test_import_updates_by_slug_skips_unchanged_and_reports_conflicts(tmp_path):
    small_site()
    folder = tmp_path / "one"
    export_content(folder)
    exported_at = Article.objects.get(slug="second").modified_at
    first = Article.objects.get(slug="first")
    first.title = "Edited here since"
    save_article(first, by=None, checked=True)
    Article.objects.filter(slug="second").update(
        title="Stale here", modified_at=exported_at - timedelta(days=1)
    )
    tag_name = Tag.objects.get(slug="sleep").name
    Tag.objects.filter(slug="sleep").update(name="Renamed")

    report = import_content(folder)

    assert report.counts["articles"] == {"conflicts": 1, "updated": 1}
    assert report.counts["tags"] == {"updated": 1}
    assert report.counts["sections"] == {"unchanged": 2}
    assert report.failed == 0
    assert Article.objects.get(slug="first").title == "Edited here since"
    assert Article.objects.get(slug="second").title == "Second"
    assert Tag.objects.get(slug="sleep").name == tag_name
    [conflict] = report.conflicts
    assert conflict.startswith("articles/baby/first.md: changed here")


@pytest.mark.django_db
def test_importing_into_the_site_it_came_from_changes_nothing(tmp_path):
    small_site()
    export_content(tmp_path / "one")
    versions = dict(Article.objects.values_list("slug", "version"))

    report = import_content(tmp_path / "one")

    assert {kind: dict(counts) for kind, counts in report.counts.items()} == {
        "sections": {"unchanged": 2},
        "tags": {"unchanged": 1},
        "images": {"unchanged": 1},
        "experts": {"unchanged": 1},
        "authors": {"unchanged": 3},
        "quotes": {"unchanged": 1},
        "articles": {"unchanged": 2},
    }
    assert dict(Article.objects.values_list("slug", "version")) == versions


@pytest.mark.django_db
def test_import_into_another_site_rewrites_references_to_its_ids(tmp_path, settings):
    one = export_then_empty(tmp_path, settings, small_site)
    # This site's own content takes the exported ids.
    for n in range(3):
        ArticleFactory(slug=f"local-{n}")
        QuoteFactory()

    report = import_content(one)

    assert report.failed == 0, report.lines()
    first = Article.objects.get(slug="first")
    second = Article.objects.get(slug="second")
    quote = second.article_quotes.get().quote
    assert f"See [[article:{first.pk}|the first]]." in second.body
    assert quote.reference in second.body
    assert first.body.endswith(f"Then [[article:{second.pk}]].")
    assert ArticleReference.objects.get(article=first).target_article == second


# --- Bad input -----------------------------------------------------------------------


@pytest.mark.django_db
def test_broken_files_fail_alone_with_a_reason(tmp_path, settings):
    one = export_then_empty(tmp_path, settings, small_site)
    (one / "tags/sleep.md").write_text("---\nname: [unclosed\n---\n")
    first = one / "articles/baby/first.md"
    first.write_text(first.read_text().replace("section: baby", "section: nowhere"))
    (one / "authors/notes.txt").write_text("a file that is not a record")
    (one / "sections/odd.md").write_text("no front matter here")

    report = import_content(one)

    failures = "\n".join(report.failures)
    assert "tags/sleep.md: its front matter is not valid YAML" in failures
    assert "articles/baby/first.md: its section “nowhere” is not here" in failures
    assert "authors/notes.txt: is not a Markdown file" in failures
    assert "sections/odd.md: has no front matter" in failures
    assert "Traceback" not in failures
    assert report.failed == 4
    assert set(Article.objects.values_list("slug", flat=True)) == {"second"}
    assert Author.objects.filter(slug="writer-a").exists()


@pytest.mark.django_db
def test_missing_media_file_fails_its_record_only(tmp_path, settings):
    one = export_then_empty(tmp_path, settings, small_site)
    [hero] = (one / "media").rglob("hero*.png")
    hero.unlink()
    [record] = (one / "images").glob("*.md")

    report = import_content(one)

    # The image's record fails; the article using it says which image it lacks.
    image, article = report.failures
    assert image.startswith(f"images/{record.name}: its media file media/")
    assert "is missing from the export" in image
    assert article == (
        f"articles/toddler/second.md: its hero is image {record.stem}, which is not "
        f"in the export or failed to import (images/{record.name})"
    )
    assert not Image.objects.exists()
    assert list(Article.objects.values_list("slug", flat=True)) == ["first"]


@pytest.mark.django_db
def test_an_unknown_key_is_refused_not_dropped(tmp_path, settings):
    one = export_then_empty(tmp_path, settings, small_site)
    path = one / "tags/sleep.md"
    path.write_text(path.read_text().replace("name:", "nmae:"))

    report = import_content(one)

    assert report.failures == [
        "tags/sleep.md: has keys no record of its kind has: “nmae”"
    ]


@pytest.mark.django_db
def test_a_value_of_the_wrong_type_is_named(tmp_path, settings):
    one = export_then_empty(tmp_path, settings, small_site)
    path = one / "sections/baby.md"
    path.write_text(path.read_text().replace("position: 0", "position: first"))

    report = import_content(one)

    assert report.failures[0] == (
        "sections/baby.md: “position” should be a whole number"
    )


@pytest.mark.django_db
def test_a_folder_that_is_not_an_export_is_refused(tmp_path):
    with pytest.raises(TransferError, match="is not a Markdown export"):
        import_content(tmp_path)


@pytest.mark.django_db
def test_export_refuses_a_folder_with_files_in_it(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")

    with pytest.raises(TransferError, match="is not empty"):
        export_content(tmp_path)

    assert [path.name for path in tmp_path.iterdir()] == ["notes.txt"]


# --- Interrupting, dry runs, users -------------------------------------------------------


@pytest.mark.django_db
def test_an_interrupted_import_continues_when_run_again(tmp_path, settings):
    one = export_then_empty(tmp_path, settings, small_site)
    calls = []

    def stop_at_second(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return save_article(*args, **kwargs)

    with mock.patch("articles.transfer.restore.articles.save_article", stop_at_second):
        stopped = import_content(one)

    assert stopped.interrupted
    assert Article.objects.count() == 1
    report = import_content(one)
    export_content(tmp_path / "two")

    assert not report.interrupted and report.failed == 0
    assert report.counts["articles"] == {"unchanged": 1, "created": 1}
    assert differences(tree(one), tree(tmp_path / "two")) == []


@pytest.mark.django_db
def test_a_dry_run_writes_nothing_and_reports_the_same(tmp_path, settings):
    one = export_then_empty(tmp_path, settings, small_site)

    dry = import_content(one, dry_run=True)

    assert not Category.objects.exists() and not Quote.objects.exists()
    assert (
        not Path(settings.MEDIA_ROOT).exists() or tree(Path(settings.MEDIA_ROOT)) == {}
    )
    real = import_content(one)
    assert dry.counts == real.counts
    assert dry.lines()[0] == "Dry run: nothing was written."


@pytest.mark.django_db
def test_people_are_linked_by_username_and_missing_ones_reported(tmp_path, settings):
    def site():
        small_site()
        AuthorFactory(slug="with-login", user=UserFactory(username="sam"))
        AuthorFactory(slug="other-login", user=UserFactory(username="kim"))

    kim = UserFactory(username="kim")
    one = export_then_empty(tmp_path, settings, site)

    report = import_content(one)

    assert Author.objects.get(slug="other-login").user == kim
    assert Author.objects.get(slug="with-login").user is None
    assert any("No user here is called sam" in note for note in report.notes)


# --- The commands --------------------------------------------------------------------


@pytest.mark.django_db
def test_the_commands_print_their_summaries(tmp_path, settings):
    exported = io.StringIO()
    with transaction.atomic():
        small_site()
        call_command("export_content", str(tmp_path / "one"), stdout=exported)
        transaction.set_rollback(True)
    settings.MEDIA_ROOT = tmp_path / "media-here"
    imported = io.StringIO()

    call_command("import_content", str(tmp_path / "one"), stdout=imported)

    assert "articles: 2" in exported.getvalue()
    assert "media files: 1" in exported.getvalue()
    assert (
        "articles: 2 created, 0 updated, 0 unchanged, 0 conflicts, 0 failed"
        in imported.getvalue()
    )
    assert "Import complete." in imported.getvalue()


@pytest.mark.django_db
def test_the_import_command_exits_with_an_error_after_a_failure(tmp_path, settings):
    one = export_then_empty(tmp_path, settings, small_site)
    (one / "tags/sleep.md").write_text("---\n: :\n---\n")
    out = io.StringIO()

    with pytest.raises(CommandError, match="1 file\\(s\\) could not be imported"):
        call_command("import_content", str(one), stdout=out)

    assert "Failed: tags/sleep.md: " in out.getvalue()
    assert "articles: 2 created" in out.getvalue()


@pytest.mark.django_db
def test_the_import_command_refuses_a_folder_that_is_not_an_export(tmp_path):
    with pytest.raises(CommandError, match="not a Markdown export"):
        call_command("import_content", str(tmp_path))


@pytest.mark.django_db
def test_a_record_that_fails_leaves_no_media_file(tmp_path, settings):
    one = export_then_empty(tmp_path, settings, small_site)
    [record] = (one / "images").glob("*.md")
    record.write_text(record.read_text().replace("focal_x: 50", "focal_x: 200"))

    report = import_content(one)

    image, article = report.failures
    assert image.startswith(f"images/{record.name}: focal_x: ")
    assert article.startswith(
        f"articles/toddler/second.md: its hero is image {record.stem},"
    )
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or tree(media) == {}


@pytest.mark.django_db
def test_new_records_after_an_import_get_new_ids(tmp_path, settings):
    one = export_then_empty(tmp_path, settings, small_site)
    import_content(one)
    articles, quotes = Article.objects.count(), Quote.objects.count()

    article, quote = ArticleFactory(), QuoteFactory()

    assert article.pk > max(
        Article.objects.exclude(pk=article.pk).values_list("pk", flat=True)
    )
    assert quote.pk > max(
        Quote.objects.exclude(pk=quote.pk).values_list("pk", flat=True)
    )
    assert (Article.objects.count(), Quote.objects.count()) == (
        articles + 1,
        quotes + 1,
    )


def site_with_a_body_image():
    """An article placing a library image twice, once with a caption of its own."""
    image = ImageFactory(title="Rash close-up", alt="Red blotches", credit="Jo Lee")
    image.tags.set([ImageTag.objects.create(name="skin")])
    ArticleFactory(
        slug="rash",
        body=f"## Look\n\n[[image:{image.pk}]]\n\n## Again\n\n[[image:{image.pk}|Day 3]]",
    )


@pytest.mark.django_db
def test_import_into_another_site_maps_placed_images_to_its_ids(tmp_path, settings):
    one = export_then_empty(tmp_path, settings, site_with_a_body_image)
    # This site's own images take the exported ids.
    local = [ImageFactory(title=f"Local {n}") for n in range(3)]

    report = import_content(one)

    assert report.failed == 0, report.lines()
    image = Image.objects.get(title="Rash close-up")
    assert image.pk not in {other.pk for other in local}
    assert (image.alt, image.credit) == ("Red blotches", "Jo Lee")
    assert [tag.name for tag in image.tags.all()] == ["skin"]
    assert image.file.storage.exists(image.file.name)
    article = Article.objects.get(slug="rash")
    assert f"[[image:{image.pk}]]" in article.body
    assert f"[[image:{image.pk}|Day 3]]" in article.body
    assert [ref.image for ref in article.body_references.all()] == [image]
    # Imported again: the same image is found, not copied.
    assert import_content(one).failed == 0
    assert Image.objects.filter(title="Rash close-up").count() == 1


@pytest.mark.django_db
def test_an_article_placing_an_image_missing_from_the_export_fails_with_why(
    tmp_path, settings
):
    one = export_then_empty(tmp_path, settings, site_with_a_body_image)
    [record] = (one / "images").glob("*.md")
    record.unlink()

    report = import_content(one)

    [failure] = report.failures
    assert failure.startswith("articles/")
    assert f"it places image {record.stem}, which is not in the export" in failure
    assert not Article.objects.exists()


def site_using_images_everywhere():
    """A hero, a list item's picture and two photos, each its own library image."""
    ExpertFactory(slug="dr-photo", photo=ImageFactory(title="Expert"))
    AuthorFactory(slug="with-photo", photo=ImageFactory(title="Author"))
    article = ArticleFactory(slug="pictured", hero_image=ImageFactory(title="Hero"))
    ListItemFactory(article=article, image=ImageFactory(title="Item"))


@pytest.mark.django_db
def test_records_name_their_images_by_id_and_keep_no_copy_of_their_words(
    tmp_path, settings
):
    one = export_then_empty(tmp_path, settings, site_using_images_everywhere)
    ids = {
        parse_record(path.read_bytes())[0]["title"]: int(path.stem)
        for path in (one / "images").glob("*.md")
    }

    [path] = (one / "articles").rglob("pictured.md")
    article, _ = parse_record(path.read_bytes())
    author, _ = parse_record((one / "authors/with-photo.md").read_bytes())
    expert, _ = parse_record((one / "experts/dr-photo.md").read_bytes())

    assert article["hero_image"] == ids["Hero"]
    assert article["list_items"][0]["image"] == ids["Item"]
    assert set(article["list_items"][0]) == {"heading", "text", "image"}
    assert not [
        key for key in article if key.startswith("hero_") and key != "hero_image"
    ]
    assert (author["photo"], expert["photo"]) == (ids["Author"], ids["Expert"])
    assert len(list((one / "media").rglob("*.*"))) == len(ids) == 4


@pytest.mark.django_db
def test_import_into_another_site_maps_every_use_of_an_image(tmp_path, settings):
    one = export_then_empty(tmp_path, settings, site_using_images_everywhere)
    # This site's own images take the exported ids.
    local = {ImageFactory(title=f"Local {n}").pk for n in range(6)}

    report = import_content(one)

    assert report.failed == 0, report.lines()
    article = Article.objects.get(slug="pictured")
    assert article.hero_image.title == "Hero"
    assert article.list_items.get().image.title == "Item"
    assert Author.objects.get(slug="with-photo").photo.title == "Author"
    assert Expert.objects.get(slug="dr-photo").photo.title == "Expert"
    assert not {article.hero_image_id, article.list_items.get().image_id} & local
    # Imported again: every record is found as it is.
    again = import_content(one)
    assert again.failed == 0
    assert {kind: set(counts) for kind, counts in again.counts.items()} == {
        kind: {"unchanged"} for kind in again.counts
    }


@pytest.mark.django_db
def test_a_record_using_an_image_the_export_lacks_fails_alone(tmp_path, settings):
    one = export_then_empty(tmp_path, settings, site_using_images_everywhere)
    author = one / "authors/with-photo.md"
    front, body = parse_record(author.read_bytes())
    author.write_bytes(render_record(Record("", {**front, "photo": 999}, body)))

    report = import_content(one)

    assert report.failures == [
        "authors/with-photo.md: its photo is image 999, which is not in the export "
        "or failed to import (images/999.md)"
    ]
    assert not Author.objects.filter(slug="with-photo").exists()
    assert Article.objects.filter(slug="pictured").exists()
