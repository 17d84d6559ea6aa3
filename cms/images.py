"""Responsive renditions of uploaded images, made by a background worker.

Each image field that readers see is registered with the presets it is shown in
(``register``). A save that changes the image (or its focal point) queues, once the
transaction commits, one task (django-tasks: ``manage.py db_worker`` runs it) that
makes every rendition that does not exist yet: several widths, each in WebP and in a
JPEG (PNG for PNG and GIF sources) fallback, through django-imagekit. The task then
records on the row which file and focal point its renditions are for
(``<field>_renditions``), with a save that clears the pages showing it.

A request only builds URLs from stored values (``picture_for``): it never opens an
image or checks a file. Until the renditions are recorded it shows the original
(stripped of metadata on upload) at its stored size, so a page is never broken.
"""

import hashlib
import logging
import posixpath
from dataclasses import dataclass
from functools import partial

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import transaction
from django.db.models.signals import post_save
from django_tasks import task
from imagekit.cachefiles import ImageCacheFile
from imagekit.specs import ImageSpec
from PIL import Image

OPTIMISTIC = "imagekit.cachefiles.strategies.Optimistic"
CENTRE = (50, 50)


@dataclass(frozen=True)
class Preset:
    widths: tuple[int, ...]
    # width / height of the crop; None keeps the source's shape.
    ratio: float | None = None


PRESETS = {
    "hero": Preset(widths=(480, 800, 1200, 1600)),
    "card": Preset(widths=(480, 800, 1200), ratio=16 / 9),
    "item": Preset(widths=(480, 800, 1200)),
    "portrait": Preset(widths=(160, 320, 480), ratio=1.0),
}

FORMATS = {
    "WEBP": ("webp", {"quality": 80}),
    "JPEG": ("jpg", {"quality": 82, "optimize": True, "progressive": True}),
    # zlib level 6: "optimize" is several times slower for a few per cent.
    "PNG": ("png", {"compress_level": 6}),
}


def crop_box(
    width: int, height: int, ratio: float | None, focal: tuple[int, int] = CENTRE
) -> tuple[int, int, int, int]:
    """The largest box of ``ratio`` in the image, centred on the focal point
    (percentages) as far as the edges allow."""
    if ratio is None:
        return 0, 0, width, height
    crop_w, crop_h = width, height
    if width / height > ratio:
        crop_w = max(1, round(height * ratio))
    else:
        crop_h = max(1, round(width / ratio))
    left = round(width * focal[0] / 100 - crop_w / 2)
    top = round(height * focal[1] / 100 - crop_h / 2)
    left = min(max(left, 0), width - crop_w)
    top = min(max(top, 0), height - crop_h)
    return left, top, left + crop_w, top + crop_h


def scaled_size(width: int, height: int, target_width: int) -> tuple[int, int]:
    """The size of a (width × height) box scaled to target_width, never enlarged."""
    if target_width >= width:
        return width, height
    return target_width, max(1, round(height * target_width / width))


def rendition_widths(crop_width: int, widths: tuple[int, ...]) -> list[int]:
    """The preset's widths below the crop's, plus the crop itself up to the largest."""
    chosen = [w for w in widths if w < crop_width]
    top = min(crop_width, widths[-1])
    if top not in chosen:
        chosen.append(top)
    return chosen


class FocalResize:
    """pilkit processor: crop to the preset's ratio around the focal point, then scale."""

    def __init__(self, width: int, ratio: float | None, focal: tuple[int, int]):
        self.width, self.ratio, self.focal = width, ratio, focal

    def process(self, img):
        box = crop_box(img.width, img.height, self.ratio, self.focal)
        if box != (0, 0, img.width, img.height):
            img = img.crop(box)
        size = scaled_size(img.width, img.height, self.width)
        if size != img.size:
            img = img.resize(size, Image.Resampling.LANCZOS)
        return img


