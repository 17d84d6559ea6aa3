from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError

from articles.models import Article, ArticleTransition
from articles.services import (
    allowed_transitions,
    article_publish,
    article_send_back,
    article_submit,
    article_transition,
    article_unpublish,
    can_edit,
    can_transition,
)
from tests.factories import ArticleFactory, AuthorFactory, UserFactory

Status = Article.Status
LONDON = ZoneInfo("Europe/London")
NOW = datetime(2030, 6, 1, 9, 0, tzinfo=LONDON)


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def member_of(role, **kwargs):
    user = UserFactory(staff=True, **kwargs)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def writer(db):
    user = member_of("Writer")
    AuthorFactory(user=user)
    return user


@pytest.fixture
def editor(db):
    return member_of("Editor")


@pytest.fixture
def site_admin(db):
    return member_of("Site admin")


def own_article(user, **kwargs):
    return ArticleFactory(authors=[user.author], **kwargs)


def message_of(excinfo):
    exc = excinfo.value
    return " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


def reloaded(article):
    return Article.objects.get(pk=article.pk)


# can_edit --------------------------------------------------------------------


@pytest.mark.django_db
def test_writer_can_edit_their_own_draft(writer):
    assert can_edit(writer, own_article(writer))


@pytest.mark.django_db
def test_writer_can_edit_a_draft_they_created_without_a_byline(writer):
    assert can_edit(writer, ArticleFactory(created_by=writer))


@pytest.mark.django_db
def test_writer_can_start_a_new_article(writer):
    assert can_edit(writer, Article())


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status", [Status.IN_REVIEW, Status.PUBLISHED, Status.UNPUBLISHED]
)
def test_writer_cannot_edit_their_own_article_once_it_left_draft(writer, status):
    article = own_article(writer, status=status, published_at=NOW)

    assert not can_edit(writer, article)


@pytest.mark.django_db
def test_writer_cannot_edit_another_authors_draft(writer):
    assert not can_edit(writer, ArticleFactory())


@pytest.mark.django_db
@pytest.mark.parametrize("status", list(Status))
def test_editor_can_edit_any_article_in_any_state(editor, status):
    assert can_edit(editor, ArticleFactory(status=status, published_at=NOW))


@pytest.mark.django_db
def test_site_admin_cannot_edit_articles(site_admin):
    assert not can_edit(site_admin, ArticleFactory())
    assert not can_edit(site_admin, Article())


@pytest.mark.django_db
def test_deactivated_editor_cannot_edit(editor):
    editor.is_active = False
    editor.save()

    assert not can_edit(editor, ArticleFactory())


# can_transition and allowed_transitions -------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (Status.DRAFT, {Status.IN_REVIEW}),
        (Status.IN_REVIEW, set()),
        (Status.PUBLISHED, set()),
        (Status.UNPUBLISHED, set()),
    ],
)
def test_writer_may_only_submit_their_own_draft(writer, status, expected):
    article = own_article(writer, status=status, published_at=NOW)

    assert set(allowed_transitions(writer, article)) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (Status.DRAFT, {Status.IN_REVIEW, Status.PUBLISHED}),
        (Status.IN_REVIEW, {Status.DRAFT, Status.PUBLISHED}),
        (Status.PUBLISHED, {Status.PUBLISHED, Status.UNPUBLISHED}),
        (Status.UNPUBLISHED, {Status.PUBLISHED, Status.DRAFT}),
    ],
)
def test_editor_may_make_every_workflow_move(editor, status, expected):
    article = ArticleFactory(status=status, published_at=NOW)

    assert set(allowed_transitions(editor, article)) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("status", list(Status))
def test_site_admin_may_make_no_workflow_move(site_admin, status):
    article = ArticleFactory(status=status, published_at=NOW)

    assert allowed_transitions(site_admin, article) == []


@pytest.mark.django_db
def test_writer_cannot_submit_another_authors_draft(writer):
    assert not can_transition(writer, ArticleFactory(), Status.IN_REVIEW)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("from_status", "to_status"),
    [
        (Status.DRAFT, Status.UNPUBLISHED),
        (Status.DRAFT, Status.DRAFT),
        (Status.IN_REVIEW, Status.IN_REVIEW),
        (Status.IN_REVIEW, Status.UNPUBLISHED),
        (Status.PUBLISHED, Status.DRAFT),
        (Status.PUBLISHED, Status.IN_REVIEW),
        (Status.UNPUBLISHED, Status.IN_REVIEW),
    ],
)
def test_moves_outside_the_workflow_are_not_allowed_even_for_editors(
    editor, from_status, to_status
):
    article = ArticleFactory(status=from_status, published_at=NOW)

    assert not can_transition(editor, article, to_status)


