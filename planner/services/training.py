"""Training sessions per team and module with their attendance, and the training-completion
metric they feed: per (team, module) and per team, the share of invited users who attended,
cumulative up to each session's date, rolled up to the program figure by the invited."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, select

from planner.domain.adoption import completion_rate
from planner.domain.days import parse_day
from planner.domain.errors import NotFoundError, Problem, ValidationError
from planner.extensions import db
from planner.models import MetricReading, Program
from planner.models.adoption import CellReading, TrainingSession
from planner.services import adoption as adoption_service
from planner.services.metrics import program_window


@dataclass(frozen=True)
class SessionInput:
    team: str
    module: str
    held_on: date
    title: str
    trainer: str
    invited: int
    attended: int


def sessions(program: Program) -> list[TrainingSession]:
    return list(
        db.session.scalars(
            select(TrainingSession)
            .where(TrainingSession.program_id == program.id)
            .order_by(TrainingSession.held_on.desc(), TrainingSession.id.desc())
        )
    )


def add_session(program: Program, data: SessionInput, *, refresh: bool = True) -> TrainingSession:
    """Record a session (typed) and refresh the completion readings (``refresh=False``:
    the caller adds several and calls :func:`refresh_completion` once)."""
    return add_sessions(program, [data], refresh=refresh)[0]


def add_sessions(
    program: Program, inputs: Iterable[SessionInput], *, refresh: bool = True
) -> list[TrainingSession]:
    """Record several sessions (typed, as the demo does), all or none: each is checked as
    :func:`add_session` checks it (the first refused one raises, before any is added), then
    all are added in one flush (one audit row each, in their order) and the completion
    readings refreshed once."""
    rules = _Rules.of(program)
    inputs = list(inputs)
    for data in inputs:
        rules.check(data)
    rows = [_row(program, data) for data in inputs]
    db.session.add_all(rows)
    db.session.flush()
    if refresh:
        refresh_completion(program)
    return rows


def _row(program: Program, data: SessionInput) -> TrainingSession:
    return TrainingSession(
        program_id=program.id,
        team=data.team,
        module=data.module,
        held_on=data.held_on,
        title=data.title.strip(),
        trainer=data.trainer.strip(),
        invited=data.invited,
        attended=data.attended,
    )


@dataclass(frozen=True)
class _Rules:
    """What a session is checked against, read once for the sessions of one request."""

    teams: frozenset[str]
    modules: frozenset[str]
    start: date
    end: date

    @classmethod
    def of(cls, program: Program) -> _Rules:
        start, end = program_window(program)
        return cls(
            frozenset(v.key for v in adoption_service.values(program, "team")),
            frozenset(m for m, _ in module_choices(program, "en")),
            start,
            end,
        )

    def check(self, data: SessionInput) -> None:
        problems: list[Problem] = []
        if data.team not in self.teams:
            problems.append(Problem("team", "field.unknown_reference", {"value": data.team}))
        if data.module and data.module not in self.modules:
            problems.append(Problem("module", "field.unknown_reference", {"value": data.module}))
        if data.attended > data.invited:
            problems.append(Problem("attended", "adoption.training.attended_over_invited"))
        if not self.start <= data.held_on <= self.end:
            problems.append(
                Problem(
                    "held_on",
                    "field.out_of_range",
                    {"min": self.start.isoformat(), "max": self.end.isoformat()},
                )
            )
        if problems:
            raise ValidationError(problems=problems)


def import_sessions(program: Program, lines: list[str]) -> int:
    """Add sessions from ``team, module, date, invited, attended[, title[, trainer]]`` lines
    (commas or tabs; as a spreadsheet copies them), all or none: every bad line is reported
    by its number. Returns how many were added."""
    problems: list[Problem] = []
    parsed: list[tuple[int, SessionInput]] = []
    for number, line in enumerate(lines, start=1):
        parts = [p.strip() for p in line.replace("\t", ",").split(",")]
        if not line.strip():
            continue
        try:
            team, module, day, invited, attended = parts[:5]
            data = SessionInput(
                team,
                module,
                parse_day(day),
                " ".join(parts[5:6]),
                " ".join(parts[6:7]),
                int(invited),
                int(attended),
            )
        except (ValueError, TypeError, ValidationError):
            problems.append(
                Problem(f"line {number}", "adoption.training.bad_line", {"line": number})
            )
            continue
        parsed.append((number, data))
    problems.extend(_bad_values(program, parsed))
    if problems:
        raise ValidationError(problems=problems)
    for _number, data in parsed:
        db.session.add(_row(program, data))
    db.session.flush()
    refresh_completion(program)
    return len(parsed)


def _bad_values(program: Program, parsed: list[tuple[int, SessionInput]]) -> list[Problem]:
    """The problems of the parsed lines' values, by line (the rules read once for all)."""
    if not parsed:
        return []
    rules = _Rules.of(program)
    problems: list[Problem] = []
    for number, data in parsed:
        try:
            rules.check(data)
        except ValidationError as exc:
            problems.extend(
                Problem(
                    f"line {number}",
                    "adoption.training.bad_value",
                    {"line": number, "field": p.field},
                )
                for p in exc.problems
            )
    return problems


