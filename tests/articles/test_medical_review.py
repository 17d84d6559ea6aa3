"""Medical review: the page, the review cadence, out-of-date reviews and clinical routing."""

from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format

from articles.dashboard import dashboard_for
from articles.models import Article
from articles.models.review import add_months, hash_body
from articles.services import (
    article_publish,
    check_medical_review,
    medical_review_refusal,
)
from tests.articles.test_admin import CHANGELIST_URL, assert_saved, form_errors
from tests.articles.test_workflow import (
    bulk,
    change_data,
    change_url,
    html_of,
    member_of,
    messages_of,
    reloaded,
)
from tests.factories import (
    ArticleFactory,
    ArticleSourceFactory,
    CategoryFactory,
    ExpertFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

Status = Article.Status


def today():
    return timezone.localdate()


def long_date(day: date) -> str:
    return date_format(day, "j F Y")


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def clinical_section(**kwargs):
    return CategoryFactory(requires_medical_review=True, **kwargs)


def reviewed(article: Article, expert=None, on: date | None = None, **kwargs):
    """Record a review of the article's body as it is now, and save it."""
    article.record_review(
        by=expert or ExpertFactory(), on=on or today() - timedelta(days=3), **kwargs
    )
    article.save()
    return article


@pytest.fixture
def editor():
    return member_of("Editor")


@pytest.fixture
def superuser():
    return UserFactory(superuser=True)


# The review on the model ---------------------------------------------------------


def test_recording_a_review_sets_the_next_one_twelve_months_later():
    article = reviewed(ArticleFactory(), on=date(2026, 3, 14))

    assert article.is_medically_reviewed and article.review_is_current
    assert article.next_review_at == date(2027, 3, 14)
    assert article.reviewed_body_hash == hash_body(article.body)


def test_the_sections_interval_sets_the_next_review():
    article = ArticleFactory(category=CategoryFactory(review_interval_months=6))

    reviewed(article, on=date(2026, 8, 31))

    assert article.next_review_at == date(2027, 2, 28)


def test_a_next_review_date_given_explicitly_is_kept():
    article = reviewed(
        ArticleFactory(), on=date(2026, 3, 14), next_review_at=date(2026, 9, 1)
    )

    assert article.next_review_at == date(2026, 9, 1)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2026, 11, 15), 3, date(2027, 2, 15)),
        (date(2026, 5, 31), -36, date(2023, 5, 31)),
    ],
)
def test_add_months_keeps_to_the_calendar(day, months, expected):
    assert add_months(day, months) == expected


def test_changing_the_body_makes_the_review_out_of_date():
    article = reviewed(ArticleFactory())

    article.body += "\n\nA new paragraph of advice."
    article.save()

    assert article.is_medically_reviewed
    assert not reloaded(article).review_is_current
    assert list(Article.objects.review_out_of_date()) == [article]


def test_line_endings_and_trailing_spaces_are_not_a_change_of_body():
    article = reviewed(ArticleFactory(body="## One\n\nText.\n\n## Two\n\nMore."))

    article.body = "## One  \r\n\r\nText.\r\n\r\n## Two\r\n\r\nMore.\r\n"
    article.save()

    assert reloaded(article).review_is_current
    assert not Article.objects.review_out_of_date().exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"reviewed_at": date(2026, 1, 5)}, "reviewed_by", "Choose the expert"),
        ({"with_expert": True}, "reviewed_at", "Give the date"),
        (
            {"with_expert": True, "reviewed_at": date(2099, 1, 1)},
            "reviewed_at",
            "cannot be dated in the future",
        ),
        (
            {
                "with_expert": True,
                "reviewed_at": date(2026, 1, 5),
                "next_review_at": date(2026, 1, 5),
            },
            "next_review_at",
            "must come after the review",
        ),
        ({"next_review_at": date(2026, 1, 5)}, "next_review_at", "Record the review"),
    ],
)
def test_review_fields_that_do_not_fit_together_are_refused(fields, field, message):
    fields = dict(fields)
    if fields.pop("with_expert", False):
        fields["reviewed_by"] = ExpertFactory()
    article = ArticleFactory()
    for name, value in fields.items():
        setattr(article, name, value)

    with pytest.raises(ValidationError) as excinfo:
        article.full_clean()

    assert message in " ".join(excinfo.value.message_dict[field])


