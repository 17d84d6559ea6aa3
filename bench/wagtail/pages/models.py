"""One page type in the reference article's shape, written as a Wagtail site would:
title, standfirst, hero image, rich-text body with H2s, a numbered list of items with
an image each, and related pages with their images."""

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page


class ArticlePage(Page):
    standfirst = models.TextField(blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = RichTextField(blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("standfirst"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
        InlinePanel("list_items", label="Numbered list"),
        InlinePanel("related_links", label="Related"),
    ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        site = self.get_site()
        context["menu"] = site.root_page.get_children().live().in_menu()
        return context


class ListItem(Orderable):
    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="list_items")
    heading = models.CharField(max_length=255)
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = RichTextField(blank=True)


class RelatedLink(Orderable):
    page = ParentalKey(
        ArticlePage, on_delete=models.CASCADE, related_name="related_links"
    )
    label = models.CharField(max_length=50, default="Read more")
    target = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+"
    )
