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
    height, top, bar = 92, 18, 44
    span = max((end - start).days + 1, 1)

    def x(day: dt.date) -> float:
        return width * min(max((day - start).days, 0), span) / span

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" font-family="{escape(FONT_STACK)}">'
    ]
    for phase in phases:
        left = x(phase.start)
        right = x(phase.end + dt.timedelta(days=1))
        rag = rag_of(phase.rag)
        parts.append(
            f'<rect x="{left:.1f}" y="{top}" width="{max(right - left, 4):.1f}" height="{bar}" '
            f'fill="#{RAG_FILL[rag]}" stroke="#ffffff" stroke-width="2"/>'
        )
        label = next(
            (
                t
                for t in (phase.bar_label, phase.short)
                if t and text_width(t, 13) < right - left - 6
            ),
            "",
        )  # measured: a label wider than its bar is left to the table below
        if label:
            parts.append(
                f'<text x="{(left + right) / 2:.1f}" y="{top + bar / 2 + 5}" text-anchor="middle" '
                f'font-size="13" font-weight="bold" fill="#{RAG_TEXT[rag]}">'
                f"{escape(label)}</text>"
            )
    if start <= today <= end:
        tx = x(today)
        parts.append(
            f'<line x1="{tx:.1f}" y1="6" x2="{tx:.1f}" y2="{top + bar + 8}" stroke="#111" '
            'stroke-width="3"/>'
        )
        anchor = "start" if tx < width * 0.85 else "end"
        parts.append(
            f'<text x="{tx + (4 if anchor == "start" else -4):.1f}" y="{top + bar + 24}" '
            f'text-anchor="{anchor}" font-size="12" fill="#111">'
            f"{escape(today_label)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _unit_groups(metrics: Sequence[MetricRow]) -> list[tuple[str, list[MetricRow]]]:
    """Charted metrics grouped by unit, in the order the units first appear."""
    groups: dict[str, list[MetricRow]] = {}
    for metric in metrics:
        if metric.latest is not None and metric.target is not None:
            groups.setdefault(metric.unit, []).append(metric)
    return list(groups.items())


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
    bar_h, gap, line_h, label_size = 16, 2, 16, 12
    plot_w = width - 60
    parts: list[str] = []
    y = 6
    for unit, rows in _unit_groups(metrics):
        parts.append(
            f'<text x="0" y="{y + 14}" font-size="13" font-weight="bold" fill="#1F4E79">'
            f"{escape(unit or '#')}</text>"
        )
        y += 24
        peak = max([max(m.latest or 0, m.target or 0) for m in rows] + [1e-9])
        for metric in rows:
            for line in wrap_to_width(metric.name, label_size, plot_w):
                y += line_h
                parts.append(
                    f'<text x="0" y="{y - 3}" font-size="{label_size}" fill="#222">'
                    f"{escape(line)}</text>"
                )
            for j, value in enumerate((metric.latest, metric.target)):
                assert value is not None
                w = max(plot_w * max(value, 0) / peak, 1)
                parts.append(
                    f'<rect x="0" y="{y}" width="{w:.1f}" height="{bar_h}" '
                    f'fill="{_BAR_COLOURS[j]}"/>'
                )
                parts.append(
                    f'<text x="{w + 4:.1f}" y="{y + bar_h - 3}" font-size="11" '
                    f'fill="#222">{escape(_fmt(value))}</text>'
                )
                y += bar_h + gap
            y += 8
        y += 10
    y += 8
    for j, name in enumerate((latest_label, target_label)):
        lx = j * 140
        parts.append(
            f'<rect x="{lx}" y="{y - 11}" width="14" height="14" fill="{_BAR_COLOURS[j]}"/>'
        )
        parts.append(
            f'<text x="{lx + 20}" y="{y}" font-size="12" fill="#222">{escape(name)}</text>'
        )
    height = y + 10
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" font-family="{escape(FONT_STACK)}">'
    )
    return head + "".join(parts) + "</svg>"


def html_to_pdf(html: str) -> bytes:
    """Lay out ``html`` as PDF with WeasyPrint, fetching nothing but ``data:`` URLs."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols=("data",), timeout=1, allow_redirects=False)
    document = HTML(string=html, base_url=None, url_fetcher=fetcher)
    return bytes(document.write_pdf())