# The page ------------------------------------------------------------------------


def test_article_page_shows_who_reviewed_it_and_when_linking_to_them(client):
    expert = ExpertFactory(
        honorific="Dr", name="Helena Marsh", job_title="Consultant Paediatrician"
    )
    article = reviewed(ArticleFactory(published=True), expert, on=date(2026, 10, 9))

    line = soup(client.get(article.get_absolute_url())).select_one(
        ".article-header .medical-review"
    )

    assert line.get_text(" ", strip=True) == (
        "Medically reviewed by Dr Helena Marsh , Consultant Paediatrician, "
        "on 9 October 2026"
    )
    assert line.a["href"] == expert.get_absolute_url()
    assert line.time["datetime"] == "2026-10-09"


def test_out_of_date_review_is_shown_honestly_as_last_reviewed(client):
    expert = ExpertFactory(name="Owen Castellane")
    article = reviewed(ArticleFactory(published=True), expert, on=date(2026, 9, 2))
    article.body += "\n\nAn unreviewed addition."
    article.save()

    text = (
        soup(client.get(article.get_absolute_url()))
        .select_one(".medical-review")
        .get_text(" ", strip=True)
    )

    assert text.startswith("Last reviewed by Dr Owen Castellane")
    assert text.endswith("on 2 September 2026")
    assert "Medically reviewed" not in text


def test_article_without_a_review_has_no_review_line(client):
    article = ArticleFactory(published=True)

    page = soup(client.get(article.get_absolute_url()))

    assert page.select_one(".medical-review") is None


# The admin: recording a review ---------------------------------------------------


def review_fields(expert=None, on: date | None = None, next_review: date | None = None):
    return {
        "reviewed_by": str(expert.pk) if expert else "",
        "reviewed_at": on.isoformat() if on else "",
        "next_review_at": next_review.isoformat() if next_review else "",
    }


def current_review_fields(article):
    article = reloaded(article)
    return review_fields(
        article.reviewed_by, article.reviewed_at, article.next_review_at
    )


def test_editor_records_a_review_and_the_next_date_follows_the_section(client, editor):
    article = ArticleFactory(category=CategoryFactory(review_interval_months=18))
    expert = ExpertFactory()
    client.force_login(editor)

    response = client.post(
        change_url(article),
        change_data(article, **review_fields(expert, date(2026, 5, 20))),
    )

    assert_saved(response)
    article = reloaded(article)
    assert article.reviewed_by == expert
    assert article.reviewed_at == date(2026, 5, 20)
    assert article.next_review_at == date(2027, 11, 20)
    assert article.review_is_current


def test_editor_may_set_the_next_review_date_themselves(client, editor):
    article = ArticleFactory()
    client.force_login(editor)

    response = client.post(
        change_url(article),
        change_data(
            article,
            **review_fields(ExpertFactory(), date(2026, 5, 20), date(2026, 8, 1)),
        ),
    )

    assert_saved(response)
    assert reloaded(article).next_review_at == date(2026, 8, 1)


def test_editing_the_body_in_the_admin_marks_the_review_out_of_date(client, editor):
    article = reviewed(ArticleFactory(), on=date(2026, 6, 1))
    client.force_login(editor)

    response = client.post(
        change_url(article),
        change_data(
            article,
            body=article.body + "\n\nNew dosing advice.",
            **current_review_fields(article),
        ),
    )

    assert_saved(response)
    assert not reloaded(article).review_is_current
    page = html_of(client.get(change_url(article)))
    assert "Out of date</strong>: the body changed since the review on 1 June 2026" in (
        page
    )


