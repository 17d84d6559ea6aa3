from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib import admin
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from experts.models import Expert, Quote
from tests.factories import (
    ArticleFactory,
    ArticleQuoteFactory,
    ExpertFactory,
    ImageFactory,
    QuoteFactory,
    UserFactory,
    image_file,
)

QUOTE_CHANGELIST_URL = "/admin/experts/quote/"

FACTORIES = {Expert: ExpertFactory, Quote: QuoteFactory}

EXPERTS_MODELS = [
    model for model in admin.site._registry if model._meta.app_label == "experts"
]


def test_every_experts_model_in_the_admin_has_a_factory():
    assert set(EXPERTS_MODELS) == set(FACTORIES)


@pytest.mark.django_db
@pytest.mark.parametrize("model", EXPERTS_MODELS, ids=lambda m: m.__name__)
def test_admin_changelist_add_and_change_pages_open(admin_client, model):
    obj = FACTORIES[model]()
    opts = model._meta
    urls = [
        reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
        reverse(f"admin:{opts.app_label}_{opts.model_name}_add"),
        reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]),
    ]

    for url in urls:
        response = admin_client.get(url)
        assert response.status_code == 200, url


@pytest.mark.django_db
def test_quote_changelist_shows_the_reference_to_paste(admin_client):
    quote = QuoteFactory()

    response = admin_client.get(QUOTE_CHANGELIST_URL)

    assert f"<code>[[quote:{quote.pk}]]</code>" in response.content.decode()


@pytest.mark.django_db
def test_quote_change_page_shows_the_reference_to_paste(admin_client):
    quote = QuoteFactory()

    response = admin_client.get(reverse("admin:experts_quote_change", args=[quote.pk]))

    assert f"[[quote:{quote.pk}]]" in response.content.decode()


@pytest.mark.django_db
def test_quote_changelist_cuts_long_quotes_short(admin_client):
    QuoteFactory(text="A" * 200)

    html = admin_client.get(QUOTE_CHANGELIST_URL).content.decode()

    assert "A" * 88 + "…" in html
    assert "A" * 89 not in html


@pytest.mark.django_db
def test_quote_changelist_filters_by_expert(admin_client):
    wanted = QuoteFactory(text="Oatmeal baths soothe eczema.")
    QuoteFactory(text="Keep nails short.")

    response = admin_client.get(
        QUOTE_CHANGELIST_URL, {"expert__id__exact": wanted.expert_id}
    )

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [wanted]


@pytest.mark.django_db
def test_quote_changelist_search_finds_by_expert_name(admin_client):
    wanted = QuoteFactory(expert__name="Amara Okafor")
    QuoteFactory(expert__name="Ben Carter")

    response = admin_client.get(QUOTE_CHANGELIST_URL, {"q": "okafor"})

    assert list(response.context["cl"].result_list) == [wanted]


@pytest.mark.django_db
def test_expert_changelist_search_finds_by_organisation(admin_client):
    wanted = ExpertFactory(organisation="Northgate Health")
    ExpertFactory(organisation="Riverside Hospital")

    response = admin_client.get("/admin/experts/expert/", {"q": "northgate"})

    assert list(response.context["cl"].result_list) == [wanted]


@pytest.mark.django_db
def test_expert_autocomplete_for_quotes_finds_experts(admin_client):
    wanted = ExpertFactory(name="Amara Okafor", honorific="Dr")
    ExpertFactory(name="Ben Carter")

    response = admin_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "experts",
            "model_name": "quote",
            "field_name": "expert",
            "term": "amara",
        },
    )

    assert response.status_code == 200
    assert response.json()["results"] == [
        {"id": str(wanted.pk), "text": "Dr Amara Okafor"}
    ]


@pytest.mark.django_db
def test_new_quote_is_saved_through_the_admin(admin_client):
    expert = ExpertFactory()

    response = admin_client.post(
        "/admin/experts/quote/add/",
        {
            "expert": str(expert.pk),
            "text": "Use *fragrance-free* cream.",
            "context": "",
            "status": "not_sent",
        },
    )

    assert response.status_code == 302
    quote = Quote.objects.get()
    assert quote.expert == expert
    assert "<em>fragrance-free</em>" in quote.text_html


