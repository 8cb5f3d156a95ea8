"""The Content-Security-Policy: no inline script, no inline style.

Pages carry no ``style`` attributes or ``<style>`` blocks (sizes come as data attributes,
set by ``static/js/layout.js`` through the CSSOM, which the policy allows). Two ``<style>``
elements are plotly.js's own: an empty one it fills through the CSSOM (``insertRule``) and
the map library's stylesheet it writes as text. Both are allowed by the hash of their exact
text, read from the plotly.js this app serves, so an upgrade of plotly keeps working and
nothing else inline is let through.

plotly.js writes the rich text of labels (``<b>``, ``<i>``) as ``style`` attributes on SVG
text. Those few exact values are allowed by hash under ``'unsafe-hashes'`` (which admits
attributes whose text hashes to a listed value, and no others): :func:`plotly_text_styles`.

Our own inline SVG (a playbook preview's Gantt, :mod:`planner.charts.gantt_render`) paints
with presentation attributes (``fill=``, ``stroke=``, ``font-family=``), which the policy
does not govern: it needs no hash and no ``style`` attribute.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import cache
from pathlib import Path

# `var e=document.createElement("style");e.id="…",e.textContent='…'` in plotly.min.js
_PLOTLY_STYLE_TEXT = re.compile(
    r'createElement\("style"\);\s*\w+\.id="[^"]*",\s*\w+\.textContent=\'([^\'\\]*)\''
)


def plotly_text_styles() -> tuple[str, ...]:
    """The ``style`` attributes plotly.js writes for the rich text our charts use."""
    # <b>, <i> (the Gantt charts are SVG of our own, with presentation attributes only)
    return ("font-weight:bold", "font-style:italic")


def style_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def plotly_js_path() -> Path:
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def plotly_bundles() -> list[Path]:
    """Every plotly.js the app serves: the full one from the plotly package (polar charts)
    and the partial bundles vendored in ``static/vendor``."""
    from planner.config import PROJECT_ROOT

    return [plotly_js_path(), *sorted((PROJECT_ROOT / "static" / "vendor").glob("plotly*.min.js"))]


@cache
def plotly_style_hashes() -> tuple[str, ...]:
    """Hashes of the ``<style>`` texts plotly.js inserts: the empty one always, the map
    stylesheet when found (without it that one element is refused, nothing else breaks),
    from every bundle served."""
    hashes = [style_hash("")]
    for path in plotly_bundles():
        if path.exists():
            source = path.read_text(encoding="utf-8", errors="replace")
            hashes.extend(style_hash(found) for found in _PLOTLY_STYLE_TEXT.findall(source))
    return tuple(dict.fromkeys(hashes))


@cache
def content_security_policy() -> str:
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-hashes' "
            + " ".join([*plotly_style_hashes(), *map(style_hash, plotly_text_styles())]),
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )
