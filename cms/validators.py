"""Upload checks shared by every app that stores images."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


def validate_image(file) -> None:
    """Refuse anything Pillow cannot read as a real, reasonably sized raster image."""
    if file.size and file.size > settings.CMS_MAX_IMAGE_BYTES:
        limit = filesizeformat(settings.CMS_MAX_IMAGE_BYTES)
        raise ValidationError(
            f"This image is larger than {limit}. Please upload a smaller file."
        )
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        with Image.open(file) as image:
            image_format = image.format
            width, height = image.size
            image.verify()
        # verify() barely checks JPEG and GIF: decoding catches a truncated file.
        if width * height <= settings.CMS_MAX_IMAGE_PIXELS:
            file.seek(0)
            with Image.open(file) as image:
                image.load()
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
