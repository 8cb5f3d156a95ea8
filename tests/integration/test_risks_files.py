"""The register as .xlsx and .csv: export, import (all or nothing), round trip."""

from __future__ import annotations

import io
from datetime import date

import pytest
from flask_babel import refresh
from openpyxl import Workbook, load_workbook

from planner.extensions import db
from planner.interop import risks as risk_files
from planner.models import AuditEvent
from planner.models.risk import Risk, RiskAction
from planner.services import risks as service
from tests.conftest import FROZEN_TODAY
from tests.integration.risks_support import database_state, item, new_program, risk, text

#: the pages judge on today: a frozen one (the `today` fixture of tests/conftest.py)
pytestmark = pytest.mark.usefixtures("today")
TODAY = FROZEN_TODAY


@pytest.fixture()
def program(db):
    return new_program()


def url(program, path: str) -> str:
    return f"/programs/{program.id}/risks{path}"


def upload(client, program, name: str, data: bytes, replace: bool = False):
    form = {"file": (io.BytesIO(data), name)}
    if replace:
        form["replace"] = "y"
    return client.post(url(program, "/import"), data=form, content_type="multipart/form-data")


def register_of(program) -> dict[str, object]:
    """Everything the register holds, keyed by risk key (no ids): for comparing programs."""
    db.session.expire_all()
    return {record.key: record for record in service.register_records(program.id)}


def customise(program) -> None:
    """A register a lead has worked on for weeks: every kind of value filled somewhere."""
    data = risk(program, "cleaning-legacy-data")
    data.owner = "Sun Hao"
    data.status = "mitigating"
    data.residual_likelihood, data.residual_impact = 2, 3
    data.trigger = "=duplicates > 5%"  # would be a formula in a spreadsheet
    data.contingency = "-load active customers only\n-clean the rest in waves"
    data.proximity_date = date(2026, 6, 30)
    data.proximity_phase_id = program.phases[1].id
    data.review_date = date(2026, 4, 1)
    data.actions = [
        RiskAction(title="Profile data", owner="Sun Hao", due_date=date(2026, 3, 1), done=True),
        RiskAction(title="@merge duplicates", owner=None, due_date=date(2026, 5, 1)),
    ]
    service.link_work_item(data, item(program, "data-profiling").id)
    service.link_work_item(data, item(program, "contact-migration").id)
    service.link_phase(data, program.phases[2].id)
    issue = risk(program, "software-customisation")
    issue.status = "occurred"
    issue.occurred_on = date(2026, 3, 15)
    issue.issue_note = "Custom pricing rules; issue I-3."
    risk(program, "setting-strategic-goals").status = "closed"
    service.create_risk(
        program,
        {
            "key": "R-11",
            "title": "+Key users leave during the pilot",
            "title_zh": "试点期间关键用户离职",
            "category": "people",
            "owner": "Ma Li",
            "likelihood": 3,
            "impact": 4,
            "response": "transfer",
            "description": "Two of five key users applied for internal moves.",
        },
    )
    db.session.commit()


# --------------------------------------------------------------------------- export


def test_xlsx_export_one_row_per_risk_heat_map_sheet_and_neutralised_cells(client, program) -> None:
    customise(program)
    response = client.get(url(program, "/export.xlsx"))
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert (
        'attachment; filename="risk-register-acme-rollout-'
        in response.headers["Content-Disposition"]
    )
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Register", "Heat map", "Actions"]
    sheet = book["Register"]
    assert "Acme rollout" in sheet["A1"].value
    header = [c.value for c in sheet[3]]
    rows = [
        dict(zip(header, (c.value for c in r), strict=True)) for r in sheet.iter_rows(min_row=4)
    ]
    assert len(rows) == len(program.risks)
    by_key = {r["Key"]: r for r in rows}
    data = by_key["cleaning-legacy-data"]
    assert data["Trigger"] == "'=duplicates > 5%"
    assert data["Contingency"].startswith("'-load")
    assert data["Residual score"] == 6 and data["Residual rating"] == "Medium"
    assert data["Threatened work items"] == "data-profiling contact-migration"
    assert "@merge duplicates" in data["Open actions"]
    assert by_key["R-11"]["Title"] == "'+Key users leave during the pilot"
    assert all(c.data_type != "f" for r in sheet.iter_rows() for c in r)
    heat = book["Heat map"]
    counted = sum(
        c.value
        for r in heat.iter_rows(min_row=5, max_row=9, min_col=2, max_col=6)
        for c in r
        if c.value
    )
    assert counted == sum(1 for r in program.risks if r.is_open)


