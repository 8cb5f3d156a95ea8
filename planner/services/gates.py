"""Phase gates: gather the evidence, evaluate every criterion, edit criteria, record decisions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import inspect, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.util import identity_key as _identity_key

import planner.models.gate  # noqa: F401  (registers the gate tables until models/__init__ does)
import planner.models.metric  # noqa: F401
from planner.domain.benefit_review import BenefitsCriterion, BenefitsFact
from planner.domain.errors import NotFoundError, Problem, ValidationError
from planner.domain.gate_criteria import CriterionInput, clean_criterion
from planner.domain.gates import Criterion as DomainCriterion
from planner.domain.gates import (
    CriterionResult,
    Decision,
    GateEvaluation,
    GateFacts,
    ManualCriterion,
    MetricCriterion,
    MetricFact,
    MilestoneFact,
    MilestonesCriterion,
    OpenRisk,
    RiskCriterion,
    evaluate_gate,
    metric_fact,
    validate_decision,
)
from planner.domain.metrics import MetricDef, PhaseSpan, Reading, metric_status
from planner.domain.risk import DEFAULT_SCALE, Band, RiskScale, band_for
from planner.explain_text import render_english
from planner.extensions import db
from planner.models.gate import GateCriterion, GateDecision
from planner.models.metric import Metric, StatusSettings
from planner.models.plan import Phase, WorkItem
from planner.models.program import Program
from planner.models.risk import Risk
from planner.services import metrics as metric_service
from planner.services.audit import current_actor
from planner.services.concurrency import check_version

OPEN_STATUSES = ("open", "mitigating")


# --------------------------------------------------------------------------- loading


def program_query(*, items: bool = True):
    """A select of programs with everything a gate or a dashboard reads, loaded in a fixed
    number of queries whatever the number of rows; ``items=False`` leaves the work items
    out (the portfolio reads them as per-phase aggregates)."""
    return select(Program).options(
        selectinload(Program.phases).selectinload(Phase.gate_criteria),
        *([selectinload(Program.work_items)] if items else []),
        selectinload(Program.metrics).selectinload(Metric.targets),
        selectinload(Program.metrics).selectinload(Metric.readings),
        selectinload(Program.risks),
    )


def load_program(program_id: int) -> Program:
    program = _held_program(program_id)
    if program is None:
        program = db.session.scalars(program_query().where(Program.id == program_id)).first()
    if program is None:
        raise NotFoundError(problems=[Problem("", "row.not_found")])
    return program


def _held_program(program_id: int) -> Program | None:
    """The program as the session already holds it with every collection
    :func:`program_query` loads (a second report in one transaction: the demo's reviews and
    reminders), else None. The query would return these same objects without touching a
    loaded collection, so skipping it changes nothing but the time; its autoflush is kept."""
    if db.session.autoflush:
        db.session.flush()
    program = db.session.identity_map.get(_identity_key(Program, program_id))
    if not isinstance(program, Program) or not _all_loaded(
        [program], ("phases", "work_items", "metrics", "risks")
    ):
        return None
    phases, metrics = program.phases, program.metrics
    if _all_loaded(phases, ("gate_criteria",)) and _all_loaded(metrics, ("targets", "readings")):
        return program
    return None


def _all_loaded(rows: Sequence[object], names: tuple[str, ...]) -> bool:
    return all(not (inspect(row).unloaded & set(names)) for row in rows)


def decisions_by_phase(program_ids: Sequence[int]) -> dict[int, list[GateDecision]]:
    """Every decision of these programs by phase id, newest first (one query)."""
    found: dict[int, list[GateDecision]] = {}
    rows = db.session.scalars(
        select(GateDecision)
        .where(GateDecision.program_id.in_(list(program_ids)))
        .order_by(GateDecision.decided_on.desc(), GateDecision.id.desc())
    )
    for decision in rows:
        found.setdefault(decision.phase_id, []).append(decision)
    return found


def risk_scale(program: Program) -> RiskScale:
    """The rating bands of the program's playbook (the default bands if it is gone)."""
    from planner.services.playbooks import get_playbook

    try:
        playbook = get_playbook(program.playbook_id, program.playbook_version)
    except NotFoundError:
        return DEFAULT_SCALE
    if playbook.risk_scale is None:
        return DEFAULT_SCALE
    bands = tuple(Band(b.name, b.min_score, b.max_score) for b in playbook.risk_scale.bands)
    try:
        return RiskScale(bands=bands)
    except ValidationError:
        return DEFAULT_SCALE


