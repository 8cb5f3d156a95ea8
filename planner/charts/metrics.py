"""Metric and dashboard charts: the metric trend, sparklines and the phase timeline.

Builders take domain values and plain data (labels already translated) and return plotly
figures as dicts, one trace per visual layer; no database access, no Flask.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Final

from planner.domain.metrics import Forecast, Reading, format_value

RAG_COLOURS: Final = {"green": "#1b7f3a", "amber": "#d98c00", "red": "#c62828"}
NO_STATUS: Final = "#6c757d"
GATE_COLOURS: Final = {
    "pass": "#1b7f3a",
    "on_track": "#1b7f3a",
    "at_risk": "#d98c00",
    "off_track": "#c62828",
    "fail": "#c62828",
}
_BAND_FILLS: Final = ("rgba(31, 78, 121, 0.07)", "rgba(31, 78, 121, 0.15)")
_DIAGNOSIS_FILL: Final = "rgba(111, 66, 193, 0.12)"
_DAY_MS: Final = 86_400_000

DEFAULT_LABELS: Final = {
    "readings": "Readings",
    "target": "Target",
    "forecast": "Forecast",
    "glide": "Glide path",
    "baseline": "Baseline",
    "today": "Today",
    "gate": "Gate",
    "value": "Value",
    "date": "Date",
}


@dataclass(frozen=True)
class PhaseBand:
    """A phase window to shade: ``end`` is its last day (the gate date)."""

    ordinal: int
    label: str
    start: date
    end: date
    diagnosis: bool = False


def _labels(labels: Mapping[str, str] | None) -> dict[str, str]:
    return {**DEFAULT_LABELS, **(labels or {})}


def _iso(d: date) -> str:
    return d.isoformat()


def _clamp(value: float, bounds: tuple[float | None, float | None] | None) -> float:
    if bounds is None:
        return value
    low, high = bounds
    if low is not None:
        value = max(low, value)
    if high is not None:
        value = min(high, value)
    return value


def trend_figure(
    *,
    readings: Sequence[Reading],
    target_steps: Sequence[tuple[date, float]],
    phases: Sequence[PhaseBand],
    unit: str,
    today: date | None = None,
    forecast: Forecast | None = None,
    baseline: float | None = None,
    percentage: bool = False,
    labels: Mapping[str, str] | None = None,
    title: str = "",
    day_text: Callable[[date], str] = _iso,
    glide_path: Sequence[tuple[date, float]] = (),
    forecast_band: tuple[float, float] | None = None,
    value_bounds: tuple[float | None, float | None] | None = None,
) -> dict[str, Any]:
    """A metric over time: readings, the per-phase target steps, the glide path each phase
    follows to its gate, the phase windows as shaded bands, the baseline, today, and the
    linear forecast up to the phase's gate with its band (an error bar at the gate).

    ``value_bounds`` (low, high; None for open) keeps the forecast inside the metric's
    range; without it, a percentage is kept in 0–100.

    >>> fig = trend_figure(readings=[Reading(date(2024, 1, 8), 30.0)],
    ...                    target_steps=[(date(2024, 1, 1), 60.0), (date(2024, 4, 9), 60.0)],
    ...                    phases=[PhaseBand(1, "Phase 1", date(2024, 1, 1), date(2024, 4, 9))],
    ...                    unit="%")
    >>> [t["name"] for t in fig["data"]], fig["data"][0]["line"]["shape"]
    (['Target', 'Readings'], 'hv')
    """
    text = _labels(labels)
    bounds = value_bounds if value_bounds is not None else (0.0, 100.0) if percentage else None
    ordered = sorted(readings, key=lambda r: r.day)
    data: list[dict[str, Any]] = []
    if glide_path:
        data.append(_glide_trace(glide_path, text["glide"]))
    if target_steps:
        data.append(_target_trace(target_steps, text["target"]))
    data.append(_readings_trace(ordered, text["readings"]))
    if forecast is not None:
        start = ordered[-1].day if ordered else forecast.origin
        data.append(_forecast_trace(forecast, start, bounds, forecast_band, text["forecast"]))
    shapes, annotations = _phase_marks(phases)
    if baseline is not None:
        shapes.append(_baseline_line(baseline))
        annotations.append(
            _baseline_note(baseline, f"{text['baseline']} {format_value(baseline, unit)}")
        )
    if today is not None:
        shapes.append(_today_line(today))
        annotations.append(_today_note(today, text["today"], day_text))
    layout = _trend_layout(text, unit, title, shapes, annotations)
    if percentage:
        layout["yaxis"]["range"] = _percentage_range(ordered, target_steps, baseline, data)
    return {"data": data, "layout": layout, "config": {"displaylogo": False}}


def _dated_line(
    name: str, points: Sequence[tuple[date, float]], line: dict[str, Any], hover: str
) -> dict[str, Any]:
    return {
        "type": "scatter",
        "mode": "lines",
        "name": name,
        "x": [_iso(d) for d, _ in points],
        "y": [v for _, v in points],
        "line": line,
        "hovertemplate": hover,
    }


def _glide_trace(glide_path: Sequence[tuple[date, float]], name: str) -> dict[str, Any]:
    """The line each phase follows to its gate's target."""
    line = {"color": "#1f4e79", "width": 2}
    return _dated_line(name, glide_path, line, f"{name} %{{x}}: %{{y:.1f}}<extra></extra>")


