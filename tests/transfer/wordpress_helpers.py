"""Helpers for the WordPress import tests: run the command and read its report as a
user does, count what is in the database, and write small exports for the cases the
hand-written ones in tests/data/wxr do not hold (links between posts, HTML with no
Markdown form)."""

import io
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.models import (
    Article,
    Author,
    Category,
    ImportedItem,
    OldAddress,
    Tag,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "wxr"
UPLOADS = DATA / "uploads"
SITE = "https://old.example.org"  # the site of most hand-written exports
OUTCOMES = ("imported", "updated", "unchanged", "skipped", "conflict", "failed")


@dataclass
class Run:
    """What one run of ``import_wordpress`` printed, and the error it ended with."""

    out: str
    err: str
    error: str = ""
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()

    @property
    def notes(self) -> list[str]:
        return _section(self.lines, "Notes (", "  - ")

    @property
    def missing_files(self) -> list[str]:
        return _section(self.lines, "Files not found in the media folder (", "  ")

    def note_about(self, words: str) -> str:
        """The one note holding ``words``."""
        found = [note for note in self.notes if words in note]
        assert len(found) == 1, f"{words!r} in {self.notes}"
        return found[0]


def import_wordpress(*args, fails: bool = False) -> Run:
    """Run the command; ``fails`` says it must end with a CommandError (after its
    report), otherwise it must not."""
    out, err = io.StringIO(), io.StringIO()
    error = ""
    try:
        call_command("import_wordpress", *map(str, args), stdout=out, stderr=err)
    except CommandError as raised:
        error = str(raised)
    assert bool(error) == fails, error or "no CommandError"
    run = Run(out.getvalue(), err.getvalue(), error)
    run.counts = _table(run.lines)
    return run


def _table(lines: list[str]) -> dict[str, dict[str, int]]:
    counts = {}
    header = next(
        (i for i, line in enumerate(lines) if line.split() == list(OUTCOMES)), None
    )
    if header is None:
        return counts
    for line in lines[header + 1 :]:
        if not line.strip():
            break
        words = line.split()
        counts[" ".join(words[: -len(OUTCOMES)])] = dict(
            zip(OUTCOMES, map(int, words[-len(OUTCOMES) :]), strict=True)
        )
    return counts


def _section(lines: list[str], heading: str, prefix: str) -> list[str]:
    start = next((i for i, line in enumerate(lines) if line.startswith(heading)), None)
    if start is None:
        return []
    found = []
    for line in lines[start + 1 :]:
        if not line.startswith(prefix):
            break
        found.append(line[len(prefix) :])
    return found


def article(title: str) -> Article:
    return Article.objects.get(title=title)


def page_text(client, found: Article) -> str:
    """The article's public page, as HTML."""
    response = client.get(found.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def outcomes(**expected: int) -> dict[str, int]:
    """A row of the report: the outcomes named, every other one 0."""
    return {outcome: expected.get(outcome, 0) for outcome in OUTCOMES}


def stored_files() -> list[str]:
    """Every file stored under the media root, by name."""
    root = Path(settings.MEDIA_ROOT)
    return sorted(
        str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()
    )


def database() -> dict[str, int]:
    """How many of each thing an import writes there are, and the stored files."""
    return {
        "articles": Article.objects.count(),
        "authors": Author.objects.count(),
        "sections": Category.objects.count(),
        "tags": Tag.objects.count(),
        "old addresses": OldAddress.objects.count(),
        "imported items": ImportedItem.objects.count(),
        "files": len(stored_files()),
    }


def post(
    post_id: int,
    title: str,
    content: str,
    *,
    slug: str = "",
    date: str = "2020-03-02 09:00:00",
) -> str:
    """A published post in Feeding, as WordPress 6 exports it, with a date
    permalink."""
    slug = slug or f"post-{post_id}"
    link = f"{SITE}/{date[:10].replace('-', '/')}/{slug}/"
    return f"""
	<item>
		<title><![CDATA[{title}]]></title>
		<link>{link}</link>
		<dc:creator><![CDATA[maria]]></dc:creator>
		<guid isPermaLink="false">{SITE}/?p={post_id}</guid>
		<content:encoded><![CDATA[{content}]]></content:encoded>
		<excerpt:encoded><![CDATA[]]></excerpt:encoded>
		<wp:post_id>{post_id}</wp:post_id>
		<wp:post_date><![CDATA[{date}]]></wp:post_date>
		<wp:post_date_gmt><![CDATA[{date}]]></wp:post_date_gmt>
		<wp:post_name><![CDATA[{slug}]]></wp:post_name>
		<wp:status><![CDATA[publish]]></wp:status>
		<wp:post_parent>0</wp:post_parent>
		<wp:menu_order>0</wp:menu_order>
		<wp:post_type><![CDATA[post]]></wp:post_type>
		<wp:post_password><![CDATA[]]></wp:post_password>
		<wp:is_sticky>0</wp:is_sticky>
		<category domain="category" nicename="feeding"><![CDATA[Feeding]]></category>
	</item>"""


def attachment(post_id: int, upload: str, *, alt: str = "", caption: str = "") -> str:
    """An image attachment of ``SITE``, its file ``upload`` under the uploads folder."""
    url = f"{SITE}/wp-content/uploads/{upload}"
    return f"""
	<item>
		<title><![CDATA[Image {post_id}]]></title>
		<link>{SITE}/?attachment_id={post_id}</link>
		<dc:creator><![CDATA[maria]]></dc:creator>
		<guid isPermaLink="false">{url}</guid>
		<content:encoded><![CDATA[]]></content:encoded>
		<excerpt:encoded><![CDATA[{caption}]]></excerpt:encoded>
		<wp:post_id>{post_id}</wp:post_id>
		<wp:post_date><![CDATA[2019-05-01 09:00:00]]></wp:post_date>
		<wp:post_date_gmt><![CDATA[2019-05-01 08:00:00]]></wp:post_date_gmt>
		<wp:post_name><![CDATA[image-{post_id}]]></wp:post_name>
		<wp:status><![CDATA[inherit]]></wp:status>
		<wp:post_parent>0</wp:post_parent>
		<wp:post_type><![CDATA[attachment]]></wp:post_type>
		<wp:attachment_url><![CDATA[{url}]]></wp:attachment_url>
		<wp:postmeta>
			<wp:meta_key><![CDATA[_wp_attached_file]]></wp:meta_key>
			<wp:meta_value><![CDATA[{upload}]]></wp:meta_value>
		</wp:postmeta>
		<wp:postmeta>
			<wp:meta_key><![CDATA[_wp_attachment_image_alt]]></wp:meta_key>
			<wp:meta_value><![CDATA[{alt}]]></wp:meta_value>
		</wp:postmeta>
	</item>"""


def write_export(path: Path, *items: str) -> Path:
    """A WXR 1.2 export of ``SITE`` with one author, a Feeding category and ``items``."""
    path.write_text(
        f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/1.2/"
>
<channel>
	<title>Little Steps</title>
	<link>{SITE}</link>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>{SITE}</wp:base_site_url>
	<wp:base_blog_url>{SITE}</wp:base_blog_url>
	<wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[maria]]></wp:author_login><wp:author_display_name><![CDATA[Maria Okafor]]></wp:author_display_name></wp:author>
	<wp:category><wp:term_id>10</wp:term_id><wp:category_nicename><![CDATA[feeding]]></wp:category_nicename><wp:category_parent><![CDATA[]]></wp:category_parent><wp:cat_name><![CDATA[Feeding]]></wp:cat_name></wp:category>
{"".join(items)}
</channel>
</rss>
""",
        encoding="utf-8",
    )
    return path