def test_saving_without_touching_the_body_keeps_the_review_current(client, editor):
    article = reviewed(ArticleFactory())
    client.force_login(editor)

    response = client.post(
        change_url(article),
        change_data(article, title="A new headline", **current_review_fields(article)),
    )

    assert_saved(response)
    assert reloaded(article).review_is_current


def test_a_new_review_date_records_a_review_of_the_edited_body(client, editor):
    article = reviewed(ArticleFactory(), on=today() - timedelta(days=40))
    client.force_login(editor)
    fields = current_review_fields(article)
    fields["reviewed_at"] = today().isoformat()

    response = client.post(
        change_url(article),
        change_data(article, body=article.body + "\n\nChecked again.", **fields),
    )

    assert_saved(response)
    article = reloaded(article)
    assert article.review_is_current
    assert article.next_review_at == add_months(today(), 12)


def test_confirming_the_review_stamps_the_body_as_reviewed(client, editor):
    article = reviewed(ArticleFactory())
    article.body += "\n\nA same-day fix the reviewer has seen."
    article.save()
    client.force_login(editor)

    response = client.post(
        change_url(article),
        change_data(article, review_confirmed="on", **current_review_fields(article)),
    )

    assert_saved(response)
    assert reloaded(article).review_is_current


def test_clearing_the_reviewer_and_date_removes_the_review(client, editor):
    article = reviewed(ArticleFactory())
    client.force_login(editor)

    response = client.post(
        change_url(article),
        change_data(
            article, **review_fields(next_review=reloaded(article).next_review_at)
        ),
    )

    assert_saved(response)
    article = reloaded(article)
    assert not article.is_medically_reviewed
    assert article.next_review_at is None and article.reviewed_body_hash == ""


def test_a_reviewer_without_a_date_is_refused_on_the_form(client, editor):
    article = ArticleFactory()
    client.force_login(editor)

    response = client.post(
        change_url(article),
        change_data(article, **review_fields(ExpertFactory())),
    )

    assert response.status_code == 200
    assert "Give the date of the review." in html_of(response)
    assert not reloaded(article).is_medically_reviewed


def test_writers_see_the_review_status_but_cannot_record_one(client):
    writer = member_of("Writer")
    article = ArticleFactory(authors=[writer.author])
    client.force_login(writer)

    page = client.get(change_url(article))
    form = page.context["adminform"].form
    response = client.post(
        change_url(article),
        change_data(article, **review_fields(ExpertFactory(), date(2026, 5, 20))),
    )

    assert "reviewed_by" not in form.fields and "reviewed_at" not in form.fields
    assert "Medical review status" in html_of(page)
    assert_saved(response)
    assert not reloaded(article).is_medically_reviewed


# Review cadence: the changelist filter and the start page -------------------------


@pytest.fixture
def cadence():
    """One article for each reason a review needs attention, and some that need none."""
    now = today()
    return {
        "overdue": reviewed(
            ArticleFactory(title="Overdue", published=True),
            on=add_months(now, -13),
        ),
        "soon": reviewed(
            ArticleFactory(title="Due soon", published=True),
            on=add_months(now, -12) + timedelta(days=10),
        ),
        "out_of_date": _edited(
            reviewed(ArticleFactory(title="Edited since", published=True))
        ),
        "stale": ArticleSourceFactory(
            article=ArticleFactory(title="Old sources", published=True),
            published_on=add_months(now, -12 * 4),
        ).article,
        "fine": reviewed(ArticleFactory(title="Recently reviewed", published=True)),
        "unreviewed": ArticleFactory(title="Never reviewed", published=True),
        "archived": reviewed(
            ArticleFactory(title="Archived and overdue", status=Status.UNPUBLISHED),
            on=add_months(now, -13),
        ),
    }


def _edited(article):
    article.body += "\n\nEdited after the review."
    article.save()
    return article