class Rendition(ImageSpec):
    """One width of one preset in one format, named from everything that shapes it."""

    cachefile_strategy = OPTIMISTIC

    def __init__(self, source, *, preset: str, width: int, focal, image_format: str):
        ratio = PRESETS[preset].ratio
        # The focal point changes nothing unless the preset crops.
        self.key = (preset, width, tuple(focal) if ratio else CENTRE, image_format)
        self.processors = [FocalResize(width, ratio, self.key[2])]
        self.format = image_format
        self.extension, self.options = FORMATS[image_format]
        super().__init__(source)

    def get_hash(self):
        fingerprint = repr((self.source.name, self.key, self.options))
        return hashlib.sha256(fingerprint.encode()).hexdigest()

    @property
    def cachefile_name(self):
        if not self.source:
            return None
        stem = posixpath.splitext(self.source.name)[0]
        preset, width = self.key[:2]
        return (
            f"renditions/{stem}/{preset}-{width}w-{self.get_hash()[:10]}"
            f".{self.extension}"
        )


@dataclass(frozen=True)
class Picture:
    """What a <picture> element needs; built from stored values, no file access.

    Until the renditions are ready only ``src`` (the original), its size (None when
    unknown) and ``large_src`` (the same) are set: the srcsets are empty.
    """

    webp_srcset: str
    fallback_srcset: str
    src: str
    width: int | None
    height: int | None
    object_position: str
    # The largest rendition in the fallback format: for "expand", og:image, JSON-LD,
    # feed enclosures; ``large_name`` is its storage name.
    large_src: str
    large_name: str = ""


@dataclass(frozen=True)
class _Registration:
    presets: tuple[str, ...]
    # Names of the (x, y) focal point fields, in percent; () for none.
    focal_fields: tuple[str, ...] = ()

    def ready_field(self, field_name: str) -> str:
        """The JSON field holding [file name, *focal point] whose renditions exist."""
        return f"{field_name}_renditions"


_registry: dict[tuple[str, str], _Registration] = {}
logger = logging.getLogger(__name__)


def fallback_format(name: str) -> str:
    """PNG keeps transparency and line art for PNG and GIF sources; JPEG for photos."""
    return "PNG" if name.lower().endswith((".png", ".gif")) else "JPEG"


def focal_point(field_file) -> tuple[int, int]:
    registration = _registration(field_file)
    if registration and registration.focal_fields:
        x, y = registration.focal_fields
        return getattr(field_file.instance, x), getattr(field_file.instance, y)
    return CENTRE


def ready_focal_point(field_file) -> tuple[int, int] | None:
    """The focal point this file's renditions were made for, or None while they are
    not ready. Reads only loaded values: a deferred field counts as not ready."""
    registration = _registration(field_file)
    if registration is None:
        return None
    ready = field_file.instance.__dict__.get(
        registration.ready_field(field_file.field.name)
    )
    if not ready or ready[0] != field_file.name:
        return None
    return tuple(ready[1:3]) if registration.focal_fields else CENTRE


def stored_size(field_file) -> tuple[int | None, int | None]:
    field, instance = field_file.field, field_file.instance
    return (
        getattr(instance, field.width_field, None) if field.width_field else None,
        getattr(instance, field.height_field, None) if field.height_field else None,
    )


def renditions(
    field_file, preset: str, image_format: str, focal: tuple[int, int] | None = None
) -> list[tuple[int, int, ImageCacheFile]]:
    """(width, height, cache file) per width of the preset, smallest first, cropped
    around ``focal`` (default: the image's focal point now)."""
    width, height = stored_size(field_file)
    if not (field_file and width and height):
        return []
    spec = PRESETS[preset]
    focal = focal_point(field_file) if focal is None else focal
    box = crop_box(width, height, spec.ratio, focal)
    crop_w, crop_h = box[2] - box[0], box[3] - box[1]
    result = []
    for target in rendition_widths(crop_w, spec.widths):
        generator = Rendition(
            field_file,
            preset=preset,
            width=target,
            focal=focal,
            image_format=image_format,
        )
        result.append((*scaled_size(crop_w, crop_h, target), ImageCacheFile(generator)))
    return result


