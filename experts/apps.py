from django.apps import AppConfig


class ExpertsConfig(AppConfig):
    name = "experts"

    def ready(self):
        from cms import images

        from .models import Expert

        # Responsive renditions of the portrait, made when it is saved.
        images.register(Expert, "photo", presets=("portrait",))
