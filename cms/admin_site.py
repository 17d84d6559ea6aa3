"""The admin site, with a start page that shows each person their work."""

from django.contrib import admin


class NewsroomAdminSite(admin.AdminSite):
    site_header = "Newsroom"
    site_title = "Newsroom admin"
    index_title = "Content"

    def index(self, request, extra_context=None):
        # Imported here: this module loads while the app registry is still filling.
        from articles.dashboard import dashboard_for

        context = {"dashboard": dashboard_for(request.user), **(extra_context or {})}
        return super().index(request, extra_context=context)