def file_of(image):
    """The file of a library record (any registered model's instance), or ``image``
    as it is (a file, or None): readers pass whichever they hold."""
    meta = getattr(image, "_meta", None)
    if meta is None:
        return image
    for (label, field_name), _ in _registry.items():
        if label == meta.label_lower:
            return getattr(image, field_name)
    raise ImproperlyConfigured(f"{meta.label} has no registered image field.")


def picture_for(field_file, preset: str) -> Picture | None:
    """URLs and sizes of an image's renditions once they are ready, else of the
    original; None without an image. ``field_file`` may be a library ``Image``."""
    field_file = file_of(field_file)
    if not field_file:
        return None
    x, y = focal_point(field_file)
    position = "" if (x, y) == CENTRE else f"{x}% {y}%"
    focal = ready_focal_point(field_file)
    webp = [] if focal is None else renditions(field_file, preset, "WEBP", focal)
    if not webp:
        width, height = stored_size(field_file)
        url = field_file.url
        return Picture(
            "",
            "",
            url,
            width,
            height,
            position,
            large_src=url,
            large_name=field_file.name,
        )
    fallback = renditions(field_file, preset, fallback_format(field_file.name), focal)
    largest_w, largest_h, largest = fallback[-1]
    # The middle width is a fair default for browsers that ignore srcset.
    src = fallback[(len(fallback) - 1) // 2][2].url
    return Picture(
        webp_srcset=_srcset(webp),
        fallback_srcset=_srcset(fallback),
        src=src,
        width=largest_w,
        height=largest_h,
        object_position=position,
        large_src=largest.url,
        large_name=largest.name,
    )


def renditions_of(field_file, preset: str) -> list[dict]:
    """Every ready rendition (WebP, then the fallback format), smallest first; empty
    until the worker has made them. For the API, which lists what ``<picture>`` uses."""
    field_file = file_of(field_file)
    focal = ready_focal_point(field_file) if field_file else None
    if focal is None:
        return []
    return [
        {"url": file.url, "width": width, "height": height, "format": fmt.lower()}
        for fmt in ("WEBP", fallback_format(field_file.name))
        for width, height, file in renditions(field_file, preset, fmt, focal)
    ]


def large_url(field_file, preset: str) -> str:
    """The address to link for the full image: its largest rendition (the original
    until renditions are ready); "" without an image."""
    picture = picture_for(field_file, preset)
    return picture.large_src if picture else ""


def generate_renditions(field_file, presets) -> int:
    """Create the renditions that do not exist yet; returns how many were made."""
    made = 0
    for preset in presets:
        for image_format in ("WEBP", fallback_format(field_file.name)):
            for _, _, cache_file in renditions(field_file, preset, image_format):
                if not cache_file.storage.exists(cache_file.name):
                    cache_file.generate(force=True)
                    made += 1
    return made


def make_ready(instance, field_name: str, *, check_files: bool = False) -> int:
    """Make the missing renditions of one image of ``instance`` and record them as
    ready; returns how many were made. One already recorded is skipped, unless
    ``check_files`` (its files may have gone).

    The record is a save with ``update_fields``, so the signal handlers clear the
    stored pages and cached responses showing the image. It is written only if the
    row still holds the same image and focal point: a newer save has its own task.
    """
    registration = _registry[_key(type(instance), field_name)]
    ready_field = registration.ready_field(field_name)
    state = _state(instance, field_name, registration)
    field_file = getattr(instance, field_name)
    if not field_file or state is None:
        return 0
    is_ready = list(state) == getattr(instance, ready_field)
    if is_ready and not check_files:
        return 0
    made = generate_renditions(field_file, registration.presets)
    if is_ready:
        return made
    with transaction.atomic():
        row = (
            type(instance)
            ._base_manager.select_for_update()
            .filter(pk=instance.pk)
            .first()
        )
        if row is not None and _state(row, field_name, registration) == state:
            setattr(row, ready_field, list(state))
            row.save(update_fields=[ready_field])
    return made


@task()
def make_renditions(model_label: str, pk, field_name: str) -> None:
    """The background task: one image's renditions (``make_ready``)."""
    instance = apps.get_model(model_label)._base_manager.filter(pk=pk).first()
    if instance is not None:
        make_ready(instance, field_name)


def make_all_ready() -> int:
    """Make every missing rendition of every registered image, now; returns how many
    were made (for operators: ``manage.py generate_renditions``)."""
    made = 0
    for (label, field_name), _ in list(_registry.items()):
        model = apps.get_model(label)
        for instance in model._base_manager.exclude(**{field_name: ""}).iterator():
            made += make_ready(instance, field_name, check_files=True)
    return made


def _state(instance, field_name: str, registration: _Registration):
    """What the renditions of one image depend on, from the loaded values only (a
    deferred field is never fetched for this): None when not known."""
    names = (instance._meta.get_field(field_name).attname, *registration.focal_fields)
    if any(name not in instance.__dict__ for name in names):
        return None
    value = instance.__dict__[names[0]]
    return (
        getattr(value, "name", value) or "",
        *(instance.__dict__[n] for n in names[1:]),
    )


def _registration(field_file) -> _Registration | None:
    return _registry.get(_key(type(field_file.instance), field_file.field.name))


def _registrations(model):
    label = model._meta.label_lower
    return [(name, reg) for (key, name), reg in _registry.items() if key == label]


def _on_save(sender, instance, raw=False, **kwargs):
    """Queue the renditions of each image that this save leaves without recorded
    renditions (a new file or focal point, a restored row, or a record overwritten
    by a save of an instance loaded before the worker wrote it). Queued once the
    transaction commits: the file may be written only then, and a rolled-back save
    queues nothing. An image whose renditions are recorded is never read."""
    if raw:
        return
    for name, registration in _registrations(sender):
        state = _state(instance, name, registration)
        ready = instance.__dict__.get(registration.ready_field(name))
        if state and state[0] and list(state) != ready:
            transaction.on_commit(
                partial(_enqueue, sender._meta.label_lower, instance.pk, name),
                robust=True,
            )


def _enqueue(model_label: str, pk, field_name: str) -> None:
    """Queue one image's renditions; a queue that fails is logged, never raised: the
    save has committed and the page shows the original meanwhile."""
    try:
        make_renditions.enqueue(model_label, pk, field_name)
    except Exception:
        logger.exception(
            "Could not queue the renditions of %s %s %s (run generate_renditions)",
            model_label,
            pk,
            field_name,
        )


def register(model, field_name: str, presets, focal_fields=()) -> None:
    """Make these presets whenever a row of ``model`` is saved with a new image.

    ``focal_fields`` name the fields holding the (x, y) focal point in percent. The
    model needs a ``<field_name>_renditions`` JSONField (null) for the ready state.
    """
    registration = _Registration(tuple(presets), tuple(focal_fields))
    try:
        model._meta.get_field(registration.ready_field(field_name))
    except FieldDoesNotExist as exc:
        raise ImproperlyConfigured(
            f"{model.__name__} needs a {registration.ready_field(field_name)} field "
            "to record that the renditions of its image are ready."
        ) from exc
    _registry[_key(model, field_name)] = registration
    uid = f"cms.images.{model._meta.label_lower}"
    post_save.connect(_on_save, sender=model, dispatch_uid=uid)


def _key(model, field_name: str) -> tuple[str, str]:
    return model._meta.label_lower, field_name


def _srcset(items) -> str:
    return ", ".join(f"{cache_file.url} {width}w" for width, _, cache_file in items)
