"""Schedule risk analysis of a program: load the plan, ranges and risks, simulate, cache.

The inputs come from the live plan exactly as the deterministic schedule reads it (the same
activities, the links with lags converted to working days, the phase windows, the status
date), plus:

- each item's three-point range: its own optimistic/pessimistic durations, else the quick
  range of its workstream, its phase or the program (percent around the most likely);
- correlation groups: the workstreams whose range has a correlation above 0;
- risk events: open risks linked to work items with a delay (days or percent). A risk's
  chance is its own probability, else its likelihood's (:data:`LIKELIHOOD_PROBABILITY`).
  ``mitigated`` names risks to take at their residual values (residual likelihood and
  residual delay): the "what if we mitigate R-7" toggle.

Results are cached per program revision (any audited change is a new revision), today's date
and the options, in the shared cache: every worker benefits and nothing is stale.

The dashboard and gate pages show the gates' chances without making the reader wait for a
simulation (a 2,000-item plan takes about 0.2 s, a 10,000-item one a second): they show the
current revision's analysis when it is cached or cheap to run (:data:`INLINE_CELLS`), else
the latest analysis of the program *with the time it was made* ("before the latest
changes"), else an invitation to run it (:func:`gate_outlook`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Final

from sqlalchemy import func, select

from planner.domain.errors import NotFoundError, Problem, ValidationError
from planner.domain.numbers import in_range
from planner.domain.schedule import PhaseWindow
from planner.domain.schedule_risk import (
    DEFAULT_ITERATIONS,
    LIKELIHOOD_PROBABILITY,
    MAX_ITERATIONS,
    MIN_ITERATIONS,
    SHAPES,
    CorrelationGroup,
    DurationRange,
    Network,
    RiskAnalysis,
    RiskEvent,
    Shape,
    simulate,
)
from planner.extensions import db
from planner.models import Program, Risk, RiskWorkItemLink, UncertaintyRange, WorkItem
from planner.models.schedule_risk import RANGE_SCOPES
from planner.ops.cache import (
    cache_key,
    code_digest,
    derived,
    get_many,
    program_revision,
    set_many,
)
from planner.services.concurrency import check_version
from planner.services.scheduling import _activities, _schedule, load_network, program_calendar
from planner.services.scheduling import status_date_of as _status_date_of

ITERATION_CHOICES = (1_000, 2_000, 5_000, 10_000)
# items × iterations the dashboard may simulate while it renders (≈ 300 items at the default
# 2,000 iterations: about 60 ms); above it the pages show the latest analysis, dated
INLINE_CELLS: Final = 600_000
MAX_PCT = 500.0  # a pessimistic duration six times the most likely is already extreme


@dataclass(frozen=True)
class Inputs:
    """What the simulation reads, and the names to show for keys."""

    network: Network
    ranges: dict[str, DurationRange]
    events: tuple[RiskEvent, ...]
    groups: tuple[CorrelationGroup, ...]


def seed_of(program: Program) -> int:
    """A fixed seed per program: the same plan gives the same figures on every page."""
    return 20_261_206 + program.id


def program_ranges(program: Program) -> list[UncertaintyRange]:
    return list(
        db.session.scalars(
            select(UncertaintyRange)
            .where(UncertaintyRange.program_id == program.id)
            .order_by(UncertaintyRange.scope, UncertaintyRange.scope_key)
        )
    )


def _item_range(
    item: WorkItem, phase_key: str, rules: dict[tuple[str, str], UncertaintyRange]
) -> DurationRange | None:
    likely = item.duration_days
    if item.duration_optimistic is not None and item.duration_pessimistic is not None:
        shape: Shape = "pert" if item.duration_shape != "triangular" else "triangular"
        low = min(item.duration_optimistic, likely)
        high = max(item.duration_pessimistic, likely)
        return DurationRange(low, likely, high, shape)
    for scope, key in (
        ("workstream", item.workstream or ""),
        ("phase", phase_key),
        ("program", ""),
    ):
        rule = rules.get((scope, key))
        if rule is not None and (scope != "workstream" or key):
            return DurationRange.around(likely, rule.low_pct, rule.high_pct, _shape(rule.shape))
    return None


def _shape(value: str | None) -> Shape:
    return "triangular" if value == "triangular" else "pert"


def _events(program: Program, keys: dict[int, str], mitigated: frozenset[str]) -> list[RiskEvent]:
    risks = db.session.scalars(select(Risk).where(Risk.program_id == program.id)).all()
    links = db.session.execute(
        select(RiskWorkItemLink.risk_id, RiskWorkItemLink.work_item_id)
        .join(Risk, Risk.id == RiskWorkItemLink.risk_id)
        .where(Risk.program_id == program.id)
    ).all()
    items: dict[int, list[str]] = {}
    for risk_id, item_id in links:
        if item_id in keys:
            items.setdefault(risk_id, []).append(keys[item_id])
    events = []
    for risk in risks:
        delay_days = risk.schedule_delay_days or 0
        delay_pct = risk.schedule_delay_pct or 0
        if not risk.is_open or not items.get(risk.id) or (delay_days <= 0 and delay_pct <= 0):
            continue
        likelihood = risk.likelihood
        if risk.key in mitigated:
            likelihood = risk.residual_likelihood or likelihood
            if risk.residual_delay_days is not None:
                delay_days, delay_pct = risk.residual_delay_days, 0
        if risk.probability_pct is not None and risk.key not in mitigated:
            probability = risk.probability_pct / 100
        else:
            probability = LIKELIHOOD_PROBABILITY.get(likelihood, 0.5)
        events.append(
            RiskEvent(risk.key, probability, tuple(items[risk.id]), delay_days, delay_pct)
        )
    return events


def load_inputs(program: Program, today: date, mitigated: Iterable[str] = ()) -> Inputs:
    network = load_network(program)
    phases = {phase.id: phase for phase in program.phases}
    activities = _activities(network, phases)
    _result, links = _schedule(network, today)  # the links with their lags in working days
    rules = {(r.scope, r.scope_key): r for r in program_ranges(program)}
    ranges: dict[str, DurationRange] = {}
    streams: dict[str, list[str]] = {}
    for item in network.items:
        found = _item_range(item, phases[item.phase_id].key, rules)
        if found is not None:
            ranges[item.key] = found
        if item.workstream:
            streams.setdefault(item.workstream, []).append(item.key)
    groups = tuple(
        CorrelationGroup(name, tuple(streams[name]), rule.correlation)
        for (scope, name), rule in sorted(rules.items())
        if scope == "workstream" and rule.correlation > 0 and name in streams
    )
    keys = {item.id: item.key for item in network.items}
    events = _events(program, keys, frozenset(mitigated))
    domain_network = Network(
        activities,
        links,
        program_calendar(program),
        program.start_date,
        _status_date_of(program, today),
        tuple(PhaseWindow(p.key, p.window_start, p.window_end) for p in program.phases),
    )
    return Inputs(domain_network, ranges, tuple(events), groups)


def check_iterations(value: object) -> int:
    """An iteration count from a form or query (the page's choices, or the API's range)."""
    try:
        iterations = int(str(value))
    except (TypeError, ValueError):
        raise ValidationError.of("iterations", "field.not_a_number") from None
    if not MIN_ITERATIONS <= iterations <= MAX_ITERATIONS:
        raise ValidationError.of(
            "iterations", "field.out_of_range", min=MIN_ITERATIONS, max=MAX_ITERATIONS
        )
    return iterations


def analyse(
    program: Program,
    today: date,
    *,
    iterations: int = DEFAULT_ITERATIONS,
    mitigated: Iterable[str] = (),
) -> RiskAnalysis:
    """The program's schedule risk analysis (cached per revision, day and options)."""
    chosen = tuple(sorted(set(mitigated)))
    known = {r.key for r in program.risks}
    unknown = [key for key in chosen if key not in known]
    if unknown:
        raise ValidationError.of("mitigate", "field.unknown_reference", value=", ".join(unknown))

    def run() -> RiskAnalysis:
        inputs = load_inputs(program, today, chosen)
        return simulate(
            inputs.network,
            inputs.ranges,
            events=inputs.events,
            groups=inputs.groups,
            iterations=iterations,
            seed=seed_of(program),
            trusted=True,
        )

    def run_and_remember() -> RiskAnalysis:
        analysis = run()
        if iterations == DEFAULT_ITERATIONS and not chosen:
            _remember_latest(program, analysis)
        return analysis

    # numbers and keys only: one entry for every language
    return derived(
        "schedule-risk",
        program.id,
        run_and_remember,
        *_key_parts(today, iterations, chosen),
        localized=False,
    )


