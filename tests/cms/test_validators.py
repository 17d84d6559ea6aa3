import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from cms.validators import validate_image
from tests.factories import image_file

NOT_AN_IMAGE = "not a valid image"


def truncated(upload, keep=0.6):
    data = upload.read()
    return SimpleUploadedFile(upload.name, data[: int(len(data) * keep)])


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("photo.png", "PNG"), ("photo.jpg", "JPEG"), ("photo.webp", "WEBP")],
)
def test_real_image_passes(name, fmt):
    validate_image(image_file(name, size=(120, 80), fmt=fmt))


def test_validation_leaves_the_file_ready_to_be_saved():
    upload = image_file("photo.png")
    content = upload.read()
    upload.seek(0)

    validate_image(upload)

    assert upload.tell() == 0
    assert upload.read() == content


def test_text_file_renamed_png_is_refused():
    upload = SimpleUploadedFile(
        "photo.png", b"Just some notes, not a picture.", content_type="image/png"
    )

    with pytest.raises(ValidationError) as excinfo:
        validate_image(upload)

    assert NOT_AN_IMAGE in excinfo.value.messages[0]


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("photo.png", "PNG"), ("photo.jpg", "JPEG"), ("photo.gif", "GIF")],
)
def test_truncated_image_is_refused(name, fmt):
    upload = truncated(image_file(name, size=(200, 150), fmt=fmt))

    with pytest.raises(ValidationError) as excinfo:
        validate_image(upload)

    assert NOT_AN_IMAGE in excinfo.value.messages[0]


def test_svg_is_refused():
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b"<script>alert(1)</script></svg>"
    )
    upload = SimpleUploadedFile("logo.svg", svg, content_type="image/svg+xml")

    with pytest.raises(ValidationError) as excinfo:
        validate_image(upload)

    assert "JPEG, PNG, WebP or GIF" in excinfo.value.messages[0]


def test_raster_format_outside_the_allowed_list_is_refused_by_name():
    upload = image_file("scan.bmp", fmt="BMP")

    with pytest.raises(ValidationError) as excinfo:
        validate_image(upload)

    assert "BMP images are not accepted" in excinfo.value.messages[0]


def test_oversize_file_is_refused(settings):
    settings.CMS_MAX_IMAGE_BYTES = 100
    upload = image_file("photo.png", size=(200, 200))
    assert upload.size > 100

    with pytest.raises(ValidationError) as excinfo:
        validate_image(upload)

    message = excinfo.value.messages[0]
    assert "larger than 100" in message
    assert "smaller file" in message


def test_file_at_the_size_limit_passes(settings):
    upload = image_file("photo.png", size=(200, 200))
    settings.CMS_MAX_IMAGE_BYTES = upload.size

    validate_image(upload)


def test_image_with_too_many_pixels_is_refused(settings):
    settings.CMS_MAX_IMAGE_PIXELS = 100 * 100
    upload = image_file("photo.png", size=(101, 100))

    with pytest.raises(ValidationError) as excinfo:
        validate_image(upload)

    assert excinfo.value.messages == [
        "This image is 101×100 pixels, which is too large to publish."
    ]


def test_image_at_the_pixel_limit_passes(settings):
    settings.CMS_MAX_IMAGE_PIXELS = 100 * 100

    validate_image(image_file("photo.png", size=(100, 100)))
