"""Draw the demo content's illustrations with Pillow, so the seed downloads nothing.

Each motif is a few flat shapes over a two-colour gradient; the colours come from the story's
slug, so the same story always gets the same picture.
"""

import hashlib
import io
import math
import random

from PIL import Image, ImageDraw, ImageFont

# A camera's 3:2, so the 16:9 and social crops have something to choose around the focal point.
WIDTH, HEIGHT = 1800, 1200

PALETTES = [
    ("#0b3d5c", "#1f7a8c", "#f4b63f"),
    ("#3b1f4a", "#8c3f6b", "#f2c14e"),
    ("#123524", "#3e7b27", "#efe3c2"),
    ("#2b2d42", "#8d99ae", "#ef233c"),
    ("#1d3557", "#457b9d", "#f1faee"),
    ("#4a2511", "#b5651d", "#f6e7c1"),
    ("#102a43", "#486581", "#f0b429"),
    ("#2d132c", "#801336", "#ee4540"),
]

MOTIFS = {
    "globe": "a stylised globe crossed by curved flight paths",
    "columns": "the columned front of a government building",
    "chart": "a bar chart with a trend line",
    "stars": "a night sky full of stars above a dark horizon",
    "pitch": "a football pitch seen from above",
    "court": "a tennis court seen from above",
    "waves": "rolling sea waves under a low sun",
    "mountains": "layered mountain ridges",
    "sun": "a large sun over a parched, striped landscape",
    "cross": "a medical cross inside a circle",
    "ballot": "a ballot paper dropping into a ballot box",
    "stage": "a music stage lit by crossing spotlights",
    "dove": "a white dove in flight",
    "train": "a train crossing a viaduct",
    "handshake": "two hands meeting in a handshake",
}


def describe(motif):
    """Return alt text for the motif's picture."""
    return f"Illustration: {MOTIFS.get(motif, MOTIFS['globe'])}."


def draw(motif, seed):
    """Return JPEG bytes of the motif's illustration, varied by the seed string."""
    rng = random.Random(hashlib.sha256(seed.encode()).hexdigest())
    dark, mid, light = rng.choice(PALETTES)
    image = Image.new("RGB", (WIDTH, HEIGHT), dark)
    _gradient(image, dark, mid)
    pen = ImageDraw.Draw(image)
    PAINTERS.get(motif, _draw_globe)(pen, rng, dark, mid, light)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82, optimize=True, progressive=True)
    return buffer.getvalue()


def draw_portrait(name, seed):
    """Return PNG bytes of a round-friendly square with the person's initials."""
    rng = random.Random(hashlib.sha256(seed.encode()).hexdigest())
    dark, mid, light = rng.choice(PALETTES)
    size = 400
    image = Image.new("RGB", (size, size), dark)
    _gradient(image, dark, mid)
    pen = ImageDraw.Draw(image)
    initials = "".join(part[0] for part in name.split()[:2]).upper()
    font = _font(170)
    box = pen.textbbox((0, 0), initials, font=font)
    pen.text(
        ((size - (box[2] - box[0])) / 2 - box[0], (size - (box[3] - box[1])) / 2 - box[1]),
        initials,
        fill=light,
        font=font,
    )
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _font(size):
    for name in ("DejaVuSans-Bold.ttf", "Arial Bold.ttf", "arialbd.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size)


def _gradient(image, top, bottom):
    top_rgb, bottom_rgb = _rgb(top), _rgb(bottom)
    pen = ImageDraw.Draw(image)
    width, height = image.size
    for y in range(height):
        t = y / (height - 1)
        colour = tuple(round(a + (b - a) * t) for a, b in zip(top_rgb, bottom_rgb, strict=True))
        pen.line([(0, y), (width, y)], fill=colour)


def _rgb(hex_colour):
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))


def _draw_globe(pen, rng, dark, mid, light):
    cx, cy, r = WIDTH * 0.55, HEIGHT * 0.52, 330
    pen.ellipse([cx - r, cy - r, cx + r, cy + r], fill=mid, outline=light, width=6)
    for k in range(1, 4):
        w = r * k / 4
        pen.ellipse([cx - w, cy - r, cx + w, cy + r], outline=light, width=3)
    for k in (-2, -1, 0, 1, 2):
        y = cy + k * r / 3
        half = math.sqrt(max(r * r - (y - cy) ** 2, 0))
        pen.line([(cx - half, y), (cx + half, y)], fill=light, width=3)
    for _ in range(3):
        start = (rng.randint(50, 400), rng.randint(100, 800))
        end = (rng.randint(1200, 1550), rng.randint(100, 800))
        pen.arc(
            [start[0], min(start[1], end[1]) - 200, end[0], max(start[1], end[1]) + 200],
            200,
            340,
            fill=light,
            width=4,
        )


