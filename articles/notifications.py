"""The article emails (cms.notifications sends them): submitted for review → the
editors, sent back → the writers with the editor's comment, published → the
writers, and the editors' weekly digest of reviews due and stale sources.

A workflow step is announced from its record, the ``ArticleTransition``, by a task
queued once the save commits; a publication set for later is checked when its time
comes. A step overtaken by a later one is not announced, and nobody is told of an
article the admin would not show them.

"The section's editors" are those a section names (``Category.editors``), or its
parent section's, or else everyone who may publish (the Editor role); each is checked
with ``can_edit`` for the article.
"""

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from cms import notifications
from cms.models import NotificationKind

from .models import Article, ArticleSource, ArticleTransition

Kind = NotificationKind
Status = Article.Status
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def kind_of(from_status: str, to_status: str) -> str | None:
    """The email a step from ``from_status`` to ``to_status`` calls for, if any."""
    if to_status == Status.IN_REVIEW:
        return Kind.SUBMITTED
    if from_status == Status.IN_REVIEW and to_status == Status.DRAFT:
        return Kind.SENT_BACK
    if to_status == Status.PUBLISHED:
        return Kind.PUBLISHED
    return None


def step_taken(transition: ArticleTransition, *, was_live: bool) -> None:
    """Queue the step's email once the save commits: a publication at its time,
    and none for an article that was live and still is."""
    kind = kind_of(transition.from_status, transition.to_status)
    if kind is None:
        return
    when = transition.publish_at
    if kind == Kind.PUBLISHED and when and when > timezone.now():
        notifications.enqueue_on_commit(announce, transition.pk, run_after=when)
    elif kind != Kind.PUBLISHED or not was_live:
        notifications.enqueue_on_commit(announce, transition.pk)


def editors():
    """Everyone who may publish (the Editor role, or the permission given alone)."""
    return get_user_model().objects.with_perm(
        "articles.publish_article", include_superusers=False, backend=MODEL_BACKEND
    )


def section_editors(article: Article, *, actor=None):
    """The editors of the article's section, else of its parent section, else every
    editor: a section whose named editors have all left the role (or who took the step
    themselves) leaves no submission unseen."""
    everyone = editors()
    others = everyone.exclude(pk=actor.pk) if actor else everyone
    category = article.category
    for section in (category, category.parent if category else None):
        if section is not None and others.filter(edited_sections=section).exists():
            return everyone.filter(edited_sections=section)
    return everyone


def writers(article: Article):
    """The logins on the article's byline, and whoever created it."""
    return get_user_model().objects.filter(
        Q(pk=article.created_by_id) | Q(author__article_bylines__article=article)
    )


def may_see(user, article: Article) -> bool:
    """Whether the admin would show ``user`` this article (the rule of its list and
    previews): a draft's details go to no one else."""
    return (
        user.is_active
        and user.is_staff
        and user.has_perm("articles.view_article")
        and Article.objects.visible_to(user).filter(pk=article.pk).exists()
    )


def audience(kind: str, article: Article, *, actor) -> list:
    """Who is told of this step: those who want ``kind`` and may see the article."""
    from .services import can_edit  # services queues this module's task

    if kind == Kind.SUBMITTED:
        people = notifications.recipients(
            section_editors(article, actor=actor), kind, actor=actor
        )
        return [user for user in people if can_edit(user, article)]
    people = notifications.recipients(writers(article), kind, actor=actor)
    return [user for user in people if may_see(user, article)]


SUBJECTS = {
    Kind.SUBMITTED: "Submitted for review: {title}",
    Kind.SENT_BACK: "Sent back to you: {title}",
    Kind.PUBLISHED: "Published: {title}",
}


