"""A publisher moves in from WordPress, on the site as deployed: the export of their
old site (tests/data/wxr/site-1.2.xml, with its uploads) is imported into the served
database; a reader following an old address, by permalink or by ``/?p=ID``, lands on
the new article with its hero image and the post's picture as a figure of the image
library, served from its renditions, and an old category address on its section; an
editor then changes the article's slug, and the old address still leads to it.

The server's data lasts the session: the journey takes out what the import added and
puts back what it changed in the demo (its "Baby" section) when it ends.
"""

import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.transfer.wordpress_helpers import DATA, UPLOADS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

EXPORT = DATA / "site-1.2.xml"
WP = "{http://wordpress.org/export/1.2/}"
# The post the reader follows, and its featured image's alt text, as in the export
# (the picture in its text is the same image).
POST_ID = "101"
ALT = "A baby asleep on her back in a cot"
FIGCAPTION = "Back to sleep, every sleep."  # the picture in its text, a figure here

SNAPSHOT = """
import json
from articles.models import Article, Author, Category, ImportedItem, OldAddress, Tag
baby = Category.objects.filter(slug="baby").first()
print(json.dumps({
    "ids": {
        model.__name__: list(model.objects.values_list("pk", flat=True))
        for model in (Article, Author, Category, Tag, OldAddress, ImportedItem)
    },
    "baby": baby and [baby.name, baby.description],
}))
"""

# Takes out every row the import added and puts the demo's "Baby" section back.
PUT_BACK = """
import json
from articles.models import Article, Author, Category, ImportedItem, OldAddress, Tag
before = json.loads(BEFORE)
for model in (Article, OldAddress, ImportedItem, Tag, Author):
    model.objects.exclude(pk__in=before["ids"][model.__name__]).delete()
added = Category.objects.exclude(pk__in=before["ids"]["Category"])
added.filter(parent__isnull=False).delete()
added.delete()
if before["baby"]:
    Category.objects.filter(slug="baby").update(
        name=before["baby"][0], description=before["baby"][1]
    )
"""


def old_permalink(post_id: str) -> str:
    """The path of the post's address on the old site, from the export itself."""
    for item in ET.parse(EXPORT).getroot().iter("item"):
        if item.findtext(f"{WP}post_id") == post_id:
            return urlsplit(item.findtext("link")).path
    raise AssertionError(f"post {post_id} is not in {EXPORT.name}")


def test_old_wordpress_addresses_lead_to_the_imported_article(site, person):
    permalink = old_permalink(POST_ID)
    assert re.fullmatch(r"/\d{4}/\d\d/\d\d/[\w-]+/", permalink)
    before = site.shell(SNAPSHOT)
    try:
        report = site.manage(
            "import_wordpress", str(EXPORT), "--media-dir", str(UPLOADS)
        )
        assert "Files not found in the media folder (1):" in report
        assert re.search(r"^articles\s+4(\s+0){5}$", report, re.M), report
        # The images' renditions, as the worker beside a deployed site makes them.
        site.manage("db_worker", "--batch", "--no-startup-delay", "--no-reload")
        pk, title, url = json.loads(
            site.shell(
                "import json\n"
                "from articles.models import ImportedItem, Article\n"
                "item = ImportedItem.objects.get(kind='post', source_id="
                f"'{POST_ID}')\n"
                "a = Article.objects.get(pk=item.object_id)\n"
                "print(json.dumps([a.pk, a.title, a.get_absolute_url()]))"
            )
        )

        # A reader follows the old permalink, then the old ?p= address.
        reader = person()
        for old in (permalink, f"/?p={POST_ID}"):
            response = reader.goto(site.url + old)
            assert response.status == 200, old
            assert reader.url == site.url + url, old
            expect(reader.locator("h1")).to_have_text(title)
            hero = reader.locator("figure.hero img")
            expect(hero).to_have_attribute("alt", ALT)
            hero.scroll_into_view_if_needed()
            reader.wait_for_function(
                "img => img.complete && img.naturalWidth > 0", arg=hero.element_handle()
            )
            figure = reader.locator(".prose figure.body-figure")
            expect(figure.locator("img")).to_have_attribute("alt", ALT)
            expect(figure.locator("figcaption")).to_have_text(FIGCAPTION)
            expect(figure.locator("source[type='image/webp']")).to_have_count(1)

        # An old category address shows the section, which lists the article.
        reader.goto(site.url + "/category/health/")
        assert reader.url == site.url + url.rsplit("/", 2)[0] + "/"
        expect(reader.locator("main").get_by_role("link", name=title)).to_be_visible()

        # An editor changes the article's slug in the admin.
        editor = person()
        site.login(editor, "Editor")
        editor.goto(f"{site.url}/admin/articles/article/{pk}/change/")
        editor.fill("#id_slug", "why-newborns-wake-at-night")
        with editor.expect_navigation():
            editor.click("input[name=_continue]")
        expect(editor.locator(".messagelist .success")).to_have_count(1)
        moved = url.replace("/why-newborns-wake/", "/why-newborns-wake-at-night/")

        # The old WordPress address still lands on the article, now at its new URL.
        for old in (permalink, f"/?p={POST_ID}"):
            reader.goto(site.url + old)
            assert reader.url == site.url + moved, old
            expect(reader.locator("h1")).to_have_text(title)
    finally:
        site.shell(f"BEFORE = {before.strip()!r}\n{PUT_BACK}")
