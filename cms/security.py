"""Security headers every response carries, and who a login attempt comes from."""

import ipaddress
import math

from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin
from django.db.models import Max
from django.template.response import TemplateResponse
from django.utils import timezone


class PermissionsPolicyMiddleware:
    """Tell browsers the site never uses these features, so nothing injected can."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.CMS_PERMISSIONS_POLICY)
        return response


def client_ip(request) -> str | None:
    """The address a login attempt comes from (AXES_CLIENT_IP_CALLABLE).

    Behind a proxy it is the one the proxy saw: the entry it appended to
    X-Forwarded-For (counting DJANGO_PROXY_COUNT from the right), which a client
    cannot forge, as it can the entries before. Otherwise, the connection's.
    """
    if settings.BEHIND_PROXY:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= settings.PROXY_COUNT:
            address = _address(forwarded[-settings.PROXY_COUNT])
            if address:
                return address
    return _address(request.META.get("REMOTE_ADDR", ""))


def _address(value: str) -> str | None:
    """``value`` if it is an IP address: it is stored in an address column."""
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def lockout_response(request, original_response=None, credentials=None):
    """The admin's own page for a login that is locked out (AXES_LOCKOUT_CALLABLE),
    saying how long is left: attempts while locked out do not lengthen it."""
    username = get_client_username(request, credentials) or ""
    seconds = _seconds_left(request, username)
    context = {
        **admin.site.each_context(request),
        "title": "Signing in is paused",
        "username": username,
        "failure_limit": get_failure_limit(request, credentials),
        "minutes": math.ceil(seconds / 60) if seconds else None,
    }
    response = TemplateResponse(
        request, "registration/locked_out.html", context, status=429
    )
    if seconds:
        response["Retry-After"] = str(seconds)
    return response.render()


def _seconds_left(request, username: str) -> int | None:
    """Until the cool-off after the last counted failure ends; None if it never does."""
    cool_off = get_cool_off(request)
    if not cool_off:
        return None
    last = AccessAttempt.objects.filter(
        username=username, ip_address=request.axes_ip_address
    ).aggregate(last=Max("attempt_time"))["last"]
    if last is None:
        return int(cool_off.total_seconds())
    return max(1, math.ceil((last + cool_off - timezone.now()).total_seconds()))
