"""Structured data (schema.org JSON-LD) as a script element that text cannot break out of."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

# The same escapes as django.utils.html.json_script: no "</script>" or "<!--" can form.
ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld_script(data: dict) -> SafeString:
    """``data`` as a <script type="application/ld+json"> element."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(ESCAPES)),  # noqa: S308 - escaped just above
    )


def organisation(name: str, url: str = "") -> dict:
    """A schema.org Organization; ``url`` only when known."""
    data = {"@type": "Organization", "name": name}
    if url:
        data["url"] = url
    return data


def without_empty(data: dict) -> dict:
    """Leave out keys whose value is empty: schema.org has no use for blank properties."""
    return {key: value for key, value in data.items() if value not in ("", None, [])}
