"""Checks in the editor: each rule (articles/checks) and the panel's endpoint."""

import json
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.formats import date_format

from articles.checks import OK, WARNING, Draft, TypedReview, run_checks
from articles.checks.body import (
    alt_text,
    heading_order,
    link_text,
    long_paragraphs,
    long_sentences,
)
from articles.checks.editorial import image_credits, placed_quotes, review_due
from articles.checks.reading import reading_ease
from articles.checks.seo import (
    search_preview,
    seo_description,
    seo_title,
    social_preview,
)
from cms.models import Image
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CategoryFactory,
    ExpertFactory,
    ImageFactory,
    QuoteFactory,
    UserFactory,
    image_file,
)

URL = "/admin/articles/article/checks/"
ORIGIN = "https://www.example.org"


def warnings(findings) -> list[str]:
    return [f.message for f in findings if f.level == WARNING]


def post(client, payload, **extra):
    return client.post(
        URL,
        json.dumps(payload) if not isinstance(payload, (str, bytes)) else payload,
        content_type="application/json",
        **extra,
    )


# --- Search and social ---------------------------------------------------------------


def test_search_title_counts_characters_and_falls_back_to_the_headline():
    short = seo_title(Draft(title="Colic"))
    assert short[0].level == WARNING
    assert short[0].message == "Search title: 5 characters (aim for 30–60)."
    assert "headline is used" in short[0].detail

    good = seo_title(
        Draft(title="Colic", seo_title="Colic in babies: signs, causes and help")
    )
    assert good[0].level == OK
    assert good[0].message.startswith("Search title: 39 characters")

    long = seo_title(Draft(title="A" * 61))
    assert "Too long" in long[0].detail


def test_search_description_counts_characters_and_falls_back_to_the_standfirst():
    standfirst = "Why babies cry for hours in the evening, and what helps. " * 4
    fallback = seo_description(Draft(standfirst=standfirst))
    # The page cuts the standfirst at 160 characters, and so does the counter.
    assert fallback[0].message == "Search description: 160 characters (aim for 70–160)."
    assert fallback[0].level == OK

    short = seo_description(Draft(standfirst=standfirst, seo_description="Crying."))
    assert short[0].level == WARNING
    assert "7 characters" in short[0].message


@pytest.mark.django_db
def test_search_preview_shows_the_page_title_address_and_cut_description(settings):
    settings.CMS_SITE_NAME = "Little Steps"
    section = CategoryFactory(slug="baby")
    draft = Draft(
        title="How to soothe a baby with colic when nothing else seems to work at all",
        slug="colic",
        standfirst="Short standfirst.",
        category=section,
    )

    preview = search_preview(draft, ORIGIN)

    assert preview["url"] == "https://www.example.org/baby/colic/"
    assert preview["breadcrumb"] == "www.example.org › baby › colic"
    assert len(preview["title"]) == 60
    assert preview["title"].endswith("…")
    assert preview["description"] == "Short standfirst."


@pytest.mark.django_db
def test_social_card_shows_the_hero_or_says_there_is_none():
    hero = ImageFactory(alt="A cot")
    with_hero = Draft(title="Cots", hero=hero)
    card = social_preview(with_hero, ORIGIN)
    assert card["image"] == hero.file.url  # no renditions made yet
    assert card["image_alt"] == "A cot"
    assert card["title"] == "Cots"

    without = social_preview(Draft(title="Cots"), ORIGIN)
    assert without["image"] is None
    assert "no picture" in without["note"]


# --- The body -----------------------------------------------------------------------


def test_heading_order_finds_skipped_levels_and_a_body_h1():
    draft = Draft(body="# Big\n\nText.\n\n## Signs\n\nText.\n\n#### Detail\n\nText.")

    found = warnings(heading_order(draft))

    assert found == [
        "“# Big” is a top-level heading (H1).",
        "Heading level skipped: “Detail” is an H4 after an H2.",
    ]
    fixed = heading_order(Draft(body="## Signs\n\n### Detail\n\n## Next\n\nText."))
    assert [f.level for f in fixed] == [OK]