def band_labels(program: Program, lang: str) -> dict[str, str]:
    """The labels of the program's risk bands in ``lang`` ("en" or "zh"), read
    from its playbook, for ``explain_text.render``; empty when the playbook gives
    none (the renderer then words the default band names itself)."""
    from planner.services.playbooks import get_playbook

    try:
        playbook = get_playbook(program.playbook_id, program.playbook_version)
    except NotFoundError:
        return {}
    if playbook.risk_scale is None:
        return {}
    labels = {band.name: band.label.get(lang) for band in playbook.risk_scale.bands}
    return {name: label for name, label in labels.items() if label}


def residual_score(risk: Risk) -> int:
    """The residual score when the risk model has one, else the inherent score."""
    likelihood = getattr(risk, "residual_likelihood", None) or risk.likelihood
    impact = getattr(risk, "residual_impact", None) or risk.impact
    return int(likelihood) * int(impact)


def display_name(obj: object, field: str = "name", lang: str = "en") -> str:
    """A row's ``field`` in ``lang`` (``"zh"``: its ``<field>_zh`` when it has one), falling
    back to the other language."""
    english = str(getattr(obj, field, "") or "")
    chinese = str(getattr(obj, f"{field}_zh", "") or "")
    if lang == "zh":
        return chinese or english
    return english or chinese


def is_done(item: WorkItem) -> bool:
    return item.actual_finish is not None or item.percent_complete >= 100


@dataclass(frozen=True)
class RiskView:
    risk: Risk
    score: int
    band: str


@dataclass
class ProgramFacts:
    """A program's evidence on one day, built once and shared by gates and the dashboard."""

    program: Program
    today: date
    settings: StatusSettings
    scale: RiskScale
    spans: list[PhaseSpan]
    metric_defs: dict[int, MetricDef]
    readings: dict[int, list[Reading]]
    milestones: dict[str, MilestoneFact]
    open_risks: list[RiskView]
    decisions: dict[int, list[GateDecision]] = field(default_factory=dict)
    #: the language names are given in (``"en"`` or ``"zh"``): the caller's, never guessed
    lang: str = "en"
    #: False when the caller knows the program has no benefits case (no query then)
    has_benefits: bool | None = None
    _benefits: list[BenefitsFact | None] = field(default_factory=list)

    @property
    def band_order(self) -> tuple[str, ...]:
        return self.scale.band_names

    def benefits(self) -> BenefitsFact | None:
        """The benefits case as the benefit review reads it (None without one); read once,
        and only by a gate that has the benefit review."""
        if not self._benefits:
            from planner.services.benefits import review_fact

            known_none = self.has_benefits is False
            self._benefits.append(None if known_none else review_fact(self.program, self.today))
        return self._benefits[0]

    def metric_by_key(self) -> dict[str, Metric]:
        return {m.key: m for m in self.program.metrics}

    def items_of(self, phase: Phase) -> list[WorkItem]:
        """The phase's work items, from the program's (loaded once, not per phase)."""
        return [i for i in self.program.work_items if i.phase_id == phase.id]

    def judge(self, metric: Metric, phase_ordinal: int | None = None, today: date | None = None):
        return metric_status(
            self.metric_defs[metric.id],
            self.readings[metric.id],
            self.spans,
            today or self.today,
            metric_service.rule_for(metric, self.settings),
            phase_ordinal=phase_ordinal,
        )


