from django.apps import apps
from django.core.management.base import BaseCommand

from articles.roles import ROLES, sync_roles


class Command(BaseCommand):
    help = "Create or update the Writer, Editor and Site admin groups and their permissions."

    def handle(self, *args, **options):
        sync_roles(apps)
        self.stdout.write(self.style.SUCCESS(f"Roles up to date: {', '.join(ROLES)}."))
