import time
from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.core import signing
from django.urls import reverse

from articles.models import Article
from articles.previews import (
    PreviewLinkExpired,
    PreviewLinkInvalid,
    PreviewLinkWithdrawn,
    make_share_token,
    read_share_token,
)
from articles.services import article_submit
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

BANNER = "Preview: this article is a draft. Readers cannot see this page."
WEEK = 7 * 24 * 60 * 60


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def banner(response):
    found = soup(response).select_one(".preview-banner")
    return found.get_text(" ", strip=True) if found else None


def assert_private(response):
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control
    assert response["X-Robots-Tag"] == "noindex"


def share_url(article):
    return reverse("articles:share_preview", args=[make_share_token(article)])


def made_ago(article, seconds):
    with mock.patch("time.time", return_value=time.time() - seconds):
        return share_url(article)


@pytest.fixture
def draft():
    return ArticleFactory(title="Weaning in six steps", status=Article.Status.DRAFT)


@pytest.fixture
def viewer(client):
    """Staff who may read anyone's articles, logged in."""
    user = UserFactory(staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_article", "edit_any_article"])
    )
    client.force_login(user)
    return client


# Staff preview -----------------------------------------------------------------


def test_staff_see_a_draft_with_the_banner_and_private_headers(viewer, draft):
    response = viewer.get(reverse("articles:preview", args=[draft.pk]))
    assert response.status_code == 200
    assert soup(response).h1.get_text() == "Weaning in six steps"
    assert banner(response) == BANNER
    assert_private(response)
    assert soup(response).select_one('meta[name="robots"]')["content"] == "noindex"


@pytest.mark.parametrize("status", list(Article.Status))
def test_staff_preview_shows_every_state(admin_client, status):
    article = ArticleFactory(published=status == Article.Status.PUBLISHED)
    Article.objects.filter(pk=article.pk).update(status=status)
    response = admin_client.get(reverse("articles:preview", args=[article.pk]))
    assert response.status_code == 200
    assert "Readers cannot see this page." in banner(response)


def test_anonymous_is_sent_to_the_admin_login(client, draft):
    url = reverse("articles:preview", args=[draft.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_without_view_permission_are_refused(client, draft):
    client.force_login(UserFactory(staff=True))
    response = client.get(reverse("articles:preview", args=[draft.pk]))
    assert response.status_code == 403


def test_preview_of_a_missing_article_is_404(admin_client):
    assert admin_client.get(reverse("articles:preview", args=[999])).status_code == 404


def test_public_url_of_a_draft_stays_404_for_staff(admin_client, draft):
    response = admin_client.get(draft.get_absolute_url())
    assert response.status_code == 404


def test_public_page_has_no_banner(client):
    article = ArticleFactory(published=True)
    response = client.get(article.get_absolute_url())
    assert banner(response) is None
    assert "X-Robots-Tag" not in response


# Share links: the functions ----------------------------------------------------


def test_a_share_token_reads_back_as_its_article(draft):
    assert read_share_token(make_share_token(draft)) == draft


@pytest.mark.parametrize("token", ["", "nonsense", "a:b:c"])
def test_a_malformed_token_is_invalid(token):
    with pytest.raises(PreviewLinkInvalid):
        read_share_token(token)


def test_an_old_token_is_expired(settings, draft):
    settings.CMS_PREVIEW_LINK_MAX_AGE = 60
    with mock.patch("time.time", return_value=time.time() - 120):
        token = make_share_token(draft)
    with pytest.raises(PreviewLinkExpired):
        read_share_token(token)


def test_a_token_for_a_deleted_article_is_withdrawn(draft):
    token = make_share_token(draft)
    draft.delete()
    with pytest.raises(PreviewLinkWithdrawn):
        read_share_token(token)


# Share links: the page ---------------------------------------------------------


def test_share_link_shows_a_draft_to_anyone(client, draft):
    response = client.get(share_url(draft))
    assert response.status_code == 200
    assert soup(response).h1.get_text() == "Weaning in six steps"
    assert banner(response) == BANNER
    assert_private(response)


def test_tampered_share_link_is_refused(client, draft):
    url = share_url(draft)
    token = url.rstrip("/").rsplit("/", 1)[1]
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    response = client.get(reverse("articles:share_preview", args=[tampered]))
    assert response.status_code == 403
    assert "not valid" in soup(response).select_one(".preview-refused-reason").text
    assert "Weaning" not in response.content.decode()
    assert_private(response)


def test_a_token_signed_for_another_purpose_is_refused(client, draft):
    token = signing.dumps({"pk": draft.pk, "status": draft.status}, compress=True)
    response = client.get(reverse("articles:share_preview", args=[token]))
    assert response.status_code == 403


def test_expired_share_link_is_refused(client, draft):
    response = client.get(made_ago(draft, WEEK + 60))
    assert response.status_code == 403
    reason = soup(response).select_one(".preview-refused-reason").text
    assert "expired" in reason and "Ask the editor for a new one" in reason


def test_share_link_lasts_as_long_as_the_setting_says(client, settings, draft):
    assert client.get(made_ago(draft, WEEK - 60)).status_code == 200
    settings.CMS_PREVIEW_LINK_MAX_AGE = 30
    assert client.get(made_ago(draft, 60)).status_code == 403


def test_share_link_is_withdrawn_when_the_article_changes_state(
    client, admin_user, draft
):
    url = share_url(draft)
    article_submit(article=draft, by=admin_user)
    response = client.get(url)
    assert response.status_code == 403
    assert "withdrawn" in soup(response).select_one(".preview-refused-reason").text
    assert client.get(share_url(Article.objects.get(pk=draft.pk))).status_code == 200


# Admin -------------------------------------------------------------------------


def test_admin_change_page_links_to_the_preview_and_a_working_share_link(
    admin_client, client, draft
):
    page = soup(
        admin_client.get(reverse("admin:articles_article_change", args=[draft.pk]))
    )
    preview = page.select_one("a.preview-link")["href"]
    assert preview == reverse("articles:preview", args=[draft.pk])
    assert admin_client.get(preview).status_code == 200

    share = page.select_one("a.share-preview-link")["href"]
    assert share.startswith("http://testserver/preview/share/")
    assert page.select_one(f'input[value="{share}"]') is not None
    assert "or until its state changes" in page.get_text()
    response = client.get(share)
    assert response.status_code == 200
    assert banner(response) == BANNER


def test_admin_add_page_asks_to_save_before_previewing(admin_client):
    response = admin_client.get(reverse("admin:articles_article_add"))
    assert "Save the article to preview it." in response.content.decode()


def test_preview_of_a_never_published_draft_says_so_instead_of_an_empty_date(
    viewer, draft
):
    response = viewer.get(reverse("articles:preview", args=[draft.pk]))
    dates = soup(response).select_one(".dates").get_text(" ", strip=True)
    assert dates.startswith("Not yet published")
    assert "Published" not in dates
