"""``manage.py import_wordpress`` on the hand-written exports of tests/data/wxr (see
its README): what comes in, how it looks on the site, and what the report says."""

import re
import shutil
from datetime import UTC, datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import Image

from articles.models import Article, Author, Category, Tag
from cms.admin_images import usage
from cms.models import Image as LibraryImage
from tests.factories import AuthorFactory, CategoryFactory, UserFactory

from .wordpress_helpers import (
    DATA,
    UPLOADS,
    article,
    import_wordpress,
    outcomes,
    page_text,
    post,
    write_export,
)

pytestmark = pytest.mark.django_db


# --- Versions -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "version", "articles"),
    [
        ("site-1.2.xml", "1.2", 4),
        ("site-1.1.xml", "1.1", 4),
        ("version-1.0.xml", "1.0", 2),
    ],
)
def test_each_wxr_version_imports(name, version, articles):
    run = import_wordpress(DATA / name, "--media-dir", UPLOADS)

    assert run.lines[0].endswith(f"(WXR {version})")
    assert run.counts["articles"] == outcomes(imported=articles)
    assert Article.objects.count() == articles


def test_wxr_1_1_and_1_2_of_the_same_site_give_the_same_articles(tmp_path, settings):
    def imported(name: str) -> list[dict]:
        settings.MEDIA_ROOT = tmp_path / name  # each import stores its own files
        with transaction.atomic():
            import_wordpress(DATA / name, "--media-dir", UPLOADS)
            found = [
                {
                    "title": a.title,
                    "slug": a.slug,
                    "section": a.category.slug,
                    "status": a.status,
                    "published_at": a.published_at,
                    "standfirst": a.standfirst,
                    # Ids differ between the two imports (a rolled-back sequence
                    # moves on, on PostgreSQL): figures compare by their files.
                    "body": re.sub(
                        r"\[\[image:(\d+)",
                        lambda m: f"[[image:{LibraryImage.objects.get(pk=m[1]).file}",
                        a.body,
                    ),
                    "hero": (
                        a.hero_image.file.name if a.hero_image else "",
                        a.hero_alt,
                    ),
                    "authors": [author.display_name for author in a.byline],
                    "tags": sorted(a.tags.values_list("slug", flat=True)),
                }
                for a in Article.objects.order_by("title")
            ]
            transaction.set_rollback(True)
        return found

    # 1.1 has no post_modified, so only "updated at" may differ.
    assert imported("site-1.1.xml") == imported("site-1.2.xml")


# --- Statuses and what is skipped -----------------------------------------------


def test_each_wordpress_status_becomes_the_state_it_means():
    run = import_wordpress(DATA / "statuses.xml")

    published = article("How much milk does a baby need?")
    assert published.state_label == "Published"
    assert published.published_at == datetime(2019, 7, 1, 8, 0, tzinfo=UTC)
    scheduled = article("Starting solids: a gentle plan for the first month")
    assert scheduled.state_label == "Scheduled"
    assert scheduled.published_at == datetime(2099, 3, 1, 7, 0, tzinfo=UTC)
    for title in (
        "Weaning questions to answer",  # draft
        "Is my baby getting enough iron?",  # pending
        "Team notes: autumn editorial plan",  # private
    ):
        assert article(title).state_label == "Draft", title
        assert article(title).published_at is None
    assert (
        "post 305 “Team notes: autumn editorial plan”: private on WordPress: "
        "imported as a draft." in run.notes
    )
    assert not Article.objects.filter(title="Old feeding chart").exists()
    assert "post 306 “Old feeding chart”: trash on WordPress: skipped." in run.notes
    assert run.counts["articles"] == outcomes(imported=5, skipped=1)


def test_pages_menus_other_post_types_and_comments_are_counted_and_skipped():
    run = import_wordpress(DATA / "statuses.xml")

    assert run.counts["page items"] == outcomes(skipped=2)
    assert run.counts["nav_menu_item items"] == outcomes(skipped=2)
    assert run.counts["recipe items"] == outcomes(skipped=1)
    assert run.counts["comments"] == outcomes(skipped=2)
    assert run.counts["course terms"] == outcomes(skipped=1)
    assert not Article.objects.filter(title="About Little Steps").exists()
    assert not Article.objects.filter(title="Banana oat pancakes").exists()


