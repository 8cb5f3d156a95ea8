"""Usage-log import: the program's saved column mapping, and the import itself — streamed,
all-or-nothing, idempotent — that turns the file into weekly readings per team (active
users, logins per user, module adoption) and rolls them up to the program figures.

Idempotent twice over: a file whose checksum was imported before adds nothing; and activity
is kept per (week, user, module), merged with the larger count, so an export that overlaps
an earlier one never counts a row twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import IO

from sqlalchemy import bindparam, select, update

from planner.domain.errors import Problem, ValidationError
from planner.domain.usage_log import (
    PRESETS,
    Aggregate,
    ColumnMapping,
    ModuleMatch,
    WeekReading,
    aggregate,
    weekly_readings,
)
from planner.extensions import db
from planner.interop import usage_log as usage_io
from planner.models import Metric, Program
from planner.models.adoption import CellReading, UsageActivity, UsageImport, UsageMapping
from planner.services import adoption as adoption_service
from planner.services.concurrency import check_version

#: rows written or read per database round trip
BATCH = 5_000
#: metric of each computed reading (the playbook's adoption metrics, and module adoption)
READING_METRICS = {
    "active": "active-users",
    "logins": "weekly-logins",
    "module": adoption_service.MODULE_METRIC,
}


def saved_mapping(program: Program) -> UsageMapping | None:
    return db.session.scalar(select(UsageMapping).where(UsageMapping.program_id == program.id))


def mapping_of(row: UsageMapping | None, preset: str = "generic") -> ColumnMapping:
    """The mapping to use: the saved one, else the preset's."""
    if row is None:
        return PRESETS.get(preset, PRESETS["generic"]).mapping
    return ColumnMapping(
        row.user_column,
        row.date_column,
        row.object_column,
        row.action_column,
        row.date_order,  # type: ignore[arg-type]  # checked when saved
        tuple(a.strip() for a in row.login_actions.split(",") if a.strip()),
    )


def save_mapping(
    program: Program, preset: str, mapping: ColumnMapping, version: int | str | None = None
) -> UsageMapping:
    """Save the program's column mapping (one per program)."""
    problems: list[Problem] = []
    if preset not in PRESETS:
        problems.append(Problem("preset", "field.not_a_choice", {"value": preset}))
    if not mapping.user.strip():
        problems.append(Problem("user_column", "field.required"))
    if not mapping.date.strip():
        problems.append(Problem("date_column", "field.required"))
    if mapping.date_order not in ("ymd", "mdy", "dmy"):
        problems.append(Problem("date_order", "field.not_a_choice", {"value": mapping.date_order}))
    if problems:
        raise ValidationError(problems=problems)
    row = saved_mapping(program)
    if row is None:
        row = UsageMapping(program_id=program.id)
        db.session.add(row)
    elif version not in (None, ""):  # a form that read the mapping: catch a concurrent change
        check_version(row, version)
    row.preset = preset
    row.user_column, row.date_column = mapping.user.strip(), mapping.date.strip()
    row.object_column, row.action_column = mapping.object.strip(), mapping.action.strip()
    row.date_order = mapping.date_order
    row.login_actions = ", ".join(mapping.login_actions)
    db.session.flush()
    return row


@dataclass(frozen=True)
class UsageResult:
    """What an import did (``duplicate``: the same file was imported before; nothing added)."""

    duplicate: bool
    rows: int = 0
    users: int = 0
    unmapped: tuple[str, ...] = ()
    weeks: int = 0
    readings: int = 0
    first: date | None = None
    last: date | None = None


