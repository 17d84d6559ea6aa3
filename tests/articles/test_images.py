"""Responsive renditions: made once after an image is saved, only linked on requests.

The tests' task backend runs each task as it is queued; tests/cms/
test_background_renditions.py runs them on the database queue with the worker."""

import io
from pathlib import Path
from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from cms import images
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    ImageFactory,
    ListItemFactory,
    image_file,
)

# Renditions are queued (here: made at once) when the saving transaction commits.
pytestmark = pytest.mark.django_db(transaction=True)


def soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def srcset_widths(srcset: str) -> list[int]:
    return [int(part.rsplit(" ", 1)[1].rstrip("w")) for part in srcset.split(", ")]


def media_file(url: str) -> Path:
    return Path(settings.MEDIA_ROOT) / url.removeprefix(settings.MEDIA_URL)


def rendition_files() -> list[Path]:
    return sorted((Path(settings.MEDIA_ROOT) / "renditions").rglob("*.*"))


@pytest.fixture
def article():
    return ArticleFactory(
        published=True,
        hero_image=image_file("hero.jpg", size=(2000, 1000), fmt="JPEG"),
        hero_alt="A baby asleep on a blanket",
    )


def test_hero_is_a_picture_with_webp_and_jpeg_at_several_widths(client, article):
    page = soup(client.get(article.get_absolute_url()))
    picture = page.select_one("figure.hero picture")
    webp = picture.select_one("source")
    img = picture.select_one("img")
    assert webp["type"] == "image/webp"
    assert srcset_widths(webp["srcset"]) == [480, 800, 1200, 1600]
    assert srcset_widths(img["srcset"]) == [480, 800, 1200, 1600]
    assert all(".webp " in part for part in webp["srcset"].split(", "))
    assert all(".jpg " in part for part in img["srcset"].split(", "))
    assert webp["sizes"] == img["sizes"] != ""
    # The intrinsic ratio of the renditions, so nothing moves while it loads.
    assert (img["width"], img["height"]) == ("1600", "800")
    assert img["alt"] == "A baby asleep on a blanket"
    assert img["loading"] == "eager" and img["fetchpriority"] == "high"


def test_every_rendition_linked_exists_with_the_size_the_markup_says(client, article):
    page = soup(client.get(article.get_absolute_url()))
    img = page.select_one("figure.hero img")
    for part in img["srcset"].split(", "):
        url, width = part.rsplit(" ", 1)
        with Image.open(media_file(url)) as rendition:
            assert rendition.width == int(width.rstrip("w"))
            assert rendition.format == "JPEG"
            assert rendition.width / rendition.height == pytest.approx(2, abs=0.01)
    webp_url = page.select_one("figure.hero source")["srcset"].split(" ")[0]
    with Image.open(media_file(webp_url)) as rendition:
        assert rendition.format == "WEBP"


def test_png_sources_fall_back_to_png(client):
    article = ArticleFactory(published=True)
    ListItemFactory(
        article=article,
        image=image_file("drawing.png", size=(900, 600)),
        image_alt="A drawing",
    )
    page = soup(client.get(article.get_absolute_url()))
    img = page.select_one(".numbered-list picture img")
    assert srcset_widths(img["srcset"]) == [480, 800, 900]
    assert all(".png " in part for part in img["srcset"].split(", "))
    assert (img["width"], img["height"]) == ("900", "600")
    assert img["loading"] == "lazy"


def test_small_images_are_never_enlarged(client):
    article = ArticleFactory(published=True)
    ListItemFactory(
        article=article, image=image_file("tiny.png", size=(300, 200)), image_alt="Tiny"
    )
    img = soup(client.get(article.get_absolute_url())).select_one(".numbered-list img")
    assert srcset_widths(img["srcset"]) == [300]
    assert (img["width"], img["height"]) == ("300", "200")


def test_cards_are_lazy_16_by_9_crops(client, article):
    # A newer article leads the section: this one is a card in the grid below it.
    ArticleFactory(
        published=True, category=article.category, published_at=timezone.now()
    )
    page = soup(client.get(article.category.get_absolute_url()))
    img = page.select_one(".cards .card picture img")
    assert img["loading"] == "lazy"
    assert img["alt"] == ""  # the card's title link says what it is
    assert (img["width"], img["height"]) == ("1200", "675")
    assert srcset_widths(img["srcset"]) == [480, 800, 1200]


def test_a_section_fronts_lead_picture_is_fetched_at_once(client, article):
    page = soup(client.get(article.category.get_absolute_url()))
    img = page.select_one(".card-lead picture img")
    assert (img["loading"], img["fetchpriority"]) == ("eager", "high")
    assert (img["width"], img["height"]) == ("1200", "675")


def test_portraits_are_square_renditions(client):
    author = AuthorFactory(photo=image_file("me.jpg", size=(600, 800), fmt="JPEG"))
    ArticleFactory(published=True, authors=[author])
    page = soup(client.get(author.get_absolute_url()))
    img = page.select_one(".profile picture img.portrait")
    assert (img["width"], img["height"]) == ("480", "480")
    assert srcset_widths(img["srcset"]) == [160, 320, 480]


