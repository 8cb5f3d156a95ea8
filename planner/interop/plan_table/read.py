"""Reading a plan table, second step: rows of cells to a plan (all or nothing: every bad
cell is one problem of one ImportFormatError, named by row and column as the file heads it)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Final

from planner.domain.errors import Problem
from planner.domain.explain import Explanation
from planner.interop.neutralise import restore
from planner.interop.plan_table.cells import Cell, _csv_cells, _file_error, _xlsx_cells
from planner.interop.plan_table.columns import (
    _ALIASES,
    _CONSTRAINTS,
    _DATE,
    _DATE_COLUMNS,
    _DURATION,
    _KINDS,
    _TEXT_COLUMNS,
    _WHOLE,
    COLUMNS,
    NAME_EN,
    NAME_ZH,
    VERSION,
    HeaderLabels,
    PredecessorsError,
    _cell,
    _fold,
    _phase_labels,
    _row,
    parse_predecessors,
)
from planner.interop.plandata import (
    CalendarData,
    ConstraintType,
    ItemData,
    ItemKind,
    LinkData,
    LinkType,
    PhaseData,
    PlanData,
    find_cycle,
    normalised,
    problems,
    refusal,
)
from planner.interop.plandata import Problem as DataProblem

MAX_ROWS: Final = 10_000
"""Most work items a file may hold."""

# ============================================================================================
# reading: cells to a plan


@dataclass
class _Row:
    number: int
    cells: dict[str, Cell]
    id: int | None = None
    key: str | None = None
    name: str | None = None
    phase: str | None = None
    workstream: str | None = None
    kind: ItemKind | None = None
    duration: int | None = None
    percent: int = 0
    owner: str | None = None
    predecessors: list[tuple[int, LinkType, int]] = field(default_factory=list)
    constraint: ConstraintType | None = None
    name_en: str | None = None
    name_zh: str | None = None
    version: int | None = None
    dates: dict[str, dt.date | None] = field(default_factory=dict)
    broken: bool = False


class _Table:
    def __init__(
        self, cells: Iterator[tuple[int, list[Cell]]], headers: Sequence[HeaderLabels] = ()
    ) -> None:
        self.errors: list[Problem] = []
        self.header: dict[str, str] = {}  # canonical column → as the file spells it
        self.rows: list[_Row] = []
        self.labels = headers
        self._read(cells)

    def error(self, number: int, column: str, code: str, /, **params: object) -> None:
        self.errors.append(Problem(self.cell(number, column), code, params))

    def cell(self, row: int, column: str) -> str:
        """Where a problem is: a row and a column as the file heads it."""
        return _cell(row, self.header.get(column, column))

    def _read(self, cells: Iterator[tuple[int, list[Cell]]]) -> None:
        positions: dict[str, int] = {}
        for number, values in cells:
            if not positions:
                if all(_blank(v) for v in values):
                    continue
                positions = self._header(number, values)
                if not positions:
                    return
                continue
            if all(_blank(v) for v in values):
                continue
            if len(self.rows) >= MAX_ROWS:
                raise _file_error("table.too_many_rows", max=MAX_ROWS)
            row = {c: values[i] if i < len(values) else None for c, i in positions.items()}
            self.rows.append(_Row(number, row))
        if not positions:
            raise _file_error("table.empty")

    def _header(self, number: int, values: list[Cell]) -> dict[str, int]:
        lookup = {alias: name for name, aliases in _ALIASES.items() for alias in aliases}
        for labels in self.labels:  # the interface's labels, in every language it has
            for name, label in labels.items():
                if name in _ALIASES and label and label.strip():
                    lookup[_fold(label)] = name
        positions: dict[str, int] = {}
        for i, value in enumerate(values):
            label = "" if value is None else str(value).strip()
            name = lookup.get(_fold(label))
            if name is None:
                continue
            if name in positions:
                self.errors.append(Problem(_row(number), "table.column_twice", {"column": label}))
                continue
            positions[name] = i
            self.header[name] = label
        missing = [c for c in ("Name", "Duration (days)") if c not in positions]
        for name in missing:
            # named as the interface's first language heads it (the one it exports)
            label = next((ls[name] for ls in self.labels if ls.get(name)), name)
            self.errors.append(Problem(_row(number), "table.column_missing", {"column": label}))
        return {} if missing else positions

    # -- cells ---------------------------------------------------------------------------

    def order(self, error: Problem) -> tuple[int, int, str]:
        """Errors by row, then by the column's place in :data:`COLUMNS` (whatever the file
        calls it), file-wide ones first."""
        match = re.match(r'row (\d+)(?:, column "(.*)")?', str(error.field))
        if not match:
            return (0, 0, str(error.field))
        spelt = {label: name for name, label in self.header.items()}
        column = spelt.get(match[2] or "", match[2] or "")
        columns = {v: k for k, v in enumerate(COLUMNS)}
        return (int(match[1]), columns.get(column, len(COLUMNS)), str(error.field))

    def parse(self) -> None:
        for row in self.rows:
            before = len(self.errors)
            self._parse_row(row)
            row.broken = len(self.errors) > before

    def _text(self, row: _Row, column: str) -> str | None:
        value = row.cells.get(column)
        if _blank(value):
            return None
        if isinstance(value, dt.datetime | dt.date):
            text = value.isoformat()
        elif isinstance(value, float) and value.is_integer():
            text = str(int(value))
        else:
            text = str(value)
        restored = restore(text.strip()) if column in _TEXT_COLUMNS else text.strip()
        assert isinstance(restored, str)
        return restored

    def _whole(self, row: _Row, column: str, low: int, high: int | None = None) -> int | None:
        value = row.cells.get(column)
        if _blank(value):
            return None
        number: int | None = None
        if isinstance(value, bool):
            number = None
        elif isinstance(value, int):
            number = value
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        elif isinstance(value, str):
            text = value.strip()
            if column == "Percent complete":
                text = text.removesuffix("%").strip()
            pattern = _DURATION if column == "Duration (days)" else _WHOLE
            match = pattern.match(text)
            number = int(match["n"]) if match else None
        if number is None or number < low or (high is not None and number > high):
            if high is not None:
                self.error(
                    row.number, column, "table.whole_between", min=low, max=high, value=value
                )
            else:
                self.error(row.number, column, "table.whole_at_least", min=low, value=str(value))
            return None
        return number

    def _date(self, row: _Row, column: str) -> dt.date | None:
        value = row.cells.get(column)
        if _blank(value):
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        match = _DATE.match(str(value).strip())
        if match:
            try:
                return dt.date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                pass
        self.error(row.number, column, "table.not_a_date", value=str(value))
        return None

    def _parse_row(self, row: _Row) -> None:
        row.id = self._whole(row, "ID", 1)
        row.key = self._text(row, "Key")
        row.name = self._text(row, "Name")
        if row.name is None:
            self.error(row.number, "Name", "table.name_needed")
        row.phase = self._text(row, "Phase")
        row.workstream = self._text(row, "Workstream")
        row.owner = self._text(row, "Owner")
        row.name_en = self._text(row, NAME_EN)
        row.name_zh = self._text(row, NAME_ZH)
        row.version = self._whole(row, VERSION, 1)
        kind = self._text(row, "Type")
        if kind is not None:
            row.kind = _KINDS.get(kind.lower())
            if row.kind is None:
                self.error(row.number, "Type", "table.kind", value=kind)
        row.duration = self._whole(row, "Duration (days)", 0)
        if row.duration is None and _blank(row.cells.get("Duration (days)")):
            if row.kind == "milestone":
                row.duration = 0
            else:
                self.error(row.number, "Duration (days)", "table.duration_needed")
        if row.kind is None and row.duration is not None and kind is None:
            row.kind = "milestone" if row.duration == 0 else "task"
        row.percent = self._whole(row, "Percent complete", 0, 100) or 0
        predecessors = self._text(row, "Predecessors")
        if predecessors:
            try:
                row.predecessors = parse_predecessors(predecessors)
            except PredecessorsError as exc:
                self.error(row.number, "Predecessors", "table.predecessors", part=exc.part)
        constraint = self._text(row, "Constraint")
        if constraint is not None:
            key = re.sub(r"\s+", " ", constraint.lower())
            if key not in _CONSTRAINTS:
                self.error(row.number, "Constraint", "table.constraint", value=constraint)
            else:
                row.constraint = _CONSTRAINTS[key]
        for column in _DATE_COLUMNS:
            row.dates[column] = self._date(row, column)

    # -- rows to a plan --------------------------------------------------------------------

    def identify(self) -> dict[int, _Row]:
        by_id: dict[int, _Row] = {}
        for row in self.rows:
            if row.id is None:
                continue
            if row.id in by_id:
                self.error(row.number, "ID", "table.id_twice", id=row.id, row=by_id[row.id].number)
                row.broken = True
            else:
                by_id[row.id] = row
        explicit: dict[str, _Row] = {}
        for row in self.rows:
            if row.key is None:
                continue
            if row.key in explicit:
                other = explicit[row.key].number
                self.error(row.number, "Key", "table.key_twice", key=row.key, row=other)
                row.broken = True
            else:
                explicit[row.key] = row
        for row in self.rows:
            if row.key is None:
                stem = f"item-{row.id}" if row.id is not None else f"row-{row.number}"
                key, n = stem, 1
                while key in explicit:
                    n += 1
                    key = f"{stem}-{n}"
                row.key = key
                explicit[key] = row
        return by_id

    def phases(
        self, base: PlanData | None, name: str, aliases: Mapping[str, str] | None = None
    ) -> tuple[list[PhaseData], dict[int, str]]:
        """The phases and each row's phase key (rows whose phase is unknown get an error);
        ``aliases`` are more labels of the base's phases (label → key)."""
        known = list(base.phases) if base is not None else []
        if known:
            return known, self._rows_in_known(known, aliases or {})
        return self._made_phases(base, name)

    def _rows_in_known(self, known: list[PhaseData], aliases: Mapping[str, str]) -> dict[int, str]:
        """Each row's phase among the base's (a row without one is in the only phase)."""
        row_phase: dict[int, str] = {}
        exact, folded = _phase_lookup(known, aliases)
        listed = ", ".join(f'"{p.name}"' for p in known)
        for row in self.rows:
            if row.phase is None and len(known) == 1:
                row_phase[row.number] = known[0].key
                continue
            if row.phase is None:
                self.error(row.number, "Phase", "table.phase_needed", phases=listed)
                row.broken = True
                continue
            key = exact.get(row.phase) or folded.get(row.phase.lower())
            if key is None:
                self.error(
                    row.number, "Phase", "table.unknown_phase", phase=row.phase, phases=listed
                )
                row.broken = True
            else:
                row_phase[row.number] = key
        return row_phase

    def _made_phases(
        self, base: PlanData | None, name: str
    ) -> tuple[list[PhaseData], dict[int, str]]:
        """Phases made of the rows' phase labels (``name`` for a row without one), each
        spanning its rows' dates (else the plan's start)."""
        row_phase: dict[int, str] = {}
        made: dict[str, str] = {}
        names: list[str] = []
        for row in self.rows:
            label = row.phase if row.phase is not None else name
            label_key = label.strip().lower()
            if label_key not in made:
                made[label_key] = f"p{len(made) + 1}"
                names.append(label.strip())
            row_phase[row.number] = made[label_key]
        start = base.start if base is not None else self.earliest()
        phases = []
        for n, label in enumerate(names, start=1):
            key = f"p{n}"
            days = [
                d
                for row in self.rows
                if row_phase.get(row.number) == key
                for column in ("Start", "Finish", "Actual start", "Actual finish")
                if (d := row.dates.get(column)) is not None
            ]
            first = min(days) if days else start
            last = max(days) if days else first
            phases.append(PhaseData(key, label, n, first or dt.date.min, last or dt.date.min))
        return phases, row_phase

    def earliest(self) -> dt.date | None:
        days = [
            d
            for row in self.rows
            for d in (row.dates.get("Start"), row.dates.get("Actual start"))
            if d is not None
        ]
        return min(days) if days else None

    def links(self, by_id: dict[int, _Row]) -> list[tuple[_Row, LinkData]]:
        out: list[tuple[_Row, LinkData]] = []
        for row in self.rows:
            seen: set[int] = set()
            for number, kind, lag in row.predecessors:
                pred = by_id.get(number)
                if pred is None:
                    self.error(row.number, "Predecessors", "table.unknown_id", id=number)
                elif pred is row:
                    self.error(row.number, "Predecessors", "table.self_id", id=number)
                elif number in seen:
                    self.error(row.number, "Predecessors", "table.id_listed_twice", id=number)
                else:
                    seen.add(number)
                    assert pred.key is not None and row.key is not None
                    out.append((row, LinkData(pred.key, row.key, kind, lag)))
        return out


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _phase_lookup(
    known: list[PhaseData], aliases: Mapping[str, str]
) -> tuple[dict[str, str], dict[str, str]]:
    """Phase keys by exact label (the aliases, then the interface's labels) and by folded
    name, then folded key."""
    keys = {p.key for p in known}
    exact = {label: key for label, key in aliases.items() if key in keys}
    exact.update({label: key for key, label in _phase_labels(known).items()})
    folded: dict[str, str] = {}
    for phase in known:  # then names and keys, whatever their case
        folded.setdefault(phase.name.lower(), phase.key)
    for phase in known:
        folded.setdefault(phase.key.lower(), phase.key)
    return exact, folded


