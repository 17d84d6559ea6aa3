"""The image library: the admin's list, change page (focal-point picker, where the
image is used), delete protection and roles; pages follow an image's changes; and
publishing can require credits."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse

from articles.models import Article
from articles.services import article_publish
from cms.models import Image, ImageTag
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    ExpertFactory,
    ImageFactory,
    ListItemFactory,
    UserFactory,
    image_file,
)
from tests.html_forms import form_fields

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:cms_image_changelist")
ADD = reverse("admin:cms_image_add")


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def change_url(image) -> str:
    return reverse("admin:cms_image_change", args=[image.pk])


def delete_url(image) -> str:
    return reverse("admin:cms_image_delete", args=[image.pk])


def member_of(role: str):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def used():
    """An image used everywhere it can be: hero, list item, body, author and expert
    photo."""
    image = ImageFactory(
        title="Cot by a window", alt="A cot by a window", credit="", licence=""
    )
    author = AuthorFactory(display_name="Sam Writer", photo=image)
    article = ArticleFactory(
        title="Safe sleep", published=True, hero_image=image, authors=[author]
    )
    listed = ArticleFactory(title="Nursery checklist")
    ListItemFactory(article=listed, image=image)
    expert = ExpertFactory(name="Ada Lee", photo=image)
    ArticleFactory(title="Room temperature", body=f"## Cool\n\n[[image:{image.pk}]]")
    return image, article, listed, author, expert


# The list ---------------------------------------------------------------------------


def test_the_list_shows_a_width_limited_thumbnail_of_each_image(admin_client):
    image = ImageFactory(title="Sunlit kitchen")

    page = soup(admin_client.get(CHANGELIST))

    thumb = page.select_one("img.library-thumb")
    assert thumb["src"] == image.file.url and thumb["width"] == "120"
    assert "Sunlit kitchen" in page.text


def test_the_list_is_searched_by_title_alt_caption_credit_and_tag(admin_client):
    tagged = ImageFactory(title="One", alt="A red rash")
    tagged.tags.add(ImageTag.objects.create(name="eczema"))
    ImageFactory(title="Two", credit="Photo: Jane Doe")
    ImageFactory(title="Three")

    def found(words):
        page = soup(admin_client.get(CHANGELIST, {"q": words}))
        return {link.text for link in page.select("td.field-title a, th a")} - {""}

    assert "One" in found("eczema")
    assert "Two" in found("jane doe") and "One" not in found("jane doe")
    assert found("rash eczema") >= {"One"}
    assert "Three" not in found("rash")


def test_the_list_filters_images_in_use_and_without_credit(admin_client, used):
    ImageFactory(title="Spare", credit="Staff", licence="Own work")

    def titles(**params):
        return {
            image.title
            for image in admin_client.get(CHANGELIST, params).context["cl"].result_list
        }

    assert titles(used="yes") == {"Cot by a window"}
    assert titles(used="no") == {"Spare"}
    assert titles(credited="no") == {"Cot by a window"}
    assert titles(credited="yes") == {"Spare"}


# Adding, and the change page -----------------------------------------------------------


def test_an_upload_records_who_uploaded_it(admin_client, admin_user):
    data = form_fields(admin_client.get(ADD).content.decode())
    data.update(
        title=["Bath time"],
        file=image_file("bath.png", size=(80, 60)),
        alt=["A baby in a bath"],
        focal_x=["20"],
        focal_y=["70"],
        _save=["Save"],
    )

    response = admin_client.post(ADD, data)

    assert response.status_code == 302
    image = Image.objects.get()
    assert image.uploaded_by == admin_user
    assert (image.width, image.height, image.focal_point) == (80, 60, (20, 70))


def test_the_change_page_shows_the_picture_with_the_focal_point_picker(admin_client):
    image = ImageFactory(focal_x=25, focal_y=75)

    page = soup(admin_client.get(change_url(image)))

    picker = page.select_one("[data-focal-picker]")
    assert picker.select_one("img.focal-image")["src"] == image.file.url
    assert "left: 25%; top: 75%" in picker.select_one(".focal-marker")["style"]
    # The numbers stay, for the keyboard; the script is ours.
    assert page.select_one("input#id_focal_x")["value"] == "25"
    assert page.select_one("input#id_focal_y")["value"] == "75"
    assert page.find("script", src=lambda src: src and "focal-point" in src)


def test_the_change_page_lists_every_use_with_links(admin_client, used):
    image, article, listed, author, expert = used

    page = soup(admin_client.get(change_url(image)))

    uses = page.select(".field-used_in li")
    text = " | ".join(li.get_text() for li in uses)
    assert "Hero image: Safe sleep" in text
    assert "In the numbered list of: Nursery checklist" in text
    assert "In the body of: Room temperature" in text
    assert "Photo of author: Sam Writer" in text
    assert "Photo of expert: Dr Ada Lee" in text
    hrefs = {a["href"] for li in uses for a in li.select("a")}
    assert reverse("admin:articles_article_change", args=[article.pk]) in hrefs
    assert reverse("admin:articles_article_change", args=[listed.pk]) in hrefs
    assert reverse("admin:articles_author_change", args=[author.pk]) in hrefs
    assert reverse("admin:experts_expert_change", args=[expert.pk]) in hrefs


def test_an_image_articles_show_keeps_its_alt_text(admin_client, used):
    image = used[0]
    data = form_fields(admin_client.get(change_url(image)).content.decode())
    data.update(alt=[" "], _save=["Save"])

    response = admin_client.post(change_url(image), data)

    assert response.status_code == 200
    assert "“Safe sleep”" in soup(response).select_one(".field-alt .errorlist").text
    image.refresh_from_db()
    assert image.alt == "A cot by a window"


def test_an_unused_image_says_so(admin_client):
    page = soup(admin_client.get(change_url(ImageFactory())))

    assert "Not used yet." in page.select_one(".field-used_in").text


# Delete protection ----------------------------------------------------------------------


def test_an_image_in_use_cannot_be_deleted_and_the_page_names_its_users(
    admin_client, used
):
    image = used[0]

    page = admin_client.get(delete_url(image)).content.decode()
    admin_client.post(delete_url(image), {"post": "yes"})

    assert "Safe sleep" in page and "Nursery checklist" in page
    assert "in the body of" in page and "Room temperature" in page
    assert "Sam Writer" in page and "Ada Lee" in page
    assert Image.objects.filter(pk=image.pk).exists()


def test_the_bulk_delete_action_refuses_images_in_use_too(admin_client, used):
    image = used[0]
    spare = ImageFactory()

    page = admin_client.post(
        CHANGELIST,
        {"action": "delete_selected", "_selected_action": [image.pk, spare.pk]},
    ).content.decode()
    admin_client.post(
        CHANGELIST,
        {
            "action": "delete_selected",
            "_selected_action": [image.pk, spare.pk],
            "post": "yes",
        },
    )

    assert "Safe sleep" in page
    assert Image.objects.filter(pk__in=[image.pk, spare.pk]).count() == 2


def test_an_unused_image_is_deleted(admin_client):
    image = ImageFactory()

    response = admin_client.post(delete_url(image), {"post": "yes"})

    assert response.status_code == 302
    assert not Image.objects.exists()


# Roles -----------------------------------------------------------------------------------


def test_writers_upload_and_edit_images_but_only_editors_delete(client):
    image = ImageFactory()
    writer, editor = member_of("Writer"), member_of("Editor")

    client.force_login(writer)
    assert client.get(ADD).status_code == 200
    assert client.get(change_url(image)).status_code == 200
    assert client.get(delete_url(image)).status_code == 403

    client.force_login(editor)
    assert client.post(delete_url(image), {"post": "yes"}).status_code == 302
    assert not Image.objects.exists()


# Picking from the library in place -------------------------------------------------------


def test_the_article_form_picks_the_hero_from_the_library_with_a_search_and_an_add(
    admin_client,
):
    article = ArticleFactory()

    page = soup(
        admin_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    )

    select = page.select_one("select#id_hero_image")
    assert "admin-autocomplete" in select["class"]
    add = page.select_one("#add_id_hero_image")
    assert add["href"].startswith(ADD)
    autocomplete = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "kitchen",
            "app_label": "articles",
            "model_name": "article",
            "field_name": "hero_image",
        },
    )
    assert autocomplete.status_code == 200


def test_an_image_uploaded_in_the_admin_becomes_the_hero_of_an_illustrated_article(
    admin_client, client
):
    article = ArticleFactory(
        published=True, hero_image=ImageFactory(alt="The old picture")
    )
    ListItemFactory(article=article, image=ImageFactory(alt="An item picture"))
    data = form_fields(admin_client.get(ADD).content.decode())
    data.update(
        title=["Twins asleep"],
        file=image_file("twins.png", size=(120, 80)),
        alt=["Twins asleep side by side"],
        caption=["Back to sleep, always."],
        credit=["Photo: Staff"],
        _save=["Save"],
    )
    assert admin_client.post(ADD, data).status_code == 302
    new = Image.objects.get(title="Twins asleep")
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = form_fields(admin_client.get(url).content.decode())
    data.update(hero_image=[str(new.pk)], _save=["Save"])

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert Article.objects.get(pk=article.pk).hero_image == new
    page = soup(client.get(article.get_absolute_url()))
    hero = page.select_one("figure.hero img")
    assert hero["src"] == new.file.url
    assert hero["alt"] == "Twins asleep side by side"
    assert "Back to sleep, always." in page.select_one("figure.hero").text


# Pages follow the image ------------------------------------------------------------------


def test_changing_an_image_updates_every_page_showing_it(client, used):
    image, article, listed, author, expert = used
    listed.status, listed.published_at = article.status, article.published_at
    listed.save()
    pages = [
        article.get_absolute_url(),
        listed.get_absolute_url(),
        author.get_absolute_url(),
        expert.get_absolute_url(),
        reverse("articles:home"),
    ]
    for url in pages:  # rendered and stored
        assert client.get(url).status_code == 200, url

    image.alt = "A white cot under a window"
    image.file = image_file("replaced.png", size=(50, 40))
    image.save()

    for url in pages[:2]:
        assert "A white cot under a window" in client.get(url).content.decode(), url
    for url in pages:
        assert image.file.url in client.get(url).content.decode(), url


# Credits required for publishing ----------------------------------------------------------


def test_without_the_setting_images_need_no_credit_to_publish(settings):
    settings.CMS_IMAGE_CREDIT_REQUIRED = False
    article = ArticleFactory(hero_image=ImageFactory(credit="", licence=""))

    article_publish(article=article, by=UserFactory(superuser=True))

    assert Article.objects.get(pk=article.pk).is_published()


def test_with_the_setting_publishing_names_the_images_without_credit_or_licence(
    settings,
):
    settings.CMS_IMAGE_CREDIT_REQUIRED = True
    article = ArticleFactory(
        hero_image=ImageFactory(title="Hero shot", credit="Staff", licence="")
    )
    ListItemFactory(
        article=article, image=ImageFactory(title="Rash close-up", credit="")
    )
    ListItemFactory(
        article=article,
        image=ImageFactory(title="Credited", credit="Staff", licence="Own work"),
    )

    with pytest.raises(ValidationError) as refused:
        article_publish(article=article, by=UserFactory(superuser=True))

    message = " ".join(refused.value.messages)
    assert "“Hero shot”" in message and "“Rash close-up”" in message
    assert "Credited" not in message
    assert not Article.objects.get(pk=article.pk).is_published()


def test_with_the_setting_a_picture_placed_in_the_body_needs_a_credit_too(settings):
    settings.CMS_IMAGE_CREDIT_REQUIRED = True
    uncredited = ImageFactory(title="Bath thermometer", credit="", licence="")
    article = ArticleFactory(body=f"## Water\n\n[[image:{uncredited.pk}]]\n")

    with pytest.raises(ValidationError) as refused:
        article_publish(article=article, by=UserFactory(superuser=True))

    assert "“Bath thermometer”" in " ".join(refused.value.messages)
    uncredited.credit, uncredited.licence = "Staff", "Own work"
    uncredited.save()
    article_publish(
        article=Article.objects.get(pk=article.pk), by=UserFactory(superuser=True)
    )
    assert Article.objects.get(pk=article.pk).is_published()


def test_with_the_setting_credited_images_publish(settings):
    settings.CMS_IMAGE_CREDIT_REQUIRED = True
    article = ArticleFactory(
        hero_image=ImageFactory(credit="Photo: Staff", licence="Own work")
    )

    article_publish(article=article, by=UserFactory(superuser=True))

    assert Article.objects.get(pk=article.pk).is_published()
