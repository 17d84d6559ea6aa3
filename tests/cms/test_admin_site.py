import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from articles.dashboard import dashboard_for
from articles.models import Article, Category, Tag
from articles.services import article_send_back, article_submit
from cms.admin_site import (
    CheckedFormsMixin,
    CheckedModelAdminMixin,
    NewsroomAdminSite,
)
from tests.factories import ArticleFactory, AuthorFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db

INDEX_URL = "/admin/"
CHANGELIST_URL = "/admin/articles/article/"


def member(group: str, **kwargs):
    user = UserFactory(staff=True, **kwargs)
    user.groups.add(Group.objects.get(name=group))
    return user


def change_url(article: Article) -> str:
    return f"/admin/articles/article/{article.pk}/change/"


def in_review(**kwargs) -> Article:
    return ArticleFactory(status=Article.Status.IN_REVIEW, **kwargs)


def scheduled(hours: int = 24, **kwargs) -> Article:
    return ArticleFactory(
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() + timedelta(hours=hours),
        **kwargs,
    )


def block(response, state: str) -> str:
    """The HTML of one dashboard block, up to the next block or app module."""
    html = response.content.decode()
    start = html.index(f'id="dashboard-{state}"')
    following = re.compile(r'<div class="[^"]*module').search(html, start)
    return html[start : following.start() if following else len(html)]


@pytest.fixture
def writer():
    return member("Writer")


@pytest.fixture
def editor():
    return member("Editor")


def test_the_admin_site_is_the_newsroom_site():
    assert isinstance(admin.site, NewsroomAdminSite)
    assert admin.site.site_header == "Newsroom"


def test_writer_sees_own_drafts_but_not_others(client, writer):
    created = ArticleFactory(title="Mine by creation", created_by=writer)
    bylined = ArticleFactory(
        title="Mine by byline", authors=[AuthorFactory(user=writer)]
    )
    ArticleFactory(title="Someone else's draft")
    ArticleFactory(
        title="My published piece", created_by=writer, published=True
    )  # live, so not a draft
    client.force_login(writer)

    drafts = block(client.get(INDEX_URL), "draft")

    assert "Your drafts <span" in drafts and "(2)" in drafts
    assert f'href="{change_url(created)}"' in drafts
    assert f'href="{change_url(bylined)}"' in drafts
    assert "Someone else" not in drafts
    assert "My published piece" not in drafts
    assert f'href="{CHANGELIST_URL}?state=draft"' in drafts


def test_in_review_shows_only_to_people_who_can_publish(client, writer, editor):
    waiting = in_review(title="Waiting for an editor")

    client.force_login(writer)
    assert 'id="dashboard-in_review"' not in client.get(INDEX_URL).content.decode()

    client.force_login(editor)
    review = block(client.get(INDEX_URL), "in_review")
    assert "(1)" in review
    assert f'href="{change_url(waiting)}"' in review
    assert f'href="{CHANGELIST_URL}?state=in_review"' in review


def test_scheduled_articles_show_when_they_go_live(client, editor):
    article = scheduled(hours=30, title="Coming soon")
    ArticleFactory(title="Already out", published=True)
    client.force_login(editor)

    html = block(client.get(INDEX_URL), "scheduled")

    when = date_format(timezone.localtime(article.published_at), "j M Y, H:i")
    assert f'href="{change_url(article)}"' in html
    assert "Coming soon" in html and when in html
    assert "Already out" not in html
    assert "(1)" in html
    assert f'href="{CHANGELIST_URL}?state=scheduled"' in html


def test_recently_published_lists_live_articles_newest_first(client, writer):
    now = timezone.now()
    older = ArticleFactory(
        title="Older story", status="published", published_at=now - timedelta(days=2)
    )
    newer = ArticleFactory(
        title="Newer story", status="published", published_at=now - timedelta(hours=1)
    )
    ArticleFactory(
        title="Expired story",
        status="published",
        published_at=now - timedelta(days=3),
        expires_at=now - timedelta(days=1),
    )
    scheduled(title="Future story")
    client.force_login(writer)

    html = block(client.get(INDEX_URL), "live")

    assert "(2)" in html
    assert html.index(change_url(newer)) < html.index(change_url(older))
    assert "Expired story" not in html and "Future story" not in html
    assert f'href="{CHANGELIST_URL}?state=live"' in html


def test_lists_show_ten_rows_but_count_them_all(editor):
    ArticleFactory.create_batch(12, published=True)

    dashboard = dashboard_for(editor)

    assert dashboard["live"].count == 12
    assert len(dashboard["live"].rows) == 10


def test_empty_lists_say_so(client, editor):
    client.force_login(editor)

    response = client.get(INDEX_URL)

    assert "You have no drafts." in block(response, "draft")
    assert "Nothing is scheduled." in block(response, "scheduled")
    assert "?state=draft" not in block(response, "draft")


def test_the_app_list_is_still_on_the_start_page(admin_client):
    html = admin_client.get(INDEX_URL).content.decode()

    assert 'id="content-main"' in html
    assert 'href="/admin/articles/article/"' in html
    assert 'id="newsroom-dashboard"' in html


def test_someone_who_cannot_see_articles_gets_no_dashboard(client):
    client.force_login(UserFactory(staff=True))

    response = client.get(INDEX_URL)

    assert response.status_code == 200
    assert 'id="newsroom-dashboard"' not in response.content.decode()


def test_dashboard_lists_follow_the_users_permissions(writer, editor):
    assert list(dashboard_for(writer)) == [
        "sent_back",
        "draft",
        "yours_in_review",
        "scheduled",
        "live",
    ]
    assert list(dashboard_for(editor)) == [
        "sent_back",
        "draft",
        "in_review",
        "review_due",
        "scheduled",
        "live",
    ]