def delete_session(program: Program, session_id: int) -> None:
    row = db.session.get(TrainingSession, session_id)
    if row is None or row.program_id != program.id:
        raise NotFoundError.of("session", "row.not_found")
    db.session.delete(row)
    db.session.flush()
    refresh_completion(program)


@dataclass(frozen=True)
class TrainersItem:
    """The playbook's "train the trainers" item as planned in the program."""

    key: str
    name: str
    work_item_id: int | None


def trainers_item(program: Program, lang: str) -> TrainersItem | None:
    """The work item the playbook names as training the trainers (None when it names none)."""
    from planner.models import WorkItem

    model = adoption_service.adoption_model(program)
    key = model.train_the_trainers if model else None
    if not key:
        return None
    item = db.session.scalar(
        select(WorkItem).where(WorkItem.program_id == program.id, WorkItem.key == key)
    )
    if item is None:
        return TrainersItem(key, key, None)
    name = (item.name_zh if lang.startswith("zh") else None) or item.name
    return TrainersItem(key, name, item.id)


def module_choices(program: Program, lang: str) -> list[tuple[str, str]]:
    model = adoption_service.adoption_model(program)
    return [(m.key, m.name.get(lang)) for m in model.modules] if model else []


def refresh_completion(program: Program) -> int:
    """Rewrite the training-completion cells from the sessions (cumulative per session
    date) and roll them up; returns the cells written."""
    metric = adoption_service.ensure_metric(program, adoption_service.TRAINING_METRIC)
    db.session.execute(delete(CellReading).where(CellReading.metric_id == metric.id))
    # the program figures are derived too: written again by the roll-up below
    db.session.execute(delete(MetricReading).where(MetricReading.metric_id == metric.id))
    db.session.expire(metric, ["readings"])
    rows = sorted(sessions(program), key=lambda s: (s.held_on, s.id))
    invited: dict[tuple[str, str], int] = defaultdict(int)
    attended: dict[tuple[str, str], int] = defaultdict(int)
    cells: list[dict[str, object]] = []
    days = sorted({s.held_on for s in rows})
    for day in days:
        for s in (s for s in rows if s.held_on == day):
            for cell in {(s.team, s.module), (s.team, "")}:
                invited[cell] += s.invited
                attended[cell] += s.attended
        for (team, module), n in invited.items():
            rate = completion_rate(n, attended[(team, module)])
            if rate is not None:
                cells.append(
                    {
                        "metric_id": metric.id,
                        "day": day,
                        "team": team,
                        "region": "",
                        "module": module,
                        "value": round(rate, 2),
                        "users": n,
                        "note": "training",
                        "version": 1,
                    }
                )
    if cells:  # derived from the sessions (which are audited): not audited row by row
        db.session.execute(CellReading.__table__.insert(), cells)  # type: ignore[attr-defined]
    adoption_service.roll_up(metric, days, "training")
    return len(cells)


@dataclass(frozen=True)
class CompletionCell:
    invited: int
    attended: int

    @property
    def rate(self) -> float | None:
        return completion_rate(self.invited, self.attended)


def completion_table(program: Program) -> dict[tuple[str, str], CompletionCell]:
    """Invited and attended per (team, module), and per team (module "")."""
    totals: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for s in sessions(program):
        for cell in {(s.team, s.module), (s.team, "")}:
            totals[cell][0] += s.invited
            totals[cell][1] += s.attended
    return {cell: CompletionCell(i, a) for cell, (i, a) in totals.items()}
