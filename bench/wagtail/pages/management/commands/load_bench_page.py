"""Build the comparison site from the CMS's reference article (a JSON file written by
bench/probe.py): four sections, the article with its list items and images, and four
related articles. Prints the article's path."""

import io
import json

from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand
from PIL import Image as PILImage
from wagtail.images.models import Image
from wagtail.models import Page, Site

from pages.models import ArticlePage, ListItem, RelatedLink

COLOURS = ["#e8a0a0", "#f2d98c", "#a6d3c4", "#9fb8e0", "#c9a8de", "#f0b98a"]


def image(title: str, index: int, size=(1600, 900)) -> Image:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, COLOURS[index % len(COLOURS)]).save(
        buffer, "JPEG", quality=85
    )
    return Image.objects.create(
        title=title, file=ImageFile(buffer, name=f"bench-{index}.jpg")
    )


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("content", help="JSON from bench/probe.py content")

    def handle(self, *args, content, **options):
        with open(content) as file:
            data = json.load(file)
        home = Site.objects.get(is_default_site=True).root_page
        sections = []
        for index, name in enumerate(["Baby", "Baby health", "Toddler", "Pregnancy"]):
            section = ArticlePage(
                title=name, slug=f"section-{index}", show_in_menus=True
            )
            home.add_child(instance=section)
            sections.append(section)
        related = []
        for index, other in enumerate(data["related"]):
            page = ArticlePage(
                title=other["title"],
                slug=f"related-{index}",
                standfirst=other["standfirst"],
                hero_image=image(other["title"], 20 + index),
            )
            sections[index % len(sections)].add_child(instance=page)
            related.append(page)
        article = ArticlePage(
            title=data["title"],
            slug="reference-article",
            standfirst=data["standfirst"],
            hero_image=image(data["title"], 0),
            body=data["body_html"],
        )
        article.list_items = [
            ListItem(
                heading=item["heading"],
                text=item["text_html"],
                image=image(item["heading"], 1 + index, (1200, 800)),
            )
            for index, item in enumerate(data["items"])
        ]
        article.related_links = [RelatedLink(target=page) for page in related]
        sections[1].add_child(instance=article)
        article.save_revision().publish()
        self.stdout.write(Page.objects.get(pk=article.pk).url)
