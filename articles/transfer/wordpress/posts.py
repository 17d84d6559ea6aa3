"""Posts become articles, through the one write path."""

from dataclasses import asdict

from django.utils import timezone
from django.utils.text import Truncator

from cms.markdown import render

from ...models import (
    Article,
    ArticleAuthor,
    ArticleTransition,
    Category,
)
from ...services import save_article
from .. import wxr
from ..markup import to_markdown
from .figures import library_figures
from .records import _Conflict, _Record
from .values import STATUSES, _checksum, _describe, _int, _plain, _slug


class PostsMixin:
    """Writes one post as an article: section, title, slug, standfirst, state."""

    def _post(self, item: wxr.Item, record: "_Record") -> str:
        name = _describe("articles", item)
        if item.status == "trash" or item.status not in STATUSES:
            self.report.note(f"{name}: {item.status} on WordPress: skipped.")
            return "skipped"
        if not _plain(item.content) and "<img" not in item.content:
            self.report.note(f"{name}: has no text: skipped.")
            return "skipped"
        thumbnail = _int(item.meta.get("_thumbnail_id"))
        checksum = _checksum(
            {k: v for k, v in asdict(item).items() if k != "comments"},
            self.files.get(thumbnail),
        )
        article = record.target(Article)
        if article is not None and record.unchanged(checksum):
            self.articles[item.post_id] = article
            return "unchanged"
        if article is not None and record.edited_here(article):
            raise _Conflict(
                "changed here since it was imported, so it was left as it is "
                f"(see its history); the export has a newer version of post {item.post_id}."
            )
        fresh = article is None
        article = article or Article()
        notes = []
        section = self._post_section(item, notes)
        converted = to_markdown(
            item.content,
            image_url=self._image_url,
            attachment=self._gallery_image,
        )
        body = library_figures(converted.markdown, self._library_image_at)
        article.body, waiting = self._relink(body, article)
        if waiting:
            self.waiting.append(item.post_id)
        words = ""
        if not (_plain(item.title) and _plain(item.excerpt)):
            # The words a reader sees, for a title or standfirst WordPress left
            # empty: those before the "more" tag, where there is one (the body's
            # render is the one its save uses).
            opening, more, _ = item.content.partition("<!--more-->")
            teaser = to_markdown(opening).markdown if more else article.body
            words = _plain(render(teaser).html)
        title = self._title(item, words, notes)
        notes += converted.problems
        article.title = title
        article.category = section
        article.slug = self._free_slug(item, title, section, article, notes)
        article.standfirst = self._standfirst(item, words)
        if not article.standfirst:  # a post of pictures alone
            article.standfirst = title
            notes.append("has no words for a standfirst: it repeats the title.")
        article.is_featured = item.sticky
        status, published_at = self._state(item, notes)
        if fresh:
            article.status, article.published_at = status, published_at
        elif article.status != status:
            notes.append(
                f"is {article.get_status_display().lower()} here and {item.status} on "
                "WordPress: its state was left as it is."
            )
        if (
            item.modified_gmt
            and published_at
            and item.modified_gmt.date() > published_at.date()
        ):
            article.updated_at = item.modified_gmt
        self._hero(article, thumbnail, notes)
        authors = [self.authors[item.creator]] if item.creator in self.authors else []
        tags = [
            self.tags[t.slug]
            for t in item.categories
            if t.taxonomy == "post_tag" and t.slug in self.tags
        ]

        def save_parts():
            article.tags.set(tags)
            if authors:
                if not fresh:
                    ArticleAuthor.objects.filter(article=article).delete()
                ArticleAuthor.objects.bulk_create(
                    ArticleAuthor(article=article, author=author, position=position)
                    for position, author in enumerate(authors)
                )

        article.full_clean()
        save_article(
            article,
            by=None,
            save_parts=save_parts,
            comment=lambda: (
                f"Imported from WordPress ({self.source}, post {item.post_id})"
            ),
            checked=True,
        )
        if fresh and status == Article.Status.PUBLISHED:
            ArticleTransition.objects.create(
                article=article,
                from_status=Article.Status.DRAFT,
                to_status=status,
                at=min(published_at, timezone.now()),
                comment=f"Imported from WordPress, where it was {item.status}.",
                publish_at=published_at,
            )
        self._old_addresses(item, article, notes)
        record.save(article.pk, checksum)
        self.articles[item.post_id] = article
        self.report.notes += [f"{name}: {note}" for note in notes]
        return "imported" if fresh else "updated"

    def _post_section(self, item: wxr.Item, notes: list[str]) -> Category:
        slugs = [
            t.slug
            for t in item.categories
            if t.taxonomy == "category" and t.slug in self.sections
        ]
        primary = _int(item.meta.get("_yoast_wp_seo_primary_category"))
        for term in self.export.terms:
            if term.id is not None and term.id == primary and term.slug in slugs:
                slugs.remove(term.slug)
                slugs.insert(0, term.slug)
        if not slugs:
            section, _ = Category.objects.get_or_create(
                slug="uncategorised", defaults={"name": "Uncategorised"}
            )
            notes.append("has no category: filed under Uncategorised.")
            return section
        if len(slugs) > 1:
            notes.append(
                f"is in {len(slugs)} categories; an article has one section here, so "
                f"it is in {self.sections[slugs[0]].slug} (also in: "
                f"{', '.join(self.sections[slug].slug for slug in slugs[1:])})."
            )
        return self.sections[slugs[0]]

    def _title(self, item: wxr.Item, text: str, notes: list[str]) -> str:
        title = _plain(item.title)
        if not title:
            words = text.split()
            title = Truncator(" ".join(words)).words(8, truncate="…") if words else ""
            title = title or f"Untitled post {item.post_id}"
            notes.append(f"has no title: it is now “{title}”.")
        limit = Article._meta.get_field("title").max_length
        if len(title) > limit:
            notes.append(f"title longer than {limit} characters: shortened.")
            title = Truncator(title).chars(limit, truncate="…")
        return title

    def _free_slug(self, item, title, section, article, notes) -> str:
        wanted = _slug(item.slug, title)[:200] or f"post-{item.post_id}"
        taken = Article.objects.filter(category=section).exclude(pk=article.pk)
        slug, n = wanted, 1
        while taken.filter(slug=slug).exists():
            n += 1
            slug = f"{wanted[: 200 - len(str(n)) - 1]}-{n}"
        if slug != wanted:
            notes.append(
                f"the address {section.slug}/{wanted}/ is taken: it is {section.slug}/{slug}/."
            )
        return slug

    def _standfirst(self, item: wxr.Item, text: str) -> str:
        limit = Article._meta.get_field("standfirst").max_length
        text = _plain(item.excerpt) or text
        return Truncator(" ".join(text.split())).chars(min(limit, 300), truncate="…")

    def _state(self, item: wxr.Item, notes: list[str]):
        when = item.date_gmt or (timezone.make_aware(item.date) if item.date else None)
        status = STATUSES[item.status]
        if item.password:
            status = Article.Status.DRAFT
            notes.append(
                "password-protected on WordPress: imported as a draft, so it stays private."
            )
        elif item.status == "private":
            notes.append("private on WordPress: imported as a draft.")
        if status == Article.Status.PUBLISHED:
            when = when or timezone.now()
            if item.status == "publish" and when > timezone.now():
                when = timezone.now()
        return status, when if status == Article.Status.PUBLISHED else None
