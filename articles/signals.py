"""Keep the record of article addresses current; see ArticlePath."""

from django.db.models.signals import post_save

from .models import Article, ArticlePath, Category


def record_article_path(sender, instance, raw=False, **kwargs):
    if not raw:
        ArticlePath.objects.record_article(instance)


def record_category_paths(sender, instance, created=False, raw=False, **kwargs):
    # A new section has no articles yet; a saved one may have a new slug.
    if not (created or raw):
        ArticlePath.objects.record_category(instance)


def register_signal_handlers() -> None:
    post_save.connect(
        record_article_path, sender=Article, dispatch_uid="articles.record_path"
    )
    post_save.connect(
        record_category_paths, sender=Category, dispatch_uid="articles.category_paths"
    )
