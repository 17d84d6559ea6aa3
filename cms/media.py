"""Uploads and their renditions served by the app, when no S3 bucket holds them.

Django's static ``serve`` does the work: a streamed ``FileResponse`` (sendfile under
gunicorn), ``Last-Modified`` with 304s, 404 for a missing file, a directory or a path
outside ``MEDIA_ROOT``, and never a directory listing. This adds how long browsers and
CDNs may keep each file.
"""

import errno
import logging
import re

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import Http404, HttpResponseNotFound
from django.views.decorators.http import require_safe
from django.views.static import serve

# A rendition's name is a hash of its source's name and of everything that shapes it
# (cms.images.Rendition.cachefile_name): new content always gets a new name.
RENDITION_NAME = re.compile(
    r"^renditions/.+/[a-z]+-\d+w-[0-9a-f]{10}\.(?:webp|jpg|png)$"
)
IMMUTABLE = "public, max-age=31536000, immutable"
# An original keeps its name for as long as it exists, but may be deleted or replaced.
ORIGINAL = "public, max-age=3600"
# Readers' browsers render an upload only as an image: nothing in it may run.
SANDBOX = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"

logger = logging.getLogger("django.security.media")


@require_safe
def media(request, path: str):
    """The stored file at ``path``, or a small 404 that never touches the database."""
    try:
        response = serve(request, path, document_root=settings.MEDIA_ROOT)
    except SuspiciousFileOperation:
        # Scanners try "../" all day: one line each, not a traceback.
        logger.warning("Refused a media path outside MEDIA_ROOT: %r", path)
        return not_found()
    except Http404:
        return not_found()
    except OSError as error:
        # A name longer than the file system allows names no file.
        if error.errno != errno.ENAMETOOLONG:
            raise
        return not_found()
    response["Cache-Control"] = IMMUTABLE if RENDITION_NAME.match(path) else ORIGINAL
    response["Content-Security-Policy"] = SANDBOX
    return response


def not_found():
    return HttpResponseNotFound("Not found", content_type="text/plain")
