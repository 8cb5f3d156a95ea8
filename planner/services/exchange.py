"""Plan files in and out: a program ↔ :class:`~planner.interop.plandata.PlanData`.

Export
------
:func:`plan_data` reads a program's plan in a fixed number of queries — phases, work items,
dependencies, the working calendar (weekdays and exceptions) and the dates of its latest
baseline (as baseline 0) — and :func:`export_plan` writes it as MS Project XML, CSV or .xlsx
with the interop modules. The CSV and .xlsx header labels are the caller's
(:data:`~planner.interop.plan_table.HeaderLabels`: the web layer passes the interface
language's), as is the list of labels an import accepts besides the built-in ones.

Import
------
:func:`read_plan_file` reads an uploaded file by its extension (or, failing that, its first
bytes); a bad file raises :class:`~planner.domain.errors.ImportFormatError` listing every
problem with the task (MSPDI) or row and column (CSV, .xlsx) at fault.

* :func:`import_new_program` makes a new program of the file: its phases, items, links,
  calendar and, when the file has baseline dates, a baseline; optionally the risks,
  metrics and gate criteria of a playbook (whose risk scale and maturity model the program
  then uses). Without a playbook the program is marked as imported
  (:data:`IMPORTED_PLAYBOOK_ID`).
* :func:`import_into_phase` adds the file's items and links to one phase of an existing
  program (the program keeps its calendar; the file's phases and baseline are not used).
  Keys the program already uses get ``-2``, ``-3`` … so nothing is overwritten.

* :func:`read_update`, :func:`preview_update` and :func:`apply_update` take back a CSV or
  .xlsx exported from the program and edited: items are updated by key after a preview
  (every change, new and missing keys, stale rows as conflicts, what moves in the schedule).

The imports and the update flush and reschedule (the preview writes nothing) but never
commit: the caller commits on success and rolls back on any error, so a refused file writes
nothing. Keys that the plan editor would refuse (it
accepts letters, digits, ``.``, ``_`` and ``-``) are made acceptable the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Final, Literal

from sqlalchemy import func, select

import planner.models.baseline  # noqa: F401  (registers the baseline tables)
from planner.domain.errors import ConflictError, ImportFormatError, Problem, ValidationError
from planner.domain.playbook import Playbook, Text
from planner.extensions import db
from planner.interop import mspdi, plan_table
from planner.interop.plan_changes import PlanChanges, merged, plan_changes
from planner.interop.plandata import (
    CalendarData,
    ItemData,
    LinkData,
    PhaseData,
    PlanData,
    problems,
    refusal,
)
from planner.models import (
    CalendarException,
    Dependency,
    GateCriterion,
    Membership,
    Phase,
    Program,
    User,
    WorkItem,
)
from planner.models.baseline import Baseline, BaselineItem
from planner.services.plan import MoveView, describe_moves, record_baseline
from planner.services.programs import metric_from_playbook, risk_from_playbook
from planner.services.scheduling import (
    Move,
    Network,
    Outcome,
    compute,
    program_calendar,
    reschedule,
    status_date_of,
)

Format = Literal["mspdi", "csv", "xlsx"]
FORMATS: Final[tuple[Format, ...]] = ("mspdi", "csv", "xlsx")
MEDIA_TYPES: Final[dict[Format, str]] = {
    "mspdi": "application/vnd.ms-project+xml",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXTENSIONS: Final[dict[Format, str]] = {"mspdi": "xml", "csv": "csv", "xlsx": "xlsx"}
IMPORTED_PLAYBOOK_ID: Final = "imported-file"
IMPORTED_PLAYBOOK_VERSION: Final = "0"
DEFAULT_BASELINE_NAME: Final = "Baseline 0 (imported)"
MAX_FILE_BYTES: Final = 10 * 1024 * 1024
KEY_PATTERN: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_KEY_BAD = re.compile(r"[^A-Za-z0-9._-]+")


# --------------------------------------------------------------------------- export


def _text(value: str | None, fallback: str) -> str:
    return (value or "").strip() or fallback


def latest_baseline(program: Program) -> Baseline | None:
    return db.session.scalar(
        select(Baseline)
        .where(Baseline.program_id == program.id)
        .order_by(Baseline.taken_at.desc(), Baseline.id.desc())
        .limit(1)
    )


def _names(row: Phase | WorkItem, language: str) -> tuple[str, str | None]:
    """The row's name in ``language`` (the other one when it has none, then its key) and
    its name in the other language (None when it has none or it is the same)."""
    english, chinese = (row.name or "").strip(), (row.name_zh or "").strip()
    first, other = (chinese, english) if language == "zh" else (english, chinese)
    name = first or other or row.key
    return name, (other if other and other != name else None)


def plan_data(
    program: Program, language: str = "en", today: date | None = None, *, table: bool = False
) -> PlanData:
    """The program's plan as plain data, with its latest baseline as baseline 0; names in
    ``language`` (``en`` or ``zh``), each with its name in the other language as ``alt_name``.

    With ``table``, every item also carries its name in each language and its row version:
    what a CSV or .xlsx for round-trip editing holds (see :func:`read_update`).
    """
    phases = list(
        db.session.scalars(
            select(Phase).where(Phase.program_id == program.id).order_by(Phase.ordinal)
        )
    )
    phase_key = {p.id: p.key for p in phases}
    items = list(
        db.session.scalars(
            select(WorkItem)
            .where(WorkItem.program_id == program.id)
            .order_by(WorkItem.position, WorkItem.id)
        )
    )
    key_of = {i.id: i.key for i in items}
    rank = {i.id: n for n, i in enumerate(items)}
    deps = [
        d
        for d in db.session.scalars(select(Dependency).where(Dependency.program_id == program.id))
        if d.predecessor_id in rank and d.successor_id in rank
    ]
    baseline = latest_baseline(program)
    dates: dict[str, tuple[date, date]] = {}
    if baseline is not None:
        rows = db.session.execute(
            select(BaselineItem.key, BaselineItem.start, BaselineItem.finish).where(
                BaselineItem.baseline_id == baseline.id
            )
        )
        dates = {key: (start, finish) for key, start, finish in rows}
    calendar = CalendarData.from_work_calendar(program_calendar(program))
    names = tuple((e.day, e.name) for e in program.calendar_exceptions if e.name)
    return PlanData(
        name=_text(program.name, f"Program {program.id}"),
        start=program.start_date,
        calendar=replace(calendar, names=names),
        phases=[  # type: ignore[arg-type]  # PlanData turns its lists into tuples
            PhaseData(p.key, name, p.ordinal, p.window_start, p.window_end, alt_name)
            for p in phases
            for name, alt_name in [_names(p, language)]
        ],
        items=[
            ItemData(
                key=i.key,
                name=_names(i, language)[0],
                alt_name=_names(i, language)[1],
                phase_key=phase_key[i.phase_id],
                kind="milestone" if i.kind == "milestone" else "task",
                duration=i.duration_days,
                workstream=i.workstream or None,
                owner=i.owner or None,
                percent_complete=i.percent_complete,
                actual_start=i.actual_start,
                actual_finish=i.actual_finish,
                constraint_type=i.constraint_type,  # type: ignore[arg-type]  # the column's check constraint allows only SNET, FNLT
                constraint_date=i.constraint_date,
                early_start=i.early_start,
                early_finish=i.early_finish,
                baseline_start=dates[i.key][0] if i.key in dates else None,
                baseline_finish=dates[i.key][1] if i.key in dates else None,
                name_en=(i.name or None) if table else None,
                name_zh=(i.name_zh or None) if table else None,
                version=i.version if table else None,
            )
            for i in items
        ],
        links=[
            LinkData(
                key_of[d.predecessor_id],
                key_of[d.successor_id],
                d.type,  # type: ignore[arg-type]  # the column's check constraint allows only FS, SS, FF, SF
                d.lag_days,
                d.lag_unit if d.lag_amount is not None else "d",  # type: ignore[arg-type]  # the column's check constraint allows only the lag units
                d.lag_amount if d.lag_unit != "d" else None,
            )
            # links by successor, then predecessor, in item order: the same plan, the same data
            for d in sorted(deps, key=lambda d: (rank[d.successor_id], rank[d.predecessor_id]))
        ],
        # the status date the stored dates were computed with (today when the program
        # follows today): another scheduler needs it to put remaining work where we do
        status_date=status_date_of(program, today),
        language="zh" if language == "zh" else "en",
    )


def export_plan(
    program: Program,
    fmt: Format,
    *,
    headers: plan_table.HeaderLabels | None = None,
    sheet_title: str = "Plan",
    language: str = "en",
    today: date | None = None,
) -> bytes:
    """The program's plan as an MS Project XML, CSV or .xlsx file; a table's header row in
    ``headers``' labels and an .xlsx sheet named ``sheet_title`` (MS Project XML has neither).
    Names are in ``language``; MS Project XML keeps the other language's names in a custom
    field, a table in a column of its own, with each row's version (so that the edited file
    can update the plan: :func:`read_update`).
    """
    if fmt == "mspdi":
        return mspdi.write(plan_data(program, language, today))
    plan = plan_data(program, language, today, table=True)
    if fmt == "csv":
        return plan_table.write_csv(plan, headers=headers, lang=language)
    if fmt == "xlsx":
        return plan_table.write_xlsx(plan, headers=headers, sheet_title=sheet_title, lang=language)
    raise ValueError(f"unknown format {fmt!r}")


# --------------------------------------------------------------------------- reading files


@dataclass(frozen=True)
class PlanFile:
    """A plan read from a file, and what the reader adapted to fit the planner."""

    plan: PlanData
    format: Format
    notes: tuple[str, ...] = ()


def detect_format(filename: str, data: bytes) -> Format | None:
    name = filename.lower().strip()
    if name.endswith(".xml"):
        return "mspdi"
    if name.endswith(".csv") or name.endswith(".txt"):
        return "csv"
    if name.endswith(".xlsx"):
        return "xlsx"
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"<"):
        return "mspdi"
    return None


def read_plan_file(
    filename: str,
    data: bytes,
    *,
    start: date | None = None,
    headers: Iterable[plan_table.HeaderLabels] = (),
    lang: str | None = None,
) -> PlanFile:
    """Read an uploaded plan file; ImportFormatError (nothing read) when it is not sound.

    ``start`` is the plan's start for a CSV or .xlsx without dates (an MSPDI file has its own);
    a CSV or .xlsx may head its columns with any of ``headers``' labels.
    """
    if not data:
        raise ImportFormatError.of("file", "readings.empty")
    if len(data) > MAX_FILE_BYTES:
        raise ImportFormatError.of("file", "exchange.too_large", mb=MAX_FILE_BYTES // (1024 * 1024))
    fmt = detect_format(filename, data)
    if fmt is None:
        raise ImportFormatError.of("file", "exchange.unknown_format")
    if fmt == "mspdi":
        result = mspdi.read_with_notes(data)
        return PlanFile(result.plan, fmt, result.notes)
    base = PlanData("Imported plan", start) if start is not None else None
    reader = plan_table.read_csv if fmt == "csv" else plan_table.read_xlsx
    return PlanFile(reader(data, base=base, headers=headers, lang=lang), fmt)


# --------------------------------------------------------------------------- keys


def acceptable_key(key: str) -> str:
    """``key`` as the plan editor accepts it (letters, digits, ``._-``; at most 64 characters).

    >>> acceptable_key("Design & build"), acceptable_key("计划"), acceptable_key("-x")
    ('Design-build', 'item', 'x')
    """
    cleaned = _KEY_BAD.sub("-", key.strip()).strip("-._")[:64].rstrip("-._")
    return cleaned or "item"


def unique_key(key: str, taken: set[str]) -> str:
    """``key`` or, when taken, ``key-2``, ``key-3`` … (shortened to fit 64 characters).

    >>> unique_key("a", {"a", "a-2"}), unique_key("b", {"a"})
    ('a-3', 'b')
    """
    if key not in taken:
        return key
    n = 2
    while True:
        suffix = f"-{n}"
        candidate = key[: 64 - len(suffix)] + suffix
        if candidate not in taken:
            return candidate
        n += 1


def rekey(plan: PlanData, taken: set[str]) -> tuple[PlanData, dict[str, str]]:
    """The plan with item keys the program can take (acceptable and not in ``taken``), and
    ``old → new`` for every key that changed; links follow the new keys."""
    used = set(taken)
    renamed: dict[str, str] = {}
    mapping: dict[str, str] = {}
    for item in plan.items:
        new = item.key if KEY_PATTERN.match(item.key) else acceptable_key(item.key)
        new = unique_key(new, used)
        used.add(new)
        mapping[item.key] = new
        if new != item.key:
            renamed[item.key] = new
    if not renamed:
        return plan, {}
    items = [replace(i, key=mapping[i.key]) for i in plan.items]
    links = [
        replace(link, predecessor=mapping[link.predecessor], successor=mapping[link.successor])
        for link in plan.links
    ]
    return replace(plan, items=tuple(items), links=tuple(links)), renamed


# --------------------------------------------------------------------------- import


@dataclass(frozen=True)
class ImportOutcome:
    """What an import made."""

    program: Program
    items: int
    links: int
    renamed: dict[str, str] = field(default_factory=dict)
    baseline: Baseline | None = None
    schedule: Outcome | None = None
    notes: tuple[str, ...] = ()


def _english_and_chinese(data: ItemData | PhaseData, language: str) -> tuple[str, str | None]:
    """A row's ``name`` and ``name_zh`` from a file's name and its other-language name."""
    if language == "zh":
        return (data.alt_name or data.name), data.name
    return data.name, data.alt_name


def _work_item(program: Program, item: ItemData, position: int, language: str = "en") -> WorkItem:
    if item.name_en is not None or item.name_zh is not None:
        # a table for round-trip editing holds the name in each language
        name, name_zh = item.name_en or item.name, item.name_zh
    else:
        name, name_zh = _english_and_chinese(item, language)
    return WorkItem(
        program_id=program.id,
        key=item.key,
        kind=item.kind,
        name=name,
        name_zh=name_zh,
        workstream=item.workstream,
        duration_days=0 if item.kind == "milestone" else item.duration,
        owner=item.owner,
        percent_complete=item.percent_complete,
        actual_start=item.actual_start,
        actual_finish=item.actual_finish,
        constraint_type=item.constraint_type,
        constraint_date=item.constraint_date,
        position=position,
    )


def _add_links(program: Program, links: tuple[LinkData, ...], rows: dict[str, WorkItem]) -> None:
    for link in links:
        db.session.add(
            Dependency(
                program_id=program.id,
                predecessor_id=rows[link.predecessor].id,
                successor_id=rows[link.successor].id,
                type=link.type,
                lag_days=link.lag,
                lag_unit=link.lag_unit if link.lag_amount is not None else "d",
                lag_amount=link.lag_amount if link.lag_unit != "d" else None,
            )
        )


def _en(text: Text | None) -> str:
    return (text.en or text.zh or "") if text else ""


def _zh(text: Text | None) -> str | None:
    return text.zh if text else None


def _add_playbook_parts(program: Program, playbook: Playbook, phases: dict[str, Phase]) -> None:
    """The playbook's risks and metrics, and the gate criteria of its phases that the file
    also has (by key) whose references the program holds."""
    for rank, pb_risk in enumerate(playbook.risks, start=1):
        program.risks.append(risk_from_playbook(pb_risk, rank))
    for pb_metric in playbook.metrics:
        program.metrics.append(metric_from_playbook(pb_metric))
    item_keys = set(
        db.session.scalars(select(WorkItem.key).where(WorkItem.program_id == program.id))
    )
    metric_keys = {m.key for m in playbook.metrics}
    for pb_phase in playbook.phases:
        phase = phases.get(pb_phase.key)
        if phase is None:
            continue
        position = 0
        for criterion in pb_phase.gate:
            if criterion.kind == "metric_target":
                if criterion.metric not in metric_keys:
                    continue
                reference, text = criterion.metric, None
            elif criterion.kind == "milestones_done":
                if not set(criterion.milestones) <= item_keys:
                    continue
                reference, text = " ".join(criterion.milestones), None
            elif criterion.kind == "max_risk_band":
                reference, text = criterion.band, None
            else:
                reference, text = criterion.reference, criterion.text
            phase.gate_criteria.append(
                GateCriterion(
                    position=position,
                    kind=criterion.kind,
                    reference=reference,
                    text=_en(text),
                    text_zh=_zh(text),
                )
            )
            position += 1


def _baseline_dates(plan: PlanData) -> dict[str, tuple[date, date, int]]:
    dates = {}
    for item in plan.items:
        start, finish = item.baseline_start, item.baseline_finish
        if start is None and finish is None:
            continue
        start = start or finish
        finish = finish or start
        assert start is not None and finish is not None
        if finish < start:
            continue
        dates[item.key] = (start, finish, 0 if item.kind == "milestone" else item.duration)
    return dates


def import_new_program(
    planfile: PlanFile,
    *,
    name: str | None,
    client: str,
    lead: User | None = None,
    playbook: Playbook | None = None,
    baseline_name: str = DEFAULT_BASELINE_NAME,
    today: date | None = None,
) -> ImportOutcome:
    """A new program made of the file's plan (see the module notes); the caller commits."""
    plan, renamed = rekey(planfile.plan, set())
    name = (name or "").strip() or plan.name
    client = (client or "").strip()
    problems: list[Problem] = []
    for field_name, value in (("name", name), ("client", client)):
        if not value:
            problems.append(Problem(field_name, "field.required"))
        elif len(value) > 200:
            problems.append(Problem(field_name, "field.too_long", {"max": 200}))
    if not plan.phases:
        problems.append(Problem("file", "exchange.nothing_to_import"))
    if problems:
        raise ValidationError(problems=problems)
    calendar = plan.calendar
    program = Program(
        name=name,
        client=client,
        start_date=plan.start,
        # the file's status date: its actuals and the dates it shows hold as of that day
        status_date=plan.status_date,
        status="planning",
        workdays="".join(str(day + 1) for day in sorted(calendar.workdays)),
        playbook_id=playbook.id if playbook else IMPORTED_PLAYBOOK_ID,
        playbook_version=playbook.version if playbook else IMPORTED_PLAYBOOK_VERSION,
    )
    db.session.add(program)
    db.session.flush()
    if lead is not None:
        db.session.add(Membership(user_id=lead.id, program_id=program.id, role="lead"))
    for day in sorted(calendar.holidays):
        name = calendar.name_of(day)
        program.calendar_exceptions.append(CalendarException(day=day, working=False, name=name))
    for day in sorted(calendar.extra_workdays):
        name = calendar.name_of(day)
        program.calendar_exceptions.append(CalendarException(day=day, working=True, name=name))
    phases: dict[str, Phase] = {}
    # a table exported in Chinese names its phases in Chinese (and its items in both languages)
    chinese = any(i.name_zh is not None and i.name == i.name_zh for i in plan.items)
    for data in plan.phases:
        if chinese:
            phase_name, phase_name_zh = data.name, data.name  # type: str, str | None
        else:
            phase_name, phase_name_zh = _english_and_chinese(data, plan.language)
        phase = Phase(
            ordinal=data.ordinal,
            key=data.key,
            kind="diagnosis" if data.ordinal == 0 else "phase",
            name=phase_name,
            name_zh=phase_name_zh,
            goal="",
            result="",
            length_days=(data.end - data.start).days + 1,
            window_start=data.start,
            window_end=data.end,
        )
        program.phases.append(phase)
        phases[data.key] = phase
    rows: dict[str, WorkItem] = {}
    for position, item in enumerate(plan.items):
        row = _work_item(program, item, position, plan.language)
        phases[item.phase_key].work_items.append(row)
        rows[item.key] = row
    db.session.flush()
    _add_links(program, plan.links, rows)
    if playbook is not None:
        _add_playbook_parts(program, playbook, phases)
    db.session.flush()
    outcome = reschedule(program, today)
    baseline = None
    dates = _baseline_dates(plan)
    if dates:
        baseline = record_baseline(program, baseline_name, dates, status_date=today)
    return ImportOutcome(
        program, len(plan.items), len(plan.links), renamed, baseline, outcome, planfile.notes
    )


