"""Hero images, list-item images and author photos become library images (cms.Image).

One library image per distinct stored file name, reusing the file where it is (no
copy): alt text, caption, focal point, size and ready renditions are carried over.
Reversible: going back copies each image's values into the old fields again.
"""

import django.db.models.deletion
from django.db import migrations, models

from cms.library_migration import Library, back_to_fields

HERO = {
    "file": "old_hero_image",
    "width": "hero_width",
    "height": "hero_height",
    "renditions": "hero_image_renditions",
    "alt": "hero_alt",
    "caption": "hero_caption",
    "focal_x": "hero_focal_x",
    "focal_y": "hero_focal_y",
}
ITEM = {
    "file": "old_image",
    "width": "image_width",
    "height": "image_height",
    "renditions": "image_renditions",
    "alt": "image_alt",
}
PHOTO = {
    "file": "old_photo",
    "width": "photo_width",
    "height": "photo_height",
    "renditions": "photo_renditions",
}


def to_library(apps, schema_editor):
    library = Library(apps)
    Article = apps.get_model("articles", "Article")
    ListItem = apps.get_model("articles", "ListItem")
    Author = apps.get_model("articles", "Author")
    # Articles first: a file shared with a list item keeps the hero's focal point.
    for article in Article.objects.exclude(old_hero_image="").order_by("pk"):
        article.hero_image = library.image_for(
            article.old_hero_image.name,
            title=article.title,
            alt=article.hero_alt,
            caption=article.hero_caption,
            focal=(article.hero_focal_x, article.hero_focal_y),
            size=(article.hero_width, article.hero_height),
            ready=article.hero_image_renditions,
        )
        article.save(update_fields=["hero_image"])
    for item in ListItem.objects.exclude(old_image="").order_by("pk"):
        item.image = library.image_for(
            item.old_image.name,
            title=item.heading,
            alt=item.image_alt,
            size=(item.image_width, item.image_height),
            ready=item.image_renditions,
        )
        item.save(update_fields=["image"])
    for author in Author.objects.exclude(old_photo="").order_by("pk"):
        author.photo = library.image_for(
            author.old_photo.name,
            title=author.display_name,
            alt=author.display_name,
            size=(author.photo_width, author.photo_height),
            ready=author.photo_renditions,
        )
        author.save(update_fields=["photo"])


def from_library(apps, schema_editor):
    for model_name, fk, names in (
        ("Article", "hero_image", HERO),
        ("ListItem", "image", ITEM),
        ("Author", "photo", PHOTO),
    ):
        model = apps.get_model("articles", model_name)
        for row in model.objects.filter(**{f"{fk}__isnull": False}).select_related(fk):
            values = back_to_fields(getattr(row, fk), **names)
            # Past the file field's descriptor, which would open the file to measure it.
            row.__dict__.update(values)
            row.save(update_fields=list(values))


def sync_roles(apps, schema_editor):
    from articles.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0021_old_addresses_imports_unicode_slugs"),
        ("cms", "0003_image_library"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="article", name="article_hero_has_alt"),
        migrations.RemoveConstraint(
            model_name="article", name="article_hero_focal_in_image"
        ),
        migrations.RemoveConstraint(
            model_name="listitem", name="list_item_image_has_alt"
        ),
        migrations.RenameField("article", "hero_image", "old_hero_image"),
        migrations.RenameField("listitem", "image", "old_image"),
        migrations.RenameField("author", "photo", "old_photo"),
        migrations.AddField(
            model_name="article",
            name="hero_image",
            field=models.ForeignKey(
                blank=True,
                help_text="The main picture at the top, from the image library "
                "(landscape, at least 1200 pixels wide). Its alt text, caption, credit "
                "and focal point are the library's: edit them there.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="hero_of",
                to="cms.image",
            ),
        ),
        migrations.AddField(
            model_name="listitem",
            name="image",
            field=models.ForeignKey(
                blank=True,
                help_text="From the image library; readers can expand it to full "
                "size. Its alt text is the library's.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="list_items",
                to="cms.image",
            ),
        ),
        migrations.AddField(
            model_name="author",
            name="photo",
            field=models.ForeignKey(
                blank=True,
                help_text="A head-and-shoulders photo from the image library.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="authors",
                to="cms.image",
            ),
        ),
        migrations.RunPython(to_library, from_library),
        *(
            migrations.RemoveField(model_name=model, name=name)
            for model, names in (
                ("article", HERO),
                ("listitem", ITEM),
                ("author", PHOTO),
            )
            for name in names.values()
        ),
        migrations.RunPython(sync_roles, migrations.RunPython.noop),
    ]
