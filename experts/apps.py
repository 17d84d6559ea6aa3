from django.apps import AppConfig


class ExpertsConfig(AppConfig):
    name = "experts"

    def ready(self):
        from cms.api import api

        from .api import router as api_router

        api.add_router("/", api_router)
