from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.demo import flagship_url, load_demo_content

RESET_WARNING = (
    "--reset restores every demo article, person, quote, callout, section and tag to "
    "the demo's own content: edits made to them since are lost (other content is left "
    "alone)."
)


class Command(BaseCommand):
    help = (
        "Create whatever part of the demo site (fictional articles, people and images) "
        "is missing. Content that exists is never changed; --reset restores it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Restore the demo content to how the demo has it, undoing edits. "
            "Local development only (refused with debug off); asks first.",
        )
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="Do not ask before --reset.",
        )

    def handle(self, *args, reset=False, interactive=True, **options):
        if reset:
            self._confirm_reset(interactive)
        counts = load_demo_content(reset=reset)
        created = sum(counts["created"].values())
        updated = sum(counts["updated"].values())
        removed = sum(counts["removed"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content ready: {created} rows created, {updated} restored, "
                f"{removed} removed, {counts['images']} images drawn. "
                f"Start at {flagship_url()}"
            )
        )

    def _confirm_reset(self, interactive: bool) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "Refusing to reset the demo content: DEBUG is off, so this may be a "
                "live site. Reset only a local copy, with DJANGO_DEBUG=1."
            )
        if not interactive:
            return
        answer = input(f"{RESET_WARNING}\nType 'yes' to reset: ")
        if answer.strip().lower() != "yes":
            raise CommandError("Reset cancelled: nothing was changed.")
