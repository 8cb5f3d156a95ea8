"""The aggregation remembers each day text and each (action, object) pair it has read: the
counts, the bad lines and the date span are what reading every cell afresh gives."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime

import pytest

from planner.domain.usage_log import (
    LOGIN,
    OTHER,
    ColumnMapping,
    DateOrder,
    ModuleMatch,
    aggregate,
    monday,
    read_day,
)

HEADER = ["u", "d", "o", "a"]
MATCH = ModuleMatch.of(
    [("contacts", ["Contact", "Account", "1"]), ("opportunities", ["Opportunity", "1.0"])]
)


Events = dict[tuple[date, str, str], int]
Bad = list[tuple[str, str, object]]


def _plain(
    rows: Sequence[tuple[int, Sequence[object]]], mapping: ColumnMapping
) -> tuple[Events, Bad, date | None, date | None]:
    """The module doc's semantics, one cell at a time, nothing remembered."""
    index = {name: i for i, name in enumerate(HEADER)}
    logins = {a.casefold() for a in mapping.login_actions}
    events: Events = defaultdict(int)
    bad: Bad = []
    days: list[date] = []
    for line, values in rows:
        values = [*values, *([""] * (4 - len(values)))]
        user = str(values[index[mapping.user]] or "").strip()
        raw = values[index[mapping.date]]
        day = read_day(raw, mapping.date_order)
        if day is not None:
            days.append(day)
        if not user:
            bad.append((f"line {line}", "adoption.usage.no_user", None))
            continue
        if day is None:
            bad.append((f"line {line}", "adoption.usage.bad_date", str(raw or "")[:40]))
            continue
        action = str(values[index[mapping.action]] or "").strip().casefold()
        if action in logins:
            events[(monday(day), user, LOGIN)] += 1
        else:
            events[(monday(day), user, MATCH.module(str(values[index[mapping.object]] or "")))] += 1
    return dict(events), bad, min(days, default=None), max(days, default=None)


DAYS: list[object] = [
    "2026-03-02",
    "2026-03-02T08:15:00Z",
    "2026-03-02T17:45:00Z",
    " 2026-03-03 08:00",
    "3/4/2026 8:15 AM",
    "4.3.2026",
    "2026-02-30",
    "2026-03-05\t x",  # the day text keeps its tab: not a date, as read_day has it
    "2026-03-05\t",
    "",
    None,
    20260302,
    datetime(2026, 3, 6, 9, 30),
    date(2026, 3, 7),
    "2026-03-09 T",
]
USERS: list[object] = ["ann", " ann ", "bob", "", None, 7, "  "]
OBJECTS: list[object] = [
    "Contact",
    " contact ",
    "Opportunity",
    "Widget",
    "",
    None,
    1,
    1.0,
    "1",
    "1.0",
]
ACTIONS: list[object] = ["Login", " LOGIN ", "view", "", None, "user access via web", 1]


@pytest.mark.parametrize("order", ["ymd", "mdy", "dmy"])
@pytest.mark.parametrize("seed", range(6))
def test_remembered_cells_count_as_cells_read_afresh(order: DateOrder, seed: int) -> None:
    rng = random.Random(seed)
    rows: list[tuple[int, Sequence[object]]] = []
    for line in range(2, 400):
        values = [rng.choice(c) for c in (USERS, DAYS, OBJECTS, ACTIONS)]
        rows.append((line, values[: rng.choice([1, 2, 4, 4, 4, 4])]))
    mapping = ColumnMapping("u", "d", "o", "a", order, ("login", "user access via web"))
    out = aggregate(rows, HEADER, mapping, MATCH)
    events, bad, first, last = _plain(rows, mapping)
    assert dict(out.events) == events
    reported = [(p.field, p.code, p.params.get("value")) for p in out.problems]
    assert reported == bad[:50] and out.bad_rows == len(bad)
    assert (out.rows, out.first, out.last) == (len(rows), first, last)


def test_one_and_one_point_zero_are_two_objects_not_one_remembered_key() -> None:
    rows: list[tuple[int, Sequence[object]]] = [
        (2, ["ann", "2026-03-02", 1, "view"]),
        (3, ["ann", "2026-03-02", 1.0, "view"]),
        (4, ["ann", "2026-03-02", "1.0", "view"]),
        (5, ["ann", "2026-03-02", True, "view"]),
    ]
    out = aggregate(rows, HEADER, ColumnMapping("u", "d", "o", "a"), MATCH)
    week = date(2026, 3, 2)
    assert dict(out.events) == {
        (week, "ann", "contacts"): 1,  # "1"
        (week, "ann", "opportunities"): 2,  # "1.0", twice
        (week, "ann", OTHER): 1,  # "True"
    }


def test_times_of_one_day_are_one_week_and_the_span_is_their_day() -> None:
    rows: list[tuple[int, Sequence[object]]] = [
        (n, ["ann", f"2026-03-04T{h:02d}:00:00Z", "", "login"]) for n, h in enumerate(range(24), 2)
    ]
    rows.append((26, ["bob", "2026-03-09", "", "login"]))
    out = aggregate(rows, HEADER, ColumnMapping("u", "d", "o", "a"), MATCH)
    assert dict(out.events) == {
        (date(2026, 3, 2), "ann", LOGIN): 24,
        (date(2026, 3, 9), "bob", LOGIN): 1,
    }
    assert (out.first, out.last) == (date(2026, 3, 4), date(2026, 3, 9))
