"""Usage logs exported from a CRM: column mappings and presets, and the streaming aggregation
of rows into per user-week-module activity, and of activity into weekly adoption readings.

Pure: rows in (any iterable, consumed once), plain values out; memory grows with the number
of distinct (week, user, module) triples, never with the number of rows.

Semantics in one place:

- A row is ``user, date, object, action``. The **week** is the ISO week (Monday) of the
  date; the date is read from the text's first part (``2026-03-02``, ``2026-03-02T08:15Z``,
  ``3/2/2026 8:15 AM``) in the mapping's ``date_order`` (``ymd``, ``mdy`` or ``dmy``; a part
  of four digits first is always year-month-day), or taken from a date/datetime cell.
- A row is a **login** when its action (case-insensitive) is one of the mapping's
  ``login_actions``; such a row counts under module ``""``.
- Any other row counts under the **module** whose ``objects`` (or key or name) matches its
  object (case-insensitive), or under ``OTHER`` when none does. When the mapping has no
  object column, only login rows count (the other rows of a login history are failed
  attempts).
- A row without a user, or with a date that cannot be read, is **bad**: its line is
  reported and nothing of the file is imported (all-or-nothing).
- **Readings per week and team** (``weekly_readings``): with ``N`` the team's users,
  active users = users with any counted row that week / ``N`` × 100; logins per user = login
  rows / ``N`` (only for weeks that have login rows); module use = users with a row in the
  module / ``N`` × 100. Users missing from the team lookup are counted apart and left out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal

from planner.domain.errors import Problem

DateOrder = Literal["ymd", "mdy", "dmy"]
LOGIN = ""
OTHER = "-"
#: Bad rows reported one by one (the rest are counted).
MAX_REPORTED = 50


@dataclass(frozen=True)
class ColumnMapping:
    """Which column holds what; column names as the file's header writes them."""

    user: str
    date: str
    object: str = ""
    action: str = ""
    date_order: DateOrder = "ymd"
    login_actions: tuple[str, ...] = ("login",)

    def columns(self) -> list[str]:
        return [c for c in (self.user, self.date, self.object, self.action) if c]


@dataclass(frozen=True)
class Preset:
    key: str
    mapping: ColumnMapping


#: Presets for common CRM exports (the columns each expects are documented in README.md).
PRESETS: dict[str, Preset] = {
    "generic": Preset("generic", ColumnMapping("user", "date", "object", "action")),
    # Setup → Login History → Download (CSV): one row per login attempt; Status "Success"
    "salesforce-login": Preset(
        "salesforce-login",
        ColumnMapping("Username", "Login Time", "", "Status", "mdy", ("success",)),
    ),
    # Event Monitoring log files (EventLogFile CSV), e.g. LightningPageView and Login events
    "salesforce-events": Preset(
        "salesforce-events",
        ColumnMapping(
            "USER_ID_DERIVED", "TIMESTAMP_DERIVED", "PAGE_ENTITY_TYPE", "EVENT_TYPE", "ymd",
            ("login",),
        ),
    ),
    # Dynamics 365 audit history exported to CSV/Excel (Audit Summary view)
    "dynamics-audit": Preset(
        "dynamics-audit",
        ColumnMapping(
            "Changed By", "Changed Date", "Entity", "Event", "mdy",
            ("user access via web", "user access via web services"),
        ),
    ),
}  # fmt: skip


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def read_day(value: object, order: DateOrder) -> date | None:
    """A row's date, or None when it cannot be read.

    Examples:
        >>> read_day("2026-03-04T08:15:00.000Z", "mdy"), read_day("3/4/2026 8:15 AM", "mdy")
        (datetime.date(2026, 3, 4), datetime.date(2026, 3, 4))
        >>> read_day("4.3.2026", "dmy"), read_day("2026/13/01", "ymd"), read_day("", "ymd")
        (datetime.date(2026, 3, 4), None, None)
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return _day_of_text(_date_text(value), order)


def _date_text(value: object) -> str:
    """The part of a date cell that names the day (what precedes a time)."""
    return str(value or "").strip().split(" ")[0].split("T")[0]


def _day_of_text(text: str, order: DateOrder) -> date | None:
    parts = text.replace("/", "-").replace(".", "-").split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None
    a, b, c = (int(p) for p in parts)
    if len(parts[0]) == 4 or order == "ymd":
        y, m, d = a, b, c
    elif order == "mdy":
        m, d, y = a, b, c
    else:
        d, m, y = a, b, c
    try:
        return date(y, m, d)
    except ValueError:
        return None


@dataclass(frozen=True)
class ModuleMatch:
    """Which module an object name counts under (case-insensitive)."""

    names: Mapping[str, str]

    @classmethod
    def of(cls, modules: Iterable[tuple[str, Iterable[str]]]) -> ModuleMatch:
        names: dict[str, str] = {}
        for key, aliases in modules:
            for alias in (key, *aliases):
                names.setdefault(alias.strip().casefold(), key)
        return cls(names)

    def module(self, obj: str) -> str:
        return self.names.get(obj.strip().casefold(), OTHER)


@dataclass
class Aggregate:
    """Events per (week, user, module), the file's bad lines, and its date span."""

    events: dict[tuple[date, str, str], int] = field(default_factory=lambda: defaultdict(int))
    problems: list[Problem] = field(default_factory=list)
    bad_rows: int = 0
    rows: int = 0
    first: date | None = None
    last: date | None = None

    def bad(self, line: int, code: str, **params: object) -> None:
        self.bad_rows += 1
        if len(self.problems) < MAX_REPORTED:
            self.problems.append(Problem(f"line {line}", code, {"line": line, **params}))

    @property
    def users(self) -> set[str]:
        return {user for _, user, _ in self.events}


