"""The Gantt page's drawing, in Python: the same payload, layout and colours as the canvas
painter (``static/js/gantt-draw.js`` and ``gantt-axis.js``), for the steering pack's slide.

:func:`gantt_scene` lays the chart's data (:func:`planner.services.gantt_data.gantt_data`)
out as plain shapes — a task grid (names and dates) beside the bars on a two-tier date axis:
phase windows, gates, today and the status date, baseline ghosts, bars by status with their
progress, critical and driving outlines, milestones, start-no-earlier-than marks, the
dependency arrows between rows shown, names beside the bars — and :mod:`.gantt_render`
writes those shapes as SVG (the PDF) or PNG (the deck). A plan too big for the page shows
its workstream summaries, and beyond that its phase summaries, as the page does when its
headings are collapsed. No database, no request: texts come in the caller's language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from planner.interop.text_measure import text_width

#: the canvas painter's sizes (px) and colours (``gantt-draw.js``)
ROW: Final = 26
AXIS: Final = 44
FONT_PX: Final = 12
COLOURS: Final[dict[str, str]] = {
    "done": "#5f9659",
    "in_progress": "#2f7fc1",
    "not_started": "#8fa3b8",
    "late": "#e8892b",
    "critical": "#c62828",
    "driving": "#6a1b9a",
    "baseline": "rgba(40,40,40,0.45)",
    "summary": "#46525e",
    "phase": "rgba(31,78,121,0.07)",
    "phaseAlt": "rgba(111,66,193,0.06)",
    "gate": "#3b4a5a",
    "today": "#d62728",
    "status": "#7b1fa2",
    "link": "rgba(70,70,70,0.6)",
    "snet": "#00695c",
    "grid": "#e3e7eb",
    "weekend": "rgba(0,0,0,0.035)",
    "text": "#1f2933",
    "heading": "#1f4e79",
    "axis": "#f6f8fa",
    "tick": "#c9d1d9",
    "progress": "rgba(10,40,80,0.55)",
    "halo": "rgba(255,255,255,0.8)",
}
STATUS_NAMES: Final = ("done", "in_progress", "not_started", "late")
Level = Literal["auto", "items", "workstreams", "phases"]


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str | None
    stroke: str | None = None
    width: float = 1.0


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    colour: str
    width: float = 1.0
    dash: tuple[float, ...] = ()


@dataclass(frozen=True)
class Poly:
    """A closed polygon (filled) or an open polyline (stroked)."""

    points: tuple[tuple[float, float], ...]
    fill: str | None
    stroke: str | None = None
    width: float = 1.0


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # the middle of the line
    text: str
    colour: str = COLOURS["text"]
    bold: bool = False
    size: float = FONT_PX


Shape = Rect | Line | Poly | Text


@dataclass(frozen=True)
class SceneTexts:
    """The words of the chart in the reader's language."""

    no_workstream: str = "No workstream"
    quarter: str = "Q%(q)s"  # %(q)s: 1–4
    today: str = "Today"
    dates: Callable[[dt.date], str] = dt.date.isoformat  # a day in the grid's dates column
    month: Callable[[dt.date], str] = lambda d: d.strftime("%b")
    year: Callable[[dt.date], str] = lambda d: str(d.year)
    day_month: Callable[[dt.date], str] = lambda d: f"{d.day} {d.strftime('%b')}"
    month_year: Callable[[dt.date], str] = lambda d: d.strftime("%B %Y")
    name: str = "Name"
    span: str = "Start – finish"
    #: the legend under the chart: (colour key of :data:`COLOURS`, or "milestone", and
    #: words); empty: none
    legend: tuple[tuple[str, str], ...] = ()


@dataclass
class Scene:
    width: float
    height: float
    level: str  # what the rows show: items, workstreams or phases
    rows: int
    shapes: list[Shape] = field(default_factory=list)