def _key_parts(today: date, iterations: int, chosen: tuple[str, ...]) -> tuple[object, ...]:
    return (today.isoformat(), iterations, chosen)


# --------------------------------------------------------------------------- editing


def _number(value: object, field: str) -> float:
    """A finite number from a form field (text or Decimal), a query or JSON (the numeric
    policy's range)."""
    if isinstance(value, bool) or value is None:
        raise ValidationError.of(field, "field.not_a_number")
    try:
        number = float(str(value).strip())
    except ValueError:
        raise ValidationError.of(field, "field.not_a_number") from None
    if not in_range(number):
        raise ValidationError.of(field, "field.not_a_number")
    return number


def _pct(value: object, field: str, low: float, high: float) -> float:
    number = _number(value, field)
    if not low <= number <= high:
        raise ValidationError.of(field, "field.out_of_range", min=low, max=high)
    return number


def save_range(
    program: Program,
    scope: str,
    scope_key: str,
    low_pct: object,
    high_pct: object,
    shape: str,
    correlation: object = 0.0,
) -> UncertaintyRange:
    """Create or replace the quick range of the program, a phase or a workstream."""
    problems: list[Problem] = []
    if scope not in RANGE_SCOPES:
        problems.append(Problem("scope", "field.not_a_choice", {"value": scope}))
    scope_key = "" if scope == "program" else scope_key.strip()
    if scope == "phase" and scope_key not in {p.key for p in program.phases}:
        problems.append(Problem("scope_key", "risk_analysis.unknown_scope", {"value": scope_key}))
    if scope == "workstream":
        if scope_key not in workstreams(program):
            problems.append(
                Problem("scope_key", "risk_analysis.unknown_scope", {"value": scope_key})
            )
    if shape not in SHAPES:
        problems.append(Problem("shape", "field.not_a_choice", {"value": shape}))
    if problems:
        raise ValidationError(problems=problems)
    low = _pct(low_pct, "low_pct", -100.0, 0.0)
    high = _pct(high_pct, "high_pct", 0.0, MAX_PCT)
    corr = _pct(correlation, "correlation", 0.0, 1.0) if scope == "workstream" else 0.0
    row = db.session.scalars(
        select(UncertaintyRange).where(
            UncertaintyRange.program_id == program.id,
            UncertaintyRange.scope == scope,
            UncertaintyRange.scope_key == scope_key,
        )
    ).first()
    if row is None:
        row = UncertaintyRange(program_id=program.id, scope=scope, scope_key=scope_key)
        db.session.add(row)
    row.low_pct, row.high_pct, row.shape, row.correlation = low, high, shape, corr
    db.session.flush()
    return row


