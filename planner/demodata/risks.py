"""Demo content for the risks area: owners, residual assessments, actions, links, and three
steering reviews with changes between them (so the review page and the trend have content).

The register is walked through its history: set the state as it stood at a review, open the
review (which snapshots the register), then change it the way the weeks after would have.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from planner.demodata import risks_story as story
from planner.extensions import db
from planner.models import Program
from planner.models.risk import Risk, RiskAction
from planner.services import risks as service


def _at(day: date) -> datetime:
    return datetime.combine(day, time(9, 30))


def _set(risk: Risk, **values: Any) -> None:
    for name, value in values.items():
        setattr(risk, name, value)


def _action(risk: Risk, title: str, owner: str, due: date, done_on: date | None = None) -> None:
    risk.actions.append(
        RiskAction(
            title=title, owner=owner, due_date=due, done=done_on is not None, done_on=done_on
        )
    )


def _review(program: Program, day: date, title: str, attendees: str, notes: str) -> Any:
    db.session.flush()
    review = service.open_review(
        program, {"held_on": day, "title": title, "attendees": attendees, "notes": notes}
    )
    review.snapshot_taken_at = _at(day)
    return review


def _decide(review: Any, decisions: list[tuple[Risk, str, str]]) -> None:
    """The review's decisions, in one write (a flush for each was a tenth of this area)."""
    if decisions:
        entries = [(risk.id, decision, note, None) for risk, decision, note in decisions]
        service.record_decisions(review, entries)


def _reading(program: Program, key: str, day: date) -> float | None:
    """The metric's latest reading on or before ``day`` (the demo's notes quote the data)."""
    metric = next((m for m in program.metrics if m.key == key), None)
    seen = [r for r in (metric.readings if metric else []) if r.day <= day]
    return max(seen, key=lambda r: r.day).value if seen else None


def _quoted(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}".rstrip("0").rstrip(".")


def _link(risk: Risk, items: dict[str, Any], phases: dict[str, Any], *keys: str) -> None:
    # in one write (a flush for each link was a sixth of this area); a key neither names is
    # skipped
    item_ids = [items[key].id for key in keys if key in items]
    phase_ids = [phases[key].id for key in keys if key not in items and key in phases]
    if item_ids or phase_ids:  # nothing to link: no write, as before
        service.link_many(risk, item_ids, phase_ids)


def _ensure_schedule(program: Program, today: date) -> None:
    """Linked work items show their float: compute the schedule if the plan left none."""
    if all(item.total_float is None for item in program.work_items):
        try:
            from planner.services.scheduling import reschedule
        except ImportError:  # pragma: no cover - the plan area ships the scheduler
            return
        reschedule(program, today)
        db.session.flush()


def populate(program: Program, today: date) -> None:
    """Give the demo program believable risks content as of ``today``."""
    # the playbook's register holds the story's first risk (else there is no story to tell);
    # asked by key: the risks are loaded once, below, after the expiry
    seeded = select(Risk.id).where(
        Risk.program_id == program.id, Risk.key == "resistance-to-change"
    )
    if db.session.scalar(seeded) is None:
        return
    _ensure_schedule(program, today)
    db.session.expire_all()
    risks = {risk.key: risk for risk in service.load_risks(program.id)}
    items = {item.key: item for item in service.program_work_items(program.id)}
    phases = {phase.key: phase for phase in service.program_phases(program.id)}
    if "foundation" in phases:
        _northwind(program, today, risks, items, phases)
    else:
        _small_company(program, today, risks, items, phases)


def _northwind(
    program: Program,
    today: date,
    risks: dict[str, Risk],
    items: dict[str, Any],
    phases: dict[str, Any],
) -> None:
    """Walk the register through its story (``risks_story.NORTHWIND``), step by step."""
    risks = dict(risks)
    review: Any = None

    def value(given: Any) -> Any:
        if isinstance(given, story.Day):
            return today + timedelta(days=given.offset)
        if isinstance(given, story.PhaseId):
            return phases[given.key].id
        if isinstance(given, story.PhaseDay):
            return phases[given.key].window_start + timedelta(days=given.offset)
        return given

    decided: list[tuple[Risk, str, str]] = []  # a review's decisions, recorded together
    for step in story.NORTHWIND:
        if decided and not isinstance(step, story.Decide):
            _decide(review, decided)
            decided = []
        match step:
            case story.Set(key, values):
                _set(risks[key], **{name: value(v) for name, v in values.items()})
            case story.Act(key, title, owner, due, done):
                done_on = None if done is None else value(story.Day(done))
                _action(risks[key], title, owner, value(story.Day(due)), done_on)
            case story.Done(key, nth, on):
                risks[key].actions[nth].done = True
                risks[key].actions[nth].done_on = value(story.Day(on))
            case story.Link(key, keys):
                _link(risks[key], items, phases, *keys)
            case story.Create(values):
                created = service.create_risk(program, {k: value(v) for k, v in values.items()})
                risks[created.key] = created
            case story.Review(day, title, attendees, notes):
                review = _review(program, value(story.Day(day)), title, attendees, notes)
            case story.Decide(key, decision, note):
                decided.append((risks[key], decision, _note(program, today, note)))
    _decide(review, decided)
    db.session.flush()


def _note(program: Program, today: date, note: str | story.Reading) -> str:
    """A decision's note; one that quotes a metric reads it as it stood on the day."""
    if isinstance(note, str):
        return note
    day = today + timedelta(days=note.offset)
    return note.text.format(_quoted(_reading(program, note.metric, day)))


def _small_company(
    program: Program,
    today: date,
    risks: dict[str, Risk],
    items: dict[str, Any],
    phases: dict[str, Any],
) -> None:
    d = lambda days: today + timedelta(days=days)  # noqa: E731 - a short date helper
    owners = {
        "resistance-to-change": ("Owner-manager", 2, 3),
        "cleaning-legacy-data": ("Office manager", 3, 2),
        "in-house-attempt-failed": ("Owner-manager", 2, 3),
        "ensuring-proper-use": ("Sales lead", 2, 4),
    }
    for key, (owner, rl, ri) in owners.items():
        if key in risks:
            _set(risks[key], owner=owner, residual_likelihood=rl, residual_impact=ri)
    if "cleaning-legacy-data" in risks:
        data = risks["cleaning-legacy-data"]
        _set(data, status="mitigating", review_date=d(7))
        _action(data, "List the spreadsheets that hold customer records", "Office manager", d(-3))
        _link(data, items, phases, "records-inventory", "customer-import")
    first = _review(
        program,
        d(-6),
        "Kick-off review",
        "Owner-manager\nOffice manager\nImplementation partner",
        "First look at the register with the implementation partner.",
    )
    if "resistance-to-change" in risks:
        _decide(
            first, [(risks["resistance-to-change"], "continue", "Owner-manager leads by example.")]
        )
    db.session.flush()