@dataclass(frozen=True)
class _Row:
    kind: int  # 0 phase heading, 1 workstream heading, 2 item
    index: int  # group, stream or item index
    label: str
    span: tuple[int, int] | None


def gantt_scene(
    data: Mapping[str, Any],
    texts: SceneTexts,
    *,
    width: float = 1280,
    max_rows: int = 21,
    level: Level = "auto",
    name_width: float = 300,
    dates_width: float = 170,
) -> Scene:
    """The chart of ``data`` on ``width`` px, at most ``max_rows`` rows (``level`` "auto":
    the items when they fit, else the workstreams, else the phases)."""
    rows, chosen = _rows(data, texts, max_rows, level)
    plot_x = name_width + dates_width
    plot_w = max(100.0, width - plot_x)
    lo, hi = _window(data, rows)
    ppd = plot_w / max(1, hi - lo)
    body = AXIS + len(rows) * ROW
    scene = Scene(width, body + (ROW + 4 if texts.legend else 0), chosen, len(rows))
    painter = _Painter(data, texts, scene, plot_x, plot_w, lo, ppd, body)
    painter.grid(rows, name_width)
    painter.chart(rows)
    painter.axis()
    painter.legend()
    return scene


# ------------------------------------------------------------------------------ rows


def _span(items: Mapping[str, list[Any]], members: Sequence[int]) -> tuple[int, int] | None:
    starts = [items["es"][i] for i in members if items["es"][i] is not None]
    ends = [items["ef"][i] for i in members if items["ef"][i] is not None]
    return (min(starts), max(ends)) if starts and ends else None


def _rows(
    data: Mapping[str, Any], texts: SceneTexts, max_rows: int, level: Level
) -> tuple[list[_Row], str]:
    """Phase → workstream → items in the plan's order, as the page's model groups them.

    "auto" opens what fits in ``max_rows``, nearest today first: the phases' workstreams,
    then, when every phase is open, the workstreams' items (a big plan shows its summaries,
    the part under way in more detail)."""
    items = data["items"]
    groups: dict[int, dict[int, list[int]]] = {}
    for i, (phase, ws) in enumerate(zip(items["phase"], items["ws"], strict=True)):
        groups.setdefault(phase, {}).setdefault(ws, []).append(i)
    spans = {
        p: _span(items, [i for m in members.values() for i in m]) for p, members in groups.items()
    }
    open_phases, open_streams = _opened(
        groups, spans, items, data.get("today") or 0, max_rows, level
    )
    every_stream = sum(len(streams) for streams in groups.values())
    if len(open_streams) == every_stream and open_phases:
        shown = "items"
    elif len(open_phases) == len(groups):
        shown = "workstreams"
    else:
        shown = "phases"
    names = data["phases"]["name"]
    rows: list[_Row] = []
    for p in sorted(groups):
        rows.append(_Row(0, p, names[p] if p >= 0 else "—", spans[p]))
        if p not in open_phases:
            continue
        for ws, members in groups[p].items():
            label = data["ws"][ws] if ws >= 0 else texts.no_workstream
            rows.append(_Row(1, ws, label, _span(items, members)))
            if (p, ws) in open_streams:
                rows.extend(_Row(2, i, items["name"][i], _span(items, [i])) for i in members)
    return rows[:max_rows], shown