def program_facts(
    program: Program,
    today: date,
    *,
    settings: StatusSettings | None = None,
    decisions: dict[int, list[GateDecision]] | None = None,
    scale: RiskScale | None = None,
    milestones: dict[str, MilestoneFact] | None = None,
    lang: str = "en",
    has_benefits: bool | None = None,
) -> ProgramFacts:
    """``milestones``: the program's milestones when the caller read them (else from its
    work items), names in ``lang``; ``has_benefits``: False when the caller knows there is
    no benefits case."""
    scale = scale or risk_scale(program)
    if milestones is None:
        milestones = {
            item.key: MilestoneFact(
                item.key, display_name(item, lang=lang), is_done(item), item.early_finish
            )
            for item in program.work_items
            if item.is_milestone
        }
    open_risks = []
    for risk in program.risks:
        if risk.status in OPEN_STATUSES:
            score = residual_score(risk)
            open_risks.append(RiskView(risk, score, band_for(score, scale)))
    open_risks.sort(key=lambda r: (-r.score, r.risk.rank or 10**6, r.risk.id))
    return ProgramFacts(
        program=program,
        today=today,
        settings=settings or metric_service.settings_for(program),
        scale=scale,
        spans=metric_service.phase_spans(program),
        metric_defs={m.id: metric_service.metric_def(m) for m in program.metrics},
        readings={m.id: metric_service.readings_of(m) for m in program.metrics},
        milestones=milestones,
        open_risks=open_risks,
        decisions=decisions if decisions is not None else decisions_by_phase([program.id]),
        lang=lang,
        has_benefits=has_benefits,
    )


# --------------------------------------------------------------------------- evaluation


def criterion_text(row: GateCriterion, lang: str = "en") -> str:
    """A manual criterion's text in the reader's language, as a reason repeats it."""
    # without a full stop before the colon ("…: pending")
    return display_name(row, "text", lang).strip().rstrip(".。")


def criterion_def(row: GateCriterion, lang: str = "en") -> DomainCriterion:
    if row.kind == "metric_target":
        return MetricCriterion(row.reference.strip())
    if row.kind == "milestones_done":
        return MilestonesCriterion(tuple(row.reference.split()))
    if row.kind == "max_risk_band":
        return RiskCriterion(row.reference.strip())
    if row.source == "benefits_case":
        return BenefitsCriterion(criterion_text(row, lang))
    evidence = " ".join(part for part in (row.evidence.strip(), row.evidence_url or "") if part)
    return ManualCriterion(criterion_text(row, lang), row.met, evidence)


def gate_facts(facts: ProgramFacts, phase: Phase) -> GateFacts:
    """The evidence for ``phase``'s gate: metrics judged against that phase's targets, and
    the benefits case when the gate holds the benefit review."""
    metrics: dict[str, MetricFact] = {}
    for metric in facts.program.metrics:
        judged = facts.judge(metric, phase_ordinal=phase.ordinal)
        fact = metric_fact(facts.metric_defs[metric.id], judged)
        metrics[metric.key] = replace(fact, name=display_name(metric, lang=facts.lang))
    return GateFacts(
        metrics=metrics,
        milestones=facts.milestones,
        open_risks=tuple(
            OpenRisk(r.risk.key, r.band, display_name(r.risk, "title", facts.lang))
            for r in facts.open_risks
        ),
        band_order=facts.band_order,
        benefits=(
            facts.benefits()
            if any(row.source == "benefits_case" for row in phase.gate_criteria)
            else None
        ),
    )


@dataclass(frozen=True)
class CriterionLine:
    row: GateCriterion
    result: CriterionResult


@dataclass(frozen=True)
class GateReport:
    phase: Phase
    evaluation: GateEvaluation
    lines: list[CriterionLine]
    decisions: list[GateDecision]
    facts: GateFacts
    today: date

    @property
    def gate_date(self) -> date:
        return self.phase.window_end

    @property
    def latest_decision(self) -> GateDecision | None:
        return self.decisions[0] if self.decisions else None

    @property
    def days_to_gate(self) -> int:
        return (self.phase.window_end - self.today).days


def evaluate_phase(facts: ProgramFacts, phase: Phase) -> GateReport:
    """Judge every criterion of ``phase``'s gate on ``facts.today``."""
    rows = list(phase.gate_criteria)
    judged = gate_facts(facts, phase)
    evaluation = evaluate_gate(
        [criterion_def(r, facts.lang) for r in rows], judged, facts.today, phase.window_end
    )
    lines = [CriterionLine(r, res) for r, res in zip(rows, evaluation.results, strict=True)]
    return GateReport(
        phase, evaluation, lines, facts.decisions.get(phase.id, []), judged, facts.today
    )


