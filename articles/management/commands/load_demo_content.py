from django.core.management.base import BaseCommand

from articles.demo import flagship_url, load_demo_content


class Command(BaseCommand):
    help = "Create or update the demo site (fictional articles, people and images)."

    def handle(self, *args, **options):
        counts = load_demo_content()
        created = sum(counts["created"].values())
        updated = sum(counts["updated"].values())
        removed = sum(counts["removed"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content ready: {created} rows created, {updated} updated, "
                f"{removed} removed, {counts['images']} images drawn. "
                f"Start at {flagship_url()}"
            )
        )
