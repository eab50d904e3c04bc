"""The sizes and crops made of each library image, and the Pillow work that makes them.

Spec names: "w640" is the original ratio 640 px wide, "16x9-w960" a 16:9 crop around the
focal point 960 px wide, "og" the 1200×630 social image. Each is stored once per format.
"""

import io
from dataclasses import dataclass
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from PIL import Image, ImageOps

WIDTHS = (320, 640, 960, 1280, 1600)
CROP_RATIOS = {"16:9": (16, 9)}
SOCIAL_SPEC = "og"
SOCIAL_SIZE = (1200, 630)

# Pillow's name and our file extension for each stored format.
ENCODINGS = {"webp": ("WEBP", "webp"), "jpeg": ("JPEG", "jpg")}
ENCODER_OPTIONS = {
    "WEBP": {"quality": 80, "method": 4},
    "JPEG": {"quality": 82, "optimize": True, "progressive": True},
}


@dataclass(frozen=True)
class Plan:
    spec: str
    box: tuple  # the part of the original to use: left, top, right, bottom
    size: tuple  # width, height of the result
    formats: tuple = ("webp", "jpeg")


def spec_prefix(ratio):
    """Return the spec prefix for a ratio such as "16:9", or "" for the original ratio."""
    if ratio is None:
        return ""
    if ratio not in CROP_RATIOS:
        raise ValueError(f"No renditions are made at {ratio!r}; use one of {list(CROP_RATIOS)}.")
    return ratio.replace(":", "x")


def spec_has_prefix(spec, prefix):
    head, _, tail = spec.rpartition("-")
    return head == prefix and tail.startswith("w")


def select(renditions, ratio=None, image_format="jpeg"):
    """Return the renditions of one ratio ("16:9", or None for the original) and format,
    narrowest first."""
    prefix = spec_prefix(ratio)
    found = [
        rendition
        for rendition in renditions
        if rendition.format == image_format and spec_has_prefix(rendition.spec, prefix)
    ]
    return sorted(found, key=lambda rendition: rendition.width)


def crop_box(width, height, ratio, focal_x, focal_y):
    """Return the largest box of the given ratio, centred on the focal point where it fits.

    Near an edge the box stops at the edge, so the focal point stays inside but off-centre.
    """
    ratio_w, ratio_h = ratio
    crop_w, crop_h = width, height
    if width * ratio_h > height * ratio_w:
        crop_w = round(height * ratio_w / ratio_h)
    else:
        crop_h = round(width * ratio_h / ratio_w)
    left = min(max(round(focal_x * width - crop_w / 2), 0), width - crop_w)
    top = min(max(round(focal_y * height - crop_h / 2), 0), height - crop_h)
    return (left, top, left + crop_w, top + crop_h)


def _widths(available):
    # Never upscale; an image narrower than the smallest width still gets one rendition.
    return [width for width in WIDTHS if width <= available] or [available]


def plan(width, height, focal_x=0.5, focal_y=0.5):
    """Return the renditions an image of this size should have."""
    plans = [
        Plan(f"w{w}", (0, 0, width, height), (w, max(1, round(height * w / width))))
        for w in _widths(width)
    ]
    for name, ratio in CROP_RATIOS.items():
        box = crop_box(width, height, ratio, focal_x, focal_y)
        prefix = spec_prefix(name)
        plans += [
            Plan(f"{prefix}-w{w}", box, (w, max(1, round(w * ratio[1] / ratio[0]))))
            for w in _widths(box[2] - box[0])
        ]
    box = crop_box(width, height, SOCIAL_SIZE, focal_x, focal_y)
    social_w = min(SOCIAL_SIZE[0], box[2] - box[0])
    social_size = (social_w, max(1, round(social_w * SOCIAL_SIZE[1] / SOCIAL_SIZE[0])))
    # Social networks' crawlers do not all read WebP.
    plans.append(Plan(SOCIAL_SPEC, box, social_size, formats=("jpeg",)))
    return plans


def make_missing(image):
    """Make and store the renditions the image lacks; return how many were made.

    Existing renditions are kept, so running this twice, or in two workers, is harmless.
    """
    existing = {(rendition.spec, rendition.format) for rendition in image.renditions.all()}
    wanted = [
        (item, image_format)
        for item in plan(image.width, image.height, image.focal_x, image.focal_y)
        for image_format in item.formats
        if (item.spec, image_format) not in existing
    ]
    if not wanted:
        if len(image.rendition_index) != len(existing):
            image.refresh_rendition_index()  # e.g. after a migration brought the rows in
        return 0
    stem = Path(image.file.name).stem
    made = 0
    with image.file.open("rb"), Image.open(image.file) as opened:
        source = _prepare(opened)
        resized = {}
        for item, image_format in wanted:
            if item.spec not in resized:
                resized[item.spec] = source.resize(
                    item.size, Image.Resampling.LANCZOS, box=item.box, reducing_gap=3.0
                )
            content = _encode(resized[item.spec], image_format, source.info.get("icc_profile"))
            name = f"{stem}-{item.spec}{_focal_tag(image, item)}.{ENCODINGS[image_format][1]}"
            made += _store(image, item, image_format, content, name)
    image.refresh_rendition_index()
    return made


def _focal_tag(image, item):
    # A crop gets a new address when the focal point moves, so no cache serves the old one.
    if item.box == (0, 0, image.width, image.height):
        return ""
    return f"-f{round(image.focal_x * 1000)}-{round(image.focal_y * 1000)}"


def _prepare(opened):
    """Return the image upright, in RGB, or RGBA where it has transparency."""
    icc_profile = opened.info.get("icc_profile")
    source = ImageOps.exif_transpose(opened)
    has_alpha = source.mode in ("RGBA", "LA", "PA") or "transparency" in source.info
    source = source.convert("RGBA" if has_alpha else "RGB")
    source.info.pop("icc_profile", None)
    # A CMYK or greyscale profile would misdescribe the converted RGB pixels.
    if icc_profile and opened.mode in ("RGB", "RGBA", "P"):
        source.info["icc_profile"] = icc_profile
    return source


def _encode(picture, image_format, icc_profile):
    pillow_format = ENCODINGS[image_format][0]
    if pillow_format == "JPEG" and picture.mode == "RGBA":
        # JPEG has no transparency: lay the picture on white, as a page would show it.
        background = Image.new("RGB", picture.size, "white")
        background.paste(picture, mask=picture.getchannel("A"))
        picture = background
    options = dict(ENCODER_OPTIONS[pillow_format])
    if icc_profile:
        options["icc_profile"] = icc_profile
    buffer = io.BytesIO()
    picture.save(buffer, pillow_format, **options)
    return buffer.getvalue()


def _store(image, item, image_format, content, name):
    rendition = image.renditions.model(
        image=image,
        spec=item.spec,
        format=image_format,
        width=item.size[0],
        height=item.size[1],
        file_size=len(content),
    )
    rendition.file.save(name, ContentFile(content), save=False)
    try:
        with transaction.atomic():
            rendition.save()
    except IntegrityError:
        # Another worker stored this one first; keep theirs.
        rendition.file.delete(save=False)
        return 0
    return 1
