"""The image library's focal-point picker: a click on the picture sets the point."""

import pytest

from cms.models import Image
from tests.factories import ImageFactory, image_file

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]


def test_clicking_the_picture_sets_the_focal_point_and_saving_keeps_it(
    live_server, signed_in, page
):
    image = ImageFactory(file=image_file("wide.png", size=(400, 200)))
    page.goto(f"{live_server.url}/admin/cms/image/{image.pk}/change/")
    picture = page.locator(".focal-picker img.focal-image")
    box = picture.bounding_box()

    # A quarter across and three quarters down.
    picture.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.75})

    assert page.locator("#id_focal_x").input_value() == "25"
    assert page.locator("#id_focal_y").input_value() == "75"
    marker = page.locator(".focal-marker")
    assert marker.evaluate("el => el.style.left") == "25%"
    assert marker.evaluate("el => el.style.top") == "75%"
    # The keyboard way: typing a number moves the marker too.
    page.fill("#id_focal_x", "60")
    assert marker.evaluate("el => el.style.left") == "60%"
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/cms/image/")
    assert Image.objects.get(pk=image.pk).focal_point == (60, 75)
