"""Experts' photos become library images (cms.Image), one per distinct stored file
name (the same one as an author's photo if they share it), the file kept where it is.
Reversible."""

import django.db.models.deletion
from django.db import migrations, models

from cms.library_migration import Library, back_to_fields

PHOTO = {
    "file": "old_photo",
    "width": "photo_width",
    "height": "photo_height",
    "renditions": "photo_renditions",
}


def name_of(expert) -> str:
    return " ".join(filter(None, [expert.honorific, expert.name]))


def to_library(apps, schema_editor):
    library = Library(apps)
    Expert = apps.get_model("experts", "Expert")
    for expert in Expert.objects.exclude(old_photo="").order_by("pk"):
        expert.photo = library.image_for(
            expert.old_photo.name,
            title=name_of(expert),
            alt=name_of(expert),
            size=(expert.photo_width, expert.photo_height),
            ready=expert.photo_renditions,
        )
        expert.save(update_fields=["photo"])


def from_library(apps, schema_editor):
    Expert = apps.get_model("experts", "Expert")
    for expert in Expert.objects.filter(photo__isnull=False).select_related("photo"):
        values = back_to_fields(expert.photo, **PHOTO)
        # Past the file field's descriptor, which would open the file to measure it.
        expert.__dict__.update(values)
        expert.save(update_fields=list(values))


class Migration(migrations.Migration):
    dependencies = [
        ("experts", "0007_markdown_limits"),
        ("cms", "0003_image_library"),
    ]

    operations = [
        migrations.RenameField("expert", "photo", "old_photo"),
        migrations.AddField(
            model_name="expert",
            name="photo",
            field=models.ForeignKey(
                blank=True,
                help_text="A head-and-shoulders photo from the image library.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="experts",
                to="cms.image",
            ),
        ),
        migrations.RunPython(to_library, from_library),
        *(
            migrations.RemoveField(model_name="expert", name=name)
            for name in PHOTO.values()
        ),
    ]
