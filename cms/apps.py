from django.apps import AppConfig
from django.conf import settings
from django.contrib.admin import apps as admin_apps
from PIL import Image


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Site"

    def ready(self):
        from django.db.models.signals import pre_save

        from . import images, roles, text
        from .models import Image as LibraryImage

        roles.connect()
        images.register(
            LibraryImage,
            "file",
            presets=("hero", "card", "item", "portrait"),
            focal_fields=("focal_x", "focal_y"),
        )
        # Whoever opens an image, Pillow warns above our limit and refuses twice it.
        Image.MAX_IMAGE_PIXELS = settings.CMS_MAX_IMAGE_PIXELS
        text.clean_text_fields()
        # Before any other app's pre_save handlers, which may look values up.
        pre_save.connect(text.clean_instance, dispatch_uid="cms.text")


class NewsroomAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the newsroom's site as ``admin.site``."""

    # Not a default for the "cms" entry in INSTALLED_APPS: that stays CmsConfig.
    default = False
    default_site = "cms.admin_site.NewsroomAdminSite"
