from django.db import migrations


def sync(apps, schema_editor):
    from articles.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0013_staff_follows_roles"),
        ("experts", "0005_quote_sign_off_record"),
    ]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