def test_post_types_option_imports_pages_too(client):
    run = import_wordpress(DATA / "statuses.xml", "--post-types", "post,page")

    assert run.counts["articles"] == outcomes(imported=7, skipped=1)
    assert "page items" not in run.counts
    about = article("About Little Steps")
    assert about.is_published()
    assert "checked by health professionals" in page_text(client, about)
    assert run.counts["recipe items"] == outcomes(skipped=1)


# --- Authors --------------------------------------------------------------------


def test_authors_become_authors_without_a_login():
    run = import_wordpress(DATA / "site-1.2.xml", "--media-dir", UPLOADS)

    assert sorted(Author.objects.values_list("display_name", "slug")) == [
        ("Maria Okafor", "maria"),
        ("Tom Reyes", "tom"),
    ]
    assert run.counts["authors"] == outcomes(imported=2)
    assert not get_user_model().objects.exists()
    assert Author.objects.filter(user__isnull=False).count() == 0
    assert [
        a.display_name
        for a in article("Cradle cap: gentle care for a flaky scalp").byline
    ] == ["Tom Reyes"]


def test_create_users_gives_each_author_a_writer_login_without_a_password():
    import_wordpress(DATA / "site-1.2.xml", "--media-dir", UPLOADS, "--create-users")

    for author in Author.objects.all():
        user = author.user
        assert user is not None, author
        assert user.has_usable_password() is False
        assert list(user.groups.values_list("name", flat=True)) == ["Writer"]
        assert user.is_staff
    assert (
        get_user_model().objects.get(username="maria").email == "maria@old.example.org"
    )


def test_an_existing_username_is_not_linked_and_is_reported():
    someone = UserFactory(username="maria")

    run = import_wordpress(
        DATA / "site-1.2.xml", "--media-dir", UPLOADS, "--create-users"
    )

    assert Author.objects.get(slug="maria").user is None
    assert Author.objects.get(slug="tom").user.username == "tom"
    someone.refresh_from_db()
    assert someone.has_usable_password()
    assert "a login with that name exists already" in run.note_about("author maria")


def test_wxr_1_0_authors_come_from_the_posts_bylines():
    import_wordpress(DATA / "version-1.0.xml")

    byline = article("Night feeds without the fumbling").byline
    assert [author.display_name for author in byline] == ["Daniel Brooks"]


# --- Sections and tags ------------------------------------------------------------


def test_categories_keep_one_level_and_deeper_ones_are_flattened_and_reported():
    run = import_wordpress(DATA / "site-1.2.xml", "--media-dir", UPLOADS)

    baby = Category.objects.get(slug="baby")
    sleep = Category.objects.get(slug="sleep")
    naps = Category.objects.get(slug="naps")
    assert (sleep.parent, naps.parent, baby.parent) == (baby, baby, None)
    assert "nested 2 deep on WordPress (baby › sleep › naps)" in run.note_about(
        "section naps"
    )
    assert naps.description == "Daytime sleep, from the first weeks to the last nap."
    assert run.counts["sections"] == outcomes(imported=5)


def test_five_levels_of_the_theme_unit_test_end_under_the_top_level():
    run = import_wordpress(DATA / "theme-unit-shapes.xml")

    parenting = Category.objects.get(slug="parenting")
    for slug in ("toddlers", "behaviour", "tantrums", "in-public"):
        assert Category.objects.get(slug=slug).parent == parenting, slug
    assert "nested 4 deep" in run.note_about("section in-public")
    assert len([n for n in run.notes if n.startswith("section ")]) == 3


def test_a_section_slug_the_site_uses_gets_a_suffix_and_is_reported(client):
    run = import_wordpress(DATA / "site-1.2.xml", "--media-dir", UPLOADS)

    health = Category.objects.get(name="Health")
    assert health.slug == "health-section"
    assert "/health/ is one of the site's own addresses" in run.note_about(
        "section health"
    )
    assert article("Cradle cap: gentle care for a flaky scalp").category == health
    assert client.get("/health-section/").status_code == 200


