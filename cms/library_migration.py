"""Moving one-off image fields into the image library, for the apps' data migrations.

Works on historical models only (``apps.get_model``): migrations import it, so it
must keep working with the models as they were then. No file is read or copied: a
library image keeps the storage name, size and ready renditions the row had.
"""

import posixpath

CENTRE = (50, 50)


class Library:
    """The library images of one migration, one per distinct stored file name
    (reusing one an earlier migration made for the same name)."""

    def __init__(self, apps):
        self.Image = apps.get_model("cms", "Image")
        self.made: dict[str, object] = {}

    def image_for(
        self,
        name: str,
        *,
        title: str,
        alt: str = "",
        caption: str = "",
        focal: tuple[int, int] = CENTRE,
        size=(None, None),
        ready=None,
    ):
        """The library image for stored file ``name``; the first row using a file
        gives its words and focal point, later rows only fill what is still empty."""
        image = self.made.get(name) or self.Image.objects.filter(file=name).first()
        if image is None:
            # The size given here stops the field from opening the file to measure it.
            image = self.Image(file=name, width=1, height=1)
            image.width, image.height = size
            image.title = (title or posixpath.basename(name))[:200]
            image.focal_x, image.focal_y = focal
            # [name, *focal] as the worker records it; a portrait or list image had
            # no focal point: its renditions were made around the centre.
            if ready and ready[0] == name:
                made_for = tuple(ready[1:3]) if len(ready) >= 3 else CENTRE
                if made_for == tuple(focal):
                    image.file_renditions = [name, *focal]
        image.alt = image.alt or alt[:250]
        image.caption = image.caption or caption[:250]
        image.save()
        self.made[name] = image
        return image


def back_to_fields(image, **names) -> dict:
    """The old fields' values for a row using ``image`` (``names``: old field name
    for each of file, width, height, renditions, alt, caption, focal_x, focal_y)."""
    if image is None:
        return {names["file"]: ""}
    values = {
        "file": image.file.name,
        "width": image.width,
        "height": image.height,
        "alt": image.alt,
        "caption": image.caption,
        "focal_x": image.focal_x,
        "focal_y": image.focal_y,
    }
    ready = image.file_renditions
    if "renditions" in names and ready:
        values["renditions"] = ready if "focal_x" in names else ready[:1]
    return {names[key]: value for key, value in values.items() if key in names}
