"""The header's section navigation and search box."""

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.urls import reverse

from articles.context_processors import CACHE_KEY
from tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db


def nav_names(client, url="/"):
    page = BeautifulSoup(client.get(url).content, "html.parser")
    return [a.get_text() for a in page.select("nav.site-nav a")]


def test_header_lists_top_level_sections_only(client):
    baby = CategoryFactory(name="Baby", position=1)
    CategoryFactory(name="Pregnancy", position=2)
    CategoryFactory(name="Sleep", parent=baby)
    assert nav_names(client) == ["Baby", "Pregnancy"]


def test_current_section_is_marked(client):
    baby = CategoryFactory(name="Baby")
    page = BeautifulSoup(client.get(baby.get_absolute_url()).content, "html.parser")
    assert page.select_one("nav.site-nav a[aria-current=page]").get_text() == "Baby"


def test_sections_cost_no_query_while_cached(client, django_assert_num_queries):
    CategoryFactory(name="Baby")
    cache.delete(CACHE_KEY)
    client.get(reverse("experts:index"))  # one query fills the cache for 60 s
    with django_assert_num_queries(1):  # the expert list only
        client.get(reverse("experts:index"))


def test_a_saved_section_shows_at_once(client):
    baby = CategoryFactory(name="Baby")
    assert nav_names(client) == ["Baby"]
    baby.name = "Babies"
    baby.save()
    CategoryFactory(name="Toddler", position=9)
    assert nav_names(client) == ["Babies", "Toddler"]
    baby.delete()
    assert nav_names(client) == ["Toddler"]


def test_header_search_box_goes_to_search(client):
    page = BeautifulSoup(client.get("/").content, "html.parser")
    form = page.select_one("header form[role=search]")
    assert form["action"] == reverse("articles:search")
    assert form.select_one("input[type=search]")["name"] == "q"
    label = page.select_one(f"label[for={form.select_one('input')['id']}]")
    assert label.get_text() == "Search articles"
