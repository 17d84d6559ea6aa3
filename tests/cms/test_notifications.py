"""Email notifications: who is told of each workflow step and the weekly digest, who
never is, the opt-outs on each person's profile page, and failures that stay quiet."""

import logging
from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks.backends.immediate import ImmediateBackend

from articles.models import Article, ArticleTransition
from articles.notifications import announce
from articles.services import (
    article_publish,
    article_send_back,
    article_submit,
    article_transition,
)
from cms.models import NotificationSettings
from tests.factories import (
    ArticleFactory,
    ArticleSourceFactory,
    AuthorFactory,
    CategoryFactory,
    UserFactory,
)

Status = Article.Status
SITE = "https://news.example.org"
DUMMY_QUEUE = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def queued_announcements():
    """What the (dummy) queue holds for ``announce``, in order."""
    from django_tasks import default_task_backend

    return [
        result
        for result in default_task_backend.results
        if result.task.name == announce.name
    ]


@pytest.fixture(autouse=True)
def _site(settings):
    settings.CMS_SITE_URL = SITE
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def member_of(role, **kwargs):
    """A staff login in one of the newsroom's roles, with an author byline."""
    user = UserFactory(staff=True, **kwargs)
    user.groups.add(Group.objects.get(name=role))
    AuthorFactory(user=user, display_name=f"{role} {user.username}")
    return user


def turned_off(user, kind):
    NotificationSettings.objects.create(user=user, **{f"has_{kind}_emails": False})


def sent_to(address):
    return [message for message in mail.outbox if message.to == [address]]


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


