from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.text import Truncator

from newsroom.fields import staff_member

from . import renditions as plans

_FRACTION = [MinValueValidator(0.0), MaxValueValidator(1.0)]


class ImageQuerySet(models.QuerySet):
    def with_renditions(self):
        """Load every image's renditions in one more query, however many images."""
        return self.prefetch_related("renditions")


class Image(models.Model):
    file = models.ImageField(
        upload_to="images/%Y/%m/",
        width_field="width",
        height_field="height",
        help_text="A JPEG, PNG or WebP file. Location and camera data are removed on upload.",
    )
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    file_size = models.PositiveIntegerField("size in bytes", null=True, editable=False)
    alt_text = models.CharField(
        "alt text",
        max_length=250,
        help_text="Describes the image for readers who cannot see it: what it shows, "
        "not what it means (that is the caption's job).",
    )
    caption = models.CharField(max_length=300, blank=True)
    credit = models.CharField(
        max_length=120, blank=True, help_text="Photographer and agency, e.g. “Jane Doe/Reuters”."
    )
    focal_x = models.FloatField(
        "focal point across",
        default=0.5,
        validators=_FRACTION,
        help_text="0 is the left edge, 1 the right. Crops keep this point in view.",
    )
    focal_y = models.FloatField(
        "focal point down",
        default=0.5,
        validators=_FRACTION,
        help_text="0 is the top edge, 1 the bottom.",
    )
    uploaded_by = staff_member(editable=False)
    created_at = models.DateTimeField("uploaded at", auto_now_add=True, db_index=True)
    # The renditions made so far, copied from the Rendition rows after each change: pages
    # read them from here, so a list of fifty pictures needs no query beyond the images'.
    rendition_index = models.JSONField(default=list, editable=False)

    objects = ImageQuerySet.as_manager()

    # What the renditions were last made from: (file name, focal_x, focal_y).
    _saved_source = None

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return Truncator(self.alt_text).chars(60)

    def save(self, *args, **kwargs):
        before = self._saved_source
        if self.file and (before is None or before[0] != self.file.name):
            # A new file: its size is known now, before it is stored, and feeds need it.
            self.file_size = self.file.size
        super().save(*args, **kwargs)
        self._saved_source = self._source()
        if before != self._saved_source:
            from .tasks import refresh_renditions  # the task module imports this one

            refresh_renditions(self, before=before)

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        image = super().from_db(db, field_names, values, **kwargs)
        if {"file", "focal_x", "focal_y"} <= set(field_names):
            image._saved_source = image._source()
        return image

    def _source(self):
        return (self.file.name, self.focal_x, self.focal_y)

    def stored_renditions(self):
        """Return the renditions made so far, from the index: no query."""
        return [StoredRendition(**entry) for entry in self.rendition_index]

    def refresh_rendition_index(self):
        """Copy the Rendition rows into ``rendition_index``; call after making or dropping some."""
        self.rendition_index = [
            {
                "spec": rendition.spec,
                "format": rendition.format,
                "width": rendition.width,
                "height": rendition.height,
                "name": rendition.file.name,
                "file_size": rendition.file_size,
            }
            for rendition in self.renditions.order_by("spec", "format")
        ]
        Image.objects.filter(pk=self.pk).update(rendition_index=self.rendition_index)

    def renditions_for(self, ratio=None, image_format="jpeg"):
        """Return the renditions of one ratio and format, narrowest first."""
        return plans.select(self.stored_renditions(), ratio, image_format)

    def original(self):
        """Return the uploaded file in the shape of a rendition, for where none is made yet."""
        return StoredRendition(
            spec="original",
            format="original",
            width=self.width,
            height=self.height,
            name=self.file.name,
            file_size=self.file_size,
        )

    def social_rendition(self):
        """Return the 1200×630 JPEG for Open Graph and Twitter cards, or None if not made yet."""
        for rendition in self.stored_renditions():
            if rendition.spec == plans.SOCIAL_SPEC and rendition.format == "jpeg":
                return rendition
        return None


@dataclass(frozen=True)
class StoredRendition:
    """One entry of an image's ``rendition_index``: what a page needs to show it."""

    spec: str
    format: str
    width: int
    height: int
    name: str
    # Bytes, as stored when the file was saved: asking the storage would cost a request per
    # picture in object storage. None for a file saved before sizes were kept.
    file_size: int | None = None

    @property
    def url(self):
        return default_storage.url(self.name)


def rendition_path(rendition, filename):
    # The image's id in the path lets a body's <img> find its library image by address alone.
    return f"images/renditions/{rendition.image_id}/{filename}"


class Rendition(models.Model):
    class Format(models.TextChoices):
        WEBP = "webp", "WebP"
        JPEG = "jpeg", "JPEG"

    image = models.ForeignKey(Image, on_delete=models.CASCADE, related_name="renditions")
    spec = models.CharField(max_length=32, help_text="“w640”, “16x9-w960” or “og”.")
    format = models.CharField(max_length=4, choices=Format)
    file = models.FileField(upload_to=rendition_path, max_length=255)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    file_size = models.PositiveIntegerField("size in bytes", null=True, editable=False)

    class Meta:
        ordering = ["spec", "format"]
        constraints = [
            models.UniqueConstraint(
                fields=["image", "spec", "format"], name="unique_rendition_spec_format"
            )
        ]

    def __str__(self):
        return f"{self.spec} {self.format} ({self.width}×{self.height})"

    @property
    def url(self):
        return self.file.url
