"""Adoption domain: roll-up, inherited targets, tiers, trends, the lagging cell, and the
usage-log aggregation (dates, logins, modules, bad rows) — by hand-computed examples."""

from __future__ import annotations

from datetime import date

import pytest

from planner.domain.adoption import (
    MatrixModule,
    build_matrix,
    completion_rate,
    inherited_target,
    lagging,
    rollup,
    tier_status,
    trend,
)
from planner.domain.usage_log import (
    LOGIN,
    OTHER,
    ColumnMapping,
    ModuleMatch,
    aggregate,
    read_day,
    weekly_readings,
)

MONDAY = date(2026, 3, 2)


def test_rollup_weights_by_users_and_skips_empty_cells() -> None:
    # (90*10 + 60*30 + 0*0) / 40 = 67.5
    assert rollup([(90.0, 10), (60.0, 30), (0.0, 0)]) == pytest.approx(67.5)
    assert rollup([]) is None


def test_inherited_target_walks_from_specific_to_general() -> None:
    own = {
        ("north", "", "contacts"): {2: 85.0},
        ("north", "", ""): {1: 60.0},
        ("", "", "email"): {1: 40.0},
    }
    metric = {1: 70.0, 2: 80.0}
    assert inherited_target(own, metric, ("north", "east", "contacts"), 2) == (
        85.0,
        ("north", "", "contacts"),
    )
    # phase 1: the north/contacts cell has none yet; north's own target applies
    assert inherited_target(own, metric, ("north", "", "contacts"), 1) == (60.0, ("north", "", ""))
    assert inherited_target(own, metric, ("south", "", "email"), 3) == (40.0, ("", "", "email"))
    assert inherited_target(own, metric, ("south", "", ""), 3) == (80.0, None)
    assert inherited_target({}, {}, ("south", "", ""), 1) == (None, None)


@pytest.mark.parametrize(
    ("value", "tier", "expected"),
    [
        (80.0, 80, "green"),
        (79.99, 80, "amber"),
        (70.0, 80, "amber"),
        (69.9, 80, "red"),
        (30.0, 30, "green"),
        (None, 50, None),
    ],
)
def test_tier_status_boundaries(value: float | None, tier: float, expected: str | None) -> None:
    assert tier_status(value, tier) == expected


def test_trend_needs_more_than_a_point_to_move() -> None:
    assert [trend(50, 51), trend(50, 51.5), trend(50, 48.9), trend(None, 3)] == [
        "flat",
        "up",
        "down",
        None,
    ]


def test_lagging_is_the_cell_furthest_below_its_tier() -> None:
    modules = [MatrixModule("contacts", "core", 80), MatrixModule("proposals", "specialist", 30)]
    latest = {
        ("a", "contacts"): 72.0,
        ("a", "proposals"): 5.0,
        ("b", "contacts"): 58.0,
        ("b", "proposals"): 40.0,
    }
    matrix = build_matrix(
        ["a", "b"], modules, latest, {("a", "contacts"): 60.0}, {"a": 10, "b": 20}
    )
    lag = lagging(matrix)
    assert lag is not None and (lag.team, lag.module, lag.shortfall) == ("a", "proposals", 25.0)
    assert matrix.cell("a", "contacts").trend == "up"  # type: ignore[union-attr]
    assert matrix.cell("b", "proposals").status == "green"  # type: ignore[union-attr]
    # the tie at 22 points (b contacts 58 vs 80; a 8 vs 30) goes to the team with more users
    tied = build_matrix(
        ["a", "b"],
        modules,
        {("a", "proposals"): 8.0, ("b", "contacts"): 58.0},
        {},
        {"a": 10, "b": 20},
    )
    assert (lagging(tied).team, lagging(tied).module) == ("b", "contacts")  # type: ignore[union-attr]
    assert lagging(build_matrix(["a"], modules, {("a", "contacts"): 90.0}, {}, {})) is None