def titles(response):
    return {
        row.select_one("th a").get_text(strip=True)
        for row in soup(response).select("#result_list tbody tr")
    }


def test_review_due_covers_every_reason_but_leaves_out_archived_articles(cadence):
    assert set(Article.objects.review_due()) == {
        cadence["overdue"],
        cadence["soon"],
        cadence["out_of_date"],
        cadence["stale"],
    }


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        ("due", {"Overdue", "Due soon", "Edited since", "Old sources"}),
        ("overdue", {"Overdue"}),
        ("soon", {"Due soon"}),
        ("out_of_date", {"Edited since"}),
        ("stale_sources", {"Old sources"}),
    ],
)
def test_changelist_filters_reviews_due(client, editor, cadence, choice, expected):
    client.force_login(editor)

    response = client.get(CHANGELIST_URL, {"review": choice})

    assert response.status_code == 200
    assert titles(response) == expected


def test_changelist_shows_each_articles_review_state(client, editor, cadence):
    client.force_login(editor)

    page = soup(client.get(CHANGELIST_URL))
    column = {
        row.select_one("th a").get_text(strip=True): row.select_one(
            "td.field-medical_review"
        ).get_text(strip=True)
        for row in page.select("#result_list tbody tr")
    }

    due = reloaded(cadence["overdue"]).next_review_at
    assert column["Overdue"] == f"Overdue (was due {date_format(due, 'j M Y')})"
    assert column["Edited since"] == "Out of date"
    assert column["Never reviewed"] == "–"
    assert column["Recently reviewed"].startswith("Due ")


def test_start_page_counts_reviews_due_by_reason_with_links(client, editor, cadence):
    client.force_login(editor)

    page = soup(client.get("/admin/"))
    block = page.select_one("#dashboard-review_due")

    assert "Medical review due (4)" in block.caption.get_text(" ", strip=True)
    rows = {
        row.th.get_text(strip=True): (row.td.get_text(strip=True), row.th.a["href"])
        for row in block.select("tbody tr")
        if row.th
    }
    assert rows["Overdue"] == ("1", f"{CHANGELIST_URL}?review=overdue")
    assert rows["Due within 30 days"] == ("1", f"{CHANGELIST_URL}?review=soon")
    assert rows["Out of date (body changed)"] == (
        "1",
        f"{CHANGELIST_URL}?review=out_of_date",
    )
    assert rows["Sources older than 3 years"][0] == "1"
    see_all = block.select_one("a.see-all")
    assert see_all["href"] == f"{CHANGELIST_URL}?review=due"
    assert titles(client.get(see_all["href"])) == {
        "Overdue",
        "Due soon",
        "Edited since",
        "Old sources",
    }


def test_writers_start_page_has_no_review_block(client, cadence):
    writer = member_of("Writer")
    client.force_login(writer)

    assert "review_due" not in dashboard_for(writer)
    assert 'id="dashboard-review_due"' not in html_of(client.get("/admin/"))


@pytest.mark.parametrize("per_reason", [1, 10])
def test_review_counts_add_no_queries_to_the_start_page(
    client, editor, per_reason, django_assert_max_num_queries
):
    for _ in range(per_reason):
        reviewed(ArticleFactory(), on=add_months(today(), -13))
        _edited(reviewed(ArticleFactory()))
        ArticleSourceFactory(published_on=add_months(today(), -48))
    client.force_login(editor)

    # The same budget as the start page without reviews (tests/cms/test_admin_site.py).
    with django_assert_max_num_queries(11):
        response = client.get("/admin/")

    caption = soup(response).select_one("#dashboard-review_due caption")
    assert caption.get_text(" ", strip=True) == (
        f"Medical review due ({3 * per_reason})"
    )


# Clinical routing ------------------------------------------------------------------


