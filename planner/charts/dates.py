"""Date axes written the reader's way: ``Mar 5 / 2026`` or ``3月5日 / 2026年``.

Plotly formats date ticks in the browser with d3's English month names; a pattern of
numbers and Chinese units avoids them without shipping a plotly locale bundle.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

TICK_FORMATS: Mapping[str, str] = {"en": "%b %-d\n%Y", "zh": "%-m月%-d日\n%Y年"}
HOVER_FORMATS: Mapping[str, str] = {"en": "%b %-d, %Y", "zh": "%Y年%-m月%-d日"}


def localize_date_axes(figure: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """``figure`` with every date axis's tick and hover format for ``lang`` ("en"/"zh");
    the figure given is not changed.

    >>> fig = {"data": [], "layout": {"xaxis": {"type": "date"}, "yaxis": {}}}
    >>> localize_date_axes(fig, "zh")["layout"]["xaxis"]["tickformat"]
    '%-m月%-d日\\n%Y年'
    >>> "tickformat" in fig["layout"]["xaxis"], "tickformat" in fig["layout"]["yaxis"]
    (False, False)
    """
    ticks = TICK_FORMATS.get(lang, TICK_FORMATS["en"])
    hover = HOVER_FORMATS.get(lang, HOVER_FORMATS["en"])
    layout = dict(figure.get("layout") or {})
    for name, axis in list(layout.items()):
        if name.startswith("xaxis") and isinstance(axis, Mapping) and axis.get("type") == "date":
            layout[name] = {**axis, "tickformat": ticks, "hoverformat": hover}
    return {**figure, "layout": layout}
