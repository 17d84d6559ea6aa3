import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse

from articles.demo.content import ARTICLES, FLAGSHIP
from articles.models import Author

# Username, role (a group from articles.roles) and what the role is for.
DEMO_LOGINS = [
    ("editor", "Editor", "edits, reviews, publishes and schedules any article"),
    ("writer", "Writer", "writes drafts and submits them for review"),
    ("admin", "Site admin", "manages logins and roles, authors and experts"),
]
# The writer login gets the flagship article's byline, so it starts with work of its own.
WRITER_AUTHOR = next(a["author"] for a in ARTICLES if a["slug"] == FLAGSHIP[1])


class Command(BaseCommand):
    help = (
        "Local development only: make sure the demo logins 'editor', 'writer' and "
        "'admin' exist with their roles, and give each a new random password."
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
                "Refusing to create the demo logins: DEBUG is off. Accounts with known "
                "usernames must never exist on a production site. Run this only "
                "locally, with DJANGO_DEBUG=1."
            )
        lines = [
            f"Demo logins for {options['site_url'].rstrip('/')}{reverse('admin:index')} "
            "(new passwords every run):"
        ]
        with transaction.atomic():
            for username, role, purpose in DEMO_LOGINS:
                lines.append(f"  {role}: {purpose}")
                lines += self._ensure(username, role)
        site = options["site_url"].rstrip("/")
        lines.append(
            f"The content API and its docs: {site}{reverse('api:openapi-view')}"
        )
        self.stdout.write("\n".join(lines))

    def _ensure(self, username: str, role: str) -> list[str]:
        try:
            group = Group.objects.get(name=role)
        except Group.DoesNotExist:
            raise CommandError(
                f"The {role!r} group is missing: run `manage.py sync_roles`."
            ) from None
        user, _ = get_user_model().objects.get_or_create(username=username)
        if user.is_superuser:
            # Someone made this name their own superuser: never demote it.
            return [f"    skipped: {username!r} is a superuser on this database"]
        password = secrets.token_urlsafe(12)
        user.is_staff = True
        user.is_active = True
        user.set_password(password)
        user.save()
        user.groups.set([group])
        user.user_permissions.clear()  # the role decides, as for everyone else
        lines = [f"    username: {username}", f"    password: {password}"]
        if role == "Writer":
            author = (
                Author.objects.filter(user=user).first()
                or Author.objects.filter(slug=WRITER_AUTHOR, user__isnull=True).first()
            )
            if author is not None:
                Author.objects.filter(pk=author.pk).update(user=user)
                lines.append(f"    byline: {author.display_name}")
        return lines
