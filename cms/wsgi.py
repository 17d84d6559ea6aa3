import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")
application = get_wsgi_application()

# Imported once Django is set up. Anonymous readers' pages are answered from the page
# cache before Django's middleware runs.
from cms.pagecache import PageCache  # noqa: E402

application = PageCache(application)
