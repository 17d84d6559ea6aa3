"""Writers read their own articles and live ones: never another writer's unpublished
or embargoed work, wherever the admin or a preview would show it."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory, UserFactory

pytestmark = pytest.mark.django_db


def writer(username: str):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name="Writer"))
    AuthorFactory(user=user, display_name=username.title())
    return user


@pytest.fixture
def ana():
    return writer("ana")


@pytest.fixture
def ben_work():
    """Another freelancer's draft, embargoed piece and archived piece, and a live one."""
    ben = writer("ben")
    later = timezone.now() + timedelta(days=3)
    return {
        "draft": ArticleFactory(title="Ben's draft", authors=[ben.author]),
        "embargoed": ArticleFactory(
            title="Ben's embargoed",
            authors=[ben.author],
            status=Article.Status.PUBLISHED,
            published_at=later,
        ),
        "archived": ArticleFactory(
            title="Ben's archived",
            authors=[ben.author],
            status=Article.Status.UNPUBLISHED,
        ),
        "live": ArticleFactory(
            title="Ben's live", authors=[ben.author], published=True
        ),
    }


def test_a_writer_sees_their_own_work_and_live_articles_only(ana, ben_work):
    own = ArticleFactory(title="Ana's draft", authors=[ana.author])

    visible = set(Article.objects.visible_to(ana))

    assert visible == {own, ben_work["live"]}


def test_an_editor_sees_everything(ben_work):
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="Editor"))

    assert set(Article.objects.visible_to(editor)) == set(ben_work.values())


def test_the_admin_list_and_search_leave_others_unpublished_work_out(
    client, ana, ben_work
):
    client.force_login(ana)

    listing = client.get("/admin/articles/article/").content.decode()
    search = client.get("/admin/articles/article/?q=Ben").content.decode()

    for page in (listing, search):
        assert "Ben&#x27;s live" in page
        for hidden in ("draft", "embargoed", "archived"):
            assert f"Ben&#x27;s {hidden}" not in page


@pytest.mark.parametrize("hidden", ["draft", "embargoed", "archived"])
def test_every_admin_page_of_another_writers_unpublished_article_is_closed(
    client, ana, ben_work, hidden
):
    article = ben_work[hidden]
    client.force_login(ana)
    base = f"/admin/articles/article/{article.pk}"

    change = client.get(f"{base}/change/")
    history = client.get(f"{base}/history/")
    compare = client.get(f"{base}/compare/")
    preview = client.get(reverse("articles:preview", args=[article.pk]))

    assert (change.status_code, change.url) == (302, "/admin/")
    assert history.status_code in (302, 404)
    assert compare.status_code == 404
    assert preview.status_code == 404


def test_link_pickers_do_not_offer_others_unpublished_work(client, ana, ben_work):
    client.force_login(ana)

    response = client.get(
        "/admin/autocomplete/",
        {
            "term": "Ben",
            "app_label": "articles",
            "model_name": "relatedlink",
            "field_name": "target_article",
        },
    )

    titles = {result["text"] for result in response.json()["results"]}
    assert titles == {"Ben's live"}


def test_a_writer_previews_their_own_draft(client, ana):
    draft = ArticleFactory(title="Ana's draft", authors=[ana.author])
    client.force_login(ana)

    response = client.get(reverse("articles:preview", args=[draft.pk]))

    assert response.status_code == 200


def test_the_start_page_shows_a_writer_no_one_elses_embargoed_work(
    client, ana, ben_work
):
    client.force_login(ana)

    page = client.get("/admin/").content.decode()

    assert "Ben&#x27;s embargoed" not in page