_COLUMN_OF: Final = {
    "key": "Key",
    "name": "Name",
    "phase_key": "Phase",
    "kind": "Type",
    "duration": "Duration (days)",
    "workstream": "Workstream",
    "owner": "Owner",
    "percent_complete": "Percent complete",
    "actual_start": "Actual start",
    "actual_finish": "Actual finish",
    "constraint_type": "Constraint",
    "constraint_date": "Constraint date",
    "early_start": "Start",
    "early_finish": "Finish",
    "predecessor": "Predecessors",
    "successor": "Predecessors",
    "type": "Predecessors",
    "lag": "Predecessors",
}


def _plan(
    cells: Iterator[tuple[int, list[Cell]]],
    base: PlanData | None,
    headers: Iterable[HeaderLabels] = (),
    lang: str | None = None,
    phase_names: Mapping[str, str] | None = None,
) -> PlanData:
    table = _Table(cells, tuple(headers))
    if table.errors:
        raise refusal(table.errors)
    table.parse()
    by_id = table.identify()
    name = base.name if base is not None else "Imported plan"
    phases, row_phase = table.phases(base, name, phase_names)
    lang = _names_language(table, lang)
    links = table.links(by_id)
    start = base.start if base is not None else table.earliest()
    if start is None:
        table.errors.append(Problem("file", "table.no_start"))
    _check_cycle(table, [link for _, link in links])
    if table.errors or start is None:
        # rule checks below would only repeat or confuse these
        raise refusal(sorted(table.errors, key=table.order))
    calendar = base.calendar if base is not None else CalendarData()
    plan = PlanData(name, start, calendar, tuple(phases))
    return normalised(_checked(table, plan, row_phase, links, lang))