def import_usage(
    program: Program, stream: IO[bytes], filename: str, mapping: ColumnMapping, preset: str
) -> UsageResult:
    """Import a usage file or nothing (bad rows are reported by line)."""
    checksum = usage_io.checksum(stream)
    earlier = db.session.scalar(
        select(UsageImport).where(
            UsageImport.program_id == program.id, UsageImport.checksum == checksum
        )
    )
    if earlier is not None:
        return UsageResult(duplicate=True, rows=earlier.rows)
    opened = usage_io.open_usage(stream, filename)
    missing = [c for c in mapping.columns() if c not in {h.strip() for h in opened.header}]
    if missing:
        raise ValidationError(
            problems=[
                Problem("file", "adoption.usage.missing_column", {"column": c}) for c in missing
            ]
        )
    model = adoption_service.adoption_model(program)
    modules = (
        [(m.key, m.objects + [m.name.get("en"), m.name.get("zh")]) for m in model.modules]
        if model
        else []
    )
    totals = aggregate(opened.rows, opened.header, mapping, ModuleMatch.of(modules))
    if totals.bad_rows:
        raise ValidationError(problems=[*totals.problems, *_more(totals)])
    if not totals.events:
        raise ValidationError.of("file", "adoption.usage.no_rows")
    weeks, activity = _merge_activity(program, totals)
    record = UsageImport(
        program_id=program.id,
        checksum=checksum,
        filename=filename[:255],
        preset=preset,
        rows=totals.rows,
        users=len(totals.users),
        first_day=totals.first,
        last_day=totals.last,
    )
    db.session.add(record)
    db.session.flush()
    readings, unmapped = _write_readings(program, weeks, activity, [k for k, _ in modules], record)
    record.unmapped_users = len(unmapped)
    db.session.flush()
    return UsageResult(
        False,
        totals.rows,
        len(totals.users),
        tuple(sorted(unmapped))[:20],
        len(weeks),
        readings,
        totals.first,
        totals.last,
    )


def _more(totals: Aggregate) -> list[Problem]:
    hidden = totals.bad_rows - len(totals.problems)
    return [Problem("file", "adoption.usage.more_bad_rows", {"count": hidden})] if hidden else []


_activity = UsageActivity.__table__


def _merge_activity(
    program: Program, totals: Aggregate
) -> tuple[set[date], Iterator[tuple[date, str, str, int]]]:
    """Merge the file's events into the stored activity (larger count wins); the weeks, and
    all activity of those weeks as stored now (``(week, user, module, events)``: the stored
    rows were read here anyway, so the readings need not read them back)."""
    weeks = {week for week, _, _ in totals.events}
    stored = {
        (row.week, row.user_name, row.module): (row.id, row.events)
        for row in db.session.execute(
            select(
                UsageActivity.id,
                UsageActivity.week,
                UsageActivity.user_name,
                UsageActivity.module,
                UsageActivity.events,
            ).where(UsageActivity.program_id == program.id, UsageActivity.week.in_(weeks))
        )
    }
    new: list[dict[str, object]] = []
    raised: list[dict[str, object]] = []
    for (week, user, module), count in totals.events.items():
        old = stored.get((week, user, module))
        if old is None:
            new.append({"program_id": program.id, "week": week, "user_name": user[:254],
                        "module": module, "events": count})  # fmt: skip
        elif count > old[1]:
            raised.append({"id": old[0], "events": count})
        if len(new) >= BATCH:
            _insert_activity(new)
        if len(raised) >= BATCH:
            db.session.execute(update(UsageActivity), raised)
            raised.clear()
    if new:
        _insert_activity(new)
    if raised:
        db.session.execute(update(UsageActivity), raised)
    return weeks, _merged(totals, stored)


def _merged(
    totals: Aggregate, stored: dict[tuple[date, str, str], tuple[int, int]]
) -> Iterator[tuple[date, str, str, int]]:
    """The activity of the file's weeks after the merge, as the rows now stored say it."""
    for (week, user, module), count in totals.events.items():
        old = stored.get((week, user, module))
        if old is None:
            yield week, user[:254], module, count
        else:
            yield week, user, module, max(count, old[1])
    for (week, user, module), (_, count) in stored.items():
        if (week, user, module) not in totals.events:
            yield week, user, module, count


