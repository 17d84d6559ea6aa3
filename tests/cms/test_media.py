"""Uploads served by the app with debug off (no S3 bucket): cached by kind, safe paths."""

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.utils.http import http_date

from tests.factories import ArticleFactory, AuthorFactory, image_file

pytestmark = pytest.mark.django_db

IMMUTABLE = "public, max-age=31536000, immutable"


@pytest.fixture
def stored(settings):
    """A file in MEDIA_ROOT, at a name as an upload would have."""
    path = Path(settings.MEDIA_ROOT) / "authors" / "amara.png"
    path.parent.mkdir(parents=True)
    path.write_bytes(image_file().read())
    return path


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_debug_is_off_in_these_tests():
    assert settings.DEBUG is False


def test_an_original_is_served_with_a_short_max_age(client, stored):
    response = client.get("/media/authors/amara.png")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert body(response) == stored.read_bytes()
    assert response["Cache-Control"] == "public, max-age=3600"
    assert response["Content-Length"] == str(stored.stat().st_size)


def test_the_pictures_on_a_page_are_served_and_cached_for_a_year(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        author = AuthorFactory(photo=image_file("me.jpg", size=(600, 800), fmt="JPEG"))
    ArticleFactory(published=True, authors=[author])
    page = BeautifulSoup(client.get(author.get_absolute_url()).content, "html.parser")
    picture = page.select_one(".profile picture")
    urls = [
        part.split()[0]
        for srcset in (picture.source["srcset"], picture.img["srcset"])
        for part in srcset.split(", ")
    ]

    assert len(urls) == 6
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == IMMUTABLE
        assert body(response)[:4] in (b"RIFF", b"\xff\xd8\xff\xe0")
    original = client.get(author.photo.file.url)
    assert original.status_code == 200
    assert original["Cache-Control"] == "public, max-age=3600"


def test_a_file_named_like_a_rendition_outside_renditions_is_not_immutable(
    client, settings
):
    path = Path(settings.MEDIA_ROOT) / "uploads" / "card-480w-0123456789.jpg"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\xff\xd8\xff")

    response = client.get("/media/uploads/card-480w-0123456789.jpg")

    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=3600"


def test_an_unchanged_file_answers_304(client, stored):
    response = client.get(
        "/media/authors/amara.png",
        headers={"if-modified-since": http_date(stored.stat().st_mtime)},
    )

    assert response.status_code == 304
    assert response.content == b""


def test_head_is_answered_and_post_is_refused(client, stored):
    assert client.head("/media/authors/amara.png").status_code == 200
    assert client.post("/media/authors/amara.png").status_code == 405


def test_uploads_cannot_run_scripts_when_opened(client, stored):
    policy = client.get("/media/authors/amara.png")["Content-Security-Policy"]

    assert "default-src 'none'" in policy
    assert "sandbox" in policy


def test_a_missing_file_is_a_plain_404_without_queries(
    client, stored, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get("/media/authors/nobody.png")

    assert response.status_code == 404
    assert response["Content-Type"] == "text/plain"
    assert response.content == b"Not found"
    assert "Cache-Control" not in response


@pytest.mark.parametrize("path", ["/media/", "/media/authors/", "/media/authors"])
def test_folders_are_never_listed(client, stored, path):
    response = client.get(path)

    assert response.status_code == 404
    assert b"amara" not in response.content


@pytest.mark.parametrize(
    "path",
    [
        "/media/../cms/settings.py",
        "/media/authors/../../cms/settings.py",
        "/media/%2e%2e/cms/settings.py",
        "/media/..%2fcms/settings.py",
        "/media//etc/passwd",
        "/media/%2fetc/passwd",
    ],
)
def test_paths_outside_the_media_folder_are_not_found(client, stored, path):
    response = client.get(path)

    assert response.status_code == 404
    assert response.content == b"Not found"
