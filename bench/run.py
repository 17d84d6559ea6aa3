"""`make bench`: serve the site under gunicorn on loopback with debug off, drive each
public page with wrk, uncached (CMS_PAGE_CACHE=off) and then cached, and write the
results to docs/performance.md. The numbers in the docs come from here, never from
timed tests.

SQLite by default: a fresh database in a temporary directory, migrated, with the demo
content and BENCH_ARTICLES seeded articles (when `seed_bench` exists). With
DATABASE_URL set, that database is used as it is; only an empty one is filled.

Environment (all optional): BENCH_SECONDS (10) per page, BENCH_THREADS (2) and
BENCH_CONNECTIONS (8) for wrk, BENCH_WORKERS (2) sync gunicorn workers with --preload,
BENCH_ARTICLES (300) to seed, BENCH_RENDER_SAMPLES (200), BENCH_OUTPUT (the results
file; "-" writes none), BENCH_KEEP=1 keeps the work directory, REDIS_URL caches in Redis
(under a prefix of this run's own, removed afterwards).
"""

import datetime
import json
import os
import platform
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))  # run as a script: the project's modules too

from tests.gunicorn import ServerDidNotStart, deployed_environment  # noqa: E402
from tests.gunicorn import gunicorn as serve  # noqa: E402

BENCH_DIR = BASE_DIR / "bench"
MANAGE = str(BASE_DIR / "manage.py")
LUA = BENCH_DIR / "report.lua"
DOC = BASE_DIR / "docs" / "performance.md"
# The reference article's bytes, served by whitenoise from the bench's STATIC_ROOT.
STATIC_NAME = "bench/article.html"
START_TIMEOUT = 60
# seed_bench's last line names one of the words it made rare.
RARE_WORD = re.compile(r"Rare search words look like “(\w+)”")
WARM_UP = 5  # requests per page and worker before wrk starts
# Issue 10's measurement of Wagtail 7.0 on this machine, for the target line.
WAGTAIL_RPS = 46.0


@dataclass(frozen=True)
class Config:
    seconds: int = 10
    threads: int = 2
    connections: int = 8
    workers: int = 2
    articles: int = 300
    output: str = str(DOC)
    keep: bool = False
    wagtail: bool = False
    database_url: str = ""
    redis_url: str = ""

    @classmethod
    def from_env(cls, env=os.environ, argv=()) -> "Config":
        def number(name: str, default: int) -> int:
            value = env.get(name, "").strip()
            return int(value) if value else default

        return cls(
            seconds=number("BENCH_SECONDS", cls.seconds),
            threads=number("BENCH_THREADS", cls.threads),
            connections=number("BENCH_CONNECTIONS", cls.connections),
            workers=number("BENCH_WORKERS", cls.workers),
            articles=number("BENCH_ARTICLES", cls.articles),
            output=env.get("BENCH_OUTPUT", "").strip() or cls.output,
            keep=env.get("BENCH_KEEP", "") not in ("", "0"),
            wagtail="--wagtail" in argv or env.get("WAGTAIL", "") not in ("", "0"),
            database_url=env.get("DATABASE_URL", ""),
            redis_url=env.get("REDIS_URL", ""),
        )


@dataclass
class Result:
    """One page's wrk run (``rps`` and latencies in ms) or why there is none."""

    key: str
    label: str
    path: str | None
    rps: float | None = None
    p50: float | None = None
    p95: float | None = None
    p99: float | None = None
    errors: int = 0
    kb: float | None = None  # per response, headers included (wrk's count)
    note: str = ""


@dataclass
class Run:
    name: str
    results: list[Result] = field(default_factory=list)

    def get(self, key: str) -> Result | None:
        return next((r for r in self.results if r.key == key), None)


ALONE = "uncached, one request at a time"


class BenchError(Exception):
    pass


# --- Processes ----------------------------------------------------------------------


