"""The site's default social image: the picture a link to a story shows on social networks and
in chat apps when the story has no lead image of its own.

It is drawn here rather than designed elsewhere so that a newsroom that renames the site can
make its own with one command (``manage.py draw_social_image``); the one in static/img is
what that command draws for the name "Newsroom".
"""

from PIL import Image, ImageDraw, ImageFont

SIZE = (1200, 630)
BRAND = (11, 61, 92)  # --brand in static/css/site.css
ACCENT = (179, 38, 30)  # --accent
INK = (255, 255, 255)
MARGIN = 96


def draw(site_name):
    """Return the default social image for ``site_name``: its name on the brand colour."""
    image = Image.new("RGB", SIZE, BRAND)
    pen = ImageDraw.Draw(image)
    width, height = SIZE
    font = _largest_font(pen, site_name, width - 2 * MARGIN, 150)
    left, top, _, bottom = pen.textbbox((0, 0), site_name, font=font)
    x = MARGIN - left
    y = (height - (bottom - top)) // 2 - top
    pen.text((x, y), site_name, font=font, fill=INK)
    # A short rule in the accent colour under the name, as the site's section labels have.
    rule_top = y + bottom + 36
    pen.rectangle((MARGIN, rule_top, MARGIN + 160, rule_top + 12), fill=ACCENT)
    return image


def _largest_font(pen, text, max_width, start_size):
    """Return the bundled font at the largest size (from ``start_size`` down) that fits."""
    size = start_size
    while True:
        font = ImageFont.load_default(size=size)
        left, _, right, _ = pen.textbbox((0, 0), text, font=font)
        if right - left <= max_width or size <= 24:
            return font
        size -= 6
