"""The site as deployed, for browser journeys: gunicorn with DEBUG off, collected static
files served by whitenoise, uploads served by Django, the demo content and a login per
role, on a database of its own (SQLite, or PostgreSQL and Redis when the suite uses them).

Nothing here touches the test database: the server is a separate process, and tests see
its data only through its pages, `Site.emails()`, `Site.manage()` and `Site.shell()`.
"""

import email
import email.policy
import json
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit

from tests.gunicorn import deployed_environment, gunicorn

BASE_DIR = Path(__file__).resolve().parents[2]
MANAGE = str(BASE_DIR / "manage.py")
START_TIMEOUT = 30  # seconds for gunicorn to answer /health/
# The file backend ends every message with this line (django.core.mail.backends.filebased).
EMAIL_SEPARATOR = b"\n" + b"-" * 79 + b"\n"

# One login per role, none of them a superuser. The Writer has the flagship's byline.
ROLES = {"Writer": "writer", "Editor": "editor", "Site admin": "siteadmin"}

CREATE_LOGINS = """
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from articles.models import Author

with transaction.atomic():
    for spec in json.loads(SPECS):
        groups = list(Group.objects.filter(name__in=spec["roles"]))
        if len(groups) != len(spec["roles"]):
            raise SystemExit(f"unknown role in {spec['roles']}")
        user, _ = get_user_model().objects.get_or_create(username=spec["username"])
        user.email = spec["email"]
        user.is_staff = True
        user.is_active = True
        user.set_password(spec["password"])
        user.save()
        user.groups.set(groups)
        if spec["author"]:
            if not Author.objects.filter(slug=spec["author"]).update(user=user):
                raise SystemExit(f"no author {spec['author']!r}")
"""


@dataclass(frozen=True)
class Login:
    username: str
    password: str
    roles: tuple[str, ...]


