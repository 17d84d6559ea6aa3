"""Authors, sections and tags: WordPress's people and terms."""

import html
from dataclasses import asdict

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.text import slugify

from ...models import (
    Author,
    Category,
    OldAddress,
    Tag,
    validate_section_slug,
)
from .. import wxr
from .records import _Record
from .report import Report
from .values import _checksum, _slug


class TermsMixin:
    """Writes authors (and their logins), sections and tags."""

    def _author(self, person: wxr.Author, record: "_Record") -> str:
        checksum = _checksum(asdict(person), self.create_users)
        author = record.target(Author)
        if author is not None and (record.unchanged(checksum) or record.adopted):
            self.authors[person.login] = author
            return "unchanged"
        slug = slugify(person.login) or slugify(person.display_name) or "author"
        if author is None and (existing := Author.objects.filter(slug=slug).first()):
            self.authors[person.login] = existing
            return record.adopt(existing, f"author {person.login}")
        fresh = author is None
        author = author or Author(slug=slug)
        author.display_name = (
            html.unescape(person.display_name).strip()
            or " ".join(p for p in (person.first_name, person.last_name) if p)
            or person.login
        )[:120]
        if self.create_users and author.user_id is None:
            author.user = self._user(person)
        author.full_clean()
        author.save()
        record.save(author.pk, checksum)
        self.authors[person.login] = author
        return "imported" if fresh else "updated"

    def _user(self, person: wxr.Author):
        """A login for the author, without a usable password: they choose one through
        "Forgotten your password?" (an address is needed for that)."""
        User = get_user_model()
        username = person.login[:150]
        if User.objects.filter(username=username).exists():
            self.report.note(
                f"author {person.login}: a login with that name exists already; "
                "it was not linked (link it on the author's page if it is theirs)."
            )
            return None
        user = User(
            username=username,
            email=person.email,
            first_name=person.first_name[:150],
            last_name=person.last_name[:150],
            is_staff=True,
        )
        user.set_unusable_password()
        user.full_clean()
        user.save()
        if writers := Group.objects.filter(name="Writer").first():
            user.groups.add(writers)
        return user

    def _section(self, term: wxr.Term, record: "_Record") -> str:
        checksum = _checksum(asdict(term))
        section = record.target(Category)
        chain = self._chain(term)
        if section is not None and (record.unchanged(checksum) or record.adopted):
            self.sections[term.slug] = section
            return "unchanged"
        parent = self.sections.get(chain[0]) if len(chain) > 1 else None
        if len(chain) > 2:
            self.report.note(
                f"section {term.slug}: nested {len(chain) - 1} deep on WordPress "
                f"({' › '.join(chain)}); sections nest one level here, so it is "
                f"under {chain[0]}."
            )
        if section is None:
            slug = _section_slug(term.slug, self.report)
            if existing := Category.objects.filter(slug=slug).first():
                self._category_address(term, chain, existing)
                self.sections[term.slug] = existing
                return record.adopt(existing, f"section {term.slug}")
        fresh = section is None
        section = section or Category(slug=slug)
        section.name = html.unescape(term.name).strip()[:80] or term.slug
        section.description = html.unescape(term.description).strip()
        if section.parent_id is None and parent is not None and parent.pk != section.pk:
            section.parent = parent
        section.full_clean()
        section.save()
        self._category_address(term, chain, section)
        record.save(section.pk, checksum)
        self.sections[term.slug] = section
        return "imported" if fresh else "updated"

    @staticmethod
    def _category_address(term: wxr.Term, chain: list[str], section: Category):
        """The category's archive, ``/category/parent/child/``, and ``/?cat=ID``."""
        paths = [f"/category/{'/'.join(chain)}/"]
        if term.id is not None:
            paths.append(f"/?cat={term.id}")
        for path in paths:
            OldAddress.objects.update_or_create(
                path=path, defaults={"category": section, "article": None}
            )

    def _chain(self, term: wxr.Term) -> list[str]:
        """The slugs from the top-level category down to ``term``."""
        parents = {
            t.slug: t.parent for t in self.export.terms if t.taxonomy == "category"
        }
        chain = [term.slug]
        while (parent := parents.get(chain[0])) and parent not in chain:
            chain.insert(0, parent)
        return chain

    def _tag(self, term: wxr.Term, record: "_Record") -> str:
        checksum = _checksum(asdict(term))
        tag = record.target(Tag)
        if tag is not None and (record.unchanged(checksum) or record.adopted):
            self.tags[term.slug] = tag
            return "unchanged"
        name = html.unescape(term.name).strip()[:60] or term.slug
        slug = _slug(term.slug, name)[:80]
        if tag is None and (
            existing := Tag.objects.filter(Q(slug=slug) | Q(name=name)).first()
        ):
            self.tags[term.slug] = existing
            return record.adopt(existing)
        fresh = tag is None
        tag = tag or Tag(slug=slug)
        tag.name = name
        tag.full_clean()
        tag.save()
        record.save(tag.pk, checksum)
        self.tags[term.slug] = tag
        return "imported" if fresh else "updated"


def _parents_first(terms: list[wxr.Term]) -> list[wxr.Term]:
    by_slug = {t.slug: t for t in terms}

    def depth(term, seen=()):
        parent = by_slug.get(term.parent)
        return (
            0
            if parent is None or parent.slug in seen
            else 1 + depth(parent, (*seen, term.slug))
        )

    return sorted(terms, key=depth)


def _section_slug(slug: str, report: Report) -> str:
    slug = _slug(slug, slug)[:80] or "section"
    try:
        validate_section_slug(slug)
    except ValidationError:
        report.note(
            f"section {slug}: /{slug}/ is one of the site's own addresses, so it is {slug}-section."
        )
        slug = f"{slug}-section"
    return slug
