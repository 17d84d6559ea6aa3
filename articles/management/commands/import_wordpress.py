"""manage.py import_wordpress EXPORT.xml: move a WordPress site in (docs/export.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.transfer import wxr
from articles.transfer.wordpress import WordPressImport


class Command(BaseCommand):
    help = (
        "Import a WordPress export (WXR 1.0-1.2): posts, authors, categories, tags "
        "and images. Run it again to bring in what changed; --dry-run to see first."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", type=Path, help="The file WordPress exported.")
        parser.add_argument(
            "--media-dir",
            type=Path,
            help="A copy of the site's wp-content/uploads folder, for the images.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Do everything and report it, then write nothing.",
        )
        parser.add_argument(
            "--create-users",
            action="store_true",
            help="Give each author a login (Writer role) without a password: they "
            "choose one with 'Forgotten your password?'.",
        )
        parser.add_argument(
            "--post-types",
            default="post",
            help="Comma-separated WordPress post types to import as articles "
            "(default: post; pages and others are counted and skipped).",
        )

    def handle(
        self, *args, export, media_dir, dry_run, create_users, post_types, **options
    ):
        if media_dir is not None and not media_dir.is_dir():
            raise CommandError(f"--media-dir {media_dir} is not a folder.")
        try:
            read = wxr.read(export)
        except wxr.WXRError as error:
            raise CommandError(str(error)) from None
        report = WordPressImport(
            read,
            media_dir=media_dir,
            dry_run=dry_run,
            create_users=create_users,
            post_types=tuple(t.strip() for t in post_types.split(",") if t.strip()),
            stream=self.stderr._out,
        ).run()
        self.stdout.write("\n".join(report.lines()))
        if report.failed:
            raise CommandError(
                f"{report.failed} item(s) could not be imported (see the notes above); "
                "the rest were. Fix them and run the import again."
            )