@dataclass
class Site:
    """A running server: its address, its logins and ways to look behind its pages."""

    url: str
    env: dict[str, str] = field(repr=False)
    email_dir: Path
    log_path: Path
    logins: dict[str, Login] = field(default_factory=dict)

    def manage(self, *args: str, input: str | None = None) -> str:
        """Run `manage.py ARGS` on the server's database; its output, or AssertionError."""
        result = subprocess.run(
            [sys.executable, MANAGE, *args],
            cwd=BASE_DIR,
            env=self.env,
            input=input,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode:
            raise AssertionError(
                f"manage.py {' '.join(args)} exited {result.returncode}:\n"
                f"{result.stdout}{result.stderr}"
            )
        return result.stdout

    def shell(self, code: str) -> str:
        """Run Python in `manage.py shell` on the server's database; what it printed."""
        return self.manage("shell", "--no-imports", "-c", code)

    def add_login(
        self,
        username: str,
        *roles: str,
        password: str | None = None,
        author: str | None = None,
    ) -> Login:
        """A staff login with these roles (group names), its email address
        USERNAME@example.com; `author` is the slug of a byline to give it."""
        login = Login(username, password or secrets.token_urlsafe(12), roles)
        self._create_logins([(login, author)])
        return login

    def _create_logins(self, logins: list[tuple[Login, str | None]]) -> None:
        # One process for them all: each password hash takes a while.
        specs = [
            {
                "username": login.username,
                "password": login.password,
                "roles": list(login.roles),
                "email": f"{login.username}@example.com",
                "author": author,
            }
            for login, author in logins
        ]
        self.shell(f"import json\nSPECS = {json.dumps(specs)!r}\n{CREATE_LOGINS}")
        self.logins.update((login.username, login) for login, _ in logins)

    def login(self, page, who: "str | Login") -> Login:
        """Log `page` into the admin through the login form, as a role or a login."""
        if isinstance(who, str):
            who = self.logins[ROLES.get(who, who)]
        page.goto(f"{self.url}/admin/login/?next=/admin/")
        page.fill("#id_username", who.username)
        page.fill("#id_password", who.password)
        with page.expect_navigation():
            page.click("#login-form [type=submit]")
        if page.url != f"{self.url}/admin/":
            errors = page.locator(".errornote, .errorlist").all_inner_texts()
            raise AssertionError(f"{who.username} could not log in: {errors}")
        return who

    def emails(self) -> list[EmailMessage]:
        """Every message the site has sent so far, oldest first."""
        messages = []
        files = self.email_dir.glob("*.log")
        for path in sorted(files, key=lambda path: (path.stat().st_mtime_ns, path)):
            for part in path.read_bytes().split(EMAIL_SEPARATOR):
                if part.strip():
                    messages.append(
                        email.message_from_bytes(part, policy=email.policy.default)
                    )
        return messages

    def log(self, since: int = 0) -> str:
        """The server's log (gunicorn and Django), from byte `since` on."""
        with self.log_path.open("rb") as log:
            log.seek(since)
            return log.read().decode(errors="replace")

    def log_size(self) -> int:
        return self.log_path.stat().st_size

    @contextmanager
    def another_server(self) -> Iterator[str]:
        """A second app server beside the first, as a load balancer would have it:
        the same database, cache and files, nothing else shared. Its base URL."""
        with _gunicorn(self.env, self.log_path) as url:
            yield url


@contextmanager
def running_site(workdir: Path) -> Iterator[Site]:
    """Build the site's database, static files and logins in `workdir`, serve it, and
    tear it all down on exit."""
    with ExitStack() as stack:
        database_url = stack.enter_context(_database(workdir))
        env = _environment(workdir, database_url)
        site = Site(
            url="",
            env=env,
            email_dir=Path(env["DJANGO_EMAIL_FILE_PATH"]),
            log_path=workdir / "server.log",
        )
        # collectstatic needs no database: it runs while the demo is loaded.
        collect = _spawn(["collectstatic", "--noinput"], env, workdir / "static.log")
        stack.callback(collect.kill)
        site.manage("migrate", "--noinput")
        site.manage("load_demo_content")
        # The demo's renditions, as the worker beside a deployed site makes them.
        site.manage("db_worker", "--batch", "--no-startup-delay", "--no-reload")
        _finish(collect, workdir / "static.log")
        _create_role_logins(site)
        if env.get("REDIS_URL"):
            stack.callback(_forget_cache, env["REDIS_URL"], env["DJANGO_CACHE_PREFIX"])
        site.url = stack.enter_context(_gunicorn(env, site.log_path))
        yield site


def _environment(workdir: Path, database_url: str) -> dict[str, str]:
    env = deployed_environment(workdir, database_url)
    env.update(
        DJANGO_SERVE_MEDIA="1",
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        DJANGO_EMAIL_FILE_PATH=str(workdir / "emails"),
    )
    redis_url = os.environ.get("REDIS_URL")
    if redis_url:
        env["REDIS_URL"] = _other_redis_db(redis_url)
        # A prefix of its own: nothing cached by an earlier run is ever read.
        env["DJANGO_CACHE_PREFIX"] = f"journeys-{secrets.token_hex(4)}"
    return env


@contextmanager
def _database(workdir: Path) -> Iterator[str]:
    """A new, empty database for the server; its URL."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        # Concurrent saves wait for the write lock instead of failing at once.
        yield f"sqlite:///{workdir / 'db.sqlite3'}?timeout=20&transaction_mode=IMMEDIATE"
        return
    import psycopg

    parts = urlsplit(url)
    # One per parallel worker (pytest-xdist names them gw0, gw1…).
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    name = "_".join(filter(None, [parts.path.lstrip("/") or "cms", "journeys", worker]))
    maintenance = parts._replace(path="/postgres").geturl()

    def run(sql: str) -> None:
        with psycopg.connect(maintenance, autocommit=True) as connection:
            connection.execute(sql)

    run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    run(f'CREATE DATABASE "{name}"')
    try:
        yield parts._replace(path=f"/{name}").geturl()
    finally:
        run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _other_redis_db(url: str) -> str:
    """The same Redis, another database number than the suite's own."""
    parts = urlsplit(url)
    db = parts.path.lstrip("/")
    other = "14" if db == "15" else "15"
    return parts._replace(path=f"/{other}").geturl()


def _forget_cache(url: str, prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()


def _create_role_logins(site: Site) -> None:
    from cms.management.commands.ensure_demo_editor import WRITER_AUTHOR

    site._create_logins(
        [
            (
                Login(username, f"{username}-{secrets.token_urlsafe(9)}", (role,)),
                WRITER_AUTHOR if role == "Writer" else None,
            )
            for role, username in ROLES.items()
        ]
    )


def _spawn(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, MANAGE, *args],
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def _finish(process: subprocess.Popen, log: Path) -> None:
    if process.wait(timeout=300):
        raise AssertionError(
            f"{' '.join(map(str, process.args[1:]))} exited {process.returncode}:\n"
            f"{log.read_text(errors='replace')}"
        )


@contextmanager
def _gunicorn(env: dict[str, str], log: Path) -> Iterator[str]:
    """The site under gunicorn; its base URL while it runs."""
    options = [
        # Two workers of four threads: two browsers can save at once, and a slow
        # request (a save with images) does not hold up the pages around it.
        "--workers=2",
        "--threads=4",
        "--timeout=60",
        "--graceful-timeout=5",
        "--access-logfile=-",
        "--error-logfile=-",
    ]
    with gunicorn(env, log, options, timeout=START_TIMEOUT) as url:
        yield url