def _insert_activity(rows: list[dict[str, object]]) -> None:
    # a Core insert: the rows are plain values (not audited, no ORM state), and thousands of
    # them go twice as fast without the ORM's bulk handling per row
    db.session.execute(_activity.insert(), rows)  # type: ignore[attr-defined]
    rows.clear()


def _write_readings(
    program: Program,
    weeks: Iterable[date],
    activity: Iterable[tuple[date, str, str, int]],
    module_keys: list[str],
    record: UsageImport,
) -> tuple[int, set[str]]:
    """Recompute the readings of the touched weeks from all stored activity of those weeks
    (``activity``, as :func:`_merge_activity` left it)."""
    computed, unmapped = weekly_readings(
        activity,
        adoption_service.user_teams(program),
        adoption_service.team_users(program),
        module_keys,
    )
    metrics = _metrics(program, {r.metric for r in computed})
    written = _store_cells(metrics, computed, record)
    for kind, metric in metrics.items():
        if kind != "module":
            days = {r.week + timedelta(days=6) for r in computed if r.metric == kind}
            adoption_service.roll_up(metric, days, "usage log")
    return written, unmapped


def _metrics(program: Program, kinds: set[str]) -> dict[str, Metric]:
    out: dict[str, Metric] = {}
    for kind in kinds:
        key = READING_METRICS[kind]
        if key in adoption_service.BUILT_IN:
            out[kind] = adoption_service.ensure_metric(program, key)
        else:
            metric = db.session.scalar(
                select(Metric).where(Metric.program_id == program.id, Metric.key == key)
            )
            if metric is not None:
                out[kind] = metric
    return out


_cells = CellReading.__table__
_CELL_UPDATE = (
    update(_cells)  # type: ignore[arg-type]  # a mapped class's __table__ is a Table
    .where(_cells.c.id == bindparam("row_id"))
    .values(
        value=bindparam("new_value"),
        users=bindparam("new_users"),
        version=bindparam("new_version"),
        usage_import_id=bindparam("import_id"),
        note="usage log",
    )
)


def _store_cells(
    metrics: dict[str, Metric], computed: list[WeekReading], record: UsageImport
) -> int:
    """Replace the cells of the computed weeks, in bulk (not audited row by row: the import
    record is)."""
    written = 0
    for kind, metric in metrics.items():
        mine = [r for r in computed if r.metric == kind]
        days = {r.week + timedelta(days=6) for r in mine}
        existing = {
            (day, team, module): (row_id, version)
            for row_id, day, team, module, version in db.session.execute(
                select(
                    CellReading.id,
                    CellReading.day,
                    CellReading.team,
                    CellReading.module,
                    CellReading.version,
                ).where(
                    CellReading.metric_id == metric.id,
                    CellReading.day.in_(days),
                    CellReading.region == "",
                )
            )
        }
        new: list[dict[str, object]] = []
        changed: list[dict[str, object]] = []
        for r in mine:
            day = r.week + timedelta(days=6)
            values = {"value": round(r.value, 4), "users": r.users, "note": "usage log"}
            old = existing.get((day, r.team, r.module))
            if old is None:
                new.append(
                    {"metric_id": metric.id, "day": day, "team": r.team, "region": "",
                     "module": r.module, "usage_import_id": record.id, "version": 1, **values}
                )  # fmt: skip
            else:
                changed.append(
                    {"row_id": old[0], "new_version": old[1] + 1, "import_id": record.id,
                     "new_value": values["value"], "new_users": r.users}
                )  # fmt: skip
        if new:  # a Core insert, as for the activity
            db.session.execute(_cells.insert(), new)  # type: ignore[attr-defined]
        if changed:
            db.session.execute(_CELL_UPDATE, changed)
        written += len(mine)
    return written


def imports(program: Program) -> list[UsageImport]:
    return list(
        db.session.scalars(
            select(UsageImport)
            .where(UsageImport.program_id == program.id)
            .order_by(UsageImport.imported_at.desc(), UsageImport.id.desc())
        )
    )
