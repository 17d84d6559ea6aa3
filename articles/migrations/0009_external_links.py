from django.db import migrations, models


def sync_article_roles(apps, schema_editor):
    """Editors see the link report."""
    from articles.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0008_article_links"),
    ]

    operations = [
        migrations.CreateModel(
            name="ExternalLink",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("url", models.CharField(max_length=2000)),
                ("url_hash", models.CharField(editable=False, max_length=64, unique=True)),
                ("status_code", models.PositiveSmallIntegerField(blank=True, help_text="The final HTTP status, after redirects.", null=True)),
                ("final_url", models.CharField(blank=True, help_text="Where redirects ended.", max_length=2000)),
                ("error", models.TextField(blank=True, help_text="Why no answer came (timeout, refused, TLS…).")),
                ("ok", models.BooleanField(default=False)),
                ("checked_at", models.DateTimeField(blank=True, db_index=True, null=True)),
            ],
            options={
                "verbose_name": "external link",
                "ordering": ["url"],
            },
        ),
        migrations.RunPython(sync_article_roles, migrations.RunPython.noop),
    ]