@pytest.mark.django_db
def test_quote_without_text_is_refused_in_the_admin(admin_client):
    response = admin_client.post(
        "/admin/experts/quote/add/",
        {
            "expert": str(ExpertFactory().pk),
            "text": "",
            "context": "",
            "status": "not_sent",
        },
    )

    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not Quote.objects.exists()


@pytest.mark.django_db
def test_new_expert_is_saved_through_the_admin_with_a_photo(admin_client):
    portrait = ImageFactory(file=image_file("amara.jpg", size=(30, 40), fmt="JPEG"))
    response = admin_client.post(
        "/admin/experts/expert/add/",
        {
            "honorific": "Dr",
            "name": "Amara Okafor",
            "slug": "amara-okafor",
            "short_name": "",
            "job_title": "Consultant Paediatrician",
            "organisation": "Riverside Hospital",
            "credentials": "MBBS",
            "bio": "Works with **newborns**.",
            "photo": str(portrait.pk),
            "website": "",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    expert = Expert.objects.get(slug="amara-okafor")
    assert expert.photo == portrait
    assert (expert.photo.width, expert.photo.height) == (30, 40)
    assert "<strong>newborns</strong>" in expert.bio_html


@pytest.mark.django_db
def test_expert_photo_that_is_not_a_library_image_is_refused(admin_client):
    response = admin_client.post(
        "/admin/experts/expert/add/",
        {
            "name": "Amara Okafor",
            "slug": "amara-okafor",
            "bio": "",
            "photo": "999999",
            "is_active": "on",
        },
    )

    assert response.status_code == 200
    assert not Expert.objects.exists()


# Deleting an expert who is in use ------------------------------------------------------

EXPERT_CHANGELIST_URL = "/admin/experts/expert/"


def delete_url(expert):
    return reverse("admin:experts_expert_delete", args=[expert.pk])


def messages_of(response):
    return [
        (message.level_tag, str(message))
        for message in get_messages(response.wsgi_request)
    ]


def article_admin_link(article):
    url = reverse("admin:articles_article_change", args=[article.pk])
    return f'<a href="{url}">{article.title}</a>'


def quoted_in_published(expert, title):
    article = ArticleFactory(published=True, title=title)
    ArticleQuoteFactory(article=article, quote=QuoteFactory(expert=expert))
    return article


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_expert_quoted_in_published_articles_is_not_deleted_and_the_articles_named(
    admin_client, method
):
    expert = ExpertFactory(honorific="Dr", name="Amara Okafor")
    first = quoted_in_published(expert, "Nappy rash")
    second = quoted_in_published(expert, "Cradle cap")
    ArticleQuoteFactory(
        article=ArticleFactory(title="A draft"), quote=QuoteFactory(expert=expert)
    )

    response = getattr(admin_client, method)(delete_url(expert), {"post": "yes"})

    assert response.status_code == 302
    assert response.url == reverse("admin:experts_expert_change", args=[expert.pk])
    [(level, message)] = messages_of(response)
    assert level == "error"
    assert message.startswith("“Dr Amara Okafor” cannot be deleted")
    assert article_admin_link(first) in message
    assert article_admin_link(second) in message
    assert "A draft" not in message
    assert "Mark them inactive instead" in message
    assert Expert.objects.filter(pk=expert.pk).exists()


@pytest.mark.django_db
def test_expert_reviewing_a_published_article_is_not_deleted(admin_client):
    expert = ExpertFactory()
    article = ArticleFactory(
        published=True, reviewed_by=expert, reviewed_at=timezone.localdate()
    )

    response = admin_client.post(delete_url(expert), {"post": "yes"})

    [(level, message)] = messages_of(response)
    assert level == "error"
    assert article_admin_link(article) in message
    assert Expert.objects.filter(pk=expert.pk).exists()


@pytest.mark.django_db
def test_refusal_shows_as_a_message_on_the_experts_page(admin_client):
    expert = ExpertFactory()
    article = quoted_in_published(expert, "Teething")

    response = admin_client.post(delete_url(expert), {"post": "yes"}, follow=True)

    assert response.status_code == 200
    html = response.content.decode()
    assert "cannot be deleted" in html
    assert article_admin_link(article) in html


@pytest.mark.django_db
def test_expert_with_quotes_used_nowhere_public_is_refused_with_a_message_too(
    admin_client,
):
    quote = QuoteFactory(text="Unused words.")
    ArticleQuoteFactory(article=ArticleFactory(), quote=quote)

    response = admin_client.post(delete_url(quote.expert), {"post": "yes"})

    assert response.status_code == 302
    [(level, message)] = messages_of(response)
    assert level == "error"
    assert "cannot be deleted while these are kept" in message
    assert "Unused words." in message
    assert Expert.objects.filter(pk=quote.expert_id).exists()


@pytest.mark.django_db
def test_expert_nothing_needs_is_deleted_after_the_usual_confirmation(admin_client):
    expert = ExpertFactory()

    confirmation = admin_client.get(delete_url(expert))
    deleted = admin_client.post(delete_url(expert), {"post": "yes"})

    assert confirmation.status_code == 200
    assert "Are you sure" in confirmation.content.decode()
    assert deleted.status_code == 302
    assert not Expert.objects.filter(pk=expert.pk).exists()


def bulk_delete(client, *experts, confirm=False):
    data = {
        "action": "delete_selected",
        "_selected_action": [str(expert.pk) for expert in experts],
    }
    if confirm:
        data["post"] = "yes"
    return client.post(EXPERT_CHANGELIST_URL, data)


@pytest.mark.django_db
def test_bulk_delete_refuses_experts_in_use_and_confirms_the_rest(admin_client):
    in_use = ExpertFactory(name="Used Expert")
    article = quoted_in_published(in_use, "Colic")
    free = ExpertFactory(name="Free Expert")

    confirmation = bulk_delete(admin_client, in_use, free)

    assert confirmation.status_code == 200
    assert list(confirmation.context["queryset"]) == [free]
    [(level, message)] = messages_of(confirmation)
    assert level == "error"
    assert article_admin_link(article) in message

    done = bulk_delete(admin_client, free, confirm=True)

    assert done.status_code == 302
    assert list(Expert.objects.all()) == [in_use]


@pytest.mark.django_db
def test_bulk_delete_of_only_experts_in_use_goes_back_to_the_list(admin_client):
    first, second = ExpertFactory(), ExpertFactory()
    quoted_in_published(first, "Croup")
    quoted_in_published(second, "Colic")

    response = bulk_delete(admin_client, first, second, confirm=True)

    assert response.status_code == 302
    assert response.url == EXPERT_CHANGELIST_URL
    assert [level for level, _ in messages_of(response)] == ["error", "error"]
    assert Expert.objects.count() == 2


# The quote list ------------------------------------------------------------------------


def result_list(response):
    return list(response.context["cl"].result_list)


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["not_sent", "sent", "approved", "withdrawn"])
def test_quote_changelist_filters_by_sign_off(admin_client, status):
    quotes = {
        "not_sent": QuoteFactory(not_sent=True),
        "sent": QuoteFactory(sent=True),
        "approved": QuoteFactory(),
        "withdrawn": QuoteFactory(withdrawn=True),
    }

    response = admin_client.get(QUOTE_CHANGELIST_URL, {"status__exact": status})

    assert result_list(response) == [quotes[status]]


@pytest.mark.django_db
def test_quote_changelist_shows_facet_counts(admin_client):
    QuoteFactory.create_batch(2, sent=True)
    QuoteFactory()

    html = admin_client.get(QUOTE_CHANGELIST_URL).content.decode()

    page = BeautifulSoup(html, "html.parser")
    filters = page.select_one("#changelist-filter").get_text(" ", strip=True)
    assert "Sent to the expert (2)" in filters
    assert "Approved by the expert (1)" in filters


@pytest.mark.django_db
def test_quote_changelist_shows_sign_off_dates_and_use_count(admin_client):
    sent_on = timezone.localdate() - timedelta(days=3)
    quote = QuoteFactory(sent_at=sent_on)
    for _ in range(3):
        ArticleQuoteFactory(quote=quote)
    QuoteFactory(not_sent=True)

    response = admin_client.get(QUOTE_CHANGELIST_URL, {"o": "-7"})

    page = BeautifulSoup(response.content.decode(), "html.parser")
    first = page.select_one("#result_list tbody tr")
    assert first.select_one(".field-status").get_text() == "Approved by the expert"
    assert first.select_one(".field-sent_at").get_text() != "-"
    assert first.select_one(".field-used_in").get_text() == "3"
    assert result_list(response)[0] == quote
    assert [q.use_count for q in result_list(response)] == [3, 0]


@pytest.mark.django_db
def test_quote_changelist_query_count_does_not_grow_with_quotes(
    admin_client, django_assert_max_num_queries
):
    for quote in QuoteFactory.create_batch(10):
        ArticleQuoteFactory(quote=quote)
    admin_client.get(QUOTE_CHANGELIST_URL)  # session and permissions warmed up

    with django_assert_max_num_queries(12):
        admin_client.get(QUOTE_CHANGELIST_URL)


def quote_data(quote, **overrides):
    data = {
        "expert": str(quote.expert_id),
        "text": quote.text,
        "context": quote.context,
        "status": quote.status,
        "sent_at": quote.sent_at.isoformat() if quote.sent_at else "",
        "approved_at": quote.approved_at.isoformat() if quote.approved_at else "",
        "withdrawn_at": quote.withdrawn_at.isoformat() if quote.withdrawn_at else "",
    }
    data.update(overrides)
    return data


def quote_change_url(quote):
    return reverse("admin:experts_quote_change", args=[quote.pk])


@pytest.mark.django_db
def test_recording_approval_stamps_who_and_when(client):
    editor = UserFactory(superuser=True, username="eddie")
    client.force_login(editor)
    quote = QuoteFactory(sent=True)

    response = client.post(
        quote_change_url(quote), quote_data(quote, status="approved")
    )

    assert response.status_code == 302
    quote.refresh_from_db()
    assert quote.status == Quote.Status.APPROVED
    assert quote.approved_at == timezone.localdate()
    assert quote.approved_recorded_by == editor


@pytest.mark.django_db
def test_approval_recorder_cannot_be_typed_in(admin_client):
    quote = QuoteFactory(sent=True)
    someone_else = UserFactory()

    admin_client.post(
        quote_change_url(quote),
        quote_data(quote, status="approved", approved_recorded_by=str(someone_else.pk)),
    )

    quote.refresh_from_db()
    assert quote.approved_recorded_by.username == "admin"


@pytest.mark.django_db
def test_saving_an_approved_quote_again_keeps_who_recorded_it(client):
    recorder = UserFactory(superuser=True)
    quote = QuoteFactory(approved_recorded_by=recorder)
    client.force_login(UserFactory(superuser=True))

    client.post(quote_change_url(quote), quote_data(quote, context="Tidied"))

    quote.refresh_from_db()
    assert quote.approved_recorded_by == recorder


@pytest.mark.django_db
def test_sign_off_date_in_the_future_is_refused_in_the_admin(admin_client):
    quote = QuoteFactory(sent=True)
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = admin_client.post(
        quote_change_url(quote),
        quote_data(quote, status="approved", approved_at=tomorrow.isoformat()),
    )

    assert response.status_code == 200
    assert "This date is in the future." in response.content.decode()
    quote.refresh_from_db()
    assert quote.status == Quote.Status.SENT


@pytest.mark.django_db
def test_withdrawing_a_quote_warns_which_published_articles_changed(admin_client):
    quote = QuoteFactory()
    live = [ArticleFactory(published=True, title=t) for t in ("Colic", "Croup")]
    for article in live:
        ArticleQuoteFactory(article=article, quote=quote)
    ArticleQuoteFactory(article=ArticleFactory(title="Draft"), quote=quote)

    response = admin_client.post(
        quote_change_url(quote), quote_data(quote, status="withdrawn")
    )

    assert response.status_code == 302
    quote.refresh_from_db()
    assert (quote.status, quote.withdrawn_at) == ("withdrawn", timezone.localdate())
    warnings = [m for level, m in messages_of(response) if level == "warning"]
    assert len(warnings) == 1
    assert f"[[quote:{quote.pk}]] is withdrawn" in warnings[0]
    for article in live:
        assert article_admin_link(article) in warnings[0]
    assert "Draft" not in warnings[0]


@pytest.mark.django_db
def test_withdrawing_a_quote_no_published_article_uses_says_so(admin_client):
    quote = QuoteFactory()

    response = admin_client.post(
        quote_change_url(quote), quote_data(quote, status="withdrawn")
    )

    assert (
        "info",
        f"[[quote:{quote.pk}]] is withdrawn. No published article uses it.",
    ) in messages_of(response)


@pytest.mark.django_db
def test_saving_an_already_withdrawn_quote_does_not_warn_again(admin_client):
    quote = QuoteFactory(withdrawn=True)
    ArticleQuoteFactory(article=ArticleFactory(published=True), quote=quote)

    response = admin_client.post(
        quote_change_url(quote), quote_data(quote, context="Note")
    )

    assert [level for level, _ in messages_of(response)] == ["success"]


# --- Who may change a quote's words and sign-off ---------------------------------


def login_as(client, role):
    from django.contrib.auth.models import Group

    user = UserFactory(username=role.lower().replace(" ", "_"))
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    return user


@pytest.mark.django_db
def test_a_writer_cannot_set_a_quotes_sign_off(client):
    login_as(client, "Writer")
    quote = QuoteFactory(not_sent=True)

    form = client.get(quote_change_url(quote)).context["adminform"].form
    response = client.post(
        quote_change_url(quote),
        quote_data(quote, status="approved", approved_at="2026-01-02"),
    )

    assert {"status", "approved_at", "sent_at", "withdrawn_at"}.isdisjoint(form.fields)
    assert response.status_code == 302
    assert Quote.objects.get(pk=quote.pk).status == Quote.Status.NOT_SENT


@pytest.mark.django_db
def test_a_writer_corrects_the_words_of_a_quote_not_yet_sent(client):
    login_as(client, "Writer")
    quote = QuoteFactory(not_sent=True)

    response = client.post(quote_change_url(quote), quote_data(quote, text="Fixed."))

    assert response.status_code == 302
    assert Quote.objects.get(pk=quote.pk).text == "Fixed."


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["Writer", "Editor"])
def test_approved_words_change_for_no_one(client, role):
    login_as(client, role)
    quote = QuoteFactory(text="As approved.")

    form = client.get(quote_change_url(quote)).context["adminform"].form
    client.post(quote_change_url(quote), quote_data(quote, text="Rewritten."))

    assert "text" not in form.fields
    assert Quote.objects.get(pk=quote.pk).text == "As approved."


