from django.core.management.base import BaseCommand, CommandError

from articles.transfer.export import TransferError
from articles.transfer.restore import import_content


class Command(BaseCommand):
    help = (
        "Import a Markdown export (export_content) from DIR: into an empty database "
        "it restores everything; otherwise it updates records by slug and reports "
        "conflicts. Safe to interrupt: run it again to continue."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR", help="The export's folder.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Read and check everything and print the report; write nothing.",
        )

    def handle(self, *args, directory, dry_run=False, **options):
        try:
            report = import_content(directory, dry_run=dry_run)
        except TransferError as error:
            raise CommandError(str(error)) from error
        for line in report.lines():
            self.stdout.write(line)
        if report.interrupted:
            raise CommandError(
                "Interrupted: every record reported above is imported. Run the same "
                "command again to continue."
            )
        if report.failed:
            raise CommandError(
                f"{report.failed} file(s) could not be imported (listed above); the "
                "rest are. Fix them and run the command again."
            )
        done = "Dry run complete." if dry_run else "Import complete."
        self.stdout.write(self.style.SUCCESS(done))
