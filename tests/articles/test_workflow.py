"""The editorial workflow through the admin, with real users in the real groups."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from articles.models import Article, ArticleAuthor, ArticleTransition, ListItem
from articles.services import article_publish, article_send_back, article_submit
from tests.articles.test_admin import (
    ADD_URL,
    CHANGELIST_URL,
    article_post_data,
    assert_saved,
    bylines,
    form_errors,
    management_form,
)
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CategoryFactory,
    ListItemFactory,
    UserFactory,
)

Status = Article.Status
LONDON = ZoneInfo("Europe/London")
TEN_AM = datetime(2030, 6, 3, 10, 0, tzinfo=LONDON)


def member_of(role, **kwargs):
    """A staff user in one of the groups the migration made, with an author byline."""
    user = UserFactory(staff=True, **kwargs)
    user.groups.add(Group.objects.get(name=role))
    AuthorFactory(user=user, display_name=f"{role} {user.username}")
    return user


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def delete_url(article):
    return reverse("admin:articles_article_delete", args=[article.pk])


def reloaded(article):
    return Article.objects.get(pk=article.pk)


def local_fields(name, value):
    """A SplitDateTime field as the admin posts it."""
    if value is None:
        return {f"{name}_0": "", f"{name}_1": ""}
    value = timezone.localtime(value)
    return {
        f"{name}_0": value.strftime("%Y-%m-%d"),
        f"{name}_1": value.strftime("%H:%M"),
    }


def change_data(article, **overrides):
    """The change form as the admin posts it, unchanged: its fields and its bylines."""
    article = reloaded(article)
    rows = list(ArticleAuthor.objects.filter(article=article))
    data = article_post_data(
        title=article.title,
        slug=article.slug,
        standfirst=article.standfirst,
        category=str(article.category_id),
        body=article.body,
        edit_version=str(article.version),
        **local_fields("expires_at", article.expires_at),
        **management_form("article_authors", len(rows), initial=len(rows)),
    )
    for index, row in enumerate(rows):
        data[f"article_authors-{index}-id"] = str(row.pk)
        data[f"article_authors-{index}-article"] = str(article.pk)
        data[f"article_authors-{index}-author"] = str(row.author_id)
        data[f"article_authors-{index}-position"] = str(row.position)
    data.update(overrides)
    return data


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def html_of(response):
    return response.content.decode()


# The role × action matrix -------------------------------------------------------
#
# Each action does one thing through the admin as `user` and returns the response
# and whether the database shows it done.


def open_add_page(client, user):
    response = client.get(ADD_URL)
    return response, response.status_code == 200


def create_article(client, user):
    response = client.post(ADD_URL, article_post_data(**bylines(user.author)))
    return response, Article.objects.filter(slug="nappy-rash").exists()


def edit(client, article):
    response = client.post(change_url(article), change_data(article, title="Edited"))
    return response, reloaded(article).title == "Edited"


def edit_own_draft(client, user):
    return edit(client, ArticleFactory(authors=[user.author]))


def edit_others_draft(client, user):
    return edit(client, ArticleFactory())


def edit_own_in_review_article(client, user):
    return edit(client, ArticleFactory(authors=[user.author], status=Status.IN_REVIEW))


def edit_published_article(client, user):
    return edit(client, ArticleFactory(authors=[user.author], published=True))


def move(client, article, to_status, **fields):
    before = reloaded(article).status
    response = client.post(
        change_url(article), change_data(article, action=to_status, **fields)
    )
    after = reloaded(article)
    return response, after, after.status != before or article.transitions.exists()


def submit_for_review(client, user):
    article = ArticleFactory(authors=[user.author])
    response, after, moved = move(client, article, Status.IN_REVIEW)
    return response, moved and after.status == Status.IN_REVIEW


def send_back(client, user):
    article = ArticleFactory(status=Status.IN_REVIEW)
    response, after, moved = move(
        client, article, Status.DRAFT, comment="Add a source for the second claim."
    )
    return response, moved and after.status == Status.DRAFT


def publish_now(client, user):
    article = ArticleFactory(authors=[user.author])
    response, after, moved = move(client, article, Status.PUBLISHED)
    return response, moved and after.is_published()


def schedule(client, user):
    article = ArticleFactory(authors=[user.author])
    publish_at = timezone.now() + timedelta(days=2)
    response, after, moved = move(
        client, article, Status.PUBLISHED, **local_fields("publish_at", publish_at)
    )
    return response, moved and after.state_label == "Scheduled"


def unpublish(client, user):
    article = ArticleFactory(authors=[user.author], published=True)
    response, after, moved = move(client, article, Status.UNPUBLISHED)
    return response, moved and after.status == Status.UNPUBLISHED


def delete(client, user):
    article = ArticleFactory(authors=[user.author])
    response = client.post(delete_url(article), {"post": "yes"})
    return response, not Article.objects.filter(pk=article.pk).exists()


ACTIONS = {
    "open the add page": open_add_page,
    "create an article": create_article,
    "edit their own draft": edit_own_draft,
    "edit another author's draft": edit_others_draft,
    "edit their own article in review": edit_own_in_review_article,
    "edit a published article": edit_published_article,
    "submit for review": submit_for_review,
    "send back": send_back,
    "publish now": publish_now,
    "schedule": schedule,
    "unpublish": unpublish,
    "delete": delete,
}
ALLOWED = {
    "Writer": {
        "open the add page",
        "create an article",
        "edit their own draft",
        "submit for review",
    },
    "Editor": set(ACTIONS),
    "Site admin": set(),
}
CELLS = [(role, action) for role in ALLOWED for action in ACTIONS]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "action"),
    [cell for cell in CELLS if cell[1] in ALLOWED[cell[0]]],
    ids=lambda value: value.replace(" ", "-"),
)
def test_role_may_do_action_through_the_admin(client, role, action):
    user = member_of(role)
    client.force_login(user)

    response, done = ACTIONS[action](client, user)

    assert response.status_code in (200, 302), form_errors(response)
    if response.request["REQUEST_METHOD"] == "POST":
        assert_saved(response)
    assert done


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "action"),
    [cell for cell in CELLS if cell[1] not in ALLOWED[cell[0]]],
    ids=lambda value: value.replace(" ", "-"),
)
def test_role_is_refused_action_through_the_admin(client, role, action):
    user = member_of(role)
    client.force_login(user)

    response, done = ACTIONS[action](client, user)

    assert not done
    if response.status_code == 302:
        # Someone else's unpublished article does not exist for them.
        assert response.url == "/admin/"
    elif response.status_code != 403:
        # Refused on the form itself: shown again, saying why.
        assert response.status_code == 200, response.status_code
        assert response.context["adminform"].form.errors
        assert "That step is not open to you" in html_of(response)


@pytest.mark.django_db
def test_refused_publish_by_a_writer_leaves_no_trace(client):
    writer = member_of("Writer")
    client.force_login(writer)
    article = ArticleFactory(authors=[writer.author], title="Mine")

    response = client.post(
        change_url(article),
        change_data(article, title="Changed on the way", action=Status.PUBLISHED),
    )

    assert response.status_code == 200
    assert "That step is not open to you" in html_of(response)
    article = reloaded(article)
    assert (article.title, article.status) == ("Mine", Status.DRAFT)
    assert not ArticleTransition.objects.exists()


@pytest.mark.django_db
def test_writer_is_not_offered_publishing_or_scheduling_on_their_draft(client):
    writer = member_of("Writer")
    client.force_login(writer)
    article = ArticleFactory(authors=[writer.author])

    form = client.get(change_url(article)).context["adminform"].form

    assert [value for value, _ in form.fields["action"].choices] == [
        "",
        Status.IN_REVIEW,
    ]


@pytest.mark.django_db
def test_writer_change_page_has_no_publication_time_or_expiry(client):
    writer = member_of("Writer")
    client.force_login(writer)
    article = ArticleFactory(authors=[writer.author])

    html = html_of(client.get(change_url(article)))

    assert 'name="publish_at_0"' not in html
    assert 'name="expires_at_0"' not in html
    assert 'name="substantive_update"' not in html


@pytest.mark.django_db
def test_writer_sees_their_article_in_review_read_only(client):
    writer = member_of("Writer")
    client.force_login(writer)
    article = ArticleFactory(authors=[writer.author], status=Status.IN_REVIEW)

    response = client.get(change_url(article))

    assert response.status_code == 200
    assert 'name="title"' not in html_of(response)
    assert "In review" in html_of(response)


@pytest.mark.django_db
def test_editor_publishes_a_writers_submitted_article(client):
    writer, editor = member_of("Writer"), member_of("Editor")
    article = ArticleFactory(authors=[writer.author])
    article_submit(article=article, by=writer)
    client.force_login(editor)

    response = client.post(
        change_url(article), change_data(article, action=Status.PUBLISHED)
    )

    assert_saved(response)
    assert reloaded(article).is_published()
    assert f"“{article.title}” is now published." in messages_of(response)


@pytest.mark.django_db
def test_send_back_without_a_comment_is_refused_on_the_form(client):
    client.force_login(member_of("Editor"))
    article = ArticleFactory(status=Status.IN_REVIEW)

    response = client.post(change_url(article), change_data(article, action="draft"))

    assert response.status_code == 200
    assert "Say what needs changing when you send it back." in html_of(response)
    assert reloaded(article).status == Status.IN_REVIEW


# Scheduling and expiry with a frozen clock -------------------------------------------


def public_pages(client, article):
    """Whether the article shows on its own page, the home page and its section."""
    detail = client.get(article.get_absolute_url())
    home = client.get(reverse("articles:home"))
    section = client.get(
        reverse("articles:category", kwargs={"slug": article.category.slug})
    )
    assert home.status_code == section.status_code == 200
    assert detail.status_code in (200, 404)
    return (
        detail.status_code == 200,
        article.title in html_of(home),
        article.title in html_of(section),
    )


@pytest.mark.django_db
def test_article_scheduled_for_ten_goes_public_at_ten_everywhere(client, time_machine):
    time_machine.move_to(TEN_AM - timedelta(hours=2), tick=False)
    editor_client = logged_in(member_of("Editor"))
    article = ArticleFactory(
        title="Weaning at six months", category=CategoryFactory(slug="baby")
    )
    response = editor_client.post(
        change_url(article),
        change_data(
            article, action=Status.PUBLISHED, **local_fields("publish_at", TEN_AM)
        ),
    )
    assert_saved(response)

    time_machine.move_to(TEN_AM - timedelta(minutes=1), tick=False)
    assert public_pages(client, article) == (False, False, False)

    time_machine.move_to(TEN_AM, tick=False)
    assert public_pages(client, article) == (True, True, True)


@pytest.mark.django_db
def test_article_expiring_at_ten_leaves_the_site_at_ten_everywhere(
    client, time_machine
):
    time_machine.move_to(TEN_AM - timedelta(hours=2), tick=False)
    editor_client = logged_in(member_of("Editor"))
    article = ArticleFactory(title="Flu clinic dates this winter")
    response = editor_client.post(
        change_url(article),
        change_data(
            article, action=Status.PUBLISHED, **local_fields("expires_at", TEN_AM)
        ),
    )
    assert_saved(response)
    assert reloaded(article).expires_at == TEN_AM

    time_machine.move_to(TEN_AM - timedelta(minutes=1), tick=False)
    assert public_pages(client, article) == (True, True, True)

    time_machine.move_to(TEN_AM, tick=False)
    assert public_pages(client, article) == (False, False, False)
    assert reloaded(article).state_label == "Expired"


def state_column(response):
    soup = BeautifulSoup(html_of(response), "html.parser")
    return {
        row.select_one("th a").get_text(strip=True): row.select_one(
            "td.field-state"
        ).get_text(strip=True)
        for row in soup.select("#result_list tbody tr")
    }


@pytest.mark.django_db
def test_changelist_shows_a_future_publication_as_scheduled(client, time_machine):
    time_machine.move_to(TEN_AM - timedelta(hours=1), tick=False)
    client.force_login(member_of("Editor"))
    ArticleFactory(title="Later", status=Status.PUBLISHED, published_at=TEN_AM)
    ArticleFactory(title="Live", published=True)
    ArticleFactory(title="Waiting", status=Status.IN_REVIEW)

    columns = state_column(client.get(CHANGELIST_URL))

    assert columns == {
        "Later": "Scheduled",
        "Live": "Published",
        "Waiting": "In review",
    }


@pytest.mark.django_db
def test_scheduled_article_shows_as_published_once_its_time_comes(client, time_machine):
    time_machine.move_to(TEN_AM - timedelta(hours=1), tick=False)
    client.force_login(member_of("Editor"))
    ArticleFactory(title="Later", status=Status.PUBLISHED, published_at=TEN_AM)

    time_machine.move_to(TEN_AM, tick=False)

    assert state_column(client.get(CHANGELIST_URL)) == {"Later": "Published"}


@pytest.mark.django_db
def test_publishing_with_an_expiry_before_the_publication_time_is_refused(client):
    client.force_login(member_of("Editor"))
    article = ArticleFactory()
    publish_at = timezone.now() + timedelta(days=2)

    response = client.post(
        change_url(article),
        change_data(
            article,
            action=Status.PUBLISHED,
            **local_fields("publish_at", publish_at),
            **local_fields("expires_at", publish_at - timedelta(days=1)),
        ),
    )

    assert response.status_code == 200
    assert "The expiry time must be after publication." in html_of(response)
    article = reloaded(article)
    assert (article.status, article.expires_at) == (Status.DRAFT, None)


@pytest.mark.django_db
def test_republishing_with_an_expiry_that_has_passed_is_refused_on_the_form(
    client, time_machine
):
    time_machine.move_to(TEN_AM, tick=False)
    client.force_login(member_of("Editor"))
    article = ArticleFactory(
        status=Status.UNPUBLISHED, published_at=TEN_AM - timedelta(days=30)
    )

    response = client.post(
        change_url(article),
        change_data(
            article,
            action=Status.PUBLISHED,
            **local_fields("expires_at", TEN_AM - timedelta(days=1)),
        ),
    )

    assert response.status_code == 200
    assert "The expiry time has passed" in html_of(response)
    assert reloaded(article).status == Status.UNPUBLISHED


@pytest.mark.django_db
def test_expired_article_is_republished_by_clearing_its_expiry(client, time_machine):
    time_machine.move_to(TEN_AM, tick=False)
    client.force_login(member_of("Editor"))
    article = ArticleFactory(
        status=Status.PUBLISHED,
        published_at=TEN_AM - timedelta(days=30),
        expires_at=TEN_AM - timedelta(days=1),
    )
    left_as_is = client.post(
        change_url(article), change_data(article, action=Status.PUBLISHED)
    )
    assert left_as_is.status_code == 200
    assert "The expiry time has passed" in html_of(left_as_is)

    cleared = client.post(
        change_url(article),
        change_data(
            article, action=Status.PUBLISHED, **local_fields("expires_at", None)
        ),
    )

    assert_saved(cleared)
    assert reloaded(article).is_published()


# Filters, facets and list actions ------------------------------------------------


def make_one_of_each_state(now):
    ArticleFactory(title="Draft A")
    ArticleFactory(title="Draft B")
    ArticleFactory(title="Waiting", status=Status.IN_REVIEW)
    ArticleFactory(
        title="Later", status=Status.PUBLISHED, published_at=now + timedelta(days=1)
    )
    ArticleFactory(title="Live", published=True)
    ArticleFactory(
        title="Gone",
        status=Status.PUBLISHED,
        published_at=now - timedelta(days=9),
        expires_at=now - timedelta(days=1),
    )
    ArticleFactory(title="Archived", published=True, status=Status.UNPUBLISHED)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("state", "titles"),
    [
        ("draft", {"Draft A", "Draft B"}),
        ("in_review", {"Waiting"}),
        ("scheduled", {"Later"}),
        ("live", {"Live"}),
        ("expired", {"Gone"}),
        ("unpublished", {"Archived"}),
    ],
)
def test_changelist_filters_by_state(client, state, titles):
    make_one_of_each_state(timezone.now())
    client.force_login(member_of("Editor"))

    response = client.get(CHANGELIST_URL, {"state": state})

    assert {article.title for article in response.context["cl"].result_list} == titles


@pytest.mark.django_db
def test_changelist_counts_articles_in_each_state_on_request(client):
    make_one_of_each_state(timezone.now())
    client.force_login(member_of("Editor"))

    # The counts are shown on "Show counts" only: every load would count the table.
    listed = client.get(CHANGELIST_URL, {"_facets": "True"})
    soup = BeautifulSoup(html_of(listed), "html.parser")

    state_filter = soup.select_one('details[data-filter-title="state"]')
    choices = [a.get_text(strip=True) for a in state_filter.select("li a")]
    assert choices == [
        "All",
        "Draft (2)",
        "Sent back (0)",
        "In review (1)",
        "Scheduled (1)",
        "Published (live) (1)",
        "Expired (1)",
        "Unpublished (1)",
    ]


def bulk(client, action, *articles):
    return client.post(
        CHANGELIST_URL,
        {
            "action": action,
            "_selected_action": [str(article.pk) for article in articles],
            "index": "0",
        },
        follow=True,
    )


@pytest.mark.django_db
def test_editor_publishes_selected_articles_from_the_list(client):
    editor = member_of("Editor")
    client.force_login(editor)
    first = ArticleFactory(status=Status.IN_REVIEW)
    second = ArticleFactory()

    response = bulk(client, "publish_selected", first, second)

    assert reloaded(first).is_published()
    assert reloaded(second).is_published()
    assert "2 article(s) published." in messages_of(response)
    assert set(ArticleTransition.objects.values_list("by", "to_status")) == {
        (editor.pk, Status.PUBLISHED)
    }


@pytest.mark.django_db
def test_editor_unpublishes_selected_articles_from_the_list(client):
    client.force_login(member_of("Editor"))
    live = ArticleFactory(published=True)

    response = bulk(client, "unpublish_selected", live)

    assert reloaded(live).status == Status.UNPUBLISHED
    assert "1 article(s) unpublished." in messages_of(response)


@pytest.mark.django_db
def test_list_action_says_which_articles_could_not_be_unpublished(client):
    client.force_login(member_of("Editor"))
    live = ArticleFactory(published=True)
    draft = ArticleFactory(title="Still a draft")

    response = bulk(client, "unpublish_selected", live, draft)

    assert reloaded(live).status == Status.UNPUBLISHED
    assert reloaded(draft).status == Status.DRAFT
    assert (
        "“Still a draft” was not unpublished: An article that is draft cannot "
        "become unpublished (archived)." in messages_of(response)
    )
    assert "1 article(s) unpublished." in messages_of(response)


@pytest.mark.django_db
def test_publishing_from_the_list_keeps_the_expiry_set_on_the_article(client):
    client.force_login(member_of("Editor"))
    expiry = timezone.now() + timedelta(days=5)
    article = ArticleFactory(expires_at=expiry)

    bulk(client, "publish_selected", article)

    assert reloaded(article).is_published()
    assert reloaded(article).expires_at == expiry


@pytest.mark.django_db
def test_publishing_a_scheduled_article_from_the_list_makes_it_live_now(client):
    client.force_login(member_of("Editor"))
    article = ArticleFactory(
        status=Status.PUBLISHED, published_at=timezone.now() + timedelta(days=3)
    )

    bulk(client, "publish_selected", article)

    assert reloaded(article).is_published()


@pytest.mark.django_db
def test_writer_is_not_offered_the_publish_and_unpublish_list_actions(client):
    client.force_login(member_of("Writer"))
    ArticleFactory()

    response = client.get(CHANGELIST_URL)

    assert response.status_code == 200
    assert "publish_selected" not in html_of(response)
    assert "unpublish_selected" not in html_of(response)


@pytest.mark.django_db
def test_writer_posting_the_publish_list_action_changes_nothing(client):
    writer = member_of("Writer")
    client.force_login(writer)
    article = ArticleFactory(authors=[writer.author])

    response = bulk(client, "publish_selected", article)

    assert response.status_code in (200, 403)
    assert reloaded(article).status == Status.DRAFT
    assert not ArticleTransition.objects.exists()


@pytest.mark.django_db
def test_editor_is_offered_the_publish_and_unpublish_list_actions(client):
    client.force_login(member_of("Editor"))
    ArticleFactory()

    choices = dict(
        client.get(CHANGELIST_URL).context["action_form"].fields["action"].choices
    )

    assert choices["publish_selected"] == "Publish selected articles now"
    assert choices["unpublish_selected"] == "Unpublish selected articles"


# Substantive updates ----------------------------------------------------------------


@pytest.fixture
def live_article_three_days_old(time_machine):
    time_machine.move_to(TEN_AM, tick=False)
    article = ArticleFactory(
        status=Status.PUBLISHED, published_at=TEN_AM - timedelta(days=3)
    )
    return reloaded(article)


@pytest.mark.django_db
def test_typo_fix_changes_modified_at_but_not_the_public_updated_date(
    client, time_machine, live_article_three_days_old
):
    article = live_article_three_days_old
    client.force_login(member_of("Editor"))
    time_machine.move_to(TEN_AM + timedelta(hours=1), tick=False)

    response = client.post(change_url(article), change_data(article, title="Fixed"))

    assert_saved(response)
    after = reloaded(article)
    assert after.modified_at == TEN_AM + timedelta(hours=1)
    assert after.updated_at is None
    assert "Updated" not in html_of(client.get(after.get_absolute_url()))


@pytest.mark.django_db
def test_substantive_update_changes_the_public_updated_date(
    client, time_machine, live_article_three_days_old
):
    article = live_article_three_days_old
    client.force_login(member_of("Editor"))
    time_machine.move_to(TEN_AM + timedelta(hours=1), tick=False)

    response = client.post(
        change_url(article),
        change_data(
            article, body="## New advice\n\nRewritten.", substantive_update="on"
        ),
    )

    assert_saved(response)
    after = reloaded(article)
    assert after.modified_at == after.updated_at == TEN_AM + timedelta(hours=1)
    page = html_of(client.get(after.get_absolute_url()))
    assert "Updated" in page
    assert date_format(TEN_AM, "j F Y") in page


@pytest.mark.django_db
def test_later_typo_fix_keeps_the_last_substantive_update_date(
    client, time_machine, live_article_three_days_old
):
    article = live_article_three_days_old
    client.force_login(member_of("Editor"))
    time_machine.move_to(TEN_AM + timedelta(hours=1), tick=False)
    assert_saved(
        client.post(change_url(article), change_data(article, substantive_update="on"))
    )
    time_machine.move_to(TEN_AM + timedelta(days=1), tick=False)

    assert_saved(client.post(change_url(article), change_data(article, title="Typo")))

    after = reloaded(article)
    assert after.updated_at == TEN_AM + timedelta(hours=1)
    assert after.modified_at == TEN_AM + timedelta(days=1)


# The record on the change page -------------------------------------------------------


def workflow_history(response):
    soup = BeautifulSoup(html_of(response), "html.parser")
    field = soup.select_one(".field-workflow_history")
    return [
        [cell.get_text(strip=True) for cell in row.select("td")]
        for row in field.select("tbody tr")
    ]


@pytest.mark.django_db
def test_change_page_shows_each_transition_who_when_from_to_and_why(
    client, time_machine
):
    time_machine.move_to(TEN_AM, tick=False)
    writer = member_of("Writer", username="wendy")
    editor = member_of("Editor", username="eddie")
    article = ArticleFactory(authors=[writer.author])
    article_submit(article=article, by=writer)
    time_machine.move_to(TEN_AM + timedelta(minutes=30), tick=False)
    article_send_back(article=article, by=editor, comment="Cite the NHS page.")
    time_machine.move_to(TEN_AM + timedelta(hours=1), tick=False)
    article_submit(article=article, by=writer)
    article_publish(article=article, by=editor)
    client.force_login(editor)

    rows = workflow_history(client.get(change_url(article)))

    assert rows == [
        ["3 Jun 2030 11:00", "eddie", "In review", "Published", ""],
        ["3 Jun 2030 11:00", "wendy", "Draft", "In review", ""],
        ["3 Jun 2030 10:30", "eddie", "In review", "Draft", "Cite the NHS page."],
        ["3 Jun 2030 10:00", "wendy", "Draft", "In review", ""],
    ]


@pytest.mark.django_db
def test_transitions_made_in_the_admin_are_recorded(client):
    editor = member_of("Editor")
    client.force_login(editor)
    article = ArticleFactory(status=Status.IN_REVIEW)

    response = client.post(
        change_url(article),
        change_data(article, action=Status.DRAFT, comment="Shorter intro, please."),
    )

    assert_saved(response)
    transition = article.transitions.get()
    assert (
        transition.from_status,
        transition.to_status,
        transition.by,
        transition.comment,
    ) == (Status.IN_REVIEW, Status.DRAFT, editor, "Shorter intro, please.")


@pytest.mark.django_db
def test_writer_sees_the_editors_comment_after_a_send_back(client):
    writer = member_of("Writer")
    editor = member_of("Editor", username="eddie")
    article = ArticleFactory(authors=[writer.author])
    article_submit(article=article, by=writer)
    editor_client = logged_in(editor)
    assert_saved(
        editor_client.post(
            change_url(article),
            change_data(article, action=Status.DRAFT, comment="Add a source, please."),
        )
    )
    client.force_login(writer)

    response = client.get(change_url(article))

    soup = BeautifulSoup(html_of(response), "html.parser")
    note = soup.select_one(".field-editor_note").get_text(" ", strip=True)
    assert "eddie sent this back: Add a source, please." in note
    assert 'name="title"' in html_of(response)  # and may edit it again


@pytest.mark.django_db
def test_editor_note_is_gone_once_the_writer_resubmits(client):
    writer, editor = member_of("Writer"), member_of("Editor")
    article = ArticleFactory(authors=[writer.author])
    article_submit(article=article, by=writer)
    article_send_back(article=article, by=editor, comment="Add a source, please.")
    article_submit(article=article, by=writer)
    client.force_login(editor)

    soup = BeautifulSoup(html_of(client.get(change_url(article))), "html.parser")

    assert "sent this back" not in soup.select_one(".field-editor_note").get_text()


@pytest.mark.django_db
def test_reopening_an_unpublished_article_shows_no_send_back_note(client):
    editor = member_of("Editor")
    article = ArticleFactory(published=True, status=Status.UNPUBLISHED)
    client.force_login(editor)
    assert_saved(
        client.post(change_url(article), change_data(article, action=Status.DRAFT))
    )

    soup = BeautifulSoup(html_of(client.get(change_url(article))), "html.parser")

    assert reloaded(article).status == Status.DRAFT
    assert "sent this back" not in soup.select_one(".field-editor_note").get_text()


# No lost edits: two people, one article ----------------------------------------------


def opened_version(response):
    assert response.status_code == 200
    return response.context["adminform"].form["edit_version"].initial


@pytest.fixture
def two_editors(db):
    first = member_of("Editor", username="alice", first_name="Alice", last_name="Ng")
    second = member_of("Editor", username="bob")
    return first, second


@pytest.mark.django_db
def test_second_save_from_an_older_version_is_refused_and_keeps_the_typing(
    two_editors, time_machine
):
    time_machine.move_to(TEN_AM, tick=False)
    alice, bob = two_editors
    article = ArticleFactory(title="Teething", published=True)
    first, second = logged_in(alice), logged_in(bob)
    first_version = opened_version(first.get(change_url(article)))
    second_version = opened_version(second.get(change_url(article)))
    time_machine.move_to(TEN_AM + timedelta(minutes=7), tick=False)

    saved = first.post(
        change_url(article),
        change_data(article, title="Teething: signs", edit_version=first_version),
    )
    refused = second.post(
        change_url(article),
        change_data(
            article, title="Bob's careful rewrite", edit_version=second_version
        ),
    )

    assert_saved(saved)
    assert refused.status_code == 200
    errors = refused.context["adminform"].form.non_field_errors()
    assert len(errors) == 1
    assert "Alice Ng saved this article at 3 June 2030, 10:07" in errors[0]
    html = html_of(refused)
    assert "Alice Ng saved this article" in html
    assert 'value="Bob&#x27;s careful rewrite"' in html
    assert reloaded(article).title == "Teething: signs"


@pytest.mark.django_db
def test_second_save_changing_only_a_byline_is_refused(two_editors):
    alice, bob = two_editors
    article = ArticleFactory(title="Colic")
    original_author = article.byline[0]
    first, second = logged_in(alice), logged_in(bob)
    first_version = opened_version(first.get(change_url(article)))
    second_version = opened_version(second.get(change_url(article)))
    assert_saved(
        first.post(
            change_url(article),
            change_data(article, title="Colic explained", edit_version=first_version),
        )
    )
    newcomer = AuthorFactory(display_name="Newcomer")

    refused = second.post(
        change_url(article),
        change_data(
            article,
            title="Colic",  # the title bob opened: he changed only the byline
            edit_version=second_version,
            **{"article_authors-0-author": str(newcomer.pk)},
        ),
    )

    assert refused.status_code == 200
    assert "Alice Ng saved this article at" in html_of(refused)
    assert reloaded(article).byline == [original_author]
    assert reloaded(article).title == "Colic explained"


@pytest.mark.django_db
def test_second_save_changing_only_a_list_item_is_refused(two_editors):
    alice, bob = two_editors
    article = ArticleFactory(title="Rashes")
    item = ListItemFactory(article=article, heading="Heat rash", position=1)
    first, second = logged_in(alice), logged_in(bob)
    first_version = opened_version(first.get(change_url(article)))
    second_version = opened_version(second.get(change_url(article)))
    item_rows = {
        **management_form("list_items", 1, initial=1),
        "list_items-0-id": str(item.pk),
        "list_items-0-article": str(article.pk),
        "list_items-0-position": "1",
        "list_items-0-image_alt": "",
        "list_items-0-text": item.text,
    }
    assert_saved(
        first.post(
            change_url(article),
            change_data(
                article,
                edit_version=first_version,
                **item_rows,
                **{"list_items-0-heading": "Prickly heat"},
            ),
        )
    )

    refused = second.post(
        change_url(article),
        change_data(
            article,
            edit_version=second_version,
            **item_rows,
            **{"list_items-0-heading": "Bob's heading"},
        ),
    )

    assert refused.status_code == 200
    assert "Alice Ng saved this article at" in html_of(refused)
    assert "Bob&#x27;s heading" in html_of(refused)
    assert ListItem.objects.get(pk=item.pk).heading == "Prickly heat"


@pytest.mark.django_db
def test_save_from_the_current_version_after_reopening_succeeds(two_editors):
    alice, bob = two_editors
    article = ArticleFactory(title="Sleep")
    first, second = logged_in(alice), logged_in(bob)
    assert_saved(
        first.post(
            change_url(article),
            change_data(
                article,
                title="Sleep basics",
                edit_version=opened_version(first.get(change_url(article))),
            ),
        )
    )

    response = second.post(
        change_url(article),
        change_data(
            article,
            title="Sleep: the basics",
            edit_version=opened_version(second.get(change_url(article))),
        ),
    )

    assert_saved(response)
    assert reloaded(article).title == "Sleep: the basics"


@pytest.mark.django_db
def test_save_started_before_a_list_action_published_the_article_is_refused(client):
    editor, other = member_of("Editor", username="alice"), member_of("Editor")
    article = ArticleFactory(title="Croup")
    client.force_login(other)
    opened = opened_version(client.get(change_url(article)))
    bulk(logged_in(editor), "publish_selected", article)

    response = client.post(
        change_url(article),
        change_data(article, title="Croup at night", edit_version=opened),
    )

    assert response.status_code == 200
    assert "alice saved this article at" in html_of(response)
    assert reloaded(article).title == "Croup"
