from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ArticlesConfig(AppConfig):
    name = "articles"

    def ready(self):
        from django.contrib import admin

        from cms import roles
        from cms.api import api
        from experts.usage import register

        from . import revisions  # noqa: F401 (registers articles with reversion)
        from .api import router as api_router
        from .dashboard import dashboard_for
        from .experts import ArticleUsage
        from .pages import register_handlers as register_page_handlers
        from .roles import ROLES, sync_roles_after_migrate
        from .signals import register_signal_handlers
        from .webhooks import connect as connect_webhooks

        register_signal_handlers()
        register_page_handlers()
        connect_webhooks()  # article events to cms.webhooks
        register(ArticleUsage())  # tells the experts app where experts are used
        roles.register(ROLES)
        post_migrate.connect(
            sync_roles_after_migrate, sender=self, dispatch_uid="articles.roles"
        )
        admin.site.show_on_start_page(dashboard_for)
        api.add_router("/", api_router)  # articles, sections, tags, authors, quotes