def _checked(
    table: _Table,
    plan: PlanData,
    row_phase: dict[int, str],
    links: list[tuple[_Row, LinkData]],
    lang: str | None,
) -> PlanData:
    """The plan (its phases read) with the items of the sound rows and the links between
    them; the rules of the plan's data it breaks are refused, each on its row's cell."""
    sound = [row for row in table.rows if not row.broken]
    items = [_item(row, row_phase[row.number], lang) for row in sound]
    keys = {item.key for item in items}
    kept = [
        (row, link) for row, link in links if link.predecessor in keys and link.successor in keys
    ]
    plan = replace(plan, items=tuple(items), links=tuple(link for _, link in kept))
    for problem in problems(plan):
        _place(table, problem, [r.number for r in sound], [r.number for r, _ in kept])
    if table.errors:
        raise refusal(sorted(table.errors, key=table.order))
    return plan


def _names_language(table: _Table, lang: str | None) -> str | None:
    """The Name column is in the language the other name column is not in (else in
    ``lang``)."""
    if NAME_ZH in table.header and NAME_EN not in table.header:
        return "en"
    if NAME_EN in table.header and NAME_ZH not in table.header:
        return "zh"
    return lang


def _check_cycle(table: _Table, links: list[LinkData]) -> None:
    """A cycle among the links, as an error named by IDs on its first row."""
    cycle = find_cycle(links)
    if not cycle:
        return
    rows = {row.key: row for row in table.rows}
    steps = [f'{rows[k].id} "{rows[k].name}"' for k in [*cycle, cycle[0]]]
    table.error(rows[cycle[0]].number, "Predecessors", "dependency.cycle", cycle=" → ".join(steps))