@pytest.mark.django_db
def test_deactivated_editor_cannot_publish(editor):
    editor.is_active = False
    editor.save()

    assert not can_transition(editor, ArticleFactory(), Status.PUBLISHED)


# article_submit ---------------------------------------------------------------


@pytest.mark.django_db
def test_writer_submits_their_draft_for_review(writer, frozen):
    article = own_article(writer)

    result = article_submit(article=article, by=writer, comment="Ready to go")

    assert result.status == Status.IN_REVIEW
    assert reloaded(article).status == Status.IN_REVIEW
    assert reloaded(article).modified_by == writer
    transition = ArticleTransition.objects.get(article=article)
    assert (transition.from_status, transition.to_status) == (
        Status.DRAFT,
        Status.IN_REVIEW,
    )
    assert (transition.by, transition.at, transition.comment) == (
        writer,
        NOW,
        "Ready to go",
    )
    assert transition.publish_at is None


@pytest.mark.django_db
def test_submitting_another_authors_draft_is_refused_with_a_reason(writer):
    article = ArticleFactory()

    with pytest.raises(PermissionDenied) as excinfo:
        article_submit(article=article, by=writer)

    assert "permission" in message_of(excinfo)
    assert "in review" in message_of(excinfo)
    assert reloaded(article).status == Status.DRAFT
    assert not ArticleTransition.objects.exists()


@pytest.mark.django_db
def test_submitting_an_article_already_in_review_is_refused_with_a_reason(editor):
    article = ArticleFactory(status=Status.IN_REVIEW)

    with pytest.raises(ValidationError) as excinfo:
        article_submit(article=article, by=editor)

    assert message_of(excinfo) == (
        "An article that is in review cannot become in review."
    )
    assert not ArticleTransition.objects.exists()


@pytest.mark.django_db
def test_transition_starts_from_the_saved_state_not_a_stale_copy(editor):
    article = ArticleFactory()
    stale = reloaded(article)
    article_publish(article=article, by=editor)

    with pytest.raises(ValidationError, match="published cannot become in review"):
        article_submit(article=stale, by=editor)


@pytest.mark.django_db
def test_transition_to_an_unknown_state_is_refused_with_a_reason(editor):
    article = ArticleFactory()

    with pytest.raises(ValidationError) as excinfo:
        article_transition(article=article, by=editor, to_status="deleted")

    assert "deleted" in message_of(excinfo)
    assert reloaded(article).status == Status.DRAFT


@pytest.mark.django_db
def test_every_transition_bumps_the_version(writer):
    article = own_article(writer)
    before = reloaded(article).version

    article_submit(article=article, by=writer)

    assert reloaded(article).version > before


# article_send_back --------------------------------------------------------------


@pytest.mark.django_db
def test_editor_sends_an_article_back_with_a_comment(editor, frozen):
    article = ArticleFactory(status=Status.IN_REVIEW)

    article_send_back(article=article, by=editor, comment="  Add a source.  ")

    assert reloaded(article).status == Status.DRAFT
    transition = article.transitions.get()
    assert (transition.from_status, transition.to_status) == (
        Status.IN_REVIEW,
        Status.DRAFT,
    )
    assert (transition.by, transition.at, transition.comment) == (
        editor,
        NOW,
        "Add a source.",
    )


@pytest.mark.django_db
@pytest.mark.parametrize("comment", ["", "   "])
def test_sending_back_without_a_comment_is_refused(editor, comment):
    article = ArticleFactory(status=Status.IN_REVIEW)

    with pytest.raises(ValidationError) as excinfo:
        article_send_back(article=article, by=editor, comment=comment)

    assert message_of(excinfo) == (
        "Say what needs changing when you send an article back."
    )
    assert reloaded(article).status == Status.IN_REVIEW
    assert not ArticleTransition.objects.exists()


@pytest.mark.django_db
def test_writer_cannot_send_an_article_back(writer):
    article = own_article(writer, status=Status.IN_REVIEW)

    with pytest.raises(PermissionDenied, match="permission to make this article draft"):
        article_send_back(article=article, by=writer, comment="Mine, back please")

    assert reloaded(article).status == Status.IN_REVIEW


