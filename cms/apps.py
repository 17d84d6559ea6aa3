from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Site"

    def ready(self):
        from . import roles

        roles.connect()


class NewsroomAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the newsroom's site as ``admin.site``."""

    # Not a default for the "cms" entry in INSTALLED_APPS: that stays CmsConfig.
    default = False
    default_site = "cms.admin_site.NewsroomAdminSite"
