"""Request checks that apply to every view on the site."""

from django.core.exceptions import BadRequest

NUL = "\x00"


class RejectNulBytesMiddleware:
    """Answer 400 to a request with a NUL byte in its path, query, form or cookies.

    No browser sends one, and PostgreSQL refuses NUL in text: a NUL that reaches a
    query would otherwise be a 500 in whichever view passed it on.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            raise BadRequest("NUL bytes are not allowed in a request.")
        return self.get_response(request)


def _has_nul(request) -> bool:
    return any(NUL in text for text in _texts(request))


def _texts(request):
    """Every name and value the request carries as text (Django already drops NUL
    from uploaded file names)."""
    yield request.path
    for data in (request.GET, request.POST):
        for key, values in data.lists():
            yield key
            yield from values
    yield from request.COOKIES.keys()
    yield from request.COOKIES.values()