def _opened(
    groups: Mapping[int, Mapping[int, list[int]]],
    spans: Mapping[int, tuple[int, int] | None],
    items: Mapping[str, list[Any]],
    today: int,
    max_rows: int,
    level: Level,
) -> tuple[set[int], set[tuple[int, int]]]:
    """The phases whose workstreams show and the workstreams whose items show."""
    phases = sorted(groups)
    if level != "auto":
        every = {(p, ws) for p in phases for ws in groups[p]}
        shown = set(phases) if level in ("workstreams", "items") else set()
        return shown, every if level == "items" else set()

    def nearness(span: tuple[int, int] | None) -> tuple[int, int]:
        if span is None:
            return (3, 0)
        if span[0] <= today <= span[1]:
            return (0, 0)
        return (1, span[0] - today) if span[0] > today else (2, today - span[1])

    open_phases: set[int] = set()
    open_streams: set[tuple[int, int]] = set()
    used = len(phases)
    for p in sorted(phases, key=lambda p: nearness(spans[p])):
        if used + len(groups[p]) <= max_rows:
            open_phases.add(p)
            used += len(groups[p])
    if len(open_phases) < len(phases):
        return open_phases, open_streams
    pairs = [(p, ws) for p in phases for ws in groups[p]]
    pairs.sort(key=lambda pw: nearness(_span(items, groups[pw[0]][pw[1]])))
    for p, ws in pairs:
        if used + len(groups[p][ws]) <= max_rows:
            open_streams.add((p, ws))
            used += len(groups[p][ws])
    return open_phases, open_streams