def aggregate(
    rows: Iterable[tuple[int, Sequence[object]]],
    header: Sequence[str],
    mapping: ColumnMapping,
    match: ModuleMatch,
) -> Aggregate:
    """Sum ``(line, values)`` rows into events per week, user and module (see the module
    doc); bad rows are reported by line, the caller refuses the file when there are any."""
    index = {name.strip(): i for i, name in enumerate(header)}
    iu, idate = index[mapping.user], index[mapping.date]
    module_of = _ModuleOf.of(index, mapping, match)
    week_of = _WeekOf(mapping.date_order)
    weeks = week_of.weeks
    out = Aggregate()
    events = out.events
    width = max(iu, idate, module_of.obj, module_of.action) + 1
    count = 0
    for line, values in rows:
        count += 1
        if len(values) < width:
            values = [*values, *([""] * (width - len(values)))]
        user = values[iu]
        user = user.strip() if isinstance(user, str) else str(user or "").strip()
        raw_day = values[idate]
        if isinstance(raw_day, str):  # _date_text, inline: it runs for every row
            text = raw_day.strip().split(" ")[0].split("T")[0]
            week = weeks.get(text, date.min)
            if week is date.min:  # a day not read before
                week = week_of.of_text(text)
        else:
            week = week_of.of_cell(raw_day)
        if not user:
            out.bad(line, "adoption.usage.no_user")
        elif week is None:
            out.bad(line, "adoption.usage.bad_date", value=str(raw_day or "")[:40])
        elif (module := module_of(values)) is not None:
            events[(week, user, module)] += 1
    out.rows = count
    out.first, out.last = week_of.first, week_of.last
    return out


#: entries a per-file cache keeps at most (memory stays bounded whatever the file)
_CACHED = 100_000


@dataclass
class _WeekOf:
    """The week of a row's date (None when the date cannot be read), and the span of the
    days read. Remembered per day text (``weeks``, which the caller reads first): an export
    stamps its rows with times, so most cells differ while the days they name are few —
    each day is parsed once, and only a day not seen before can widen the span."""

    order: DateOrder
    weeks: dict[str, date | None] = field(default_factory=dict)
    first: date | None = None
    last: date | None = None

    def of_text(self, text: str) -> date | None:
        """The week of a cell's day text (see :func:`_date_text`)."""
        week = self._week(_day_of_text(text, self.order))
        if len(self.weeks) < _CACHED:
            self.weeks[text] = week
        return week

    def of_cell(self, value: object) -> date | None:
        """The week of a cell that is not text (a spreadsheet's date, or a number)."""
        return self._week(read_day(value, self.order))

    def _week(self, day: date | None) -> date | None:
        if day is None:
            return None
        self.first = day if self.first is None or day < self.first else self.first
        self.last = day if self.last is None or day > self.last else self.last
        return monday(day)