def _draw_columns(pen, rng, dark, mid, light):
    base_y, left, right = 760, 330, 1270
    pen.polygon([(left - 60, 300), (WIDTH / 2, 150), (right + 60, 300)], fill=light)
    pen.rectangle([left - 60, 300, right + 60, 340], fill=light)
    for i in range(7):
        x = left + i * (right - left) / 6
        pen.rectangle([x - 32, 360, x + 32, base_y - 40], fill=light)
    pen.rectangle([left - 90, base_y - 40, right + 90, base_y], fill=light)
    pen.rectangle([left - 130, base_y, right + 130, base_y + 40], fill=light)


def _draw_chart(pen, rng, dark, mid, light):
    bars, left, bottom = 9, 220, 780
    points = []
    height = rng.randint(150, 300)
    for i in range(bars):
        height = max(80, min(560, height + rng.randint(-90, 120)))
        x = left + i * 130
        pen.rectangle([x, bottom - height, x + 90, bottom], fill=mid, outline=light, width=3)
        points.append((x + 45, bottom - height - 30))
    pen.line(points, fill=light, width=8, joint="curve")
    pen.line([(left - 40, bottom), (left + bars * 130, bottom)], fill=light, width=5)


def _draw_stars(pen, rng, dark, mid, light):
    for _ in range(260):
        x, y, s = rng.randint(0, WIDTH), rng.randint(0, 700), rng.choice([1, 2, 2, 3, 4])
        pen.ellipse([x - s, y - s, x + s, y + s], fill=light)
    pen.pieslice([200, 650, WIDTH - 200, 1250], 180, 360, fill=dark)
    pen.ellipse([1180, 140, 1320, 280], fill=light)


def _draw_pitch(pen, rng, dark, mid, light):
    pen.rectangle([0, 0, WIDTH, HEIGHT], fill="#2f7d32")
    for i in range(0, WIDTH, 160):
        pen.rectangle([i, 0, i + 80, HEIGHT], fill="#2a7030")
    line = "#f5f5f5"
    pen.rectangle([120, 90, WIDTH - 120, HEIGHT - 90], outline=line, width=6)
    pen.line([(WIDTH / 2, 90), (WIDTH / 2, HEIGHT - 90)], fill=line, width=6)
    pen.ellipse(
        [WIDTH / 2 - 120, HEIGHT / 2 - 120, WIDTH / 2 + 120, HEIGHT / 2 + 120],
        outline=line,
        width=6,
    )
    for x0, x1 in ((120, 380), (WIDTH - 380, WIDTH - 120)):
        pen.rectangle([x0, 250, x1, 650], outline=line, width=6)
    pen.ellipse([WIDTH / 2 + 200, 380, WIDTH / 2 + 240, 420], fill=line)


def _draw_court(pen, rng, dark, mid, light):
    pen.rectangle([0, 0, WIDTH, HEIGHT], fill="#b5562c")
    line = "#fbf7f0"
    pen.rectangle([200, 150, WIDTH - 200, HEIGHT - 150], outline=line, width=8)
    pen.rectangle([200, 230, WIDTH - 200, HEIGHT - 230], outline=line, width=6)
    pen.line([(WIDTH / 2, 120), (WIDTH / 2, HEIGHT - 120)], fill=line, width=10)
    pen.line([(470, 230), (470, HEIGHT - 230)], fill=line, width=6)
    pen.line([(WIDTH - 470, 230), (WIDTH - 470, HEIGHT - 230)], fill=line, width=6)
    pen.line([(470, HEIGHT / 2), (WIDTH - 470, HEIGHT / 2)], fill=line, width=6)
    pen.ellipse([1010, 300, 1050, 340], fill="#d7e84a")


def _draw_waves(pen, rng, dark, mid, light):
    pen.ellipse([1100, 200, 1360, 460], fill=light)
    for row in range(7):
        y = 430 + row * 75
        points = [(x, y + 26 * math.sin(x / 90 + row)) for x in range(0, WIDTH + 20, 20)]
        pen.polygon([*points, (WIDTH, HEIGHT), (0, HEIGHT)], fill=mid if row % 2 else dark)
        pen.line(points, fill=light, width=3)


def _draw_mountains(pen, rng, dark, mid, light):
    for layer, colour in enumerate((mid, dark, "#111111")):
        y = 380 + layer * 140
        points = [(0, HEIGHT)]
        x = 0
        while x < WIDTH:
            points.append((x, y + rng.randint(-160, 60)))
            x += rng.randint(120, 260)
        points += [(WIDTH, y), (WIDTH, HEIGHT)]
        pen.polygon(points, fill=colour)
    pen.ellipse([250, 120, 390, 260], fill=light)


