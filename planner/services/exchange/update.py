"""A CSV or .xlsx exported from the program, edited and imported again: items updated by key
after a preview that the apply step checks again."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Final

from sqlalchemy import select

import planner.models.baseline  # noqa: F401  (registers the baseline tables)
from planner.domain.errors import ConflictError, ImportFormatError, Problem
from planner.extensions import db
from planner.interop import plan_table
from planner.interop.plan_changes import PlanChanges, merged, plan_changes
from planner.interop.plandata import (
    ItemData,
    PlanData,
    problems,
    refusal,
)
from planner.models import (
    Dependency,
    Phase,
    Program,
    WorkItem,
)
from planner.services.exchange.export import plan_data
from planner.services.exchange.formats import KEY_PATTERN, MAX_FILE_BYTES, Format, detect_format
from planner.services.exchange.import_plan import add_links, new_work_item
from planner.services.plan import MoveView, describe_moves
from planner.services.scheduling import (
    Move,
    Network,
    compute,
    reschedule,
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
    drafts, links = _drafts(program, plan)
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


def _drafts(program: Program, plan: PlanData) -> tuple[list[_Draft], list[_DraftLink]]:
    """The items and links of ``plan`` as the scheduler reads them; a new item gets a
    negative id (it has no row yet)."""
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
    return drafts, links


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
    program: Program,
    current: PlanData,
    incoming: PlanData,
    today: date | None = None,
    lang: str = "en",
) -> UpdatePreview:
    """What the file would change and move (items named in ``lang``); nothing is written."""
    changes = plan_changes(current, incoming)
    plan = _merged_or_error(current, incoming, changes)
    moves = describe_moves(program, _what_moves(program, current, plan, today), lang)
    names = {item.key: item.name for item in plan.items}
    return UpdatePreview(changes, moves, names)


def apply_update(
    program: Program,
    current: PlanData,
    incoming: PlanData,
    fingerprint: str,
    today: date | None = None,
    lang: str = "en",
) -> UpdatePreview:
    """Apply the file's changes (not the conflicts) if they are still those of the preview
    whose ``fingerprint`` the lead confirmed (else StalePreviewError, nothing written);
    reschedule. The caller commits."""
    changes = plan_changes(current, incoming)
    if changes.fingerprint() != fingerprint:
        raise StalePreviewError(problems=[Problem("", "row.stale")])
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
        row = new_work_item(program, wanted[change.key], last + offset)
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
        add_links(program, tuple(x for x in plan.links if x.successor in relinked), rows)
    outcome = reschedule(program, today)
    return UpdatePreview(
        changes,
        describe_moves(program, outcome.moves, lang),
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
