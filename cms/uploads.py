"""Every way an image comes in (admin image fields, the editor's upload, importers)
calls ``accept_image``: one check, and the file as it may be stored.

A stored original keeps its pixels, animation, transparency and colour profile, and
loses what can identify a place or a device (EXIF with GPS and camera, XMP, IPTC,
comments, text chunks). Metadata is cut out of the file's structure without decoding
it; pixels are re-encoded only when they must change (an EXIF orientation to apply,
or a size limit to fit).
"""

import io
import posixpath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from markdownx.forms import ImageForm
from PIL import Image, ImageOps, JpegImagePlugin

from .validators import NOT_AN_IMAGE, CheckedImage, validate_image

EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}


def accept_image(file, *, max_size=None, quality=None) -> SimpleUploadedFile:
    """The upload as it may be stored: checked (``ValidationError`` otherwise),
    upright, without identifying metadata, named and typed for its real format.

    ``max_size`` (width, height; 0 for no limit) shrinks a still JPEG, PNG or WebP
    to fit, re-encoded at ``quality``; GIFs and animations are never resized."""
    checked = validate_image(file)
    file.seek(0)
    data = file.read()
    file.seek(0)
    if _needs_new_pixels(checked, max_size):
        data = _reencode(data, checked, max_size, quality)
    else:
        data = _strip(data, checked)
    stem = posixpath.splitext(posixpath.basename(file.name or ""))[0] or "image"
    return SimpleUploadedFile(
        f"{stem}.{EXTENSIONS[checked.format]}",
        data,
        content_type=f"image/{checked.format.lower()}",
    )


class MarkdownImageForm(ImageForm):
    """markdownx's upload form with our check first: markdownx itself opens and
    resizes whatever it is sent."""

    def clean(self):
        upload = self.cleaned_data.get("image")
        if upload:
            options = settings.MARKDOWNX_IMAGE_MAX_SIZE
            self.cleaned_data["image"] = accept_image(
                upload, max_size=options.get("size"), quality=options.get("quality")
            )
        super().clean()  # markdownx's checks, of the real type; it returns the file
        return self.cleaned_data

    def save(self, commit=True):
        """Stores the accepted image as it is (markdownx would decode it again) and
        returns its URL."""
        image = self.cleaned_data["image"]
        folder = timezone.localdate().strftime(settings.MARKDOWNX_MEDIA_PATH)
        name = posixpath.join(folder, self.get_unique_file_name(image.name))
        return default_storage.url(default_storage.save(name, image))


def _needs_new_pixels(checked: CheckedImage, max_size) -> bool:
    # Frames are kept as they are (GIF has no orientation; an animated WebP or PNG
    # with one is too rare to be worth re-encoding every frame).
    if checked.format == "GIF" or checked.is_animated:
        return False
    if checked.orientation in range(2, 9):
        return True
    width, height = _upright_size(checked)
    bound_w, bound_h = max_size or (0, 0)
    return bool(bound_w and width > bound_w or bound_h and height > bound_h)


def _upright_size(checked: CheckedImage) -> tuple[int, int]:
    """The size once its orientation is applied (5 to 8 turn it a quarter)."""
    if checked.orientation in range(5, 9):
        return checked.height, checked.width
    return checked.width, checked.height


def _reencode(data: bytes, checked: CheckedImage, max_size, quality) -> bytes:
    """Turned upright and shrunk to fit, saved with its colour profile and nothing
    else, as close to the original's encoding as Pillow allows."""
    with Image.open(io.BytesIO(data)) as source:
        image = source
        if max_size:
            if image.mode in ("P", "1"):
                image = image.convert("RGBA")  # a palette only resizes crudely
            bound = [side or 1 << 30 for side in max_size]
            if checked.orientation in range(5, 9):
                bound.reverse()  # the bound is for the picture once turned
            # Shrunk before it is turned: a JPEG then decodes at a fraction of its size.
            image.thumbnail(bound, Image.Resampling.LANCZOS)
        image = ImageOps.exif_transpose(image)
        options = {"icc_profile": source.info.get("icc_profile")}
        if checked.format == "JPEG":
            options["progressive"] = bool(source.info.get("progressive"))
            if quality:
                options["quality"] = quality
            else:  # the original's own quantisation: as if "keep"
                options["qtables"] = source.quantization
                sampling = JpegImagePlugin.get_sampling(source)
                if sampling != -1:
                    options["subsampling"] = sampling
        elif checked.format == "WEBP":
            if b"VP8L" in _riff_kinds(data):
                options["lossless"] = True
            else:
                options["quality"] = quality or 90
        elif "transparency" in image.info and image.mode != "RGBA":
            options["transparency"] = image.info["transparency"]
        image.info = {}  # Pillow would copy a JPEG comment from it
        out = io.BytesIO()
        image.save(
            out, checked.format, **{k: v for k, v in options.items() if v is not None}
        )
    return out.getvalue()


def _strip(data: bytes, checked: CheckedImage) -> bytes:
    """The file without its metadata, every other byte as it was; refused if its
    structure cannot be followed."""
    try:
        stripped = STRIPPERS[checked.format](data)
        with Image.open(io.BytesIO(stripped)) as image:
            same = (image.width, image.height) == (checked.width, checked.height)
    except Exception as exc:
        raise ValidationError(NOT_AN_IMAGE) from exc
    if not same:
        raise ValidationError(NOT_AN_IMAGE)
    return stripped


