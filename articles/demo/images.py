"""Placeholder illustrations for the demo, drawn with Pillow so no binary files ship."""

import functools
import io
import random
from math import cos, radians, sin

from PIL import Image, ImageDraw, ImageFont

HERO_SIZE, ITEM_SIZE, PORTRAIT_SIZE = (1600, 900), (1200, 800), (600, 600)

# --- Placeholder images ------------------------------------------------------------

PALETTES = {
    "peach": ("peach", (255, 236, 222), (250, 204, 180)),
    "mint": ("mint green", (230, 247, 239), (180, 226, 206)),
    "sky": ("sky blue", (228, 240, 252), (174, 208, 240)),
    "lilac": ("lilac", (240, 233, 251), (206, 190, 238)),
    "butter": ("butter yellow", (255, 249, 224), (248, 226, 160)),
    "rose": ("rose pink", (253, 233, 238), (242, 192, 208)),
    "sage": ("sage green", (236, 242, 230), (198, 214, 186)),
    "sand": ("sand", (248, 240, 228), (228, 208, 180)),
}

MOTIFS = {
    "face": "a simple line drawing of a sleeping baby's face",
    "face:blotches": "a simple drawing of a sleeping baby's face with pink blotches, "
    "each with a pale dot in the middle",
    "face:spots": "a simple drawing of a sleeping baby's face with small red spots on "
    "the cheeks and nose",
    "face:flakes": "a simple drawing of a sleeping baby's face with pale yellow flakes "
    "across the top of the head",
    "face:patch": "a simple drawing of a sleeping baby's face with a flat pale pink "
    "patch on the forehead",
    "face:bump": "a simple drawing of a sleeping baby's face with a small bright red "
    "mark on one cheek",
    "sun": "a simple drawing of a yellow sun with short rays",
    "hat": "a simple drawing of a wide-brimmed sun hat under a small yellow sun",
    "bottle": "a simple drawing of a baby's feeding bottle",
    "tube": "a simple drawing of a tube of cream",
    "nappy": "a simple drawing of a white nappy",
    "blisters": "scattered small red rings with pale centres",
    "hives": "several raised pink blotches with paler centres",
    "glass": "a simple drawing of a clear drinking glass pressed over small dark red "
    "dots",
    "heart": "a simple drawing of a pink heart",
    "portrait": "a plain head-and-shoulders silhouette",
}

INK = (84, 70, 92)
SKIN = (255, 240, 226)
RED = (214, 84, 96)
PINK = (242, 160, 170)
YELLOW = (255, 206, 92)
WHITE = (255, 255, 252)
SCALE = 2  # drawn at twice the size, then reduced, for smooth edges


def image_alt(motif: str, palette: str, label: str = "") -> str:
    """Honest alt text: what the generated placeholder shows."""
    alt = f"Illustration: soft {PALETTES[palette][0]} background with {MOTIFS[motif]}"
    return f"{alt}, and the words “{label}”" if label else alt


@functools.cache  # a pure function of its arguments; reloads reuse the bytes
def render_image(
    motif: str, palette: str, size: tuple[int, int], label: str = ""
) -> bytes:
    """A small JPEG: a soft vertical gradient, one simple drawing and an optional label."""
    _, top, bottom = PALETTES[palette]
    width, height = size[0] * SCALE, size[1] * SCALE
    mask = Image.linear_gradient("L").resize((width, height))
    canvas = Image.composite(
        Image.new("RGB", (width, height), bottom),
        Image.new("RGB", (width, height), top),
        mask,
    )
    draw = ImageDraw.Draw(canvas, "RGBA")
    r = min(width, height) * 0.3
    cx, cy = width / 2, height / 2 - (r * 0.1 if label else 0)
    _DRAWERS[motif.split(":")[0]](draw, cx, cy, r, motif, rng=random.Random(motif))
    if label:
        font = _font(int(height * 0.055))
        margin = int(min(width, height) * 0.06)
        top_offset = draw.textbbox((0, 0), label, font=font)[3]
        draw.text((margin, height - margin - top_offset), label, fill=INK, font=font)
    buffer = io.BytesIO()
    canvas.resize(size, Image.Resampling.LANCZOS).save(
        buffer, "JPEG", quality=80, optimize=True
    )
    return buffer.getvalue()


def _font(size: int):
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError):  # Pillow without FreeType: the small bitmap font
        return ImageFont.load_default()


def _line(r: float) -> int:
    return max(2, int(r * 0.035))


def _box(cx, cy, rx, ry=None):
    ry = rx if ry is None else ry
    return (cx - rx, cy - ry, cx + rx, cy + ry)


