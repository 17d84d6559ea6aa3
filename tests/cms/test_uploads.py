"""One image check for every way in (admin image fields, the editor's upload,
importers), and originals stored upright without what identifies a place or device."""

import io
import json
import struct
import zlib
from functools import cache
from pathlib import Path
from unittest import mock

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse
from hypothesis import Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image, ImageCms, ImageOps, ImageSequence

from cms.fields import ImageField, UploadedImageField
from cms.models import Image as LibraryImage
from cms.uploads import accept_image
from tests.factories import ImageFactory, UserFactory
from tests.html_forms import post_back

pytestmark = pytest.mark.django_db

RED, WHITE = (220, 20, 20), (255, 255, 255)
# Strings that must never reach storage: camera, serial number, place, XMP, comments.
SECRETS = [b"Canon", b"EOS 5D", b"SN-0042", b"Reykjavik", b"xmpmeta", b"secret note"]


# Files ---------------------------------------------------------------------------


def encode(image, fmt, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def picture(size=(60, 40), mode="RGB"):
    """White, with a red block in the top-left corner: shows which way is up."""
    image = Image.new("RGB", size, WHITE)
    image.paste(RED, (0, 0, size[0] // 3, size[1] // 3))
    return image.convert(mode)


def frames(count=3, size=(30, 20)):
    return [Image.new("RGB", size, (80 * i, 40, 200 - 60 * i)) for i in range(count)]


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data))
    )


@cache
def png_of_size(width: int, height: int) -> bytes:
    """A real one-bit PNG of that size: a few kB that decode to ``width``×``height``."""
    row = b"\0" + b"\0" * ((width + 7) // 8)
    squeeze = zlib.compressobj(9)
    data = b"".join(squeeze.compress(row) for _ in range(height)) + squeeze.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", data)
        + png_chunk(b"IEND", b"")
    )


def exif_with_secrets(orientation=6) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Canon"  # Make
    exif[0x0110] = "EOS 5D"  # Model
    exif[0x0112] = orientation
    exif.get_ifd(0x8769)[0xA431] = "SN-0042"  # BodySerialNumber
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (64.0, 8.0, 0.0), 3: "W", 4: (21.0, 56.0, 0.0)})
    gps[0x1B] = "Reykjavik"  # GPSAreaInformation
    return exif.tobytes()


XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    b'photoshop:City="Reykjavik"/></rdf:RDF></x:xmpmeta>'
)
ICC = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
IPTC_BLOCK = b"Photoshop 3.0\x008BIM" + b"Reykjavik"
IPTC = b"\xff\xed" + struct.pack(">H", 2 + len(IPTC_BLOCK)) + IPTC_BLOCK


def jpeg_with_secrets(image, **options) -> bytes:
    data = encode(
        image,
        "JPEG",
        exif=exif_with_secrets(),
        xmp=XMP,
        icc_profile=ICC,
        comment=b"secret note",
        **options,
    )
    return data[:2] + IPTC + data[2:]  # an IPTC block, as Photoshop writes one


def png_with_secrets(image) -> bytes:
    from PIL.PngImagePlugin import PngInfo

    text = PngInfo()
    text.add_text("Comment", "secret note")
    text.add_itxt("XML:com.adobe.xmp", XMP.decode())
    return encode(image, "PNG", exif=exif_with_secrets(), pnginfo=text, icc_profile=ICC)


def webp_with_secrets(image) -> bytes:
    return encode(
        image, "WEBP", exif=exif_with_secrets(), xmp=XMP, icc_profile=ICC, quality=95
    )


WITH_SECRETS = {
    "photo.jpg": lambda: jpeg_with_secrets(picture()),
    "photo.png": lambda: png_with_secrets(picture()),
    "photo.webp": lambda: webp_with_secrets(picture()),
}


def gif_with_secrets() -> bytes:
    first, *rest = frames()
    data = encode(
        first, "GIF", save_all=True, append_images=rest, comment=b"secret note"
    )
    # An XMP application block, as image editors add one, after the colour table.
    xmp = b"\x21\xff\x0bXMP DataXMP" + bytes((len(XMP),)) + XMP + b"\x00"
    table = 3 << ((data[10] & 7) + 1) if data[10] & 0x80 else 0
    return data[: 13 + table] + xmp + data[13 + table :]


