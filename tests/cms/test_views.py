import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.factories import QuoteFactory, UserFactory, image_file

PREVIEW_URL = "/markdownx/markdownify/"
UPLOAD_URL = "/markdownx/upload/"


def assert_refused(response):
    """Anonymous and non-staff requests go to the admin login or get a 403."""
    assert response.status_code in {302, 403}
    if response.status_code == 302:
        assert reverse("admin:login") in response["Location"]


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(staff=True))
    return client


@pytest.mark.django_db
def test_health_reports_database_and_cache_ok(client):
    response = client.get("/health/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_health_reports_503_naming_a_broken_cache(client, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    }

    response = client.get("/health/")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "cache": "error"}


def test_health_url_is_named():
    assert reverse("health") == "/health/"


@pytest.mark.django_db
def test_markdown_preview_refuses_anonymous_users(client):
    response = client.post(PREVIEW_URL, {"content": "**Hello**"})

    assert_refused(response)
    assert b"<strong>" not in response.content


@pytest.mark.django_db
def test_markdown_preview_refuses_logged_in_non_staff(client):
    client.force_login(UserFactory())

    response = client.post(PREVIEW_URL, {"content": "**Hello**"})

    assert_refused(response)


@pytest.mark.django_db
def test_markdown_preview_renders_and_sanitises_for_staff(staff_client):
    response = staff_client.post(
        PREVIEW_URL,
        {"content": "## Skin care\n\n**Gentle** soap.\n\n<script>alert(1)</script>"},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert '<h2 id="skin-care">Skin care</h2>' in html
    assert "<strong>Gentle</strong>" in html
    assert "<script" not in html
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_markdown_preview_shows_a_placed_quote_with_its_expert(staff_client):
    quote = QuoteFactory(
        text="Keep the skin moisturised.",
        expert__honorific="Dr",
        expert__name="Amara Okafor",
    )

    response = staff_client.post(
        PREVIEW_URL, {"content": f"Intro.\n\n{quote.reference}\n\nOutro."}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "<figure" in html
    assert "Keep the skin moisturised." in html
    assert "Dr Amara Okafor" in html
    assert "cms-block" not in html


@pytest.mark.django_db
def test_markdown_preview_flags_an_unknown_quote(staff_client):
    response = staff_client.post(PREVIEW_URL, {"content": "[[quote:987654]]"})

    assert response.status_code == 200
    assert "Unknown reference [[quote:987654]]" in response.content.decode()


@pytest.mark.django_db
def test_markdown_preview_without_content_is_400(staff_client):
    response = staff_client.post(PREVIEW_URL, {})

    assert response.status_code == 400


@pytest.mark.django_db
def test_markdown_preview_get_is_405(staff_client):
    assert staff_client.get(PREVIEW_URL).status_code == 405


def test_markdown_preview_get_is_405_for_anonymous(client):
    assert client.get(PREVIEW_URL).status_code == 405


@pytest.mark.django_db
def test_image_upload_refuses_anonymous_users(client, settings):
    response = client.post(UPLOAD_URL, {"image": image_file()})

    assert_refused(response)
    assert not any(settings.MEDIA_ROOT.rglob("*.png"))


@pytest.mark.django_db
def test_image_upload_refuses_logged_in_non_staff(client):
    client.force_login(UserFactory())

    response = client.post(UPLOAD_URL, {"image": image_file()})

    assert_refused(response)


@pytest.mark.django_db
def test_image_upload_stores_the_image_for_staff(staff_client, settings):
    response = staff_client.post(
        UPLOAD_URL,
        {"image": image_file("rash.png")},
        headers={"x-requested-with": "XMLHttpRequest"},
    )

    assert response.status_code == 200
    assert "![](" in response.json()["image_code"]
    assert any(settings.MEDIA_ROOT.rglob("*.png"))


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "?image=x"])
def test_image_upload_answers_get_with_405(staff_client, query):
    # markdownx's view tried to render a page it does not have: a 500.
    response = staff_client.get(UPLOAD_URL + query)

    assert response.status_code == 405
    assert response["Allow"] == "POST"


@pytest.mark.django_db
def test_image_upload_without_an_image_is_a_400_naming_the_field(staff_client):
    response = staff_client.post(UPLOAD_URL, {})

    assert response.status_code == 400
    assert "image" in response.json()


@pytest.mark.django_db
def test_image_upload_stores_the_image_for_a_plain_form_post(staff_client, settings):
    response = staff_client.post(UPLOAD_URL, {"image": image_file("rash.png")})

    assert response.status_code == 200
    assert "![](" in response.json()["image_code"]
    assert any(settings.MEDIA_ROOT.rglob("*.png"))


@pytest.mark.django_db
def test_markdown_preview_marks_a_reference_readers_would_see_as_typed(staff_client):
    response = staff_client.post(
        PREVIEW_URL, {"content": "As she says [[quote:12]] every time."}
    )

    mark = BeautifulSoup(response.content, "html.parser").select_one(
        "mark.preview-error"
    )
    assert mark.get_text() == "[[quote:12]]"
    assert mark["role"] == "alert"


@pytest.mark.django_db
def test_markdown_preview_warns_of_a_site_address_with_nothing_there(staff_client):
    response = staff_client.post(
        PREVIEW_URL, {"content": "See [this](/baby-health/nowhere/)."}
    )

    warning = BeautifulSoup(response.content, "html.parser").select_one(
        "p.preview-error"
    )
    assert "/baby-health/nowhere/ is an address on this site" in warning.get_text()


def test_favicon_ico_leads_to_the_site_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"].endswith("cms/favicon.svg")
    assert client.get(response["Location"]).status_code == 200