def test_heading_order_ignores_hashes_in_code():
    draft = Draft(body="## Run\n\n```\n# not a heading\n```\n\nText.")
    assert warnings(heading_order(draft)) == []


@pytest.mark.django_db
def test_alt_text_finds_empty_file_name_and_image_of_in_body_hero_and_library():
    meaningful = Image.objects.create(
        file=image_file("a.png"), alt="A baby asleep on her back"
    )
    file_named = Image.objects.create(file=image_file("b.png"), alt="IMG_1234.jpg")
    body = (
        "![](/media/uploads/cot.jpg)\n\n"
        "![photo.png](/media/uploads/photo.png)\n\n"
        "![Image of a bath](/media/uploads/bath.jpg)\n\n"
        "![A parent testing bath water with an elbow](/media/uploads/ok.jpg)\n\n"
        f"[[image:{meaningful.pk}]]\n\n[[image:{file_named.pk}]]\n\n[[image:999999]]"
    )
    draft = Draft(body=body, hero=ImageFactory(alt="picture of a cot"))

    found = warnings(alt_text(draft, {i.pk: i for i in (meaningful, file_named)}))

    assert found == [
        "The hero image has alt text starting “picture of”: screen readers already "
        "say it is an image.",
        "Image 1 in the body (cot.jpg) has no alt text.",
        "Image 2 in the body (photo.png) has a file name for alt text (“photo.png”).",
        "Image 3 in the body (bath.jpg) has alt text starting “Image of”: screen "
        "readers already say it is an image.",
        f"Library image [[image:{file_named.pk}]] (“{file_named}”) has a file name "
        "for alt text (“IMG_1234.jpg”).",
        "[[image:999999]]: there is no image 999999 in the image library.",
    ]


def test_link_text_finds_vague_words_and_bare_addresses():
    body = (
        "For more, [click here](https://www.nhs.uk/a). [Read more…](https://x.org/b) "
        "or see [https://www.nhs.uk/c](https://www.nhs.uk/c) or [here](https://d.org). "
        "The [NHS page on colic](https://www.nhs.uk/colic) is good."
    )

    found = warnings(link_text(Draft(body=body)))

    assert found == [
        "The link “click here” says nothing of where it goes.",
        "The link “Read more…” says nothing of where it goes.",
        "The link “https://www.nhs.uk/c” is a bare web address.",
        "The link “here” says nothing of where it goes.",
    ]
    assert [f.level for f in link_text(Draft(body="[NHS colic](https://a.org)"))] == [
        OK
    ]


def test_long_paragraphs_are_named_by_their_start():
    long_one = "Settling a baby takes time and patience. " * 25  # 175 words
    draft = Draft(body=f"A short one.\n\n{long_one}")

    found = warnings(long_paragraphs(draft))

    assert found == [
        "A paragraph of 175 words starts “Settling a baby takes time and patience. "
        "Settling…”"
    ]


def test_long_sentences_are_named_by_their_start():
    long_one = "When " + "your baby " * 20 + "cries, stay calm."  # 44 words
    draft = Draft(body=f"Short one. {long_one} Another short one.")

    found = warnings(long_sentences(draft))

    assert found == [
        "A sentence of 44 words starts “When your baby your baby your baby your…”"
    ]


def test_reading_ease_gives_a_band_and_warns_below_plain_english():
    plain = "Your baby may cry a lot at first. This is normal. Hold them close. " * 6
    hard = (
        "Paediatric gastroenteritis, characterised by inflammation of the "
        "gastrointestinal mucosa, necessitates meticulous rehydration strategies. "
    ) * 5

    easy = reading_ease(Draft(body=plain))
    difficult = reading_ease(Draft(body=hard))
    too_short = reading_ease(Draft(body="Hold them close."))

    assert easy[0].level == OK
    assert easy[0].message.endswith("very easy.")
    assert difficult[0].level == WARNING
    assert difficult[0].message.endswith("very difficult.")
    assert "plain English" in difficult[0].detail
    assert too_short[0].level == "info"