def delete_range(program: Program, range_id: int) -> None:
    row = db.session.get(UncertaintyRange, range_id)
    if row is None or row.program_id != program.id:
        raise NotFoundError(problems=[Problem("", "row.not_found")])
    db.session.delete(row)
    db.session.flush()


def _days(value: object, field: str) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number = _number(value, field)
    if number != int(number) or not 0 <= number <= 10_000:
        raise ValidationError.of(field, "field.out_of_range", min=0, max=10_000)
    return int(number)


def set_item_range(
    item: WorkItem,
    optimistic: object,
    pessimistic: object,
    shape: str | None,
    version: int | str | None,
) -> WorkItem:
    """An item's own three-point duration (both ends empty: the quick ranges apply)."""
    check_version(item, version)
    low, high = _days(optimistic, "duration_optimistic"), _days(pessimistic, "duration_pessimistic")
    if (low is None) != (high is None):
        missing = "duration_optimistic" if low is None else "duration_pessimistic"
        raise ValidationError.of(missing, "field.required")
    if low is not None and high is not None and not low <= item.duration_days <= high:
        raise ValidationError.of(
            "duration_optimistic", "risk_analysis.range_order", likely=item.duration_days
        )
    if shape not in (None, "", *SHAPES):
        raise ValidationError.of("duration_shape", "field.not_a_choice", value=shape)
    item.duration_optimistic, item.duration_pessimistic = low, high
    item.duration_shape = (shape or None) if low is not None else None
    db.session.flush()
    return item


