from django.contrib import admin
from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join

from .forms import ImageForm
from .models import Image

THUMBNAIL_WIDTH = 96


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
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

    def get_queryset(self, request):
        # The thumbnails come from the renditions: one query for the whole page.
        return super().get_queryset(request).with_renditions()

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="image")
    def thumbnail(self, image):
        smallest = next(iter(image.renditions_for()), None)
        shown = smallest or image
        return format_html(
            '<img src="{}" width="{}" height="{}" alt="" loading="lazy" class="image-thumbnail">',
            shown.file.url,
            THUMBNAIL_WIDTH,
            max(1, round(shown.height * THUMBNAIL_WIDTH / shown.width)),
        )

    @admin.display(description="address for article bodies")
    def body_address(self, image):
        # What an editor pastes into the body editor's figure dialog; the page then serves
        # the renditions in its place.
        return format_html("<code>{}</code>", image.file.url)

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
