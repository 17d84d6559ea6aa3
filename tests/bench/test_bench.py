"""`make bench`'s driver: the pages it picks, what it reads from wrk, what it writes."""

import http.server
import shutil
import subprocess
import threading

import pytest

from bench import probe, run
from tests.factories import ArticleFactory, ListItemFactory


def test_every_page_the_bench_drives_answers_on_the_demo(demo, client):
    reference, why = probe.reference_article()
    found = probe.pages(reference, probe.ordinary_article(reference))

    assert why == "the demo's reference article"
    assert reference.list_items.count() == 11
    assert [page["key"] for page in found] == [
        "article",
        "ordinary",
        "home",
        "section",
        "section_2",
        "tag",
        "author",
        "expert",
        "search_common",
        "search_rare",
        "feed_rss",
        "feed_atom",
        "sitemap",
        "sitemap_page",
    ]
    answers = {page["key"]: client.get(page["path"]).status_code for page in found}
    # The demo has too few articles for a section's second page.
    assert answers == {page["key"]: 200 for page in found} | {"section_2": 404}


def test_rare_search_word_matches_few_articles(demo):
    from articles.models import Article

    word = probe.rare_word()

    assert 1 <= Article.objects.published().search(word).count() <= 2


@pytest.mark.django_db
def test_without_the_demo_the_reference_is_the_longest_numbered_list():
    short = ArticleFactory(published=True)
    ListItemFactory(article=short)
    long = ArticleFactory(published=True)
    ListItemFactory.create_batch(3, article=long)
    ArticleFactory()  # a draft is never benchmarked

    reference, why = probe.reference_article()

    assert reference == long
    assert "longest numbered list" in why
    assert probe.ordinary_article(reference) == short


@pytest.mark.django_db
def test_measure_counts_queries_of_a_running_server(client):
    article = ArticleFactory(published=True)
    page = {"key": "article", "path": article.get_absolute_url()}

    probe.measure(client, page)

    assert page["status"] == 200
    assert 0 < page["queries"] <= page["cold_queries"]


def test_wrk_result_line_is_read_among_wrks_own_output():
    stdout = (
        "Running 1s test @ http://127.0.0.1:1/\n  2 threads and 8 connections\n"
        'BENCH_RESULT {"requests": 10, "rps": 9.5, "p50_ms": 1.0, "errors": {}}\n'
    )

    assert run.parse_wrk(stdout)["rps"] == 9.5
    with pytest.raises(run.BenchError, match="no result"):
        run.parse_wrk("unable to connect to 127.0.0.1:1 Connection refused\n")


def test_results_replace_only_the_same_databases_section(tmp_path):
    doc = tmp_path / "performance.md"
    doc.write_text("# Performance\n\nHow to run it.\n\n## Results\n")

    run.write_results(doc, "old sqlite\n", "SQLite 3.40.1")
    run.write_results(doc, "postgres\n", "PostgreSQL 15.4")
    run.write_results(doc, "new sqlite\n", "SQLite 3.40.1")

    text = doc.read_text()
    assert text.startswith("# Performance\n\nHow to run it.\n\n## Results\n")
    assert "old sqlite" not in text
    assert text.count("new sqlite") == 1
    assert text.index("new sqlite") < text.index("postgres")


def _probed():
    return {
        "database": "SQLite 3.40.1",
        "published_articles": 310,
        "reference": "the demo's reference article",
        "render_ms": {"article": 3.5},
        "render_samples": 200,
        "pages": [
            {
                "key": "article",
                "queries": 3,
                "cold_queries": 4,
                "bytes": 56000,
                "pictures": 17,
            },
            {"key": "home", "queries": 5, "cold_queries": 5},
        ],
    }


def _run(name, article, static):
    return run.Run(
        name,
        [
            run.Result(
                "article", "Article (reference)", "/a/b/", article, 1, 2, 3, kb=56.9
            ),
            run.Result("home", "Home", "/", None, note="answers 404"),
            run.Result("static", "Article as a static file", "/s", static, 1, 1, 1),
        ],
    )


def test_report_gives_targets_ratios_and_a_table_per_run():
    runs = [_run("uncached", 460.0, 5000.0), _run("cached", 4100.0, 5000.0)]
    host = {
        "cores": 2,
        "cpu": "Xeon",
        "memory": "24 GiB",
        "python": "3.11.7",
        "commit": "abc123",
        "load": 0.5,
    }

    wagtail = {
        "rps": 50.0,
        "bytes": 48000,
        "pictures": 16,
        "queries": 30,
        "render_ms": 40.0,
    }
    text = run.report(run.Config(), _probed(), runs, host, wagtail=wagtail)

    assert "### SQLite 3.40.1, 310 published articles" in text
    assert "reference article 3.50 ms" in text
    assert "Queries per request, reference article: 3 (4 cold)" in text
    assert "56,000 bytes, 17 <picture> elements" in text
    assert "(48,000 bytes, 16 <picture> elements), 50.0 req/s" in text
    assert "30 queries per request and a median render of 40.00 ms" in text
    assert "10.0× Wagtail 7.0's 46.0 req/s" in text
    assert "9.2× Wagtail's 50.0 req/s in this run" in text
    assert "= 82% (target ≥ 80%)" in text
    assert (
        "| Article (reference) `/a/b/` | 460.0 | 1.00 | 2.00 | 3.00 | 56.9 | 3 (4 cold) |"
        in (text)
    )
    assert "| Home `/` (answers 404) | – | – | – | – | – | 5 |" in text
    assert (
        "| Article (reference) `/a/b/` | 4,100.0 | 1.00 | 2.00 | 3.00 | 56.9 | 8.91× |"
        in (text)
    )


def test_settings_come_from_the_environment():
    config = run.Config.from_env(
        {"BENCH_SECONDS": "5", "BENCH_WORKERS": "4", "DATABASE_URL": "postgres://x/y"}
    )

    assert (config.seconds, config.workers, config.threads) == (5, 4, 2)
    assert config.database_url == "postgres://x/y"
    assert not config.wagtail
    assert run.Config.from_env({}, argv=["--wagtail"]).wagtail


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("wrk"), reason="needs wrk (apt-get install wrk)")
def test_lua_script_reports_throughput_and_percentiles(tmp_path):
    (tmp_path / "page.html").write_text("<p>hello</p>")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(tmp_path), **kwargs)

        def log_message(self, *args):
            pass

    class Server(http.server.ThreadingHTTPServer):
        def handle_error(self, request, client_address):
            pass  # wrk drops its connections when time is up

    server = Server(("127.0.0.1", 0), Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/page.html"
        config = run.Config(seconds=1, threads=1, connections=2)
        result = run.wrk(url, config)
    finally:
        server.shutdown()
        server.server_close()

    assert result["requests"] > 0
    assert result["rps"] > 0
    assert 0 < result["p50_ms"] <= result["p95_ms"] <= result["p99_ms"]
    assert sum(result["errors"].values()) == 0


def test_make_bench_installs_wrk_when_missing():
    makefile = (run.BASE_DIR / "Makefile").read_text()
    dry_run = subprocess.run(
        ["make", "-n", "bench"], cwd=run.BASE_DIR, capture_output=True, text=True
    )

    assert "bench:" in makefile
    assert "apt-get install -y -qq wrk" in dry_run.stdout
    assert "bench/run.py" in dry_run.stdout