@pytest.fixture
def desk(db):
    """A writer's draft in a section, two editors and a second writer."""
    writer = member_of("Writer", first_name="Wren")
    editor = member_of("Editor", first_name="Eda")
    other_editor = member_of("Editor")
    other_writer = member_of("Writer")
    article = ArticleFactory(
        title="Teething: what helps",
        category=CategoryFactory(name="Baby"),
        authors=[writer.author],
        created_by=writer,
    )
    return writer, editor, other_editor, other_writer, article


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a change as if its transaction committed (emails are queued only then)."""

    def run(change, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return change(**kwargs)

    return run


# Submitted for review -------------------------------------------------------------


def test_submitted_article_emails_every_editor_but_not_the_writer(desk, committed):
    writer, editor, other_editor, other_writer, article = desk
    committed(article_submit, article=article, by=writer, comment="Ready when you are")

    assert recipients() == sorted([editor.email, other_editor.email])
    message = sent_to(editor.email)[0]
    assert message.subject == "Submitted for review: Teething: what helps"
    change = f"{SITE}/admin/articles/article/{article.pk}/change/"
    assert change in message.body
    assert "Ready when you are" in message.body
    assert "Baby" in message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html"
    assert f'href="{change}"' in html
    assert f"{SITE}/admin/profile/" in message.body


def test_nothing_is_sent_before_the_save_commits(desk):
    writer, *_, article = desk
    article_submit(article=article, by=writer)
    assert mail.outbox == []


def test_editor_who_turned_submissions_off_is_not_emailed(desk, committed):
    writer, editor, other_editor, _, article = desk
    turned_off(editor, "submitted")
    committed(article_submit, article=article, by=writer)
    assert recipients() == [other_editor.email]


def test_inactive_editors_and_editors_without_an_address_are_not_emailed(
    desk, committed
):
    writer, editor, other_editor, _, article = desk
    editor.is_active = False
    editor.save()
    other_editor.email = ""
    other_editor.save()
    committed(article_submit, article=article, by=writer)
    assert mail.outbox == []


def test_editor_submitting_is_not_told_of_their_own_step(desk, committed):
    writer, editor, other_editor, _, article = desk
    committed(article_submit, article=article, by=editor)
    assert recipients() == [other_editor.email]


def test_an_editor_given_the_permission_twice_is_emailed_once(desk, committed):
    from django.contrib.auth.models import Permission

    writer, editor, other_editor, _, article = desk
    editor.user_permissions.add(Permission.objects.get(codename="publish_article"))
    committed(article_submit, article=article, by=writer)
    assert recipients() == sorted([editor.email, other_editor.email])


def test_a_section_naming_its_editors_has_only_them_told(desk, committed):
    writer, editor, other_editor, _, article = desk
    article.category.editors.add(editor)

    committed(article_submit, article=article, by=writer)

    assert recipients() == [editor.email]


def test_a_sub_section_naming_none_has_its_parent_section_s_editors_told(
    desk, committed
):
    writer, editor, other_editor, _, article = desk
    article.category.editors.add(other_editor)
    article.category = CategoryFactory(name="Teeth", parent=article.category)
    article.save()

    committed(article_submit, article=article, by=writer)

    assert recipients() == [other_editor.email]


def test_a_section_whose_editors_left_the_role_has_every_editor_told(desk, committed):
    writer, editor, other_editor, other_writer, article = desk
    article.category.editors.add(editor)
    editor.groups.set([Group.objects.get(name="Writer")])

    committed(article_submit, article=article, by=writer)

    assert recipients() == [other_editor.email]


def test_a_section_editor_submitting_has_the_other_editors_told(desk, committed):
    writer, editor, other_editor, _, article = desk
    article.category.editors.add(editor)

    committed(article_submit, article=article, by=editor)

    assert recipients() == [other_editor.email]


def test_a_section_offers_only_those_who_may_publish_as_its_editors(desk):
    writer, editor, other_editor, other_writer, article = desk
    admin = UserFactory(superuser=True)
    client = Client()
    client.force_login(admin)

    page = client.get(
        reverse("admin:articles_category_change", args=[article.category.pk])
    )

    assert page.status_code == 200
    offered = {
        option["value"]
        for option in BeautifulSoup(page.content, "html.parser").select(
            "select#id_editors option"
        )
    }
    assert offered == {str(editor.pk), str(other_editor.pk)}
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if name != "editors"}
    data = {key: value for key, value in data.items() if value is not None}
    response = client.post(page.request["PATH_INFO"], {**data, "editors": [editor.pk]})
    assert response.status_code == 302
    assert list(article.category.editors.all()) == [editor]
    refused = client.post(
        page.request["PATH_INFO"], {**data, "editors": [other_writer.pk]}
    )
    assert refused.status_code == 200
    assert "Select a valid choice" in refused.content.decode()


# Sent back --------------------------------------------------------------------------


def submitted(desk):
    writer, *_, article = desk
    return article_submit(article=article, by=writer)


def test_sent_back_article_emails_its_writers_with_the_comment(desk, committed):
    writer, editor, other_editor, other_writer, article = desk
    co_writer = member_of("Writer")
    article.article_authors.create(author=co_writer.author, position=1)
    article = submitted(desk)
    committed(
        article_send_back,
        article=article,
        by=editor,
        comment="Add a source for the gel advice.\nAnd shorten the intro.",
    )

    assert recipients() == sorted([writer.email, co_writer.email])
    message = sent_to(writer.email)[0]
    assert message.subject == "Sent back to you: Teething: what helps"
    assert "Add a source for the gel advice.\nAnd shorten the intro." in message.body
    assert "Eda" in message.body
    assert "Add a source for the gel advice." in message.alternatives[0][0]


def test_writer_who_turned_sent_back_off_is_not_emailed(desk, committed):
    writer, editor, *_ = desk
    turned_off(writer, "sent_back")
    committed(
        article_send_back, article=submitted(desk), by=editor, comment="Needs work."
    )
    assert mail.outbox == []


def test_draft_is_never_described_to_a_byline_login_who_may_not_see_it(desk, committed):
    """A login on the byline that the admin would not let open the article (no role
    any more, say) is not sent the draft's comment."""
    writer, editor, *_ = desk
    former = UserFactory()
    article = submitted(desk)
    article.article_authors.create(author=AuthorFactory(user=former), position=1)
    committed(article_send_back, article=article, by=editor, comment="Not yet.")
    assert recipients() == [writer.email]


# Published --------------------------------------------------------------------------


def test_published_article_emails_its_authors_not_the_editor(desk, committed):
    writer, editor, other_editor, other_writer, article = desk
    article.article_authors.create(author=editor.author, position=1)
    committed(article_publish, article=article, by=editor)

    assert recipients() == [writer.email]
    message = sent_to(writer.email)[0]
    assert message.subject == "Published: Teething: what helps"
    assert f"{SITE}{article.get_absolute_url()}" in message.body


def test_author_who_turned_published_off_is_not_emailed(desk, committed):
    writer, editor, *_, article = desk
    turned_off(writer, "published")
    committed(article_publish, article=article, by=editor)
    assert mail.outbox == []


def test_rescheduling_a_live_article_keeping_it_live_sends_nothing(desk, committed):
    writer, editor, *_, article = desk
    article = article_publish(article=article, by=editor)
    committed(
        article_transition, article=article, by=editor, to_status=Status.PUBLISHED
    )
    assert mail.outbox == []


