"""A :class:`~planner.charts.gantt_scene.Scene` written out: SVG text (vector, for the PDF
pack and print) or PNG bytes through Pillow (for the deck), both from the same shapes, with
the Noto Sans CJK face so Chinese names read as well as Latin ones."""

from __future__ import annotations

import io
import re
from functools import lru_cache
from html import escape
from typing import Any, Final

from planner.charts.gantt_scene import Line, Poly, Rect, Scene, Text

FONT_FAMILY: Final = "'Noto Sans CJK SC', 'Noto Sans', 'WenQuanYi Micro Hei', sans-serif"
#: font files for Pillow (system font folders) and the face of Simplified Chinese in each
FONT_FILES: Final = (
    ("NotoSansCJK-{weight}.ttc", 2),
    ("NotoSansCJKsc-{weight}.otf", 0),
    ("DejaVuSans{dejavu}.ttf", 0),
)
_RGBA = re.compile(r"rgba\((\d+),\s*(\d+),\s*(\d+),\s*([\d.]+)\)")


def _paint(colour: str) -> tuple[str, float]:
    """An SVG colour and its opacity (``rgba()`` is CSS, not SVG 1.1)."""
    found = _RGBA.fullmatch(colour)
    if found is None:
        return colour, 1.0
    r, g, b, a = found.groups()
    return f"#{int(r):02x}{int(g):02x}{int(b):02x}", float(a)


def _fill(colour: str | None, attr: str = "fill") -> str:
    if colour is None:
        return f' {attr}="none"'
    value, alpha = _paint(colour)
    return f' {attr}="{value}"' + (f' {attr}-opacity="{alpha:g}"' if alpha < 1 else "")


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def to_svg(scene: Scene, *, title: str = "") -> str:
    """The scene as a standalone SVG document (its size in px, scalable)."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(scene.width)} '
        f'{_n(scene.height)}" width="{_n(scene.width)}" height="{_n(scene.height)}" '
        f'font-family="{FONT_FAMILY}" font-size="12" role="img"'
        + (f' aria-label="{escape(title, quote=True)}"' if title else "")
        + ">"
    ]
    if title:
        parts.append(f"<title>{escape(title, quote=False)}</title>")
    for shape in scene.shapes:
        if isinstance(shape, Rect):
            stroke = _fill(shape.stroke, "stroke") if shape.stroke else ""
            width = f' stroke-width="{_n(shape.width)}"' if shape.stroke else ""
            parts.append(
                f'<rect x="{_n(shape.x)}" y="{_n(shape.y)}" width="{_n(max(shape.w, 0))}" '
                f'height="{_n(shape.h)}"{_fill(shape.fill)}{stroke}{width}/>'
            )
        elif isinstance(shape, Line):
            dash = f' stroke-dasharray="{" ".join(map(_n, shape.dash))}"' if shape.dash else ""
            parts.append(
                f'<line x1="{_n(shape.x1)}" y1="{_n(shape.y1)}" x2="{_n(shape.x2)}" '
                f'y2="{_n(shape.y2)}"{_fill(shape.colour, "stroke")} '
                f'stroke-width="{_n(shape.width)}"{dash}/>'
            )
        elif isinstance(shape, Poly):
            points = " ".join(f"{_n(x)},{_n(y)}" for x, y in shape.points)
            tag = "polygon" if shape.fill else "polyline"
            stroke = (
                _fill(shape.stroke, "stroke") + f' stroke-width="{_n(shape.width)}"'
                if shape.stroke
                else ""
            )
            parts.append(f'<{tag} points="{points}"{_fill(shape.fill)}{stroke}/>')
        elif isinstance(shape, Text):
            weight = ' font-weight="600"' if shape.bold else ""
            parts.append(
                f'<text x="{_n(shape.x)}" y="{_n(shape.y + shape.size * 0.36)}"'
                f"{_fill(shape.colour)}{weight}>{escape(shape.text, quote=False)}</text>"
            )
    parts.append("</svg>")
    return "".join(parts)


@lru_cache(maxsize=8)
def _font(size: int, bold: bool) -> Any:
    from PIL import ImageFont

    for pattern, index in FONT_FILES:
        name = pattern.format(weight="Bold" if bold else "Regular", dejavu="-Bold" if bold else "")
        try:
            return ImageFont.truetype(name, size, index=index)
        except OSError:
            continue
    return ImageFont.load_default(size)


def _rgba(colour: str) -> tuple[int, int, int, int]:
    value, alpha = _paint(colour)
    value = value.lstrip("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16), round(alpha * 255))


def to_png(scene: Scene, *, scale: float = 2.0) -> bytes:
    """The scene as PNG, ``scale`` pixels a scene pixel (2: sharp on a slide or A3)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (round(scene.width * scale), round(scene.height * scale)), "white")
    draw = ImageDraw.Draw(image, "RGBA")  # translucent fills blend as on the canvas

    def s(value: float) -> float:
        return value * scale

    for shape in scene.shapes:
        if isinstance(shape, Rect):
            box = (s(shape.x), s(shape.y), s(shape.x + max(shape.w, 0)), s(shape.y + shape.h))
            if box[2] <= box[0] or box[3] <= box[1]:
                continue
            draw.rectangle(
                box,
                fill=_rgba(shape.fill) if shape.fill else None,
                outline=_rgba(shape.stroke) if shape.stroke else None,
                width=max(1, round(s(shape.width))) if shape.stroke else 0,
            )
        elif isinstance(shape, Line):
            width = max(1, round(s(shape.width)))
            for a, b in _dashes(shape):
                draw.line((s(a[0]), s(a[1]), s(b[0]), s(b[1])), _rgba(shape.colour), width)
        elif isinstance(shape, Poly):
            points = [(s(x), s(y)) for x, y in shape.points]
            if shape.fill:
                draw.polygon(points, fill=_rgba(shape.fill))
            if shape.stroke:
                draw.line(points, _rgba(shape.stroke), max(1, round(s(shape.width))), joint="curve")
        elif isinstance(shape, Text):
            font = _font(round(s(shape.size)), shape.bold)
            draw.text((s(shape.x), s(shape.y)), shape.text, _rgba(shape.colour), font, anchor="lm")
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=6)
    return out.getvalue()


def _dashes(line: Line) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """A dashed line as its drawn segments (Pillow draws solid lines only)."""
    start, end = (line.x1, line.y1), (line.x2, line.y2)
    if not line.dash:
        return [(start, end)]
    length = ((line.x2 - line.x1) ** 2 + (line.y2 - line.y1) ** 2) ** 0.5
    if length == 0:
        return []
    ux, uy = (line.x2 - line.x1) / length, (line.y2 - line.y1) / length
    segments, at, k = [], 0.0, 0
    while at < length:
        step = line.dash[k % len(line.dash)]
        if k % 2 == 0:
            stop = min(length, at + step)
            segments.append(
                ((line.x1 + ux * at, line.y1 + uy * at), (line.x1 + ux * stop, line.y1 + uy * stop))
            )
        at += step
        k += 1
    return segments
