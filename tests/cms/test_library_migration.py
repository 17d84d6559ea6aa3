"""The data migrations that move heroes, list-item images and portraits into the
image library (articles 0022, experts 0008): nothing lost, no file copied, and back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from articles.models import Article, Author, ListItem
from cms.models import Image
from experts.models import Expert

BEFORE = [
    ("articles", "0021_old_addresses_imports_unicode_slugs"),
    ("experts", "0007_markdown_limits"),
    ("cms", "0003_image_library"),
]
SHARED = "articles/2026/01/shared.jpg"
PORTRAIT = "authors/sam.jpg"


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def old_rows(apps) -> dict:
    """Rows as they were before the library: two articles sharing one hero file, one
    without a hero, a list item, and an author and an expert sharing a photo."""
    Category = apps.get_model("articles", "Category")
    Article = apps.get_model("articles", "Article")
    ListItem = apps.get_model("articles", "ListItem")
    Author = apps.get_model("articles", "Author")
    Expert = apps.get_model("experts", "Expert")
    section = Category.objects.create(name="Baby", slug="baby")
    common = {"category": section, "standfirst": "S", "body": "Text."}
    first = Article.objects.create(
        title="Cradle cap",
        slug="cradle-cap",
        hero_image=SHARED,
        hero_width=1600,
        hero_height=900,
        hero_alt="Flakes on a scalp",
        hero_caption="It clears by itself",
        hero_focal_x=30,
        hero_focal_y=40,
        hero_image_renditions=[SHARED, 30, 40],
        **common,
    )
    second = Article.objects.create(
        title="Scalp care",
        slug="scalp-care",
        hero_image=SHARED,
        hero_width=1600,
        hero_height=900,
        hero_alt="Another description",
        **common,
    )
    plain = Article.objects.create(title="No picture", slug="plain", **common)
    item = ListItem.objects.create(
        article=first,
        heading="Milia",
        text="White spots.",
        image="articles/items/milia.png",
        image_width=1200,
        image_height=800,
        image_alt="Tiny white spots on a nose",
        image_renditions=["articles/items/milia.png"],
    )
    author = Author.objects.create(
        display_name="Sam Writer",
        slug="sam",
        photo=PORTRAIT,
        photo_width=600,
        photo_height=600,
    )
    expert = Expert.objects.create(
        name="Ada Lee",
        slug="ada-lee",
        short_name="Lee",
        photo=PORTRAIT,
        photo_width=600,
        photo_height=600,
    )
    return {
        "first": first.pk,
        "second": second.pk,
        "plain": plain.pk,
        "item": item.pk,
        "author": author.pk,
        "expert": expert.pk,
    }


@pytest.mark.django_db(transaction=True)
def test_existing_images_become_library_images_and_come_back():
    try:
        ids = old_rows(migrate(BEFORE))

        migrate(latest())

        first = Article.objects.get(pk=ids["first"])
        second = Article.objects.get(pk=ids["second"])
        hero = first.hero_image
        # One image per stored file, the file where it was (not copied).
        assert second.hero_image == hero
        assert hero.file.name == SHARED
        assert (hero.title, hero.alt, hero.caption) == (
            "Cradle cap",
            "Flakes on a scalp",
            "It clears by itself",
        )
        assert (hero.focal_x, hero.focal_y, hero.width, hero.height) == (
            30,
            40,
            1600,
            900,
        )
        # Its renditions stay ready: the worker makes nothing again.
        assert hero.file_renditions == [SHARED, 30, 40]
        assert Article.objects.get(pk=ids["plain"]).hero_image is None
        item_image = ListItem.objects.get(pk=ids["item"]).image
        assert item_image.alt == "Tiny white spots on a nose"
        assert item_image.file_renditions == ["articles/items/milia.png", 50, 50]
        photo = Author.objects.get(pk=ids["author"]).photo
        assert photo.file.name == PORTRAIT
        assert Expert.objects.get(pk=ids["expert"]).photo == photo
        assert Image.objects.count() == 3

        apps = migrate(BEFORE)

        OldArticle = apps.get_model("articles", "Article")
        old = OldArticle.objects.get(pk=ids["first"])
        assert old.hero_image.name == SHARED
        assert (old.hero_alt, old.hero_caption) == (
            "Flakes on a scalp",
            "It clears by itself",
        )
        assert (old.hero_focal_x, old.hero_focal_y) == (30, 40)
        assert old.hero_image_renditions == [SHARED, 30, 40]
        assert OldArticle.objects.get(pk=ids["plain"]).hero_image.name == ""
        old_item = apps.get_model("articles", "ListItem").objects.get(pk=ids["item"])
        assert old_item.image_alt == "Tiny white spots on a nose"
        old_expert = apps.get_model("experts", "Expert").objects.get(pk=ids["expert"])
        assert old_expert.photo.name == PORTRAIT
    finally:
        migrate(latest())