@dataclass
class _ModuleOf:
    """The module a row counts under: :data:`LOGIN` for a login, else the module of its
    object; None when it does not count (not a login, and the mapping has no object column).
    ``action`` and ``obj`` are column indexes, -1 when the mapping has no such column.

    Remembered per (action, object) pair of text cells (``pairs``): a log repeats a few
    pairs over all its rows. Other cells are read each time (``1`` and ``1.0`` would be one
    key of a dict, but are two texts)."""

    action: int
    obj: int
    logins: frozenset[str]
    match: ModuleMatch
    seen: dict[str, str] = field(default_factory=dict)
    pairs: dict[tuple[str, str], str | None] = field(default_factory=dict)

    @classmethod
    def of(cls, index: Mapping[str, int], mapping: ColumnMapping, match: ModuleMatch) -> _ModuleOf:
        return cls(
            action=index.get(mapping.action, -1) if mapping.action else -1,
            obj=index.get(mapping.object, -1) if mapping.object else -1,
            logins=frozenset(a.casefold() for a in mapping.login_actions),
            match=match,
        )

    def __call__(self, values: Sequence[object]) -> str | None:
        action = values[self.action] if self.action >= 0 else ""
        obj = values[self.obj] if self.obj >= 0 else ""
        if type(action) is not str or type(obj) is not str:
            return self._module(action, obj)
        try:
            return self.pairs[(action, obj)]
        except KeyError:
            module = self._module(action, obj)
            if len(self.pairs) < _CACHED:
                self.pairs[(action, obj)] = module
            return module

    def _module(self, action_cell: object, obj_cell: object) -> str | None:
        action = str(action_cell or "").strip().casefold() if self.action >= 0 else ""
        if action in self.logins:
            return LOGIN
        if self.obj < 0:
            return None
        obj = str(obj_cell or "")
        return self.seen.get(obj) or self.seen.setdefault(obj, self.match.module(obj))


@dataclass(frozen=True)
class WeekReading:
    """One computed reading: metric (``active``, ``logins`` or ``module``), week, team,
    module ("" unless ``module``), value and the users it speaks for."""

    metric: Literal["active", "logins", "module"]
    week: date
    team: str
    module: str
    value: float
    users: int


def weekly_readings(
    events: Iterable[tuple[date, str, str, int]],
    user_team: Mapping[str, str],
    team_users: Mapping[str, int],
    module_keys: Iterable[str],
) -> tuple[list[WeekReading], set[str]]:
    """Readings per week and team from ``(week, user, module, events)`` rows, consumed once
    (see the module doc), and the users left out because the lookup has no team for them."""
    keys = set(module_keys)
    active: dict[tuple[date, str], set[str]] = defaultdict(set)
    logins: dict[tuple[date, str], int] = defaultdict(int)
    in_module: dict[tuple[date, str, str], set[str]] = defaultdict(set)
    login_weeks: set[date] = set()
    unmapped: set[str] = set()
    for week, user, module, count in events:
        team = user_team.get(user)
        if team is None:
            unmapped.add(user)
            continue
        active[(week, team)].add(user)
        if module == LOGIN:
            logins[(week, team)] += count
            login_weeks.add(week)
        elif module in keys:
            in_module[(week, team, module)].add(user)
    out: list[WeekReading] = []
    weeks = sorted({w for w, _ in active})
    for week in weeks:
        for team, n in sorted(team_users.items()):
            if n <= 0:
                continue
            users = active.get((week, team), set())
            out.append(WeekReading("active", week, team, "", min(100.0, 100 * len(users) / n), n))
            if week in login_weeks:
                out.append(WeekReading("logins", week, team, "", logins[(week, team)] / n, n))
            for module in sorted(keys):
                used = len(in_module.get((week, team, module), ()))
                out.append(WeekReading("module", week, team, module, min(100.0, 100 * used / n), n))
    return out, unmapped
