"""Renditions made by the background worker on the database queue (cms/images.py):
a save only queues them; until the worker has run, pages show the original at its
size; afterwards the full <picture>, and no page links an original upload."""

import importlib
import logging
import re
from pathlib import Path
from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from articles.models import Article, ListItem
from cms import images
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


def test_an_admin_save_queues_the_renditions_and_makes_none(admin_client):
    article = ArticleFactory(published=True)
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = form_fields(admin_client.get(url).content.decode())
    data.update(
        hero_image=image_file("hero.jpg", size=(2000, 1000), fmt="JPEG"),
        hero_alt=["A cot by a window"],
        _save=["Save"],
    )

    response = admin_client.post(url, data)

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.hero_image and article.hero_image_renditions is None
    assert queued() == [
        ("cms.images.make_renditions", ["articles.article", article.pk, "hero_image"])
    ]
    assert rendition_files() == []

    run_worker()

    # hero: 4 widths, card: 3, each in WebP and JPEG.
    assert len(rendition_files()) == 14
    assert queued() == []
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    article.refresh_from_db()
    assert article.hero_image_renditions == [article.hero_image.file.name, 50, 50]


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
    assert queued() == []

    article.hero_focal_x = 10
    article.save()
    assert queued() == [
        ("cms.images.make_renditions", ["articles.article", article.pk, "hero_image"])
    ]
    # Meanwhile the card keeps the crop that exists, never one not made yet.
    article = Article.objects.get(pk=article.pk)
    assert images.picture_for(article.hero_image, "card").fallback_srcset == (
        card_before
    )

    run_worker()
    article = Article.objects.get(pk=article.pk)
    assert article.hero_image_renditions == [article.hero_image.file.name, 10, 50]
    card_after = images.picture_for(article.hero_image, "card").fallback_srcset
    assert card_after != card_before
    for part in card_after.split(", "):
        url = part.split()[0]
        assert (
            Path(settings.MEDIA_ROOT) / url.removeprefix(settings.MEDIA_URL)
        ).is_file()


def test_a_failed_enqueue_is_logged_and_the_save_still_answers(admin_client, caplog):
    article = ArticleFactory(published=True)
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = form_fields(admin_client.get(url).content.decode())
    data.update(
        hero_image=image_file("hero.jpg", size=(800, 400), fmt="JPEG"),
        hero_alt=["A cot"],
        _save=["Save"],
    )
    broken = mock.patch(
        "django_tasks_db.backend.DatabaseBackend.enqueue",
        side_effect=ConnectionError("queue down"),
    )
    with broken, caplog.at_level(logging.ERROR, logger="cms.images"):
        response = admin_client.post(url, data)

    assert response.status_code == 302
    assert "Could not queue the renditions" in caplog.text
    article.refresh_from_db()
    assert article.hero_image
    hero = soup(admin_client.get(article.get_absolute_url()).content.decode())
    assert hero.select_one("figure.hero img")["src"] == article.hero_image.file.url


def test_a_task_for_an_image_since_replaced_records_nothing():
    article = hero_article()
    stale = Article.objects.get(pk=article.pk)
    Article.objects.filter(pk=article.pk).update(hero_image="articles/other.jpg")

    images.make_ready(stale, "hero_image")

    assert len(rendition_files()) == 14  # made for the image the task was given
    assert Article.objects.get(pk=article.pk).hero_image_renditions is None


def test_the_command_makes_and_records_everything_without_the_worker():
    article = hero_article()
    author = AuthorFactory(photo=image_file("me.jpg", size=(600, 800), fmt="JPEG"))

    call_command("generate_renditions", stdout=open("/dev/null", "w"))

    assert len(rendition_files()) == 14 + 6
    article.refresh_from_db(), author.refresh_from_db()
    assert article.hero_image_renditions == [article.hero_image.file.name, 50, 50]
    assert author.photo_renditions == [author.photo.file.name]


def test_images_saved_before_the_worker_count_as_ready():
    """Their renditions were made during the save: the migrations record that."""
    article = hero_article(hero_focal_x=30)
    item = ListItemFactory(
        article=article, image=image_file("cap.png", size=(900, 600)), image_alt="Cap"
    )
    author = AuthorFactory(photo=image_file("me.jpg", size=(600, 800), fmt="JPEG"))
    expert = ExpertFactory(photo=image_file("dr.png", size=(500, 500)))
    shown = [
        (article, "hero_image", "hero"),
        (item, "image", "item"),
        (author, "photo", "portrait"),
        (expert, "photo", "portrait"),
    ]
    for row, field, _ in shown:
        type(row).objects.filter(pk=row.pk).update(**{f"{field}_renditions": None})

    for migration in (
        "articles.0018_renditions_ready",
        "experts.0006_renditions_ready",
    ):
        app, name = migration.split(".")
        importlib.import_module(f"{app}.migrations.{name}").mark_made(apps, None)

    for row, field, preset in shown:
        row.refresh_from_db()
        image = getattr(row, field)
        focal = [30, 50] if field == "hero_image" else []
        assert getattr(row, f"{field}_renditions") == [image.name, *focal]
        assert images.picture_for(image, preset).webp_srcset
