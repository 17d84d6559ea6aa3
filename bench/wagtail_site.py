"""`make bench WAGTAIL=1`: the Wagtail 7.0 comparison site (bench/wagtail/), in a
virtualenv of its own, with a page in the reference article's shape on a database
of its own (SQLite next to the bench's, or `<name>_wagtail` beside a PostgreSQL one).
run.py serves it with the same gunicorn settings and drives it with the same wrk."""

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

WAGTAIL_DIR = Path(__file__).resolve().parent / "wagtail"
VENV = WAGTAIL_DIR / ".venv"
PYTHON = VENV / "bin" / "python"
REQUIREMENTS = WAGTAIL_DIR / "requirements.txt"
STAMP = VENV / ".installed"


def ensure_venv() -> None:
    """Build or update bench/wagtail/.venv from its pinned requirements."""
    if STAMP.exists() and STAMP.stat().st_mtime >= REQUIREMENTS.stat().st_mtime:
        return
    print("Installing Wagtail 7.0 into bench/wagtail/.venv…", flush=True)
    if not PYTHON.exists():
        _run([sys.executable, "-m", "venv", str(VENV)])
    _run([str(PYTHON), "-m", "pip", "install", "--quiet", "-r", str(REQUIREMENTS)])
    STAMP.touch()


def _run(command: list[str], env: dict | None = None) -> str:
    result = subprocess.run(
        command, cwd=WAGTAIL_DIR, env=env, capture_output=True, text=True
    )
    if result.returncode:
        raise RuntimeError(
            f"{' '.join(command)} exited {result.returncode}\n"
            f"{result.stdout}{result.stderr}"
        )
    return result.stdout


def database_for(database_url: str, workdir: Path) -> str:
    """SQLite beside the bench's database, or a fresh `<name>_wagtail` database on
    the same PostgreSQL server."""
    parts = urlsplit(database_url)
    if not parts.scheme.startswith("postgres"):
        return f"sqlite:///{workdir / 'wagtail.sqlite3'}"
    import psycopg

    name = f"{parts.path.lstrip('/')}_wagtail"
    maintenance = parts._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return parts._replace(path=f"/{name}").geturl()


def prepare(base_env: dict, content: Path, database_url: str, workdir: Path):
    """A migrated Wagtail site holding the reference article's page; its environment
    (with BENCH_PYTHON, the interpreter gunicorn runs under), its cwd and the path."""
    ensure_venv()
    env = {
        key: value
        for key, value in base_env.items()
        if not key.startswith(("DJANGO_", "CMS_")) and key != "DATABASE_URL"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="wagtail_bench.settings",
        WAGTAIL_BENCH_DATABASE=database_for(database_url, workdir),
        WAGTAIL_BENCH_MEDIA=str(workdir / "wagtail-media"),
        BENCH_PYTHON=str(PYTHON),
    )
    manage = [str(PYTHON), "manage.py"]
    _run([*manage, "migrate", "--noinput", "-v0"], env)
    path = _run([*manage, "load_bench_page", str(content)], env).strip()
    return env, WAGTAIL_DIR, path


def measure(env: dict, path: str, samples: int) -> dict:
    """The page's queries and median render time in-process (``queries``,
    ``render_ms``), as the CMS's are measured."""
    command = [str(PYTHON), "manage.py", "measure_page", path, f"--samples={samples}"]
    return json.loads(_run(command, env).strip().splitlines()[-1])


def remove_database(env: dict) -> None:
    """Drop the PostgreSQL database prepare() made (SQLite goes with the workdir)."""
    url = env.get("WAGTAIL_BENCH_DATABASE", "")
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        return
    import psycopg

    maintenance = parts._replace(path="/postgres").geturl()
    name = parts.path.lstrip("/")
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
