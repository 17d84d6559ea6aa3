"""The article editor's "Insert image" search (cms/image_picker.py)."""

import pytest
from django.contrib.auth.models import Group

from cms import image_picker, images
from tests.factories import ImageFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/admin/images/search/"


def role(name: str):
    user = UserFactory(staff=True)
    user.groups.add(Group.objects.get(name=name))
    return user


@pytest.fixture
def writer_client(client):
    client.force_login(role("Writer"))
    return client


def test_a_writer_finds_library_images_by_their_words(writer_client):
    rash = ImageFactory(
        title="Rash close-up", alt="Red blotches on a baby's back", credit="Jo Lee"
    )
    ImageFactory(title="Sun hat", alt="A wide-brimmed hat", caption="", credit="")

    response = writer_client.get(URL, {"q": "blotches back"})

    assert response.status_code == 200
    assert response.json() == {
        "results": [
            {
                "id": rash.pk,
                "title": "Rash close-up",
                "alt": "Red blotches on a baby's back",
                "thumbnail": rash.file.url,  # no renditions yet: the original
                "width": 1600,
                "height": 1000,
                "reference": f"[[image:{rash.pk}]]",
            }
        ],
        "page": 1,
        "more": False,
    }


def test_with_no_words_the_newest_images_come_first(writer_client):
    older, newer = ImageFactory(), ImageFactory()

    results = writer_client.get(URL).json()["results"]

    assert [result["id"] for result in results] == [newer.pk, older.pk]


def test_the_thumbnail_is_the_smallest_square_rendition_once_made(writer_client):
    image = ImageFactory()
    images.make_ready(image, "file")

    (result,) = writer_client.get(URL).json()["results"]

    assert result["thumbnail"].startswith("/media/renditions/")
    assert "/portrait-160w-" in result["thumbnail"]


def test_results_come_a_page_at_a_time(writer_client):
    made = [ImageFactory(title=f"Hat {n}") for n in range(image_picker.PAGE_SIZE + 2)]

    first = writer_client.get(URL, {"q": "hat"}).json()
    second = writer_client.get(URL, {"q": "hat", "page": "2"}).json()

    assert len(first["results"]) == image_picker.PAGE_SIZE and first["more"]
    assert [r["id"] for r in second["results"]] == [made[1].pk, made[0].pk]
    assert not second["more"]


@pytest.mark.parametrize("page", ["x", "-3", "0", "99999999999999999999", ""])
def test_a_nonsense_page_number_is_the_first_page(writer_client, page):
    ImageFactory()

    response = writer_client.get(URL, {"page": page})

    assert response.status_code == 200
    assert response.json()["page"] in {1, image_picker.MAX_PAGE}


def test_no_match_is_an_empty_list(writer_client):
    ImageFactory(title="Sun hat")

    assert writer_client.get(URL, {"q": "zzzz"}).json()["results"] == []


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_staff_who_may_not_see_the_library_are_refused(client):
    client.force_login(UserFactory(staff=True))

    response = client.get(URL, {"q": "hat"})

    assert response.status_code == 403
    assert response.json() == {"error": "You may not see the image library."}


def test_every_role_may_search_the_library(client):
    for name in ("Writer", "Editor"):
        client.force_login(role(name))
        assert client.get(URL).status_code == 200
