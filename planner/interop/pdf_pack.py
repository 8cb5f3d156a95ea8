"""The steering-committee pack as PDF: HTML laid out by WeasyPrint, charts as inline SVG.

No network is ever used: the fetcher given to WeasyPrint accepts only ``data:`` URLs, the
charts are SVG written here (no browser, no plotly export), and text is set with the fonts
fontconfig finds on the machine (Chinese needs a CJK font such as Debian's
``fonts-noto-cjk``; without one, WeasyPrint draws empty boxes and says nothing).

:func:`timeline_svg` and :func:`metrics_svg` take the plain data of
:mod:`planner.interop.pack_data` and return SVG text; :func:`html_to_pdf` turns the pack's
HTML (rendered by the service from ``templates/exchange/pack_pdf.html``) into PDF bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape
from typing import Final

from planner.interop.pack_data import RAG_FILL, RAG_TEXT, MetricRow, PhaseRow, rag_of
from planner.interop.text_measure import text_width, wrap_to_width

__all__ = ["FONT_STACK", "html_to_pdf", "metrics_svg", "timeline_svg"]

FONT_STACK: Final = "'Noto Sans CJK SC', 'Noto Sans', 'WenQuanYi Micro Hei', sans-serif"
_BAR_COLOURS: Final = ("#1F4E79", "#B0BEC5")


def _fmt(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


#: the timeline's height, the top of its bars and their height
_TIMELINE_HEIGHT: Final = 92
_BAR_TOP: Final = 18
_BAR_HEIGHT: Final = 44


def _svg_open(width: int, height: int) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" font-family="{escape(FONT_STACK)}">'
    )


def timeline_svg(
    phases: Sequence[PhaseRow],
    start: dt.date,
    end: dt.date,
    today: dt.date,
    today_label: str,
    width: int = 1000,
) -> str:
    """One bar per phase across the program's span, coloured by RAG, with today marked.

    >>> d = dt.date(2025, 1, 1)
    >>> row = PhaseRow("P1", d, d + dt.timedelta(days=9), "current", "now", 50, "amber",
    ...                "Amber", "green", "amber", "green")
    >>> svg = timeline_svg([row], d, d + dt.timedelta(days=9), d, "Today")
    >>> svg.startswith("<svg") and "#FFB300" in svg and "Today" in svg
    True
    """
    span = max((end - start).days + 1, 1)

    def x(day: dt.date) -> float:
        return width * min(max((day - start).days, 0), span) / span

    parts = [_svg_open(width, _TIMELINE_HEIGHT)]
    for phase in phases:
        parts += _phase_bar(phase, x(phase.start), x(phase.end + dt.timedelta(days=1)))
    if start <= today <= end:
        parts += _today_mark(x(today), today_label, width)
    parts.append("</svg>")
    return "".join(parts)


def _phase_bar(phase: PhaseRow, left: float, right: float) -> list[str]:
    """A phase's bar in its RAG colour, its name inside when it fits."""
    top, bar = _BAR_TOP, _BAR_HEIGHT
    rag = rag_of(phase.rag)
    parts = [
        f'<rect x="{left:.1f}" y="{top}" width="{max(right - left, 4):.1f}" height="{bar}" '
        f'fill="#{RAG_FILL[rag]}" stroke="#ffffff" stroke-width="2"/>'
    ]
    label = next(
        (t for t in (phase.bar_label, phase.short) if t and text_width(t, 13) < right - left - 6),
        "",
    )  # measured: a label wider than its bar is left to the table below
    if label:
        parts.append(
            f'<text x="{(left + right) / 2:.1f}" y="{top + bar / 2 + 5}" text-anchor="middle" '
            f'font-size="13" font-weight="bold" fill="#{RAG_TEXT[rag]}">'
            f"{escape(label)}</text>"
        )
    return parts


def _today_mark(tx: float, today_label: str, width: int) -> list[str]:
    """A line at today, its label on the side with room."""
    bottom = _BAR_TOP + _BAR_HEIGHT
    anchor = "start" if tx < width * 0.85 else "end"
    return [
        f'<line x1="{tx:.1f}" y1="6" x2="{tx:.1f}" y2="{bottom + 8}" stroke="#111" '
        'stroke-width="3"/>',
        f'<text x="{tx + (4 if anchor == "start" else -4):.1f}" y="{bottom + 24}" '
        f'text-anchor="{anchor}" font-size="12" fill="#111">'
        f"{escape(today_label)}</text>",
    ]


