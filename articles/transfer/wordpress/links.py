"""Old addresses of posts, and links between posts made references."""

import html
from urllib.parse import unquote, urlsplit

from django.db import transaction
from django.utils import timezone

from ...models import (
    Article,
    ImportedItem,
    OldAddress,
)
from ...models.imports import normalise_path
from ...services import save_article
from .. import wxr
from .values import HREF, ITEM_ERRORS, LINK, MAX_PATH, Kind, _reason


class LinksMixin:
    """Records each post's old addresses and turns links between posts into references."""

    def _post_paths(self, item: wxr.Item) -> set[str]:
        """The post's addresses on the old site: ``/?p=ID``, its permalink and GUID."""
        paths = {f"/?p={item.post_id}"}
        for url in (item.link, item.guid):
            path = self._old_path(url)
            if (
                path
                and len(path) <= MAX_PATH
                and path != "/"
                and (
                    not path.startswith("/?") or path.startswith(("/?p=", "/?page_id="))
                )
            ):
                paths.add(path)
        return paths

    def _old_addresses(self, item: wxr.Item, article: Article, notes) -> None:
        """Records the post's old addresses; one that was gone (its article deleted
        here) is its again, and one leading to another article keeps leading there
        and is noted."""
        paths = sorted({normalise_path(path) for path in self._post_paths(item)})
        OldAddress.objects.bulk_create(
            [OldAddress(path=path, article=article) for path in paths],
            ignore_conflicts=True,
        )
        OldAddress.objects.filter(
            path__in=paths, article__isnull=True, category__isnull=True
        ).update(article=article)
        elsewhere = OldAddress.objects.filter(path__in=paths).exclude(article=article)
        for path in elsewhere.values_list("path", flat=True):
            notes.append(f"its old address {path} leads to another imported article.")

    def _linked_first(self, posts: list[wxr.Item]) -> list[wxr.Item]:
        """Posts in an order where those linked to come before those linking to them
        (as far as no cycle prevents it), so most links are references at once."""
        by_id = {post.post_id: post for post in posts}
        ordered, seen = [], set()
        oldest_first = sorted(
            posts, key=lambda p: (p.date_gmt is None, p.date_gmt or 0, p.post_id)
        )
        for post in oldest_first:
            stack = [(post, False)]
            while stack:
                current, done = stack.pop()
                if done:
                    ordered.append(current)
                    continue
                if current.post_id in seen:
                    continue
                seen.add(current.post_id)
                stack.append((current, True))
                for url in HREF.findall(current.content):
                    path = self._old_path(html.unescape(url))
                    target = self.addresses.get(normalise_path(path)) if path else None
                    if target in by_id and target not in seen:
                        stack.append((by_id[target], False))
        return ordered

    def _old_path(self, url: str) -> str | None:
        """The path (with WordPress's ``?p=``) of an address on the old site."""
        parts = urlsplit(url)
        ours = parts.hostname in self.hosts if parts.netloc else url.startswith("/")
        if not ours or not parts.path:
            return None
        query = parts.query if parts.query.startswith(("p=", "page_id=")) else ""
        return unquote(parts.path) + (f"?{query}" if query else "")

    def _relink(self, body: str, article: Article) -> tuple[str, bool]:
        """``body`` with its links to other imported posts as references
        ([[article:N|words]]), which follow the article wherever it moves; and
        whether it still links to a post of this export not yet imported."""
        waiting = False

        def relink(m):
            nonlocal waiting
            path = self._old_path(m["url"])
            if path is None:
                return m[0]
            post_id = self.addresses.get(normalise_path(path))
            if post_id is not None:  # a post of this export
                target = self.articles.get(post_id)
                waiting = waiting or target is None
                target_id = target.pk if target else None
            else:  # perhaps one imported before
                old = OldAddress.objects.leading(path)
                target_id = old.article_id if old else None
            if target_id is None or target_id == article.pk:
                return m[0]
            return f"[[article:{target_id}|{m['words']}]]"

        return LINK.sub(relink, body), waiting

    def _link_between_articles(self) -> None:
        """Second pass, for posts linking to a post imported after them (a cycle)."""
        for post_id in self.waiting:
            article = self.articles[post_id]
            body, _ = self._relink(article.body, article)
            if body == article.body:
                continue
            try:
                with transaction.atomic():
                    article.body = body
                    save_article(
                        article,
                        by=None,
                        checked=True,
                        comment=lambda: "Links to other imported articles",
                    )
                    # Our own change, not an editor's (see _Record.edited_here).
                    ImportedItem.objects.filter(
                        source=self.source, kind=Kind.POST, source_id=str(post_id)
                    ).update(imported_at=timezone.now())
            except ITEM_ERRORS as error:
                self.report.note(
                    f"post {post_id}: its links to other posts stay addresses: "
                    f"{_reason(error)}"
                )
