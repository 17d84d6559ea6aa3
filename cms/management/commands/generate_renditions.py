from django.apps import apps
from django.core.management.base import BaseCommand

from cms import images


class Command(BaseCommand):
    help = (
        "Create any missing responsive renditions of stored images (those uploaded "
        "before renditions existed, or after a new preset). Existing files are kept."
    )

    def handle(self, *args, **options):
        made = 0
        for label, field_name, _ in images.registered_fields():
            model = apps.get_model(label)
            for instance in model.objects.exclude(**{field_name: ""}).iterator():
                made += images.generate_for_instance(instance)
        self.stdout.write(f"{made} renditions created.")
