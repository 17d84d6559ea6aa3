"""The expert page's Person JSON-LD, parsed from the page and checked against it."""

import json
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup

from experts.structured_data import credentials_of
from tests.factories import ExpertFactory, image_file

pytestmark = pytest.mark.django_db


def person_on(page) -> dict:
    (script,) = page.find_all("script", type="application/ld+json")
    return json.loads(script.string)


def page_of(client, expert):
    return BeautifulSoup(
        client.get(expert.get_absolute_url()).content.decode(), "html.parser"
    )


def absolute(path: str) -> str:
    return urljoin("http://testserver/", path)


def test_expert_page_is_a_person_matching_the_page(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # makes the renditions
        expert = ExpertFactory(
            honorific="Dr",
            name="Leila Haddad",
            job_title="Consultant Dermatologist",
            organisation="Northgate Skin Clinic",
            credentials="MBBS, MRCP",
            website="https://northgate.example.org/leila-haddad",
            photo=image_file("leila.png"),
        )

    page = page_of(client, expert)
    person = person_on(page)

    assert person["@context"] == "https://schema.org"
    assert person["@type"] == "Person"
    assert person["name"] == page.h1.get_text() == "Dr Leila Haddad"
    assert person["honorificPrefix"] == "Dr"
    assert person["honorificSuffix"] == page.select_one(".credentials").get_text()
    assert [credential["name"] for credential in person["hasCredential"]] == [
        "MBBS",
        "MRCP",
    ]
    assert all(
        credential["@type"] == "EducationalOccupationalCredential"
        for credential in person["hasCredential"]
    )
    assert person["jobTitle"] == "Consultant Dermatologist"
    assert person["affiliation"] == {
        "@type": "Organization",
        "name": "Northgate Skin Clinic",
    }
    assert page.select_one(".role").get_text() == (
        f"{person['jobTitle']} at {person['affiliation']['name']}"
    )
    assert person["url"] == absolute(expert.get_absolute_url())
    # The largest rendition the page shows, never the original upload.
    largest = page.select_one("img.portrait")["srcset"].split(", ")[-1].split(" ")[0]
    assert person["image"] == absolute(largest)
    assert "/media/renditions/" in person["image"]
    assert person["sameAs"] == [expert.website]


def test_expert_without_title_organisation_or_credentials_leaves_them_out(client):
    expert = ExpertFactory(
        honorific="", job_title="", organisation="", credentials="", website=""
    )

    person = person_on(page_of(client, expert))

    assert person["name"] == expert.name
    for key in (
        "honorificPrefix",
        "honorificSuffix",
        "hasCredential",
        "jobTitle",
        "affiliation",
        "image",
        "sameAs",
    ):
        assert key not in person, key


def test_expert_text_cannot_break_out_of_the_script(client):
    expert = ExpertFactory(
        name="Ann </script><script>alert(1)</script>", organisation="A & B <clinic>"
    )

    html = client.get(expert.get_absolute_url()).content.decode()
    opening = '<script type="application/ld+json">'
    start = html.index(opening) + len(opening)
    inner = html[start : html.index("</script>", start)]

    assert "<" not in inner and ">" not in inner and "&" not in inner
    person = person_on(BeautifulSoup(html, "html.parser"))
    assert person["name"] == f"Dr {expert.name}"
    assert person["affiliation"]["name"] == "A & B <clinic>"


@pytest.mark.parametrize(
    ("credentials", "expected"),
    [
        ("MBBS, MRCPCH", ["MBBS", "MRCPCH"]),
        ("RN, SCPHN (HV)", ["RN", "SCPHN (HV)"]),
        (" MPharm ,", ["MPharm"]),
        ("", []),
    ],
)
def test_credentials_are_listed_one_by_one(credentials, expected):
    assert credentials_of(ExpertFactory.build(credentials=credentials)) == expected