def _window(data: Mapping[str, Any], rows: Sequence[_Row]) -> tuple[int, int]:
    """The days shown: every row's span, the phase windows and today, a little margin."""
    days = [d for row in rows if row.span for d in row.span]
    shown = {row.index for row in rows if row.kind == 0}
    phases = data["phases"]
    for p in shown:
        if p >= 0:
            days += [phases["start"][p], phases["end"][p] + 1]
    if data.get("today") is not None:
        days.append(data["today"])
    if not days:
        return 0, 30
    lo, hi = min(days), max(days)
    margin = max(3, (hi - lo) // 40)
    return lo - margin, hi + margin + 1


# ------------------------------------------------------------------------------ drawing


class _Painter:
    def __init__(
        self,
        data: Mapping[str, Any],
        texts: SceneTexts,
        scene: Scene,
        plot_x: float,
        plot_w: float,
        lo: int,
        ppd: float,
        body: float,
    ) -> None:
        self.d = data
        self.body = body  # the rows end here (the legend below)
        self.texts = texts
        self.scene = scene
        self.out = scene.shapes
        self.plot_x = plot_x
        self.plot_w = plot_w
        self.lo = lo
        self.ppd = ppd
        self.origin = dt.date.fromisoformat(data["origin"])
        cal = data["calendar"]
        self.workdays = set(cal["workdays"])
        self.off = set(cal["off"])
        self.on = set(cal["on"])

    def x(self, day: float) -> float:
        return self.plot_x + (day - self.lo) * self.ppd

    def date(self, day: int) -> dt.date:
        return self.origin + dt.timedelta(days=day)

    def is_workday(self, day: int) -> bool:
        if day in self.on:
            return True
        if day in self.off:
            return False
        return self.date(day).weekday() in self.workdays

    def clip(self, a: float, b: float) -> tuple[float, float]:
        return max(a, self.plot_x), min(b, self.plot_x + self.plot_w)

    # the task grid: names indented by level, then the dates
    def grid(self, rows: Sequence[_Row], name_width: float) -> None:
        out = self.out
        out.append(Rect(0, 0, self.scene.width, self.scene.height, "#ffffff"))
        out.append(Rect(0, 0, self.plot_x, AXIS, COLOURS["axis"]))
        out.append(Text(4, AXIS * 0.75, self.texts.name, COLOURS["heading"], bold=True))
        out.append(Text(name_width, AXIS * 0.75, self.texts.span, COLOURS["heading"], bold=True))
        out.append(Rect(0, AXIS - 1, self.plot_x, 1, COLOURS["tick"]))
        for k, row in enumerate(rows):
            y = AXIS + k * ROW
            if row.kind == 0:
                out.append(Rect(0, y, self.plot_x, ROW, "#eef3f8"))
            indent = (4, 14, 24)[row.kind]
            label = _fit(row.label, name_width - indent - 8, row.kind < 2)
            colour = COLOURS["heading"] if row.kind < 2 else COLOURS["text"]
            out.append(Text(indent, y + ROW / 2, label, colour, bold=row.kind < 2))
            if row.span is not None:
                a, b = (self.texts.dates(self.date(day)) for day in row.span)
                out.append(Text(name_width, y + ROW / 2, f"{a} – {b}", COLOURS["text"]))
            out.append(Rect(0, y + ROW - 1, self.plot_x, 1, "#e6eaee"))
        out.append(Rect(self.plot_x - 1, 0, 1, self.body, COLOURS["tick"]))

    def chart(self, rows: Sequence[_Row]) -> None:
        self._background(rows)
        for k, row in enumerate(rows):
            self._row(row, AXIS + k * ROW)
        self._links(rows)
        self._marks()

    def _background(self, rows: Sequence[_Row]) -> None:
        top, bottom = AXIS, self.body
        if self.ppd >= 6:
            for day in range(self.lo, self.lo + int(self.plot_w / self.ppd) + 1):
                if not self.is_workday(day):
                    a, b = self.clip(self.x(day), self.x(day + 1))
                    self.out.append(Rect(a, top, b - a, bottom - top, COLOURS["weekend"]))
        phases = self.d["phases"]
        for p in range(len(phases["key"])):
            a, b = self.clip(self.x(phases["start"][p]), self.x(phases["end"][p] + 1))
            if b > a:
                fill = COLOURS["phaseAlt"] if p % 2 else COLOURS["phase"]
                self.out.append(Rect(a, top, b - a, bottom - top, fill))
        for k, row in enumerate(rows):
            if row.kind == 0 and k:
                self.out.append(Rect(self.plot_x, AXIS + k * ROW, self.plot_w, 1, COLOURS["grid"]))

    def _marks(self) -> None:
        top, bottom = AXIS, self.body
        phases = self.d["phases"]
        for p in range(len(phases["key"])):
            gx = self.x(phases["end"][p] + 1)
            if self.plot_x <= gx <= self.plot_x + self.plot_w:
                self.out.append(Line(gx, top, gx, bottom, COLOURS["gate"], 1.5, (4, 3)))
        for day, colour, width in (
            (self.d.get("today"), COLOURS["today"], 2.0),
            (self.d.get("status"), COLOURS["status"], 1.0),
        ):
            if day is not None and self.plot_x <= self.x(day) <= self.plot_x + self.plot_w:
                self.out.append(Line(self.x(day), top, self.x(day), bottom, colour, width))

    def _row(self, row: _Row, y: float) -> None:
        out = self.out
        if row.span is None:
            return
        a, b = self.x(row.span[0]), self.x(row.span[1] + 1)
        if row.kind != 2:  # a heading's summary bar with its end caps
            colour = COLOURS["summary"]
            out.append(Rect(a, y + 9, max(2, b - a), 6, colour))
            out.append(Rect(a, y + 9, 3, 11, colour))
            out.append(Rect(b - 3, y + 9, 3, 11, colour))
            self._name(row.label, b + 6, y + ROW / 2, heading=True)
            return
        it, i = self.d["items"], row.index
        if it["bs"][i] is not None and it["bf"][i] is not None:
            ba, bb = self.x(it["bs"][i]), self.x(it["bf"][i] + 1)
            out.append(Rect(ba, y + 19, max(2, bb - ba), 4, COLOURS["baseline"]))
        if it["kind"][i] == 1:
            colour = COLOURS["critical"] if it["crit"][i] else COLOURS["summary"]
            cx, cy = a, y + ROW / 2 - 1
            diamond = ((cx, cy - 7), (cx + 7, cy), (cx, cy + 7), (cx - 7, cy))
            out.append(Poly(diamond, colour))
            b = a + 7
        else:
            out.append(Rect(a, y + 5, max(2, b - a), 13, COLOURS[STATUS_NAMES[it["st"][i]]]))
            pct = it["pct"][i]
            if 0 < pct < 100:
                out.append(Rect(a, y + 15, (b - a) * pct / 100, 3, COLOURS["progress"]))
            if it["crit"][i] or it["drive"][i]:
                colour = COLOURS["driving"] if it["drive"][i] else COLOURS["critical"]
                out.append(Rect(a, y + 5, max(2, b - a), 13, None, colour, 2))
        if it["ct"][i] == 1 and it["cd"][i] is not None:
            self._snet(self.x(it["cd"][i]), y)
        self._name(row.label, b + 6, y + ROW / 2, heading=False)

    def _snet(self, x: float, y: float) -> None:
        colour = COLOURS["snet"]
        bracket = ((x + 4, y + 2), (x, y + 2), (x, y + ROW - 2), (x + 4, y + ROW - 2))
        self.out.append(Poly(bracket, None, colour, 2))
        self.out.append(Poly(((x - 5, y + 2), (x, y + 6), (x - 5, y + 10)), colour))

    def _name(self, label: str, x: float, y: float, *, heading: bool) -> None:
        x = max(x, self.plot_x + 2)
        room = self.plot_x + self.plot_w - x - 4
        if room < 40:
            return
        label = _fit(label, room, heading)
        w = _width(label, heading)
        self.out.append(Rect(x - 2, y - 8, w + 4, 16, COLOURS["halo"]))
        self.out.append(Text(x, y, label, COLOURS["text"], bold=heading))

    def _anchor(self, i: int, at_end: bool) -> float:
        it = self.d["items"]
        if it["kind"][i] == 1:
            return self.x(it["es"][i]) + (7 if at_end else -7)
        return self.x(it["ef"][i] + 1 if at_end else it["es"][i])

    def _links(self, rows: Sequence[_Row]) -> None:
        row_of = {row.index: k for k, row in enumerate(rows) if row.kind == 2}
        if not row_of:
            return
        links, it = self.d["links"], self.d["items"]
        for k in range(len(links["id"])):
            p, s = links["p"][k], links["s"][k]
            if p not in row_of or s not in row_of or it["es"][p] is None or it["es"][s] is None:
                continue
            kind = links["t"][k]  # 0 FS, 1 SS, 2 FF, 3 SF
            from_end, to_end = kind in (0, 2), kind in (2, 3)
            x1, x2 = self._anchor(p, from_end), self._anchor(s, to_end)
            y1, y2 = AXIS + row_of[p] * ROW + ROW / 2, AXIS + row_of[s] * ROW + ROW / 2
            xm = x1 + (6 if from_end else -6)
            colour = COLOURS["critical"] if links["crit"][k] else COLOURS["link"]
            self.out.append(Poly(((x1, y1), (xm, y1), (xm, y2), (x2, y2)), None, colour, 1.2))
            d = -1 if to_end else 1
            head = ((x2, y2), (x2 - 6 * d, y2 - 4), (x2 - 6 * d, y2 + 4))
            self.out.append(Poly(head, colour))

    def legend(self) -> None:
        x, y = 4.0, self.body + 4 + ROW / 2
        self.out.append(Rect(0, self.body, self.scene.width, 1, COLOURS["tick"]))
        for key, words in self.texts.legend:
            colour = COLOURS.get(key, COLOURS["summary"])
            if key in ("today", "status"):
                self.out.append(Line(x + 6, y - 8, x + 6, y + 8, colour, 2))
            elif key == "gate":
                self.out.append(Line(x + 6, y - 8, x + 6, y + 8, colour, 1.5, (4, 3)))
            elif key == "milestone":
                self.out.append(
                    Poly(((x + 6, y - 7), (x + 13, y), (x + 6, y + 7), (x - 1, y)), colour)
                )
            elif key in ("critical", "driving"):
                self.out.append(Rect(x, y - 6, 22, 12, COLOURS["not_started"], colour, 2))
            elif key == "baseline":
                self.out.append(Rect(x, y + 2, 22, 4, colour))
            else:
                self.out.append(Rect(x, y - 6, 22, 12, colour))
            self.out.append(Text(x + 28, y, words, COLOURS["text"]))
            x += 28 + _width(words, False) + 18

    # the date axis: two tiers chosen by the zoom, as gantt-axis.js does
    def axis(self) -> None:
        out, texts = self.out, self.texts
        out.append(Rect(self.plot_x, 0, self.plot_w, AXIS, COLOURS["axis"]))
        first = self.date(self.lo)
        last = self.date(self.lo + int(self.plot_w / self.ppd) + 1)

        def quarter(d: dt.date) -> str:
            return texts.quarter.replace("%(q)s", str((d.month - 1) // 3 + 1))

        tiers: tuple[tuple[str, Callable[[dt.date], str]], ...]
        if self.ppd >= 20:
            tiers = (("month", texts.month_year), ("day", lambda d: str(d.day)))
        elif self.ppd >= 5:
            tiers = (("month", texts.month_year), ("week", texts.day_month))
        elif self.ppd >= 1.5:
            tiers = (("year", texts.year), ("month", texts.month))
        else:
            tiers = (("year", texts.year), ("quarter", quarter))
        for t, (unit, label) in enumerate(tiers):
            y0 = t * AXIS / 2
            for start, end in _ticks(first, last, unit):
                x = self.x((start - self.origin).days)
                nxt = min(self.x((end - self.origin).days), self.plot_x + self.plot_w)
                if x >= self.plot_x:
                    out.append(Rect(x, y0, 1, AXIS / 2, COLOURS["tick"]))
                text, at = label(start), max(self.plot_x + 2, x + 3)
                if at + _width(text, False) + 4 <= nxt:
                    out.append(Text(at, y0 + AXIS / 4, text, COLOURS["text"]))
        out.append(Rect(self.plot_x, AXIS - 1, self.plot_w, 1, COLOURS["tick"]))
        out.append(Rect(self.plot_x, AXIS / 2, self.plot_w, 1, COLOURS["tick"]))
        today = self.d.get("today")
        if today is not None and self.plot_x <= self.x(today) <= self.plot_x + self.plot_w:
            out.append(Rect(self.x(today) - 1, AXIS / 2, 2, AXIS / 2, COLOURS["today"]))


def _ticks(first: dt.date, last: dt.date, unit: str) -> list[tuple[dt.date, dt.date]]:
    """(start, next start) of each unit from the one holding ``first`` to ``last``."""
    if unit == "day":
        start = first
    elif unit == "week":
        start = first - dt.timedelta(days=first.weekday())
    elif unit == "month":
        start = first.replace(day=1)
    elif unit == "quarter":
        start = first.replace(day=1, month=first.month - (first.month - 1) % 3)
    else:
        start = first.replace(day=1, month=1)
    found: list[tuple[dt.date, dt.date]] = []
    while start <= last and len(found) < 2000:
        nxt = _step(start, unit)
        found.append((start, nxt))
        start = nxt
    return found


def _step(day: dt.date, unit: str) -> dt.date:
    if unit == "day":
        return day + dt.timedelta(days=1)
    if unit == "week":
        return day + dt.timedelta(days=7)
    months = {"month": 1, "quarter": 3, "year": 12}[unit]
    month = day.month - 1 + months
    return day.replace(year=day.year + month // 12, month=month % 12 + 1, day=1)


def _width(text: str, bold: bool) -> float:
    return float(text_width(text, FONT_PX)) * (1.06 if bold else 1.0)


def _fit(text: str, room: float, bold: bool) -> str:
    """The text cut (with …) to its measured width, never by counting characters."""
    if _width(text, bold) <= room:
        return text
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if _width(text[:mid] + "…", bold) <= room:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo] + "…"