@pytest.mark.django_db
def test_unapproved_quotes_placed_in_the_body_are_named(settings):
    settings.CMS_REQUIRE_QUOTE_APPROVAL = True
    approved = QuoteFactory()
    waiting = QuoteFactory(sent=True)

    found = placed_quotes([approved, waiting])

    assert [f.message for f in found] == [
        f"[[quote:{waiting.pk}]] by {waiting.expert.full_name} is not approved "
        "(sent to the expert)."
    ]
    assert found[0].level == WARNING
    assert "Publishing will be refused" in found[0].detail
    assert [f.level for f in placed_quotes([approved])] == [OK]


@pytest.mark.django_db
def test_unapproved_quotes_are_found_by_their_place_in_the_typed_body():
    waiting = QuoteFactory(not_sent=True)
    draft = Draft(title="Colic", body=f"## Help\n\n[[quote:{waiting.pk}]]\n\nText.")

    found = run_checks(draft, origin=ORIGIN)["findings"]

    assert [f.message for f in found if f.check == "quotes"] == [
        f"[[quote:{waiting.pk}]] by {waiting.expert.full_name} is not approved "
        "(not yet sent)."
    ]


@pytest.mark.django_db
def test_review_due_says_overdue_changed_and_what_publishing_would_refuse():
    reviewed_section = CategoryFactory(requires_medical_review=True)
    article = ArticleFactory(reviewed=True, category=reviewed_section)
    current = Draft(body=article.body, category=reviewed_section, article=article)
    changed = Draft(
        body=article.body + " More.", category=reviewed_section, article=article
    )

    assert review_due(current)[0].level == OK
    assert review_due(changed)[0].message.startswith(
        "The body has changed since the medical review on"
    )
    assert review_due(changed)[0].level == WARNING

    article.next_review_at = timezone.localdate() - timedelta(days=1)
    overdue = review_due(current)[0]
    assert overdue.level == WARNING
    assert "was due to be renewed on" in overdue.message

    article.next_review_at = timezone.localdate() + timedelta(days=10)
    assert "due soon" in review_due(current)[0].message

    unreviewed = Draft(body="Text.", category=reviewed_section)
    assert review_due(unreviewed)[0].message.startswith(
        f"Articles in {reviewed_section} need a medical review"
    )


@pytest.mark.django_db
def test_review_due_reads_the_review_as_typed_not_as_saved():
    section = CategoryFactory(requires_medical_review=True)
    article = ArticleFactory(category=section)
    expert = ExpertFactory()
    today = timezone.localdate()

    def typed(**review):
        draft = Draft(
            body=article.body,
            category=section,
            article=article,
            review=TypedReview(**review),
        )
        return review_due(draft)[0]

    reviewed = typed(by=expert, on=today)
    assert reviewed.level == OK
    # The next review set from the section's interval, as the save would set it.
    next_review = date_format(article.default_next_review_at(today), "j F Y")
    assert reviewed.message == (
        f"Medically reviewed on {date_format(today, 'j F Y')}; next review due "
        f"{next_review}."
    )
    assert typed(by=expert).message == "Give the date of the review."
    assert typed(on=today).message == "Choose the expert who reviewed it."
    assert typed(by=expert, on=today + timedelta(days=1)).message == (
        "A review cannot be dated in the future."
    )
    assert typed().message.startswith(f"Articles in {section} need a medical review")


@pytest.mark.django_db
def test_a_review_typed_again_as_saved_is_of_the_saved_body_unless_confirmed():
    section = CategoryFactory(requires_medical_review=True)
    article = ArticleFactory(reviewed=True, category=section)
    as_saved = {"by": article.reviewed_by, "on": article.reviewed_at}
    as_saved["next_review_at"] = article.next_review_at
    changed = article.body + " More."

    def typed(**review):
        draft = Draft(
            body=changed,
            category=section,
            article=article,
            review=TypedReview(**as_saved, **review),
        )
        return review_due(draft)[0]

    assert typed().message.startswith("The body has changed since the medical review")
    assert typed(confirmed=True).level == OK


