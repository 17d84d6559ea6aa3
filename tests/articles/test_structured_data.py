"""JSON-LD on article and author pages, parsed from the page and checked against it."""

import json
from datetime import date
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from tests.factories import (
    ArticleFactory,
    ArticleSourceFactory,
    AuthorFactory,
    AuthorLinkFactory,
    CategoryFactory,
    ExpertFactory,
    ListItemFactory,
    image_file,
)

pytestmark = pytest.mark.django_db

ORIGIN = "http://testserver"


def absolute(path: str) -> str:
    return urljoin(f"{ORIGIN}/", path)


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def json_ld(page) -> dict:
    """The page's one JSON-LD script, parsed."""
    (script,) = page.find_all("script", type="application/ld+json")
    return json.loads(script.string)


def graph_of(page) -> tuple[dict, dict | None]:
    """The web page (or article) and the numbered list from the page's graph."""
    data = json_ld(page)
    assert data["@context"] == "https://schema.org"
    by_type = {node["@type"]: node for node in data["@graph"]}
    assert len(by_type) == len(data["@graph"])
    main = by_type.get("MedicalWebPage") or by_type["Article"]
    return main, by_type.get("ItemList")


def largest(srcset: str) -> str:
    """The URL of a srcset's widest candidate (listed last)."""
    return srcset.split(", ")[-1].split(" ")[0]


@pytest.fixture
def reviewed_article(django_capture_on_commit_callbacks):
    expert = ExpertFactory(
        honorific="Dr",
        name="Helena Marsh",
        job_title="Consultant Paediatrician",
        organisation="St Aldric's Children's Hospital",
        credentials="MBBS, MRCPCH",
    )
    with django_capture_on_commit_callbacks(execute=True):  # makes the renditions
        article = ArticleFactory(
            published=True,
            title="Newborn rash & what to do",
            standfirst="Blotchy red patches in the first days are usually harmless.",
            hero_image=image_file("hero.png"),
            hero_alt="A baby's cheek",
            authors=[AuthorFactory(display_name="Maisie Arkwright"), AuthorFactory()],
            list_heading="Other skin complaints",
        )
        article.record_review(by=expert, on=date(2026, 10, 9))
        article.save()
    ListItemFactory(article=article, position=1, heading="Cradle cap")
    ListItemFactory(article=article, position=2, heading="Heat rash")
    ArticleSourceFactory(
        article=article,
        position=1,
        title="Rashes in babies",
        publisher="NHS",
        url="https://www.nhs.uk/conditions/",
        published_on=date(2025, 3, 12),
    )
    ArticleSourceFactory(
        article=article,
        position=2,
        title="Fever in under 5s",
        publisher="NICE",
        url="https://www.nice.org.uk/guidance",
        published_on=None,
        accessed_on=date(2026, 10, 6),
    )
    return Article.objects.get(pk=article.pk)


def test_reviewed_article_is_a_medical_web_page_matching_the_page(
    client, reviewed_article, settings
):
    article = reviewed_article
    page = soup(client.get(article.get_absolute_url()))

    main, item_list = graph_of(page)

    assert main["@type"] == "MedicalWebPage"
    assert (
        main["url"] == main["mainEntityOfPage"] == absolute(article.get_absolute_url())
    )
    assert main["headline"] == page.select_one("h1#article-title").get_text()
    assert main["headline"] == "Newborn rash & what to do"
    assert main["description"] == page.select_one('meta[name="description"]')["content"]
    # The largest rendition the page shows, never the original upload.
    hero = page.select_one("figure.hero img")
    assert hero["src"].startswith(
        article.hero_image.file.url.rsplit(".", 1)[0].replace(
            "/media/", "/media/renditions/"
        )
    )
    assert main["image"] == absolute(largest(hero["srcset"]))
    assert main["datePublished"] == page.select_one(".dates time")["datetime"]
    assert main["dateModified"] == timezone.localtime(article.modified_at).isoformat()

    bylines = page.select(".article-header .byline a")
    assert [(person["name"], person["url"]) for person in main["author"]] == [
        (a.get_text(), absolute(a["href"])) for a in bylines
    ]
    assert all(person["@type"] == "Person" for person in main["author"])
    assert main["author"][0]["jobTitle"] == "Digital Writer"

    assert main["publisher"]["@type"] == "Organization"
    assert main["publisher"]["name"] == settings.CMS_SITE_NAME
    assert main["publisher"]["name"] == page.select_one(".site-logo img")["alt"]

    review_line = page.select_one(".medical-review")
    reviewer = main["reviewedBy"]
    assert reviewer["@type"] == "Person"
    assert reviewer["name"] == review_line.a.get_text() == "Dr Helena Marsh"
    assert reviewer["url"] == absolute(review_line.a["href"])
    assert reviewer["jobTitle"] == "Consultant Paediatrician"
    assert reviewer["jobTitle"] in review_line.get_text()
    assert reviewer["affiliation"] == {
        "@type": "Organization",
        "name": "St Aldric's Children's Hospital",
    }
    assert main["lastReviewed"] == review_line.time["datetime"] == "2026-10-09"

    sources = page.select(".sources ol > li")
    assert [(work["name"], work["url"]) for work in main["citation"]] == [
        (li.a.get_text(), li.a["href"]) for li in sources
    ]
    assert [work["publisher"]["name"] for work in main["citation"]] == ["NHS", "NICE"]
    assert all(work["@type"] == "CreativeWork" for work in main["citation"])
    assert main["citation"][0]["datePublished"] == "2025-03-12"
    assert "datePublished" not in main["citation"][1]

    items = page.select("ol.numbered-list > li")
    assert item_list["name"] == page.select_one("#list-heading").get_text()
    assert item_list["numberOfItems"] == len(items) == 2
    assert [
        f"{element['position']} {element['name']}"
        for element in item_list["itemListElement"]
    ] == [li.h3.get_text(" ", strip=True) for li in items]
    assert all(e["@type"] == "ListItem" for e in item_list["itemListElement"])
    assert item_list["itemListElement"][0]["url"] == (f"{main['url']}#{items[0]['id']}")