def test_an_existing_section_and_author_keep_what_editors_wrote_there():
    CategoryFactory(slug="sleep", name="Sleep and rest", description="Ours.")
    AuthorFactory(slug="maria", display_name="Dr Maria Okafor")

    run = import_wordpress(DATA / "site-1.2.xml", "--media-dir", UPLOADS)

    assert run.note_about("section sleep: one with this slug was here already")
    sleep = Category.objects.get(slug="sleep")
    assert (sleep.name, sleep.description, sleep.parent) == (
        "Sleep and rest",
        "Ours.",
        None,
    )
    assert Author.objects.get(slug="maria").display_name == "Dr Maria Okafor"


def test_tags_become_tags_on_their_articles():
    run = import_wordpress(DATA / "site-1.2.xml", "--media-dir", UPLOADS)

    assert sorted(Tag.objects.values_list("slug", "name")) == [
        ("newborn", "newborn"),
        ("routines", "routines"),
        ("skin-care", "skin care"),
    ]
    assert sorted(
        article("Why newborns wake every few hours").tags.values_list("slug", flat=True)
    ) == ["newborn", "routines"]
    assert run.counts["tags"] == outcomes(imported=3)


def test_an_article_in_several_categories_is_in_the_first_and_it_is_reported():
    run = import_wordpress(DATA / "site-1.2.xml", "--media-dir", UPLOADS)

    assert article("Five signs your baby is teething").category.slug == "baby"
    assert (
        "post 103 “Five signs your baby is teething”: is in 2 categories; an article "
        "has one section here, so it is in baby (also in: health-section)." in run.notes
    )


def test_wxr_1_0_categories_named_by_their_parents_name_nest():
    import_wordpress(DATA / "version-1.0.xml")

    feeding = Category.objects.get(slug="feeding")
    assert feeding.parent.slug == "family-life"
    assert feeding.description == "Bottles, breasts and first spoons."
    assert sorted(
        article("Night feeds without the fumbling").tags.values_list("slug", flat=True)
    ) == ["first-year"]


# --- Excerpts ----------------------------------------------------------------------


def test_an_excerpt_becomes_the_standfirst():
    import_wordpress(DATA / "site-1.2.xml", "--media-dir", UPLOADS)

    assert article("Why newborns wake every few hours").standfirst == (
        "Short sleeps are normal in the first weeks. Here is why, and what makes "
        "nights easier."
    )


def test_without_an_excerpt_the_standfirst_is_the_start_of_the_text():
    import_wordpress(DATA / "site-1.2.xml", "--media-dir", UPLOADS)

    standfirst = article("Five signs your baby is teething").standfirst
    assert standfirst.startswith("Most babies cut their first tooth between four")
    assert "<" not in standfirst


def test_a_standfirst_from_the_text_holds_no_shortcode():
    import_wordpress(DATA / "content-shapes.xml", "--media-dir", UPLOADS)

    standfirst = article("Cradle cap, brushed away").standfirst
    assert standfirst.startswith("Cradle cap usually clears without treatment.")
    assert "[caption" not in standfirst
    assert "attachment_452" not in standfirst


def test_a_standfirst_from_the_text_stops_at_the_more_tag():
    import_wordpress(DATA / "theme-unit-shapes.xml")

    assert (
        article("Staying calm when the shopping trip goes wrong").standfirst
        == "Name the feeling, stay close and keep your voice low."
    )


# --- Images ---------------------------------------------------------------------


def test_uploaded_files_are_stored_without_their_metadata(tmp_path):
    uploads = tmp_path / "uploads"
    shutil.copytree(UPLOADS, uploads)
    photo = uploads / "2019/05/cradle-cap.jpg"
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x0132] = "2019:05:09 08:00:00"
    Image.open(photo).save(photo, "JPEG", exif=exif)
    assert b"PhoneMaker" in photo.read_bytes()

    run = import_wordpress(DATA / "site-1.2.xml", "--media-dir", uploads)

    stored = article("Cradle cap: gentle care for a flaky scalp").hero_image.file.name
    assert stored == "imported/2019/05/cradle-cap.jpg"
    with default_storage.open(stored) as file:
        data = file.read()
    assert data[:3] == b"\xff\xd8\xff"
    assert b"PhoneMaker" not in data
    assert run.counts["images"] == outcomes(imported=2, skipped=1)


