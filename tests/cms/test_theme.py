"""The reader site's theme: the masthead's logo, the footer's links, the legal pages,
one look for forms, and a stylesheet small enough to keep pages fast."""

import gzip
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db

LEGAL = {
    "legal:privacy": "Privacy notice",
    "legal:terms": "Terms of use",
    "legal:cookies": "Cookies",
    "legal:accessibility": "Accessibility statement",
}
# The site's own stylesheet, gzipped as whitenoise serves it, stays under this.
CSS_BUDGET = 30 * 1024


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def test_masthead_shows_the_logo_named_after_the_site(client):
    logo = soup(client.get("/")).select_one("header .site-logo")
    assert logo["href"] == reverse("articles:home")
    image = logo.img
    assert image["src"].endswith(".svg")
    assert image["alt"] == settings.CMS_SITE_NAME
    assert image["width"] and image["height"]  # no layout shift


def test_the_heading_font_is_preloaded_and_shipped(client):
    page = soup(client.get("/"))
    preload = page.select_one("link[rel=preload][as=font]")
    assert preload["type"] == "font/woff2" and "crossorigin" in preload.attrs
    name = Path(preload["href"]).name
    assert finders.find(f"cms/site/fonts/{name}")
    assert finders.find("cms/site/fonts/OFL.txt")


def test_footer_lists_the_sections_and_the_legal_pages(client):
    CategoryFactory(name="Baby", slug="baby", position=1)
    CategoryFactory(name="Pregnancy", slug="pregnancy", position=2)
    footer = soup(client.get("/")).select_one("footer.site-footer")
    links = {a.get_text(): a["href"] for a in footer.select("a")}
    assert links["Baby"] == "/baby/" and links["Pregnancy"] == "/pregnancy/"
    for name, title in LEGAL.items():
        assert links[title] == reverse(name)


@pytest.mark.parametrize("name", list(LEGAL))
def test_legal_pages_render_with_their_title(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    page = soup(response)
    assert page.h1.get_text() == LEGAL[name]
    assert page.title.get_text().startswith(LEGAL[name])
    # Placeholder text, marked as the publisher's to replace.
    assert "publisher replaces it" in page.select_one(".legal-note").get_text()


@pytest.mark.parametrize(
    "path", ["/search/", "/search/?q=rash", "/no-such-section/no-such-article/"]
)
def test_search_and_not_found_forms_use_the_styled_controls(client, path):
    page = soup(client.get(path))
    form = page.select_one("main form[role=search]")
    assert "field" in form.select_one("input[type=search]")["class"]
    assert "button" in form.select_one("button[type=submit]")["class"]


def test_site_css_styles_the_shared_body_figure():
    """The markup the body's [[image:N]] renders (figure, picture, caption, credit)."""
    css = Path(finders.find("cms/site/site.css")).read_text()
    for selector in [
        "figure.body-figure img",
        "figure.body-figure figcaption",
        "figure.body-figure .credit",
    ]:
        assert selector + " {" in css


def test_site_css_is_under_30_kb_compressed():
    css = Path(finders.find("cms/site/site.css")).read_bytes()
    assert len(gzip.compress(css, compresslevel=9)) < CSS_BUDGET
