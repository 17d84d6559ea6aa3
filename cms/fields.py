"""The image field every app's pictures use: checked once, when uploaded, and never
read again for an unchanged save."""

from django import forms
from django.db import models
from django.db.models.fields.files import FieldFile, ImageFileDescriptor

from .uploads import accept_image


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
    """Passes each new upload through ``accept_image``: checked, upright and without
    identifying metadata (``to_python`` only sees uploads, not the stored file)."""

    def to_python(self, data):
        # FileField's, not ImageField's: that one would decode it before our limits.
        upload = forms.FileField.to_python(self, data)
        return None if upload is None else accept_image(upload)


class ImageField(models.ImageField):
    """An image whose uploads are checked by the form, and whose stored file a save
    never re-opens."""

    descriptor_class = StoredImageDescriptor

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": UploadedImageField, **kwargs})