@pytest.mark.django_db
def test_image_credits_say_what_publishing_would_refuse_when_the_site_requires_them(
    settings,
):
    hero = ImageFactory(title="Cot by a window", credit="", licence="")
    placed = ImageFactory(title="Thermometer", credit="Staff", licence="")
    draft = Draft(title="Cots", hero=hero, body=f"## Safe\n\n[[image:{placed.pk}]]")

    settings.CMS_IMAGE_CREDIT_REQUIRED = False
    assert image_credits(draft) == []

    settings.CMS_IMAGE_CREDIT_REQUIRED = True
    [finding] = image_credits(draft)
    assert finding.level == WARNING
    assert "“Cot by a window”" in finding.message
    assert "“Thermometer”" in finding.message
    credited = ImageFactory(credit="Staff", licence="Own work")
    [finding] = image_credits(Draft(title="Cots", hero=credited))
    assert finding.level == OK


# --- The endpoint --------------------------------------------------------------------


def writer(**kwargs):
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name="Writer"))
    AuthorFactory(user=user)
    return user


@pytest.mark.django_db
def test_endpoint_returns_findings_previews_and_the_panel(client):
    client.force_login(writer())
    section = CategoryFactory(slug="baby")
    hero = ImageFactory(alt="photo.jpg")

    response = post(
        client,
        {
            "title": "Colic",
            "slug": "colic",
            "standfirst": "Why babies cry.",
            "category": section.pk,
            "hero_image": hero.pk,
            "body": "## Signs\n\n#### Detail\n\n[click here](https://www.nhs.uk/)",
        },
    )

    assert response.status_code == 200
    data = response.json()
    assert data["previews"]["search"]["breadcrumb"] == "testserver › baby › colic"
    assert {"check", "level", "message", "detail"} <= set(data["findings"][0])
    panel = BeautifulSoup(data["html"], "html.parser")
    headings = [h.get_text() for h in panel.find_all("h4")]
    assert headings[0] == "Search title"
    assert headings[-2:] == ["Search result", "Social card"]
    link_warning = panel.select_one('[data-check="link_text"] .finding-warning')
    assert link_warning.get_text(" ", strip=True).startswith(
        "Warning: The link “click here”"
    )
    assert data["summary"].endswith("warnings.")
    assert data["previews"]["social"]["image"] == hero.file.url
    hero_alt = panel.select_one('[data-check="alt_text"] .finding-warning')
    assert "The hero image has a file name for alt text" in hero_alt.get_text()


@pytest.mark.django_db
def test_endpoint_reads_the_review_fields_when_the_form_has_them(client):
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="Editor"))
    client.force_login(editor)
    section = CategoryFactory(requires_medical_review=True)
    article = ArticleFactory(category=section)
    expert = ExpertFactory()
    values = {"article": article.pk, "category": section.pk, "body": article.body}

    def review_messages(**review):
        data = post(client, {**values, **review}).json()
        return [f["message"] for f in data["findings"] if f["check"] == "review"]

    need = f"Articles in {section} need a medical review"
    assert review_messages()[0].startswith(need)  # no review fields: as saved
    today = timezone.localdate().isoformat()
    typed = review_messages(reviewed_by=expert.pk, reviewed_at=today, next_review_at="")
    assert not typed[0].startswith(need)
    assert review_messages(
        reviewed_by=expert.pk, reviewed_at="2026-1", next_review_at=""
    ) == ["Give the date of the review."]


@pytest.mark.django_db
def test_endpoint_asks_a_fixed_number_of_queries_per_keystroke(
    client, django_assert_num_queries
):
    user = writer()
    client.force_login(user)
    section = CategoryFactory(parent=CategoryFactory(requires_medical_review=True))
    article = ArticleFactory(authors=[user.author], category=section)
    quotes = QuoteFactory.create_batch(3)
    body = "## Help\n\n" + "".join(f"[[quote:{q.pk}]]\n\n" for q in quotes)
    body += "[[image:1]]\n\n[[image:2]]"

    # Session, user, two of permissions, section, article, owner, images, quotes.
    with django_assert_num_queries(9):
        response = post(
            client, {"article": article.pk, "category": section.pk, "body": body}
        )

    assert response.status_code == 200