@pytest.mark.django_db
def test_editor_reopens_an_unpublished_article_as_a_draft(editor):
    article = ArticleFactory(published=True, status=Status.UNPUBLISHED)

    article_transition(article=article, by=editor, to_status=Status.DRAFT)

    assert reloaded(article).status == Status.DRAFT


# article_publish ----------------------------------------------------------------


@pytest.mark.django_db
def test_editor_publishes_a_draft_now(editor, frozen):
    article = ArticleFactory()

    article_publish(article=article, by=editor)

    article = reloaded(article)
    assert article.status == Status.PUBLISHED
    assert article.published_at == NOW
    assert article.is_published()
    transition = article.transitions.get()
    assert (transition.from_status, transition.to_status, transition.by) == (
        Status.DRAFT,
        Status.PUBLISHED,
        editor,
    )
    assert transition.publish_at == NOW


@pytest.mark.django_db
def test_editor_publishes_an_article_in_review(editor, frozen):
    article = ArticleFactory(status=Status.IN_REVIEW)

    article_publish(article=article, by=editor, comment="Lovely")

    assert reloaded(article).is_published()
    assert article.transitions.get().comment == "Lovely"


@pytest.mark.django_db
def test_publishing_with_a_future_time_schedules(editor, frozen):
    article = ArticleFactory()
    later = NOW + timedelta(hours=1)

    article_publish(article=article, by=editor, publish_at=later)

    article = reloaded(article)
    assert article.status == Status.PUBLISHED
    assert article.published_at == later
    assert not article.is_published()
    assert article.state_label == "Scheduled"
    assert list(Article.objects.scheduled()) == [article]
    assert not Article.objects.published().exists()
    assert article.transitions.get().publish_at == later


@pytest.mark.django_db
def test_publishing_with_an_expiry_sets_it(editor, frozen):
    article = ArticleFactory()
    expiry = NOW + timedelta(days=7)

    article_publish(article=article, by=editor, expires_at=expiry)

    assert reloaded(article).expires_at == expiry


@pytest.mark.django_db
@pytest.mark.parametrize("expiry_delta", [timedelta(0), timedelta(minutes=-5)])
def test_expiry_before_publication_is_refused(editor, frozen, expiry_delta):
    article = ArticleFactory()
    publish_at = NOW + timedelta(hours=2)

    with pytest.raises(ValidationError) as excinfo:
        article_publish(
            article=article,
            by=editor,
            publish_at=publish_at,
            expires_at=publish_at + expiry_delta,
        )

    assert message_of(excinfo) == "The expiry time must be after the publication time."
    article = reloaded(article)
    assert (article.status, article.published_at, article.expires_at) == (
        Status.DRAFT,
        None,
        None,
    )
    assert not ArticleTransition.objects.exists()


@pytest.mark.django_db
def test_publishing_keeps_an_expiry_already_set_on_the_article(editor, frozen):
    expiry = NOW + timedelta(days=7)
    article = ArticleFactory(expires_at=expiry)

    article_publish(article=article, by=editor)

    assert reloaded(article).expires_at == expiry


@pytest.mark.django_db
def test_publishing_an_article_whose_expiry_has_passed_is_refused(editor, frozen):
    article = ArticleFactory(
        status=Status.PUBLISHED,
        published_at=NOW - timedelta(days=7),
        expires_at=NOW - timedelta(days=1),
    )

    with pytest.raises(ValidationError, match="expiry time has passed"):
        article_publish(article=article, by=editor)

    assert reloaded(article).state_label == "Expired"


@pytest.mark.django_db
def test_publishing_now_makes_a_scheduled_article_live_now(editor, frozen):
    article = ArticleFactory(
        status=Status.PUBLISHED, published_at=NOW + timedelta(days=1)
    )

    article_publish(article=article, by=editor)

    assert reloaded(article).published_at == NOW
    assert reloaded(article).is_published()


@pytest.mark.django_db
def test_publishing_a_live_article_again_keeps_its_publication_date(editor, frozen):
    article = ArticleFactory(published=True)
    original = reloaded(article).published_at

    article_publish(article=article, by=editor)

    assert reloaded(article).published_at == original