def test_csv_export_is_neutralised(client, program) -> None:
    customise(program)
    response = client.get(url(program, "/export.csv"))
    assert response.status_code == 200 and response.mimetype == "text/csv"
    content = response.data.decode("utf-8-sig")
    assert "'=duplicates > 5%" in content and "'+Key users leave" in content
    assert ",=duplicates" not in content and ",+Key" not in content


# --------------------------------------------------------------------------- round trip


def test_round_trip_into_a_new_program_gives_the_same_register(client, program) -> None:
    customise(program)
    exported = client.get(url(program, "/export.xlsx")).data
    target = new_program("Acme copy")
    response = upload(client, target, "register.xlsx", exported)
    assert response.status_code == 302, text(response)
    assert register_of(target) == register_of(program)
    # importing the same file again changes nothing, not even the audit trail
    before = database_state()
    again = upload(client, target, "register.xlsx", exported)
    assert again.status_code == 302
    assert database_state() == before


def test_csv_round_trip_gives_the_same_register_but_actions(client, program) -> None:
    customise(program)
    exported = client.get(url(program, "/export.csv")).data
    target = new_program("Acme from CSV")
    assert upload(client, target, "register.csv", exported).status_code == 302
    source, copy = register_of(program), register_of(target)
    assert {k: r.__class__(**{**r.__dict__, "actions": ()}) for k, r in source.items()} == copy


def use_language(client, lang: str) -> None:
    assert client.post("/language", data={"lang": lang, "next": "/"}).status_code == 302
    refresh()  # the fixture's app context outlives requests: forget the cached locale


def header_of(data: bytes, fmt: str) -> list[str]:
    if fmt == "csv":
        return data.decode("utf-8-sig").splitlines()[0].split(",")
    sheet = load_workbook(io.BytesIO(data), read_only=True)["Register"]
    return [str(c) for c in next(sheet.iter_rows(min_row=3, max_row=3, values_only=True))]


@pytest.mark.parametrize(
    ("exported_in", "imported_in"), [("zh_Hans_CN", "en"), ("en", "zh_Hans_CN")]
)
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_register_exported_in_one_language_imports_in_either(
    client, program, fmt, exported_in, imported_in
) -> None:
    customise(program)
    use_language(client, exported_in)
    exported = client.get(url(program, f"/export.{fmt}")).data
    language = "zh" if exported_in.startswith("zh") else "en"
    assert header_of(exported, fmt) == [getattr(c, language) for c in risk_files.COLUMNS]
    use_language(client, imported_in)
    target = new_program("Acme copy")
    response = upload(client, target, f"register.{fmt}", exported)
    assert response.status_code == 302, text(response)
    source, copy = register_of(program), register_of(target)
    if fmt == "csv":  # a CSV has no Actions sheet
        source = {k: r.__class__(**{**r.__dict__, "actions": ()}) for k, r in source.items()}
    assert copy == source


def test_bad_cells_of_a_chinese_file_are_named_by_its_headers(client, program) -> None:
    data = "编号,标题,可能性,影响\nR-1,风险一,高,3\nR-2,风险二,2,9\n".encode()
    before = database_state()
    response = upload(client, program, "register.csv", data)
    assert response.status_code == 422
    html = text(response)
    assert 'row 2, column "可能性": expected 1–5, got "高"' in html
    assert 'row 3, column "影响": expected 1–5, got 9' in html
    assert database_state() == before


def test_replace_removes_the_risks_the_file_does_not_list(client, program) -> None:
    small = new_program("Small", "small-business-quick-start")
    exported = client.get(f"/programs/{small.id}/risks/export.xlsx").data
    response = upload(client, program, "small.xlsx", exported, replace=True)
    assert response.status_code == 302
    assert set(register_of(program)) == set(register_of(small))
    assert "removed" in text(client.get(response.headers["Location"]))


# --------------------------------------------------------------------------- import errors


HEADER = "Key,Title,Likelihood,Impact,Status,Proximity phase,Threatened work items\n"


