"""How wide a text is when set in the pack's fonts, and where to break it to fit a width.

Labels in charts and slides are fitted by their measured width, never by counting
characters: a Chinese character is about twice as wide as a Latin one, and "WWW" is wider
than "iii". The widths come from the font files fontconfig would pick (Noto Sans CJK, which
also carries Latin glyphs; Debian's ``fonts-noto-cjk``) through Pillow; where no such font
is installed, from a per-character estimate (East Asian wide characters one em, Latin
letters about half an em), which errs on the wide side so that nothing is cut.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Any, Final

__all__ = ["text_width", "wrap_to_width"]

#: font files tried in order (Pillow looks them up in the system's font folders)
FONT_FILES: Final = (
    "NotoSansCJK-Regular.ttc",
    "NotoSansCJKsc-Regular.otf",
    "wqy-microhei.ttc",
    "DejaVuSans.ttf",
)
_MEASURE_SIZE: Final = 100  # measured at 100 px, scaled linearly


@lru_cache(maxsize=1)
def _font() -> Any | None:
    try:
        from PIL import ImageFont
    except ImportError:  # pragma: no cover - Pillow comes with WeasyPrint
        return None
    for name in FONT_FILES:
        try:
            return ImageFont.truetype(name, _MEASURE_SIZE)
        except OSError:
            continue
    return None


def _estimate(text: str) -> float:
    """Width in ems by character class (used where no font file is found)."""
    width = 0.0
    for char in text:
        if unicodedata.east_asian_width(char) in ("W", "F"):
            width += 1.0
        elif char == " ":
            width += 0.3
        elif char.isupper() or char.isdigit():
            width += 0.68
        else:
            width += 0.56
    return width


@lru_cache(maxsize=4096)
def _width_in_ems(text: str) -> float:
    font = _font()
    if font is None:
        return _estimate(text)
    return float(font.getlength(text)) / _MEASURE_SIZE


def text_width(text: str, size: float) -> float:
    """The width of ``text`` set at ``size`` (points or pixels: the same unit comes back).

    >>> text_width("", 12)
    0.0
    >>> text_width("数据", 10) > text_width("ab", 10) > 0
    True
    """
    return _width_in_ems(text) * size


def _pieces(text: str) -> list[str]:
    """Break opportunities: after a space, and between East Asian wide characters."""
    pieces: list[str] = []
    current = ""
    for char in text:
        wide = unicodedata.east_asian_width(char) in ("W", "F")
        if wide and current and not current.endswith(" "):
            pieces.append(current)
            current = ""
        current += char
        if char == " " or wide:
            pieces.append(current)
            current = ""
    if current:
        pieces.append(current)
    return pieces


def wrap_to_width(text: str, size: float, width: float, max_lines: int = 3) -> list[str]:
    """``text`` broken into at most ``max_lines`` lines, each at most ``width`` wide.

    A word wider than the line is broken between characters; only text beyond
    ``max_lines`` lines is replaced by an ellipsis.

    >>> wrap_to_width("Active users", 10, 1000)
    ['Active users']
    >>> lines = wrap_to_width("数据完整率数据完整率数据完整率", 10, 50)
    >>> all(text_width(line, 10) <= 50 for line in lines)
    True
    """
    lines: list[str] = []
    current = ""
    for piece in _pieces(text):
        if text_width(current + piece.rstrip(), size) <= width:
            current += piece
            continue
        if current.strip():
            lines.append(current.rstrip())
            current = ""
        while text_width(piece.rstrip(), size) > width and len(piece) > 1:
            cut = len(piece) - 1
            while cut > 1 and text_width(piece[:cut], size) > width:
                cut -= 1
            lines.append(piece[:cut])
            piece = piece[cut:]
        current = piece
    if current.strip():
        lines.append(current.rstrip())
    if len(lines) > max_lines:
        kept = lines[: max_lines - 1]
        last = lines[max_lines - 1]
        while last and text_width(last + "…", size) > width:
            last = last[:-1]
        lines = [*kept, last + "…"]
    return lines or [""]
