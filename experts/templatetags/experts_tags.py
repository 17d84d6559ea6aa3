from django import template

from cms.json_ld import json_ld_script

from ..structured_data import expert_person

register = template.Library()


@register.simple_tag(takes_context=True)
def expert_json_ld(context, expert):
    """The expert page's Person JSON-LD."""
    person = expert_person(expert, context["request"].build_absolute_uri)
    return json_ld_script({"@context": "https://schema.org", **person})
