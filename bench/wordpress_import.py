"""`make bench`, moving in: a generated WordPress export of BENCH_WP_POSTS posts (2,000)
with an image per attachment, imported into a new database by `manage.py
import_wordpress` as a publisher would run it; then imported again (nothing changed),
then exported with `export_content` and read back by `import_content` into another new
database. Wall-clock seconds of each command, as subprocesses.

    make bench                                      # with the other benchmarks
    .venv/bin/python bench/wordpress_import.py      # alone
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cms_wp .venv/bin/python bench/wordpress_import.py

On PostgreSQL the database named in DATABASE_URL is dropped and created again; by
default each run has new SQLite files in a temporary folder. Target: the first import
under 60 s on this machine (2 cores).
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))  # run as a script: the project's modules too

from bench.wxr import write_wxr  # noqa: E402

POSTS = int(os.environ.get("BENCH_WP_POSTS", "2000"))
TARGET_SECONDS = 60


def manage(env: dict, *args: str) -> float:
    """Seconds ``manage.py *args`` took; stops the benchmark if it fails."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    took = time.perf_counter() - started
    if done.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return took


def fresh_database(env: dict, name: str, folder: Path) -> dict:
    """An environment whose database is new and migrated."""
    url = os.environ.get("DATABASE_URL", "")
    env = dict(env)
    if url.startswith("postgres"):
        base, _, db = url.rpartition("/")
        db = f"{db or 'cms_wp'}_{name}"
        admin = f"{base}/postgres"
        for sql in (
            f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)',
            f'CREATE DATABASE "{db}"',
        ):
            subprocess.run(["psql", admin, "-qc", sql], check=True, capture_output=True)
        env["DATABASE_URL"] = f"{base}/{db}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{folder / f'{name}.sqlite3'}"
    env["DJANGO_MEDIA_ROOT"] = str(folder / f"media-{name}")
    manage(env, "migrate", "--noinput", "-v0")
    return env


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-wp-") as temp:
        folder = Path(temp)
        export, uploads = folder / "export.xml", folder / "uploads"
        started = time.perf_counter()
        write_wxr(export, posts=POSTS, seed=0, media_dir=uploads)
        made = time.perf_counter() - started
        size = export.stat().st_size / 1e6
        env = {
            **os.environ,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench-only"),
        }
        env.pop("REDIS_URL", None)  # as `make run` has it, unless asked otherwise
        first = fresh_database(env, "first", folder)
        args = ("import_wordpress", str(export), "--media-dir", str(uploads))
        imported = manage(first, *args)
        again = manage(first, *args)
        exported_to = folder / "exported"
        exported = manage(first, "export_content", str(exported_to))
        second = fresh_database(env, "second", folder)
        restored = manage(second, "import_content", str(exported_to))
        engine = (
            "PostgreSQL"
            if env.get("DATABASE_URL", "").startswith("postgres")
            else "SQLite"
        )
        print(
            f"\nWordPress import, {POSTS} posts ({size:.1f} MB WXR, made in {made:.1f} s), {engine}:"
        )
        verdict = "under" if imported < TARGET_SECONDS else "OVER"
        print(
            f"  import_wordpress, new database  {imported:6.1f} s  ({verdict} the {TARGET_SECONDS} s target)"
        )
        print(f"  import_wordpress, again         {again:6.1f} s  (nothing changed)")
        print(f"  export_content                  {exported:6.1f} s")
        print(f"  import_content, new database    {restored:6.1f} s")
        if imported >= TARGET_SECONDS:
            sys.exit(1)


if __name__ == "__main__":
    main()