def animated(fmt) -> bytes:
    first, *rest = frames()
    return encode(
        first, fmt, save_all=True, append_images=rest, duration=[80, 120, 160], loop=0
    )


def palette_with_transparency() -> bytes:
    image = picture().convert("P", palette=Image.Palette.ADAPTIVE, colors=4)
    return encode(image, "PNG", transparency=0)


def phone_mpo() -> bytes:
    """A phone's JPEG with a second picture (a depth map) attached."""
    return encode(
        picture(), "MPO", save_all=True, append_images=[Image.new("RGB", (60, 40))]
    )


ACCEPTED = {
    "baseline.jpg": lambda: encode(picture(), "JPEG", quality=90),
    "progressive.jpg": lambda: encode(picture(), "JPEG", progressive=True),
    "cmyk.jpg": lambda: encode(picture(mode="CMYK"), "JPEG"),
    "sixteen-bit.png": lambda: encode(Image.new("I;16", (30, 20), 40_000), "PNG"),
    "palette.png": palette_with_transparency,
    "alpha.png": lambda: encode(picture(mode="RGBA"), "PNG"),
    "animated.png": lambda: animated("PNG"),
    "lossy.webp": lambda: encode(picture(mode="RGBA"), "WEBP", quality=70),
    "lossless.webp": lambda: encode(picture(), "WEBP", lossless=True),
    "animated.webp": lambda: animated("WEBP"),
    "still.gif": lambda: encode(picture().convert("P"), "GIF"),
    "animated.gif": lambda: animated("GIF"),
    "commented.gif": gif_with_secrets,
}

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"

# name, content, content type, what the writer is told.
REFUSED = {
    "bomb": ("bomb.png", lambda: png_of_size(20_000, 20_000), "too large to publish"),
    "over the limit": (
        "big.png",
        lambda: png_of_size(12_000, 12_000),
        "too large to publish",
    ),
    "just over the limit": (
        "big.png",
        lambda: png_of_size(7_000, 6_000),
        "too large to publish",
    ),
    "svg": ("logo.svg", lambda: SVG, "not a valid image"),
    "svg sent as png": ("logo.png", lambda: SVG, "not a valid image"),
    "html renamed": ("page.png", lambda: HTML, "not a valid image"),
    "truncated jpeg": (
        "cut.jpg",
        lambda: encode(picture((400, 300)), "JPEG")[:1500],
        "not a valid image",
    ),
    "empty": ("empty.png", lambda: b"", "empty"),
    "bitmap": ("scan.png", lambda: encode(picture(), "BMP"), "BMP images"),
}


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


# Ways in ---------------------------------------------------------------------------


class Stored:
    """What a way in kept of an upload: the file, and the sizes it recorded."""

    def __init__(self, data: bytes, size: tuple[int, int] | None = None):
        self.data = data
        self.image = Image.open(io.BytesIO(data))
        self.recorded_size = size or self.image.size


class Refused(Exception):
    pass


def by_importer(client, name, data) -> Stored:
    try:
        return Stored(accept_image(upload(name, data)).read())
    except ValidationError as error:
        raise Refused(" ".join(error.messages)) from error


def admin_fields() -> list[tuple[type[models.Model], str]]:
    """Every image field an admin change form shows, found from the admin site."""
    found = []
    for model, model_admin in admin.site._registry.items():
        for field in model._meta.get_fields():
            if isinstance(field, models.ImageField) and field.editable:
                if not model_admin.exclude or field.name not in model_admin.exclude:
                    found.append((model, field.name))
    return sorted(found, key=lambda found: (found[0].__name__, found[1]))


# Every picture readers see is a library image: its file is the one image field.
OWNERS = {(LibraryImage, "file"): ImageFactory}


def through_admin(model, field_name):
    def way(client, name, data) -> Stored:
        owner = OWNERS[model, field_name]()
        before = getattr(owner, field_name).name
        meta = model._meta
        url = reverse(
            f"admin:{meta.app_label}_{meta.model_name}_change", args=[owner.pk]
        )
        response = post_back(client, url, changes={field_name: upload(name, data)})
        owner.refresh_from_db()
        field = getattr(owner, field_name)
        if response.status_code == 200:
            assert field.name == before, "a refused upload replaced nothing"
            errors = response.context["adminform"].form.errors.get(field_name)
            assert errors, response.content.decode()[:2000]
            raise Refused(" ".join(errors))
        assert response.status_code == 302
        model_field = meta.get_field(field_name)
        size = (
            getattr(owner, model_field.width_field),
            getattr(owner, model_field.height_field),
        )
        with field.open("rb") as stored:
            return Stored(stored.read(), size)

    return way


