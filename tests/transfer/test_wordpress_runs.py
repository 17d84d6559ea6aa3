"""Running the WordPress import again, as a dry run, on bad input, with an item that
fails, on a large generated export, and on a terminal or not."""

import io
import shutil

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.models import Article, ImportedItem, OldAddress
from articles.services import save_article
from articles.transfer.wordpress import posts as wordpress_posts
from bench.wxr import write_wxr

from .wordpress_helpers import (
    DATA,
    UPLOADS,
    article,
    database,
    import_wordpress,
    outcomes,
    post,
    stored_files,
    write_export,
)

pytestmark = pytest.mark.django_db

EMPTY = {
    "articles": 0,
    "authors": 0,
    "sections": 0,
    "tags": 0,
    "old addresses": 0,
    "imported items": 0,
    "files": 0,
}
# What site-1.2.xml holds, and what a run that finds it all done reports.
SITE_UNCHANGED = {
    "authors": outcomes(unchanged=2),
    "sections": outcomes(unchanged=5),
    "tags": outcomes(unchanged=3),
    "images": outcomes(unchanged=2, skipped=1),  # the file missing on purpose
    "articles": outcomes(unchanged=4),
    "comments": outcomes(skipped=2),
    "nav_menu terms": outcomes(skipped=1),
}


def changed_copy(tmp_path, old: str, new: str):
    """site-1.2.xml as exported again after ``old`` was edited to ``new`` there."""
    text = (DATA / "site-1.2.xml").read_text(encoding="utf-8")
    assert text.count(old) == 1
    path = tmp_path / "site-1.2-later.xml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


# --- Again ---------------------------------------------------------------------------


def test_a_second_run_of_the_same_file_changes_nothing():
    import_wordpress(DATA / "site-1.2.xml", "--media-dir", UPLOADS)
    before = database()

    run = import_wordpress(DATA / "site-1.2.xml", "--media-dir", UPLOADS)

    assert run.counts == SITE_UNCHANGED
    assert database() == before
    assert before["articles"] == 4 and before["files"] == 2


def test_a_post_changed_on_wordpress_is_updated_and_the_rest_left(tmp_path):
    import_wordpress(DATA / "site-1.2.xml", "--media-dir", UPLOADS)
    before = database()
    later = changed_copy(
        tmp_path, "Do not pick at the flakes.", "Never pick the flakes."
    )

    run = import_wordpress(later, "--media-dir", UPLOADS)

    assert run.counts == {
        **SITE_UNCHANGED,
        "articles": outcomes(updated=1, unchanged=3),
    }
    assert (
        "Never pick the flakes."
        in article("Cradle cap: gentle care for a flaky scalp").body
    )
    assert database() == before


def test_a_post_edited_here_since_is_a_conflict_and_is_not_overwritten(tmp_path):
    import_wordpress(DATA / "site-1.2.xml", "--media-dir", UPLOADS)
    cradle = article("Cradle cap: gentle care for a flaky scalp")
    cradle.body = cradle.body.replace(
        "soft baby brush", "soft brush (ours: a toothbrush)"
    )
    save_article(cradle, by=None)
    later = changed_copy(
        tmp_path, "Do not pick at the flakes.", "Never pick the flakes."
    )

    run = import_wordpress(later, "--media-dir", UPLOADS)

    assert run.counts["articles"] == outcomes(conflict=1, unchanged=3)
    assert (
        "post 102 “Cradle cap: gentle care for a flaky scalp”: changed here since it "
        "was imported, so it was left as it is (see its history); the export has a "
        "newer version of post 102." in run.notes
    )
    cradle.refresh_from_db()
    assert "ours: a toothbrush" in cradle.body
    assert "Never pick the flakes." not in cradle.body
    # Nor on the run after.
    again = import_wordpress(later, "--media-dir", UPLOADS)
    assert again.counts["articles"] == outcomes(conflict=1, unchanged=3)


def test_a_post_edited_here_stays_as_edited_when_wordpress_has_no_change():
    import_wordpress(DATA / "site-1.2.xml", "--media-dir", UPLOADS)
    cradle = article("Cradle cap: gentle care for a flaky scalp")
    cradle.title = "Cradle cap, gently"
    save_article(cradle, by=None)

    run = import_wordpress(DATA / "site-1.2.xml", "--media-dir", UPLOADS)

    assert run.counts["articles"] == outcomes(unchanged=4)
    cradle.refresh_from_db()
    assert cradle.title == "Cradle cap, gently"


# --- Dry run -------------------------------------------------------------------------


def test_a_dry_run_writes_nothing_and_reports_what_a_run_does():
    dry = import_wordpress(
        DATA / "site-1.2.xml", "--media-dir", UPLOADS, "--create-users", "--dry-run"
    )

    assert database() == EMPTY
    assert stored_files() == []
    assert not get_user_model().objects.exists()
    real = import_wordpress(
        DATA / "site-1.2.xml", "--media-dir", UPLOADS, "--create-users"
    )
    assert dry.lines[0] == "Dry run, nothing was written: " + real.lines[0]
    assert dry.lines[1:] == real.lines[1:]
    assert real.counts["articles"] == outcomes(imported=4)


