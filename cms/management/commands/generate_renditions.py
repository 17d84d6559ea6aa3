from django.core.management.base import BaseCommand

from cms import images


class Command(BaseCommand):
    help = (
        "Make every missing responsive rendition of stored images now, without the "
        "worker (after a new preset, restoring media, or a queue that was lost), and "
        "record them as ready. Existing files are kept."
    )

    def handle(self, *args, **options):
        made = images.make_all_ready()
        self.stdout.write(f"{made} renditions created.")