def test_a_featured_image_becomes_the_hero_with_its_alt_text(client):
    import_wordpress(DATA / "site-1.2.xml", "--media-dir", UPLOADS)

    found = article("Why newborns wake every few hours")
    assert found.hero_image.file.name == "imported/2019/05/sleeping-baby.jpg"
    assert found.hero_alt == "A baby asleep on her back in a cot"
    assert (found.hero_image.width, found.hero_image.height) == (160, 107)
    html = page_text(client, found)
    assert 'alt="A baby asleep on her back in a cot"' in html
    assert client.get(found.hero_image.file.url).status_code == 200


def test_a_missing_file_is_listed_and_its_post_imported_without_a_hero():
    run = import_wordpress(DATA / "site-1.2.xml", "--media-dir", UPLOADS)

    assert run.missing_files == ["2019/06/teething-ring.jpg"]
    teething = article("Five signs your baby is teething")
    assert not teething.hero_image
    assert (
        "post 103 “Five signs your baby is teething”: its featured image "
        "(attachment 203) was not imported." in run.notes
    )


def test_without_a_media_folder_every_file_is_listed_as_missing():
    run = import_wordpress(DATA / "site-1.2.xml")

    assert run.missing_files == [
        "2019/05/sleeping-baby.jpg",
        "2019/05/cradle-cap.jpg",
        "2019/06/teething-ring.jpg",
    ]
    assert run.counts["images"] == outcomes(skipped=3)
    assert Article.objects.count() == 4


def test_a_later_run_with_the_missing_file_brings_it_in(tmp_path):
    uploads = tmp_path / "uploads"
    shutil.copytree(UPLOADS, uploads)
    import_wordpress(DATA / "site-1.2.xml", "--media-dir", uploads)
    ring = uploads / "2019/06/teething-ring.jpg"
    Image.new("RGB", (90, 60), (240, 200, 210)).save(ring, "JPEG")

    run = import_wordpress(DATA / "site-1.2.xml", "--media-dir", uploads)

    assert run.missing_files == []
    assert run.counts["images"] == outcomes(imported=1, unchanged=2)
    assert run.counts["articles"] == outcomes(updated=1, unchanged=3)
    teething = article("Five signs your baby is teething")
    assert teething.hero_image.file.name == "imported/2019/06/teething-ring.jpg"
    assert teething.hero_alt == "A chilled silicone teething ring"
    assert default_storage.exists(teething.hero_image.file.name)


def test_a_picture_alone_in_the_text_is_a_figure_of_its_library_image(client):
    import_wordpress(DATA / "site-1.2.xml", "--media-dir", UPLOADS)

    cradle_cap = article("Cradle cap: gentle care for a flaky scalp")
    image = LibraryImage.objects.get(file="imported/2019/05/cradle-cap.jpg")
    assert f"\n\n[[image:{image.pk}]]\n\n" in cradle_cap.body
    assert "old.example.org" not in cradle_cap.body
    assert ("In the body of", cradle_cap) in usage(image)
    figure = BeautifulSoup(page_text(client, cradle_cap), "html.parser").select_one(
        ".body-figure img"
    )
    assert figure["alt"] == "A parent brushing a baby's scalp with a soft brush"
    assert client.get(figure["src"]).status_code == 200


def test_a_resized_copy_in_the_text_is_the_original_file():
    import_wordpress(DATA / "content-shapes.xml", "--media-dir", UPLOADS)

    body = article("Carrot sticks for little hands").body
    image = LibraryImage.objects.get(file="imported/2019/06/carrot-sticks.png")
    assert f"[[image:{image.pk}]]" in body
    assert "300x200" not in body
    assert "old.example.org" not in body


# --- Content ------------------------------------------------------------------------


