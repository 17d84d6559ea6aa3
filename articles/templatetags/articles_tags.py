from django import template

from cms.json_ld import json_ld_script

from ..structured_data import article_graph, author_graph, breadcrumb_list

register = template.Library()


@register.simple_tag(takes_context=True)
def article_json_ld(context, article):
    """The article page's JSON-LD: the page, and its numbered list."""
    return json_ld_script(article_graph(article, context["request"].build_absolute_uri))


@register.simple_tag(takes_context=True)
def author_json_ld(context, author):
    """The author page's Person JSON-LD."""
    return json_ld_script(author_graph(author, context["request"].build_absolute_uri))


@register.simple_tag(takes_context=True)
def breadcrumbs_json_ld(context, category):
    """A section page's breadcrumb trail as BreadcrumbList JSON-LD (an article page
    has its trail in its own graph)."""
    trail = breadcrumb_list(category, context["request"].build_absolute_uri)
    return json_ld_script({"@context": "https://schema.org", **trail})
