"""Keep the record of article addresses and the header's section list current."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from .context_processors import refresh_sections
from .models import Article, ArticlePath, Category, Tag
from .models.search import update_search_vectors


def record_article_path(sender, instance, raw=False, **kwargs):
    if not raw:
        ArticlePath.objects.record_article(instance)


def record_category_paths(sender, instance, created=False, raw=False, **kwargs):
    # A new section has no articles yet; a saved one may have a new slug.
    if not (created or raw):
        ArticlePath.objects.record_category(instance)


def refresh_nav_sections(sender, raw=False, **kwargs):
    # Refreshed rather than purged, so the next page finds the new list in the cache.
    if not raw:
        refresh_sections()


def index_article(sender, instance, raw=False, **kwargs):
    if not raw:
        update_search_vectors([instance])


def index_tagged_articles(sender, instance, action, reverse, pk_set, **kwargs):
    """Tags are in the search vector: re-index whichever side's articles changed."""
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        update_search_vectors([instance])
    elif pk_set:
        update_search_vectors(Article.objects.filter(pk__in=pk_set))


def index_renamed_tag(sender, instance, created=False, raw=False, **kwargs):
    if not (created or raw):
        update_search_vectors(instance.articles.all())


def register_signal_handlers() -> None:
    post_save.connect(index_article, sender=Article, dispatch_uid="articles.index")
    m2m_changed.connect(
        index_tagged_articles,
        sender=Article.tags.through,
        dispatch_uid="articles.index_tags",
    )
    post_save.connect(
        index_renamed_tag, sender=Tag, dispatch_uid="articles.index_tag_rename"
    )
    post_save.connect(
        record_article_path, sender=Article, dispatch_uid="articles.record_path"
    )
    post_save.connect(
        record_category_paths, sender=Category, dispatch_uid="articles.category_paths"
    )
    for signal in (post_save, post_delete):
        signal.connect(
            refresh_nav_sections, sender=Category, dispatch_uid="articles.nav_sections"
        )
