from django.core.management.base import BaseCommand, CommandError

from articles.notifications import send_weekly_digest
from cms import notifications


class Command(BaseCommand):
    help = (
        "Queue the editors' weekly digest of medical reviews due and stale sources "
        "(run it weekly from cron; `manage.py db_worker` sends it). Editors with "
        "nothing to report, or who turned the digest off, are sent nothing."
    )

    def handle(self, *args, **options):
        if not notifications.enqueue(send_weekly_digest):
            raise CommandError("Could not queue the weekly digest: see the log.")
        self.stdout.write("Queued the weekly digest.")
