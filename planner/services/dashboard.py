"""The steering committee's dashboard of one program, and the consultant's portfolio."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from sqlalchemy import select

from planner.domain.errors import NotFoundError, Problem
from planner.domain.explain import Explanation
from planner.domain.gates import (
    ItemFinish,
    RagResult,
    metrics_rag,
    phase_progress,
    rag_rollup,
    risks_rag,
    schedule_rag,
    window_slips,
)
from planner.domain.metrics import MetricStatus, Rag, current_phase, target_for
from planner.domain.risk import RiskScale
from planner.extensions import db
from planner.models.metric import Metric
from planner.models.plan import Phase, WorkItem
from planner.models.program import Program
from planner.services import metrics as metric_service
from planner.services.benefits import programs_with_benefits
from planner.services.gates import (
    GateReport,
    ProgramFacts,
    RiskView,
    decisions_by_phase,
    display_name,
    evaluate_phase,
    is_done,
    program_facts,
    program_query,
    risk_scale,
)
from planner.services.item_summary import ItemSummary, PhaseSums, item_summaries

PhaseState = Literal["past", "current", "future"]
MAX_NEXT_MILESTONES = 6
MAX_TOP_RISKS = 5
MAX_SPARKLINES = 6


@dataclass(frozen=True)
class PhaseStatus:
    phase: Phase
    state: PhaseState
    rag: Rag
    schedule: RagResult
    metrics: RagResult
    risks: RagResult
    gate: GateReport
    progress: float


@dataclass(frozen=True)
class MilestoneLine:
    item: WorkItem
    phase: Phase
    forecast: date | None
    days_late: int | None  # past the phase window end; None without a forecast


@dataclass(frozen=True)
class MetricLine:
    metric: Metric
    status: MetricStatus
    readings: list[Any]


@dataclass(frozen=True)
class ProgramDashboard:
    program: Program
    today: date
    phases: list[PhaseStatus]
    current: PhaseStatus | None
    headline: PhaseStatus | None  # the current phase, else the latest started, else the first
    next_milestones: list[MilestoneLine]
    next_gates: list[GateReport]
    top_risks: list[RiskView]
    open_risk_count: int
    key_metrics: list[MetricLine]
    start: date
    end: date

    @property
    def total_days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def elapsed_days(self) -> int:
        return min(max((self.today - self.start).days, 0), self.total_days)

    @property
    def elapsed_percent(self) -> float:
        return 100.0 * self.elapsed_days / self.total_days if self.total_days else 0.0

    @property
    def next_gate(self) -> GateReport | None:
        return self.next_gates[0] if self.next_gates else None


def phase_state(phase: Phase, today: date) -> PhaseState:
    if today > phase.window_end:
        return "past"
    if today < phase.window_start:
        return "future"
    return "current"


def _item_finish(item: WorkItem) -> date | None:
    if is_done(item):
        return item.actual_finish or item.early_finish
    return item.early_finish


def phase_status(
    facts: ProgramFacts, phase: Phase, summary: ItemSummary | None = None
) -> PhaseStatus:
    """A phase's RAG from its schedule, metrics and risks, each with its reason; its items
    from ``summary`` when given (per-phase aggregates), else from the program's objects."""
    today = facts.today
    state = phase_state(phase, today)
    if summary is not None:
        finishes = summary.finishes(phase.id, facts.lang)
        progress = summary.phases.get(phase.id, PhaseSums()).progress
    else:
        items = facts.items_of(phase)
        finishes = [
            ItemFinish(display_name(i, lang=facts.lang), i.is_milestone, _item_finish(i))
            for i in items
        ]
        progress = phase_progress(
            (float(i.duration_days), 100.0 if is_done(i) else float(i.percent_complete))
            for i in items
        )
    slips, overrun = window_slips(phase.window_end, finishes)
    schedule = schedule_rag(slips, overrun, facts.settings.schedule_tolerance_days)
    if state == "future":
        metrics = RagResult("green", Explanation("metrics.phase_not_started"))
    else:
        # a finished phase is judged as it stood at its gate
        as_of = min(today, phase.window_end)
        statuses: dict[str, Rag | None] = {}
        for metric in facts.program.metrics:
            if target_for(facts.metric_defs[metric.id], phase.ordinal) is None:
                continue
            name = display_name(metric, lang=facts.lang)
            statuses[name] = facts.judge(metric, phase.ordinal, as_of).status
        metrics = metrics_rag(statuses, expected=bool(statuses))
    if state == "past":
        risks = RagResult("green", Explanation("risks.phase_closed"))
    else:
        names = facts.band_order
        amber_from = names[-2] if len(names) >= 2 else names[-1]
        risks = risks_rag(
            [r.band for r in facts.open_risks], names, amber_from=amber_from, red_from=names[-1]
        )
    rag, _reasons = rag_rollup(schedule, metrics, risks)
    return PhaseStatus(
        phase, state, rag, schedule, metrics, risks, evaluate_phase(facts, phase), progress
    )