def import_into_phase(
    program: Program, phase_id: int, planfile: PlanFile, today: date | None = None
) -> ImportOutcome:
    """Add the file's work items and links to one phase of ``program``; the caller commits."""
    phase = next((p for p in program.phases if p.id == phase_id), None)
    if phase is None:
        raise ValidationError.of("phase", "exchange.choose_phase")
    if not planfile.plan.items:
        raise ImportFormatError.of("file", "exchange.no_items")
    taken = set(db.session.scalars(select(WorkItem.key).where(WorkItem.program_id == program.id)))
    plan, renamed = rekey(planfile.plan, taken)
    last = db.session.scalar(
        select(func.coalesce(func.max(WorkItem.position), -1)).where(
            WorkItem.program_id == program.id
        )
    )
    rows: dict[str, WorkItem] = {}
    for offset, item in enumerate(plan.items, start=1):
        row = _work_item(
            program, item, int(last if last is not None else -1) + offset, plan.language
        )
        phase.work_items.append(row)
        rows[item.key] = row
    db.session.flush()
    _add_links(program, plan.links, rows)
    db.session.flush()
    outcome = reschedule(program, today)
    notes = list(planfile.notes)
    return ImportOutcome(
        program, len(plan.items), len(plan.links), renamed, None, outcome, tuple(notes)
    )