@task()
def announce(transition_id: int) -> int:
    """The background task: the email of one workflow step, if the step still
    stands (no later step; a publication live at its time). Returns how many went."""
    transition = (
        ArticleTransition.objects.select_related("article__category", "by")
        .filter(pk=transition_id)
        .first()
    )
    if transition is None:
        return 0
    article = transition.article
    if ArticleTransition.objects.filter(article=article, pk__gt=transition.pk).exists():
        return 0
    kind = kind_of(transition.from_status, transition.to_status)
    if kind is None:
        return 0
    if kind == Kind.PUBLISHED and not (
        article.is_published() and article.published_at == transition.publish_at
    ):
        return 0
    people = audience(kind, article, actor=transition.by)
    context = {
        "article": article,
        "by": transition.by,
        "comment": transition.comment,
        "admin_url": admin_url(article),
        "page_url": notifications.absolute(article.get_absolute_url()),
    }
    return notifications.send(
        people,
        subject=SUBJECTS[kind].format(title=article.title),
        template=f"article_{kind}",
        context=context,
    )


def admin_url(article: Article) -> str:
    return notifications.absolute(
        reverse("admin:articles_article_change", args=[article.pk])
    )


# The weekly digest ------------------------------------------------------------------


@dataclass
class StaleSources:
    article: Article
    admin_url: str
    sources: list[ArticleSource] = field(default_factory=list)


@dataclass
class Digest:
    """What an editor is told once a week; articles that readers no longer see
    (unpublished) are left out, as in the review-due list."""

    overdue: list[tuple[Article, str]]
    due_soon: list[tuple[Article, str]]
    out_of_date: list[tuple[Article, str]]
    stale: list[StaleSources]

    @property
    def reviews_due(self) -> int:
        """Articles whose review needs attention (one may be listed for two reasons)."""
        listed = self.overdue + self.due_soon + self.out_of_date
        return len({article.pk for article, _ in listed})

    @property
    def is_empty(self) -> bool:
        return not (self.reviews_due or self.stale)

    @property
    def subject(self) -> str:
        reviews = f"{self.reviews_due} review{'s' if self.reviews_due != 1 else ''}"
        stale = len(self.stale)
        sources = f"{stale} article{'s' if stale != 1 else ''} with stale sources"
        return f"Weekly digest: {reviews} due, {sources}"


# What the digest shows of a source and its article: never their bodies.
SOURCE_FIELDS = [
    "title",
    "publisher",
    "published_on",
    "accessed_on",
    "article_id",
    "article__title",
]


def digest_for(user, today: date | None = None) -> Digest:
    """The digest of the articles ``user`` may see."""
    today = today or timezone.localdate()
    articles = (
        Article.objects.visible_to(user)
        .exclude(status=Status.UNPUBLISHED)
        .only("pk", "title", "status", "next_review_at", "reviewed_at")
    )

    def linked(queryset):
        return [(article, admin_url(article)) for article in queryset]

    stale: dict[int, StaleSources] = {}
    sources = (
        ArticleSource.objects.stale(today)
        .filter(article__in=articles.values("pk"))
        .select_related("article")
        .only(*SOURCE_FIELDS)
        .order_by("article__title", "article_id", "position", "pk")
    )
    for source in sources:
        entry = stale.setdefault(
            source.article_id, StaleSources(source.article, admin_url(source.article))
        )
        entry.sources.append(source)
    return Digest(
        overdue=linked(articles.review_overdue(today).order_by("next_review_at", "pk")),
        due_soon=linked(
            articles.review_due_soon(today).order_by("next_review_at", "pk")
        ),
        out_of_date=linked(articles.review_out_of_date().order_by("title", "pk")),
        stale=list(stale.values()),
    )


@task()
def send_weekly_digest() -> int:
    """The background task: each editor's digest, to those who want it; nobody is
    sent one with nothing in it. Returns how many went."""
    today = timezone.localdate()
    sent = 0
    changelist = reverse("admin:articles_article_changelist")
    for editor in notifications.recipients(editors(), Kind.WEEKLY_DIGEST):
        if not may_see_articles(editor):
            continue
        digest = digest_for(editor, today)
        if digest.is_empty:
            continue
        sent += notifications.send(
            [editor],
            subject=digest.subject,
            template="weekly_digest",
            context={
                "digest": digest,
                "today": today,
                "reviews_url": notifications.absolute(f"{changelist}?review=due"),
            },
        )
    return sent


def may_see_articles(user) -> bool:
    return user.is_staff and user.has_perm("articles.view_article")
