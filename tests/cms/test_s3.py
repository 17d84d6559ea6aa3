"""Uploads on S3-compatible storage, against a real S3 API (moto's server on loopback).

The storage settings are the ones cms/settings.py builds from MEDIA_S3_* (read again
with those variables set), so these tests follow any change made there.
"""

import runpy
import uuid
from pathlib import Path

import boto3
import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.factories import ArticleFactory, image_file
from tests.html_forms import form_fields

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "cms" / "settings.py"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


@pytest.fixture(scope="session")
def s3_endpoint():
    """An S3 API on a free loopback port, for the whole session."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def storage_from_environment(monkeypatch, **env) -> dict:
    """STORAGES["default"] as cms/settings.py builds it with these variables."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))["STORAGES"]["default"]


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch):
    """A new, empty bucket that uploads go to; its client, to look inside."""
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    name = f"media-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3", endpoint_url=s3_endpoint, region_name="us-east-1", **_keys()
    )
    client.create_bucket(Bucket=name)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": storage_from_environment(
            monkeypatch,
            MEDIA_S3_BUCKET=name,
            MEDIA_S3_ENDPOINT_URL=s3_endpoint,
            MEDIA_S3_REGION="us-east-1",
        ),
    }
    client.bucket_name = name
    return client


def _keys() -> dict:
    return {
        "aws_access_key_id": CREDENTIALS["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    }


def stored_keys(client) -> list[str]:
    listing = client.list_objects_v2(Bucket=client.bucket_name)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def add_author_in_admin(admin_client, captured_on_commit, photo):
    """Upload the photo into the library, then pick it for a new author."""
    from articles.models import Author
    from cms.models import Image

    url = reverse("admin:cms_image_add")
    data = form_fields(admin_client.get(url).content.decode())
    data.update(title=["Amara Okafor"], file=photo)
    with captured_on_commit(execute=True):
        response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    url = reverse("admin:articles_author_add")
    data = form_fields(admin_client.get(url).content.decode())
    data.update(
        display_name=["Amara Okafor"],
        slug=["amara-okafor"],
        photo=[str(Image.objects.get().pk)],
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Author.objects.get(slug="amara-okafor")


def picture_urls(page_html: str) -> list[str]:
    picture = BeautifulSoup(page_html, "html.parser").select_one(".profile picture")
    return [
        part.split()[0]
        for srcset in (picture.source["srcset"], picture.img["srcset"])
        for part in srcset.split(", ")
    ]


def test_an_upload_and_its_renditions_go_to_the_bucket_and_the_page_links_them(
    admin_client, client, bucket, django_capture_on_commit_callbacks
):
    photo = image_file("amara.jpg", size=(600, 800), fmt="JPEG")

    author = add_author_in_admin(
        admin_client, django_capture_on_commit_callbacks, photo
    )
    ArticleFactory(published=True, authors=[author])
    keys = stored_keys(bucket)
    urls = picture_urls(client.get(author.get_absolute_url()).content.decode())

    name = author.photo.file.name
    assert name.startswith("library/") and name.endswith("/amara.jpg")
    assert name in keys
    stem = name.removesuffix(".jpg")
    renditions = [key for key in keys if key.startswith(f"renditions/{stem}/portrait")]
    # The portrait preset: 160, 320 and 480 pixels, in WebP and JPEG.
    assert len(renditions) == 6
    endpoint = bucket.meta.endpoint_url
    assert sorted(urls) == sorted(
        f"{endpoint}/{bucket.bucket_name}/{key}" for key in renditions
    )
    # What the page links is what the bucket serves.
    stored = bucket.get_object(Bucket=bucket.bucket_name, Key=renditions[-1])
    assert stored["Body"].read()[:4] in (b"RIFF", b"\xff\xd8\xff\xe0")


def test_with_a_cdn_domain_the_page_links_the_cdn(
    client, bucket, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from tests.factories import AuthorFactory

    settings.STORAGES = {
        **settings.STORAGES,
        "default": storage_from_environment(
            monkeypatch, MEDIA_S3_CUSTOM_DOMAIN="media.example.net"
        ),
    }
    with django_capture_on_commit_callbacks(execute=True):
        author = AuthorFactory(photo=image_file("leila.png", size=(400, 400)))
    ArticleFactory(published=True, authors=[author])

    urls = picture_urls(client.get(author.get_absolute_url()).content.decode())

    stem = author.photo.file.name.removesuffix(".png")
    assert len(urls) == 6
    assert all(
        url.startswith(f"https://media.example.net/renditions/{stem}/portrait")
        for url in urls
    )
    # The original, and a library image's every preset: 400 × 400 makes one width
    # of hero, card and item, and three of portrait, in WebP and PNG.
    assert len(stored_keys(bucket)) == 1 + 6 * 2