def by_editor(client, name, data) -> Stored:
    """markdownx's drag-and-drop upload, as its script sends it."""
    writer = UserFactory(is_staff=True)
    client.force_login(writer)
    response = client.post(
        reverse("markdownx_upload"),
        {"image": upload(name, data)},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    answer = json.loads(response.content)
    if response.status_code == 400:
        assert stored_uploads() == []
        raise Refused(" ".join(sum(answer.values(), [])))
    assert response.status_code == 200, response.content
    url = answer["image_code"].removeprefix("![](").removesuffix(")")
    with default_storage.open(url.removeprefix(settings.MEDIA_URL), "rb") as stored:
        return Stored(stored.read())


def stored_uploads() -> list[Path]:
    return sorted((Path(settings.MEDIA_ROOT) / "uploads").rglob("*.*"))


WAYS = {
    "importer": by_importer,
    "editor": by_editor,
    **{
        f"admin {model.__name__} {name}": through_admin(model, name)
        for model, name in admin_fields()
    },
}


@pytest.fixture(params=list(WAYS))
def way(request):
    return WAYS[request.param]


# Tests -----------------------------------------------------------------------------


def test_every_admin_image_field_is_covered_here():
    assert set(admin_fields()) == set(OWNERS)


def test_every_model_image_field_checks_uploads():
    image_fields = [
        field
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.ImageField)
    ]
    assert image_fields
    for field in image_fields:
        assert isinstance(field, ImageField), field
        assert isinstance(field.formfield(), UploadedImageField), field


def test_pillow_refuses_what_the_site_refuses():
    assert Image.MAX_IMAGE_PIXELS == settings.CMS_MAX_IMAGE_PIXELS


@pytest.mark.parametrize("case", list(REFUSED))
def test_a_file_that_is_not_a_real_image_within_limits_is_refused(
    admin_client, way, case
):
    name, content, message = REFUSED[case]

    with pytest.raises(Refused) as refused:
        way(admin_client, name, content())

    assert message in str(refused.value)


def test_the_pixel_limit_is_the_setting(admin_client, way, settings):
    settings.CMS_MAX_IMAGE_PIXELS = 59 * 40

    with pytest.raises(Refused) as refused:
        way(admin_client, "wide.png", encode(picture(), "PNG"))

    message = "This image is 60×40 pixels, which is too large to publish."
    assert str(refused.value).startswith(message)


def test_the_byte_limit_is_the_setting(admin_client, way, settings):
    data = encode(picture(), "PNG")
    settings.CMS_MAX_IMAGE_BYTES = len(data) - 1

    with pytest.raises(Refused) as refused:
        way(admin_client, "photo.png", data)

    assert "Please upload a smaller file" in str(refused.value)


def all_frames(image) -> list[tuple[str, bytes, int | None]]:
    return [
        (frame.mode, frame.tobytes(), frame.info.get("duration"))
        for frame in ImageSequence.Iterator(image)
    ]


@pytest.mark.parametrize("name", list(ACCEPTED))
def test_a_real_image_is_stored_with_every_pixel_and_frame(admin_client, way, name):
    data = ACCEPTED[name]()
    original = Image.open(io.BytesIO(data))

    stored = way(admin_client, name, data)

    assert stored.image.format == original.format
    assert stored.recorded_size == stored.image.size == original.size
    assert all_frames(stored.image) == all_frames(original)
    assert stored.image.info.get("transparency") == original.info.get("transparency")
    assert stored.image.info.get("loop") == original.info.get("loop")
    assert not any(secret in stored.data for secret in SECRETS)


def test_a_phones_attached_second_picture_is_left_out(admin_client, way):
    data = phone_mpo()

    stored = way(admin_client, "phone.jpg", data)

    assert stored.image.format == "JPEG"
    assert getattr(stored.image, "n_frames", 1) == 1
    first = Image.open(io.BytesIO(data))
    assert stored.image.tobytes() == first.tobytes()
    assert len(stored.data) < len(data)


