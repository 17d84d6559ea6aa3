"""Renditions made by the background worker on the database queue (cms/images.py):
a save only queues them; until the worker has run, pages show the original at its
size; afterwards the full <picture>, and no page links an original upload."""

import logging
import re
from pathlib import Path
from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from articles.models import Article, ListItem
from cms import images
from cms.models import Image as LibraryImage
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    ExpertFactory,
    ListItemFactory,
    image_file,
)
from tests.html_forms import form_fields

# The worker runs in its own transactions, as it does beside a server.
pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
URL_ATTRIBUTES = ("href", "src", "srcset", "content")


@pytest.fixture(autouse=True)
def database_queue(settings):
    settings.TASKS = DATABASE_QUEUE


def run_worker() -> None:
    """``manage.py db_worker --batch``: every queued task, then stop."""
    call_command("db_worker", batch=True, startup_delay=False, interval=0, verbosity=0)


def rendition_files() -> list[Path]:
    return sorted((Path(settings.MEDIA_ROOT) / "renditions").rglob("*.*"))


def queued() -> list[tuple[str, list]]:
    return [
        (task.task_path, task.args_kwargs["args"])
        for task in DBTaskResult.objects.filter(status="READY")
    ]


def soup(html) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def linked_urls(page: BeautifulSoup) -> set[str]:
    """Every address in a link, image, srcset, meta tag or JSON-LD of the page."""
    urls = set()
    for tag in page.find_all(True):
        for attribute in URL_ATTRIBUTES:
            for part in (tag.get(attribute) or "").split(","):
                if part.strip():
                    urls.add(part.split()[0])
    for script in page.find_all("script", type="application/ld+json"):
        urls.update(re.findall(r'"(https?://[^"]+)"', script.string))
    return urls


def originals_linked(page: BeautifulSoup) -> set[str]:
    """Linked addresses of uploads rather than renditions."""
    media = settings.MEDIA_URL
    return {
        url
        for url in linked_urls(page)
        if f"{media}" in url and f"{media}renditions/" not in url
    }


def hero_article(**values) -> Article:
    return ArticleFactory(
        published=True,
        hero_image=image_file("hero.jpg", size=(2000, 1000), fmt="JPEG"),
        hero_alt="A baby asleep on a blanket",
        **values,
    )


def upload_through_the_admin(admin_client, name="hero.jpg", size=(2000, 1000)):
    url = reverse("admin:cms_image_add")
    data = form_fields(admin_client.get(url).content.decode())
    data.update(
        title=["A cot by a window"],
        file=image_file(name, size=size, fmt="JPEG"),
        alt=["A cot by a window"],
        _save=["Save"],
    )
    return admin_client.post(url, data)


def test_an_admin_upload_queues_the_renditions_and_makes_none(admin_client):
    response = upload_through_the_admin(admin_client)

    assert response.status_code == 302
    image = LibraryImage.objects.get()
    assert image.file and image.file_renditions is None
    assert queued() == [("cms.images.make_renditions", ["cms.image", image.pk, "file"])]
    assert rendition_files() == []

    run_worker()

    # Every preset a library image is shown in: hero (4 widths), card, item and
    # portrait (3 each), each in WebP and JPEG.
    assert len(rendition_files()) == 26
    assert queued() == []
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    image.refresh_from_db()
    assert image.file_renditions == [image.file.name, 50, 50]


def test_a_replaced_file_is_served_on_the_article_page_once_the_task_has_run(
    admin_client, client
):
    article = hero_article()
    run_worker()
    first = soup(client.get(article.get_absolute_url()).content.decode())
    old_name = article.hero_image.file.name
    url = reverse("admin:cms_image_change", args=[article.hero_image.pk])
    data = form_fields(admin_client.get(url).content.decode())
    data.update(file=image_file("new.jpg", size=(1800, 900), fmt="JPEG"), _save="Save")

    assert admin_client.post(url, data).status_code == 302

    # Until the worker has run, the page shows the new original, never the old file.
    between = soup(client.get(article.get_absolute_url()).content.decode())
    hero = between.select_one("figure.hero img")
    new_name = LibraryImage.objects.get(pk=article.hero_image.pk).file.name
    assert new_name != old_name
    assert hero["src"] == LibraryImage.objects.get(pk=article.hero_image.pk).file.url
    run_worker()
    after = soup(client.get(article.get_absolute_url()).content.decode())
    hero = after.select_one("figure.hero picture img")
    stem = new_name.rsplit(".", 1)[0]
    assert f"renditions/{stem}/" in hero["src"]
    assert (hero["width"], hero["height"]) == ("1600", "800")
    assert first.select_one("figure.hero picture img")["src"] != hero["src"]