def _strip_jpeg(data: bytes) -> bytes:
    """Keeps the picture's segments, JFIF (without its thumbnail), the ICC profile
    and Adobe's colour transform; ends at the first picture's end."""
    if data[:2] != b"\xff\xd8":
        raise ValueError("not a JPEG")
    out, pos = [data[:2]], 2
    while pos < len(data):
        if data[pos] != 0xFF:
            raise ValueError(f"no marker at {pos}")
        while data[pos] == 0xFF:  # fill bytes
            pos += 1
        marker = data[pos]
        pos += 1
        if marker == 0xD9:  # end of image
            break
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            out.append(bytes((0xFF, marker)))
            continue
        length = int.from_bytes(data[pos : pos + 2], "big")
        payload = data[pos + 2 : pos + length]
        if len(payload) != length - 2 or length < 2:
            raise ValueError("truncated segment")
        pos += length
        payload = _jpeg_segment_kept(marker, payload)
        if payload is not None:
            out.append(bytes((0xFF, marker)) + (len(payload) + 2).to_bytes(2, "big"))
            out.append(payload)
        if marker == 0xDA:  # a scan: its coded data runs to the next real marker
            end = pos
            while (end := data.find(b"\xff", end)) != -1 and end + 1 < len(data):
                if data[end + 1] == 0 or 0xD0 <= data[end + 1] <= 0xD7:
                    end += 2
                else:
                    break
            end = len(data) if end == -1 or end + 1 >= len(data) else end
            out.append(data[pos:end])
            pos = end
    out.append(b"\xff\xd9")
    return b"".join(out)


def _jpeg_segment_kept(marker: int, payload: bytes) -> bytes | None:
    if marker == 0xE0:  # JFIF: keep its version and density, drop its thumbnail
        return payload[:12] + b"\0\0" if payload[:5] == b"JFIF\0" else None
    if marker == 0xE2:
        return payload if payload.startswith(b"ICC_PROFILE\0") else None
    if marker == 0xEE:
        return payload if payload.startswith(b"Adobe") else None
    if 0xE1 <= marker <= 0xEF or marker == 0xFE:  # EXIF, XMP, IPTC… and comments
        return None
    return payload


# Critical chunks, transparency, colour, physical size and animation.
PNG_KEPT = {
    *(b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"bKGD", b"hIST", b"pHYs"),
    *(b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT", b"cICP", b"mDCv", b"cLLi"),
    *(b"acTL", b"fcTL", b"fdAT"),
}


def _strip_png(data: bytes) -> bytes:
    """Keeps only the chunks that shape the picture (no text, eXIf or time)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    out, pos = [data[:8]], 8
    while pos < len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind, end = data[pos + 4 : pos + 8], pos + 12 + length
        if end > len(data):
            raise ValueError("truncated chunk")
        if kind in PNG_KEPT:
            out.append(data[pos:end])
        pos = end
        if kind == b"IEND":
            break
    return b"".join(out)


WEBP_KEPT = {b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF", b"ICCP"}


def _riff_chunks(data: bytes):
    """(kind, whole chunk with its padding) for each chunk of a WebP file."""
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise ValueError("not a WebP")
    pos, size = 12, min(len(data), 8 + int.from_bytes(data[4:8], "little"))
    while pos + 8 <= size:
        length = int.from_bytes(data[pos + 4 : pos + 8], "little")
        end = pos + 8 + length
        if end > len(data):
            raise ValueError("truncated chunk")
        yield data[pos : pos + 4], data[pos:end] + b"\0" * (length & 1)
        pos = end + (length & 1)


def _riff_kinds(data: bytes) -> set[bytes]:
    return {kind for kind, _chunk in _riff_chunks(data)}


def _strip_webp(data: bytes) -> bytes:
    """Drops the EXIF and XMP chunks, and their flags in the extended header."""
    chunks = []
    for kind, chunk in _riff_chunks(data):
        if kind == b"VP8X":
            chunk = chunk[:8] + bytes((chunk[8] & ~0x0C,)) + chunk[9:]
        if kind in WEBP_KEPT:
            chunks.append(chunk)
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + len(body).to_bytes(4, "little") + body


# Loop count (two spellings) and ICC profile; XMP and others are dropped.
GIF_APPLICATIONS = {b"NETSCAPE2.0", b"ANIMEXTS1.0", b"ICCRGBG1012"}


def _strip_gif(data: bytes) -> bytes:
    """Keeps the frames, their timing and the loop count; drops comments, plain
    text and XMP."""
    if data[:6] not in (b"GIF87a", b"GIF89a"):
        raise ValueError("not a GIF")
    pos = 13 + _gif_colour_table(data[10])
    out = [data[:pos]]
    while pos < len(data) and data[pos] != 0x3B:  # the trailer
        start = pos
        if data[pos] == 0x2C:  # an image: descriptor, colour table, LZW data
            pos = _gif_sub_blocks(data, pos + 11 + _gif_colour_table(data[pos + 9]))
            out.append(data[start:pos])
        elif data[pos] == 0x21:  # an extension
            label = data[pos + 1]
            pos = _gif_sub_blocks(data, pos + 2)
            if label == 0xF9 or (
                label == 0xFF and data[start + 3 : start + 14] in GIF_APPLICATIONS
            ):
                out.append(data[start:pos])
        else:
            raise ValueError(f"unknown block at {pos}")
    out.append(b";")
    return b"".join(out)


def _gif_colour_table(flags: int) -> int:
    return 3 << ((flags & 7) + 1) if flags & 0x80 else 0


def _gif_sub_blocks(data: bytes, pos: int) -> int:
    """The position after a run of data sub-blocks and its terminator."""
    while data[pos]:
        pos += data[pos] + 1
    return pos + 1


STRIPPERS = {
    "JPEG": _strip_jpeg,
    "PNG": _strip_png,
    "WEBP": _strip_webp,
    "GIF": _strip_gif,
}
