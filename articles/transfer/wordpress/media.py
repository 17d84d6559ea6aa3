"""Attachments: image files stored through the one upload check, and found again for posts."""

import hashlib
import html
import posixpath
import re
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from cms.models import Image
from cms.uploads import accept_image

from ...models import (
    Article,
)
from .. import wxr
from ..markup import Attachment
from ..markup.escaping import _url
from .records import _Record
from .values import (
    SIZED_COPY,
    _checksum,
    _plain,
    _upload_path,
)


class MediaMixin:
    """Stores attachments, and gives posts their images and hero images."""

    def _attachment(self, item: wxr.Item, record: "_Record") -> str:
        upload_path = item.meta.get("_wp_attached_file") or _upload_path(
            item.attachment_url
        )
        alt = html.unescape(item.meta.get("_wp_attachment_image_alt", "")).strip()
        caption = _plain(item.excerpt)
        self.by_upload_path[upload_path] = item.post_id
        found = self._media_file(upload_path)
        data = found.read_bytes() if found else b""
        checksum = _checksum(
            upload_path, alt, caption, hashlib.sha256(data).hexdigest()
        )
        if record.found and record.unchanged(checksum) and record.found.stored_name:
            self.files[item.post_id] = (record.found.stored_name, alt, caption)
            return "unchanged"
        if found is None:
            self.report.missing_files.append(upload_path)
            self.files[item.post_id] = ("", alt, caption)
            record.save(None, "", stored_name="")  # a later run with the file brings it
            return "skipped"
        accepted = accept_image(ContentFile(data, name=posixpath.basename(upload_path)))
        folder = posixpath.dirname(upload_path).strip("/")
        name = (
            f"imported/{folder}/{accepted.name}"
            if folder
            else f"imported/{accepted.name}"
        )
        stored = name if self.dry_run else default_storage.save(name, accepted)
        self.files[item.post_id] = (stored, alt, caption)
        if not self.dry_run:
            _library_image(
                stored,
                title=_plain(item.title) or posixpath.basename(stored),
                alt=alt,
                caption=caption,
                credit=_credit(item.meta.get("_wp_attachment_metadata", "")),
            )
        fresh = record.found is None or not record.found.stored_name
        record.save(None, checksum, stored_name=stored)
        return "imported" if fresh else "updated"

    def _media_file(self, upload_path: str) -> Path | None:
        if not self.media_dir or not upload_path:
            return None
        path = (self.media_dir / upload_path).resolve()
        root = self.media_dir.resolve()
        if root not in path.parents or not path.is_file():
            return None
        return path

    def _image_url(self, src: str) -> str | None:
        """The address of an imported image for one in a post (a resized copy, such
        as ``x-300x200.jpg``, is its original)."""
        if src.startswith(settings.MEDIA_URL):
            return src  # already ours: an attachment of a gallery or caption
        upload_path = _upload_path(src)
        post_id = self.by_upload_path.get(upload_path) or self.by_upload_path.get(
            SIZED_COPY.sub("", upload_path)
        )
        stored = self.files.get(post_id, ("",))[0] if post_id else ""
        if not stored:
            return None
        return default_storage.url(stored)

    def _library_image_at(self, url: str) -> Image | None:
        """The library image of an imported file, by the address a post shows it at."""
        if self.stored_at is None:
            self.stored_at = {
                _url(default_storage.url(stored)): stored
                for stored, _alt, _caption in self.files.values()
                if stored
            }
        stored = self.stored_at.get(url)
        # Read each time: a failed post's change to it was rolled back.
        return (
            Image.objects.filter(file=stored).order_by("pk").first() if stored else None
        )

    def _gallery_image(self, post_id: int) -> Attachment | None:
        stored, alt, caption = self.files.get(post_id, ("", "", ""))
        if not stored:
            return None
        return Attachment(url=default_storage.url(stored), alt=alt, caption=caption)

    def _hero(self, article: Article, thumbnail: int | None, notes: list[str]) -> None:
        if not thumbnail:
            return
        stored, alt, caption = self.files.get(thumbnail, ("", "", ""))
        if not stored:
            notes.append(
                f"its featured image (attachment {thumbnail}) was not imported."
            )
            return
        if not alt:
            alt = caption or Path(stored).stem.replace("-", " ")
            notes.append(
                f"its featured image has no alt text: “{alt}” is a guess to check."
            )
        if self.dry_run:
            return  # no file was stored to point at
        image = _library_image(
            stored, title=_plain(article.title), alt=alt, caption=caption
        )
        if not image.alt.strip():
            image.alt = alt[:250]
            image.save(update_fields=["alt", "modified_at"])
        article.hero_image = image


# The photographer's credit WordPress reads from the file's IPTC data, in the
# attachment's PHP-serialised metadata: ``s:6:"credit";s:9:"Jane Doe";``.
IMAGE_CREDIT = re.compile(r's:6:"credit";s:\d+:"([^"]*)";')


def _credit(metadata: str) -> str:
    found = IMAGE_CREDIT.search(metadata)
    return html.unescape(found.group(1)).strip()[:200] if found else ""


def _library_image(stored: str, *, title: str, **words) -> Image:
    """The library image of an imported file: made the first time, its words kept
    up to date with WordPress's (an empty one never clears what was written here)."""
    image = Image.objects.filter(file=stored).order_by("pk").first()
    if image is None:
        image = Image(title=title[:200])
        image.file = stored  # measured from the stored file
    changed = image.pk is None
    for key, value in words.items():
        value = value[:250]
        if value and getattr(image, key) != value:
            setattr(image, key, value)
            changed = True
    if changed:
        image.save()
    return image
