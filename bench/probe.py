"""The in-process half of `make bench`: picks the pages to drive, counts each page's
queries and times the article's render with django.test.Client, on the database and
settings the benchmarked server uses (run.py starts it with that environment).

    python bench/probe.py state            what the database holds (JSON)
    python bench/probe.py pages OUT.html   the pages, their queries and render times
                                           (JSON); the reference article's bytes in OUT
    python bench/probe.py content OUT.json the reference article's words, for the
                                           Wagtail comparison site (bench/wagtail/)

The page cache is off here: queries and render times are those of a cache miss.
"""

import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
COMMON_WORD = "baby"
# Words of the demo's reference article, rarest first in the demo; the probe keeps
# whichever matches the fewest published articles (at least one) in this database.
RARE_WORDS = ("neonatorum", "toxicum", "pustules", "erythema")
WARM_UP = 20


def setup() -> None:
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")
    # django.test.Client asks for host "testserver".
    hosts = os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1")
    os.environ["DJANGO_ALLOWED_HOSTS"] = f"{hosts},testserver"
    os.environ["CMS_PAGE_CACHE"] = "off"
    import django

    django.setup()


def state() -> dict:
    """The database's vendor and version, and its published articles (None when the
    articles table does not exist yet)."""
    from django.db import connection

    tables = connection.introspection.table_names()
    articles = None
    if "articles_article" in tables:
        from articles.models import Article

        articles = Article.objects.published().count()
    return {"database": database_name(), "published_articles": articles}


def database_name() -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0].split()[0]
    return f"PostgreSQL {version}"


def reference_article():
    """The demo's flagship (the 11-item list); in a database without the demo, the
    published article with the longest numbered list."""
    from django.db.models import Count

    from articles.demo.content import FLAGSHIP
    from articles.models import Article

    published = Article.objects.published().select_related("category")
    flagship = published.filter(category__slug=FLAGSHIP[0], slug=FLAGSHIP[1]).first()
    if flagship:
        return flagship, "the demo's reference article"
    article = (
        published.annotate(items=Count("list_items")).order_by("-items", "pk").first()
    )
    return article, "the article with the longest numbered list (no demo article)"


def ordinary_article(exclude):
    """The middle published article by id: a seeded one when the bench seeded any."""
    from articles.models import Article

    published = (
        Article.objects.published().exclude(pk=exclude.pk).select_related("category")
    )
    count = published.count()
    return published.order_by("pk")[count // 2] if count else None


def busiest(queryset, relation: str):
    """The row with the most published articles through ``relation``."""
    from django.db.models import Count, Q

    from articles.models import Article

    published = Q(**{f"{relation}__in": Article.objects.published().values("pk")})
    return (
        queryset.annotate(n=Count(relation, filter=published))
        .filter(n__gt=0)
        .order_by("-n", "pk")
        .first()
    )


def rare_word() -> str:
    """BENCH_RARE_WORD (run.py passes on the one seed_bench names), else the demo
    word with the fewest matches."""
    from articles.models import Article

    if os.environ.get("BENCH_RARE_WORD"):
        return os.environ["BENCH_RARE_WORD"]
    counts = {w: Article.objects.published().search(w).count() for w in RARE_WORDS}
    found = {word: n for word, n in counts.items() if n}
    return min(found, key=found.get) if found else RARE_WORDS[0]


def pages(reference, ordinary) -> list[dict]:
    """The public pages to drive, in the order they are reported."""
    from urllib.parse import urlencode

    from django.db.models import Count
    from django.urls import reverse

    from articles.models import Author, Category, Tag
    from experts.models import Expert

    found = [
        ("article", "Article (reference)", reference.get_absolute_url()),
        (
            "ordinary",
            "Article (ordinary)",
            ordinary.get_absolute_url() if ordinary else None,
        ),
        ("home", "Home", reverse("articles:home")),
    ]
    # A top-level section's page lists its sub-sections' articles too.
    sections = Category.objects.filter(parent=None)
    section = max(
        sections,
        key=lambda s: reference.__class__.objects.published().in_section(s).count(),
        default=None,
    )
    section_url = section.get_absolute_url() if section else None
    found += [
        ("section", "Section", section_url),
        ("section_2", "Section ?page=2", section_url and f"{section_url}?page=2"),
    ]
    tag = busiest(Tag.objects.all(), "articles")
    author = busiest(Author.objects.all(), "articles")
    expert = (
        Expert.objects.active()
        .annotate(n=Count("quotes"))
        .filter(n__gt=0)
        .order_by("-n", "pk")
        .first()
    )
    search = reverse("articles:search")
    rare = rare_word()
    published = reference.__class__.objects.published()
    common_n = published.search(COMMON_WORD).count()
    rare_n = published.search(rare).count()
    found += [
        ("tag", "Tag", tag and tag.get_absolute_url()),
        ("author", "Author", author and author.get_absolute_url()),
        ("expert", "Expert", expert and expert.get_absolute_url()),
        (
            "search_common",
            f"Search “{COMMON_WORD}” ({common_n:,} found)",
            f"{search}?{urlencode({'q': COMMON_WORD})}",
        ),
        (
            "search_rare",
            f"Search “{rare}” ({rare_n:,} found)",
            f"{search}?{urlencode({'q': rare})}",
        ),
        ("feed_rss", "RSS feed", reverse("articles:feed_rss")),
        ("feed_atom", "Atom feed", reverse("articles:feed_atom")),
        ("sitemap", "Sitemap index", reverse("sitemap")),
        (
            "sitemap_page",
            "Sitemap page (articles)",
            reverse("sitemaps", kwargs={"section": "articles"}),
        ),
    ]
    return [{"key": k, "label": label, "path": path} for k, label, path in found]


def measure(client, page: dict) -> None:
    """Adds the page's status and queries: ``cold`` on an empty cache, ``queries`` on
    the next request (what a running server pays per request)."""
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for cache in caches.all():
        cache.clear()
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page["path"])
        counts.append(len(queries.captured_queries))
    page.update(
        status=response.status_code,
        cold_queries=counts[0],
        queries=counts[1],
        bytes=len(response.content),
        pictures=response.content.count(b"<picture"),
    )


