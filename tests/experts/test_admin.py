import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from experts.models import Expert, Quote
from tests.factories import ExpertFactory, QuoteFactory, image_file

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
        {"expert": str(ExpertFactory().pk), "text": "", "context": ""},
    )

    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not Quote.objects.exists()


@pytest.mark.django_db
def test_new_expert_is_saved_through_the_admin_with_a_photo(admin_client):
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
            "photo": image_file("amara.jpg", size=(30, 40), fmt="JPEG"),
            "website": "",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    expert = Expert.objects.get(slug="amara-okafor")
    assert (expert.photo_width, expert.photo_height) == (30, 40)
    assert "<strong>newborns</strong>" in expert.bio_html


@pytest.mark.django_db
def test_expert_photo_that_is_not_an_image_is_refused(admin_client):
    response = admin_client.post(
        "/admin/experts/expert/add/",
        {
            "name": "Amara Okafor",
            "slug": "amara-okafor",
            "bio": "",
            "photo": SimpleUploadedFile("amara.jpg", b"<svg></svg>"),
            "is_active": "on",
        },
    )

    assert response.status_code == 200
    assert not Expert.objects.exists()