def test_a_dry_run_reports_a_guessed_alt_text_as_the_run_does(tmp_path):
    export = changed_copy(
        tmp_path,
        "<![CDATA[A baby asleep on her back in a cot]]></wp:meta_value>",
        "<![CDATA[]]></wp:meta_value>",
    )

    dry = import_wordpress(export, "--media-dir", UPLOADS, "--dry-run")
    real = import_wordpress(export, "--media-dir", UPLOADS)

    assert any("no alt text" in note for note in real.notes)
    assert dry.notes == real.notes


def test_a_dry_run_of_a_newer_export_leaves_the_update_to_the_real_run(tmp_path):
    import_wordpress(DATA / "site-1.2.xml", "--media-dir", UPLOADS)
    before = database()
    later = changed_copy(
        tmp_path, "Do not pick at the flakes.", "Never pick the flakes."
    )

    dry = import_wordpress(later, "--media-dir", UPLOADS, "--dry-run")

    assert dry.counts["articles"] == outcomes(updated=1, unchanged=3)
    assert "Never pick" not in article("Cradle cap: gentle care for a flaky scalp").body
    assert database() == before
    real = import_wordpress(later, "--media-dir", UPLOADS)
    assert real.counts["articles"] == outcomes(updated=1, unchanged=3)


# --- One item fails --------------------------------------------------------------------


def test_a_post_that_cannot_be_converted_is_reported_and_the_rest_imported(
    monkeypatch,
):
    convert = wordpress_posts.to_markdown

    def choking(content, **kwargs):
        if "Do not pick at the flakes." in content:
            raise ValueError("the converter choked on this post")
        return convert(content, **kwargs)

    monkeypatch.setattr(wordpress_posts, "to_markdown", choking)

    run = import_wordpress(DATA / "site-1.2.xml", "--media-dir", UPLOADS, fails=True)

    assert run.counts["articles"] == outcomes(imported=3, failed=1)
    assert (
        "post 102 “Cradle cap: gentle care for a flaky scalp”: not imported: the "
        "converter choked on this post" in run.notes
    )
    assert run.error.startswith("1 item(s) could not be imported")
    assert Article.objects.count() == 3
    assert not OldAddress.objects.filter(path="/2019/05/10/cradle-cap/").exists()

    monkeypatch.setattr(wordpress_posts, "to_markdown", convert)
    again = import_wordpress(DATA / "site-1.2.xml", "--media-dir", UPLOADS)
    assert again.counts["articles"] == outcomes(imported=1, unchanged=3)


def test_a_post_refused_while_saving_leaves_nothing_half_written(monkeypatch):
    save = wordpress_posts.save_article

    def refusing(article, **kwargs):
        saved = save(article, **kwargs)  # written, then refused: all rolled back
        if article.title.startswith("Cradle cap"):
            raise ValidationError({"body": ["A link leads nowhere."]})
        return saved

    monkeypatch.setattr(wordpress_posts, "save_article", refusing)

    run = import_wordpress(DATA / "site-1.2.xml", "--media-dir", UPLOADS, fails=True)

    assert (
        "post 102 “Cradle cap: gentle care for a flaky scalp”: not imported: body: A "
        "link leads nowhere." in run.notes
    )
    assert run.counts["articles"] == outcomes(imported=3, failed=1)
    assert not Article.objects.filter(slug="cradle-cap").exists()
    assert not ImportedItem.objects.filter(kind="post", source_id="102").exists()
    assert not OldAddress.objects.filter(path="/?p=102").exists()
    assert Article.objects.filter(slug="why-newborns-wake").exists()


def test_unreadable_items_of_an_export_are_reported_and_the_rest_imported():
    run = import_wordpress(DATA / "broken-item.xml", fails=True)

    assert run.counts["unreadable"] == outcomes(failed=4)
    assert run.counts["articles"] == outcomes(imported=3)
    assert run.notes[:4] == [
        'Item 702 "A post whose date is broken": post_date "not a date" is not a '
        "date (YYYY-MM-DD HH:MM:SS); it was left out.",
        'Item "A post whose id is not a number": post_id "abc" is not a number; it '
        "was left out.",
        'Item "A post without an id": no post_id; it was left out.',
        'Item 704 "Water for babies in hot weather": a comment without a valid '
        "comment_id; the comment was left out.",
    ]
    assert run.error.startswith("4 item(s) could not be imported")
    assert sorted(Article.objects.values_list("slug", flat=True)) == [
        "keeping-cool",
        "sun-safety",
        "water-in-hot-weather",
    ]


