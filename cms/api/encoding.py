"""JSON as the API writes it: times to the microsecond, as stored, so that a time the
API gave can be passed back as a filter and match (Django's encoder cuts them to the
millisecond)."""

from datetime import datetime

from django.core.serializers.json import DjangoJSONEncoder
from ninja.renderers import JSONRenderer


class Encoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime):
            text = o.isoformat()
            return (
                text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
            )
        return super().default(o)


class Renderer(JSONRenderer):
    encoder_class = Encoder
