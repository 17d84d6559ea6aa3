"""The site as deployed, for the browser journeys and `make bench`: the environment a
deployment would set, and gunicorn on a free loopback port.

The port is bound here and handed over, so no other process can take it; the server
stops with the process that started it, even one killed outright.
"""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]


class ServerDidNotStart(Exception):
    pass


def deployed_environment(workdir: Path, database_url: str) -> dict[str, str]:
    """Debug off, files in ``workdir``, the database at ``database_url``; none of the
    caller's Django, CMS or test variables (PYTEST_VERSION would switch settings into
    test mode)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "CMS_", "PYTEST_", "MEDIA_S3_", "BENCH_"))
        and key not in {"DATABASE_URL", "REDIS_URL", "GUNICORN_CMD_ARGS"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_STATIC_ROOT=str(workdir / "static"),
        DJANGO_MEDIA_ROOT=str(workdir / "media"),
        CMS_PAGE_CACHE_DIR=str(workdir / "pagecache"),
        DJANGO_LOG_LEVEL="WARNING",
        DATABASE_URL=database_url,
    )
    return env


@contextmanager
def gunicorn(
    env: dict[str, str],
    log: Path,
    options: list[str],
    *,
    app: str = "cms.wsgi",
    cwd: Path = BASE_DIR,
    python: str = sys.executable,
    timeout: float = 30,
    health: str | None = "/health/",
) -> Iterator[str]:
    """Serve ``app`` with gunicorn ``options``; its base URL once ``health`` answers
    200 (any answer when ``health`` is None)."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    command = [
        python,
        "-m",
        "gunicorn",
        app,
        f"--bind=fd://{listener.fileno()}",
        "--no-control-socket",
        *options,
    ]
    with log.open("ab") as out:
        server = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            pass_fds=(listener.fileno(),),
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
    listener.close()
    try:
        _wait_until_up(url + (health or "/"), server, log, timeout, health is None)
        yield url
    finally:
        _stop(server)


def _die_with_parent() -> None:
    """In the child: stop when the parent stops (Linux's PR_SET_PDEATHSIG)."""
    import ctypes

    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _wait_until_up(
    url: str, server: subprocess.Popen, log: Path, timeout: float, any_answer: bool
) -> None:
    deadline = time.monotonic() + timeout
    problem = "no answer"
    while time.monotonic() < deadline:
        if server.poll() is not None:
            problem = f"gunicorn exited {server.returncode}"
            break
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except urllib.error.HTTPError as error:
            problem = f"{url} answered {error.code}"
            if any_answer:
                return
        except OSError as error:
            problem = str(error)
        time.sleep(0.1)
    raise ServerDidNotStart(
        f"The server at {url} did not come up ({problem}). Its log:\n"
        f"{log.read_text(errors='replace')}"
    )


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