def test_block_editor_posts_become_markdown_without_the_editors_comments(client):
    import_wordpress(DATA / "content-shapes.xml", "--media-dir", UPLOADS)

    tummy = article("Tummy time, a few minutes at a time")
    assert "<!--" not in tummy.body
    assert "wp:" not in tummy.body
    assert "### Ways to make it fun" in tummy.body
    assert "1. Lie down face to face with your baby." in tummy.body
    assert "> Little and often beats long and tearful." in tummy.body
    html = page_text(client, tummy)
    assert ">Ways to make it fun</h3>" in html
    assert "<strong>Start with a minute or two</strong>" in html
    assert "wp:paragraph" not in html


def test_classic_posts_without_paragraph_tags_get_their_paragraphs(client):
    import_wordpress(DATA / "content-shapes.xml", "--media-dir", UPLOADS)

    bath = article("Bath time without tears")
    assert bath.body.startswith(
        "Babies do not need baths every day. Two or three a week keeps them clean, "
        "as long as you wash the face, neck and nappy area daily.\n\n"
        "**Before you start**"
    )
    assert "- a towel with a hood," in bath.body
    html = page_text(client, bath)
    assert (
        "<p>Check the water with your elbow: it should feel warm, not hot.</p>" in html
    )


def test_caption_and_gallery_shortcodes_become_figures():
    import_wordpress(DATA / "content-shapes.xml", "--media-dir", UPLOADS)
    library = {
        name: LibraryImage.objects.get(file=f"imported/2019/{name}").pk
        for name in (
            "05/cradle-cap.jpg",
            "05/sleeping-baby.jpg",
            "06/carrot-sticks.png",
        )
    }

    caption = article("Cradle cap, brushed away").body
    assert (
        f"[[image:{library['05/cradle-cap.jpg']}|A soft brush lifts the flakes.]]"
        in caption
    )
    assert "[caption" not in caption
    gallery = article("First finger foods").body
    assert "![" not in gallery
    for pk in library.values():
        assert f"[[image:{pk}]]" in gallery
    assert "[gallery" not in gallery


def test_what_cannot_be_converted_is_kept_and_reported(client):
    run = import_wordpress(DATA / "content-shapes.xml", "--media-dir", UPLOADS)

    nurse = article("Ask a nurse")
    assert "contact-form-7" in page_text(client, nurse)
    assert "The [contact-form-7] shortcode does not work here" in run.note_about(
        "contact-form-7"
    )
    video = article("Video: swaddling step by step")
    assert "https://www.youtube-nocookie.com/embed/abc123XYZ00" in video.body
    assert "<iframe" not in page_text(client, video)
    assert "an iframe from www.youtube-nocookie.com" in run.note_about(
        "post 406 “Video: swaddling step by step”: Kept"
    )


def test_html_with_no_markdown_form_is_kept_sanitised_and_reported(tmp_path, client):
    export = write_export(
        tmp_path / "kept.xml",
        post(
            901,
            "Words parents hear",
            "<p>A few words from the clinic.</p>"
            '<dl><dt>Colic</dt><dd onclick="steal()">Long crying in a well baby</dd></dl>',
        ),
    )

    run = import_wordpress(export)

    words = article("Words parents hear")
    assert "<dt>Colic</dt>" in words.body
    assert "onclick" not in words.body
    assert "Kept as HTML: a definition list." in run.note_about("post 901")
    assert "<dt>Colic</dt>" in page_text(client, words)


# --- Slugs and titles -------------------------------------------------------------


