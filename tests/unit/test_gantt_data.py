"""The Gantt's columnar payload (planner/charts/gantt_data.py), built from plain rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from planner.charts.gantt_data import DataCalendar, DataLink, gantt_columns


@dataclass
class Row:
    id: int
    key: str
    phase_key: str = "P1"
    workstream: str | None = "crm"
    owner: str | None = None
    name: str = "Task"
    kind: str = "task"
    duration: int = 2
    percent: int = 0
    early_start: date | None = date(2026, 3, 2)
    early_finish: date | None = date(2026, 3, 3)
    total_float: int | None = 0
    free_float: int | None = 0
    critical: bool = False
    status: str = "not_started"
    baseline_start: date | None = None
    baseline_finish: date | None = None
    constraint_type: str | None = None
    constraint_date: date | None = None


@dataclass
class Driver:
    chain_ids: list[int]
    gate_float: int


@dataclass
class Phase:
    key: str
    name: str
    window_start: date
    window_end: date
    kind: str = "delivery"
    overrun_days: int = 0
    finish: date | None = None
    driver: Driver | None = None
    extra: list[int] = field(default_factory=list)


def build(**overrides):  # type: ignore[no-untyped-def]
    rows = [
        Row(1, "a", owner="Li Wei", critical=True),
        Row(2, "b", early_start=date(2026, 3, 4), early_finish=date(2026, 3, 9), owner="Li Wei"),
        Row(
            3,
            "m",
            kind="milestone",
            duration=0,
            workstream=None,
            status="done",
            early_start=date(2026, 3, 10),
            early_finish=date(2026, 3, 10),
            constraint_type="SNET",
            constraint_date=date(2026, 3, 10),
        ),
    ]
    links = [
        DataLink(7, 1, 2, "FS", 0, True),
        DataLink(8, 2, 3, "SS", 1, False),
        DataLink(9, 2, 99, "FS", 0, False),
    ]
    phases = [Phase("P1", "Build", date(2026, 3, 1), date(2026, 3, 31), driver=Driver([1, 2], -1))]
    args = dict(
        versions={1: 4, 2: 1, 3: 2},
        driving=frozenset({2}),
        calendar=DataCalendar(frozenset({0, 1, 2, 3, 4}), [date(2026, 3, 5)], []),
        today=date(2026, 3, 3),
        status_date=date(2026, 3, 3),
        finish=date(2026, 3, 10),
    )
    args.update(overrides)
    return gantt_columns(rows, links, phases, **args)


def test_dates_are_days_after_the_origin_and_texts_are_tables() -> None:
    data = build()
    assert data["origin"] == "2026-03-01"  # the phase window starts first
    items = data["items"]
    assert items["es"] == [1, 3, 9] and items["ef"] == [2, 8, 9]
    assert data["owners"] == ["Li Wei"] and items["owner"] == [0, 0, -1]
    assert data["ws"] == ["crm"] and items["ws"] == [0, 0, -1]
    assert items["kind"] == [0, 0, 1] and items["crit"] == [1, 0, 0] and items["drive"] == [0, 1, 0]
    assert items["st"] == [2, 2, 0] and items["ver"] == [4, 1, 2]
    assert items["ct"] == [0, 0, 1] and items["cd"] == [None, None, 9]
    assert data["calendar"] == {"workdays": [0, 1, 2, 3, 4], "off": [4], "on": []}
    assert data["today"] == 2 and data["finish"] == 9


def test_links_name_rows_and_skip_ends_not_shown() -> None:
    links = build()["links"]
    assert links["id"] == [7, 8]  # 9 ends at an item filtered out
    assert links["p"] == [0, 1] and links["s"] == [1, 2]
    assert links["t"] == [0, 1] and links["lag"] == [0, 1] and links["crit"] == [1, 0]


def test_phases_carry_window_gate_float_and_driving_chain_as_rows() -> None:
    phases = build()["phases"]
    assert phases["start"] == [0] and phases["end"] == [30]
    assert phases["float"] == [-1] and phases["chain"] == [[0, 1]]
