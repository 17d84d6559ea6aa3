"""Responsive renditions of uploaded images, made once when the image is saved.

Each image field that readers see is registered with the presets it is shown in
(``register``). A save that changes the image (or its focal point) generates, once
the transaction commits, every rendition that does not exist yet:
several widths, each in WebP and in a JPEG (PNG for PNG and GIF sources) fallback,
through django-imagekit with its "optimistic" strategy. A request only builds URLs
from stored sizes (``picture_for``): it never opens an image or checks a file.
"""

import hashlib
import posixpath
from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.db.models.signals import post_init, post_save
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
    """What a <picture> element needs; built from stored sizes, no file access."""

    webp_srcset: str
    fallback_srcset: str
    src: str
    width: int
    height: int
    object_position: str


@dataclass(frozen=True)
class _Registration:
    presets: tuple[str, ...]
    # Names of the (x, y) focal point fields, in percent; () for none.
    focal_fields: tuple[str, ...] = ()


_registry: dict[tuple[str, str], _Registration] = {}
# Where each instance keeps what its registered images were when loaded or last saved.
_SEEN = "_cms_images_seen"


def fallback_format(name: str) -> str:
    """PNG keeps transparency and line art for PNG and GIF sources; JPEG for photos."""
    return "PNG" if name.lower().endswith((".png", ".gif")) else "JPEG"


def focal_point(field_file) -> tuple[int, int]:
    registration = _registry.get(_key(type(field_file.instance), field_file.field.name))
    if registration and registration.focal_fields:
        x, y = registration.focal_fields
        return getattr(field_file.instance, x), getattr(field_file.instance, y)
    return CENTRE


def stored_size(field_file) -> tuple[int | None, int | None]:
    field, instance = field_file.field, field_file.instance
    return (
        getattr(instance, field.width_field, None) if field.width_field else None,
        getattr(instance, field.height_field, None) if field.height_field else None,
    )


def renditions(
    field_file, preset: str, image_format: str
) -> list[tuple[int, int, ImageCacheFile]]:
    """(width, height, cache file) per width of the preset, smallest first."""
    width, height = stored_size(field_file)
    if not (field_file and width and height):
        return []
    spec = PRESETS[preset]
    focal = focal_point(field_file)
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


def picture_for(field_file, preset: str) -> Picture | None:
    """URLs and sizes of an image's renditions, or None if its size is unknown."""
    if not field_file:
        return None
    webp = renditions(field_file, preset, "WEBP")
    if not webp:
        return None
    fallback = renditions(field_file, preset, fallback_format(field_file.name))
    largest_w, largest_h, _ = fallback[-1]
    # The middle width is a fair default for browsers that ignore srcset.
    src = fallback[(len(fallback) - 1) // 2][2].url
    x, y = focal_point(field_file)
    return Picture(
        webp_srcset=_srcset(webp),
        fallback_srcset=_srcset(fallback),
        src=src,
        width=largest_w,
        height=largest_h,
        object_position="" if (x, y) == CENTRE else f"{x}% {y}%",
    )


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


def generate_for_instance(instance) -> int:
    """Make every missing rendition of the instance's images; returns how many."""
    return sum(
        generate_renditions(getattr(instance, name), registration.presets)
        for name, registration in _registrations(type(instance))
        if getattr(instance, name)
    )


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


def _registrations(model):
    label = model._meta.label_lower
    return [(name, reg) for (key, name), reg in _registry.items() if key == label]


def _on_init(sender, instance, **kwargs):
    instance.__dict__[_SEEN] = {
        name: _state(instance, name, registration)
        for name, registration in _registrations(sender)
    }


def _on_save(sender, instance, raw=False, **kwargs):
    """Make the renditions of each image that this save changed (a new file, or a new
    focal point), once the transaction commits: the file may be written only then,
    and a rolled-back save leaves no renditions behind. An unchanged image is never
    read."""
    if raw:
        return
    seen = instance.__dict__.setdefault(_SEEN, {})
    for name, registration in _registrations(sender):
        state = _state(instance, name, registration)
        if state is not None and state == seen.get(name):
            continue
        seen[name] = state
        field_file = getattr(instance, name)
        if field_file:
            transaction.on_commit(
                partial(generate_renditions, field_file, registration.presets),
                robust=True,
            )


def register(model, field_name: str, presets, focal_fields=()) -> None:
    """Generate these presets whenever a row of ``model`` is saved with a new image.

    ``focal_fields`` name the fields holding the (x, y) focal point in percent.
    """
    _registry[_key(model, field_name)] = _Registration(
        tuple(presets), tuple(focal_fields)
    )
    uid = f"cms.images.{model._meta.label_lower}"
    post_init.connect(_on_init, sender=model, dispatch_uid=uid)
    post_save.connect(_on_save, sender=model, dispatch_uid=uid)


def registered_fields():
    """(model label, field name, presets) for every registered image field."""
    return [(label, name, reg.presets) for (label, name), reg in _registry.items()]


def _key(model, field_name: str) -> tuple[str, str]:
    return model._meta.label_lower, field_name


def _srcset(items) -> str:
    return ", ".join(f"{cache_file.url} {width}w" for width, _, cache_file in items)