@pytest.mark.django_db
def test_editor_reschedules_a_scheduled_article(editor, frozen):
    article = ArticleFactory(
        status=Status.PUBLISHED, published_at=NOW + timedelta(days=1)
    )

    article_publish(article=article, by=editor, publish_at=NOW + timedelta(days=2))

    assert reloaded(article).published_at == NOW + timedelta(days=2)
    transition = article.transitions.get()
    assert (transition.from_status, transition.to_status) == (
        Status.PUBLISHED,
        Status.PUBLISHED,
    )


@pytest.mark.django_db
def test_republishing_an_unpublished_article_makes_it_live_now(editor, frozen):
    article = ArticleFactory(
        status=Status.UNPUBLISHED, published_at=NOW - timedelta(days=30)
    )

    article_publish(article=article, by=editor)

    assert reloaded(article).published_at == NOW
    assert reloaded(article).is_published()


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Status.DRAFT, Status.IN_REVIEW])
def test_writer_cannot_publish_their_own_article(writer, status):
    article = own_article(writer, status=status)

    with pytest.raises(PermissionDenied) as excinfo:
        article_publish(article=article, by=writer)

    assert message_of(excinfo) == (
        "You do not have permission to make this article published."
    )
    assert reloaded(article).status == status


@pytest.mark.django_db
def test_writer_cannot_schedule_their_own_draft(writer, frozen):
    article = own_article(writer)

    with pytest.raises(PermissionDenied):
        article_publish(article=article, by=writer, publish_at=NOW + timedelta(1))

    assert reloaded(article).published_at is None


@pytest.mark.django_db
def test_site_admin_cannot_publish(site_admin):
    article = ArticleFactory(status=Status.IN_REVIEW)

    with pytest.raises(PermissionDenied):
        article_publish(article=article, by=site_admin)

    assert reloaded(article).status == Status.IN_REVIEW


# article_unpublish ---------------------------------------------------------------


@pytest.mark.django_db
def test_editor_unpublishes_a_live_article(editor, frozen):
    article = ArticleFactory(published=True)

    article_unpublish(article=article, by=editor, comment="Out of date")

    article = reloaded(article)
    assert article.status == Status.UNPUBLISHED
    assert not article.is_published()
    assert not Article.objects.published().exists()
    transition = article.transitions.get()
    assert (transition.from_status, transition.to_status, transition.by) == (
        Status.PUBLISHED,
        Status.UNPUBLISHED,
        editor,
    )
    assert (transition.comment, transition.publish_at) == ("Out of date", None)


@pytest.mark.django_db
def test_unpublishing_a_draft_is_refused_with_a_reason(editor):
    article = ArticleFactory()

    with pytest.raises(ValidationError) as excinfo:
        article_unpublish(article=article, by=editor)

    assert message_of(excinfo) == (
        "An article that is draft cannot become unpublished (archived)."
    )
    assert reloaded(article).status == Status.DRAFT


@pytest.mark.django_db
def test_writer_cannot_unpublish_their_own_article(writer):
    article = own_article(writer, published=True)

    with pytest.raises(PermissionDenied):
        article_unpublish(article=article, by=writer)

    assert reloaded(article).is_published()


# The record -----------------------------------------------------------------------


@pytest.mark.django_db
def test_each_transition_is_recorded_newest_first(writer, editor, time_machine):
    time_machine.move_to(NOW, tick=False)
    article = own_article(writer)
    article_submit(article=article, by=writer)
    time_machine.move_to(NOW + timedelta(hours=1), tick=False)
    article_send_back(article=article, by=editor, comment="Cite the study.")
    time_machine.move_to(NOW + timedelta(hours=2), tick=False)
    article_submit(article=article, by=writer)
    time_machine.move_to(NOW + timedelta(hours=3), tick=False)
    article_publish(article=article, by=editor)

    rows = [
        (t.from_status, t.to_status, t.by, t.at, t.comment)
        for t in article.transitions.all()
    ]

    assert rows == [
        (Status.IN_REVIEW, Status.PUBLISHED, editor, NOW + timedelta(hours=3), ""),
        (Status.DRAFT, Status.IN_REVIEW, writer, NOW + timedelta(hours=2), ""),
        (
            Status.IN_REVIEW,
            Status.DRAFT,
            editor,
            NOW + timedelta(hours=1),
            "Cite the study.",
        ),
        (Status.DRAFT, Status.IN_REVIEW, writer, NOW, ""),
    ]