def red_corner(image) -> tuple[int, int]:
    """Which corner the red block is in: (0 or 1 across, 0 or 1 down)."""
    image = image.convert("RGB")
    for x, y in [(0, 0), (1, 0), (0, 1), (1, 1)]:
        pixel = image.getpixel((x * (image.width - 1), y * (image.height - 1)))
        if pixel[0] > 150 and pixel[1] < 100:
            return x, y
    raise AssertionError("no red corner")


@pytest.mark.parametrize("name", list(WITH_SECRETS))
def test_a_photo_is_stored_upright_without_place_or_camera(admin_client, way, name):
    data = WITH_SECRETS[name]()
    assert all(secret in data for secret in [b"Canon", b"SN-0042", b"Reykjavik"])
    upright = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))

    stored = way(admin_client, name, data)

    assert stored.image.size == stored.recorded_size == (40, 60)
    assert red_corner(stored.image) == red_corner(upright) == (1, 0)
    assert dict(stored.image.getexif()) == {}
    assert not any(secret in stored.data for secret in SECRETS)
    assert stored.image.info.get("icc_profile") == ICC


def test_a_jpeg_that_needs_no_turn_keeps_its_encoding_exactly(admin_client, way):
    data = encode(picture(), "JPEG", exif=exif_with_secrets(orientation=1), xmp=XMP)

    stored = way(admin_client, "photo.jpg", data)

    assert not any(secret in stored.data for secret in SECRETS)
    assert stored.image.tobytes() == Image.open(io.BytesIO(data)).tobytes()
    assert stored.image.quantization == Image.open(io.BytesIO(data)).quantization


def test_the_editor_shrinks_a_wide_photo_to_its_column(admin_client):
    data = jpeg_with_secrets(picture((1000, 3200)))

    stored = by_editor(admin_client, "tall.jpg", data)

    width = settings.MARKDOWNX_IMAGE_MAX_SIZE["size"][0]
    assert stored.image.size == (width, width * 1000 // 3200)
    assert red_corner(stored.image) == (1, 0)
    assert not any(secret in stored.data for secret in SECRETS)


def test_the_editor_keeps_an_animation_whole(admin_client):
    data = animated("GIF")

    stored = by_editor(admin_client, "dance.gif", data)

    assert stored.image.n_frames == 3


def test_the_editor_files_uploads_by_month(admin_client):
    by_editor(admin_client, "photo.png", encode(picture(), "PNG"))

    [path] = stored_uploads()
    folder = path.relative_to(Path(settings.MEDIA_ROOT) / "uploads").parent
    assert "%" not in str(folder) and len(folder.parts) == 2


def test_the_editor_refusal_is_json_the_editor_can_show(admin_client):
    response = admin_client.post(
        reverse("markdownx_upload"), {"image": upload("logo.png", SVG)}
    )

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "__all__": ["This file is not a valid image (JPEG, PNG, WebP or GIF)."]
    }


def test_the_editor_upload_is_for_staff_only(client):
    client.force_login(UserFactory())

    response = client.post(
        reverse("markdownx_upload"),
        {"image": upload("photo.png", encode(picture(), "PNG"))},
    )

    assert response.status_code == 302
    assert stored_uploads() == []


def test_an_unchanged_save_runs_no_check(admin_client):
    image = ImageFactory(file=upload("me.png", encode(picture(), "PNG")))
    url = reverse("admin:cms_image_change", args=[image.pk])

    with mock.patch("cms.fields.accept_image", side_effect=AssertionError("checked")):
        response = post_back(admin_client, url)

    assert response.status_code == 302
    assert LibraryImage.objects.get(pk=image.pk).file.name == image.file.name


@hypothesis_settings(
    max_examples=150,
    deadline=None,
    database=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
)
@given(
    name=st.sampled_from(sorted(ACCEPTED) + sorted(WITH_SECRETS)),
    cut=st.floats(0, 1),
    changes=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), max_size=4),
)
def test_a_damaged_image_is_refused_or_stored_whole(name, cut, changes):
    """Whatever a damaged file holds, the check refuses it or keeps an image."""
    data = bytearray({**ACCEPTED, **WITH_SECRETS}[name]())
    for where, value in changes:
        data[int(where * (len(data) - 1))] = value
    data = bytes(data[: max(1, int(len(data) * cut))]) if cut < 0.95 else bytes(data)

    try:
        accepted = accept_image(upload(name, data))
    except ValidationError:
        return
    with Image.open(accepted) as image:
        image.load()
