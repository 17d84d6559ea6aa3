"""PostgreSQL restarted under load: no acknowledged write is lost, and the site recovers
without a restart of its own. `.ci/run` runs it after the PostgreSQL suite:

    .venv/bin/python tests/chaos/pg_restart.py [--seconds 16] [--database cms_chaos]

It serves the site under gunicorn as deployed (debug off, persistent connections with
health checks) on a scratch database, has writers add articles through the admin's
form and readers load public pages, the health check and the admin, and restarts this
machine's PostgreSQL once mid-run (`pg_ctlcluster`: root, and every other connection
to that server is dropped too). It then checks that

- every article whose save the site acknowledged (a 302) is in the database;
- no request answered a 5xx other than 503 (the database down is a 503 with
  Retry-After), and none went unanswered;
- every request begun once PostgreSQL answered again got its usual answer, from the
  same gunicorn workers (none restarted);

and exits 1, saying what failed, if any of that does not hold. `--no-restart` runs the
same load without the restart.
"""

import argparse
import http.cookiejar
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(BASE_DIR))  # run as a script: the project's modules too

from bs4 import BeautifulSoup  # noqa: E402

from tests.gunicorn import deployed_environment, gunicorn  # noqa: E402
from tests.html_forms import form_fields  # noqa: E402

MANAGE = str(BASE_DIR / "manage.py")
PASSWORD = "chaos-password-not-secret"
SETUP = """
from django.contrib.auth import get_user_model
from articles.models import Author, Category

for n in range({writers}):
    get_user_model().objects.create_superuser(f"writer{{n}}", None, {password!r})
author = Author.objects.create(display_name="Chaos Desk", slug="chaos-desk")
print(Category.objects.create(name="Chaos", slug="chaos").pk, author.pk)
"""


@dataclass
class Answer:
    """One request: when it began, what it asked, how it was answered."""

    began: float
    who: str
    path: str
    status: int | None  # None: no answer at all
    detail: str = ""


@dataclass
class Run:
    url: str
    answers: list[Answer] = field(default_factory=list)
    acknowledged: list[str] = field(default_factory=list)  # slugs saved (302)
    refused: list[str] = field(default_factory=list)  # form errors: none expected
    restarted_at: float | None = None
    back_at: float | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)

    def record(self, answer: Answer) -> None:
        with self.lock:
            self.answers.append(answer)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 is the answer to record


class Browser:
    """A client with its own cookies (session, CSRF) that never follows redirects."""

    def __init__(self, run: Run, who: str):
        self.run, self.who = run, who
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
            _NoRedirects(),
        )

    def open(self, path: str, data: dict | None = None) -> tuple[int | None, str]:
        began = time.monotonic()
        body = urllib.parse.urlencode(data, doseq=True).encode() if data else None
        try:
            with self.opener.open(self.run.url + path, body, timeout=30) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode(errors="replace")
            if status == 503 and error.headers.get("Retry-After") is None:
                text = "503 without Retry-After\n" + text
        except OSError as error:  # refused, reset, timed out: no answer
            status, text = None, repr(error)
        self.run.record(Answer(began, self.who, path, status, text[:300]))
        return status, text

    def log_in(self, username: str) -> None:
        path = "/admin/login/?next=/admin/"
        status, page = self.open(path)
        data = form_fields(page, "#login-form")
        data.update(username=[username], password=[PASSWORD])
        status, _ = self.open(path, data)
        if status != 302:
            raise SystemExit(f"{username} could not log in ({status})")


def write(run: Run, number: int, category: int, author: int) -> None:
    """Add articles through the admin's form, one after another, until stopped."""
    browser = Browser(run, f"writer{number}")
    browser.log_in(f"writer{number}")
    add = "/admin/articles/article/add/"
    for n in range(1_000_000):
        if run.stop.is_set():
            return
        status, page = browser.open(add)
        if status != 200:
            time.sleep(0.05)
            continue
        slug = f"chaos-{number}-{n}"
        data = form_fields(page)
        data.update(
            title=[f"Chaos {number}.{n}"],
            slug=[slug],
            standfirst=["Written while the database restarts."],
            body=["## Still here\n\nEvery acknowledged save is kept."],
            category=[str(category)],
            **{"article_authors-0-author": [str(author)]},
            _save=["Save"],
        )
        status, answer = browser.open(add, data)
        with run.lock:
            if status == 302:
                run.acknowledged.append(slug)
            elif status == 200:
                errors = BeautifulSoup(answer, "html.parser").select(".errorlist")
                run.refused.append(f"{slug}: {[e.get_text() for e in errors]}")


def read(run: Run, number: int) -> None:
    """Public pages (page cache or not), the readiness check and the admin's list."""
    browser = Browser(run, f"reader{number}")
    browser.log_in(f"writer{number % 2}")  # the admin needs a login; pages do not mind
    paths = ["/", "/chaos/", "/health/ready", "/admin/articles/article/"]
    for n in range(1_000_000):
        if run.stop.is_set():
            return
        browser.open(paths[n % len(paths)])


