import json

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CategoryFactory,
    ExpertFactory,
    TagFactory,
    image_file,
)

pytestmark = pytest.mark.django_db

ORIGIN = "http://testserver"


def meta_of(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200
    page = BeautifulSoup(response.content.decode(), "html.parser")

    def content(**attrs):
        tags = page.find_all("meta", attrs=attrs)
        assert len(tags) == 1, attrs
        return tags[0]["content"]

    return {
        "lang": page.html["lang"],
        "title": page.title.get_text(),
        "description": content(name="description"),
        "canonical": [link["href"] for link in page.find_all("link", rel="canonical")],
        "og:title": content(property="og:title"),
        "og:description": content(property="og:description"),
        "og:type": content(property="og:type"),
        "og:url": content(property="og:url"),
        "twitter:card": content(name="twitter:card"),
        "page": page,
    }


@pytest.fixture
def site():
    baby = CategoryFactory(name="Baby", slug="baby", description="All about babies.")
    tag = TagFactory(name="Sleep", slug="sleep")
    author = AuthorFactory(display_name="Priya Lang", slug="priya", bio="Writes.")
    expert = ExpertFactory(name="Amara Okafor", slug="amara")
    article = ArticleFactory(
        published=True,
        title="Newborn rashes",
        standfirst="Which spots are normal.",
        category=baby,
        hero_image=image_file("hero.png", size=(160, 90)),
        hero_alt="A sleeping baby",
        authors=[author],
    )
    article.tags.add(tag)
    return {
        "home": reverse("articles:home"),
        "section": baby.get_absolute_url(),
        "tag": tag.get_absolute_url(),
        "author": author.get_absolute_url(),
        "expert": expert.get_absolute_url(),
        "article": article.get_absolute_url(),
        "search": reverse("articles:search") + "?q=rash",
    }


def test_every_page_has_its_own_title_description_and_social_tags(client, site):
    seen_titles, seen_descriptions = set(), set()
    for name, url in site.items():
        meta = meta_of(client, url)
        assert meta["lang"] == "en-GB", name
        assert meta["title"] not in seen_titles, name
        assert meta["description"] and meta["description"] not in seen_descriptions
        seen_titles.add(meta["title"])
        seen_descriptions.add(meta["description"])
        assert len(meta["canonical"]) == 1, name
        assert meta["canonical"][0].startswith(ORIGIN), name
        assert meta["og:url"] == meta["canonical"][0], name
        assert meta["og:title"] and meta["og:description"], name
        assert meta["twitter:card"] in {"summary", "summary_large_image"}, name


def test_article_page_social_tags_carry_the_hero_image(client, site):
    meta = meta_of(client, site["article"])
    page = meta["page"]
    assert meta["title"].startswith("Newborn rashes")
    assert meta["description"] == "Which spots are normal."
    assert meta["og:type"] == "article"
    assert meta["canonical"] == [f"{ORIGIN}{site['article']}"]
    image = page.find("meta", property="og:image")["content"]
    assert image.startswith(f"{ORIGIN}/media/") and image.endswith(".png")
    assert page.find("meta", property="og:image:width")["content"] == "160"
    assert page.find("meta", property="og:image:height")["content"] == "90"
    assert page.find("meta", property="og:image:alt")["content"] == "A sleeping baby"
    assert meta["twitter:card"] == "summary_large_image"
    assert page.find("meta", attrs={"name": "twitter:image"})["content"] == image


def test_seo_title_and_description_override_the_headline(client):
    article = ArticleFactory(
        published=True, seo_title="Rash checker", seo_description="Spot the signs."
    )
    meta = meta_of(client, article.get_absolute_url())
    assert meta["og:title"] == "Rash checker"
    assert meta["description"] == "Spot the signs."


def test_canonical_of_a_later_page_names_the_page(client):
    section = CategoryFactory(slug="toddler")
    for _ in range(21):
        ArticleFactory(published=True, category=section)
    first = meta_of(client, section.get_absolute_url())
    second = meta_of(client, section.get_absolute_url(), {"page": 2})
    assert first["canonical"] == [f"{ORIGIN}/toddler/"]
    assert second["canonical"] == [f"{ORIGIN}/toddler/?page=2"]
    assert first["title"] != second["title"]
    assert first["description"] != second["description"]


def test_search_page_is_not_indexed(client, site):
    page = meta_of(client, site["search"])["page"]
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"


def breadcrumbs_in(page):
    for script in page.find_all("script", type="application/ld+json"):
        data = json.loads(script.string)
        for node in data.get("@graph", [data]):
            if node["@type"] == "BreadcrumbList":
                return [
                    (item["name"], item["item"]) for item in node["itemListElement"]
                ]
    return None


def test_breadcrumbs_are_structured_data_on_section_and_article_pages(client):
    baby = CategoryFactory(name="Baby", slug="baby")
    sleep = CategoryFactory(name="Sleep", slug="baby-sleep", parent=baby)
    article = ArticleFactory(published=True, category=sleep, title="Naps")
    trail = [
        ("Home", f"{ORIGIN}/"),
        ("Baby", f"{ORIGIN}/baby/"),
        ("Sleep", f"{ORIGIN}/baby-sleep/"),
    ]
    assert breadcrumbs_in(meta_of(client, sleep.get_absolute_url())["page"]) == trail
    on_article = breadcrumbs_in(meta_of(client, article.get_absolute_url())["page"])
    assert on_article == [*trail, ("Naps", f"{ORIGIN}{article.get_absolute_url()}")]
