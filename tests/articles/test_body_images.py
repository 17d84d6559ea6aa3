"""Library images placed in an article's body with [[image:N]] (cms/markdown.py,
articles/rendering.py, ArticleReference.image)."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.admin import ModelAdmin, site
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.test import RequestFactory

from articles.demo.content import FLAGSHIP
from articles.demo.loader import DEMO_CREDIT
from articles.models import Article, ArticleReference
from articles.rendering import preview
from cms import images
from cms.markdown import render
from cms.models import Image
from tests.articles.test_admin import (
    ADD_URL,
    article_post_data,
    bylines,
    form_errors,
)
from tests.articles.test_callouts import page, page_queries
from tests.factories import ArticleFactory, AuthorFactory, ImageFactory, UserFactory

pytestmark = pytest.mark.django_db


def body(*lines: str) -> str:
    return "\n\n".join(["## What it looks like", "Small red blotches.", *lines])


@pytest.fixture
def image():
    return ImageFactory(
        alt="Pink blotches on a newborn's cheek",
        caption="Blotches come and go within days.",
        credit="Photo: Demo Studio",
    )


def test_placed_image_is_a_figure_with_alt_caption_and_credit(client, image):
    article = ArticleFactory(published=True, body=body(f"[[image:{image.pk}]]"))

    figure = page(client, article).select_one(".prose figure.body-figure")

    img = figure.select_one("img")
    assert img["alt"] == "Pink blotches on a newborn's cheek"
    # Before the renditions are made, the original at its stored size.
    assert img["src"] == image.file.url
    assert (img["width"], img["height"]) == ("1600", "1000")
    assert figure.select_one("figcaption").get_text() == (
        "Blotches come and go within days. Photo: Demo Studio"
    )
    assert figure.select_one("figcaption .credit").get_text() == "Photo: Demo Studio"
    # In the section it was placed in, between the paragraphs around it.
    assert figure.find_previous_sibling("p").get_text() == "Small red blotches."


def test_once_renditions_are_made_the_page_shows_them(client, image):
    article = ArticleFactory(published=True, body=body(f"[[image:{image.pk}]]"))
    assert not page(client, article).select("figure.body-figure source")

    images.make_ready(image, "file")  # what the background worker does

    picture = page(client, article).select_one("figure.body-figure picture")
    webp = picture.select_one("source")
    assert webp["type"] == "image/webp"
    widths = [int(part.rsplit(" ", 1)[1][:-1]) for part in webp["srcset"].split(", ")]
    assert widths == [480, 800, 1200]
    assert picture.select_one("img")["srcset"].count(".jpg") == 3


def test_caption_override_replaces_the_image_caption_and_keeps_the_credit(
    client, image
):
    article = ArticleFactory(
        published=True,
        body=body(f"[[image:{image.pk}|Day three: the *blotches* <fade> & go]]"),
    )

    caption = page(client, article).select_one("figure.body-figure figcaption")

    # Plain text, as written: no Markdown, no HTML.
    assert (
        caption.get_text() == "Day three: the *blotches* <fade> & go Photo: Demo Studio"
    )
    assert caption.select_one(".credit")


def test_figure_has_no_caption_when_the_image_has_neither_caption_nor_credit(
    client,
):
    bare = ImageFactory(caption="", credit="")
    article = ArticleFactory(published=True, body=body(f"[[image:{bare.pk}]]"))

    figure = page(client, article).select_one("figure.body-figure")

    assert figure.select_one("img")["alt"] == bare.alt
    assert figure.select_one("figcaption") is None


def test_editing_the_image_changes_every_page_showing_it(client, image):
    article = ArticleFactory(published=True, body=body(f"[[image:{image.pk}]]"))
    assert page(client, article).select_one("figure.body-figure img")  # stored

    image.alt = "A newborn's cheek with two small blotches"
    image.credit = "Photo: New Credit"
    image.save()

    figure = page(client, article).select_one("figure.body-figure")
    assert figure.select_one("img")["alt"] == image.alt
    assert figure.select_one(".credit").get_text() == "Photo: New Credit"


def test_an_image_inside_a_sentence_is_refused_as_it_would_show_as_typed(image):
    article = ArticleFactory.build(body=f"See [[image:{image.pk}|here]] for a look.")

    with pytest.raises(ValidationError) as excinfo:
        article.full_clean()

    (message,) = excinfo.value.message_dict["body"]
    assert "must be on a line of its own" in message


def test_unknown_image_is_refused_with_its_number(image):
    article = ArticleFactory.build(
        body=body(f"[[image:{image.pk}]]", "[[image:999999]]", "[[image:1e9]]")
    )

    with pytest.raises(ValidationError) as excinfo:
        article.full_clean()

    errors = excinfo.value.message_dict["body"]
    assert any("[[image:999999]] is not in the image library" in e for e in errors)
    assert not any(f"[[image:{image.pk}]]" in error for error in errors)


def test_an_image_number_too_large_for_any_key_is_refused_not_a_crash():
    article = ArticleFactory.build(body=body("[[image:99999999999999999999999]]"))

    with pytest.raises(ValidationError) as excinfo:
        article.full_clean()

    assert "is not in the image library" in excinfo.value.message_dict["body"][0]


def test_admin_refuses_an_unknown_image_on_save_and_names_it(admin_client):
    data = article_post_data(body=body("[[image:4242]]"), **bylines(AuthorFactory()))

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 200, form_errors(response)
    errors = response.context["adminform"].form.errors["body"]
    assert any("[[image:4242]] is not in the image library" in e for e in errors)
    assert not Article.objects.exists()
    # Nothing typed is lost: the body comes back as written.
    assert "[[image:4242]]" in response.content.decode()


def test_admin_saves_an_article_placing_a_library_image(admin_client, image):
    data = article_post_data(
        body=body(f"[[image:{image.pk}]]"), **bylines(AuthorFactory())
    )

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 302, form_errors(response)
    article = Article.objects.get()
    assert [ref.image for ref in article.body_references.all()] == [image]


def test_usage_follows_the_body(image):
    other = ImageFactory()
    article = ArticleFactory(
        title="Newborn rash",
        body=body(f"[[image:{image.pk}]]", f"[[image:{image.pk}|again]]"),
    )

    # One row however often it is placed; the image lists the article using it.
    assert [ref.article for ref in image.body_references.all()] == [article]
    assert str(image.body_references.get()) == (
        f"Newborn rash places the image [[image:{image.pk}]]"
    )

    article.body = body(f"[[image:{other.pk}]]")
    article.save()

    assert not image.body_references.exists()
    assert [ref.kind for ref in article.body_references.all()] == ["image"]
    # An image is not an article link.
    assert not ArticleReference.objects.links().exists()


def test_an_image_in_a_body_cannot_be_deleted_and_the_admin_names_the_article(
    image,
):
    ArticleFactory(title="Newborn rash", body=body(f"[[image:{image.pk}]]"))

    with pytest.raises(ProtectedError):
        image.delete()

    # What Django's admin delete page and bulk delete ask before deleting: they show
    # these instead of deleting (no 500).
    request = RequestFactory().get("/")
    request.user = UserFactory(superuser=True)
    *_, protected = ModelAdmin(Image, site).get_deleted_objects([image], request)
    assert protected == [
        f"Article reference: Newborn rash places the image [[image:{image.pk}]]"
    ]
    assert Image.objects.filter(pk=image.pk).exists()


def test_an_image_no_body_uses_any_more_can_be_deleted(image):
    article = ArticleFactory(body=body(f"[[image:{image.pk}]]"))
    article.body = body()
    article.save()

    image.delete()

    assert not Image.objects.exists()


def test_preview_shows_the_same_figure_as_the_page(client, image):
    text = body(f"[[image:{image.pk}]]", f"[[image:{image.pk}|Day three]]")
    article = ArticleFactory(published=True, body=text)

    on_page = page(client, article).select(".prose figure.body-figure")
    in_preview = BeautifulSoup(preview(text), "html.parser").select(
        "figure.body-figure"
    )

    assert [str(figure) for figure in in_preview] == [str(f) for f in on_page]
    assert len(on_page) == 2


def test_preview_warns_of_an_unknown_image():
    html = BeautifulSoup(preview(body("[[image:4242]]")), "html.parser")

    warning = html.select_one(".preview-error")
    assert warning["role"] == "alert"
    assert "[[image:4242]] is not in the image library" in warning.get_text()
    assert not html.select("figure")


def test_editors_cannot_forge_an_image_marker(image):
    html = render(
        f'<cms-block kind="image" ref="{image.pk}">x</cms-block>\n\n'
        f"[[image:{image.pk}|<cms-block>]]"
    ).html

    assert html.count("<cms-block") == 1
    assert "&lt;cms-block&gt;</cms-block>" in html


def test_list_item_texts_do_not_take_images(image):
    from tests.factories import ListItemFactory

    item = ListItemFactory.build(article=ArticleFactory(), text=f"[[image:{image.pk}]]")

    with pytest.raises(ValidationError) as excinfo:
        item.full_clean()

    assert "does not work here" in excinfo.value.message_dict["text"][0]


@pytest.mark.parametrize("count", [1, 6])
def test_article_page_query_count_does_not_grow_with_images(
    client, django_assert_num_queries, count
):
    placed = [ImageFactory() for _ in range(count)]
    article = ArticleFactory(
        published=True, body=body(*(f"[[image:{image.pk}]]" for image in placed))
    )
    plain = ArticleFactory(published=True, body="No images.")

    # The same fixed number of queries as an article without any.
    with django_assert_num_queries(page_queries(client, plain)):
        response = client.get(article.get_absolute_url())

    html = BeautifulSoup(response.content.decode(), "html.parser")
    assert len(html.select("figure.body-figure")) == count


def test_demo_flagship_places_library_images_inside_its_sections(client, demo):
    category_slug, slug = FLAGSHIP
    flagship = Article.objects.get(category__slug=category_slug, slug=slug)

    html = page(client, flagship)

    figures = html.select(".prose figure.body-figure")
    assert len(figures) >= 2
    for figure in figures:
        assert figure.select_one("img")["alt"].startswith("Illustration:")
        assert figure.select_one("figcaption").get_text().strip()
        assert figure.select_one(".credit").get_text() == DEMO_CREDIT
        # Inside an H2 section, not before the first one.
        assert figure.find_previous_sibling("h2")
    used = Image.objects.filter(body_references__article=flagship).distinct()
    assert used.count() == len(figures)
    # One of them with a caption of its own in the body.
    captions = [figure.select_one("figcaption").get_text() for figure in figures]
    assert any(
        caption.startswith("Warm water and a soft cloth") for caption in captions
    )
