"""Writing articles: every one's key planned before any is written, links rewritten
to this database's ids, and a second pass for links to articles imported later."""

import re

from cms.markdown import ARTICLE_LINK, inline_keys
from experts.models import Expert, Quote

from ...models import (
    Article,
    ArticleAuthor,
    ArticlePath,
    ArticleQuote,
    ArticleReference,
    ArticleSource,
    ArticleTransition,
    Author,
    Category,
    ListItem,
    RelatedLink,
    Tag,
)
from ...models.references import texts_changed
from ...services import save_article
from ..export import address
from .reading import Item
from .report import CREATED, UNCHANGED, UPDATED, ItemError
from .writer import (
    _all,
    _check,
    _get,
    _paths,
    _section_and_slug,
    _set,
    _Writer,
)

QUOTE_REF = re.compile(r"\[\[quote:(?P<ref>[0-9]+)\]\]")
IMAGE_REF = re.compile(r"\[\[image:(?P<ref>[0-9]+)(?:\|[^\]\n]*)?\]\]")
REVISION_COMMENT = "Imported from a Markdown export"
LINKS_COMMENT = "Imported from a Markdown export: links to other articles"


class _ArticleWriters(_Writer):
    def plan_articles(self, items: list[Item]) -> None:
        """Give every article of the export its key here before any is written, so
        each body's [[article:…]] links are rewritten once: the article's own key if
        it is here (same section and slug), else its exported id if free, else a new
        one. Ids linked to but not exported (deleted articles) keep theirs if free."""
        here = {
            (section, slug): pk
            for section, slug, pk in Article.objects.values_list(
                "category__slug", "slug", "pk"
            )
        }
        taken = set(here.values()) | {
            int(key)
            for key in ArticleReference.objects.links()
            .filter(target_article=None)
            .values_list("key", flat=True)
            if key.isdigit()
        }
        exported = {item.front["id"] for item in items} - {None}
        linked = {n for item in items for n in _linked_ids(item.front, item.body)}
        following = max(taken | exported | linked | {0}) + 1
        used: set[int] = set()

        def new_id(wanted: int | None) -> int:
            nonlocal following
            if wanted is not None and wanted not in taken and wanted not in used:
                used.add(wanted)
                return wanted
            following += 1
            return following - 1

        for item in items:
            pk = here.get((item.front["section"], item.front["slug"]))
            item.here, item.pk = pk is not None, pk
            if item.here:
                used.add(pk)
        for item in items:
            if not item.here:
                item.pk = new_id(item.front["id"])
            if item.front["id"] is not None:
                self.article_ids[item.front["id"]] = item.pk
        for n in sorted(linked - exported):
            self.article_ids[n] = new_id(n)
        self.awaited = {item.pk for item in items if not item.here}
        self.planned = {
            f"{item.front['section']}/{item.front['slug']}" for item in items
        }

    def translate_article(self, item: Item) -> dict:
        """The front matter and body in this database's ids and users."""
        front = item.front
        own = address(front["section"], front["slug"])
        return {
            **front,
            "id": item.pk,
            "hero_image": self.image_id(front["hero_image"], "its hero is"),
            "quotes": [self._quote_id(n) for n in front["quotes"]],
            "list_items": [
                {
                    **entry,
                    "text": self._rewrite(entry["text"]),
                    "image": self.image_id(entry["image"], f"its list item {n} shows"),
                }
                for n, entry in enumerate(front["list_items"], start=1)
            ],
            "deleted_links": [
                {**link, "id": self.article_ids[link["id"]]}
                for link in front["deleted_links"]
            ],
            "addresses": sorted({*front["addresses"], own}),
            "old_addresses": _paths(front["old_addresses"]),
            "created_by": self.username(front["created_by"]),
            "modified_by": self.username(front["modified_by"]),
            "history": [
                {**step, "by": self.username(step["by"])} for step in front["history"]
            ],
            "body": self._rewrite(item.body),
        }

    def _quote_id(self, exported: int) -> int:
        if exported not in self.quote_ids:
            raise ItemError(
                f"it places quote {exported}, which is not in the export or failed "
                f"to import (quotes/{exported}.md)"
            )
        return self.quote_ids[exported]

    def _rewrite(self, text: str) -> str:
        def quote(match):
            return _swap(match, self._quote_id(int(match["ref"])))

        def image(match):
            return _swap(match, self.image_id(int(match["ref"]), "it places"))

        def article(match):
            return _swap(match, self.article_ids.get(int(match["ref"])))

        text = IMAGE_REF.sub(image, QUOTE_REF.sub(quote, text))
        return ARTICLE_LINK.sub(article, text)

    def article(self, item: Item):
        front = self.translate_article(item)
        body = front.pop("body")
        article = Article.objects.filter(pk=item.pk).first() if item.here else None
        if found := self.compare("articles", article, front, body):
            if found[0] == UNCHANGED:
                # Checked in the second pass: an earlier run may have stopped before it.
                item.local, item.waiting = {**front, "body": body}, _links(front, body)
            return found
        created = article is None
        article = article or Article(pk=item.pk)
        links = self._related_links(front, waiting_ok=True)
        parts = self._article_parts(article, front, links, replace=not created)
        _set(article, "articles", front)
        article.category = _get(Category, "section", slug=front["section"])
        article.reviewed_by = (
            _get(Expert, "reviewing expert", slug=front["reviewed_by"])
            if front["reviewed_by"]
            else None
        )
        article.body, article.hero_image_id = body, front["hero_image"]
        _check(article)
        save_article(
            article,
            by=None,
            save_parts=parts,
            checked=True,
            comment=lambda: REVISION_COMMENT,
        )
        for link in front["deleted_links"]:
            ArticleReference.objects.get_or_create(
                article=article,
                key=str(link["id"]),
                callout=None,
                expert=None,
                image=None,
                defaults={"title": link["title"]},
            )
        have = set()
        if not created:
            have = {
                (t.at, t.from_status, t.to_status) for t in article.transitions.all()
            }
        ArticleTransition.objects.bulk_create(
            ArticleTransition(
                article=article,
                at=step["at"],
                from_status=step["from"],
                to_status=step["to"],
                by=self.user(step["by"]),
                comment=step["comment"],
                publish_at=step["publish_at"],
            )
            for step in front["history"]
            if (step["at"], step["from"], step["to"]) not in have
        )
        own = address(front["section"], front["slug"])  # recorded by the save
        ArticlePath.objects.record(
            (*_section_and_slug(path), article.pk)
            for path in front["addresses"]
            if path != own
        )
        self.old_addresses(front["old_addresses"], article=article)
        Article.objects.filter(pk=article.pk).update(
            updated_at=front["updated_at"], **self.stamps(front)
        )
        self.awaited.discard(article.pk)
        item.local = {**front, "body": body}
        item.waiting = None in links or bool(_linked_ids(front, body) & self.awaited)
        return (CREATED if created else UPDATED), ""

    def _article_parts(
        self, article: Article, front: dict, links: list, *, replace: bool
    ):
        """Check the parts and return what saves them once the article has its key:
        tags, bylines, quotes, list items, sources and the related links whose
        articles are here already (the others wait for the second pass)."""
        tags = _all(Tag, "tags", front["tags"])
        authors = _all(Author, "authors", front["authors"])
        quotes = Quote.objects.in_bulk(front["quotes"])
        items = []
        for n, entry in enumerate(front["list_items"]):
            list_item = ListItem(
                position=n,
                heading=entry["heading"],
                text=entry["text"],
                image_id=entry["image"],
            )
            _check(list_item, exclude=["article"])
            items.append(list_item)
        sources = []
        for n, entry in enumerate(front["sources"]):
            source = ArticleSource(position=n, **entry)
            _check(source, exclude=["article"])
            sources.append(source)
        links = [link for link in links if link is not None]

        def save_parts() -> dict:
            if replace:
                for model in (
                    ArticleAuthor,
                    ArticleQuote,
                    ListItem,
                    ArticleSource,
                    RelatedLink,
                ):
                    model.objects.filter(article=article).delete()
            article.tags.set(tags.values())
            bylines = ArticleAuthor.objects.bulk_create(
                ArticleAuthor(article=article, author=authors[slug], position=n)
                for n, slug in enumerate(front["authors"])
            )
            placed = ArticleQuote.objects.bulk_create(
                ArticleQuote(article=article, quote=quotes[pk], position=n)
                for n, pk in enumerate(front["quotes"])
            )
            for row in [*items, *sources, *links]:
                row.article = article
            for list_item in items:
                list_item.save()
            ArticleSource.objects.bulk_create(sources)
            for link in links:
                link.save()
            # List items replaced or removed: the references are synced once, at the end.
            texts_changed(article.pk, lambda: article)
            return {
                "tags": list(tags.values()),
                "article_authors": bylines,
                "article_quotes": placed,
                "list_items": items,
                "sources": sources,
                "related_links": links,
            }

        return save_parts

    def _related_links(self, front: dict, *, waiting_ok: bool) -> list:
        """The related links as rows to save; None for one whose article is in the
        export but not here yet (``waiting_ok``), an error for one nowhere."""
        rows = []
        for n, entry in enumerate(front["related_links"]):
            target = None
            if entry["article"]:
                section, _, slug = entry["article"].partition("/")
                target = Article.objects.filter(
                    category__slug=section, slug=slug
                ).first()
                if target is None:
                    if waiting_ok and entry["article"] in self.planned:
                        rows.append(None)
                        continue
                    raise ItemError(
                        f"its related link {n + 1} is to {entry['article']}, an "
                        "article neither here nor imported"
                    )
            link = RelatedLink(
                position=n,
                label=entry["label"],
                target_article=target,
                url=entry["url"],
                title=entry["title"],
            )
            _check(link, exclude=["article"])
            rows.append(link)
        return rows

    def links(self, item: Item):
        """The second pass: related links to articles imported after this one, and
        the references of its texts to them."""
        front = item.local
        article = Article.objects.get(pk=item.pk)
        wanted = self._related_links(front, waiting_ok=False)
        current = [_link_key(link) for link in article.related_links.all()]
        texts = [
            article.body_html,
            *article.list_items.values_list("text_html", flat=True),
        ]
        keys = {int(key) for text in texts for key in inline_keys(text, "article")}
        here = set(Article.objects.filter(pk__in=keys).values_list("pk", flat=True))
        have = {
            int(key)
            for key in article.body_references.links()
            .exclude(target_article=None)
            .values_list("key", flat=True)
        }
        if current == [_link_key(link) for link in wanted] and here <= have:
            return UNCHANGED, ""

        def save_parts() -> dict:
            article.related_links.all().delete()
            for link in wanted:
                link.article = article
                link.save()
            texts_changed(article.pk, lambda: article)
            return {"related_links": wanted}

        save_article(
            article,
            by=None,
            save_parts=save_parts,
            checked=True,
            comment=lambda: LINKS_COMMENT,
        )
        Article.objects.filter(pk=article.pk).update(
            **self.stamps(front, created=False)
        )
        return UPDATED, ""


def _links(front: dict, body: str) -> bool:
    """Whether the article links to other articles."""
    return any(entry["article"] for entry in front["related_links"]) or bool(
        _linked_ids(front, body)
    )


def _linked_ids(front: dict, body: str) -> set[int]:
    texts = [body, *(entry["text"] for entry in front["list_items"])]
    return {int(m["ref"]) for text in texts for m in ARTICLE_LINK.finditer(text)}


def _swap(match: re.Match, new: int | None) -> str:
    old = match["ref"]
    if new is None or str(new) == old:
        return match[0]
    start = match.start("ref") - match.start()
    return f"{match[0][:start]}{new}{match[0][start + len(old) :]}"


def _link_key(link: RelatedLink) -> tuple:
    return (link.label, link.target_article_id, link.url, link.title)