def _target_trace(target_steps: Sequence[tuple[date, float]], name: str) -> dict[str, Any]:
    """The per-phase targets as dotted steps."""
    line = {"shape": "hv", "color": "#1f4e79", "width": 3, "dash": "dot"}
    return _dated_line(name, target_steps, line, f"{name}: %{{y}}<extra></extra>")


def _readings_trace(ordered: Sequence[Reading], name: str) -> dict[str, Any]:
    return {
        "type": "scatter",
        "mode": "lines+markers",
        "name": name,
        "x": [_iso(r.day) for r in ordered],
        "y": [r.value for r in ordered],
        "text": [r.note or "" for r in ordered],
        "line": {"color": "#0b6e4f", "width": 3},
        "marker": {"size": 8},
        "hovertemplate": "%{x}: %{y}<br>%{text}<extra></extra>",
    }


def _forecast_trace(
    forecast: Forecast,
    start: date,
    bounds: tuple[float | None, float | None] | None,
    band: tuple[float, float] | None,
    name: str,
) -> dict[str, Any]:
    """From the last reading to the gate, kept in bounds; the band as an error bar there."""
    at_gate = _clamp(forecast.value_at_until, bounds)
    trace: dict[str, Any] = {
        "type": "scatter",
        "mode": "lines+markers",
        "name": name,
        "x": [_iso(start), _iso(forecast.until)],
        "y": [_clamp(forecast.value_on(start), bounds), at_gate],
        "line": {"color": "#b45309", "width": 2, "dash": "dash"},
        "marker": {"size": [0, 12], "symbol": "diamond"},
        "hovertemplate": f"{name} %{{x}}: %{{y:.1f}}<extra></extra>",
    }
    if band is not None:
        low, high = band
        trace["error_y"] = {
            "type": "data",
            "symmetric": False,
            "array": [0, max(0.0, high - at_gate)],
            "arrayminus": [0, max(0.0, at_gate - low)],
            "color": "#b45309",
            "thickness": 2,
            "width": 8,
        }
    return trace


