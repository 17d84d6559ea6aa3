"""The page cache in front of Django (cms/pagecache.py), driven as a WSGI server would."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import caches
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.demo.loader import flagship_url
from articles.models import Article, PageDependency
from cms.pagecache import PageCache
from tests.articles.test_pages import VISIBLE_CHANGES, model_of
from tests.factories import (
    ArticleFactory,
    ArticleQuoteFactory,
    AuthorFactory,
    CategoryFactory,
    ExpertFactory,
    QuoteFactory,
    TagFactory,
    UserFactory,
)
from tests.wsgi import Response, Server

pytestmark = pytest.mark.django_db


def stored(server, path) -> Response:
    first = server.get(path)
    assert first.status == 200, first.text[:500]
    again = server.get(path)
    assert again.hit, f"{path} was not kept"
    return again


def test_a_hit_is_answered_before_django_with_the_same_bytes(server):
    article = ArticleFactory(published=True)
    first = server.get(article.get_absolute_url())
    assert first.headers["x-page-cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        again = server.get(article.get_absolute_url())
    assert again.hit and again.body == first.body
    assert len(queries) == 0
    assert "x-cache-tags" not in again.headers
    assert "s-maxage=" in again.headers["cache-control"]
    assert "public" in again.headers["cache-control"]


def test_a_head_request_gets_headers_only(server):
    article = ArticleFactory(published=True)
    stored(server, article.get_absolute_url())
    head = server.get(article.get_absolute_url(), method="HEAD")
    assert head.hit and head.body == b""
    assert int(head.headers["content-length"]) > 0


def test_a_reader_with_the_page_already_gets_304(server):
    article = ArticleFactory(published=True)
    page = stored(server, article.get_absolute_url())
    etag, modified = page.headers["etag"], page.headers["last-modified"]
    assert server.get(article.get_absolute_url(), if_none_match=etag).status == 304
    assert (
        server.get(article.get_absolute_url(), if_modified_since=modified).status == 304
    )
    assert server.get(article.get_absolute_url(), if_none_match='"other"').status == 200


def test_uncached_pages_still_answer_304(server, settings):
    settings.CMS_PAGE_CACHE = False
    article = ArticleFactory(published=True)
    page = server.get(article.get_absolute_url())
    assert "x-page-cache" not in page.headers and "x-cache-tags" not in page.headers
    assert (
        server.get(
            article.get_absolute_url(), if_none_match=page.headers["etag"]
        ).status
        == 304
    )


def test_logged_in_staff_are_never_served_or_stored(server, client):
    article = ArticleFactory(published=True)
    stored(server, article.get_absolute_url())
    client.force_login(UserFactory(staff=True, superuser=True))
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    response = server.get(article.get_absolute_url(), cookie=cookie)
    assert response.status == 200 and "x-page-cache" not in response.headers
    assert "private" in response.headers["cache-control"]


@pytest.mark.parametrize("path", ["/admin/login/", "/health/"])
def test_pages_nobody_tagged_are_not_stored(server, path):
    server.get(path)
    assert not server.get(path).hit


def test_previews_and_share_links_are_never_stored(server):
    from articles.previews import make_share_token as share_token

    draft = ArticleFactory(title="Private draft")
    path = reverse("articles:share_preview", args=[share_token(draft)])
    first, again = server.get(path), server.get(path)
    assert first.status == again.status == 200
    assert "Private draft" in again.text and not again.hit
    assert "no-cache" in again.headers["cache-control"]


def test_not_found_is_not_stored(server):
    server.get("/nowhere/at-all/")
    assert not server.get("/nowhere/at-all/").hit


# Exact invalidation -------------------------------------------------------------


def test_editing_an_article_clears_its_page_and_the_pages_listing_it_only(
    server, commit
):
    tag, other_tag = TagFactory(), TagFactory()
    article = ArticleFactory(published=True, title="Before")
    article.tags.add(tag)
    other = ArticleFactory(published=True)
    other.tags.add(other_tag)
    home, own = reverse("articles:home"), article.get_absolute_url()
    paths = [home, own, other.get_absolute_url(), tag.get_absolute_url()]
    paths.append(other_tag.get_absolute_url())
    for path in paths:
        stored(server, path)

    def rename():
        article.title = "After"
        article.save()

    commit(rename)

    for path in (home, own, tag.get_absolute_url()):
        page = server.get(path)
        assert not page.hit and "After" in page.text, path
    assert server.get(other.get_absolute_url()).hit
    assert server.get(other_tag.get_absolute_url()).hit


def test_publishing_clears_the_lists_it_joins(server, commit):
    section, elsewhere = CategoryFactory(), CategoryFactory()
    author = AuthorFactory()
    tag = TagFactory()
    ArticleFactory(published=True, category=section)
    ArticleFactory(published=True, category=elsewhere)
    draft = ArticleFactory(category=section, authors=[author], title="Fresh news")
    draft.tags.add(tag)
    lists = [
        reverse("articles:home"),
        section.get_absolute_url(),
        tag.get_absolute_url(),
        author.get_absolute_url(),
        reverse("articles:feed_rss"),
        reverse("articles:section_feed_atom", args=[section.slug]),
        "/sitemap.xml",
    ]
    for path in [*lists, elsewhere.get_absolute_url()]:
        stored(server, path)

    def publish():
        draft.status = Article.Status.PUBLISHED
        draft.save()

    commit(publish)
    for path in lists:
        assert not server.get(path).hit, path
    assert "Fresh news" in server.get(section.get_absolute_url()).text
    assert server.get(elsewhere.get_absolute_url()).hit


def test_unpublishing_clears_its_page_and_its_lists(server, commit):
    article = ArticleFactory(published=True, title="Going away")
    section = article.category.get_absolute_url()
    for path in (article.get_absolute_url(), section):
        stored(server, path)

    def unpublish():
        article.status = Article.Status.DRAFT
        article.save()

    commit(unpublish)
    assert server.get(article.get_absolute_url()).status == 404
    assert "Going away" not in server.get(section).text


def test_renaming_an_expert_clears_the_pages_quoting_them_only(server, commit):
    expert = ExpertFactory(job_title="Paediatrician")
    quote = QuoteFactory(expert=expert, status="approved")
    quoting = ArticleFactory(published=True, body=f"## A\n\n{quote.reference}")
    ArticleQuoteFactory(article=quoting, quote=quote)
    unrelated = ArticleFactory(published=True)
    for path in (quoting.get_absolute_url(), unrelated.get_absolute_url()):
        stored(server, path)
    stored(server, expert.get_absolute_url())

    def rename():
        expert.job_title = "Chief of Neonatology"
        expert.save()

    commit(rename)
    page = server.get(quoting.get_absolute_url())
    assert not page.hit and "Chief of Neonatology" in page.text
    assert "Chief of Neonatology" in server.get(expert.get_absolute_url()).text
    assert server.get(unrelated.get_absolute_url()).hit


def test_renaming_a_section_clears_every_page(server, commit):
    """Every page's header lists the sections."""
    section = CategoryFactory(name="Toddler")
    article = ArticleFactory(published=True)
    for path in (reverse("articles:home"), article.get_absolute_url()):
        stored(server, path)

    def rename():
        section.name = "Little ones"
        section.save()

    commit(rename)
    assert "Little ones" in server.get(reverse("articles:home")).text
    assert "Little ones" in server.get(article.get_absolute_url()).text


