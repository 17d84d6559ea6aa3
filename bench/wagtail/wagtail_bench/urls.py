from django.urls import include, path
from wagtail import urls as wagtail_urls

# Only the public pages: the admin is not benchmarked.
urlpatterns = [path("", include(wagtail_urls))]
