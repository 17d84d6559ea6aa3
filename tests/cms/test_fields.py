"""Stored images are never re-read: an unchanged save, a reload, a workflow step."""

from contextlib import contextmanager
from unittest import mock

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Article, ListItem
from cms.models import Image as LibraryImage
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    ExpertFactory,
    ListItemFactory,
    UserFactory,
    image_file,
)
from tests.html_forms import form_fields, post_back

pytestmark = pytest.mark.django_db


@contextmanager
def no_file_access():
    """Any read or write of a stored file fails the test."""

    def refuse(self, name, *args, **kwargs):
        raise AssertionError(f"{name} was opened or written")

    with (
        mock.patch.object(FileSystemStorage, "_open", refuse),
        mock.patch.object(FileSystemStorage, "_save", refuse),
    ):
        yield


@pytest.fixture
def illustrated_article():
    article = ArticleFactory(hero_image=image_file("hero.png"), hero_alt="A baby")
    ListItemFactory(article=article, image=image_file("item.png"), image_alt="A rash")
    return article


def change_url(obj) -> str:
    meta = obj._meta
    return f"/admin/{meta.app_label}/{meta.model_name}/{obj.pk}/change/"


def test_saving_an_article_with_images_unchanged_opens_no_file(
    admin_client, illustrated_article
):
    with no_file_access():
        response = post_back(admin_client, change_url(illustrated_article))

    assert response.status_code == 302
    saved = Article.objects.get(pk=illustrated_article.pk)
    assert saved.hero_image == illustrated_article.hero_image
    assert (saved.hero_image.width, saved.hero_image.height) == (40, 30)
    item = ListItem.objects.get(article=saved)
    assert (item.image.width, item.image.height) == (40, 30)


def test_saving_a_library_image_unchanged_opens_no_file(
    admin_client, illustrated_article
):
    image = illustrated_article.hero_image

    with no_file_access():
        response = post_back(admin_client, change_url(image))

    assert response.status_code == 302
    image.refresh_from_db()
    assert (image.width, image.height) == (40, 30)


@pytest.mark.parametrize("factory", [AuthorFactory, ExpertFactory])
def test_saving_a_person_with_a_photo_unchanged_opens_no_file(admin_client, factory):
    person = factory(photo=image_file("face.png"))

    with no_file_access():
        response = post_back(admin_client, change_url(person))

    assert response.status_code == 302
    model = type(person)
    assert model.objects.get(pk=person.pk).photo.file.name == person.photo.file.name


def test_demo_articles_save_unchanged_although_their_files_are_elsewhere(
    admin_client, demo
):
    """The demo's image files are never written in tests: nothing may need them."""
    for article in Article.objects.filter(hero_image__isnull=False):
        response = post_back(admin_client, change_url(article))
        errors = getattr(response, "context_data", {}) or {}
        assert response.status_code == 302, (article, errors.get("errors"))


def test_reloading_an_article_opens_no_file(illustrated_article):
    with no_file_access():
        illustrated_article.refresh_from_db()
        assert illustrated_article.hero_image.width == 40


def test_a_new_upload_replaces_the_image_and_its_size(
    admin_client, illustrated_article
):
    image = illustrated_article.hero_image
    url = change_url(image)
    page = admin_client.get(url)
    data = form_fields(page.content.decode())
    data["file"] = image_file("wide.png", size=(64, 20))
    data["_save"] = "Save"

    response = admin_client.post(url, data)

    assert response.status_code == 302
    saved = Article.objects.get(pk=illustrated_article.pk).hero_image
    assert (saved.width, saved.height) == (64, 20)
    assert saved.file.name != image.file.name


def test_an_upload_that_is_not_an_image_is_refused_in_the_form(
    admin_client, illustrated_article
):
    url = change_url(illustrated_article.hero_image)
    data = form_fields(admin_client.get(url).content.decode())
    data["file"] = SimpleUploadedFile("fake.png", b"<svg></svg>", "image/png")
    data["_save"] = "Save"

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "valid image" in response.content.decode()
    saved = Article.objects.get(pk=illustrated_article.pk)
    assert saved.hero_image.file.name == illustrated_article.hero_image.file.name


def test_a_writer_submits_an_article_with_a_list_item_image(client):
    from django.contrib.auth.models import Group

    writer = UserFactory(is_staff=True)
    writer.groups.add(Group.objects.get(name="Writer"))
    author = AuthorFactory(user=writer)
    article = ArticleFactory(authors=[author], created_by=writer)
    ListItemFactory(article=article, image=image_file("item.png"), image_alt="A rash")
    client.force_login(writer)

    with no_file_access():
        response = post_back(
            client, change_url(article), changes={"action": "in_review"}
        )

    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).status == Article.Status.IN_REVIEW


def test_a_refused_save_asks_for_the_chosen_image_again(admin_client):
    data = form_fields(admin_client.get("/admin/cms/image/add/").content.decode())
    data.update({"title": [""], "file": image_file("scalp.png"), "focal_x": ["150"]})
    data["_save"] = ["Save"]

    response = admin_client.post("/admin/cms/image/add/", data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "browsers do not keep a chosen file: choose it again" in page
    assert not LibraryImage.objects.exists()
