from django.apps import AppConfig


class ExpertsConfig(AppConfig):
    name = "experts"

    def ready(self):
        from cms import images
        from cms.api import api

        from .api import router as api_router
        from .models import Expert

        # Responsive renditions of the portrait, made when it is saved.
        images.register(Expert, "photo", presets=("portrait",))
        api.add_router("/", api_router)