def test_renaming_an_author_clears_their_pages_and_bylines(server, commit):
    author = AuthorFactory(display_name="Jo Writer")
    article = ArticleFactory(published=True, authors=[author])
    other = ArticleFactory(published=True)
    paths = [
        article.get_absolute_url(),
        author.get_absolute_url(),
        reverse("articles:home"),
    ]
    for path in [*paths, other.get_absolute_url()]:
        stored(server, path)

    def rename():
        author.display_name = "Jo Renamed"
        author.save()

    commit(rename)
    for path in paths:
        assert "Jo Renamed" in server.get(path).text, path
    assert server.get(other.get_absolute_url()).hit


def test_a_scheduled_article_appears_at_its_time(server):
    soon = timezone.now() + timedelta(seconds=30)
    ArticleFactory(published=True, published_at=soon, title="Scheduled story")
    home = reverse("articles:home")
    assert "Scheduled story" not in stored(server, home).text
    with time_machine.travel(soon + timedelta(seconds=1)):
        page = server.get(home)
    assert not page.hit and "Scheduled story" in page.text


def test_an_expired_article_leaves_at_its_time(server):
    soon = timezone.now() + timedelta(seconds=30)
    article = ArticleFactory(published=True, expires_at=soon, title="Short-lived")
    home = reverse("articles:home")
    assert "Short-lived" in stored(server, home).text
    with time_machine.travel(soon + timedelta(seconds=1)):
        assert "Short-lived" not in server.get(home).text
        assert server.get(article.get_absolute_url()).status == 404