def restart_postgresql(run: Run, cluster: str, base_url: str) -> None:
    version, name = cluster.split("/")
    run.restarted_at = time.monotonic()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, "restart"],
        check=True,
        timeout=120,
    )
    parts = urlsplit(base_url)
    for _ in range(600):
        ready = subprocess.run(
            ["pg_isready", "-q", "-h", parts.hostname, "-p", str(parts.port or 5432)]
        )
        if ready.returncode == 0:
            run.back_at = time.monotonic()
            return
        time.sleep(0.1)
    raise SystemExit("PostgreSQL did not come back within a minute")


def scratch_database(base_url: str, name: str) -> str:
    import psycopg

    maintenance = urlsplit(base_url)._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return urlsplit(base_url)._replace(path=f"/{name}").geturl()


def drop_database(base_url: str, name: str) -> None:
    import psycopg

    maintenance = urlsplit(base_url)._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def stored_slugs(database_url: str) -> set[str]:
    import psycopg

    with psycopg.connect(database_url) as connection:
        rows = connection.execute("SELECT slug FROM articles_article").fetchall()
    return {slug for (slug,) in rows}


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, MANAGE, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode:
        raise SystemExit(f"manage.py {args[0]} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def problems(run: Run, stored: set[str], log: str, restarted: bool) -> list[str]:
    """What went wrong, if anything."""
    found = [f"a save was refused: {refusal}" for refusal in run.refused]
    lost = sorted(set(run.acknowledged) - stored)
    if lost:
        found.append(f"{len(lost)} acknowledged saves are missing: {lost[:10]}")
    for answer in run.answers:
        if answer.status is None or (answer.status >= 500 and answer.status != 503):
            found.append(f"{answer.who} {answer.path}: {answer.status} {answer.detail}")
        elif answer.status == 503 and answer.detail.startswith("503 without"):
            found.append(f"{answer.who} {answer.path}: 503 without Retry-After")
    if restarted:
        after = [a for a in run.answers if a.began >= run.back_at]
        failed = [a for a in after if a.status not in (200, 302)]
        found += [
            f"after PostgreSQL was back: {a.who} {a.path} answered {a.status}"
            for a in failed
        ]
        if not any(a.path.endswith("/add/") and a.status == 302 for a in after):
            found.append("no save was acknowledged after the restart")
        if not [a for a in run.answers if a.began < run.restarted_at]:
            found.append("nothing ran before the restart")
    if "WORKER TIMEOUT" in log or "Worker exiting" in log:
        found.append("a gunicorn worker was restarted:\n" + log[-3000:])
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=16)
    parser.add_argument("--writers", type=int, default=3)
    parser.add_argument("--readers", type=int, default=3)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--database", default="cms_chaos", help="scratch database")
    parser.add_argument("--no-restart", action="store_true")
    options = parser.parse_args()

    base_url = os.environ.get("DATABASE_URL", "")
    if not base_url.startswith(("postgres://", "postgresql://")):
        base_url = "postgres://postgres@127.0.0.1:5432/postgres"
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    database_url = scratch_database(base_url, options.database)
    try:
        with tempfile.TemporaryDirectory(prefix="pg-restart-") as workdir:
            return exercise(options, base_url, database_url, Path(workdir), version)
    finally:
        drop_database(base_url, options.database)


def exercise(options, base_url, database_url, workdir: Path, version: str) -> int:
    env = deployed_environment(workdir, database_url)
    env["DJANGO_CONN_MAX_AGE"] = "60"  # as deployed: connections outlive requests
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    code = SETUP.format(writers=max(options.writers, 2), password=PASSWORD)
    category, author = manage(env, "shell", "--no-imports", "-c", code).split()[-2:]
    health_checks = manage(
        env,
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; "
        "print(settings.DATABASES['default']['CONN_HEALTH_CHECKS'])",
    ).strip()
    if health_checks != "True":
        print("CONN_HEALTH_CHECKS is off: a restarted database breaks old connections")
        return 1

    log_path = workdir / "server.log"
    gunicorn_options = [f"--workers={options.workers}", "--timeout=30"]
    with gunicorn(env, log_path, gunicorn_options, health="/health/live") as url:
        run = Run(url)
        threads = [
            threading.Thread(target=write, args=(run, n, int(category), int(author)))
            for n in range(options.writers)
        ] + [
            threading.Thread(target=read, args=(run, n)) for n in range(options.readers)
        ]
        for thread in threads:
            thread.start()
        time.sleep(options.seconds * 0.35)
        if not options.no_restart:
            restart_postgresql(run, f"{version}/main", base_url)
        time.sleep(options.seconds * 0.65)
        run.stop.set()
        for thread in threads:
            thread.join(timeout=60)
        log = log_path.read_text(errors="replace")

    found = problems(run, stored_slugs(database_url), log, not options.no_restart)
    statuses = Counter(answer.status for answer in run.answers)
    print(
        f"{len(run.answers)} requests {dict(statuses)}; "
        f"{len(run.acknowledged)} saves acknowledged"
        + (
            f"; PostgreSQL down for {run.back_at - run.restarted_at:.1f} s"
            if run.back_at
            else ""
        )
    )
    for problem in found[:30]:
        print("FAILED:", problem)
    if not found:
        print("Every acknowledged save is stored; the site recovered by itself.")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