@pytest.mark.django_db
def test_words_already_sent_cannot_be_changed_by_any_route():
    quote = QuoteFactory(sent=True)
    quote.text = "Rewritten in the shell."

    with pytest.raises(ValidationError) as refused:
        quote.full_clean()

    assert "add a new quote" in str(refused.value.message_dict["text"])


@pytest.mark.django_db
def test_an_editor_reopens_sign_off_which_is_recorded_and_opens_the_words(client):
    editor = login_as(client, "Editor")
    quote = QuoteFactory(text="As approved.")

    response = client.post(
        QUOTE_CHANGELIST_URL,
        {"action": "reopen_sign_off", "_selected_action": [quote.pk]},
        follow=True,
    )

    quote.refresh_from_db()
    assert quote.status == Quote.Status.NOT_SENT
    assert quote.approved_at is None and quote.approved_recorded_by is None
    assert f"Sign-off reopened for {quote.reference}" in response.content.decode()
    (record,) = quote.sign_offs.all()
    assert (record.from_status, record.to_status, record.by) == (
        "approved",
        "not_sent",
        editor,
    )
    client.post(quote_change_url(quote), quote_data(quote, text="New words."))
    assert Quote.objects.get(pk=quote.pk).text == "New words."


@pytest.mark.django_db
def test_writers_cannot_reopen_sign_off(client):
    login_as(client, "Writer")
    quote = QuoteFactory()

    client.post(
        QUOTE_CHANGELIST_URL,
        {"action": "reopen_sign_off", "_selected_action": [quote.pk]},
    )

    assert Quote.objects.get(pk=quote.pk).is_approved


@pytest.mark.django_db
def test_each_sign_off_an_editor_records_is_listed_with_who(client):
    editor = login_as(client, "Editor")
    quote = QuoteFactory(not_sent=True)

    client.post(
        quote_change_url(quote),
        quote_data(quote, status="sent", sent_at=timezone.localdate().isoformat()),
    )

    (record,) = quote.sign_offs.all()
    assert (record.to_status, record.by) == ("sent", editor)
    page = client.get(quote_change_url(quote)).content.decode()
    assert "Not yet sent → Sent to the expert" in page