def _place(table: _Table, problem: DataProblem, items: list[int], links: list[int]) -> None:
    """A rule of the plan's data broken by a row: on its cell (an item's column, a link's
    Predecessors), else on the file."""
    column = _COLUMN_OF.get(problem.field)
    if problem.section == "items" and problem.index is not None and column:
        table.error(items[problem.index], column, problem.code, **problem.params)
    elif problem.section == "links" and problem.index is not None:
        table.error(links[problem.index], "Predecessors", problem.code, **problem.params)
    else:
        what = Explanation(problem.code, problem.params)
        table.errors.append(
            Problem("file", "table.at_path", {"path": problem.path, "problem": what})
        )


def _item(row: _Row, phase_key: str, lang: str | None = None) -> ItemData:
    assert row.key is not None and row.name is not None and row.duration is not None
    constraint_date = row.dates.get("Constraint date")
    return ItemData(
        key=row.key,
        name=row.name,
        phase_key=phase_key,
        kind=row.kind or ("milestone" if row.duration == 0 else "task"),
        duration=row.duration,
        workstream=row.workstream,
        owner=row.owner,
        percent_complete=row.percent,
        actual_start=row.dates.get("Actual start"),
        actual_finish=row.dates.get("Actual finish"),
        constraint_type=row.constraint,
        constraint_date=constraint_date,
        early_start=row.dates.get("Start"),
        early_finish=row.dates.get("Finish"),
        name_en=row.name if lang == "en" else row.name_en,
        name_zh=row.name if lang == "zh" else row.name_zh,
        version=row.version,
    )


