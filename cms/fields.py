"""The image field every app's pictures use: checked once, when uploaded, and never
read again for an unchanged save."""

from django import forms
from django.db import models
from django.db.models.fields.files import FieldFile, ImageFileDescriptor

from .validators import validate_image


def _stored_name(value) -> str | None:
    """The storage name of a file already saved, or None for an upload (or nothing)."""
    if isinstance(value, str):
        return value or None
    if isinstance(value, FieldFile) and value._committed:
        return value.name or None
    return None


class StoredImageDescriptor(ImageFileDescriptor):
    """Reads an image's size only when a different file is assigned.

    Django's descriptor re-reads the stored file whenever the field is assigned,
    even with the file it already holds (a form saved unchanged, ``refresh_from_db``):
    every save would open the image, and fail if the file is slow or elsewhere.
    """

    def __set__(self, instance, value):
        previous = instance.__dict__.get(self.field.attname)
        name = _stored_name(value)
        if previous is not None and name and name == _stored_name(previous):
            instance.__dict__[self.field.attname] = value
            return
        super().__set__(instance, value)


class UploadedImageField(forms.ImageField):
    """Checks each new upload (``to_python`` only sees uploads, not the stored file)."""

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is not None:
            validate_image(upload)
        return upload


class ImageField(models.ImageField):
    """An image whose uploads are checked by the form, and whose stored file a save
    never re-opens."""

    descriptor_class = StoredImageDescriptor

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": UploadedImageField, **kwargs})