def test_scheduled_article_is_announced_when_it_goes_live(
    desk, committed, settings, time_machine
):
    writer, editor, *_, article = desk
    settings.TASKS = DUMMY_QUEUE
    now = timezone.now()
    ten = now + timedelta(hours=2)
    committed(article_publish, article=article, by=editor, publish_at=ten)

    [queued] = queued_announcements()
    assert queued.task.run_after == ten
    assert mail.outbox == []

    time_machine.move_to(ten + timedelta(minutes=1), tick=False)
    assert announce.call(*queued.args) == 1
    assert recipients() == [writer.email]
    assert sent_to(writer.email)[0].subject == "Published: Teething: what helps"


def test_a_publication_rescheduled_is_announced_once_at_the_new_time(
    desk, committed, settings, time_machine
):
    writer, editor, *_, article = desk
    settings.TASKS = DUMMY_QUEUE
    ten = timezone.now() + timedelta(hours=2)
    article = committed(article_publish, article=article, by=editor, publish_at=ten)
    committed(
        article_publish, article=article, by=editor, publish_at=ten + timedelta(1)
    )
    first, second = queued_announcements()

    time_machine.move_to(ten + timedelta(days=2), tick=False)
    assert announce.call(*first.args) == 0
    assert announce.call(*second.args) == 1


def test_scheduled_article_unpublished_before_its_time_is_never_announced(
    desk, committed, settings, time_machine
):
    writer, editor, *_, article = desk
    settings.TASKS = DUMMY_QUEUE
    ten = timezone.now() + timedelta(hours=2)
    article = committed(article_publish, article=article, by=editor, publish_at=ten)
    article_transition(article=article, by=editor, to_status=Status.UNPUBLISHED)

    time_machine.move_to(ten + timedelta(minutes=1), tick=False)
    assert announce.call(*queued_announcements()[0].args) == 0
    assert mail.outbox == []


def test_a_queue_that_cannot_wait_says_so_and_sends_nothing_early(
    desk, committed, caplog
):
    writer, editor, *_, article = desk
    later = timezone.now() + timedelta(hours=2)
    with caplog.at_level(logging.WARNING, logger="cms.notifications"):
        committed(article_publish, article=article, by=editor, publish_at=later)
    assert mail.outbox == []
    assert "cannot wait until" in caplog.text


# Failures ---------------------------------------------------------------------------


def test_a_queue_that_fails_leaves_the_step_taken_and_is_logged(
    desk, committed, monkeypatch, caplog
):
    writer, *_, article = desk

    def broken(*args, **kwargs):
        raise ConnectionError("queue is down")

    monkeypatch.setattr(ImmediateBackend, "enqueue", broken)
    with caplog.at_level(logging.ERROR, logger="cms.notifications"):
        committed(article_submit, article=article, by=writer)

    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW
    assert ArticleTransition.objects.filter(article=article).count() == 1
    assert "Could not queue" in caplog.text
    assert mail.outbox == []


def test_a_submission_through_the_admin_survives_a_failing_queue(
    desk, monkeypatch, django_capture_on_commit_callbacks
):
    writer, *_, article = desk

    def broken(*args, **kwargs):
        raise ConnectionError("queue is down")

    monkeypatch.setattr(ImmediateBackend, "enqueue", broken)
    client = Client()
    client.force_login(writer)
    url = reverse("admin:articles_article_change", args=[article.pk])
    from tests.articles.test_workflow import change_data

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, change_data(article, action=Status.IN_REVIEW))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW


def test_a_send_that_fails_for_one_person_still_reaches_the_others(
    desk, committed, monkeypatch, caplog
):
    writer, editor, other_editor, _, article = desk
    from django.core.mail import EmailMultiAlternatives

    real_send = EmailMultiAlternatives.send

    def send(message, *args, **kwargs):
        if message.to == [editor.email]:
            raise OSError("mail server refused")
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", send)
    with caplog.at_level(logging.ERROR, logger="cms.notifications"):
        committed(article_submit, article=article, by=writer)
    assert recipients() == [other_editor.email]
    assert "Could not send the article_submitted email" in caplog.text


# The weekly digest ------------------------------------------------------------------