def read_csv(
    data: bytes,
    *,
    base: PlanData | None = None,
    headers: Iterable[HeaderLabels] = (),
    lang: str | None = None,
    phase_names: Mapping[str, str] | None = None,
) -> PlanData:
    """Read a CSV plan (UTF-8 with or without BOM, or GB18030; comma, semicolon or tab);
    ``headers``' labels are accepted besides the built-in ones. The Name column is in the
    language the file's other name column is not in, else in ``lang`` (None: unknown);
    ``phase_names`` are more labels of ``base``'s phases (e.g. in the other language).

    Examples:
        >>> text = "ID,Name,Duration (days),Predecessors\\r\\n1,设计,5,\\r\\n2,上线,0,1FS+2d\\r\\n"
        >>> base = PlanData("P", dt.date(2024, 3, 4))
        >>> plan = read_csv(text.encode("gb18030"), base=base)
        >>> [(i.key, i.name, i.kind) for i in plan.items], plan.links
        ([('item-1', '设计', 'task'), ('item-2', '上线', 'milestone')], \
(LinkData(predecessor='item-1', successor='item-2', type='FS', lag=2, lag_unit='d', \
lag_amount=None),))
    """
    return _plan(_csv_cells(data), base, headers, lang, phase_names)


def read_xlsx(
    data: bytes,
    *,
    base: PlanData | None = None,
    headers: Iterable[HeaderLabels] = (),
    lang: str | None = None,
    phase_names: Mapping[str, str] | None = None,
) -> PlanData:
    """Read the first sheet of an .xlsx plan (checked for zip bombs first; values, not
    formulas); ``headers``' labels are accepted besides the built-in ones; the other
    arguments as for :func:`read_csv`."""
    return _plan(_xlsx_cells(data), base, headers, lang, phase_names)