def test_unreviewed_article_in_a_clinical_section_cannot_be_published(editor):
    article = ArticleFactory(category=clinical_section(name="Health"))

    with pytest.raises(ValidationError) as excinfo:
        article_publish(article=article, by=editor)

    assert (
        "need a medical review before they are published" in excinfo.value.messages[0]
    )
    assert reloaded(article).status == Status.DRAFT
    assert not article.transitions.exists()


def test_superusers_are_refused_too(superuser):
    article = ArticleFactory(category=clinical_section())

    with pytest.raises(ValidationError):
        article_publish(article=article, by=superuser)

    assert reloaded(article).status == Status.DRAFT


def test_a_sub_section_of_a_clinical_section_needs_review(editor):
    article = ArticleFactory(category=CategoryFactory(parent=clinical_section()))

    with pytest.raises(ValidationError):
        article_publish(article=article, by=editor)


def test_article_with_a_current_review_is_published(editor):
    article = reviewed(ArticleFactory(category=clinical_section()))

    published = article_publish(article=article, by=editor)

    assert published.is_published()


def test_article_edited_since_its_review_cannot_be_published(editor):
    article = _edited(
        reviewed(ArticleFactory(category=clinical_section()), on=date(2026, 6, 1))
    )

    with pytest.raises(ValidationError) as excinfo:
        article_publish(article=article, by=editor)

    assert (
        "The body has changed since the medical review on 1 June 2026"
        in (excinfo.value.messages[0])
    )


def test_article_whose_review_is_overdue_cannot_be_published(editor):
    article = reviewed(
        ArticleFactory(category=clinical_section()), on=add_months(today(), -13)
    )

    with pytest.raises(ValidationError) as excinfo:
        article_publish(article=article, by=editor)

    assert "was due to be renewed on" in excinfo.value.messages[0]


def test_articles_in_other_sections_need_no_review(editor):
    article = ArticleFactory()

    assert medical_review_refusal(article) is None
    check_medical_review(article)
    assert article_publish(article=article, by=editor).is_published()


@pytest.mark.parametrize("who", ["editor", "superuser"])
def test_publishing_an_unreviewed_clinical_article_in_the_admin_is_a_form_error(
    client, request, who
):
    client.force_login(request.getfixturevalue(who))
    article = ArticleFactory(category=clinical_section(name="Health"))

    response = client.post(
        change_url(article), change_data(article, action=Status.PUBLISHED)
    )

    assert response.status_code == 200, form_errors(response)
    errors = response.context["adminform"].form.non_field_errors()
    assert any("need a medical review" in error for error in errors)
    assert reloaded(article).status == Status.DRAFT


def test_recording_a_review_and_publishing_in_one_save_works(client, editor):
    article = ArticleFactory(category=clinical_section())
    client.force_login(editor)

    response = client.post(
        change_url(article),
        change_data(
            article,
            action=Status.PUBLISHED,
            **review_fields(ExpertFactory(), today() - timedelta(days=1)),
        ),
    )

    assert_saved(response)
    article = reloaded(article)
    assert article.is_published() and article.review_is_current


def test_editing_the_body_while_publishing_is_refused_on_the_form(client, editor):
    article = reviewed(ArticleFactory(category=clinical_section()))
    client.force_login(editor)

    response = client.post(
        change_url(article),
        change_data(
            article,
            action=Status.PUBLISHED,
            body=article.body + "\n\nUnreviewed words.",
            **current_review_fields(article),
        ),
    )

    assert response.status_code == 200
    assert "The body has changed since the medical review" in html_of(response)
    assert reloaded(article).status == Status.DRAFT


def test_publishing_from_the_list_says_which_articles_need_review(client, editor):
    client.force_login(editor)
    blocked = ArticleFactory(title="Unreviewed", category=clinical_section())
    fine = ArticleFactory(title="Ordinary")

    response = bulk(client, "publish_selected", blocked, fine)

    messages = messages_of(response)
    assert any(
        "“Unreviewed” was not published: Articles in" in message for message in messages
    )
    assert reloaded(fine).is_published()
    assert reloaded(blocked).status == Status.DRAFT