def test_weekly_digest_lists_reviews_due_and_stale_sources(db, settings):
    settings.CMS_SOURCE_MAX_AGE_YEARS = 3
    editor = member_of("Editor")
    writer = member_of("Writer")
    today = timezone.localdate()
    overdue = ArticleFactory(
        title="Fever in toddlers",
        published=True,
        reviewed=True,
        next_review_at=today - timedelta(days=3),
    )
    soon = ArticleFactory(
        title="Car seats by age",
        published=True,
        reviewed=True,
        next_review_at=today + timedelta(days=10),
    )
    fine = ArticleFactory(title="Reading together", published=True)
    ArticleSourceFactory(
        article=fine, title="A recent leaflet", published_on=today - timedelta(days=30)
    )
    stale = ArticleFactory(title="Sleep positions", published=True)
    ArticleSourceFactory(
        article=stale,
        title="An old survey",
        publisher="Health Board",
        published_on=date(2001, 5, 1),
    )
    gone = ArticleFactory(title="Archived piece", status=Status.UNPUBLISHED)
    ArticleSourceFactory(article=gone, published_on=date(2001, 5, 1))

    call_command("send_weekly_digest")

    assert recipients() == [editor.email]
    assert writer.email not in recipients()
    message = mail.outbox[0]
    assert message.subject == (
        "Weekly digest: 2 reviews due, 1 article with stale sources"
    )
    body = message.body
    for article in (overdue, soon, stale):
        assert article.title in body
        assert f"{SITE}/admin/articles/article/{article.pk}/change/" in body
    assert "An old survey (Health Board)" in body
    assert "Reading together" not in body
    assert "Archived piece" not in body
    assert f"{SITE}/admin/articles/article/?review=due" in body
    assert "Fever in toddlers" in message.alternatives[0][0]


def test_weekly_digest_sends_nothing_when_there_is_nothing_to_report(db):
    member_of("Editor")
    ArticleFactory(title="Reading together", published=True)
    call_command("send_weekly_digest")
    assert mail.outbox == []


def test_weekly_digest_command_fails_loudly_when_it_cannot_queue(db, monkeypatch):
    from django.core.management import CommandError

    def broken(*args, **kwargs):
        raise ConnectionError("queue is down")

    monkeypatch.setattr(ImmediateBackend, "enqueue", broken)
    with pytest.raises(CommandError, match="Could not queue the weekly digest"):
        call_command("send_weekly_digest")


def test_weekly_digest_is_not_sent_to_editors_who_turned_it_off(db):
    editor = member_of("Editor")
    turned_off(editor, "weekly_digest")
    ArticleFactory(
        published=True,
        reviewed=True,
        next_review_at=timezone.localdate() - timedelta(days=1),
    )
    call_command("send_weekly_digest")
    assert mail.outbox == []


# The profile page -------------------------------------------------------------------

PROFILE = "/admin/profile/"
SWITCHES = [
    "has_submitted_emails",
    "has_sent_back_emails",
    "has_published_emails",
    "has_weekly_digest_emails",
]


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", ["Writer", "Editor", "Site admin"])
def test_every_role_reaches_its_profile_from_the_user_tools(db, role):
    user = member_of(role)
    client = logged_in(user)
    home = client.get(reverse("admin:index"))
    assert f'href="{PROFILE}"' in home.content.decode()
    page = client.get(PROFILE)
    assert page.status_code == 200
    html = page.content.decode()
    assert user.email in html
    for name in SWITCHES:
        assert (
            BeautifulSoup(html, "html.parser")
            .find("input", {"name": name})
            .has_attr("checked")
        )


def test_profile_page_says_when_there_is_no_address(db):
    user = member_of("Writer", email="")
    html = logged_in(user).get(PROFILE).content.decode()
    assert "You have no email address" in html


def test_profile_page_turns_one_kind_off_and_keeps_the_others(db):
    user = member_of("Editor")
    client = logged_in(user)
    data = {name: "on" for name in SWITCHES if name != "has_published_emails"}
    response = client.post(PROFILE, data)
    assert response.status_code == 302
    assert response["Location"] == PROFILE
    chosen = NotificationSettings.objects.get(user=user)
    assert not chosen.has_published_emails
    assert chosen.has_submitted_emails and chosen.has_weekly_digest_emails
    page = client.get(PROFILE)
    assert "Your email settings are saved." in page.content.decode()


def test_profile_page_creates_nothing_until_saved(db):
    user = member_of("Writer")
    logged_in(user).get(PROFILE)
    assert not NotificationSettings.objects.filter(user=user).exists()


def test_anonymous_visitor_is_sent_to_sign_in(client, db):
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_login_without_a_role_cannot_reach_the_profile(db):
    user = UserFactory()
    response = logged_in(user).post(PROFILE, {})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert not NotificationSettings.objects.exists()