def _phase_marks(phases: Sequence[PhaseBand]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Each phase window as a shaded band (the diagnosis in its own tint), named on top."""
    shapes: list[dict[str, Any]] = []
    annotations: list[dict[str, Any]] = []
    for index, band in enumerate(phases):
        fill = _DIAGNOSIS_FILL if band.diagnosis else _BAND_FILLS[index % 2]
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": _iso(band.start),
                "x1": _iso(band.end + timedelta(days=1)),
                "y0": 0,
                "y1": 1,
                "fillcolor": fill,
                "line": {"width": 0},
                "layer": "below",
            }
        )
        annotations.append(
            {
                "x": _iso(band.start + (band.end - band.start) / 2),
                "y": 1.0,
                "xref": "x",
                "yref": "paper",
                "yanchor": "bottom",
                "text": band.label,
                "showarrow": False,
                "font": {"size": 12, "color": "#333"},
            }
        )
    return shapes, annotations


def _baseline_line(baseline: float) -> dict[str, Any]:
    return {
        "type": "line",
        "xref": "paper",
        "yref": "y",
        "x0": 0,
        "x1": 1,
        "y0": baseline,
        "y1": baseline,
        "line": {"color": "#888", "width": 1, "dash": "dot"},
    }


def _baseline_note(baseline: float, text: str) -> dict[str, Any]:
    return {
        "x": 0,
        "y": baseline,
        "xref": "paper",
        "yref": "y",
        "xanchor": "left",
        "yanchor": "bottom",
        "text": text,
        "showarrow": False,
        "font": {"size": 11, "color": "#555"},
    }


def _trend_layout(
    text: Mapping[str, str],
    unit: str,
    title: str,
    shapes: list[dict[str, Any]],
    annotations: list[dict[str, Any]],
) -> dict[str, Any]:
    layout: dict[str, Any] = {
        "margin": {"l": 60, "r": 20, "t": 50 if not title else 80, "b": 50},
        "hovermode": "closest",
        "legend": {"orientation": "h", "y": -0.15},
        "xaxis": {"type": "date", "title": {"text": text["date"]}},
        "yaxis": {
            "title": {"text": f"{text['value']} ({unit})" if unit else text["value"]},
            "zeroline": False,
        },
        "shapes": shapes,
        "annotations": annotations,
        "plot_bgcolor": "#fff",
        "font": {"size": 14},
    }
    if title:
        layout["title"] = {"text": title}
    return layout


def _percentage_range(
    ordered: Sequence[Reading],
    target_steps: Sequence[tuple[date, float]],
    baseline: float | None,
    data: Sequence[dict[str, Any]],
) -> list[float]:
    """From 0, with room above the highest point, never past 100% (plus a margin)."""
    shown = [r.value for r in ordered] + [t for _, t in target_steps]
    shown += [baseline] if baseline is not None else []
    for trace in data[2:]:
        shown += trace["y"]
    top = max(shown, default=100.0)
    return [0, min(105.0, max(10.0, top * 1.15))]


def _today_line(today: date) -> dict[str, Any]:
    return {
        "type": "line",
        "xref": "x",
        "yref": "paper",
        "x0": _iso(today),
        "x1": _iso(today),
        "y0": 0,
        "y1": 1,
        "line": {"color": "#c62828", "width": 2, "dash": "dash"},
    }


def _today_note(today: date, label: str, day_text: Callable[[date], str] = _iso) -> dict[str, Any]:
    # inside the plot, at its top, right of the line: clear of the axis labels and the data
    return {
        "x": _iso(today),
        "y": 1,
        "xref": "x",
        "yref": "paper",
        "xanchor": "left",
        "yanchor": "top",
        "text": f" {label} {day_text(today)}",
        "showarrow": False,
        "font": {"size": 12, "color": "#c62828"},
        "bgcolor": "rgba(255,255,255,0.8)",
    }


def sparkline_figure(
    readings: Sequence[Reading],
    *,
    target: float | None = None,
    rag: str | None = None,
    height: int = 70,
) -> dict[str, Any]:
    """A tiny trend without axes: the readings, the target as a dotted line, and the
    latest reading as a dot in its status colour.

    >>> fig = sparkline_figure([Reading(date(2024, 1, 1), 1.0), Reading(date(2024, 1, 8), 2.0)],
    ...                        target=3.0, rag="red")
    >>> [t["name"] for t in fig["data"]], fig["data"][2]["marker"]["color"]
    (['readings', 'target', 'latest'], '#c62828')
    """
    ordered = sorted(readings, key=lambda r: r.day)
    xs = [_iso(r.day) for r in ordered]
    ys = [r.value for r in ordered]
    data: list[dict[str, Any]] = [_spark_line("readings", xs, ys, "#1f4e79", 3)]
    if target is not None and xs:
        target_line = _spark_line("target", [xs[0], xs[-1]], [target, target], "#555", 1.5)
        target_line["line"]["dash"] = "dot"
        data.append(target_line)
    if xs:
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": "latest",
                "x": [xs[-1]],
                "y": [ys[-1]],
                "marker": {"color": RAG_COLOURS.get(rag or "", NO_STATUS), "size": 11},
                "hoverinfo": "skip",
            }
        )
    return {"data": data, "layout": _spark_layout(height), "config": _STATIC}


_STATIC: Final = {"staticPlot": True, "displayModeBar": False}


def _spark_line(
    name: str, xs: list[str], ys: list[float], colour: str, width: float
) -> dict[str, Any]:
    return {
        "type": "scatter",
        "mode": "lines",
        "name": name,
        "x": xs,
        "y": ys,
        "line": {"color": colour, "width": width},
        "hoverinfo": "skip",
    }


def _spark_layout(height: int) -> dict[str, Any]:
    """No axes, no legend, no background: only the line."""
    hidden = {"visible": False, "fixedrange": True}
    return {
        "height": height,
        "margin": {"l": 4, "r": 8, "t": 4, "b": 4},
        "showlegend": False,
        "xaxis": hidden,
        "yaxis": hidden,
        "plot_bgcolor": "rgba(0,0,0,0)",
        "paper_bgcolor": "rgba(0,0,0,0)",
    }


@dataclass(frozen=True)
class TimelinePhase:
    """One bar of the dashboard's timeline: the phase's RAG and its gate's result."""

    label: str
    start: date
    end: date
    rag: str | None  # None: not judged (future phase)
    gate_result: str  # a gate verdict: on_track, at_risk, off_track, pass, fail
    gate_text: str  # e.g. "Gate: pass · decision go"
    future: bool = False


def timeline_figure(
    phases: Sequence[TimelinePhase],
    *,
    today: date,
    labels: Mapping[str, str] | None = None,
    day_text: Callable[[date], str] = _iso,
) -> dict[str, Any]:
    """The program's phases as bars coloured by RAG, each gate as a diamond coloured by its
    result, and a line at today.

    >>> fig = timeline_figure([TimelinePhase("P1", date(2024, 1, 1), date(2024, 4, 9),
    ...                                      "green", "pass", "Gate: pass")],
    ...                       today=date(2024, 2, 1))
    >>> fig["data"][0]["base"], fig["data"][0]["x"], fig["data"][1]["marker"]["color"]
    (['2024-01-01'], [8640000000], ['#1b7f3a'])
    """
    text = _labels(labels)
    start = min((p.start for p in phases), default=today)
    end = max((p.end for p in phases), default=today)
    return {
        "data": [_phase_bars(phases, day_text), _gate_marks(phases, text["gate"])],
        "layout": {
            "barmode": "overlay",
            "height": 90 + 56 * max(len(phases), 1),
            "margin": {"l": 10, "r": 160, "t": 30, "b": 40},
            "xaxis": {
                "type": "date",
                "range": [_iso(start - timedelta(days=3)), _iso(end + timedelta(days=3))],
                "gridcolor": "#ddd",
            },
            "yaxis": {"autorange": "reversed", "automargin": True, "tickfont": {"size": 15}},
            "shapes": [_today_line(today)],
            "annotations": [_today_note(today, text["today"], day_text)],
            "font": {"size": 15, "color": "#111"},
            "plot_bgcolor": "#fff",
        },
        "config": {"displayModeBar": False},
    }


def _phase_bars(phases: Sequence[TimelinePhase], day_text: Callable[[date], str]) -> dict[str, Any]:
    """A bar a phase in its RAG colour (a future phase paler), its dates inside when wide."""
    windows = [f"{day_text(p.start)} → {day_text(p.end)}" for p in phases]
    return {
        "type": "bar",
        "orientation": "h",
        "name": "phases",
        "y": [p.label for p in phases],
        "base": [_iso(p.start) for p in phases],
        "x": [((p.end - p.start).days + 1) * _DAY_MS for p in phases],
        "marker": {
            "color": [RAG_COLOURS.get(p.rag or "", NO_STATUS) for p in phases],
            "opacity": [0.45 if p.future else 0.9 for p in phases],
            "line": {"color": "#fff", "width": 1},
        },
        # dates inside bars wide enough to hold them (the table beside says them too)
        "text": [
            w if (p.end - p.start).days >= 60 else "" for p, w in zip(phases, windows, strict=True)
        ],
        "hovertext": windows,
        "textposition": "inside",
        "insidetextanchor": "middle",
        "textfont": {"color": "#fff", "size": 14},
        "hovertemplate": "%{y}<br>%{hovertext}<extra></extra>",
        "showlegend": False,
    }


def _gate_marks(phases: Sequence[TimelinePhase], name: str) -> dict[str, Any]:
    """A diamond at each phase's end in its gate's colour, the gate's result beside it."""
    return {
        "type": "scatter",
        "mode": "markers+text",
        "name": name,
        "y": [p.label for p in phases],
        "x": [_iso(p.end) for p in phases],
        "marker": {
            "symbol": "diamond",
            "size": 20,
            "color": [GATE_COLOURS.get(p.gate_result, NO_STATUS) for p in phases],
            "line": {"color": "#111", "width": 2},
        },
        "text": [p.gate_text for p in phases],
        "textposition": "middle right",
        "textfont": {"size": 13, "color": "#111"},
        "hovertemplate": "%{text}<extra></extra>",
        "showlegend": False,
        "cliponaxis": False,
    }