def _headline(statuses: list[PhaseStatus]) -> PhaseStatus | None:
    current = next((s for s in statuses if s.state == "current"), None)
    if current is not None:
        return current
    started = [s for s in statuses if s.state == "past"]
    if started:
        return started[-1]
    return statuses[0] if statuses else None


def build_dashboard(program_id: int, today: date, lang: str = "en") -> ProgramDashboard:
    """The dashboard, its work items read as per-phase aggregates kept per revision (no
    object per item) and the next milestones as the few rows shown."""
    program = db.session.scalars(program_query(items=False).where(Program.id == program_id)).first()
    if program is None:
        raise NotFoundError(problems=[Problem("", "row.not_found")])
    summary = item_summaries([program.id])[program.id]
    facts = program_facts(program, today, milestones=summary.milestone_facts(lang), lang=lang)
    return dashboard_for(facts, summary, _next_milestones(program.id))


def _next_milestones(program_id: int) -> list[WorkItem]:
    """The milestones not done yet, soonest forecast first (those without one last)."""
    not_done = WorkItem.actual_finish.is_(None) & (WorkItem.percent_complete < 100)
    return list(
        db.session.scalars(
            select(WorkItem)
            .where(WorkItem.program_id == program_id, WorkItem.kind == "milestone", not_done)
            .order_by(
                WorkItem.early_finish.is_(None),
                WorkItem.early_finish,
                WorkItem.position,
                WorkItem.id,
            )
            .limit(MAX_NEXT_MILESTONES)
        )
    )


def dashboard_for(
    facts: ProgramFacts,
    summary: ItemSummary | None = None,
    pending: list[WorkItem] | None = None,
) -> ProgramDashboard:
    """The dashboard from the program's facts; ``summary`` and ``pending`` (the next
    milestones) when the caller read the items as aggregates, else from its item objects."""
    program, today = facts.program, facts.today
    statuses = [phase_status(facts, p, summary) for p in program.phases]
    current = next((s for s in statuses if s.state == "current"), None)
    phase_of = {p.id: p for p in program.phases}
    if pending is None:
        pending = [i for i in program.work_items if i.is_milestone and not is_done(i)]
        pending.sort(key=lambda i: (i.early_finish is None, i.early_finish or today, i.position))
    milestones = []
    for item in pending[:MAX_NEXT_MILESTONES]:
        phase = phase_of[item.phase_id]
        late = (item.early_finish - phase.window_end).days if item.early_finish else None
        milestones.append(MilestoneLine(item, phase, item.early_finish, late))
    gates = [s.gate for s in statuses if s.phase.window_end >= today][:2]
    start, end = metric_service.program_window(program)
    return ProgramDashboard(
        program=program,
        today=today,
        phases=statuses,
        current=current,
        headline=_headline(statuses),
        next_milestones=milestones,
        next_gates=gates,
        top_risks=facts.open_risks[:MAX_TOP_RISKS],
        open_risk_count=len(facts.open_risks),
        key_metrics=key_metrics(facts, current.phase if current else None),
        start=start,
        end=end,
    )


def key_metrics(facts: ProgramFacts, phase: Phase | None) -> list[MetricLine]:
    """Metrics with readings, those the current gate names first, then by definition order."""
    named: list[str] = []
    if phase is not None:
        named = [c.reference for c in phase.gate_criteria if c.kind == "metric_target"]
    ordered = sorted(
        (m for m in facts.program.metrics if facts.readings[m.id]),
        key=lambda m: (named.index(m.key) if m.key in named else len(named), m.id),
    )
    return [MetricLine(m, facts.judge(m), facts.readings[m.id]) for m in ordered[:MAX_SPARKLINES]]


# --------------------------------------------------------------------------- portfolio

SORT_KEYS = ("name", "phase", "gate", "rag", "progress", "maturity")
_RAG_ORDER = {"red": 0, "amber": 1, "green": 2}


@dataclass(frozen=True)
class PortfolioRow:
    program: Program
    phase: Phase | None  # the current phase; None before the start and after the end
    phase_label_state: Literal["before", "during", "after"]
    next_gate: GateReport | None
    days_to_gate: int | None
    rag: Rag | None
    rag_reasons: tuple[Explanation, ...]  # one ``rag.area`` an area (explain_text words it)
    elapsed_days: int
    total_days: int
    maturity: str | None

    @property
    def elapsed_percent(self) -> float:
        return 100.0 * self.elapsed_days / self.total_days if self.total_days else 0.0


