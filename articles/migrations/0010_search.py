import django.contrib.postgres.search
from django.db import migrations, models

# PostgreSQL only: the GIN index on the search vector, and the vectors of existing
# articles (title A, standfirst B, tag names C, body text D; English stemming).
CREATE_INDEX = (
    "CREATE INDEX IF NOT EXISTS article_search_vector_gin "
    "ON articles_article USING gin (search_vector)"
)
DROP_INDEX = "DROP INDEX IF EXISTS article_search_vector_gin"
FILL_VECTORS = """
UPDATE articles_article AS a SET search_vector =
    setweight(to_tsvector('english', coalesce(a.title, '')), 'A')
    || setweight(to_tsvector('english', coalesce(a.standfirst, '')), 'B')
    || setweight(to_tsvector('english', coalesce((
        SELECT string_agg(t.name, ' ') FROM articles_tag t
        JOIN articles_article_tags at ON at.tag_id = t.id
        WHERE at.article_id = a.id), '')), 'C')
    || setweight(to_tsvector('english', coalesce(a.body_text, '')), 'D')
"""


def fill_body_text(apps, schema_editor):
    from articles.models.search import plain_text

    Article = apps.get_model("articles", "Article")
    for article in Article.objects.only("pk", "body_html").iterator():
        Article.objects.filter(pk=article.pk).update(
            body_text=plain_text(article.body_html)
        )


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_INDEX)
        schema_editor.execute(FILL_VECTORS)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_INDEX)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_external_links"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="body_text",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name="article",
            name="is_featured",
            field=models.BooleanField(
                default=False,
                help_text="Show it at the top of the home page. If several are featured, the most recently published one is shown; with none, the latest article is.",
                verbose_name="featured on the home page",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(
                editable=False, null=True
            ),
        ),
        migrations.RunPython(fill_body_text, migrations.RunPython.noop),
        migrations.RunPython(add_index, drop_index),
    ]