def _draw_face(draw, cx, cy, r, motif, rng):
    width = _line(r)
    draw.ellipse(_box(cx, cy, r), fill=SKIN, outline=INK, width=width)
    draw.arc(
        _box(cx, cy - r * 0.86, r * 0.12), 150, 420, fill=INK, width=width
    )  # a curl of hair
    for side in (-1, 1):  # closed, sleeping eyes
        ex, ey = cx + side * r * 0.36, cy - r * 0.08
        draw.arc(_box(ex, ey, r * 0.14, r * 0.09), 0, 180, fill=INK, width=width)
    draw.arc(
        _box(cx, cy + r * 0.3, r * 0.24, r * 0.16), 20, 160, fill=INK, width=width
    )  # smile
    variant = motif.partition(":")[2]
    if variant == "blotches":
        for x, y in [
            (-0.55, 0.28),
            (0.52, 0.3),
            (-0.2, -0.55),
            (0.28, -0.5),
            (0.0, 0.7),
        ]:
            px, py = cx + x * r, cy + y * r
            draw.ellipse(_box(px, py, r * 0.13, r * 0.1), fill=(*PINK, 200))
            draw.ellipse(_box(px, py, r * 0.035), fill=(255, 246, 214))
    elif variant == "spots":
        for x, y in [(-0.5, 0.25), (-0.62, 0.38), (-0.42, 0.42), (0.5, 0.24),
                     (0.6, 0.4), (0.4, 0.4), (0.0, 0.1), (0.08, 0.0)]:  # fmt: skip
            draw.ellipse(_box(cx + x * r, cy + y * r, r * 0.035), fill=RED)
    elif variant == "flakes":
        for _ in range(14):
            px = cx + rng.uniform(-0.6, 0.6) * r
            py = cy + rng.uniform(-0.85, -0.5) * r
            draw.ellipse(_box(px, py, r * 0.06, r * 0.035), fill=(240, 212, 130))
    elif variant == "patch":
        draw.ellipse(_box(cx, cy - r * 0.48, r * 0.3, r * 0.13), fill=(*PINK, 150))
    elif variant == "bump":
        draw.ellipse(
            _box(cx + r * 0.5, cy + r * 0.32, r * 0.1, r * 0.08),
            fill=RED,
            outline=(170, 50, 64),
            width=width,
        )


def _draw_sun(draw, cx, cy, r, motif, rng):
    width = _line(r) * 2
    for step in range(12):
        angle = step * 30
        inner, outer = _point(cx, cy, r * 0.62, angle), _point(cx, cy, r * 0.9, angle)
        draw.line([inner, outer], fill=(240, 170, 60), width=width)
    draw.ellipse(_box(cx, cy, r * 0.5), fill=YELLOW, outline=INK, width=_line(r))


def _point(cx, cy, distance, degrees):
    return (
        cx + distance * cos(radians(degrees)),
        cy + distance * sin(radians(degrees)),
    )


def _draw_hat(draw, cx, cy, r, motif, rng):
    _draw_sun(draw, cx + r * 1.25, cy - r * 0.75, r * 0.4, motif, rng)
    width = _line(r)
    straw = (238, 214, 156)
    draw.ellipse(
        _box(cx, cy + r * 0.25, r * 1.05, r * 0.28),
        fill=straw,
        outline=INK,
        width=width,
    )
    draw.chord(
        _box(cx, cy + r * 0.2, r * 0.55, r * 0.75),
        180,
        360,
        fill=straw,
        outline=INK,
        width=width,
    )
    draw.line(
        [(cx - r * 0.53, cy + r * 0.05), (cx + r * 0.53, cy + r * 0.05)],
        fill=(120, 160, 200),
        width=width * 3,
    )  # hat band


def _draw_bottle(draw, cx, cy, r, motif, rng):
    width = _line(r)
    draw.ellipse(
        _box(cx, cy - r * 0.78, r * 0.2, r * 0.25),
        fill=(250, 214, 160),
        outline=INK,
        width=width,
    )  # teat
    draw.rounded_rectangle(
        (cx - r * 0.42, cy - r * 0.7, cx + r * 0.42, cy - r * 0.5),
        radius=r * 0.05,
        fill=(190, 206, 240),
        outline=INK,
        width=width,
    )
    draw.rounded_rectangle(
        (cx - r * 0.35, cy - r * 0.5, cx + r * 0.35, cy + r * 0.95),
        radius=r * 0.14,
        fill=WHITE,
        outline=INK,
        width=width,
    )
    draw.rectangle(
        (cx - r * 0.33, cy + r * 0.25, cx + r * 0.33, cy + r * 0.85),
        fill=(255, 244, 220),
    )  # milk
    for step in range(4):
        y = cy - r * 0.3 + step * r * 0.25
        draw.line([(cx - r * 0.35, y), (cx - r * 0.18, y)], fill=INK, width=width)