def gate_reports(
    program_id: int, today: date, lang: str = "en"
) -> tuple[Program, list[GateReport]]:
    program = load_program(program_id)
    facts = program_facts(program, today, lang=lang)
    return program, [evaluate_phase(facts, p) for p in program.phases]


def phase_by_ordinal(program: Program, ordinal: int) -> Phase:
    for phase in program.phases:
        if phase.ordinal == ordinal:
            return phase
    raise NotFoundError(problems=[Problem("", "row.not_found")])


def gate_report(
    program_id: int, ordinal: int, today: date, lang: str = "en"
) -> tuple[Program, GateReport]:
    program = load_program(program_id)
    phase = phase_by_ordinal(program, ordinal)
    return program, evaluate_phase(program_facts(program, today, lang=lang), phase)


# --------------------------------------------------------------------------- criteria


def get_criterion(phase: Phase, criterion_id: int) -> GateCriterion:
    for row in phase.gate_criteria:
        if row.id == criterion_id:
            return row
    raise NotFoundError(problems=[Problem("", "row.not_found")])


def save_criterion(
    program: Program,
    phase: Phase,
    data: CriterionInput,
    criterion: GateCriterion | None = None,
    version: int | str | None = None,
) -> GateCriterion:
    """Add a criterion to ``phase``'s gate, or change one; refused with field errors (the
    rules: :func:`planner.domain.gate_criteria.clean_criterion`)."""
    if criterion is not None:
        check_version(criterion, version)
    clean = clean_criterion(data, _known_references(program, data.kind))
    if criterion is None:
        position = max((c.position for c in phase.gate_criteria), default=-1) + 1
        criterion = GateCriterion(position=position, kind=data.kind)
        phase.gate_criteria.append(criterion)
    criterion.kind = data.kind
    criterion.reference = clean.reference
    criterion.text = data.text.strip()
    criterion.text_zh = (data.text_zh or "").strip() or None
    criterion.met = data.met if clean.manual else None
    criterion.evidence = data.evidence.strip() if clean.manual else ""
    criterion.evidence_url = clean.evidence_url if clean.manual else None
    db.session.flush()
    return criterion


def _known_references(program: Program, kind: str) -> Sequence[str]:
    """What a criterion of ``kind`` may refer to in the program."""
    if kind == "metric_target":
        return [m.key for m in program.metrics]
    if kind == "milestones_done":
        return [i.key for i in program.work_items if i.is_milestone]
    if kind == "max_risk_band":
        return risk_scale(program).band_names
    return ()


def delete_criterion(phase: Phase, criterion: GateCriterion) -> None:
    phase.gate_criteria.remove(criterion)
    db.session.delete(criterion)
    db.session.flush()


# --------------------------------------------------------------------------- decisions


def record_decision(
    program: Program, phase: Phase, data: Decision, today: date, lang: str = "en"
) -> GateDecision:
    """Record the steering committee's decision after evaluating the gate on ``today``.

    Refused (nothing written) when the gate has no criteria, when a go is taken while a
    criterion is unmet without a written justification, and as ``validate_decision`` says
    (the unmet criteria named in ``lang``).
    """
    facts = program_facts(program, today, lang=lang)
    report = evaluate_phase(facts, phase)
    decision = data
    if data.decided_on > today:
        raise ValidationError.of("decided_on", "gate.decision.future", day=today)
    validate_decision(
        decision,
        [criterion_def(r, lang) for r in phase.gate_criteria],
        report.evaluation,
        report.facts,
    )
    conditional = data.kind == "conditional_go"
    row = GateDecision(
        program_id=program.id,
        phase_id=phase.id,
        kind=data.kind,
        decided_by=data.decided_by.strip(),
        decided_on=data.decided_on,
        notes=data.notes.strip(),
        conditions=data.conditions.strip() if conditional else "",
        due=data.due if conditional else None,
        justification=data.justification.strip(),
        replan=data.replan.strip() if data.kind == "no_go" else "",
        overall_at_decision=report.evaluation.overall,
        # the record keeps the summary in English (like the audit trail); pages show it in
        # the reader's language with explain_text.stored_summary
        summary_at_decision=render_english(report.evaluation.summary),
        recorded_by=current_actor(),
    )
    row.phase = phase
    db.session.add(row)
    db.session.flush()
    return row
