"""Revisions saved before the image library (0022) named a hero or list-item image by
its file, with its words beside it; they now name the library image, so an old
revision can still be compared and restored. A file no library image holds any more
(replaced since) gets one, as 0022 made for the files rows held: nothing is read or
copied."""

import json

from django.db import migrations

from cms.library_migration import Library

# By model: its image field, the field that titles a new library image, and the old
# fields beside the image, by what each held.
OLD_FIELDS = {
    "article": (
        "hero_image",
        "title",
        {
            "width": "hero_width",
            "height": "hero_height",
            "renditions": "hero_image_renditions",
            "alt": "hero_alt",
            "caption": "hero_caption",
            "focal_x": "hero_focal_x",
            "focal_y": "hero_focal_y",
        },
    ),
    "listitem": (
        "image",
        "heading",
        {
            "width": "image_width",
            "height": "image_height",
            "renditions": "image_renditions",
            "alt": "image_alt",
        },
    ),
}


def to_library(apps, schema_editor):
    Version = apps.get_model("reversion", "Version")
    ContentType = apps.get_model("contenttypes", "ContentType")
    library = Library(apps)
    for model, (field, title, old) in OLD_FIELDS.items():
        kind = ContentType.objects.filter(app_label="articles", model=model).first()
        if kind is None:
            continue
        for version in Version.objects.filter(content_type=kind, format="json"):
            data = json.loads(version.serialized_data)
            moved = [
                _moved(row.get("fields", {}), field, title, old, library)
                for row in data
            ]
            if any(moved):
                version.serialized_data = json.dumps(data)
                version.save(update_fields=["serialized_data"])


def _moved(fields: dict, field: str, title: str, old: dict, library: Library) -> bool:
    """Point ``fields`` at the library image of the file it names, dropping the old
    fields beside it; False when it already names a library image."""
    name = fields.get(field)
    if not isinstance(name, str):
        return False
    held = {role: fields.pop(old_name, None) for role, old_name in old.items()}
    image = None
    if name:
        focal = (held.get("focal_x"), held.get("focal_y"))
        image = library.image_for(
            name,
            title=fields.get(title) or "",
            alt=held.get("alt") or "",
            caption=held.get("caption") or "",
            focal=focal if None not in focal else (50, 50),
            size=(held["width"], held["height"]),
        )
    fields[field] = image.pk if image else None
    return True


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0024_legal_reserved"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
    ]

    operations = [migrations.RunPython(to_library, migrations.RunPython.noop)]
