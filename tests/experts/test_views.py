import pytest
from bs4 import BeautifulSoup

from tests.factories import ExpertFactory

pytestmark = pytest.mark.django_db


def test_expert_page_shows_name_role_and_credentials(client):
    expert = ExpertFactory(
        honorific="Dr",
        name="Leila Haddad",
        job_title="Consultant Dermatologist",
        organisation="Northgate Skin Clinic",
        credentials="MBBS, MRCP",
        bio="Specialises in *childhood eczema*.",
    )
    response = client.get(expert.get_absolute_url())
    page = BeautifulSoup(response.content.decode(), "html.parser")
    assert page.h1.get_text() == "Dr Leila Haddad"
    assert (
        page.select_one(".role").get_text()
        == "Consultant Dermatologist at Northgate Skin Clinic"
    )
    assert page.select_one(".credentials").get_text() == "MBBS, MRCP"
    assert page.select_one("em").get_text() == "childhood eczema"


def test_unknown_expert_is_404(client):
    assert client.get("/experts/nobody/").status_code == 404
