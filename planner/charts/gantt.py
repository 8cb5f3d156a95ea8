"""The Gantt chart as a plain plotly figure dict, built for speed.

One trace per visual layer (baseline ghosts, group summaries, one per status, progress,
critical outline, milestones, critical links, other links), never one per task, and no
plotly.py validation: thousands of bars cost a few milliseconds and stay well under 300 KB of
JSON. Bars are horizontal bars on a date axis: ``base`` is the start date and ``x`` the
length in milliseconds (a task occupies its start day to the end of its finish day).

Rows are grouped by phase, then workstream: a phase heading row, a summary row per
workstream, then its items. Beyond :data:`AGGREGATE_ABOVE` items (or on request) the items
collapse into their workstream summaries. Input rows are any objects with the attributes of
:class:`GanttRow`, already sorted by phase, workstream and start; no database access here.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Protocol

import numpy as np

DAY_MS = 86_400_000
BAR_END_MS = DAY_MS - 3_600_000
"""A bar ends at 23:00 of its last day: ``%{x}`` (its end) then reads as the finish date."""
AGGREGATE_ABOVE = 2000
"""More visible items than this and the chart shows workstream summaries only."""
FULL_HEIGHT_ROWS = 160
"""Up to this many rows the chart is as tall as its rows; beyond, it scrolls (pan/zoom)."""
ROW_PX = 21
VIEW_ROWS = 46
NAME_CHARS = 44

COLOURS = {
    "done": "#7aa874",
    "in_progress": "#2f7fc1",
    "not_started": "#b7c4d3",
    "late": "#e8892b",
    "critical": "#c62828",
    "baseline": "rgba(55,55,55,0.45)",
    "summary": "#46525e",
    "progress": "rgba(10,40,80,0.55)",
    "link": "rgba(90,90,90,0.55)",
    "today": "#d62728",
    "status_date": "#7b1fa2",
    "gate": "#3b4a5a",
    "driving": "#4a148c",
}
PHASE_FILLS = ("rgba(111,66,193,0.07)", "rgba(31,78,121,0.06)", "rgba(31,78,121,0.12)")
STATUS_ORDER = ("done", "in_progress", "not_started", "late")

DEFAULT_LABELS: dict[str, str] = {
    "done": "Done",
    "in_progress": "In progress",
    "not_started": "Not started",
    "late": "Late",
    "critical": "Critical",
    "baseline": "Baseline",
    "milestone": "Milestones",
    "critical_links": "Critical path links",
    "driving": "Drives a gate",
    "other_links": "Other links",
    "summary": "Workstream summary",
    "progress": "Work done",
    "today": "Today",
    "status_date": "Status date",
    "gate": "Gate",
    "overrun": "overrun",
    "float": "Float",
    "free_float": "free",
    "owner": "Owner",
    "after": "After",
    "variance": "vs baseline",
    "items": "items",
    "wd": "wd",
    "complete": "complete",
    "no_workstream": "(no workstream)",
    "nothing": "No work items match these filters.",
}


class GanttRow(Protocol):
    """What the builder reads of a work item (see ``planner.services.plan_view.PlanRow``)."""

    id: int
    key: str
    name: str
    kind: str
    phase_key: str
    workstream: str | None
    owner: str | None
    duration: int
    percent: int
    early_start: date | None
    early_finish: date | None
    total_float: int | None
    free_float: int | None
    critical: bool
    status: str
    baseline_start: date | None
    baseline_finish: date | None
    finish_variance: int | None
    predecessors: list[str]


class GanttLink(Protocol):
    predecessor_id: int
    successor_id: int
    type: str
    lag: int
    critical: bool


class GanttPhase(Protocol):
    key: str
    name: str
    kind: str
    ordinal: int
    window_start: date
    window_end: date
    overrun_days: int


@dataclass(frozen=True)
class GanttOptions:
    """How to draw: links (``none``, ``critical`` or ``all``), summaries, reference lines."""

    arrows: str = "critical"
    summary: bool = False
    baseline_name: str | None = None
    today: date | None = None
    status_date: date | None = None
    labels: Mapping[str, str] = field(default_factory=lambda: DEFAULT_LABELS)
    # ids of the items on a chain that drives a phase gate (outlined in their own layer)
    driving: frozenset[int] = frozenset()
    # how a day is written in text on the chart (the axis has its own format)
    day_text: Callable[[date], str] = date.isoformat


def _iso(day: date) -> str:
    return day.isoformat()


def _end(day: date) -> str:
    """The end of ``day`` (midnight after it) on the date axis."""
    return (day + timedelta(days=1)).isoformat()


def _short(text: str, limit: int = NAME_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _html(text: str) -> str:
    if "&" not in text and "<" not in text and ">" not in text:
        return text
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class _Bars:
    """Columns of one bar layer."""

    __slots__ = ("base", "x", "y", "custom")

    def __init__(self) -> None:
        self.base: list[str] = []
        self.x: list[int] = []
        self.y: list[int] = []
        self.custom: list[list[Any]] = []

    def add(self, start: date, finish: date, y: int, custom: list[Any] | None = None) -> None:
        self.base.append(start.isoformat())
        self.x.append((finish - start).days * DAY_MS + BAR_END_MS)
        self.y.append(y)
        if custom is not None:
            self.custom.append(custom)


def _typed(values: Sequence[float], dtype: Any = None) -> dict[str, str]:
    """A plotly.js typed-array spec: base64 of little-endian numbers (compact JSON).

    Integers go as int16 when they fit, else int32; bar lengths as float32 (exact to well
    under the hour of slack each bar keeps before midnight).
    """
    if dtype is None:
        dtype = np.int16 if not values or max(values) < 32_000 else np.int32
    array = np.asarray(values, dtype=np.dtype(dtype).newbyteorder("<"))
    code = {np.int16: "i2", np.int32: "i4", np.float32: "f4", np.float64: "f8"}[dtype]
    return {"dtype": code, "bdata": base64.b64encode(array.tobytes()).decode("ascii")}


def _bar_trace(
    bars: _Bars,
    name: str,
    colour: str,
    *,
    width: float,
    offset: float,
    hover: str | None = None,
    line: dict[str, Any] | None = None,
    legend: bool = True,
    group: str | None = None,
) -> dict[str, Any]:
    trace: dict[str, Any] = {
        "type": "bar",
        "orientation": "h",
        "name": name,
        "base": bars.base,
        "x": _typed(bars.x, np.float32),
        "y": _typed(bars.y),
        "width": width,
        "offset": offset,
        "marker": {"color": colour, "line": line or {"width": 0}},
        "showlegend": legend,
    }
    if group:
        trace["legendgroup"] = group
    if hover is None:
        trace["hoverinfo"] = "skip"
    else:
        trace["customdata"] = bars.custom
        trace["hovertemplate"] = hover
    return trace


def build_gantt(
    rows: Sequence[GanttRow],
    links: Iterable[GanttLink],
    phases: Sequence[GanttPhase],
    options: GanttOptions | None = None,
) -> dict[str, Any]:
    """The figure dict ``{"data", "layout", "config"}`` of the Gantt chart."""
    options = options or GanttOptions()
    labels = {**DEFAULT_LABELS, **options.labels}
    summary_only = options.summary or len(rows) > AGGREGATE_ABOVE
    has_baseline = options.baseline_name is not None
    # slots within a row: the bar above, the baseline ghost below it
    bar_w, bar_off = (0.46, -0.38) if has_baseline else (0.6, -0.3)
    ghost_w, ghost_off = 0.2, 0.12

    tickvals: list[int] = []
    ticktext: list[str] = []
    y_of: dict[int, int] = {}
    status_bars = {status: _Bars() for status in STATUS_ORDER}
    ghosts = _Bars()
    outline = _Bars()
    driving = _Bars()
    progress = _Bars()
    summaries = _Bars()
    ms_x: list[str] = []
    ms_y: list[int] = []
    ms_colour: list[str] = []
    ms_line: list[str] = []
    ms_custom: list[list[Any]] = []
    wd = labels["wd"]
    phase_names = {phase.key: phase.name for phase in phases}

    def custom_for(row: GanttRow) -> list[Any]:
        preds = row.predecessors
        if not preds:
            after = "—"
        elif len(preds) <= 3:
            after = ", ".join(preds)
        else:
            after = f"{', '.join(preds[:3])} +{len(preds) - 3}"
        variance = row.finish_variance
        return [
            _html(row.name),
            row.key,
            row.duration,
            row.percent,
            row.total_float,
            row.free_float,
            _html(row.owner) if row.owner else "—",
            after,
            "" if variance is None else f"{variance:+d}",
            critical_label if row.critical else "",
        ]

    critical_label = f" · <b>{labels['critical']}</b>"
    tail = [
        f"{labels['float']}: %{{customdata[4]}} {wd} ({labels['free_float']} "
        f"%{{customdata[5]}})%{{customdata[9]}}",
        f"{labels['owner']}: %{{customdata[6]}}",
        f"{labels['after']}: %{{customdata[7]}}",
    ]
    if has_baseline:
        tail.append(f"{labels['variance']}: %{{customdata[8]}} {wd}")
    head = "<b>%{customdata[0]}</b> · %{customdata[1]}<br>"
    item_hover = (
        head
        + f"%{{base|%Y-%m-%d}} → %{{x|%Y-%m-%d}} · %{{customdata[2]}} {wd}"
        + " · %{customdata[3]}%<br>"
        + "<br>".join(tail)
        + "<extra></extra>"
    )
    milestone_hover = head + "%{customdata[10]}<br>" + "<br>".join(tail) + "<extra></extra>"

    # a tall chart opens on the current phase and labels only the item rows it shows first
    # (gantt.js labels the others as the user zooms and pans)
    dated = [r for r in rows if r.early_start is not None and r.early_finish is not None]
    expected_rows = (
        len({r.phase_key for r in dated})
        + len({(r.phase_key, r.workstream) for r in dated})
        + (0 if summary_only else len(dated))
    )
    tall = expected_rows > FULL_HEIGHT_ROWS
    focus = None
    if tall and options.today is not None:
        focus = next(
            (p.key for p in phases if p.window_start <= options.today <= p.window_end), None
        )
    view_start: int | None = None
    item_labels: list[tuple[int, str]] = []
    y = 0
    groups: list[tuple[int, list[GanttRow]]] = []
    current_phase: str | None = None
    current_stream: object = object()
    members: list[GanttRow] = []
    for row in rows:
        if row.early_start is None or row.early_finish is None:
            continue
        if row.phase_key != current_phase:
            current_phase = row.phase_key
            current_stream = object()
            if row.phase_key == focus:
                view_start = y
            tickvals.append(y)
            ticktext.append(
                f"<b>{_html(_short(phase_names.get(row.phase_key, row.phase_key)))}</b>"
            )
            y += 1
        if row.workstream != current_stream:
            current_stream = row.workstream
            members = []
            groups.append((y, members))
            tickvals.append(y)
            stream = row.workstream or labels["no_workstream"]
            ticktext.append(f"<i>{_html(_short(stream))}</i>")
            y += 1
        members.append(row)
        if summary_only:
            continue
        y_of[row.id] = y
        item_labels.append((y, _html(_short(row.name))))
        custom = custom_for(row)
        if row.kind == "milestone":
            ms_x.append(_end(row.early_finish))
            ms_y.append(y)
            ms_colour.append(COLOURS[row.status])
            if row.id in options.driving:
                ms_line.append(COLOURS["driving"])
            else:
                ms_line.append(COLOURS["critical"] if row.critical else "#333")
            custom.append(row.early_finish.isoformat())
            ms_custom.append(custom)
        else:
            status_bars[row.status].add(row.early_start, row.early_finish, y, custom)
            if row.critical:
                outline.add(row.early_start, row.early_finish, y)
            if row.id in options.driving:
                driving.add(row.early_start, row.early_finish, y)
            if 0 < row.percent < 100 and row.status != "done":
                span = (row.early_finish - row.early_start).days + 1
                done_days = max(1, round(span * row.percent / 100))
                progress.add(row.early_start, row.early_start + timedelta(days=done_days - 1), y)
        if has_baseline and row.baseline_start and row.baseline_finish:
            ghosts.add(row.baseline_start, row.baseline_finish, y)
        y += 1

    group_hover = (
        "<b>%{customdata[0]}</b><br>%{base|%Y-%m-%d} → %{x|%Y-%m-%d}<br>%{customdata[1]}"
        "<extra></extra>"
    )
    for group_y, group_rows in groups:
        start = min(r.early_start for r in group_rows if r.early_start is not None)
        finish = max(r.early_finish for r in group_rows if r.early_finish is not None)
        total = sum(r.duration for r in group_rows)
        done = sum(r.duration * r.percent for r in group_rows)
        pct = round(done / total) if total else 0
        first = group_rows[0]
        stream = first.workstream or labels["no_workstream"]
        name = f"{_html(stream)} · {first.phase_key}"
        counts = f"{len(group_rows)} {labels['items']} · {pct}% {labels['complete']}"
        custom = [name, counts]
        if summary_only:
            statuses = {r.status for r in group_rows}
            if "late" in statuses:
                status = "late"
            elif statuses == {"done"}:
                status = "done"
            elif statuses & {"done", "in_progress"}:
                status = "in_progress"
            else:
                status = "not_started"
            status_bars[status].add(start, finish, group_y, custom)
            if any(r.critical for r in group_rows):
                outline.add(start, finish, group_y)
            starts = [r.baseline_start for r in group_rows if r.baseline_start]
            finishes = [r.baseline_finish for r in group_rows if r.baseline_finish]
            if has_baseline and starts and finishes:
                ghosts.add(min(starts), max(finishes), group_y)
        else:
            summaries.add(start, finish, group_y, custom)

    data: list[dict[str, Any]] = []
    if has_baseline and ghosts.y:
        name = f"{labels['baseline']}: {options.baseline_name}"
        data.append(
            _bar_trace(
                ghosts, _short(name, 40), COLOURS["baseline"], width=ghost_w, offset=ghost_off
            )
        )
    if summaries.y:
        data.append(
            _bar_trace(
                summaries,
                labels["summary"],
                COLOURS["summary"],
                width=0.22,
                offset=-0.11,
                hover=group_hover,
            )
        )
    for status in STATUS_ORDER:
        bars = status_bars[status]
        if bars.y:
            data.append(
                _bar_trace(
                    bars,
                    labels[status],
                    COLOURS[status],
                    width=bar_w,
                    offset=bar_off,
                    hover=group_hover if summary_only else item_hover,
                    group=status,
                )
            )
    if progress.y:
        data.append(
            _bar_trace(
                progress,
                labels["progress"],
                COLOURS["progress"],
                width=bar_w * 0.34,
                offset=bar_off + bar_w * 0.33,
                legend=False,
            )
        )
    if outline.y:
        data.append(
            _bar_trace(
                outline,
                labels["critical"],
                "rgba(0,0,0,0)",
                width=bar_w,
                offset=bar_off,
                line={"color": COLOURS["critical"], "width": 2},
            )
        )
    if driving.y:
        data.append(
            _bar_trace(
                driving,
                labels["driving"],
                "rgba(0,0,0,0)",
                width=bar_w,
                offset=bar_off,
                line={"color": COLOURS["driving"], "width": 3},
            )
        )
    if ms_x:
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": labels["milestone"],
                "x": ms_x,
                "y": _typed(ms_y),
                "marker": {
                    "symbol": "diamond",
                    "size": 13,
                    "color": ms_colour,
                    "line": {"color": ms_line, "width": 2},
                },
                "customdata": ms_custom,
                "hovertemplate": milestone_hover,
            }
        )
    if not summary_only and options.arrows in ("critical", "all"):
        data.extend(_link_traces(rows, links, y_of, options.arrows, labels))

    figure_rows = max(y, 1)
    shown_rows = VIEW_ROWS if tall else figure_rows
    first_row = min(view_start or 0, max(0, figure_rows - shown_rows)) if tall else 0
    last_row = first_row + shown_rows
    ticks = list(zip(tickvals, ticktext, strict=True))
    ticks.extend(pair for pair in item_labels if first_row <= pair[0] < last_row)
    ticks.sort()
    tickvals = [value for value, _text in ticks]
    ticktext = [text for _value, text in ticks]
    height = max(320, shown_rows * ROW_PX + 170)
    shapes, annotations, x_range = _reference_marks(rows, phases, options, labels)
    if not y:
        annotations.append(
            {
                "text": labels["nothing"],
                "xref": "paper",
                "yref": "paper",
                "x": 0.5,
                "y": 0.5,
                "showarrow": False,
                "font": {"size": 14, "color": "#666"},
            }
        )
    layout: dict[str, Any] = {
        "barmode": "overlay",
        "height": height,
        "margin": {"l": 10, "r": 20, "t": 124, "b": 20},
        "hovermode": "closest",
        "hoverlabel": {"align": "left"},
        "dragmode": "zoom",
        "showlegend": True,
        "legend": {
            "orientation": "h",
            "x": 0.005,
            "xref": "container",
            "y": 1,
            "yanchor": "top",
            "yref": "container",
            "font": {"size": 11},
        },
        "xaxis": {
            "type": "date",
            "side": "top",
            "range": x_range,
            "showgrid": True,
            "gridcolor": "rgba(0,0,0,0.06)",
            "zeroline": False,
        },
        "yaxis": {
            "tickmode": "array",
            "tickvals": tickvals,
            "ticktext": ticktext,
            "range": [last_row - 0.5, first_row - 0.5],
            "automargin": True,
            "showgrid": False,
            "zeroline": False,
            "tickfont": {"size": 11},
        },
        "shapes": shapes,
        "annotations": annotations,
        "plot_bgcolor": "#fff",
        "paper_bgcolor": "#fff",
        "meta": {
            "rows": figure_rows,
            "viewRows": shown_rows,
            "firstRow": first_row,
            "summary": summary_only,
        },
    }
    return {
        "data": data,
        "layout": layout,
        "config": {"displaylogo": False, "responsive": True, "scrollZoom": False},
    }


def _link_traces(
    rows: Sequence[GanttRow],
    links: Iterable[GanttLink],
    y_of: Mapping[int, int],
    arrows: str,
    labels: Mapping[str, str],
) -> list[dict[str, Any]]:
    by_id = {row.id: row for row in rows}
    layers: dict[bool, tuple[list[Any], ...]] = {c: ([], [], [], [], []) for c in (True, False)}
    for link in links:
        if not link.critical and arrows != "all":
            continue
        p_y, s_y = y_of.get(link.predecessor_id), y_of.get(link.successor_id)
        if p_y is None or s_y is None:
            continue
        pred, succ = by_id[link.predecessor_id], by_id[link.successor_id]
        from_start = link.type in ("SS", "SF")
        to_start = link.type in ("FS", "SS")
        x0 = _edge(pred, from_start)
        x1 = _edge(succ, to_start)
        xs, ys, hx, hy, hs = layers[link.critical]
        xs.extend((x0, x0, x1, None))
        ys.extend((p_y, s_y, s_y, None))
        hx.append(x1)
        hy.append(s_y)
        hs.append(8 if x1 >= x0 else 7)  # triangle-right / triangle-left
    traces = []
    for critical, (xs, ys, hx, hy, hs) in layers.items():
        if not xs:
            continue
        colour = COLOURS["critical"] if critical else COLOURS["link"]
        name = labels["critical_links"] if critical else labels["other_links"]
        group = "links-critical" if critical else "links-other"
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": name,
                "legendgroup": group,
                "x": xs,
                "y": ys,
                "line": {"color": colour, "width": 1.6 if critical else 1},
                "hoverinfo": "skip",
                "connectgaps": False,
            }
        )
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": name,
                "legendgroup": group,
                "showlegend": False,
                "x": hx,
                "y": hy,
                "marker": {"symbol": hs, "size": 7, "color": colour},
                "hoverinfo": "skip",
            }
        )
    return traces


def _edge(row: GanttRow, start: bool) -> str:
    if row.kind == "milestone" or not start:
        return _end(row.early_finish)  # type: ignore[arg-type]  # a scheduled row has its dates
    return _iso(row.early_start)  # type: ignore[arg-type]  # a scheduled row has its dates


def _reference_marks(
    rows: Sequence[GanttRow],
    phases: Sequence[GanttPhase],
    options: GanttOptions,
    labels: Mapping[str, str],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    shapes: list[dict[str, Any]] = []
    annotations: list[dict[str, Any]] = []
    starts = [row.early_start for row in rows if row.early_start]
    finishes = [row.early_finish for row in rows if row.early_finish]
    # the time axis spans the rows shown and the windows of their phases (all when none)
    shown = {row.phase_key for row in rows}
    windows = [phase for phase in phases if phase.key in shown] or list(phases)
    firsts = starts + [phase.window_start for phase in windows]
    lasts = finishes + [phase.window_end for phase in windows]
    low = min(firsts) if firsts else (options.today or date.today())
    high = max(lasts) if lasts else low
    x_range = [_iso(low - timedelta(days=6)), _iso(high + timedelta(days=12))]
    for index, phase in enumerate(phases):
        fill = PHASE_FILLS[0] if phase.kind == "diagnosis" else PHASE_FILLS[1 + index % 2]
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": _iso(phase.window_start),
                "x1": _end(phase.window_end),
                "y0": 0,
                "y1": 1,
                "fillcolor": fill,
                "line": {"width": 0},
                "layer": "below",
            }
        )
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": _end(phase.window_end),
                "x1": _end(phase.window_end),
                "y0": 0,
                "y1": 1,
                "line": {"color": COLOURS["gate"], "width": 1, "dash": "dot"},
                "layer": "below",
            }
        )
        over = phase.overrun_days
        gate_day = options.day_text(phase.window_end)
        text = f"<b>{_html(_short(phase.name, 28))}</b><br>{labels['gate']} {gate_day}"
        if over > 0:
            text += (
                f" · <span style='color:{COLOURS['critical']}'>+{over}d {labels['overrun']}</span>"
            )
        annotations.append(
            {
                "text": text,
                "xref": "x",
                "yref": "paper",
                "x": _iso(phase.window_start + (phase.window_end - phase.window_start) / 2),
                "y": 1,
                "yanchor": "bottom",
                "yshift": 34,
                "showarrow": False,
                "font": {"size": 11, "color": "#333"},
            }
        )
    for day, colour, label in (
        (options.today, COLOURS["today"], labels["today"]),
        (
            options.status_date if options.status_date != options.today else None,
            COLOURS["status_date"],
            labels["status_date"],
        ),
    ):
        if day is None:
            continue
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": _iso(day),
                "x1": _iso(day),
                "y0": 0,
                "y1": 1,
                "line": {"color": colour, "width": 2},
            }
        )
        annotations.append(
            {
                "text": label,
                "xref": "x",
                "yref": "paper",
                "x": _iso(day),
                "y": 1,
                "xanchor": "left",
                "yanchor": "top",
                "showarrow": False,
                "bgcolor": "rgba(255,255,255,0.85)",
                "font": {"size": 11, "color": colour},
            }
        )
    return shapes, annotations, x_range


def figure_json(figure: Mapping[str, Any]) -> str:
    """Compact JSON of a figure, safe inside ``<script type="application/json">``."""
    text = json.dumps(figure, separators=(",", ":"), ensure_ascii=False, default=str)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