def test_bad_cells_are_all_reported_and_nothing_changes(client, program) -> None:
    rows = [f"R-{n},Risk {n},2,3,open,," for n in range(1, 13)]
    rows += [
        "R-13,Risk 13,high,3,open,,",  # file row 14
        "R-14,Risk 14,0,6,open,nowhere,no-such-item",
        "setting-strategic-goals,Setting strategic goals,3,4,mitigating,,",
    ]
    risk(program, "setting-strategic-goals").status = "closed"
    db.session.commit()
    before = database_state()
    response = upload(client, program, "register.csv", (HEADER + "\n".join(rows) + "\n").encode())
    html = text(response)
    assert response.status_code == 422
    assert "Nothing was imported." in html
    assert 'row 14, column "Likelihood": expected 1–5, got "high"' in html
    assert 'row 15, column "Likelihood": expected 1–5, got 0' in html
    assert 'row 15, column "Impact": expected 1–5, got 6' in html
    assert 'row 15, column "Proximity phase": no phase "nowhere" in this program' in html
    assert (
        'row 15, column "Threatened work items": no work item "no-such-item" in this program'
        in html
    )
    assert 'row 16, column "Status": a risk cannot go from “Closed” to “Mitigating”' in html
    assert database_state() == before


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "register.xlsx",
            b"Key,Title\nR-1,x\n",
            "this is not an .xlsx workbook (not a valid zip file)",
        ),
        ("register.txt", b"Key,Title", 'expected an .xlsx or .csv file, got "register.txt"'),
        ("register.csv", b"Name,Score\n", "no header row found in the register"),
        (
            "register.csv",
            b"Key,Title,Likelihood,Impact\n",
            "the register has a header row but no risks",
        ),
        ("register.csv", b"\xff\xfe\x00K\x00e\x00y", "neither UTF-8 nor GB18030"),
    ],
)
def test_unreadable_files_are_refused(client, program, name, data, message) -> None:
    before = database_state()
    response = upload(client, program, name, data)
    assert response.status_code == 422
    assert message in text(response)
    assert database_state() == before


def test_missing_file_is_refused(client, program) -> None:
    response = client.post(url(program, "/import"), data={}, content_type="multipart/form-data")
    assert response.status_code == 422 and "This field is required." in text(response)


def test_a_file_without_the_required_columns_is_refused(client, program) -> None:
    book = Workbook()
    book.active.append(["Key", "Title", "Likelihood", "Impact"])
    book.active.append(["R-20", "A new one", 2, 2])
    out = io.BytesIO()
    book.save(out)
    assert upload(client, program, "new.xlsx", out.getvalue()).status_code == 302
    assert risk(program, "R-20").score == 4
    before = database_state()
    csv = "Key,Title,Owner\ncleaning-legacy-data,Cleaning legacy data,Sun Hao\nR-21,X,Li\n"
    response = upload(client, program, "partial.csv", csv.encode())
    assert response.status_code == 422
    assert (
        'no header row found in the register: the first 10 rows need "Key", "Title", '
        '"Likelihood", "Impact"' in text(response)
    )
    assert database_state() == before


def test_partial_columns_update_only_those_fields(client, program) -> None:
    target = risk(program, "cleaning-legacy-data")
    likelihood = target.likelihood
    csv = (
        "\ufeffKey,Title,Likelihood,Impact,Owner\n"
        "cleaning-legacy-data,Cleaning legacy data,{},{},孙浩\n"
    )
    data = csv.format(likelihood, target.impact).encode("gb18030")
    response = upload(client, program, "gb.csv", data)
    assert response.status_code == 302, text(response)
    db.session.refresh(target)
    assert target.owner == "孙浩" and target.likelihood == likelihood
    assert target.mitigation  # a column the file lacks is left alone
    assert db.session.query(Risk).filter_by(program_id=program.id).count() == len(program.risks)


def test_import_removes_actions_and_links_the_file_no_longer_lists(client, program) -> None:
    customise(program)
    book = load_workbook(io.BytesIO(client.get(url(program, "/export.xlsx")).data))
    sheet = book["Register"]
    header = [c.value for c in sheet[3]]
    column = header.index("Threatened work items") + 1
    for row in sheet.iter_rows(min_row=4):
        if row[0].value == "cleaning-legacy-data":
            sheet.cell(row=row[0].row, column=column).value = "contact-migration"
    actions = book["Actions"]
    for row in actions.iter_rows(min_row=2):
        if row[1].value == "Profile data":
            actions.delete_rows(row[0].row)
            break
    out = io.BytesIO()
    book.save(out)
    response = upload(client, program, "edited.xlsx", out.getvalue())
    assert response.status_code == 302, text(response)
    data = register_of(program)["cleaning-legacy-data"]
    assert data.threatened_work_items == ("contact-migration",)
    assert [a.title for a in data.actions] == ["@merge duplicates"]
    labels = set(
        db.session.execute(
            db.select(AuditEvent.entity, AuditEvent.entity_label).where(
                AuditEvent.action == "delete"
            )
        ).all()
    )
    assert labels == {
        ("risk_item_link", "cleaning-legacy-data · data-profiling"),
        ("risk_action", "cleaning-legacy-data · Profile data"),
    }
