"""The steering-committee pack as plain data: what the deck and the PDF both show.

The service fills a :class:`Pack` from the program (every text already in the reader's
language); :mod:`planner.interop.pptx_pack` and :mod:`planner.interop.pdf_pack` only lay it
out, so both documents say the same thing. Nothing here touches a database or a request.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from babel.dates import format_date

#: RAG colours (the dashboard's), and the text colour readable on each.
RAG_FILL: Final[dict[str, str]] = {
    "green": "1B5E20",
    "amber": "FFB300",
    "red": "B71C1C",
    "none": "5C636A",
}
RAG_TEXT: Final[dict[str, str]] = {
    "green": "FFFFFF",
    "amber": "111111",
    "red": "FFFFFF",
    "none": "FFFFFF",
}
#: Gate results and criterion outcomes in the same three colours.
OUTCOME_RAG: Final[dict[str, str]] = {
    "pass": "green",
    "met": "green",
    "on_track": "green",
    "at_risk": "amber",
    "off_track": "red",
    "fail": "red",
    "not_met": "red",
}
EA_FONT: Final = "Noto Sans CJK SC"
"""East Asian typeface of every run (PowerPoint uses it for Chinese characters)."""
LATIN_FONT: Final = "Arial"
"""Latin typeface (Liberation Sans stands in for it on Linux)."""


def rag_of(value: str | None) -> str:
    """A RAG name for a RAG, a gate result or an outcome ("none" when unknown).

    >>> rag_of("pass"), rag_of("amber"), rag_of(None)
    ('green', 'amber', 'none')
    """
    if value in RAG_FILL:
        return str(value)
    return OUTCOME_RAG.get(value or "", "none")


@dataclass(frozen=True)
class PhaseRow:
    """One phase on the timeline, with its RAG and the reasons for it."""

    label: str  # "Phase 1 · Foundation"
    start: dt.date
    end: dt.date
    state: str  # past, current, future
    state_label: str
    progress: float  # 0–100
    rag: str  # green, amber, red, none
    rag_label: str
    schedule_rag: str
    metrics_rag: str
    risks_rag: str
    reasons: tuple[str, ...] = ()
    short: str = ""  # "Phase 1", for the timeline's bars

    @property
    def bar_label(self) -> str:
        return self.short or self.label


@dataclass(frozen=True)
class MilestoneRow:
    name: str
    phase: str
    forecast: dt.date | None
    baseline: dt.date | None = None
    slip_days: int | None = None  # forecast later than the baseline by this many days
    past_phase_end: int | None = None  # forecast after the phase window by this many days


@dataclass(frozen=True)
class RiskRow:
    key: str
    title: str
    likelihood: int
    impact: int
    score: int
    band: str
    band_label: str
    band_fill: str  # hex colour without '#'
    owner: str
    response: str


@dataclass(frozen=True)
class HeatMap:
    """Open risks per cell, indexed ``[likelihood - 1][impact - 1]``, with cell colours."""

    counts: tuple[tuple[int, ...], ...]
    fills: tuple[tuple[str, ...], ...]  # hex colours without '#'
    likelihood_labels: tuple[str, ...]
    impact_labels: tuple[str, ...]
    legend: tuple[tuple[str, str], ...]  # (band label, fill)


@dataclass(frozen=True)
class MetricRow:
    name: str
    unit: str
    latest: float | None
    target: float | None
    latest_text: str
    target_text: str
    rag: str
    rag_label: str
    reason: str = ""


@dataclass(frozen=True)
class CriterionRow:
    text: str
    outcome: str  # met, at_risk, not_met
    outcome_label: str
    reason: str


@dataclass(frozen=True)
class GateRow:
    label: str
    day: dt.date
    overall: str  # pass, at_risk, fail
    overall_label: str
    summary: str
    decision: str  # the latest decision, or "" when none
    criteria: tuple[CriterionRow, ...] = ()
    upcoming: bool = False


@dataclass(frozen=True)
class GanttSlide:
    """The Gantt page's chart as shapes (:mod:`planner.charts.gantt_scene`): SVG in the PDF,
    PNG in the deck (:mod:`planner.charts.gantt_render`), with a note on what it shows."""

    title: str
    scene: Any
    note: str = ""


@dataclass(frozen=True)
class TableSlide:
    """A slide (and PDF page) built by an area (``services/pack_money.py``,
    ``services/pack_schedule_risk.py``): lines as bullets, then one table, then a note, all in
    the pack's language; ``fills`` colours cells by (row, column) of ``rows`` (hex, as in
    :data:`RAG_FILL`)."""

    title: str
    lines: tuple[str, ...] = ()
    header: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    widths: tuple[float, ...] = ()
    fills: Mapping[tuple[int, int], str] = field(default_factory=dict)
    note: str = ""


@dataclass(frozen=True)
class AdoptionSlide:
    """The team × module adoption matrix for the pack (``planner.services.pack_adoption``):
    ``statuses`` holds each body cell's RAG word ("" for none), row by row."""

    title: str
    lagging: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    statuses: tuple[tuple[str, ...], ...]
    note: str


@dataclass(frozen=True)
class Pack:
    """Everything in the pack; ``labels`` holds the translated headings and column names."""

    lang: str  # "en" or "zh"
    title: str
    program: str
    client: str
    day: dt.date
    subtitle: str
    labels: Mapping[str, str]
    headline_rag: str
    headline_label: str
    headline_text: str
    timeline_start: dt.date
    timeline_end: dt.date
    phases: tuple[PhaseRow, ...] = ()
    due: tuple[MilestoneRow, ...] = ()
    slipped: tuple[MilestoneRow, ...] = ()
    risks: tuple[RiskRow, ...] = ()
    open_risks: int = 0
    heat: HeatMap | None = None
    metrics: tuple[MetricRow, ...] = ()
    gates: tuple[GateRow, ...] = ()
    decisions: tuple[str, ...] = ()
    extra: Mapping[str, str] = field(default_factory=dict)
    since_title: str = ""  # "Since the review of …"; empty when there was no review
    since: tuple[str, ...] = ()  # what moved since that review, one line each
    slides: tuple[TableSlide, ...] = ()  # the areas' own slides (money, workload, schedule risk)
    evidence: tuple[str, ...] = ()  # the gates' evidence files, one line each (pack_notify)
    adoption: AdoptionSlide | None = None  # the team × module matrix, when there is one
    raid: Any = None  # the RAID slide (planner.services.pack_raid.RaidSlide), if any
    gantt: GanttSlide | None = None  # the Gantt page's chart (planner.services.pack_gantt)

    def label(self, key: str) -> str:
        return self.labels.get(key, key)

    def format_day(self, day: dt.date | None) -> str:
        """A day as the pack's language writes it (``Mar 5, 2026`` / ``2026年3月5日``)."""
        if day is None:
            return "—"
        return str(format_date(day, "medium", locale="zh_Hans_CN" if self.lang == "zh" else "en"))

    @property
    def charted_metrics(self) -> tuple[MetricRow, ...]:
        """Metrics with both a latest reading and a target (the chart's bars)."""
        return tuple(m for m in self.metrics if m.latest is not None and m.target is not None)
