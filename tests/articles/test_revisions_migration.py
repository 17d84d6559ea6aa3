"""articles 0025: revisions saved before the image library named the hero and list
images by file, with their words beside them; after the migration they name library
images, so the compare view can read them and a restore brings the picture back."""

import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from reversion.models import Revision, Version

from articles.models import ListItem
from articles.revisions import stored_object, stored_values
from tests.factories import ArticleFactory, ImageFactory, ListItemFactory

BEFORE = [("articles", "0024_legal_reserved")]
OLD_HERO = "articles/2025/03/old-hero.jpg"


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def old_version(obj, fields: dict) -> Version:
    """A revision of ``obj`` as saved before 0022: ``fields`` replace its image's."""
    data = json.loads(serializers.serialize("json", [obj]))
    data[0]["fields"].update(fields)
    return Version.objects.create(
        object_id=str(obj.pk),
        content_type=ContentType.objects.get_for_model(obj),
        db="default",
        format="json",
        serialized_data=json.dumps(data),
        object_repr=str(obj),
        revision=Revision.objects.create(date_created=timezone.now()),
    )


@pytest.mark.django_db(transaction=True)
def test_old_revisions_name_library_images_and_can_be_read():
    migrate(BEFORE)
    shared = ImageFactory(title="Shared cot")
    article = ArticleFactory(title="Safe sleep", hero_image=shared)
    item = ListItemFactory(article=article, heading="Cot", image=shared)
    old_hero = old_version(
        article,
        {
            "hero_image": OLD_HERO,
            "hero_alt": "A cot by a window",
            "hero_caption": "Clear of toys",
            "hero_focal_x": 30,
            "hero_focal_y": 60,
            "hero_width": 1600,
            "hero_height": 900,
        },
    )
    no_hero = old_version(article, {"hero_image": "", "hero_alt": ""})
    old_item = old_version(
        item, {"image": shared.file.name, "image_alt": "A cot", "image_width": 9}
    )
    current = old_version(article, {})  # already names a library image

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    hero = stored_object(Version.objects.get(pk=old_hero.pk)).hero_image
    assert hero.file.name == OLD_HERO
    assert (hero.alt, hero.caption, hero.focal_point) == (
        "A cot by a window",
        "Clear of toys",
        (30, 60),
    )
    assert (hero.width, hero.height, hero.title) == (1600, 900, "Safe sleep")
    assert stored_object(Version.objects.get(pk=no_hero.pk)).hero_image is None
    assert (
        stored_values(Version.objects.get(pk=old_hero.pk))["hero_image_id"] == hero.pk
    )
    listed = stored_object(Version.objects.get(pk=old_item.pk))
    assert isinstance(listed, ListItem) and listed.image == shared  # same file, reused
    assert Version.objects.get(pk=current.pk).serialized_data == current.serialized_data
