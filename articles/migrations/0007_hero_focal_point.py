import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_callouts"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="hero_focal_x",
            field=models.PositiveSmallIntegerField(
                default=50,
                help_text="Where the subject is, from the left edge (0) to the right (100). Cropped thumbnails on listing pages keep this point in view.",
                validators=[django.core.validators.MaxValueValidator(100)],
                verbose_name="focal point across (%)",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="hero_focal_y",
            field=models.PositiveSmallIntegerField(
                default=50,
                help_text="Where the subject is, from the top (0) to the bottom (100).",
                validators=[django.core.validators.MaxValueValidator(100)],
                verbose_name="focal point down (%)",
            ),
        ),
        migrations.AddConstraint(
            model_name="article",
            constraint=models.CheckConstraint(
                condition=models.Q(("hero_focal_x__lte", 100), ("hero_focal_y__lte", 100)),
                name="article_hero_focal_in_image",
                violation_error_message="The focal point is a percentage from 0 to 100.",
            ),
        ),
    ]
