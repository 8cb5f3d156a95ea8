"""The RAID workbook's change requests carry their price as the page shows it (the planned
cost difference at completion in the program's currency, or why there is none), in the
reader's language; those columns are computed, so a file read back ignores them: export
then import changes nothing, in either language."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from planner.interop.raid_xlsx import read_workbook
from planner.models import AuditEvent, ChangeRequest, Decision, Issue, Program, RiskAction
from planner.services import change_requests as changes
from planner.services import raid_xlsx
from tests.integration.demo_copy import load_demo_copy

DEMO_DAY = date(2026, 11, 30)


@pytest.fixture()
def program(db):  # type: ignore[no-untyped-def]
    load_demo_copy(DEMO_DAY)
    return db.session.scalars(select(Program).where(Program.name.startswith("Northwind"))).one()


def sheet_rows(book: Workbook, name: str) -> list[dict[str, object]]:
    sheet = book[name]
    header = [c.value for c in sheet[1]]
    return [dict(zip(header, row, strict=False)) for row in sheet.iter_rows(2, values_only=True)]


def state(db) -> tuple[object, ...]:  # type: ignore[no-untyped-def]
    db.session.expire_all()
    counts = tuple(
        db.session.scalar(select(func.count()).select_from(m))
        for m in (Issue, RiskAction, Decision, ChangeRequest, AuditEvent)
    )
    versions = tuple(
        (type(r).__name__, r.id, r.version)
        for m in (Issue, RiskAction, ChangeRequest)
        for r in db.session.scalars(select(m).order_by(m.id))
    )
    return counts, versions


def test_change_requests_carry_their_cost_as_the_page_shows_it(login_as, program) -> None:  # type: ignore[no-untyped-def]
    lead = login_as("lead", program)
    book = load_workbook(io.BytesIO(lead.get(f"/programs/{program.id}/raid/export.xlsx").data))
    rows = {r["Key"]: r for r in sheet_rows(book, "Change requests")}
    assert rows, "the demo has change requests"
    priced = 0
    for change in changes.list_changes(program):
        row = rows[change.key]
        impact = changes.impact_of(program, change)
        if impact is None:
            assert row["Cost"] is None and row["Cost change"] is None
        elif impact.cost is not None:
            priced += 1
            assert row["Cost"] == "priced"
            assert row["Currency"] == impact.cost.currency
            assert row["Cost change"] == pytest.approx(impact.cost.delta, abs=0.005)
        else:
            assert row["Cost change"] is None and row["Currency"] is None
            assert row["Cost"] == (
                "not priced: the program tracks no money"
                if impact.priced is False
                else "not recorded when decided"
            )
    assert priced, "the demo prices at least one change"
    added = next(c for c in changes.list_changes(program) if c.key == "CR-1")
    assert rows["CR-1"]["Cost change"] is not None and added.impact is not None
    assert rows["CR-1"]["Cost change"] > 0  # CR-1 added working days: labour grew

    zh = lead.get(
        f"/programs/{program.id}/raid/export.xlsx", headers={"Accept-Language": "zh-CN"}
    ).data
    zh_rows = {r["编号"]: r for r in sheet_rows(load_workbook(io.BytesIO(zh)), "变更请求")}
    assert zh_rows["CR-1"]["成本"] == "已计价"
    assert zh_rows["CR-1"]["成本变化"] == rows["CR-1"]["Cost change"]
    assert zh_rows["CR-1"]["币种"] == rows["CR-1"]["Currency"]


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_export_then_import_changes_nothing(login_as, db, program, lang) -> None:  # type: ignore[no-untyped-def]
    lead = login_as("lead", program)
    url = f"/programs/{program.id}/raid/export.xlsx"
    first = lead.get(url, headers={"Accept-Language": lang}).data
    before = state(db)
    response = lead.post(
        f"/programs/{program.id}/raid/import",
        data={"file": (io.BytesIO(first), "raid.xlsx")},
        content_type="multipart/form-data",
        headers={"Accept-Language": lang},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert state(db) == before
    again = load_workbook(io.BytesIO(lead.get(url, headers={"Accept-Language": lang}).data))
    book = load_workbook(io.BytesIO(first))
    for name in book.sheetnames:
        assert sheet_rows(again, name) == sheet_rows(book, name)


def test_a_cost_typed_into_a_new_request_is_ignored(db, program) -> None:  # type: ignore[no-untyped-def]
    book = load_workbook(io.BytesIO(raid_xlsx.export_xlsx(program, "en")))
    sheet = book["Change requests"]
    header = [c.value for c in sheet[1]]
    row = dict.fromkeys(header)
    row.update(
        {
            "Requested change": "One more training day",
            "Kind": "add_work",
            "Work item": next(i.key for i in program.work_items if i.kind == "task"),
            "Days": 1,
            "Requester": "Chen Jie",
            "Cost change": -999999,
            "Currency": "XXX",
            "Cost": "priced",
        }
    )
    sheet.append([row[h] for h in header])
    out = io.BytesIO()
    book.save(out)
    read = [r for r in read_workbook(out.getvalue()) if r.kind == "change"]
    assert read and not any(k.startswith("cost_") for r in read for k in r.values)
    result = raid_xlsx.import_xlsx(program, out.getvalue(), DEMO_DAY)
    assert result.added == {"change": 1}
    made = db.session.scalars(
        select(ChangeRequest).where(ChangeRequest.title == "One more training day")
    ).one()
    impact = changes.impact_of(program, made)
    assert impact is not None and impact.cost is not None
    assert impact.cost.currency != "XXX" and impact.cost.delta != -999999