def test_the_page_shows_the_original_until_the_worker_runs_then_the_picture(
    server, client
):
    article = hero_article()
    ListItemFactory(
        article=article,
        image=image_file("drawing.png", size=(1500, 1000)),
        image_alt="A drawing",
    )
    path = article.get_absolute_url()
    section = article.category.get_absolute_url()
    server.get(path), server.get(section)  # stored: in the page cache and ArticlePage

    before, listed = server.get(path), server.get(section)
    assert before.hit and listed.hit
    page = soup(before.text)
    hero = page.select_one("figure.hero img")
    assert page.select("picture") == []
    assert hero["src"] == article.hero_image.file.url
    assert (hero["width"], hero["height"]) == ("2000", "1000")
    assert hero["alt"] == "A baby asleep on a blanket"
    item = ListItem.objects.get(article=article)
    assert page.select_one("a.expandable")["href"] == item.image.file.url
    card = soup(listed.text).select_one(".card img")
    assert card["src"] == article.hero_image.file.url and "srcset" not in card.attrs

    run_worker()

    after = server.get(path)
    assert not after.hit  # the worker's save cleared the cached page
    page = soup(after.text)
    hero = page.select_one("figure.hero picture img")
    assert hero["src"].startswith(f"{settings.MEDIA_URL}renditions/")
    assert (hero["width"], hero["height"]) == ("1600", "800")
    expand = page.select_one("a.expandable")["href"]
    assert expand.startswith(f"{settings.MEDIA_URL}renditions/")
    assert expand == page.select_one(".numbered-list img")["srcset"].split()[-2]
    assert originals_linked(page) == set()
    card = soup(server.get(section).text).select_one(".card picture img")
    assert card["srcset"] and (card["width"], card["height"]) == ("1200", "675")
    # The same, asked of Django (stored page) rather than the page cache.
    assert client.get(path).content.decode().count("<picture>") == 2


def test_no_page_links_an_original_once_renditions_are_made(client):
    author = AuthorFactory(photo=image_file("me.jpg", size=(600, 800), fmt="JPEG"))
    expert = ExpertFactory(photo=image_file("dr.png", size=(500, 500)))
    article = hero_article(authors=[author])
    ListItemFactory(
        article=article, image=image_file("cap.png", size=(900, 600)), image_alt="Cap"
    )
    run_worker()
    pages = {
        "article": article.get_absolute_url(),
        "author": author.get_absolute_url(),
        "expert": expert.get_absolute_url(),
        "section": article.category.get_absolute_url(),
        "home": reverse("articles:home"),
    }
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        page = soup(response.content.decode())
        assert originals_linked(page) == set(), name
    article_page = soup(client.get(pages["article"]).content.decode())
    og_image = article_page.find("meta", property="og:image")["content"]
    assert f"{settings.MEDIA_URL}renditions/" in og_image and og_image.endswith(".jpg")
    assert article_page.find("meta", property="og:image:width")["content"] == "1600"
    assert article_page.find("meta", attrs={"name": "twitter:image"})["content"] == (
        og_image
    )
    sitemap = client.get(reverse("sitemaps", args=["articles"])).content
    image_locations = re.findall(rb"<image:loc>([^<]+)</image:loc>", sitemap)
    assert len(image_locations) == 2
    assert all(b"/renditions/" in location for location in image_locations)


def test_a_rolled_back_save_queues_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        hero_article()
        raise RuntimeError("the save fails")
    assert queued() == []


def test_an_unchanged_save_queues_nothing_and_a_new_focal_point_queues_once():
    article = hero_article()
    run_worker()
    article = Article.objects.get(pk=article.pk)
    card_before = images.picture_for(article.hero_image, "card").fallback_srcset

    article.title = "Renamed"
    article.save()
    article.hero_image.title = "Renamed too"
    article.hero_image.save()
    assert queued() == []

    article.hero_image.focal_x = 10
    article.hero_image.save()
    assert queued() == [
        ("cms.images.make_renditions", ["cms.image", article.hero_image.pk, "file"])
    ]
    # Meanwhile the card keeps the crop that exists, never one not made yet.
    article = Article.objects.get(pk=article.pk)
    assert images.picture_for(article.hero_image, "card").fallback_srcset == (
        card_before
    )

    run_worker()
    article = Article.objects.get(pk=article.pk)
    assert article.hero_image.file_renditions == [article.hero_image.file.name, 10, 50]
    card_after = images.picture_for(article.hero_image, "card").fallback_srcset
    assert card_after != card_before
    for part in card_after.split(", "):
        url = part.split()[0]
        assert (
            Path(settings.MEDIA_ROOT) / url.removeprefix(settings.MEDIA_URL)
        ).is_file()


def test_a_failed_enqueue_is_logged_and_the_save_still_answers(admin_client, caplog):
    broken = mock.patch(
        "django_tasks_db.backend.DatabaseBackend.enqueue",
        side_effect=ConnectionError("queue down"),
    )
    with broken, caplog.at_level(logging.ERROR, logger="cms.images"):
        response = upload_through_the_admin(admin_client, size=(800, 400))

    assert response.status_code == 302
    assert "Could not queue the renditions" in caplog.text
    article = ArticleFactory(published=True, hero_image=LibraryImage.objects.get())
    hero = soup(admin_client.get(article.get_absolute_url()).content.decode())
    assert hero.select_one("figure.hero img")["src"] == article.hero_image.file.url


def test_a_task_for_an_image_since_replaced_records_nothing():
    article = hero_article()
    stale = LibraryImage.objects.get(pk=article.hero_image.pk)
    LibraryImage.objects.filter(pk=stale.pk).update(file="library/other.jpg")

    images.make_ready(stale, "file")

    assert len(rendition_files()) == 26  # made for the image the task was given
    assert LibraryImage.objects.get(pk=stale.pk).file_renditions is None


def test_the_command_makes_and_records_everything_without_the_worker():
    article = hero_article()
    author = AuthorFactory(photo=image_file("me.jpg", size=(600, 800), fmt="JPEG"))

    call_command("generate_renditions", stdout=open("/dev/null", "w"))

    # 2000 × 1000: 13 widths in all presets; 600 × 800: 9 (none wider than 600).
    assert len(rendition_files()) == (13 + 9) * 2
    for image in (article.hero_image, author.photo):
        image.refresh_from_db()
        assert image.file_renditions == [image.file.name, 50, 50]