def set_risk_delay(
    risk: Risk,
    delay_days: object,
    delay_pct: object,
    probability_pct: object,
    residual_delay_days: object,
    version: int | str | None,
) -> Risk:
    """The schedule effect of a risk when it occurs (empty fields: none)."""
    check_version(risk, version)
    days = _days(delay_days, "schedule_delay_days")
    pct = _days(delay_pct, "schedule_delay_pct")
    probability = _days(probability_pct, "probability_pct")
    if probability is not None and probability > 100:
        raise ValidationError.of("probability_pct", "field.out_of_range", min=0, max=100)
    if pct is not None and pct > MAX_PCT:
        raise ValidationError.of("schedule_delay_pct", "field.out_of_range", min=0, max=MAX_PCT)
    residual = _days(residual_delay_days, "residual_delay_days")
    risk.schedule_delay_days, risk.schedule_delay_pct = days, pct
    risk.probability_pct, risk.residual_delay_days = probability, residual
    db.session.flush()
    return risk


def workstreams(program: Program) -> list[str]:
    return sorted(
        s
        for s in db.session.scalars(
            select(WorkItem.workstream).where(WorkItem.program_id == program.id).distinct()
        )
        if s
    )


def item_names(program: Program, lang: str) -> dict[str, str]:
    """Item and risk keys → names in the reader's language, for drivers and tables."""
    rows = db.session.execute(
        select(WorkItem.key, WorkItem.name, WorkItem.name_zh).where(
            WorkItem.program_id == program.id
        )
    ).all()
    names = {key: (zh if lang.startswith("zh") and zh else name) for key, name, zh in rows}
    for risk in program.risks:
        title = risk.title_zh if lang.startswith("zh") and risk.title_zh else risk.title
        names[risk.key] = title
    return names


def item_by_key(program: Program, key: str) -> WorkItem:
    item = db.session.scalars(
        select(WorkItem).where(WorkItem.program_id == program.id, WorkItem.key == key.strip())
    ).first()
    if item is None:
        raise ValidationError.of("key", "field.unknown_reference", value=key.strip()[:64])
    return item


def risk_by_id(program: Program, risk_id: int) -> Risk:
    risk = db.session.get(Risk, risk_id)
    if risk is None or risk.program_id != program.id:
        raise NotFoundError(problems=[Problem("", "row.not_found")])
    return risk


def ranged_items(program: Program) -> list[WorkItem]:
    """Items with a three-point duration of their own."""
    return list(
        db.session.scalars(
            select(WorkItem)
            .where(WorkItem.program_id == program.id, WorkItem.duration_optimistic.is_not(None))
            .order_by(WorkItem.position, WorkItem.id)
        )
    )


def risks_for_delays(program: Program) -> list[tuple[Risk, int]]:
    """Open risks linked to work items (the ones that can delay them), with their link count."""
    counts = dict(
        db.session.execute(
            select(RiskWorkItemLink.risk_id, func.count())
            .join(Risk, Risk.id == RiskWorkItemLink.risk_id)
            .where(Risk.program_id == program.id)
            .group_by(RiskWorkItemLink.risk_id)
        ).all()
    )
    return [(r, counts[r.id]) for r in program.risks if r.is_open and counts.get(r.id)]


__all__ = ["ITERATION_CHOICES", "analyse", "check_iterations", "load_inputs", "seed_of"]


@dataclass(frozen=True)
class GateChance:
    """One gate ahead, as the dashboard and the gate page show it (words filled by views)."""

    phase: str
    name: str
    gate: date
    probability: float
    p80: date
    days_late: int
    driver_keys: tuple[str, ...]


