"""The programs list (issue 20): each program's status with its reasons, current phase,
forecast finish, next gate with its outlook and progress; sortable by every column.

A line is plain values (no ORM rows), cached per program revision and day like the other
derived results (:mod:`planner.ops.cache`): one query reads every program's revision, one
cache round trip reads every line, and only the programs changed since are loaded — in a
fixed number of queries whatever their number (:func:`~planner.services.gates.program_query`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from planner.domain.explain import Explanation
from planner.domain.gates import phase_progress, rag_rollup
from planner.domain.metrics import Rag
from planner.extensions import db
from planner.models.program import Program
from planner.ops import cache as ops_cache
from planner.services import metrics as metric_service
from planner.services.benefits import programs_with_benefits
from planner.services.dashboard import _headline, phase_status
from planner.services.gates import (
    decisions_by_phase,
    is_done,
    program_facts,
    program_query,
    risk_scale,
)

SORT_KEYS = ("name", "status", "phase", "finish", "gate", "progress")
CACHE_KIND = "program-line"
_RAG_ORDER = {"red": 0, "amber": 1, "green": 2}
Timing = Literal["before", "during", "after"]


@dataclass(frozen=True)
class GateOutlook:
    """The next gate: its day, phase and verdict (an outlook before the gate day)."""

    day: date
    ordinal: int
    phase_kind: str
    verdict: str
    is_outlook: bool
    summary: Explanation
    days_to_gate: int


@dataclass(frozen=True)
class ProgramLine:
    program_id: int
    name: str
    client: str
    status: str  # the program's own status (planning, active, on hold, closed)
    timing: Timing  # today before, during or after the program's window
    rag: Rag | None
    rag_reasons: tuple[Explanation, ...]
    phase_ordinal: int | None  # the current phase; None before the start and after the end
    phase_kind: str | None
    phase_name: str | None
    phase_name_zh: str | None
    start: date  # the first day of the program's window
    planned_finish: date  # the last gate
    forecast_finish: date | None  # the latest forecast (or actual) finish of any item
    gate: GateOutlook | None
    work_percent: float  # work done, each item weighted by its duration
    elapsed_percent: float  # days of the program's window gone

    @property
    def slip_days(self) -> int | None:
        """Days the forecast finish lies past the last gate (negative: ahead)."""
        if self.forecast_finish is None:
            return None
        return (self.forecast_finish - self.planned_finish).days


def program_lines(
    programs: Sequence[Program],
    today: date,
    sort: str = "name",
    descending: bool = False,
    lang: str = "en",
) -> list[ProgramLine]:
    """A line for each program (names in ``lang``), sorted; cached lines are reused, the
    rest computed in bulk."""
    ids = [p.id for p in programs]
    if ops_cache.has_unsaved_writes():  # unsaved changes: nothing cached applies
        return sort_lines(list(_compute(ids, today, lang).values()), sort, descending)
    revisions = ops_cache.program_revisions(ids)
    keys = {pid: ops_cache.cache_key(CACHE_KIND, pid, revisions[pid], (lang,)) for pid in ids}
    found = ops_cache.get_many(list(keys.values()))
    lines = {pid: found[keys[pid]] for pid in ids if keys[pid] in found}
    missing = [pid for pid in ids if pid not in lines]
    if missing:
        computed = _compute(missing, today, lang)
        ops_cache.set_many({keys[pid]: line for pid, line in computed.items()})
        lines.update(computed)
    return sort_lines([lines[pid] for pid in ids if pid in lines], sort, descending)


def _compute(ids: Sequence[int], today: date, lang: str) -> dict[int, ProgramLine]:
    if not ids:
        return {}
    programs = list(db.session.scalars(program_query().where(Program.id.in_(list(ids)))))
    settings = metric_service.settings_by_program(ids)
    decisions = decisions_by_phase(ids)
    with_benefits = programs_with_benefits(list(ids))  # the benefit review reads only these
    scales: dict[tuple[str, str], Any] = {}  # one look-up a playbook, not a program
    lines = {}
    for program in programs:
        ref = (program.playbook_id, program.playbook_version)
        if ref not in scales:
            scales[ref] = risk_scale(program)
        facts = program_facts(
            program,
            today,
            settings=settings[program.id],
            decisions=decisions,
            scale=scales[ref],
            lang=lang,
            has_benefits=program.id in with_benefits,
        )
        lines[program.id] = _line(program, facts, today)
    return lines


def _line(program: Program, facts: Any, today: date) -> ProgramLine:
    statuses = [phase_status(facts, p) for p in program.phases]
    start, end = metric_service.program_window(program)
    timing: Timing = "before" if today < start else "after" if today > end else "during"
    # before the program starts there is nothing to judge yet
    headline = _headline(statuses) if timing != "before" else None
    current = next((s.phase for s in statuses if s.state == "current"), None)
    upcoming = next((s.gate for s in statuses if s.phase.window_end >= today), None)
    total = (end - start).days + 1
    return ProgramLine(
        program_id=program.id,
        name=program.name,
        client=program.client,
        status=program.status,
        timing=timing,
        rag=headline.rag if headline else None,
        rag_reasons=tuple(rag_rollup(headline.schedule, headline.metrics, headline.risks)[1])
        if headline
        else (),
        **_phase_fields(current),
        start=start,
        planned_finish=end,
        forecast_finish=_forecast_finish(program),
        gate=_gate(upcoming) if upcoming else None,
        work_percent=phase_progress(
            (float(i.duration_days), 100.0 if is_done(i) else float(i.percent_complete))
            for i in program.work_items
        ),
        elapsed_percent=100.0 * min(max((today - start).days, 0), total) / total,
    )


def _phase_fields(current: Any) -> dict[str, Any]:
    """The current phase's fields of a line (all None between phases)."""
    if current is None:
        return dict.fromkeys(("phase_ordinal", "phase_kind", "phase_name", "phase_name_zh"))
    return {
        "phase_ordinal": current.ordinal,
        "phase_kind": current.kind,
        "phase_name": current.name,
        "phase_name_zh": getattr(current, "name_zh", None),
    }


