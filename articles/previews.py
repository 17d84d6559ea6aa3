"""Signed share links: read-only previews for people without an account.

A token names the article and the state it was in; any change of state withdraws it.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.utils import timezone

from .models import Article

SALT = "articles.share-preview"


class PreviewLinkRefused(Exception):
    """A share link that must not show its article; the message says why, for readers."""

    message = "This preview link is not valid. Check that you copied all of it."

    def __str__(self):
        return self.message


class PreviewLinkInvalid(PreviewLinkRefused):
    pass


class PreviewLinkExpired(PreviewLinkRefused):
    message = "This preview link has expired. Ask the editor for a new one."


class PreviewLinkWithdrawn(PreviewLinkRefused):
    message = (
        "This preview link has been withdrawn because the article has changed since "
        "it was shared. Ask the editor for a new one."
    )


def share_link_max_age() -> int:
    """Seconds a share link stays valid (setting CMS_PREVIEW_LINK_MAX_AGE)."""
    return settings.CMS_PREVIEW_LINK_MAX_AGE


def share_link_expires_at(issued_at: datetime | None = None) -> datetime:
    return (issued_at or timezone.now()) + timedelta(seconds=share_link_max_age())


def make_share_token(article: Article) -> str:
    return signing.dumps(
        {"pk": article.pk, "status": article.status}, salt=SALT, compress=True
    )


def read_share_token(token: str) -> Article:
    """The article a token shows, ready for its page; raises PreviewLinkRefused."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=share_link_max_age())
    except signing.SignatureExpired as exc:
        raise PreviewLinkExpired from exc
    except signing.BadSignature as exc:
        raise PreviewLinkInvalid from exc
    try:
        pk, status = payload["pk"], payload["status"]
    except (KeyError, TypeError) as exc:
        raise PreviewLinkInvalid from exc
    article = Article.objects.for_page().filter(pk=pk).first()
    if article is None or article.status != status:
        raise PreviewLinkWithdrawn
    return article