@dataclass(frozen=True)
class GateOutlook:
    """The gates' chances as the dashboard and gate pages may show them without waiting.

    ``as_of`` is set when the chances come from an analysis of an earlier revision (the
    plan changed since): when that analysis was made. ``pending`` means no analysis of this
    program is at hand and the plan is too large to simulate while the page renders.
    """

    gates: tuple[GateChance, ...] = ()
    as_of: datetime | None = None
    pending: bool = False


def _latest_key(program_id: int) -> str:
    return f"derived:schedule-risk-latest:{program_id}:{code_digest()}"


def _remember_latest(program: Program, analysis: RiskAnalysis) -> None:
    """Keep the newest default analysis of the program, whatever its revision, with its time."""
    # naive UTC, as the audit trail keeps its times
    made = datetime.now(UTC).replace(tzinfo=None)
    set_many({_latest_key(program.id): (made, _chances(analysis))})


def _chances(analysis: RiskAnalysis) -> tuple[GateChance, ...]:
    return tuple(
        GateChance(
            g.phase,
            g.phase,
            g.gate,
            g.probability,
            g.p80,
            max(0, g.days_late(80)),
            tuple(d.key for d in g.drivers[:3]),
        )
        for g in analysis.gates
        if g.phase is not None and g.gate is not None and g.probability is not None
    )


def _ahead(chances: Iterable[GateChance], program: Program, today: date) -> tuple[GateChance, ...]:
    names = {p.key for p in program.phases}
    return tuple(c for c in chances if c.gate >= today and c.phase in names)


def _item_count(program: Program) -> int:
    return int(
        db.session.scalar(select(func.count(WorkItem.id)).where(WorkItem.program_id == program.id))
        or 0
    )


def _outlook_source(program: Program, today: date) -> tuple[str, RiskAnalysis | None, object]:
    """Where the gates' chances come from now: ("current", the cached analysis or None when
    it is cheap to run, None), ("latest", None, the latest entry) or ("pending", None, None)."""
    key = cache_key(
        "schedule-risk",
        program.id,
        program_revision(program.id),
        _key_parts(today, DEFAULT_ITERATIONS, ()),
        localized=False,
    )
    found = get_many([key, _latest_key(program.id)], probe=True)
    current = found.get(key)
    if isinstance(current, RiskAnalysis):
        return "current", current, None
    if _item_count(program) * DEFAULT_ITERATIONS <= INLINE_CELLS:
        return "current", None, None
    latest = found.get(_latest_key(program.id))
    return ("pending", None, None) if latest is None else ("latest", None, latest)


def gate_outlook(program: Program, today: date) -> GateOutlook:
    """The gates from today on with their chances (default iterations), never waiting for a
    large simulation: the current analysis when cached or cheap, else the latest one dated,
    else ``pending``. No gates when the plan has nothing to simulate."""
    source, current, latest = _outlook_source(program, today)
    if source == "current":
        if current is None:
            try:
                current = analyse(program, today)
            except ValidationError:
                return GateOutlook()
        return GateOutlook(_ahead(_chances(current), program, today))
    if source == "pending" or not isinstance(latest, tuple):
        return GateOutlook(pending=True)
    made, chances = latest
    return GateOutlook(_ahead(chances, program, today), as_of=made)


def outlook_stamp(program: Program, today: date) -> str:
    """What a cached page showing :func:`gate_outlook` depends on besides the revision: the
    source of the chances (a dated analysis is replaced by the current one once someone runs
    it, with no change of revision)."""
    source, _current, latest = _outlook_source(program, today)
    if source == "latest" and isinstance(latest, tuple):
        return f"latest:{latest[0].isoformat()}"
    return source


def gates_ahead(program: Program, today: date) -> list[GateChance]:
    """The simulated gates from today on (default iterations, cached); [] when the plan has
    nothing to simulate. Runs the analysis when it is not cached (the analysis page, the
    pack); pages that must not wait use :func:`gate_outlook`."""
    try:
        analysis = analyse(program, today)
    except ValidationError:
        return []
    return list(_ahead(_chances(analysis), program, today))