def _draw_sun(pen, rng, dark, mid, light):
    cx, cy = WIDTH / 2, 470
    for i in range(24):
        angle = i * math.pi / 12
        pen.line(
            [
                (cx + 260 * math.cos(angle), cy + 260 * math.sin(angle)),
                (cx + 380 * math.cos(angle), cy + 380 * math.sin(angle)),
            ],
            fill=light,
            width=10,
        )
    pen.ellipse([cx - 220, cy - 220, cx + 220, cy + 220], fill=light)
    for i in range(6):
        pen.rectangle([0, 640 + i * 45, WIDTH, 660 + i * 45], fill=mid if i % 2 else dark)


def _draw_cross(pen, rng, dark, mid, light):
    cx, cy = WIDTH / 2, HEIGHT / 2
    pen.ellipse([cx - 320, cy - 320, cx + 320, cy + 320], fill=light)
    pen.rectangle([cx - 70, cy - 220, cx + 70, cy + 220], fill="#c62828")
    pen.rectangle([cx - 220, cy - 70, cx + 220, cy + 70], fill="#c62828")


def _draw_ballot(pen, rng, dark, mid, light):
    pen.rectangle([520, 470, 1080, 800], fill=light)
    pen.rectangle([520, 470, 1080, 520], fill=mid)
    pen.rectangle([700, 480, 900, 500], fill=dark)
    pen.polygon([(700, 130), (940, 150), (915, 470), (680, 450)], fill="#ffffff", outline=dark)
    pen.line([(730, 230), (770, 280), (860, 170)], fill="#c62828", width=14)


def _draw_stage(pen, rng, dark, mid, light):
    for x in (250, 650, 1000, 1350):
        pen.polygon([(x, 0), (x - 240, 720), (x + 240, 720)], fill=mid)
    pen.rectangle([0, 720, WIDTH, HEIGHT], fill="#111111")
    pen.ellipse([700, 430, 900, 640], fill=light)
    pen.rectangle([760, 620, 840, 730], fill=light)
    for _ in range(40):
        x, y = rng.randint(0, WIDTH), rng.randint(760, 880)
        pen.ellipse([x - 22, y - 22, x + 22, y + 22], fill="#222222")


def _draw_dove(pen, rng, dark, mid, light):
    white = "#fbfbf8"
    pen.ellipse([620, 380, 1020, 560], fill=white)
    pen.polygon([(720, 430), (820, 120), (930, 440)], fill=white)
    pen.polygon([(760, 470), (560, 220), (880, 460)], fill="#e8e8e2")
    pen.ellipse([960, 360, 1080, 470], fill=white)
    pen.polygon([(1070, 400), (1130, 420), (1070, 440)], fill="#f4a52a")
    pen.polygon([(640, 470), (470, 420), (520, 560)], fill=white)
    pen.line([(1110, 430), (1220, 520)], fill="#3e7b27", width=10)


def _draw_train(pen, rng, dark, mid, light):
    for i in range(6):
        x = 100 + i * 260
        pen.pieslice([x, 560, x + 240, 900], 180, 360, fill=dark)
    pen.rectangle([0, 520, WIDTH, 570], fill=light)
    for i in range(4):
        x = 180 + i * 300
        pen.rounded_rectangle([x, 360, x + 280, 515], radius=24, fill=light if i else "#c62828")
        for w in range(3):
            pen.rectangle([x + 30 + w * 80, 390, x + 80 + w * 80, 440], fill=mid)


def _draw_handshake(pen, rng, dark, mid, light):
    pen.rounded_rectangle([160, 380, 760, 520], radius=60, fill=light)
    pen.rounded_rectangle([840, 380, 1440, 520], radius=60, fill=mid, outline=light, width=6)
    pen.rounded_rectangle([620, 330, 980, 560], radius=90, fill=light)
    for i in range(4):
        pen.line([(700 + i * 70, 360), (700 + i * 70, 530)], fill=dark, width=6)


# Each motif's painter, by the names MOTIFS describes.
PAINTERS = {
    "globe": _draw_globe,
    "columns": _draw_columns,
    "chart": _draw_chart,
    "stars": _draw_stars,
    "pitch": _draw_pitch,
    "court": _draw_court,
    "waves": _draw_waves,
    "mountains": _draw_mountains,
    "sun": _draw_sun,
    "cross": _draw_cross,
    "ballot": _draw_ballot,
    "stage": _draw_stage,
    "dove": _draw_dove,
    "train": _draw_train,
    "handshake": _draw_handshake,
}