def test_completion_rate() -> None:
    assert completion_rate(20, 15) == 75.0 and completion_rate(0, 0) is None


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("2026-03-04", "dmy", date(2026, 3, 4)),
        ("2026-03-04T23:59:59.000Z", "ymd", date(2026, 3, 4)),
        ("03/04/2026 11:00 PM", "mdy", date(2026, 3, 4)),
        ("04.03.2026", "dmy", date(2026, 3, 4)),
        ("2026/3/4", "mdy", date(2026, 3, 4)),
        ("2026-02-30", "ymd", None),
        ("yesterday", "ymd", None),
    ],
)
def test_read_day(text: str, order: str, expected: date | None) -> None:
    assert read_day(text, order) == expected  # type: ignore[arg-type]


def test_aggregate_counts_per_week_user_module_and_reports_bad_lines() -> None:
    mapping = ColumnMapping("u", "d", "o", "a", "ymd", ("login", "user access via web"))
    match = ModuleMatch.of(
        [("contacts", ["Contact", "Account"]), ("opportunities", ["Opportunity"])]
    )
    rows = [
        (2, ["ann", "2026-03-02", "", "Login"]),
        (3, ["ann", "2026-03-03", "account", "update"]),
        (4, ["ann", "2026-03-08", "Contact", "view"]),  # Sunday: same week
        (5, ["bob", "2026-03-09", "Widget", "view"]),  # next week, no module
        (6, ["bob", "2026-03-09", "", "User Access via Web"]),
        (7, ["", "2026-03-09", "Contact", "view"]),
        (8, ["cy", "9 March", "Contact", "view"]),
        (9, ["dee"]),  # short row: no date
    ]
    out = aggregate(rows, ["u", "d", "o", "a"], mapping, match)
    assert dict(out.events) == {
        (MONDAY, "ann", LOGIN): 1,
        (MONDAY, "ann", "contacts"): 2,
        (date(2026, 3, 9), "bob", OTHER): 1,
        (date(2026, 3, 9), "bob", LOGIN): 1,
    }
    assert [(p.field, p.code) for p in out.problems] == [
        ("line 7", "adoption.usage.no_user"),
        ("line 8", "adoption.usage.bad_date"),
        ("line 9", "adoption.usage.bad_date"),
    ]
    assert (out.rows, out.bad_rows, out.first, out.last) == (8, 3, MONDAY, date(2026, 3, 9))


def test_without_an_object_column_only_logins_count() -> None:
    mapping = ColumnMapping("u", "d", "", "s", "ymd", ("success",))
    rows = [(2, ["ann", "2026-03-02", "Success"]), (3, ["ann", "2026-03-02", "Invalid Password"])]
    out = aggregate(rows, ["u", "d", "s"], mapping, ModuleMatch.of([]))
    assert dict(out.events) == {(MONDAY, "ann", LOGIN): 1}


def test_weekly_readings_per_team() -> None:
    events = [
        (MONDAY, "ann", LOGIN, 3),
        (MONDAY, "ann", "contacts", 5),
        (MONDAY, "bob", "contacts", 1),
        (MONDAY, "cy", OTHER, 2),
        (MONDAY, "zed", "contacts", 9),  # not in the lookup
    ]
    readings, unmapped = weekly_readings(
        events, {"ann": "n", "bob": "n", "cy": "s"}, {"n": 4, "s": 2}, ["contacts"]
    )
    got = {(r.metric, r.team, r.module): (r.value, r.users) for r in readings}
    assert got == {
        ("active", "n", ""): (50.0, 4),
        ("logins", "n", ""): (0.75, 4),
        ("module", "n", "contacts"): (50.0, 4),
        ("active", "s", ""): (50.0, 2),
        ("logins", "s", ""): (0.0, 2),
        ("module", "s", "contacts"): (0.0, 2),
    }
    assert unmapped == {"zed"}