def test_unreviewed_article_in_an_ordinary_section_is_an_article(client):
    article = ArticleFactory(published=True)

    main, item_list = graph_of(soup(client.get(article.get_absolute_url())))

    assert main["@type"] == "Article"
    assert "reviewedBy" not in main and "lastReviewed" not in main
    assert "citation" not in main and "image" not in main
    assert item_list is None


def test_article_in_a_section_that_requires_review_is_a_medical_web_page(client):
    section = CategoryFactory(parent=CategoryFactory(requires_medical_review=True))
    article = ArticleFactory(published=True, category=section)

    main, _ = graph_of(soup(client.get(article.get_absolute_url())))

    assert main["@type"] == "MedicalWebPage"


def test_out_of_date_review_keeps_its_last_reviewed_date(client, reviewed_article):
    reviewed_article.body += "\n\nNew words."
    reviewed_article.save()

    main, _ = graph_of(soup(client.get(reviewed_article.get_absolute_url())))

    assert main["lastReviewed"] == "2026-10-09"


@pytest.mark.parametrize(
    "title",
    [
        "Rashes </script><script>alert(1)</script>",
        "<!-- comment --> & friends",
        "Quotes \" and ' and \\ backslash",
    ],
)
def test_editor_text_cannot_break_out_of_the_script(client, title):
    article = ArticleFactory(published=True, title=title, standfirst=title)
    ArticleSourceFactory(article=article, title=title, publisher=title)

    html = client.get(article.get_absolute_url()).content.decode()
    page = BeautifulSoup(html, "html.parser")
    opening = '<script type="application/ld+json">'
    start = html.index(opening) + len(opening)
    inner = html[start : html.index("</script>", start)]

    assert "<" not in inner and ">" not in inner and "&" not in inner
    main, _ = graph_of(page)
    assert main["headline"] == title
    assert main["description"] == title
    assert main["citation"][0]["name"] == title
    assert len(page.find_all("script", type="application/ld+json")) == 1


def test_structured_data_adds_no_queries_to_the_article_page(client, reviewed_article):
    """An unreviewed article with one item and source costs what a full one does."""
    plain = ArticleFactory(published=True)
    ListItemFactory(article=plain)
    ArticleSourceFactory(article=plain)
    plain_url, full_url = plain.get_absolute_url(), reviewed_article.get_absolute_url()
    with CaptureQueriesContext(connection) as plain_queries:
        client.get(plain_url)
    for position in range(3, 10):
        ListItemFactory(article=reviewed_article, position=position)
        ArticleSourceFactory(article=reviewed_article, position=position)
    with CaptureQueriesContext(connection) as full_queries:
        response = client.get(full_url)

    assert len(full_queries) == len(plain_queries)
    assert len(graph_of(soup(response))[0]["citation"]) == 9


def test_preview_carries_the_same_structured_data(admin_client, reviewed_article):
    page = soup(admin_client.get(f"/preview/{reviewed_article.pk}/"))

    main, _ = graph_of(page)

    assert main["headline"] == reviewed_article.title


# Author pages -----------------------------------------------------------------------


def test_author_page_is_a_person_matching_the_page(
    client, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # makes the renditions
        author = AuthorFactory(
            display_name="Maisie Arkwright",
            job_title="Digital Writer",
            photo=image_file("maisie.png"),
        )
    AuthorLinkFactory(author=author, url="https://maisie.example.com/")

    page = soup(client.get(author.get_absolute_url()))
    person = json_ld(page)

    assert person["@context"] == "https://schema.org"
    assert person["@type"] == "Person"
    assert person["name"] == page.h1.get_text()
    assert person["jobTitle"] == page.select_one(".role").get_text()
    assert person["url"] == absolute(author.get_absolute_url())
    # The largest rendition the page shows, never the original upload.
    portrait = page.select_one(".profile img.portrait")
    assert person["image"] == absolute(largest(portrait["srcset"]))
    assert "/media/renditions/" in person["image"]
    assert person["affiliation"] == {
        "@type": "Organization",
        "name": settings.CMS_SITE_NAME,
        "url": absolute("/"),
    }
    assert (
        person["sameAs"]
        == [a["href"] for a in page.select(".profile-links a")]
        == ["https://maisie.example.com/"]
    )


def test_author_without_a_job_title_leaves_it_out(client):
    author = AuthorFactory(job_title="")

    person = json_ld(soup(client.get(author.get_absolute_url())))

    assert "jobTitle" not in person and "sameAs" not in person