def test_renditions_are_made_when_the_image_is_saved_and_only_once(client, article):
    made = rendition_files()
    # A library image is made in every preset it may be shown in: hero (4 widths),
    # card, item and portrait (3 each), each in WebP and JPEG.
    assert len(made) == 26
    with mock.patch.object(
        images.Rendition, "generate", side_effect=AssertionError("generated")
    ):
        client.get(article.get_absolute_url())
        client.get(article.get_absolute_url())
        client.get(reverse("articles:home"))
        article.title = "Saved again"
        article.save()  # existing renditions are reused
    assert rendition_files() == made


def test_a_request_never_touches_storage(client, article):
    with (
        mock.patch("django.core.files.storage.FileSystemStorage.exists") as exists,
        mock.patch("django.core.files.storage.FileSystemStorage.open") as opened,
    ):
        client.get(article.get_absolute_url())
        client.get(reverse("articles:home"))
    exists.assert_not_called()
    opened.assert_not_called()


def card_src(client, article) -> str:
    page = soup(client.get(article.category.get_absolute_url()))
    return page.select_one(".card img")["src"]


def test_the_focal_point_moves_the_card_crop(client):
    # A white image with one red block near its right edge.
    article = ArticleFactory(
        published=True,
        hero_image=image_file("wide.png", size=(1600, 400), color=(255, 255, 255)),
        hero_alt="Wide",
    )
    path = Path(article.hero_image.file.path)
    with Image.open(path) as source:
        source = source.convert("RGB")
        source.paste((255, 0, 0), (1500, 150, 1560, 250))
        source.save(path)
    hero = article.hero_image
    hero.focal_x, hero.focal_y = 90, 50
    hero.save()

    with Image.open(media_file(card_src(client, article))) as card:
        card = card.convert("RGB")
        assert card.width / card.height == pytest.approx(16 / 9, abs=0.01)
        reds = [
            x
            for x in range(card.width)
            if card.getpixel((x, card.height // 2))[0] > 200
            and card.getpixel((x, card.height // 2))[1] < 80
        ]
        assert reds, "the subject at the focal point is in the crop"

    hero.focal_x = 10
    hero.save()
    with Image.open(media_file(card_src(client, article))) as card:
        card = card.convert("RGB")
        row = [card.getpixel((x, card.height // 2)) for x in range(card.width)]
        assert all(pixel[1] > 200 for pixel in row), "the left crop leaves it out"


def test_hero_keeps_its_shape_and_uses_the_focal_point_as_object_position(client):
    article = ArticleFactory(
        published=True,
        hero_image=image_file("hero.png", size=(1000, 500)),
        hero_alt="Hero",
        hero_focal_x=20,
        hero_focal_y=70,
    )
    img = soup(client.get(article.get_absolute_url())).select_one("figure.hero img")
    assert (img["width"], img["height"]) == ("1000", "500")
    assert img["style"] == "object-position: 20% 70%"


@pytest.mark.parametrize(
    ("size", "focal", "box"),
    [
        ((1600, 400), (50, 50), (444, 0, 1155, 400)),
        ((1600, 400), (0, 50), (0, 0, 711, 400)),
        ((1600, 400), (100, 50), (889, 0, 1600, 400)),
        ((800, 800), (50, 10), (0, 0, 800, 450)),
        ((800, 800), (50, 90), (0, 350, 800, 800)),
    ],
)
def test_crop_box_centres_on_the_focal_point_within_the_image(size, focal, box):
    assert images.crop_box(*size, 16 / 9, focal) == box


def test_focal_point_must_be_a_percentage():
    from django.core.exceptions import ValidationError

    image = ImageFactory.build(focal_x=101)
    with pytest.raises(ValidationError) as error:
        image.full_clean()
    assert "focal_x" in error.value.message_dict


def page_queries(client, article) -> int:
    with CaptureQueriesContext(connection) as captured:
        client.get(article.get_absolute_url())
    return len(captured)


def test_images_add_no_queries_to_the_article_page(client, article):
    plain = ArticleFactory(published=True)
    for position in range(1, 4):
        ListItemFactory(article=plain, position=position)
        ListItemFactory(
            article=article,
            position=position,
            image=image_file(f"i{position}.png", size=(500, 400)),
            image_alt=f"Item {position}",
        )
    assert page_queries(client, article) == page_queries(client, plain)


def test_generate_renditions_command_fills_in_missing_files(article):
    from django.core.management import call_command

    for path in rendition_files():
        path.unlink()
    call_command("generate_renditions", stdout=io.StringIO())
    assert len(rendition_files()) == 26
    out = io.StringIO()
    call_command("generate_renditions", stdout=out)
    assert out.getvalue().strip() == "0 renditions created."