def _draw_tube(draw, cx, cy, r, motif, rng):
    width = _line(r)
    draw.polygon(
        [
            (cx - r * 1.0, cy - r * 0.38),
            (cx + r * 0.45, cy - r * 0.28),
            (cx + r * 0.45, cy + r * 0.28),
            (cx - r * 1.0, cy + r * 0.38),
        ],
        fill=WHITE,
        outline=INK,
        width=width,
    )
    for step in range(1, 4):  # crimped end
        x = cx - r * 1.0 + step * r * 0.06
        draw.line([(x, cy - r * 0.36), (x, cy + r * 0.36)], fill=INK, width=width)
    draw.rounded_rectangle(
        (cx + r * 0.45, cy - r * 0.2, cx + r * 0.85, cy + r * 0.2),
        radius=r * 0.05,
        fill=(150, 196, 220),
        outline=INK,
        width=width,
    )
    draw.rectangle(
        (cx - r * 0.55, cy - r * 0.12, cx + r * 0.15, cy + r * 0.12),
        fill=(200, 226, 236),
    )  # label band


def _draw_nappy(draw, cx, cy, r, motif, rng):
    width = _line(r)
    draw.polygon(
        [
            (cx - r * 0.95, cy - r * 0.55),
            (cx + r * 0.95, cy - r * 0.55),
            (cx + r * 0.8, cy + r * 0.05),
            (cx + r * 0.3, cy + r * 0.65),
            (cx - r * 0.3, cy + r * 0.65),
            (cx - r * 0.8, cy + r * 0.05),
        ],
        fill=WHITE,
        outline=INK,
        width=width,
    )
    draw.line(
        [(cx - r * 0.93, cy - r * 0.42), (cx + r * 0.93, cy - r * 0.42)],
        fill=(170, 200, 230),
        width=width * 3,
    )  # waistband
    for side in (-1, 1):
        x = cx + side * r * 0.95
        draw.rectangle(
            _box(x - side * r * 0.08, cy - r * 0.3, r * 0.08, r * 0.1),
            fill=(170, 200, 230),
            outline=INK,
            width=width,
        )


def _draw_blisters(draw, cx, cy, r, motif, rng):
    width = _line(r) * 2
    for _ in range(16):
        px = cx + rng.uniform(-1.3, 1.3) * r
        py = cy + rng.uniform(-0.85, 0.85) * r
        size = r * rng.uniform(0.07, 0.12)
        draw.ellipse(_box(px, py, size), fill=(255, 246, 236), outline=RED, width=width)


def _draw_hives(draw, cx, cy, r, motif, rng):
    for _ in range(7):
        px = cx + rng.uniform(-1.1, 1.1) * r
        py = cy + rng.uniform(-0.7, 0.7) * r
        rx, ry = r * rng.uniform(0.18, 0.3), r * rng.uniform(0.12, 0.22)
        draw.ellipse(_box(px, py, rx, ry), fill=(*PINK, 220))
        draw.ellipse(_box(px, py, rx * 0.55, ry * 0.5), fill=(252, 222, 226, 230))


def _draw_glass(draw, cx, cy, r, motif, rng):
    for _ in range(22):
        px = cx + rng.uniform(-0.8, 0.8) * r
        py = cy + rng.uniform(-0.6, 0.8) * r
        draw.ellipse(_box(px, py, r * 0.035), fill=(150, 40, 60))
    width = _line(r)
    outline = [
        (cx - r * 0.55, cy - r * 0.85),
        (cx + r * 0.55, cy - r * 0.85),
        (cx + r * 0.42, cy + r * 0.9),
        (cx - r * 0.42, cy + r * 0.9),
    ]
    draw.polygon(outline, fill=(255, 255, 255, 70), outline=INK, width=width)
    draw.line(
        [(cx - r * 0.38, cy - r * 0.7), (cx - r * 0.3, cy + r * 0.6)],
        fill=(255, 255, 255, 200),
        width=width * 2,
    )  # highlight


def _draw_heart(draw, cx, cy, r, motif, rng):
    colour = (236, 132, 156)
    draw.ellipse(_box(cx - r * 0.38, cy - r * 0.3, r * 0.45), fill=colour)
    draw.ellipse(_box(cx + r * 0.38, cy - r * 0.3, r * 0.45), fill=colour)
    draw.polygon(
        [
            (cx - r * 0.8, cy - r * 0.12),
            (cx + r * 0.8, cy - r * 0.12),
            (cx, cy + r * 0.85),
        ],
        fill=colour,
    )


def _draw_portrait(draw, cx, cy, r, motif, rng):
    colour = (*INK, 150)
    draw.ellipse(_box(cx, cy - r * 0.55, r * 0.62), fill=colour)
    draw.chord(_box(cx, cy + r * 1.55, r * 1.35, r * 1.0), 180, 360, fill=colour)


_DRAWERS = {
    "face": _draw_face,
    "sun": _draw_sun,
    "hat": _draw_hat,
    "bottle": _draw_bottle,
    "tube": _draw_tube,
    "nappy": _draw_nappy,
    "blisters": _draw_blisters,
    "hives": _draw_hives,
    "glass": _draw_glass,
    "heart": _draw_heart,
    "portrait": _draw_portrait,
}
