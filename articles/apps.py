from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"

    def ready(self):
        from . import revisions  # noqa: F401 (registers articles with reversion)
        from .signals import register_signal_handlers

        register_signal_handlers()
