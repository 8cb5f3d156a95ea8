"""Usage-log import: readings per team and week, roll-up, idempotence, bad rows by line."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from planner.domain.errors import ValidationError
from planner.domain.usage_log import PRESETS, ColumnMapping
from planner.extensions import db as database
from planner.models import CellReading, Metric, MetricReading, UsageActivity, UsageImport
from planner.services import usage_import
from tests.integration.adoption_support import make_program, usage_csv, with_teams

GENERIC = PRESETS["generic"].mapping
MONDAY = date(2026, 5, 25)  # inside the program (phase 2)
SUNDAY = date(2026, 5, 31)


def _metric(program, key):  # type: ignore[no-untyped-def]
    query = select(Metric).where(Metric.program_id == program.id, Metric.key == key)
    return database.session.scalars(query).one()


def _rows():  # type: ignore[no-untyped-def]
    # north: 4 users, 3 active (2 used contacts, 1 opportunities), 5 logins;
    # south: 2 users, 1 active (contacts), 1 login
    return [
        ("north-0", "2026-05-25T08:00:00Z", "", "Login"),
        ("north-0", "2026-05-26", "", "login"),
        ("north-0", "2026-05-26", "Contact", "update"),
        ("north-1", "2026-05-27", "Account", "create"),
        ("north-1", "2026-05-27", "", "login"),
        ("north-1", "2026-05-28", "", "login"),
        ("north-2", "2026-05-29", "Opportunity", "update"),
        ("north-2", "2026-05-29", "", "login"),
        ("south-0", "2026-05-30", "contact", "view"),
        ("south-0", "2026-05-30", "", "login"),
        ("stranger", "2026-05-30", "Contact", "view"),
    ]


def test_import_computes_team_readings_and_rolls_them_up(db) -> None:  # type: ignore[no-untyped-def]
    program = make_program()
    with_teams(program, {"north": 4, "south": 2})
    result = usage_import.import_usage(program, usage_csv(_rows()), "log.csv", GENERIC, "generic")
    assert not result.duplicate and result.rows == 11 and result.unmapped == ("stranger",)
    module = _metric(program, "module-adoption")
    cells = {
        (c.team, c.module): c.value
        for c in db.session.scalars(select(CellReading).where(CellReading.metric_id == module.id))
    }
    assert cells[("north", "contacts")] == 50.0  # north-0 and north-1 (Account) of 4
    assert cells[("north", "opportunities")] == 25.0
    assert cells[("south", "contacts")] == 50.0
    active = _metric(program, "active-users")
    by_team = {
        c.team: (c.value, c.users)
        for c in db.session.scalars(select(CellReading).where(CellReading.metric_id == active.id))
    }
    assert by_team == {"north": (75.0, 4), "south": (50.0, 2)}
    program_figure = db.session.scalars(
        select(MetricReading).where(
            MetricReading.metric_id == active.id, MetricReading.day == SUNDAY
        )
    ).one()
    assert program_figure.value == pytest.approx((75 * 4 + 50 * 2) / 6)
    logins = _metric(program, "weekly-logins")
    figure = db.session.scalars(
        select(MetricReading.value).where(MetricReading.metric_id == logins.id)
    ).one()
    assert figure == pytest.approx(6 / 6)  # 5 + 1 logins over 6 users


def test_the_same_file_twice_adds_nothing(db) -> None:  # type: ignore[no-untyped-def]
    program = make_program()
    with_teams(program, {"north": 4, "south": 2})
    usage_import.import_usage(program, usage_csv(_rows()), "log.csv", GENERIC, "generic")
    before = db.session.scalar(select(func.count()).select_from(UsageActivity))
    again = usage_import.import_usage(program, usage_csv(_rows()), "copy.csv", GENERIC, "generic")
    assert again.duplicate
    assert db.session.scalar(select(func.count()).select_from(UsageActivity)) == before
    assert db.session.scalar(select(func.count()).select_from(UsageImport)) == 1
    # an overlapping export (same rows plus one) keeps the larger counts, adds no twice
    more = usage_import.import_usage(
        program,
        usage_csv([*_rows(), ("south-1", "2026-05-30", "", "login")]),
        "b.csv",
        GENERIC,
        "generic",
    )
    assert not more.duplicate
    active = _metric(program, "active-users")
    south = db.session.scalars(
        select(CellReading.value).where(
            CellReading.metric_id == active.id, CellReading.team == "south"
        )
    ).one()
    assert south == 100.0
    logins = db.session.scalars(
        select(UsageActivity.events).where(
            UsageActivity.user_name == "north-0", UsageActivity.module == ""
        )
    ).one()
    assert logins == 2


def test_bad_rows_are_reported_by_line_and_nothing_is_written(db) -> None:  # type: ignore[no-untyped-def]
    program = make_program()
    with_teams(program, {"north": 4})
    rows = [
        *_rows()[:3],
        ("", "2026-05-26", "Contact", "x"),
        ("north-1", "31/31/2026", "", "login"),
    ]
    with pytest.raises(ValidationError) as caught:
        usage_import.import_usage(program, usage_csv(rows), "bad.csv", GENERIC, "generic")
    problems = [(p.field, p.code) for p in caught.value.problems]
    assert problems == [("line 5", "adoption.usage.no_user"), ("line 6", "adoption.usage.bad_date")]
    assert db.session.scalar(select(func.count()).select_from(UsageActivity)) == 0
    assert db.session.scalar(select(func.count()).select_from(UsageImport)) == 0


def test_missing_columns_are_named(db) -> None:  # type: ignore[no-untyped-def]
    program = make_program()
    with pytest.raises(ValidationError) as caught:
        usage_import.import_usage(
            program,
            usage_csv(_rows(), header=("who", "date", "object", "action")),
            "x.csv",
            GENERIC,
            "generic",
        )
    assert [(p.code, p.params["column"]) for p in caught.value.problems] == [
        ("adoption.usage.missing_column", "user")
    ]


def test_dynamics_preset_reads_its_columns(db) -> None:  # type: ignore[no-untyped-def]
    program = make_program()
    with_teams(program, {"north": 2})
    preset = PRESETS["dynamics-audit"].mapping
    header = ("Changed Date", "Changed By", "Entity", "Event")
    rows = [
        ("5/26/2026 9:14 AM", "north-0", "", "User Access via Web"),
        ("5/26/2026 9:20 AM", "north-0", "Opportunity", "Update"),
    ]
    body = usage_csv([(r[0], r[1], r[2], r[3]) for r in rows], header=header)
    result = usage_import.import_usage(program, body, "audit.csv", preset, "dynamics-audit")
    assert result.first == date(2026, 5, 26) and result.users == 1


def test_an_xlsx_export_is_read_as_a_stream(db) -> None:  # type: ignore[no-untyped-def]
    from datetime import datetime
    from io import BytesIO

    from openpyxl import Workbook

    program = make_program()
    with_teams(program, {"north": 2})
    book = Workbook()
    sheet = book.active
    sheet.append(["user", "date", "object", "action"])
    sheet.append(["north-0", datetime(2026, 5, 26, 9, 30), "Opportunity", "update"])
    sheet.append(["north-1", "2026-05-27", "", "login"])
    sheet.append([None, None, None, None])  # an empty row is no row
    body = BytesIO()
    book.save(body)
    result = usage_import.import_usage(program, body, "log.xlsx", GENERIC, "generic")
    assert (result.rows, result.users, result.first) == (2, 2, date(2026, 5, 26))


def test_a_gb18030_csv_is_decoded(db) -> None:  # type: ignore[no-untyped-def]
    from io import BytesIO

    program = make_program()
    database.session.flush()
    text = "用户,日期,对象,操作\n王芳,2026-05-26,Contact,查看\n"
    mapping = ColumnMapping("用户", "日期", "对象", "操作")
    result = usage_import.import_usage(
        program, BytesIO(text.encode("gb18030")), "x.csv", mapping, "generic"
    )
    assert result.rows == 1 and result.unmapped == ("王芳",)