# --------------------------------------------------------------------------- update from a file
# A CSV or .xlsx exported from the program, edited and imported again updates the items by key
# (planner.interop.plan_changes says what changes). The lead first sees a preview: every change,
# the new and the missing keys, the stale rows, and what the schedule would move; applying
# repeats the comparison and refuses when it no longer gives what the preview showed.

UPDATE_FORMATS: Final[tuple[Format, ...]] = ("csv", "xlsx")


@dataclass(frozen=True)
class UpdatePreview:
    """What a file would do to a program: the changes, and the items whose computed dates
    would move (biggest shift first, new items last)."""

    changes: PlanChanges
    moves: list[MoveView]
    names: dict[str, str]  # item key → name in the reader's language (program's, else file's)

    @property
    def fingerprint(self) -> str:
        return self.changes.fingerprint()


class StalePreviewError(ConflictError):
    """The plan or the file changed between the preview and the confirmation."""


def phase_labels(program: Program) -> dict[str, str]:
    """Every label a file may give a phase of ``program`` (English and Chinese names, key)."""
    labels: dict[str, str] = {}
    for phase in program.phases:
        for label in (phase.name, phase.name_zh, phase.key):
            if label and label.strip():
                labels.setdefault(label.strip(), phase.key)
    return labels


def read_update(
    program: Program,
    filename: str,
    data: bytes,
    *,
    headers: Iterable[plan_table.HeaderLabels] = (),
    lang: str = "en",
) -> tuple[PlanData, PlanData]:
    """The program's plan (names in ``lang``, with row versions) and the file's, read
    against the program's phases; ImportFormatError when the file is unreadable or not a
    table (``update.not_a_table``: MS Project files make new programs or add to a phase)."""
    if not data:
        raise ImportFormatError.of("file", "readings.empty")
    if len(data) > MAX_FILE_BYTES:
        raise ImportFormatError.of("file", "exchange.too_large", mb=MAX_FILE_BYTES // (1024 * 1024))
    fmt = detect_format(filename, data)
    if fmt not in UPDATE_FORMATS:
        raise ImportFormatError.of("file", "update.not_a_table")
    current = plan_data(program, lang or "en", table=True)
    base = PlanData(current.name, current.start, current.calendar, current.phases)
    reader = plan_table.read_csv if fmt == "csv" else plan_table.read_xlsx
    incoming = reader(
        data, base=base, headers=headers, lang=lang, phase_names=phase_labels(program)
    )
    return current, incoming


@dataclass
class _Draft:
    """An item as the scheduler reads it (the fields of WorkItem that compute() uses)."""

    id: int
    key: str
    phase_id: int
    duration_days: int
    constraint_type: str | None
    constraint_date: date | None
    actual_start: date | None
    actual_finish: date | None
    percent_complete: int


@dataclass
class _DraftLink:
    predecessor_id: int
    successor_id: int
    type: str
    lag_days: int
    lag_unit: str = "d"  # as Dependency keeps it (see planner.domain.lags)
    lag_amount: float | None = None
    converting_lag: bool = False


def _what_moves(
    program: Program, current: PlanData, plan: PlanData, today: date | None
) -> list[Move]:
    """The schedule of ``plan`` computed in memory (nothing written), as moves against the
    program's stored dates."""
    phase_ids = {p.key: p.id for p in program.phases}
    ids = dict(
        db.session.execute(
            select(WorkItem.key, WorkItem.id).where(WorkItem.program_id == program.id)
        ).all()
    )
    next_id = -1
    for item in plan.items:
        if item.key not in ids:
            ids[item.key] = next_id
            next_id -= 1
    drafts = [
        _Draft(
            ids[i.key],
            i.key,
            phase_ids[i.phase_key],
            0 if i.kind == "milestone" else i.duration,
            i.constraint_type,
            i.constraint_date,
            i.actual_start,
            i.actual_finish,
            i.percent_complete,
        )
        for i in plan.items
    ]
    links = [
        _DraftLink(
            ids[link.predecessor],
            ids[link.successor],
            link.type,
            link.lag,
            link.lag_unit,
            link.lag_amount,
        )
        for link in plan.links
    ]
    result = compute(Network(program, drafts, links), today)  # type: ignore[arg-type]  # drafts and links have the fields Network reads
    before = {i.key: i for i in current.items}
    moves = []
    for item in plan.items:
        computed = result.items[item.key]
        old = before.get(item.key)
        old_start = old.early_start if old else None
        old_finish = old.early_finish if old else None
        if (old_start, old_finish) != (computed.early_start, computed.early_finish):
            moves.append(
                Move(
                    item.key,
                    item.name,
                    old_start,
                    computed.early_start,
                    old_finish,
                    computed.early_finish,
                )
            )
    return moves


def _merged_or_error(current: PlanData, incoming: PlanData, changes: PlanChanges) -> PlanData:
    bad_keys = [c.key for c in changes.added if not KEY_PATTERN.match(c.key)]
    if bad_keys:  # the plan editor could not open them: say so rather than rename silently
        raise refusal([Problem(key, "update.bad_key") for key in bad_keys])
    plan = merged(current, incoming, changes)
    found = problems(plan)
    if found:
        keys = [item.key for item in plan.items]
        raise refusal(
            [
                Problem(
                    keys[p.index] if p.section == "items" and p.index is not None else "file",
                    p.code,
                    p.params,
                )
                for p in found
            ]
        )
    return plan


def preview_update(
    program: Program, current: PlanData, incoming: PlanData, today: date | None = None
) -> UpdatePreview:
    """What the file would change and move; nothing is written."""
    changes = plan_changes(current, incoming)
    plan = _merged_or_error(current, incoming, changes)
    moves = describe_moves(program, _what_moves(program, current, plan, today))
    names = {item.key: item.name for item in plan.items}
    return UpdatePreview(changes, moves, names)


def apply_update(
    program: Program,
    current: PlanData,
    incoming: PlanData,
    fingerprint: str,
    today: date | None = None,
) -> UpdatePreview:
    """Apply the file's changes (not the conflicts) if they are still those of the preview
    whose ``fingerprint`` the lead confirmed (else StalePreviewError, nothing written);
    reschedule. The caller commits."""
    changes = plan_changes(current, incoming)
    if changes.fingerprint() != fingerprint:
        raise StalePreviewError("the plan or the file changed since the preview")
    plan = _merged_or_error(current, incoming, changes)
    rows = {
        row.key: row
        for row in db.session.scalars(select(WorkItem).where(WorkItem.program_id == program.id))
    }
    phases = {p.key: p for p in program.phases}
    wanted = {item.key: item for item in plan.items}
    relinked: set[str] = set()
    for change in changes.updated:
        row, item = rows[change.key], wanted[change.key]
        for field_change in change.changes:
            _set_field(row, field_change.field, item, phases)
            if field_change.field == "predecessors":
                relinked.add(change.key)
    last = max((row.position for row in rows.values()), default=-1)
    for offset, change in enumerate(changes.added, start=1):
        row = _work_item(program, wanted[change.key], last + offset)
        phases[wanted[change.key].phase_key].work_items.append(row)
        rows[change.key] = row
        relinked.add(change.key)
    db.session.flush()
    if relinked:
        ids = [rows[key].id for key in relinked]
        for dependency in db.session.scalars(
            select(Dependency).where(
                Dependency.program_id == program.id, Dependency.successor_id.in_(ids)
            )
        ):
            db.session.delete(dependency)
        db.session.flush()
        _add_links(program, tuple(x for x in plan.links if x.successor in relinked), rows)
    outcome = reschedule(program, today)
    return UpdatePreview(
        changes,
        describe_moves(program, outcome.moves),
        {item.key: item.name for item in plan.items},
    )


def _set_field(row: WorkItem, name: str, item: ItemData, phases: dict[str, Phase]) -> None:
    """One changed field of ``item`` onto its row (predecessors are relinked apart)."""
    if name == "name_en":
        row.name = item.name_en or row.name
    elif name == "name_zh":
        row.name_zh = item.name_zh
    elif name == "phase_key":
        row.phase_id = phases[item.phase_key].id
    elif name == "kind":
        row.kind = item.kind
        row.duration_days = 0 if item.kind == "milestone" else item.duration
    elif name == "duration":
        row.duration_days = 0 if item.kind == "milestone" else item.duration
    elif name in (
        "workstream",
        "owner",
        "percent_complete",
        "actual_start",
        "actual_finish",
        "constraint_type",
        "constraint_date",
    ):
        setattr(row, name, getattr(item, name))


__all__ = [
    "DEFAULT_BASELINE_NAME",
    "StalePreviewError",
    "UpdatePreview",
    "apply_update",
    "phase_labels",
    "preview_update",
    "read_update",
    "EXTENSIONS",
    "FORMATS",
    "IMPORTED_PLAYBOOK_ID",
    "IMPORTED_PLAYBOOK_VERSION",
    "MEDIA_TYPES",
    "Format",
    "ImportFormatError",
    "ImportOutcome",
    "PlanFile",
    "acceptable_key",
    "detect_format",
    "export_plan",
    "import_into_phase",
    "import_new_program",
    "latest_baseline",
    "plan_data",
    "read_plan_file",
    "rekey",
    "unique_key",
]