def manage(env: dict, *args: str, quiet: bool = True) -> str:
    """Run `manage.py ARGS`; its output (also shown as it comes unless ``quiet``)."""
    process = subprocess.Popen(
        [sys.executable, MANAGE, *args],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    chunks = []
    while chunk := process.stdout.read1(4096):
        chunks.append(chunk)
        if not quiet:
            sys.stdout.buffer.write(chunk)
            sys.stdout.flush()
    output = b"".join(chunks).decode(errors="replace")
    if process.wait():
        raise BenchError(
            f"manage.py {' '.join(args)} exited {process.returncode}\n{output}"
        )
    return output


def probe(env: dict, *args: str) -> dict:
    """bench/probe.py's answer (the in-process measurements)."""
    result = subprocess.run(
        [sys.executable, str(BENCH_DIR / "probe.py"), *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    for line in result.stdout.splitlines():
        if line.startswith("PROBE_RESULT "):
            return json.loads(line.removeprefix("PROBE_RESULT "))
    raise BenchError(
        f"bench/probe.py {' '.join(args)} exited {result.returncode}\n"
        f"{result.stdout}{result.stderr}"
    )


@contextmanager
def gunicorn(
    env: dict, log: Path, workers: int, app: str = "cms.wsgi", cwd: Path = BASE_DIR
) -> Iterator[str]:
    """gunicorn as issue 10 measured it (sync workers, ``--preload``); its base URL."""
    options = [
        f"--workers={workers}",
        "--worker-class=sync",
        "--preload",
        "--timeout=60",
        "--graceful-timeout=5",
        "--error-logfile=-",
        "--log-level=warning",
    ]
    python = env.get("BENCH_PYTHON", sys.executable)
    # The Wagtail site has no /health/: any answer from it will do.
    health = "/health/" if app == "cms.wsgi" else None
    try:
        with serve(
            env,
            log,
            options,
            app=app,
            cwd=cwd,
            python=python,
            timeout=START_TIMEOUT,
            health=health,
        ) as url:
            yield url
    except ServerDidNotStart as error:
        raise BenchError(str(error)) from error


# --- Set-up -------------------------------------------------------------------------


def environment(workdir: Path, config: Config, database_url: str) -> dict:
    """What a deployment would set, and the probe's settings."""
    env = deployed_environment(workdir, database_url)
    env.update(
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        BENCH_RENDER_SAMPLES=os.environ.get("BENCH_RENDER_SAMPLES", "200"),
    )
    if os.environ.get("BENCH_RARE_WORD"):
        env["BENCH_RARE_WORD"] = os.environ["BENCH_RARE_WORD"]
    return env


def server_environment(env: dict, config: Config) -> dict:
    """The server's environment: the probe's, plus Redis when asked for."""
    if not config.redis_url:
        return dict(env)
    return {
        **env,
        "REDIS_URL": config.redis_url,
        "DJANGO_CACHE_PREFIX": f"bench-{secrets.token_hex(4)}",
    }


def forget_cache(env: dict) -> None:
    """Remove this run's keys from Redis."""
    if "REDIS_URL" not in env:
        return
    import redis

    client = redis.Redis.from_url(env["REDIS_URL"])
    keys = list(client.scan_iter(match=f"{env['DJANGO_CACHE_PREFIX']}:*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()


def ensure_postgres_database(url: str) -> None:
    """Create the named PostgreSQL database when it does not exist yet."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = parts._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            print(f"Creating PostgreSQL database {name}")
            connection.execute(f'CREATE DATABASE "{name}"')


def has_command(env: dict, name: str) -> bool:
    listing = manage(env, "help", "--commands")
    return name in listing.split()


def seed_counts(articles: int) -> dict[str, int]:
    """The issue's proportions (100,000 articles: 1,000 authors, 500 experts, 5,000
    tags), with enough people and tags for the pages to have something to show."""
    return {
        "articles": articles,
        "authors": max(5, articles // 100),
        "experts": max(5, articles // 200),
        "tags": max(20, articles // 20),
    }


def fill(env: dict, config: Config) -> None:
    """Migrate an empty database, seed it (seed_bench fills only an empty one), then
    add the demo content, whose flagship is the reference article."""
    print("Migrating…", flush=True)
    manage(env, "migrate", "--noinput")
    if config.articles and has_command(env, "seed_bench"):
        counts = seed_counts(config.articles)
        print(f"Seeding {counts['articles']} articles…", flush=True)
        args = [f"--{name}={value}" for name, value in counts.items()]
        output = manage(env, "seed_bench", *args, quiet=False)
        rare = RARE_WORD.search(output)
        if rare and not env.get("BENCH_RARE_WORD"):
            env["BENCH_RARE_WORD"] = rare[1]
    elif config.articles:
        print("No seed_bench command in this checkout: demo content only.")
    print("Loading the demo content…", flush=True)
    manage(env, "load_demo_content")
    if has_command(env, "db_worker"):
        # Its images' renditions, as the worker beside a server makes them.
        manage(env, "db_worker", "--batch", "--no-startup-delay", "--no-reload")


def prepare_database(env: dict, config: Config) -> dict:
    """A database ready to serve; what it holds (probe's ``state``)."""
    url = env["DATABASE_URL"]
    if not config.database_url:
        fill(env, config)
        return probe(env, "state")
    if url.startswith(("postgres://", "postgresql://")):
        ensure_postgres_database(url)
    found = probe(env, "state")
    if not found["published_articles"]:
        fill(env, config)
        return probe(env, "state")
    try:
        manage(env, "migrate", "--check")
    except BenchError as error:
        raise BenchError(
            "The database at DATABASE_URL has articles but unapplied migrations: "
            "migrate it first (the benchmark never changes a database with articles)."
        ) from error
    print(f"Using DATABASE_URL as it is: {found['published_articles']} articles.")
    return found


# --- Driving ------------------------------------------------------------------------


def fetch(url: str) -> tuple[int, bytes]:
    """The status and body; status 0 when the server gave no answer."""
    # Generous: a Wagtail page's first request makes its image renditions.
    try:
        with urllib.request.urlopen(url, timeout=300) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""
    except OSError as error:
        return 0, repr(error).encode()


def wrk(url: str, config: Config) -> dict:
    """wrk's run of ``url``: the JSON line bench/report.lua prints."""
    command = [
        "wrk",
        f"-t{config.threads}",
        f"-c{config.connections}",
        f"-d{config.seconds}s",
        "--timeout=10s",
        f"--script={LUA}",
        url,
    ]
    result = subprocess.run(command, capture_output=True, text=True)
    return parse_wrk(result.stdout, result.stderr)


def parse_wrk(stdout: str, stderr: str = "") -> dict:
    for line in stdout.splitlines():
        if line.startswith("BENCH_RESULT "):
            return json.loads(line.removeprefix("BENCH_RESULT "))
    raise BenchError(f"wrk printed no result:\n{stdout}{stderr}")


def _tail(log: Path, lines: int = 15) -> str:
    """The server log's last lines, to say why a page failed."""
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def drive(
    base: str,
    pages: list[dict],
    config: Config,
    expect: bytes | None = None,
    log: Path | None = None,
) -> list[Result]:
    """wrk on each page, then (given its bytes) on the article as a static file."""
    results = []
    targets = list(pages)
    if expect is not None:
        # Right after the article: the machine's load changes less in between.
        targets.insert(1, static_page())
    for page in targets:
        result = Result(page["key"], page["label"], page["path"])
        results.append(result)
        if not page["path"]:
            result.note = "nothing to show in this database"
            print(f"  {page['label']:<34} skipped: {result.note}", flush=True)
            continue
        url = page.get("base", base) + page["path"]
        status, body = 0, b""
        for _ in range(WARM_UP * config.workers):
            status, body = fetch(url)
        if status != 200:
            result.note = f"answers {status}" if status else "no answer"
            print(f"  {page['label']:<34} skipped: {result.note}", flush=True)
            if log:
                print(_tail(log), file=sys.stderr, flush=True)
            continue
        if page["key"] == "static" and body != expect:
            raise BenchError(f"{url} does not serve the article's bytes")
        numbers = wrk(url, config)
        errors = sum(numbers["errors"].values())
        result.rps = numbers["rps"]
        result.p50, result.p95, result.p99 = (
            numbers["p50_ms"],
            numbers["p95_ms"],
            numbers["p99_ms"],
        )
        result.errors = errors
        result.kb = numbers["bytes"] / max(numbers["requests"], 1) / 1000
        if errors:
            result.note = f"{errors} errors ({numbers['errors']})"
        print(
            f"  {page['label']:<34} {result.rps:9.1f} req/s   "
            f"p50 {result.p50:7.2f}  p95 {result.p95:7.2f}  p99 {result.p99:7.2f} ms"
            f"  {result.kb:6.1f} kB" + (f"   {result.note}" if result.note else ""),
            flush=True,
        )
    return results


def static_page() -> dict:
    return {
        "key": "static",
        "label": "Article as a static file",
        "path": f"/static/{STATIC_NAME}",
    }


def start_wagtail(
    config: Config, env: dict, database_url: str, workdir: Path, stack: ExitStack
) -> dict:
    """Build and serve the Wagtail 7.0 comparison site for the rest of the run; its
    page to drive (with ``base``, its server) and size (``bytes``, ``pictures``)."""
    import wagtail_site

    print("Building the Wagtail 7.0 comparison site (bench/wagtail/)…", flush=True)
    content = workdir / "wagtail-content.json"
    probe(env, "content", str(content))
    try:
        wagtail_env, cwd, path = wagtail_site.prepare(
            env, content, database_url, workdir
        )
    except RuntimeError as error:
        raise BenchError(f"The Wagtail site could not be built: {error}") from error
    stack.callback(wagtail_site.remove_database, wagtail_env)
    log = workdir / "wagtail.log"
    app = "wagtail_bench.wsgi"
    url = stack.enter_context(
        gunicorn(wagtail_env, log, config.workers, app=app, cwd=cwd)
    )
    # The first request makes the renditions; the page must be all there.
    status, body = fetch(url + path)
    if status != 200 or b"<h1>" not in body:
        raise BenchError(f"The Wagtail page {path} answers {status}:\n{body!r:.500}")
    samples = int(env.get("BENCH_RENDER_SAMPLES", "200"))
    measured = wagtail_site.measure(wagtail_env, path, samples)
    print(
        f"Wagtail's page: {measured['queries']} queries, median render "
        f"{measured['render_ms']:.2f} ms",
        flush=True,
    )
    return {
        **measured,
        "key": "wagtail",
        "label": "Wagtail 7.0, same article",
        "path": path,
        "base": url,
        "bytes": len(body),
        "pictures": body.count(b"<picture"),
    }


# --- Reporting ----------------------------------------------------------------------


def machine() -> dict:
    cpu = "unknown"
    memory = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    return {
        "cores": len(os.sched_getaffinity(0)),
        "cpu": cpu,
        "memory": memory,
        "python": platform.python_version(),
        "commit": _commit(),
        "load": os.getloadavg()[0],
    }


def _commit() -> str:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=BASE_DIR, capture_output=True, text=True
        ).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    return f"{commit} with local changes" if git("status", "--porcelain") else commit


def _num(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}×" if a and b else "–"


def _queries(page: dict) -> str:
    if page.get("queries") is None:
        return "–"
    if page["cold_queries"] != page["queries"]:
        return f"{page['queries']} ({page['cold_queries']} cold)"
    return str(page["queries"])


def run_table(run: Run, probed: dict, baseline: Run | None) -> str:
    """A markdown table of one run; the cached run compares with the uncached one."""
    pages = {page["key"]: page for page in probed["pages"]}
    last = "queries" if baseline is None else "vs uncached"
    header = f"| Page | req/s | p50 ms | p95 ms | p99 ms | kB | {last} |"
    lines = [header, "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for result in run.results:
        path = f" `{result.path}`" if result.path else ""
        if baseline is None:
            last = _queries(pages.get(result.key, {}))
        else:
            before = baseline.get(result.key)
            last = _ratio(result.rps, before.rps if before else None)
        cells = [
            f"{result.label}{path}",
            _num(result.rps),
            _num(result.p50, 2),
            _num(result.p95, 2),
            _num(result.p99, 2),
            _num(result.kb),
            last,
        ]
        if result.note:
            cells[0] += f" ({result.note})"
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def summary_lines(runs: list[Run], probed: dict, wagtail: dict | None) -> list[str]:
    """The targets of issue 10, each with this run's number."""
    uncached, cached = runs[0], runs[-1]
    article = uncached.get("article")
    lines = []
    render = probed["render_ms"]
    lines.append(
        f"- Median render in-process (page cache off, {probed['render_samples']} "
        f"requests after warm-up): reference article {render['article']:.2f} ms"
        + (
            f", ordinary article {render['ordinary']:.2f} ms"
            if "ordinary" in render
            else ""
        )
        + " (target < 5 ms)."
    )
    reference = next(p for p in probed["pages"] if p["key"] == "article")
    lines.append(
        f"- Queries per request, reference article: {_queries(reference)} "
        f"(target ≤ 4); page size {reference.get('bytes', 0):,} bytes, "
        f"{reference.get('pictures', 0)} <picture> elements."
    )
    if article and article.rps:
        lines.append(
            f"- Uncached reference article: {article.rps:,.1f} req/s = "
            f"{article.rps / WAGTAIL_RPS:.1f}× Wagtail 7.0's {WAGTAIL_RPS} req/s as "
            "measured in issue 10 (target ≥ 8×)"
            + (
                f"; {article.rps / wagtail['rps']:.1f}× Wagtail's "
                f"{wagtail['rps']:,.1f} req/s in this run."
                if wagtail and wagtail["rps"]
                else "."
            )
        )
    alone = next((run for run in runs if run.name == ALONE), None)
    if alone:
        timed = [r for r in alone.results if r.p95 is not None]
        if timed:
            slowest = max(timed, key=lambda r: r.p95)
            lines.append(
                f"- Uncached, one request at a time: every page's p95 at most "
                f"{slowest.p95:.1f} ms ({slowest.label}) (target < 50 ms at 100,000 "
                "articles on PostgreSQL)."
            )
    for run in runs:
        page, static = run.get("article"), run.get("static")
        if page and static and page.rps and static.rps:
            target = " (target ≥ 80%)" if run is cached else ""
            lines.append(
                f"- {run.name.capitalize()}: reference article "
                f"{page.rps:,.1f} req/s vs the same bytes as a static file "
                f"{static.rps:,.1f} req/s = {page.rps / static.rps:.0%}{target}."
            )
    return lines


def report(
    config: Config,
    probed: dict,
    runs: list[Run],
    host: dict,
    wagtail: dict | None = None,
) -> str:
    """The results section for docs/performance.md (also printed)."""
    today = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"### {probed['database']}, {probed['published_articles']:,} published "
        f"articles ({today})",
        "",
        f"Machine: {host['cores']} cores ({host['cpu']}), {host['memory']} memory, "
        f"Python {host['python']}, {probed['database']}; commit {host['commit']}; "
        f"load average {host['load']:.2f} at the start, {os.getloadavg()[0]:.2f} at "
        "the end (other work on the machine lowers every number). "
        f"gunicorn {config.workers} sync workers with `--preload`, debug off; "
        f"`wrk -t{config.threads} -c{config.connections} -d{config.seconds}s`. "
        f"Reference article: {probed['reference']}.",
        "",
        *summary_lines(runs, probed, wagtail),
    ]
    for run in runs:
        baseline = runs[0] if run.name == "cached" else None
        lines += ["", f"#### {run.name.capitalize()}", ""]
        lines.append(run_table(run, probed, baseline))
    if wagtail is not None:
        lines += [
            "",
            f"Wagtail 7.0 (bench/wagtail/, served by its own gunicorn with the same "
            f"settings, driven right after the article): a page of the reference "
            f"article's words and shape ({wagtail['bytes']:,} bytes, "
            f"{wagtail['pictures']} <picture> elements), {_num(wagtail['rps'])} req/s; "
            f"in-process {wagtail['queries']} queries per request and a median "
            f"render of {wagtail['render_ms']:.2f} ms.",
        ]
    lines += [
        "",
        "kB: per response, headers included. Queries: per request on a running "
        "server (page cache off, measured in-process with django.test.Client); "
        "“cold” is the first request with empty caches.",
    ]
    return "\n".join(lines) + "\n"


def section_markers(database: str) -> tuple[str, str]:
    vendor = database.split()[0].lower()
    return (f"<!-- bench:{vendor}:start -->", f"<!-- bench:{vendor}:end -->")


def write_results(path: Path, text: str, database: str) -> None:
    """Replace this database's results section in ``path`` (appended when missing),
    leaving the hand-written text and the other database's results alone."""
    start, end = section_markers(database)
    block = f"{start}\n{text}{end}\n"
    current = path.read_text() if path.exists() else "# Performance\n"
    if start in current and end in current:
        before, rest = current.split(start, 1)
        after = rest.split(end, 1)[1].removeprefix("\n")
        updated = before + block + after
    else:
        updated = current.rstrip("\n") + "\n\n" + block
    path.write_text(updated)


# --- Main ---------------------------------------------------------------------------


def _raise_on_signal(signum, frame) -> None:
    raise KeyboardInterrupt


def bench(config: Config) -> None:
    if not shutil.which("wrk"):
        raise BenchError("wrk is not installed: apt-get install wrk (make bench does).")
    host = machine()
    with ExitStack() as stack:
        workdir = Path(tempfile.mkdtemp(prefix="cms-bench-"))
        if config.keep:
            print(f"Work directory (kept): {workdir}")
        else:
            stack.callback(shutil.rmtree, workdir, ignore_errors=True)
        database_url = config.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
        env = environment(workdir, config, database_url)
        collect = subprocess.Popen(
            [sys.executable, MANAGE, "collectstatic", "--noinput"],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        stack.callback(lambda: collect.poll() is None and collect.kill())
        prepare_database(env, config)
        if collect.wait():
            raise BenchError(f"collectstatic failed:\n{collect.stderr.read()}")
        print("Counting queries and timing the article in-process…", flush=True)
        static_file = workdir / "static" / STATIC_NAME
        probed = probe(env, "pages", str(static_file))
        print(
            f"{probed['database']}, {probed['published_articles']:,} published "
            f"articles; median render of the article "
            f"{probed['render_ms']['article']:.2f} ms",
            flush=True,
        )
        expect = static_file.read_bytes()
        wagtail = None
        if config.wagtail:
            wagtail = start_wagtail(config, env, database_url, workdir, stack)
        runs = []
        for name, extra in (("uncached", {"CMS_PAGE_CACHE": "off"}), ("cached", {})):
            server_env = {**server_environment(env, config), **extra}
            stack.callback(forget_cache, server_env)
            pages = list(probed["pages"])
            if wagtail and name == "uncached":
                # Next to the article, as the static file is (drive() puts it first).
                pages.insert(1, wagtail)
            print(f"\n{name.capitalize()} (gunicorn, {config.workers} workers):")
            log = workdir / f"gunicorn-{name}.log"
            with gunicorn(server_env, log, config.workers) as url:
                runs.append(Run(name, drive(url, pages, config, expect, log)))
                if name == "uncached":
                    # The latency target is for one reader at a time, not a queue.
                    print("\nUncached, one request at a time:")
                    alone = replace(config, threads=1, connections=1)
                    ours = [page for page in probed["pages"] if "base" not in page]
                    runs.append(Run(ALONE, drive(url, ours, alone, log=log)))
        if wagtail:
            wagtail["rps"] = runs[0].get("wagtail").rps
        text = report(config, probed, runs, host, wagtail)
        print("\n" + text)
        if config.output != "-":
            write_results(Path(config.output), text, probed["database"])
            print(f"Written to {config.output}")


def main(argv: list[str]) -> int:
    # Ctrl-C stops the servers even when started with SIGINT ignored (`cmd &`).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _raise_on_signal)
    signal.signal(signal.SIGHUP, _raise_on_signal)
    try:
        bench(Config.from_env(argv=argv))
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nbench: interrupted; servers stopped.", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
