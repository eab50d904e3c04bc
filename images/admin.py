import re
from dataclasses import dataclass

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html, format_html_join

from newsroom.admin_input import CheckedInputAdmin

from .forms import ImageForm
from .models import Image

THUMBNAIL_WIDTH = 96
PICKER_PAGE_SIZE = 24
# The body column is 42rem: 1280 px covers it on a two-times screen. The page serves the
# other sizes in its place (body.py); this one is what the editor previews.
BODY_IMAGE_WIDTH = 1280


def body_image_url(image):
    """Return the address to put in an article body: an original-ratio JPEG about
    BODY_IMAGE_WIDTH wide, or the original file while the renditions are being made.
    """
    fitting = [r for r in image.renditions_for() if r.width <= BODY_IMAGE_WIDTH]
    return fitting[-1].url if fitting else image.file.url


def thumbnail_source(image):
    """Return the smallest original-ratio JPEG, or the original while there are none yet."""
    smallest = next(iter(image.renditions_for()), None)
    return smallest or image.original()


@dataclass(frozen=True)
class PickerChoice:
    image: Image
    url: str
    thumbnail: object  # a Rendition, or the Image itself


@admin.register(Image)
class ImageAdmin(CheckedInputAdmin, admin.ModelAdmin):
    form = ImageForm
    list_display = ["thumbnail", "alt_text", "credit", "dimensions", "uploaded_by", "created_at"]
    list_display_links = ["thumbnail", "alt_text"]
    list_select_related = ["uploaded_by"]
    list_filter = ["created_at"]
    date_hierarchy = "created_at"
    # Also what autocomplete_fields elsewhere (an article's lead image) search by.
    search_fields = ["alt_text", "caption", "credit"]
    readonly_fields = [
        "focal_point_picker",
        "body_address",
        "dimensions",
        "rendition_list",
        "uploaded_by",
    ]

    class Media:
        css = {"all": ["images/focal_point.css"]}
        js = ["images/focal_point.js"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": ["file", "alt_text", "caption", "credit"]}),
            (
                "Focal point",
                {
                    "fields": ["focal_point_picker", ("focal_x", "focal_y")],
                    "description": "The part of the picture that every crop keeps in view.",
                },
            ),
        ]
        if obj is not None:
            fieldsets.append(
                (
                    "Stored sizes",
                    {
                        "fields": [
                            "body_address",
                            "dimensions",
                            "rendition_list",
                            "uploaded_by",
                        ]
                    },
                )
            )
        return fieldsets

    def get_urls(self):
        # Before the defaults, whose "<path:object_id>/" would take "pick/" for an id.
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "pick/",
                self.admin_site.admin_view(self.pick_view),
                name="{}_{}_pick".format(*info),
            ),
            *super().get_urls(),
        ]

    def pick_view(self, request):
        """Show the library, newest first, for the body editor's figure dialog to pick from.

        The prose editor opens this page in a popup with ``?CKEditorFuncNum=N``; picker.js
        hands the chosen address and alt text back through the editor's CKEditor shim.
        """
        if not self.has_view_permission(request):
            raise PermissionDenied
        query = request.GET.get("q", "").strip()
        images, may_have_duplicates = self.get_search_results(
            request, self.get_queryset(request), query
        )
        if may_have_duplicates:
            images = images.distinct()
        page = Paginator(images, PICKER_PAGE_SIZE).get_page(request.GET.get("page"))
        choices = [
            PickerChoice(
                image=image,
                url=body_image_url(image),
                thumbnail=thumbnail_source(image),
            )
            for image in page
        ]
        func_num = request.GET.get("CKEditorFuncNum", "")
        context = {
            **self.admin_site.each_context(request),
            "title": "Choose a picture",
            "opts": self.opts,
            "is_popup": True,
            "query": query,
            "page": page,
            "choices": choices,
            # The editor counts its callbacks down from -1; anything else is not from it.
            "func_num": func_num if re.fullmatch(r"-?[0-9]{1,9}", func_num) else "",
        }
        return TemplateResponse(request, "images/admin/image_picker.html", context)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="image")
    def thumbnail(self, image):
        shown = thumbnail_source(image)
        # The thumbnail is a link to the image's page (list_display_links): its alt text is
        # the link's name.
        return format_html(
            '<img src="{}" width="{}" height="{}" alt="{}" loading="lazy" class="image-thumbnail">',
            shown.url,
            THUMBNAIL_WIDTH,
            max(1, round(shown.height * THUMBNAIL_WIDTH / shown.width)),
            image.alt_text,
        )

    @admin.display(description="address for article bodies")
    def body_address(self, image):
        # What the picker hands to the body editor's figure dialog, for pasting there by hand;
        # the page then serves the renditions in its place.
        return format_html("<code>{}</code>", body_image_url(image))

    @admin.display(description="size")
    def dimensions(self, image):
        return f"{image.width} × {image.height} px" if image.width else "—"

    @admin.display(description="focal point")
    def focal_point_picker(self, image):
        return render_to_string("images/admin/focal_point.html", {"image": image})

    @admin.display(description="renditions")
    def rendition_list(self, image):
        renditions = sorted(
            image.renditions.all(),
            key=lambda r: (not r.spec.startswith("w"), r.spec == "og", r.width, r.format),
        )
        if not renditions:
            return "None yet: they are made in the background after each save."
        return format_html(
            "<ul class='rendition-list'>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{} {}</a> {} × {}</li>',
                ((r.url, r.spec, r.get_format_display(), r.width, r.height) for r in renditions),
            ),
        )
