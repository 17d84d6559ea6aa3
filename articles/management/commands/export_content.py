from django.core.management.base import BaseCommand, CommandError

from articles.transfer.export import TransferError, export_content


class Command(BaseCommand):
    help = (
        "Write every article, author, expert, quote, section, tag and standard "
        "callout as Markdown files with YAML front matter, plus their media, into "
        "DIR (new or empty). Layout: docs/export.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR", help="The folder to write.")

    def handle(self, *args, directory, **options):
        try:
            report = export_content(directory)
        except TransferError as error:
            raise CommandError(str(error)) from error
        except KeyboardInterrupt:
            raise CommandError(
                f"Interrupted: nothing was written to {directory}."
            ) from None
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Exported to {directory}."))