def test_a_render_that_raced_a_change_is_never_served(server, commit):
    """A page whose render began before a change committed is dropped on its next hit."""
    article = ArticleFactory(published=True)
    path = article.get_absolute_url()
    original = PageCache._storable

    def change_meanwhile(*args):
        commit(lambda: Article.objects.get(pk=article.pk).save())
        return original(*args)

    PageCache._storable = staticmethod(change_meanwhile)
    try:
        server.get(path)
    finally:
        PageCache._storable = staticmethod(original)
    assert not server.get(path).hit


def test_the_purge_hook_gets_the_addresses_that_changed(server, settings, commit):
    settings.CMS_PAGE_CACHE_PURGE = "tests.cms.test_pagecache.RecordingPurge"
    RecordingPurge.purged = []
    article = ArticleFactory(published=True)
    untouched = ArticleFactory(published=True)
    for path in (article.get_absolute_url(), untouched.get_absolute_url(), "/"):
        stored(server, path)

    def edit():
        article.standfirst = "New standfirst."
        article.save()

    commit(edit)
    purged = {url for urls in RecordingPurge.purged for url in urls}
    assert article.get_absolute_url() in purged and "/" in purged
    assert untouched.get_absolute_url() not in purged


class RecordingPurge:
    purged: list = []

    def purge(self, urls):
        self.purged.append(urls)


def test_a_cache_that_is_down_costs_speed_not_the_page(server, settings, commit):
    down = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
    }
    article = ArticleFactory(published=True, title="Still here")
    with override_settings(
        CACHES={**settings.CACHES, "pages": down, "page-versions": down}
    ):
        for _ in range(2):
            page = server.get(article.get_absolute_url())
            assert page.status == 200 and "Still here" in page.text
        article.title = "Edited while the cache is down"
        commit(article.save)
        assert "Edited while" in server.get(article.get_absolute_url()).text


def test_a_server_process_serves_the_fresh_copy_another_one_stored(server, commit):
    """Each process keeps copies of its own; after a change, one process's new render
    is what every other process serves, without rendering again."""
    other_process = Server()
    article = ArticleFactory(published=True)
    path = article.get_absolute_url()
    stored(server, path)
    stored(other_process, path)

    def edit():
        article.title = "Fresh everywhere"
        article.save()

    commit(edit)
    with time_machine.travel(timezone.now() + timedelta(seconds=2)):
        assert not server.get(path).hit
        page = other_process.get(path)
    assert page.hit and "Fresh everywhere" in page.text


def test_a_page_rendered_just_after_a_change_is_not_kept_while_a_replica_may_lag(
    server, commit, settings
):
    """With a read replica, a render that began right after a change may have read the
    replica before the change reached it: it is served to its reader, not kept."""
    settings.CMS_PAGE_CACHE_DISTRUST_SECONDS = 0.5
    article = ArticleFactory(published=True)
    path = article.get_absolute_url()
    stored(server, path)

    def edit():
        article.title = "Just changed"
        article.save()

    commit(edit)
    for _ in range(2):
        page = server.get(path)
        assert not page.hit and "Just changed" in page.text
    with time_machine.travel(timezone.now() + timedelta(seconds=2)):
        server.get(path)
        assert server.get(path).hit