def _forecast_finish(program: Program) -> date | None:
    """The latest finish of the work: actual where done, else as scheduled."""
    finishes = [
        (i.actual_finish if is_done(i) and i.actual_finish else i.early_finish)
        for i in program.work_items
    ]
    known = [f for f in finishes if f is not None]
    return max(known) if known else None


def _gate(report: Any) -> GateOutlook:
    evaluation = report.evaluation
    return GateOutlook(
        day=report.gate_date,
        ordinal=report.phase.ordinal,
        phase_kind=report.phase.kind,
        verdict=evaluation.verdict,
        is_outlook=evaluation.is_outlook,
        summary=evaluation.summary,
        days_to_gate=report.days_to_gate,
    )


_SORT_VALUES: dict[str, Callable[[ProgramLine], Any]] = {
    "name": lambda line: line.name.casefold(),
    "status": lambda line: _RAG_ORDER[line.rag] if line.rag else None,
    "phase": lambda line: line.phase_ordinal,
    "finish": lambda line: line.forecast_finish,
    "gate": lambda line: line.gate.day if line.gate else None,
    "progress": lambda line: line.work_percent,
}


def sort_lines(lines: list[ProgramLine], sort: str, descending: bool) -> list[ProgramLine]:
    """Sort by a column (the name, A to Z, breaks ties); lines without a value go last."""
    value = _SORT_VALUES.get(sort, _SORT_VALUES["name"])
    present = [line for line in lines if value(line) is not None]
    absent = [line for line in lines if value(line) is None]
    absent.sort(key=lambda line: line.name.casefold())
    present.sort(key=lambda line: line.name.casefold())
    present.sort(key=value, reverse=descending)  # stable: equal values stay by name
    return present + absent
