"""Writing the records an article refers to (sections, tags, callouts, experts,
authors, quotes, library images), and the gone addresses."""

from cms.models import Image, ImageTag
from experts.models import Expert, Quote, SignOff

from ...models import (
    ArticlePath,
    Author,
    AuthorLink,
    Callout,
    Category,
    OldAddress,
    Tag,
)
from ...models.imports import normalise_path
from .reading import Item
from .report import CREATED, UNCHANGED, UPDATED, ItemError
from .writer import (
    _check,
    _free,
    _paths,
    _section_and_slug,
    _set,
    _stamp,
    _Writer,
)

PHOTO = "its photo is"  # how experts and authors use a library image (``image_id``)


class _KindWriters(_Writer):
    def section(self, item: Item):
        front = {**item.front, "old_addresses": _paths(item.front["old_addresses"])}
        section = Category.objects.filter(slug=front["slug"]).first()
        if found := self.compare("sections", section, front, item.body):
            return found
        parent = None
        if front["parent"]:
            parent = Category.objects.filter(slug=front["parent"]).first()
            if parent is None:
                raise ItemError(f"its parent section “{front['parent']}” is not here")
        created = section is None
        section = section or Category(pk=_free(Category, front["id"]))
        _set(section, "sections", front)
        section.parent, section.description = parent, item.body
        section.full_clean()
        section.save()
        self.old_addresses(front["old_addresses"], category=section)
        return (CREATED if created else UPDATED), ""

    def tag(self, item: Item):
        front = item.front
        tag = Tag.objects.filter(slug=front["slug"]).first()
        if found := self.compare("tags", tag, front, ""):
            return found
        created = tag is None
        tag = tag or Tag(pk=_free(Tag, front["id"]))
        _set(tag, "tags", front)
        tag.full_clean()
        tag.save()
        return (CREATED if created else UPDATED), ""

    def callout(self, item: Item):
        front = item.front
        callout = Callout.objects.filter(key=front["key"]).first()
        if found := self.compare("callouts", callout, front, item.body):
            return found
        created = callout is None
        callout = callout or Callout(pk=_free(Callout, front["id"]))
        _set(callout, "callouts", front)
        callout.body = item.body
        callout.full_clean()
        callout.save()
        _stamp(callout, front)
        return (CREATED if created else UPDATED), ""

    def expert(self, item: Item):
        front = {**item.front, "photo": self.image_id(item.front["photo"], PHOTO)}
        expert = Expert.objects.filter(slug=front["slug"]).first()
        if found := self.compare("experts", expert, front, item.body):
            return found
        created = expert is None
        expert = expert or Expert(pk=_free(Expert, front["id"]))
        _set(expert, "experts", front)
        expert.bio, expert.photo_id = item.body, front["photo"]
        expert.full_clean()
        expert.save()
        _stamp(expert, front)
        return (CREATED if created else UPDATED), ""

    def author(self, item: Item):
        front = {
            **item.front,
            "user": self.username(item.front["user"]),
            "photo": self.image_id(item.front["photo"], PHOTO),
        }
        author = Author.objects.filter(slug=front["slug"]).first()
        if found := self.compare("authors", author, front, item.body):
            return found
        created = author is None
        author = author or Author(pk=_free(Author, front["id"]))
        _set(author, "authors", front)
        author.bio = item.body
        author.user = self.user(front["user"])
        if (
            author.user
            and Author.objects.filter(user=author.user).exclude(pk=author.pk).exists()
        ):
            self.report.notes.append(
                f"{item.path}: the user {front['user']} is another author's login "
                "here, so this author is left without one"
            )
            author.user = None
        author.photo_id = front["photo"]
        author.full_clean()
        links = [
            AuthorLink(author=author, label=link["label"], url=link["url"], position=n)
            for n, link in enumerate(front["links"])
        ]
        for link in links:
            link.full_clean(exclude=["author"])
        author.save()
        author.links.all().delete()
        AuthorLink.objects.bulk_create(links)
        _stamp(author, front)
        return (CREATED if created else UPDATED), ""

    def quote(self, item: Item):
        front = {
            **item.front,
            "approved_recorded_by": self.username(item.front["approved_recorded_by"]),
            "sign_offs": [
                {**step, "by": self.username(step["by"])}
                for step in item.front["sign_offs"]
            ],
        }
        expert = Expert.objects.filter(slug=front["expert"]).first()
        if expert is None:
            raise ItemError(f"its expert “{front['expert']}” is not here")
        quote = self._find_quote(front, expert, item.body)
        if found := self.compare("quotes", quote, front, item.body):
            self._map_quote(front["id"], quote.pk)
            return found
        created = quote is None
        quote = quote or Quote(pk=_free(Quote, front["id"]))
        _set(quote, "quotes", front)
        quote.expert, quote.text = expert, item.body
        quote.approved_recorded_by = self.user(front["approved_recorded_by"])
        # The source site's sign-off rules applied when these were recorded: only
        # the values themselves are checked here.
        _check(quote)
        quote.save()
        have = {(s.at, s.from_status, s.to_status) for s in quote.sign_offs.all()}
        SignOff.objects.bulk_create(
            SignOff(
                quote=quote,
                at=step["at"],
                from_status=step["from"],
                to_status=step["to"],
                by=self.user(step["by"]),
                note=step["note"],
            )
            for step in front["sign_offs"]
            if (step["at"], step["from"], step["to"]) not in have
        )
        _stamp(quote, front)
        self._map_quote(front["id"], quote.pk)
        return (CREATED if created else UPDATED), ""

    def _find_quote(self, front: dict, expert: Expert, text: str) -> Quote | None:
        """The same words of the same expert with the same context, not yet taken by
        another record of this import; the one with the exported id if it is one."""
        taken = set(self.quote_ids.values())
        found = [
            quote
            for quote in Quote.objects.filter(
                expert=expert, text=text, context=front["context"]
            ).order_by("pk")
            if quote.pk not in taken
        ]
        same_id = [quote for quote in found if quote.pk == front["id"]]
        return (same_id or found or [None])[0]

    def _map_quote(self, exported: int | None, local: int) -> None:
        if exported is not None:
            self.quote_ids[exported] = local

    def image(self, item: Item):
        front = {**item.front, "uploaded_by": self.username(item.front["uploaded_by"])}
        image = self._find_image(front)
        if found := self.compare("images", image, front, ""):
            self._map_image(front["id"], image.pk)
            return found
        created = image is None
        image = image or Image(pk=_free(Image, front["id"]))
        _set(image, "images", front)
        image.file = self.media(
            front["file"], Image._meta.get_field("file"), image.file.name or ""
        )
        image.uploaded_by = self.user(front["uploaded_by"])
        image.full_clean()
        image.save()
        image.tags.set(
            [ImageTag.objects.get_or_create(name=name)[0] for name in front["tags"]]
        )
        times = {
            name: front[name]
            for name in ("uploaded_at", "modified_at")
            if front[name] is not None
        }
        if times:
            Image.objects.filter(pk=image.pk).update(**times)
        self._map_image(front["id"], image.pk)
        return (CREATED if created else UPDATED), ""

    def _find_image(self, front: dict) -> Image | None:
        """The same file with the same title, not yet taken by another record of this
        import; the one with the exported id if it is one."""
        taken = set(self.image_ids.values())
        found = [
            image
            for image in Image.objects.filter(
                file=front["file"], title=front["title"]
            ).order_by("pk")
            if image.pk not in taken
        ]
        same_id = [image for image in found if image.pk == front["id"]]
        return (same_id or found or [None])[0]

    def _map_image(self, exported: int | None, local: int) -> None:
        if exported is not None:
            self.image_ids[exported] = local

    def gone(self, item: Item):
        """Addresses that lead nowhere: recorded as gone unless one leads somewhere."""
        created = 0
        for path in item.front["article_paths"]:
            section, slug = _section_and_slug(path)
            created += ArticlePath.objects.get_or_create(
                category_slug=section, slug=slug, defaults={"article": None}
            )[1]
        for path in item.front["old_addresses"]:
            created += OldAddress.objects.get_or_create(path=normalise_path(path))[1]
        return (CREATED if created else UNCHANGED), ""
