"""Pictures of imported posts as library figures: only where the reader sees the same
picture, alt text and caption as on WordPress; otherwise a Markdown image, so nothing
the post said is lost."""

import pytest

from articles.transfer.wordpress.figures import library_figures
from cms.models import Image
from tests.factories import ImageFactory

from .wordpress_helpers import (
    UPLOADS,
    article,
    attachment,
    import_wordpress,
    outcomes,
    page_text,
    post,
    write_export,
)

pytestmark = pytest.mark.django_db

SITE_FILE = "https://old.example.org/wp-content/uploads/2019/05/cradle-cap.jpg"


def export_of(tmp_path, content: str, *, alt="A soft brush", caption=""):
    """An export of one post, "Scalp care", holding ``content``, and its picture's
    attachment (alt text ``alt``, caption ``caption``)."""
    return write_export(
        tmp_path / "export.xml",
        attachment(300, "2019/05/cradle-cap.jpg", alt=alt, caption=caption),
        post(301, "Scalp care", content),
    )


def imported(tmp_path, content: str, **attachment_words) -> str:
    """The body of the post holding ``content`` after a paragraph, imported."""
    export = export_of(tmp_path, f"<p>Brush gently.</p>{content}", **attachment_words)
    import_wordpress(export, "--media-dir", UPLOADS)
    return article("Scalp care").body


ALONE = f'<p>Hi.</p><p><img src="{SITE_FILE}" alt="A soft brush"></p>'


def the_image() -> Image:
    return Image.objects.get(file="imported/2019/05/cradle-cap.jpg")


def test_a_figure_with_the_post_s_own_caption_keeps_it_over_the_library_s(
    tmp_path, client
):
    body = imported(
        tmp_path,
        f'<figure><img src="{SITE_FILE}" alt="A soft brush">'
        "<figcaption>Morning &amp; evening</figcaption></figure>",
        caption="From the library",
    )

    assert f"[[image:{the_image().pk}|Morning & evening]]" in body
    page = page_text(client, article("Scalp care"))
    assert "<figcaption>Morning &amp; evening</figcaption>" in page


def test_a_caption_the_same_as_the_library_s_is_not_repeated(tmp_path):
    body = imported(
        tmp_path,
        f'<figure><img src="{SITE_FILE}" alt=""><figcaption>Soft brush</figcaption>'
        "</figure>",
        caption="Soft brush",
    )

    assert body == f"Brush gently.\n\n[[image:{the_image().pk}]]\n"


def test_the_library_learns_the_alt_text_the_post_gives_a_picture(tmp_path):
    body = imported(
        tmp_path, f'<p><img src="{SITE_FILE}" alt="Brushing a scalp"></p>', alt=""
    )

    assert body == f"Brush gently.\n\n[[image:{the_image().pk}]]\n"
    assert the_image().alt == "Brushing a scalp"


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (
            f'<p>Use <img src="{SITE_FILE}" alt="A soft brush"> daily.</p>',
            "inside a sentence",
        ),
        (
            f'<p><img src="{SITE_FILE}" alt="Another description"></p>',
            "its own alt text",
        ),
        (
            f'<figure><img src="{SITE_FILE}" alt="A soft brush"><figcaption>See '
            '<a href="https://example.org/guide">the guide</a></figcaption></figure>',
            "a caption with a link",
        ),
        (
            f'<p><a href="https://example.org/shop"><img src="{SITE_FILE}" '
            'alt="A soft brush"></a></p>',
            "a link around it",
        ),
    ],
)
def test_a_picture_a_figure_would_change_stays_a_markdown_image(tmp_path, content, why):
    body = imported(tmp_path, content)

    assert "[[image:" not in body, why
    assert "](/media/imported/2019/05/cradle-cap.jpg" in body, why


def test_a_picture_shown_without_the_caption_its_library_image_has_stays_as_it_was(
    tmp_path,
):
    body = imported(
        tmp_path, f'<p><img src="{SITE_FILE}" alt="A soft brush"></p>', caption="Hi"
    )

    assert body.endswith(
        "\n\n![A soft brush](/media/imported/2019/05/cradle-cap.jpg)\n"
    )


def test_a_post_of_a_picture_alone_is_imported_with_its_title_as_standfirst(
    tmp_path, client
):
    export = export_of(tmp_path, f'<img src="{SITE_FILE}" alt="A soft brush">')

    run = import_wordpress(export, "--media-dir", UPLOADS)

    photo = article("Scalp care")
    assert photo.body == f"[[image:{the_image().pk}]]\n"
    assert photo.standfirst == "Scalp care"
    assert "has no words for a standfirst: it repeats the title." in run.note_about(
        "post 301"
    )
    assert 'alt="A soft brush"' in page_text(client, photo)


def test_a_dry_run_of_pictures_writes_nothing(tmp_path):
    export = export_of(tmp_path, ALONE)

    run = import_wordpress(export, "--media-dir", UPLOADS, "--dry-run")

    assert run.counts["articles"] == outcomes(imported=1)
    assert not Image.objects.exists()


def test_an_import_run_again_finds_its_figures_unchanged(tmp_path):
    export = export_of(tmp_path, ALONE)
    import_wordpress(export, "--media-dir", UPLOADS)

    again = import_wordpress(export, "--media-dir", UPLOADS)

    assert again.counts["articles"] == outcomes(unchanged=1)
    assert article("Scalp care").body == f"Hi.\n\n[[image:{the_image().pk}]]\n"


def test_a_picture_alone_inside_fenced_code_stays_code():
    image = ImageFactory(alt="A soft brush")
    code = "```\n\n![A soft brush](/media/x.jpg)\n\n```\n"

    assert library_figures(code, lambda url: image) == code
