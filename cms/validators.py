"""The image check every way in goes through (see ``cms.uploads.accept_image``)."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
# A phone's JPEG with a second picture attached (depth map, stereo pair): its first
# picture is a plain JPEG, and only that is stored.
SAME_AS = {"MPO": "JPEG"}
ORIENTATION = 0x0112
NOT_AN_IMAGE = "This file is not a valid image (JPEG, PNG, WebP or GIF)."


@dataclass(frozen=True)
class CheckedImage:
    """What the check read: enough to store the file without opening it again."""

    format: str
    width: int
    height: int
    orientation: int
    is_animated: bool


def validate_image(file) -> CheckedImage:
    """Refuse anything but a real JPEG, PNG, WebP or GIF within the byte and pixel
    limits. Both limits are applied before any pixel is decoded (the pixel count
    comes from the header); then the first frame is decoded, which finds a truncated
    or corrupt file."""
    if not file.size:
        raise ValidationError("This file is empty.")
    if file.size > settings.CMS_MAX_IMAGE_BYTES:
        limit = filesizeformat(settings.CMS_MAX_IMAGE_BYTES)
        raise ValidationError(
            f"This image is larger than {limit}. Please upload a smaller file."
        )
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        with Image.open(file) as image:
            image_format = SAME_AS.get(image.format, image.format)
            width, height = image.size
            if image_format not in ALLOWED_FORMATS:
                raise ValidationError(
                    f"{image.format} images are not accepted. "
                    "Use JPEG, PNG, WebP or GIF."
                )
            if width * height > settings.CMS_MAX_IMAGE_PIXELS:
                raise ValidationError(
                    f"This image is {width}×{height} pixels, "
                    "which is too large to publish."
                )
            if image_format == "JPEG":
                # Decoding at an eighth of the size still reads every byte of it.
                image.draft(None, (max(1, width // 8), max(1, height // 8)))
            image.load()
            orientation = image.getexif().get(ORIENTATION, 1)
            is_animated = image.format != "MPO" and getattr(image, "is_animated", False)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # Pillow's own limit (``Image.MAX_IMAGE_PIXELS``, set from ours at start-up).
        megapixels = f"{settings.CMS_MAX_IMAGE_PIXELS / 1_000_000:g}"
        raise ValidationError(
            f"This image has more than {megapixels} million pixels, "
            "which is too large to publish."
        ) from exc
    except ValidationError:
        raise
    except Exception as exc:  # Pillow raises many kinds of error on a hostile file.
        raise ValidationError(NOT_AN_IMAGE) from exc
    finally:
        file.seek(position)
    return CheckedImage(image_format, width, height, orientation, is_animated)
