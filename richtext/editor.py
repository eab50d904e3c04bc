"""The admin's rich-text editor for article bodies (django-prose-editor): the features it offers.

They match the allow-list of sanitize.py, which is what a saved body can hold whatever a
browser sends.
"""

from django.urls import reverse_lazy

BODY_EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Heading": {"levels": [2, 3]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    # Pictures from the image library (images/); sanitize.py accepts only our own media.
    # "Browse..." opens the library's picker; the lazy address follows wherever the admin is
    # mounted, and the widget's DjangoJSONEncoder writes it out as a plain string.
    "Figure": {"pickerUrl": reverse_lazy("admin:images_image_pick")},
    "Image": True,
    "Caption": True,
}
