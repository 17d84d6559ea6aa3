import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")
application = get_wsgi_application()

# Imported once Django is set up. Anonymous readers' pages are answered from the page
# cache before Django's middleware runs; the API's rate limit counts before that, so
# that a stored answer counts too.
from cms.pagecache import PageCache  # noqa: E402
from cms.throttle import ApiThrottle  # noqa: E402

application = ApiThrottle(PageCache(application))