def median_render_ms(client, path: str, samples: int) -> float:
    """Median wall time of a full request through Django (middleware included)."""
    for _ in range(WARM_UP):
        client.get(path)
    timings = []
    for _ in range(samples):
        start = time.perf_counter()
        client.get(path)
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def probe_pages(out: Path, samples: int) -> dict:
    from django.test import Client

    reference, why = reference_article()
    if reference is None:
        raise SystemExit("No published article to benchmark.")
    ordinary = ordinary_article(reference)
    found = pages(reference, ordinary)
    client = Client()
    for page in found:
        if page["path"]:
            measure(client, page)
    article = client.get(reference.get_absolute_url())
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(article.content)
    renders = {"article": median_render_ms(client, found[0]["path"], samples)}
    if ordinary:
        renders["ordinary"] = median_render_ms(client, found[1]["path"], samples)
    return {
        **state(),
        "reference": why,
        "pages": found,
        "render_ms": renders,
        "render_samples": samples,
    }


MARKER = re.compile(r"</?cms-(?:block|inline)\b[^>]*>")


def filled(article) -> tuple[str, list[tuple[str, str]]]:
    """The body and list items as the page shows them (quotes and mentions filled);
    the stored HTML without its markers where the model has no such method."""
    try:
        body = str(article.body_for_page())
        items = [(item.heading, str(html)) for item, html in article.numbered_list()]
    except (AttributeError, TypeError, ValueError):
        body = MARKER.sub("", article.body_html)
        items = [(item.heading, item.text_html) for item in article.list_items.all()]
    return body, items


def content(out: Path) -> dict:
    """The reference article's words and four other articles' titles, as JSON."""
    from articles.models import Article

    reference, _ = reference_article()
    article = Article.objects.published().for_page().get(pk=reference.pk)
    body, items = filled(article)
    others = Article.objects.published().exclude(pk=article.pk).order_by("pk")[:4]
    data = {
        "title": article.title,
        "standfirst": article.standfirst,
        "body_html": body,
        "items": [{"heading": h, "text_html": html} for h, html in items],
        "related": [{"title": a.title, "standfirst": a.standfirst} for a in others],
    }
    out.write_text(json.dumps(data))
    return {"items": len(items), "body_chars": len(body)}


def main(argv: list[str]) -> None:
    setup()
    if argv[:1] == ["state"]:
        result = state()
    elif argv[:1] == ["pages"] and len(argv) == 2:
        samples = int(os.environ.get("BENCH_RENDER_SAMPLES", "200"))
        result = probe_pages(Path(argv[1]), samples)
    elif argv[:1] == ["content"] and len(argv) == 2:
        result = content(Path(argv[1]))
    else:
        raise SystemExit(__doc__)
    print("PROBE_RESULT " + json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