def _unit_groups(metrics: Sequence[MetricRow]) -> list[tuple[str, list[MetricRow]]]:
    """Charted metrics grouped by unit, in the order the units first appear."""
    groups: dict[str, list[MetricRow]] = {}
    for metric in metrics:
        if metric.latest is not None and metric.target is not None:
            groups.setdefault(metric.unit, []).append(metric)
    return list(groups.items())


#: a metric bar's height and the gap below it, a name line's height and its font size
_BAR_H: Final = 16
_BAR_GAP: Final = 2
_LINE_H: Final = 16
_LABEL_SIZE: Final = 12


def metrics_svg(
    metrics: Sequence[MetricRow], latest_label: str, target_label: str, width: int = 620
) -> str:
    """One small bar chart per unit: each metric's latest reading beside its target.

    Metrics of different units never share an axis (a percentage beside "per week" would
    read as one scale); each panel is scaled to its own largest value. Names are wrapped to
    the panel's measured width, never cut.

    >>> row = MetricRow("Active users", "%", 54.0, 70.0, "54%", "70%", "amber", "Amber")
    >>> svg = metrics_svg([row], "Latest", "Target")
    >>> "Active users" in svg and ">54<" in svg and ">70<" in svg
    True
    """
    plot_w = width - 60
    parts: list[str] = []
    y = 6
    for unit, rows in _unit_groups(metrics):
        y = _unit_panel(parts, unit, rows, y, plot_w)
    y += 8
    parts += _legend(y, (latest_label, target_label))
    return _svg_open(width, y + 10) + "".join(parts) + "</svg>"


def _unit_panel(parts: list[str], unit: str, rows: Sequence[MetricRow], y: int, plot_w: int) -> int:
    """One unit's title and its metrics (name lines, then latest and target bars) appended
    to ``parts`` from ``y`` down; returns the ``y`` below the panel."""
    parts.append(
        f'<text x="0" y="{y + 14}" font-size="13" font-weight="bold" fill="#1F4E79">'
        f"{escape(unit or '#')}</text>"
    )
    y += 24
    peak = max([max(m.latest or 0, m.target or 0) for m in rows] + [1e-9])
    for metric in rows:
        for line in wrap_to_width(metric.name, _LABEL_SIZE, plot_w):
            y += _LINE_H
            parts.append(
                f'<text x="0" y="{y - 3}" font-size="{_LABEL_SIZE}" fill="#222">'
                f"{escape(line)}</text>"
            )
        for j, value in enumerate((metric.latest, metric.target)):
            assert value is not None
            parts += _value_bar(y, max(plot_w * max(value, 0) / peak, 1), value, j)
            y += _BAR_H + _BAR_GAP
        y += 8
    return y + 10


def _value_bar(y: int, w: float, value: float, series: int) -> list[str]:
    return [
        f'<rect x="0" y="{y}" width="{w:.1f}" height="{_BAR_H}" fill="{_BAR_COLOURS[series]}"/>',
        f'<text x="{w + 4:.1f}" y="{y + _BAR_H - 3}" font-size="11" '
        f'fill="#222">{escape(_fmt(value))}</text>',
    ]


def _legend(y: int, names: Sequence[str]) -> list[str]:
    parts = []
    for j, name in enumerate(names):
        lx = j * 140
        parts.append(
            f'<rect x="{lx}" y="{y - 11}" width="14" height="14" fill="{_BAR_COLOURS[j]}"/>'
        )
        parts.append(
            f'<text x="{lx + 20}" y="{y}" font-size="12" fill="#222">{escape(name)}</text>'
        )
    return parts


def html_to_pdf(html: str) -> bytes:
    """Lay out ``html`` as PDF with WeasyPrint, fetching nothing but ``data:`` URLs."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols=("data",), timeout=1, allow_redirects=False)
    document = HTML(string=html, base_url=None, url_fetcher=fetcher)
    return bytes(document.write_pdf())