def test_a_writer_finds_what_was_sent_back_with_the_editors_comment(client, writer):
    AuthorFactory(user=writer)
    article = ArticleFactory(title="Teething myths", authors=[writer.author])
    editor = UserFactory(superuser=True, username="eddie")
    article_submit(article=article, by=writer)
    article_send_back(article=article, by=editor, comment="Add a source for gels.")
    submitted = ArticleFactory(title="Sleep regressions", authors=[writer.author])
    article_submit(article=submitted, by=writer)
    client.force_login(writer)

    response = client.get(INDEX_URL)

    sent_back = block(response, "sent_back")
    assert "Teething myths" in sent_back and "Sent back" in sent_back
    assert "eddie:</strong> Add a source for gels." in sent_back
    assert "Teething myths" not in block(response, "draft")
    assert "Sleep regressions" in block(response, "yours_in_review")


def fill(editor, n: int) -> None:
    author = AuthorFactory(user=editor)
    for _ in range(n):
        ArticleFactory(created_by=editor, authors=[author, AuthorFactory()])
        in_review()
        scheduled()
        ArticleFactory(published=True)


@pytest.mark.parametrize("per_list", [1, 20])
def test_start_page_queries_do_not_grow_with_articles(
    client, editor, per_list, django_assert_max_num_queries
):
    fill(editor, per_list)
    client.force_login(editor)

    # Session, user, permissions, the dashboard (1 count + 5 lists), recent actions.
    with django_assert_max_num_queries(11):
        response = client.get(INDEX_URL)

    assert f"({per_list})" in block(response, "draft")


# Malformed input from staff is a message on the page, never a 500. Each check lives in
# the site's register(), so it holds for every ModelAdmin, Django's own included.

JUNK_IDS = ["abc", "99999999999999999999"]


def registered_models() -> list:
    return [model for model in apps.get_models() if admin.site.is_registered(model)]


def changelist_url(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def test_every_model_admin_and_inline_checks_what_staff_post():
    model_admins = [admin.site.get_model_admin(model) for model in registered_models()]

    assert admin.site.get_model_admin(Group) in model_admins
    for model_admin in model_admins:
        assert isinstance(model_admin, CheckedModelAdminMixin), model_admin
        for inline in model_admin.get_inline_instances(request=None):
            assert isinstance(inline, CheckedFormsMixin), inline


def test_a_model_admin_registered_later_checks_what_staff_post():
    site = NewsroomAdminSite(name="later")
    site.register(Tag)
    site.register(Category, list_display=["name"])

    assert isinstance(site.get_model_admin(Tag), CheckedModelAdminMixin)
    assert isinstance(site.get_model_admin(Category), CheckedModelAdminMixin)


@pytest.mark.parametrize("junk", JUNK_IDS)
@pytest.mark.parametrize("model", registered_models(), ids=lambda m: m._meta.label)
def test_an_action_on_a_malformed_id_asks_to_select_items(
    admin_client, admin_user, rf, model, junk
):
    request = rf.get(changelist_url(model))
    request.user = admin_user
    actions = admin.site.get_model_admin(model).get_actions(request)

    response = admin_client.post(
        changelist_url(model),
        {
            "action": next(iter(actions), "delete_selected"),
            "_selected_action": junk,
            "index": "0",
        },
        follow=True,
    )

    assert response.status_code == 200
    # An admin with no actions (the worker's task results) ignores the post.
    assert not actions or (
        "Items must be selected in order to perform actions on them"
        in response.content.decode()
    )


def test_a_malformed_id_among_real_ones_is_left_out_of_the_action(admin_client):
    tag = TagFactory(name="Teething")

    response = admin_client.post(
        changelist_url(Tag),
        {"action": "delete_selected", "_selected_action": [tag.pk, "abc"]},
    )

    assert response.status_code == 200
    assert "Are you sure you want to delete the selected tag?" in (
        response.content.decode()
    )
    assert "Teething" in response.content.decode()


@pytest.mark.parametrize("view", ["change", "delete"])
def test_an_empty_to_field_means_the_primary_key(admin_client, view):
    group = Group.objects.get(name="Writer")

    response = admin_client.get(
        reverse(f"admin:auth_group_{view}", args=[group.pk]), {"_to_field": ""}
    )

    assert response.status_code == 200
    assert "Writer" in response.content.decode()


@pytest.mark.parametrize(
    "field, junk, message",
    [
        ("category", "abc", "Select a valid choice."),
        ("category", "99999999999999999999", "Select a valid choice."),
        ("reviewed_by", "1.5", "Select a valid choice."),
        ("tags", "abc", "“abc” is not a valid value."),
        ("tags", "99999999999999999999", "is not a valid value."),
    ],
)
def test_junk_in_an_autocomplete_field_is_a_form_error(
    admin_client, field, junk, message
):
    response = admin_client.post(
        reverse("admin:articles_article_add"), {"title": "Heat rash", field: junk}
    )

    assert response.status_code == 200
    assert message in response.content.decode()


def test_junk_in_an_inline_autocomplete_field_is_a_form_error(admin_client):
    article = ArticleFactory()

    response = admin_client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        {
            "title": article.title,
            "article_authors-TOTAL_FORMS": "1",
            "article_authors-INITIAL_FORMS": "0",
            "article_authors-0-author": "abc",
        },
    )

    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/admin/cms/image/", {"tags__exact": str(2**63)}),
        ("/admin/experts/quote/", {"expert": str(2**63)}),
    ],
)
def test_a_list_filtered_by_an_id_no_key_can_hold_is_a_bad_filter_not_a_500(
    admin_client, url, params
):
    response = admin_client.get(url, params)

    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")