# --- Bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("not-xml.xml", "not-xml.xml is not well-formed XML (syntax error at line 1"),
        ("not-wxr.xml", "not-wxr.xml is XML but not a WordPress export"),
        ("rss-feed.xml", "rss-feed.xml is an RSS feed, not a WordPress export"),
        ("entities.xml", "it is refused for safety"),
        ("php-warning.xml", "has text before its XML declaration"),
        ("unknown-version.xml", "WXR version 1.3, which this importer does not know"),
        ("nowhere.xml", "Cannot read nowhere.xml: No such file or directory."),
    ],
)
def test_a_file_that_is_not_an_export_is_refused_with_a_reason(name, message):
    with pytest.raises(CommandError) as raised:
        call_command(
            "import_wordpress",
            str(DATA / name),
            "--media-dir",
            str(UPLOADS),
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )

    assert message in str(raised.value)
    assert database() == EMPTY
    assert stored_files() == []


@pytest.mark.parametrize("where", ["a file", "nowhere"])
def test_a_media_dir_that_is_not_a_folder_is_refused(tmp_path, where):
    media_dir = DATA / "site-1.2.xml" if where == "a file" else tmp_path / "uploads"

    run = import_wordpress(DATA / "site-1.2.xml", "--media-dir", media_dir, fails=True)

    assert run.error == f"--media-dir {media_dir} is not a folder."
    assert run.out == ""
    assert database() == EMPTY


# --- A large generated export ------------------------------------------------------------


@pytest.mark.slow
def test_a_generated_export_with_images_imports_whole_and_then_unchanged(tmp_path):
    uploads = tmp_path / "uploads"
    export = write_wxr(tmp_path / "bench.xml", posts=60, seed=3, media_dir=uploads)
    files = sorted(p for p in uploads.rglob("*.jpg"))

    run = import_wordpress(export, "--media-dir", uploads)

    assert all(counts["failed"] == 0 for counts in run.counts.values()), run.out
    assert run.counts["articles"]["imported"] == 60
    assert run.counts["images"] == outcomes(imported=len(files))
    assert run.missing_files == []
    assert Article.objects.count() == 60
    assert len(stored_files()) == len(files)
    before = database()

    again = import_wordpress(export, "--media-dir", uploads)

    for kind in ("authors", "sections", "tags", "images", "articles"):
        counts = again.counts[kind]
        assert counts == outcomes(unchanged=sum(counts.values())), kind
    assert database() == before


# --- Progress ----------------------------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_no_progress_bar_is_drawn_into_a_log():
    out, err = io.StringIO(), io.StringIO()

    call_command("import_wordpress", str(DATA / "site-1.2.xml"), stdout=out, stderr=err)

    assert "\r" not in out.getvalue() + err.getvalue()
    assert err.getvalue() == ""


def test_a_progress_bar_is_drawn_on_a_terminal():
    out, err = io.StringIO(), Terminal()

    call_command("import_wordpress", str(DATA / "site-1.2.xml"), stdout=out, stderr=err)

    assert "\r" in err.getvalue()
    assert "articles" in err.getvalue()
    assert "\r" not in out.getvalue()


def test_the_media_folder_is_only_read(tmp_path):
    # The importer reads the media folder and never writes to it.
    uploads = tmp_path / "uploads"
    shutil.copytree(UPLOADS, uploads)
    before = sorted(p.relative_to(uploads) for p in uploads.rglob("*"))

    import_wordpress(DATA / "site-1.2.xml", "--media-dir", uploads)

    assert sorted(p.relative_to(uploads) for p in uploads.rglob("*")) == before


def test_a_post_listed_twice_in_one_file_is_imported_once(tmp_path):
    """Merged or hand-edited exports repeat items: the second copy is the same item."""
    twice = post(900, "Bottle temperature", "<p>Test a drop on your wrist.</p>")
    export = write_export(tmp_path / "twice.xml", twice, twice)

    run = import_wordpress(export)

    assert run.counts["articles"] == outcomes(imported=1)
    assert Article.objects.filter(title="Bottle temperature").count() == 1


def test_a_permalink_too_long_to_keep_is_left_out_and_the_post_imported(
    tmp_path, client
):
    slug = "a" * 600
    export = write_export(
        tmp_path / "long.xml", post(901, "Long address", "<p>Text.</p>", slug=slug)
    )

    run = import_wordpress(export)

    assert run.counts["articles"] == outcomes(imported=1)
    assert client.get("/?p=901").status_code == 301
    assert not OldAddress.objects.filter(path__contains=slug).exists()


@pytest.mark.postgres
def test_on_postgresql_the_import_leaves_commits_synchronous_again():
    """The import's own commits do not wait for the disk; the connection's later
    ones (an editor's save in the same process) do again."""
    from django.db import connection

    import_wordpress(DATA / "site-1.2.xml", "--media-dir", UPLOADS)

    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"
