"""`make bench`, the read API: p50/p95 of the article list and detail at scale.

First in-process with the page cache off (django.test.Client, BENCH_API_RUNS requests
each after a warm-up): the list as it comes, by the busiest section, tag and author,
and a page deep in the cursor; one article by id and by address, its stored answer
read (one query), and by id the first time (a different article each request, its
stored answer dropped first, so rendered and stored). Then the same addresses through
gunicorn with the page cache on, driven by wrk, as `bench/run.py` drives the pages.

    make bench                                       # after bench/run.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cms_scale \\
        .venv/bin/python bench/api_at_scale.py       # a database seeded once

The database is built as bench/run.py builds it (BENCH_ARTICLES articles from
`manage.py seed_bench`, and the demo), or DATABASE_URL is used as it is: the
100,000-article numbers come from one filled with `seed_bench --articles 100000`
(docs/performance.md). Target: p95 under 50 ms for the list and the detail, uncached.
The rate limit is raised out of reach for wrk (it still counts every request).
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlencode

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))  # run as a script: the project's modules too

from bench import probe, run  # noqa: E402

API = "/api/v1"
TARGET_MS = 50
WARM_UP = 5
RESULT = "API_RESULT "


# --- In-process, page cache off (run in a child with the bench's environment) -------


def targets(runs: int) -> list[dict]:
    """The requests measured: ``path`` is an address, or one per request for the
    first view (each article's stored answer, ``drop_stored``, is dropped first)."""
    from django.urls import reverse

    from articles.models import Article, Author, Category, Tag
    from cms.api import cursor

    published = Article.objects.published().select_related("category")
    count = published.count()
    if not count:
        raise SystemExit("No published article to benchmark.")
    section = max(
        Category.objects.filter(parent=None),
        key=lambda s: published.in_section(s).count(),
    )
    tag = probe.busiest(Tag.objects.all(), "articles")
    author = probe.busiest(Author.objects.all(), "articles")
    newest = published.order_by("-published_at", "-pk")
    middle = newest[count // 2]
    deep = cursor.encode("newest", middle.published_at, middle.pk)
    ordinary = probe.ordinary_article(newest.first()) or newest.first()
    # Never viewed through the API in this run: each is rendered once, then stored.
    fresh = list(newest.exclude(pk=ordinary.pk)[: runs + WARM_UP])
    articles = f"{API}/articles"
    by_id = [reverse("api:article", kwargs={"pk": a.pk}) for a in fresh]
    address = {"section": ordinary.category.slug, "slug": ordinary.slug}
    return [
        {"key": "list", "label": "List", "path": articles},
        {
            "key": "list_section",
            "label": f"List ?section={section.slug}",
            "path": f"{articles}?{urlencode({'section': section.slug})}",
        },
        {
            "key": "list_tag",
            "label": f"List ?tag={tag.slug}",
            "path": f"{articles}?{urlencode({'tag': tag.slug})}",
        },
        {
            "key": "list_author",
            "label": f"List ?author={author.slug}",
            "path": f"{articles}?{urlencode({'author': author.slug})}",
        },
        {
            "key": "list_deep",
            "label": f"List, cursor after #{count // 2:,}",
            "path": f"{articles}?{urlencode({'cursor': deep})}",
        },
        {
            "key": "detail",
            "label": "Detail by id (stored)",
            "path": reverse("api:article", kwargs={"pk": ordinary.pk}),
        },
        {
            "key": "detail_at",
            "label": "Detail by address (stored)",
            "path": reverse("api:article_at", kwargs=address),
        },
        {
            "key": "detail_first",
            "label": "Detail by id (first view)",
            "path": by_id,
            "drop_stored": [a.pk for a in fresh],
        },
    ]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(client, target: dict, runs: int) -> dict:
    """Status, queries and p50/p95 (ms) of the whole request and of its SQL."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from articles.models import ArticlePage

    totals, sql, counts, status = [], [], [], None
    for n in range(runs + WARM_UP):
        path = target["path"]
        if isinstance(path, list):
            path = path[n]
            ArticlePage.objects.filter(article_id=target["drop_stored"][n]).delete()
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(path)
            elapsed = time.perf_counter() - start
        status = response.status_code
        if status != 200:
            break
        if n >= WARM_UP:
            totals.append(elapsed * 1000)
            sql.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
            counts.append(len(queries.captured_queries))
    result = {**target, "status": status, "runs": len(totals)}
    if isinstance(target["path"], list):
        result["path"] = f"{API}/articles/<id>"
    result.pop("drop_stored", None)
    if totals:
        result.update(
            queries=max(counts),
            sql50=statistics.median(sql),
            sql95=percentile(sql, 0.95),
            p50=statistics.median(totals),
            p95=percentile(totals, 0.95),
        )
    return result


def measure_all(runs: int) -> dict:
    from django.test import Client

    client = Client()
    found = targets(runs)
    return {
        **probe.state(),
        "runs": runs,
        "results": [measure(client, target, runs) for target in found],
    }


# --- Reporting ------------------------------------------------------------------------


def _ms(result: dict, key: str) -> str:
    return f"{result[key]:8.1f}" if key in result else f"{'–':>8}"


def in_process_table(measured: dict) -> str:
    lines = [
        f"{'request':44} {'st':>3} {'q':>3} {'sql p50':>8} {'sql p95':>8} "
        f"{'p50 ms':>8} {'p95 ms':>8}"
    ]
    for r in measured["results"]:
        lines.append(
            f"{r['label'][:44]:44} {r['status']:>3} {r.get('queries', '–'):>3} "
            f"{_ms(r, 'sql50')} {_ms(r, 'sql95')} {_ms(r, 'p50')} {_ms(r, 'p95')}"
        )
    return "\n".join(lines)


def verdict(measured: dict) -> str:
    """One line per kind of request: its worst p95 against the target."""
    lines = []
    for kind, prefix in (("list", "list"), ("detail", "detail")):
        rows = [r for r in measured["results"] if r["key"].startswith(prefix)]
        timed = [r for r in rows if "p95" in r and r["status"] == 200]
        if len(timed) < len(rows):
            lines.append(f"- {kind}: some requests did not answer 200 (see above).")
            continue
        worst = max(timed, key=lambda r: r["p95"])
        met = "met" if worst["p95"] < TARGET_MS else "NOT met"
        lines.append(
            f"- {kind}: worst p95 {worst['p95']:.1f} ms ({worst['label']}); "
            f"target < {TARGET_MS} ms {met}."
        )
    return "\n".join(lines)


# --- Driver -----------------------------------------------------------------------


def child(env: dict, runs: int) -> dict:
    """This script's in-process half, in a process with the bench's environment."""
    result = subprocess.run(
        [sys.executable, __file__, "measure", str(runs)],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    for line in result.stdout.splitlines():
        if line.startswith(RESULT):
            return json.loads(line.removeprefix(RESULT))
    raise run.BenchError(
        f"bench/api_at_scale.py measure exited {result.returncode}\n"
        f"{result.stdout}{result.stderr}"
    )


def bench(config: run.Config, runs: int) -> None:
    with ExitStack() as stack:
        workdir = Path(tempfile.mkdtemp(prefix="cms-api-bench-"))
        if config.keep:
            print(f"Work directory (kept): {workdir}")
        else:
            stack.callback(shutil.rmtree, workdir, ignore_errors=True)
        database_url = config.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
        env = run.environment(workdir, config, database_url)
        run.prepare_database(env, config)
        print(
            f"\nThe API in-process, page cache off ({runs} requests each)…", flush=True
        )
        measured = child(env, runs)
        print(
            f"\n{measured['database']}, {measured['published_articles']:,} published "
            f"articles; uncached, in-process, {runs} requests each after {WARM_UP} "
            "warm-up (ms):\n"
        )
        print(in_process_table(measured))
        print("\n" + verdict(measured))
        if not shutil.which("wrk"):
            print(
                "\nwrk is not installed: no run through gunicorn (make bench has it)."
            )
            return
        server_env = {
            **run.server_environment(env, config),
            "CMS_API_RATE_LIMIT": str(10**9),
        }
        stack.callback(run.forget_cache, server_env)
        pages = [r for r in measured["results"] if r["key"] != "detail_first"]
        print(
            f"\nThe API cached: gunicorn, {config.workers} workers, page cache on; "
            f"`wrk -t{config.threads} -c{config.connections} -d{config.seconds}s`:"
        )
        log = workdir / "gunicorn-api.log"
        with run.gunicorn(server_env, log, config.workers) as url:
            run.drive(url, pages, config, log=log)


def main(argv: list[str]) -> int:
    if argv[:1] == ["measure"]:
        probe.setup()
        print(RESULT + json.dumps(measure_all(int(argv[1]))))
        return 0
    runs = int(os.environ.get("BENCH_API_RUNS", "200"))
    try:
        bench(run.Config.from_env(argv=argv), runs)
    except run.BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nbench: interrupted; servers stopped.", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
