from django import forms

from .models import Image
from .uploads import clean_upload

ACCEPTED_TYPES = "image/jpeg,image/png,image/webp"


class ImageUploadField(forms.FileField):
    """A file field that runs the library's upload checks instead of Django's generic ones."""

    def to_python(self, data):
        upload = super().to_python(data)
        return None if upload is None else clean_upload(upload)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput):
            attrs.setdefault("accept", ACCEPTED_TYPES)
            if self.label:
                # The admin heads a file box with a <legend>, which names the group, not the box.
                attrs.setdefault("aria-label", self.label)
        return attrs


class FractionInput(forms.NumberInput):
    def __init__(self, attrs=None):
        super().__init__({"step": "0.01", "min": "0", "max": "1", **(attrs or {})})


class ImageForm(forms.ModelForm):
    class Meta:
        model = Image
        fields = ["file", "alt_text", "caption", "credit", "focal_x", "focal_y"]
        field_classes = {"file": ImageUploadField}
        widgets = {"focal_x": FractionInput, "focal_y": FractionInput}
