"""Time each public page and the admin article list in-process, uncached, on the
database DATABASE_URL names (seeded by ``manage.py seed_bench``).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cms_scale DJANGO_DEBUG=1 \\
        .venv/bin/python bench/pages_at_scale.py [--runs 20] [--only home,search]

Each page is fetched with django.test.Client (two warm-up requests, then --runs),
with the page cache off. Printed per page: status, queries per request, p50/p95 of
the time spent in SQL and of the whole request, in milliseconds, and the slowest
query. The article page is measured twice: the first view of an article (rendered
and stored; a different article each run) and a view of a stored page.
"""

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")
os.environ["CMS_PAGE_CACHE"] = "off"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from articles.models import Article, Author, Category, Tag  # noqa: E402
from experts.models import Expert  # noqa: E402

try:  # the stored article pages, where the page store exists
    from articles.models import ArticlePage  # noqa: E402
except ImportError:
    ArticlePage = None

settings.ALLOWED_HOSTS = ["*"]


def pages() -> dict[str, object]:
    """Name -> URL (or a callable giving the URL of run n) of each page measured."""
    published = Article.objects.published()
    section = Category.objects.annotate(n=Count("articles")).order_by("-n").first()
    top = Category.objects.filter(parent__isnull=True).order_by("position").first()
    tag = Tag.objects.annotate(n=Count("articles")).order_by("-n").first()
    author = Author.objects.annotate(n=Count("articles")).order_by("-n").first()
    expert = Expert.objects.annotate(n=Count("quotes__article_uses")).order_by("-n")[0]
    ordinary = list(
        published.annotate(links=Count("related_links"))
        .filter(links=0)
        .order_by("-published_at")[1000:1100]
    )
    standfirst = published.order_by("pk").values_list("standfirst", flat=True)[500]
    # seed_bench ends each standfirst "…explain <topic>, <rare word> and more."
    found = re.search(r", (\w+) and more\.$", standfirst)
    rare_word = found.group(1) if found else "zzzz"

    def first_view(n):
        return ordinary[n % len(ordinary)].get_absolute_url()

    first_view.articles = ordinary
    return {
        "article (first view)": first_view,
        "article (stored)": ordinary[-1].get_absolute_url(),
        "home": "/",
        "home ?page=2": "/?page=2",
        "section": top.get_absolute_url(),
        "section ?page=50": f"{top.get_absolute_url()}?page=50",
        "sub-section": section.get_absolute_url(),
        "tag": tag.get_absolute_url(),
        "author": author.get_absolute_url(),
        "expert": expert.get_absolute_url(),
        "expert index": "/experts/",
        "search common (baby)": "/search/?q=baby",
        "search common, page 5": "/search/?q=baby&page=5",
        f"search rare ({rare_word})": f"/search/?q={rare_word}",
        "rss": "/feeds/rss/",
        "atom": "/feeds/atom/",
        "section rss": f"/feeds/{top.slug}/rss/",
        "author atom": f"/feeds/authors/{author.slug}/atom/",
        "sitemap index": "/sitemap.xml",
        "sitemap articles p1": "/sitemaps/articles.xml",
        "sitemap articles p90": "/sitemaps/articles.xml?p=90",
        "sitemap sections": "/sitemaps/sections.xml",
        "sitemap authors": "/sitemaps/authors.xml",
        "sitemap experts": "/sitemaps/experts.xml",
        "admin list": "/admin/articles/article/",
        "admin list ?state=live": "/admin/articles/article/?state=live",
        "admin list ?category": f"/admin/articles/article/?category__id__exact={section.pk}",
        "admin list ?authors": f"/admin/articles/article/?authors__id__exact={author.pk}",
        "admin list ?review=due": "/admin/articles/article/?review=due",
        "admin list facets": "/admin/articles/article/?_facets=True",
        "admin search": "/admin/articles/article/?q=rash",
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def measure(client: Client, url, runs: int) -> dict:
    totals, sql, counts, status, slowest = [], [], [], None, (0.0, "")
    for n in range(-2, runs):
        path = url(n + 2) if callable(url) else url
        if callable(url) and ArticlePage is not None:
            # A first view: the article's stored page (if any) is dropped first.
            ArticlePage.objects.filter(article__in=url.articles).delete()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(path)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            elapsed = time.perf_counter() - started
        if n < 0:
            continue
        status = response.status_code
        times = [float(q["time"]) for q in queries.captured_queries]
        totals.append(elapsed * 1000)
        sql.append(sum(times) * 1000)
        counts.append(len(times))
        for q in queries.captured_queries:
            if float(q["time"]) * 1000 > slowest[0]:
                slowest = (float(q["time"]) * 1000, q["sql"])
    return {
        "status": status,
        "queries": max(counts),
        "sql50": statistics.median(sql),
        "sql95": percentile(sql, 0.95),
        "p50": statistics.median(totals),
        "p95": percentile(totals, 0.95),
        "slowest": slowest,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--only", default="", help="Comma list of name fragments.")
    parser.add_argument("--sql", action="store_true", help="Print each slowest query.")
    parser.add_argument(
        "--explain", action="store_true", help="EXPLAIN ANALYZE each slowest query."
    )
    args = parser.parse_args()
    settings.DEBUG = True  # queries are captured (and their times) only in debug
    admin, _ = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    staff = Client()
    staff.force_login(admin)
    reader = Client()
    print(f"{connection.vendor}: {Article.objects.count():,} articles")
    print(f"{'page':32} {'st':>3} {'q':>3} {'sql p50':>8} {'sql p95':>8} "
          f"{'p50 ms':>8} {'p95 ms':>8}")  # fmt: skip
    only = [part for part in args.only.split(",") if part]
    for name, url in pages().items():
        if only and not any(part in name for part in only):
            continue
        client = staff if name.startswith("admin") else reader
        r = measure(client, url, args.runs)
        print(
            f"{name[:32]:32} {r['status']:>3} {r['queries']:>3} {r['sql50']:8.1f} "
            f"{r['sql95']:8.1f} {r['p50']:8.1f} {r['p95']:8.1f}",
            flush=True,
        )
        if args.sql:
            print(f"    slowest {r['slowest'][0]:.1f} ms: {r['slowest'][1][:400]}")
        if args.explain and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {r['slowest'][1]}")
                print("\n".join("    " + row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
