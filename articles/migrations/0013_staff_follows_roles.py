from django.db import migrations

ROLES = ["Writer", "Editor", "Site admin"]


def staff_follows_roles(apps, schema_editor):
    """Logins with a role could not sign in without staff status ticked by hand."""
    User = apps.get_model("auth", "User")
    User.objects.filter(groups__name__in=ROLES).update(is_staff=True)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_references_checked"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(staff_follows_roles, migrations.RunPython.noop)]
