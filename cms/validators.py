"""Upload checks shared by every app that stores images."""

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


def validate_image(file) -> None:
    """Refuse anything Pillow cannot read as a real, reasonably sized raster image."""
    if file.size and file.size > settings.CMS_MAX_IMAGE_BYTES:
        limit = settings.CMS_MAX_IMAGE_BYTES // (1024 * 1024)
        raise ValidationError(
            f"This image is larger than {limit} MB. Please upload a smaller file."
        )
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        with Image.open(file) as image:
            image_format = image.format
            width, height = image.size
            image.verify()
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
    ) as exc:
        raise ValidationError(
            "This file is not a valid image (JPEG, PNG, WebP or GIF)."
        ) from exc
    finally:
        file.seek(position)
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(
            f"{image_format} images are not accepted. Use JPEG, PNG, WebP or GIF."
        )
    if width * height > settings.CMS_MAX_IMAGE_PIXELS:
        raise ValidationError(
            f"This image is {width}×{height} pixels, which is too large to publish."
        )