def test_a_page_rendered_after_a_change_is_kept_at_once(server, commit):
    article = ArticleFactory(published=True)
    path = article.get_absolute_url()
    stored(server, path)

    def edit():
        article.title = "Kept at once"
        article.save()

    commit(edit)
    assert not server.get(path).hit
    page = server.get(path)
    assert page.hit and "Kept at once" in page.text


def test_the_clock_is_shared_by_every_process_on_a_machine(tmp_path, settings):
    """Without Redis, server processes share files; the counter is taken under a lock."""
    import threading

    from cms import pagecache

    settings.CACHES = {
        **settings.CACHES,
        "page-versions": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
        },
    }
    threads = [
        threading.Thread(target=pagecache.bump, args=({f"tag:{n}"},)) for n in range(20)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    store = caches["page-versions"]
    counts = sorted(store.get(f"tag:tag:{n}")[0] for n in range(20))
    assert counts == list(range(counts[0], counts[0] + 20))
    assert store.get(pagecache.CLOCK_KEY) == counts[-1]


def test_a_lost_or_unreadable_clock_never_makes_an_old_page_look_new(server, commit):
    """The counter starts again above any count before it."""
    from cms import pagecache

    article = ArticleFactory(published=True)
    path = article.get_absolute_url()
    stored(server, path)
    caches["page-versions"].set(pagecache.CLOCK_KEY, "not a count", timeout=None)

    def edit():
        article.title = "After the clock was lost"
        article.save()

    commit(edit)
    page = server.get(path)
    assert not page.hit and "After the clock was lost" in page.text


def test_scheduling_an_article_after_pages_were_stored_shows_it_on_time(server, commit):
    home = reverse("articles:home")
    ArticleFactory(published=True)
    stored(server, home)  # nothing scheduled yet: kept for a day
    soon = timezone.now() + timedelta(seconds=30)
    draft = ArticleFactory(title="Goes live soon")

    def schedule():
        draft.status = Article.Status.PUBLISHED
        draft.published_at = soon
        draft.save()

    commit(schedule)
    assert "Goes live soon" not in stored(server, home).text
    with time_machine.travel(soon + timedelta(seconds=1)):
        page = server.get(home)
    assert not page.hit and "Goes live soon" in page.text


@pytest.mark.parametrize("kind", sorted(VISIBLE_CHANGES))
def test_a_change_to_anything_the_flagship_shows_clears_its_stored_page(
    server, commit, demo, kind
):
    """The demo's flagship shows one of each kind; each change reaches readers."""
    path = flagship_url()
    text = stored(server, path).text
    field, value = VISIBLE_CHANGES[kind]
    article = Article.objects.get(slug=path.rstrip("/").rsplit("/", 1)[1])
    shown = PageDependency.objects.filter(page_id=article.pk, kind=kind)
    obj = next(
        obj
        for obj in model_of(kind).objects.filter(pk__in=shown.values("object_id"))
        if str(getattr(obj, field)) in text
    )
    setattr(obj, field, value)
    commit(obj.save)
    page = server.get(path)
    assert not page.hit and value in page.text


def test_writes_inside_invalidating_once_clear_their_pages_once_at_the_end(
    monkeypatch,
):
    """An import's thousands of transactions make one bump, with every tag, at the
    end; even when it ends in an error."""
    from cms import pagecache

    bumps = []
    monkeypatch.setattr(pagecache, "bump", lambda tags: bumps.append(set(tags)))

    with pytest.raises(KeyboardInterrupt):
        with pagecache.invalidating_once():
            pagecache.invalidate("articles", "section:1")
            with pagecache.invalidating_once():  # nested: the outer one bumps
                pagecache.invalidate("tag:2")
            assert bumps == []
            raise KeyboardInterrupt

    assert bumps == [{"articles", "section:1", "tag:2"}]
