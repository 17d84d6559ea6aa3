import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

USERNAME = "editor"
APPS = ["articles", "experts"]


class Command(BaseCommand):
    help = (
        "Local development only: make sure a staff account 'editor' can edit articles "
        "and experts, and give it a new random password."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--site-url",
            default="http://127.0.0.1:8000",
            help="Where the local site runs, for the printed admin address.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Refusing to create the demo editor: DEBUG is off. An account with a "
                "known username must never exist on a production site. Run this only "
                "locally, with DJANGO_DEBUG=1."
            )
        password = secrets.token_urlsafe(12)
        with transaction.atomic():
            user, _ = get_user_model().objects.get_or_create(username=USERNAME)
            user.is_staff = True
            user.is_superuser = False
            user.is_active = True
            user.set_password(password)
            user.save()
            user.user_permissions.set(
                Permission.objects.filter(content_type__app_label__in=APPS)
            )
        self.stdout.write(
            f"Demo editor login for {options['site_url'].rstrip('/')}/admin/\n"
            f"  username: {USERNAME}\n"
            f"  password: {password}"
        )
