from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"

    def ready(self):
        from django.contrib import admin

        from cms import roles
        from experts.usage import register

        from . import revisions  # noqa: F401 (registers articles with reversion)
        from .dashboard import dashboard_for
        from .experts import ArticleUsage
        from .roles import ROLES
        from .signals import register_renditions, register_signal_handlers

        register_signal_handlers()
        register_renditions()
        register(ArticleUsage())  # tells the experts app where experts are used
        roles.register(ROLES)
        admin.site.show_on_start_page(dashboard_for)