@pytest.mark.django_db
def test_endpoint_checks_an_article_the_writer_may_edit_but_not_others(client):
    user = writer()
    client.force_login(user)
    own = ArticleFactory(authors=[user.author])
    someone_elses = ArticleFactory()
    live = ArticleFactory(published=True, authors=[user.author])

    assert post(client, {"article": own.pk, "body": "Hi."}).status_code == 200
    missing = post(client, {"article": someone_elses.pk, "body": "Hi."})
    assert missing.status_code == 404
    assert missing.json() == {"error": "No such article."}
    # Writers see live articles but cannot edit them.
    assert post(client, {"article": live.pk, "body": "Hi."}).status_code == 403


@pytest.mark.django_db
def test_endpoint_is_for_staff_who_can_change_articles(client):
    assert post(client, {"body": "Hi."}).status_code == 302  # to the login page

    client.force_login(UserFactory(staff=True))  # staff, no article permissions
    response = post(client, {"body": "Hi."})
    assert response.status_code == 403
    assert response.json() == {"error": "You cannot edit articles."}


@pytest.mark.django_db
def test_endpoint_needs_the_csrf_token():
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(writer())

    assert post(client, {"body": "Hi."}).status_code == 403

    client.get("/admin/articles/article/add/")
    token = client.cookies["csrftoken"].value
    assert post(client, {"body": "Hi."}, HTTP_X_CSRFTOKEN=token).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "error"),
    [
        ("{not json", "The values sent are not valid JSON."),
        ("[1, 2]", "Send the article's values as a JSON object."),
        (
            {"title": ["a list"]},
            "These values cannot be checked: Expected text.",
        ),
        (
            {"category": 999999},
            "These values cannot be checked: Select a valid choice. That choice "
            "is not one of the available choices.",
        ),
    ],
)
def test_endpoint_explains_bad_input_with_a_400(client, payload, error):
    client.force_login(writer())

    response = post(client, payload)

    assert response.status_code == 400
    assert response.json()["error"] == error


@pytest.mark.django_db
def test_endpoint_refuses_a_body_over_the_markdown_limit_with_a_400(client, settings):
    settings.CMS_MAX_MARKDOWN_BYTES = 1000
    client.force_login(writer())

    over_field = post(client, {"body": "word " * 300})
    assert over_field.status_code == 400
    assert "the most a text can be is 1,000 bytes" in over_field.json()["error"]

    over_request = post(client, {"body": "x" * 50_000})
    assert over_request.status_code == 400
    assert over_request.json()["error"].startswith("Too much to check")


@pytest.mark.django_db
def test_endpoint_refuses_get_and_form_posts(client):
    client.force_login(writer())

    assert client.get(URL).status_code == 405
    assert client.post(URL, {"body": "Hi."}).status_code == 400


@pytest.mark.django_db
def test_change_form_holds_the_panel_for_those_who_can_edit(client):
    user = writer()
    client.force_login(user)
    own = ArticleFactory(authors=[user.author])
    live = ArticleFactory(published=True, authors=[user.author])

    page = BeautifulSoup(
        client.get(f"/admin/articles/article/{own.pk}/change/").content, "html.parser"
    )
    panel = page.select_one(".field-checks .editor-checks")
    assert panel["data-url"] == URL
    assert panel["data-article"] == str(own.pk)
    assert panel.select_one(".checks-summary")["aria-live"] == "polite"
    assert page.find("script", src=lambda src: src and "checks" in src)

    add_page = client.get("/admin/articles/article/add/").content.decode()
    assert 'data-article=""' in add_page

    read_only = client.get(f"/admin/articles/article/{live.pk}/change/")
    assert b"editor-checks" not in read_only.content