def test_arabic_and_japanese_slugs_are_kept_and_their_pages_answer(client):
    import_wordpress(DATA / "slugs-and-titles.xml")

    arabic = article("نوم الرضيع في الأشهر الأولى")
    assert (arabic.category.slug, arabic.slug) == (
        "أطفال",
        "نوم-الرضيع-في-الأشهر-الأولى",
    )
    japanese = article("赤ちゃんの離乳食、はじめの一歩")
    assert japanese.slug == "離乳食"
    # The old site's own, percent-encoded, addresses are these pages' addresses.
    for url in (
        "/%d8%a3%d8%b7%d9%81%d8%a7%d9%84/%d9%86%d9%88%d9%85-%d8%a7%d9%84%d8%b1%d8%b6"
        "%d9%8a%d8%b9-%d9%81%d9%8a-%d8%a7%d9%84%d8%a3%d8%b4%d9%87%d8%b1-%d8%a7%d9%84"
        "%d8%a3%d9%88%d9%84%d9%89/",
        "/feeding/%e9%9b%a2%e4%b9%b3%e9%a3%9f/",
        arabic.get_absolute_url(),
        japanese.get_absolute_url(),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "ينام المولود الجديد" in page_text(client, arabic)


def test_a_slug_taken_in_the_section_gets_a_suffix_and_is_reported():
    run = import_wordpress(DATA / "slugs-and-titles.xml")

    first = article("Fever in babies: when to call the doctor")
    second = article("Fever in babies: keeping them comfortable")
    assert (first.slug, second.slug) == ("fever-in-babies", "fever-in-babies-2")
    assert (
        "post 504 “Fever in babies: keeping them comfortable”: the address "
        "fevers/fever-in-babies/ is taken: it is fevers/fever-in-babies-2/."
        in run.notes
    )


def test_a_post_without_a_title_gets_one_from_its_first_words_and_is_reported():
    run = import_wordpress(DATA / "slugs-and-titles.xml")

    untitled = Article.objects.get(body__startswith="Quick reminder")
    assert untitled.title == "Quick reminder: the six-week check is for you…"
    assert (
        "has no title: it is now “Quick reminder: the six-week check is for you…”."
        in run.note_about("post 505")
    )


def test_a_title_made_from_the_first_words_holds_no_shortcode(tmp_path):
    export = write_export(
        tmp_path / "untitled.xml",
        post(
            950,
            "",
            '[caption id="attachment_9" width="160"]<img src="https://old.example.org/'
            'wp-content/uploads/2019/05/cot.jpg" alt="A cot"> A cot by the bed.'
            "[/caption]\n\nRoom sharing for the first six months is safest.",
        ),
    )

    import_wordpress(export)

    title = Article.objects.get().title
    assert "[caption" not in title
    assert "attachment_9" not in title


def test_a_long_title_is_shortened_and_reported():
    run = import_wordpress(DATA / "slugs-and-titles.xml")

    long = Article.objects.get(title__startswith="A very long title")
    assert len(long.title) == 200
    assert long.title.endswith("…")
    assert len(long.slug) <= 200
    assert "title longer than 200 characters: shortened." in run.note_about(
        "A very long title"
    )


def test_titles_keep_right_to_left_marks_emoji_and_ampersands(client):
    import_wordpress(DATA / "slugs-and-titles.xml")

    lullabies = Article.objects.get(slug="lullabies-we-love")
    assert lullabies.title == "Lullabies we love \u200fשיר ערש\u200f 🌙🎶"
    assert "\u200fשיר ערש\u200f 🌙🎶" in page_text(client, lullabies)
    assert Article.objects.get(slug="bath-and-bedtime").title == (
        "Bath & bedtime: a routine that sticks"
    )


def test_a_draft_without_a_slug_gets_one_from_its_title():
    import_wordpress(DATA / "slugs-and-titles.xml")

    assert (
        article("Ideas for a post on car seats").slug == "ideas-for-a-post-on-car-seats"
    )


# --- The theme-unit-test shapes -------------------------------------------------


def test_a_sticky_post_is_featured():
    import_wordpress(DATA / "theme-unit-shapes.xml")

    assert article("Welcome: start here").is_featured
    assert not article("Staying calm when the shopping trip goes wrong").is_featured


def test_a_password_protected_post_is_a_draft_and_reported(client):
    run = import_wordpress(DATA / "theme-unit-shapes.xml")

    members = article("Members only: our sleep diary template")
    assert members.state_label == "Draft"
    assert client.get(members.get_absolute_url()).status_code == 404
    assert "password-protected on WordPress" in run.note_about("post 602")


def test_a_post_with_neither_title_nor_text_is_skipped_and_reported():
    run = import_wordpress(DATA / "theme-unit-shapes.xml")

    assert "post 604: has no text: skipped." in run.notes
    assert run.counts["articles"] == outcomes(imported=4, skipped=1)
    assert run.counts["comments"] == outcomes(skipped=6)