def maturity_levels(programs: list[Program], lang: str = "en") -> dict[int, str | None]:
    """Each program's latest maturity level, from the assessment area once it provides one
    (in bulk when it can, so the query count does not grow with the programs)."""
    try:
        from planner.services import assessment
    except ImportError:
        return {}
    bulk = getattr(assessment, "latest_maturity_levels", None)
    if callable(bulk):
        return {pid: _maturity_text(v) for pid, v in bulk(programs, lang).items()}
    single = getattr(assessment, "latest_maturity_level", None)
    if callable(single):
        return {p.id: _maturity_text(single(p)) for p in programs}
    return {}


def _maturity_text(value: Any) -> str | None:
    if value is None:
        return None
    for attribute in ("label", "name"):
        inner = getattr(value, attribute, None)
        if isinstance(inner, str) and inner:
            return inner
    text = str(value).strip()
    return text or None


def portfolio(
    today: date,
    sort: str = "name",
    descending: bool = False,
    program_ids: Collection[int] | None = None,
    lang: str = "en",
) -> list[PortfolioRow]:
    """Every program (or those of ``program_ids``) with its current phase, next gate, RAG,
    maturity and progress, named in ``lang``. Work items are read as per-phase aggregates,
    kept per program revision (:mod:`planner.services.item_summary`): no object per item."""
    query = program_query(items=False).order_by(Program.name, Program.id)
    if program_ids is not None:
        query = query.where(Program.id.in_(list(program_ids)))
    programs = list(db.session.scalars(query))
    ids = [p.id for p in programs]
    settings = metric_service.settings_by_program(ids)
    decisions = decisions_by_phase(ids)
    maturity = maturity_levels(programs, lang)
    summaries = item_summaries(ids)
    with_benefits = programs_with_benefits(ids)  # the benefit review reads only these
    rows = []
    scales: dict[tuple[str, str], RiskScale] = {}  # one look-up per playbook, not per program
    for program in programs:
        ref = (program.playbook_id, program.playbook_version)
        if ref not in scales:
            scales[ref] = risk_scale(program)
        summary = summaries[program.id]
        facts = program_facts(
            program,
            today,
            settings=settings[program.id],
            decisions=decisions,
            scale=scales[ref],
            milestones=summary.milestone_facts(lang),
            lang=lang,
            has_benefits=program.id in with_benefits,
        )
        rows.append(_portfolio_row(program, facts, summary, today, maturity.get(program.id)))
    return sort_portfolio(rows, sort, descending)


def _portfolio_row(
    program: Program, facts: ProgramFacts, summary: ItemSummary, today: date, maturity: str | None
) -> PortfolioRow:
    """A program's row: its current phase, next gate, RAG (none before it starts), progress."""
    statuses = [phase_status(facts, p, summary) for p in program.phases]
    headline = _headline(statuses)
    now = current_phase(facts.spans, today)
    start, end = metric_service.program_window(program)
    total = (end - start).days + 1
    upcoming = [s.gate for s in statuses if s.phase.window_end >= today]
    state: Literal["before", "during", "after"] = (
        "before" if today < start else "after" if today > end else "during"
    )
    phase = next((p for p in program.phases if now and p.ordinal == now.ordinal), None)
    return PortfolioRow(
        program=program,
        phase=phase,
        phase_label_state=state,
        next_gate=upcoming[0] if upcoming else None,
        days_to_gate=upcoming[0].days_to_gate if upcoming else None,
        rag=headline.rag if headline and state != "before" else None,
        rag_reasons=rag_rollup(headline.schedule, headline.metrics, headline.risks)[1]
        if headline
        else (),
        elapsed_days=min(max((today - start).days, 0), total),
        total_days=total,
        maturity=maturity,
    )


def sort_portfolio(rows: list[PortfolioRow], sort: str, descending: bool) -> list[PortfolioRow]:
    """Sort by a column; rows without a value go last whichever the direction."""
    if sort not in SORT_KEYS:
        sort = "name"

    def value(row: PortfolioRow) -> Any:
        if sort == "name":
            return row.program.name.casefold()
        if sort == "phase":
            return row.phase.ordinal if row.phase else None
        if sort == "gate":
            return row.days_to_gate
        if sort == "rag":
            return _RAG_ORDER[row.rag] if row.rag else None
        if sort == "progress":
            return row.elapsed_percent
        return row.maturity.casefold() if row.maturity else None

    present = [r for r in rows if value(r) is not None]
    absent = [r for r in rows if value(r) is None]
    present.sort(key=lambda r: (value(r), r.program.name.casefold()), reverse=descending)
    return present + absent
