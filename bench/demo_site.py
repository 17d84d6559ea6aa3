"""The demo site as deployed, for `make lighthouse` and `make screenshots`: a fresh
SQLite database with the demo content and its renditions, collected static files,
DEBUG off, gunicorn on a free loopback port. Everything lives in a temporary directory
removed on exit (BENCH_KEEP=1 keeps it)."""

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))  # run as a script: the project's modules too

from tests.gunicorn import deployed_environment, gunicorn  # noqa: E402

MANAGE = str(BASE_DIR / "manage.py")


def manage(env: dict, *args: str) -> None:
    result = subprocess.run(
        [sys.executable, MANAGE, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise SystemExit(
            f"manage.py {' '.join(args)} exited {result.returncode}:\n"
            f"{result.stdout}{result.stderr}"
        )


@contextmanager
def demo_site() -> Iterator[str]:
    """The running site's base URL."""
    workdir = Path(tempfile.mkdtemp(prefix="demo-site-"))
    try:
        env = deployed_environment(workdir, f"sqlite:///{workdir / 'db.sqlite3'}")
        env["DJANGO_SERVE_MEDIA"] = "1"
        print("Building the demo site (migrate, demo content, renditions, static)…")
        manage(env, "collectstatic", "--noinput", "-v0")
        manage(env, "migrate", "--noinput")
        manage(env, "load_demo_content")
        manage(env, "db_worker", "--batch", "--no-startup-delay", "--no-reload")
        options = ["--workers=2", "--threads=2", "--error-logfile=-"]
        with gunicorn(env, workdir / "server.log", options, timeout=60) as url:
            yield url
    finally:
        if os.environ.get("BENCH_KEEP", "") in ("", "0"):
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"Kept {workdir}")
