"""Round-trip editing: a plan exported as .xlsx/.csv, edited and imported again updates the
items by key, after a preview; stale rows are conflicts; both languages survive."""

from __future__ import annotations

import csv as csv_module
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from planner.extensions import db as _db
from planner.models import Dependency, Program, WorkItem
from planner.services import exchange as service
from tests.integration.exchange_support import item, make_program, table_counts, upload


@pytest.fixture()
def program(db):
    program = make_program(db)
    chinese = item(db, program, "interviews-senior")
    chinese.name_zh = "高层访谈"
    db.session.commit()
    return program


def use_language(http, lang: str) -> None:
    assert http.post("/language", data={"lang": lang, "next": "/"}).status_code in (302, 303)
    from flask_babel import refresh

    refresh()


def snapshot(db, program: Program) -> dict[str, tuple]:
    """Every item's edited fields, version and predecessors, by key."""
    db.session.expire_all()
    rows = db.session.scalars(select(WorkItem).where(WorkItem.program_id == program.id)).all()
    key_of = {row.id: row.key for row in rows}
    incoming: dict[str, set[tuple[str, str, int]]] = {}
    for dep in db.session.scalars(select(Dependency).where(Dependency.program_id == program.id)):
        incoming.setdefault(key_of[dep.successor_id], set()).add(
            (key_of[dep.predecessor_id], dep.type, dep.lag_days)
        )
    return {
        row.key: (
            row.name,
            row.name_zh,
            row.phase_id,
            row.kind,
            row.duration_days,
            row.owner,
            row.percent_complete,
            row.constraint_type,
            row.version,
            frozenset(incoming.get(row.key, set())),
        )
        for row in rows
    }


class Sheet:
    """An exported workbook opened for editing as a person would in a spreadsheet."""

    def __init__(self, data: bytes) -> None:
        self.book = load_workbook(io.BytesIO(data))
        self.sheet = self.book.worksheets[0]
        self.columns = {cell.value: cell.column for cell in self.sheet[1]}

    def row_of(self, key: str) -> int:
        for row in range(2, self.sheet.max_row + 1):
            if self.sheet.cell(row=row, column=self.columns["Key"]).value == key:
                return row
        raise KeyError(key)

    def get(self, key: str, column: str) -> object:
        return self.sheet.cell(row=self.row_of(key), column=self.columns[column]).value

    def set(self, key: str, column: str, value: object) -> None:
        self.sheet.cell(row=self.row_of(key), column=self.columns[column]).value = value

    def append(self, values: dict[str, object]) -> None:
        row = self.sheet.max_row + 1
        for column, value in values.items():
            self.sheet.cell(row=row, column=self.columns[column]).value = value

    def data(self) -> bytes:
        out = io.BytesIO()
        self.book.save(out)
        return out.getvalue()


def three_edits(data: bytes) -> tuple[bytes, dict[str, object]]:
    """One duration changed, one row added, one dependency changed."""
    sheet = Sheet(data)
    duration = sheet.get("interviews-senior", "Duration (days)")
    assert isinstance(duration, int)
    sheet.set("interviews-senior", "Duration (days)", duration + 3)
    survey_id = sheet.get("current-state-survey", "ID")
    old_preds = sheet.get("interviews-middle", "Predecessors")
    sheet.set("interviews-middle", "Predecessors", f"{survey_id}SS+2d")
    phase = sheet.get("interviews-senior", "Phase")
    new_id = sheet.sheet.max_row  # IDs run 1…n on rows 2…n+1
    sheet.append(
        {
            "ID": new_id,
            "Key": "sponsor-check-in",
            "Name": "Sponsor check-in",
            "Phase": phase,
            "Duration (days)": 2,
            "Predecessors": str(sheet.get("interviews-senior", "ID")),
        }
    )
    return sheet.data(), {"duration": duration, "old_preds": old_preds, "phase": phase}


def test_the_xlsx_carries_versions_and_the_other_language(client, program) -> None:
    sheet = Sheet(client.get(f"/programs/{program.id}/exchange/plan.xlsx").data)
    assert "Version" in sheet.columns and "Name (Chinese)" in sheet.columns
    assert sheet.get("interviews-senior", "Name (Chinese)") == "高层访谈"
    assert (
        sheet.get("interviews-senior", "Version") == item(_db, program, "interviews-senior").version
    )


def test_an_edited_xlsx_reimports_as_exactly_its_three_changes(client, db, program) -> None:
    exported = client.get(f"/programs/{program.id}/exchange/plan.xlsx").data
    edited, was = three_edits(exported)
    before = snapshot(db, program)
    counts = table_counts(db)

    # the preview lists exactly the three changes and writes nothing
    response = upload(client, f"/programs/{program.id}/exchange/update", "plan.xlsx", edited)
    assert response.status_code == 200, response.get_data(as_text=True)
    page = response.get_data(as_text=True)
    assert "2 work items change, 1 are new." in page
    assert table_counts(db) == counts and snapshot(db, program) == before
    current, incoming = service.read_update(program, "plan.xlsx", edited)
    preview = service.preview_update(program, current, incoming)
    changes = preview.changes
    assert {(c.key, x.field) for c in changes.updated for x in c.changes} == {
        ("interviews-senior", "duration"),
        ("interviews-middle", "predecessors"),
    }
    assert [c.key for c in changes.added] == ["sponsor-check-in"]
    assert changes.removed == () and changes.conflicts == ()
    # "what moved": the interviews start as before and finish 3 working days later
    moves = {m.key: m for m in preview.moves}
    assert (moves["interviews-senior"].start_shift, moves["interviews-senior"].finish_shift) == (
        0,
        3,
    )
    assert moves["sponsor-check-in"].new_item

    # applying: those three changes and nothing else
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', page)
    fingerprint = re.search(r'name="fingerprint" type="hidden" value="([^"]+)"', page)
    assert token and fingerprint
    response = client.post(
        f"/programs/{program.id}/exchange/update/apply",
        data={"token": token[1], "fingerprint": fingerprint[1], "filename": "plan.xlsx"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    after = snapshot(db, program)
    assert set(after) == set(before) | {"sponsor-check-in"}
    survey = "current-state-survey"
    for key, values in before.items():
        if key == "interviews-senior":
            assert after[key][4] == was["duration"] + 3
            assert after[key][:4] + after[key][5:8] == values[:4] + values[5:8]
            assert after[key][9] == values[9]
            assert after[key][8] == values[8] + 1  # one new version
        elif key == "interviews-middle":
            assert after[key][9] == {(survey, "SS", 2)}
            assert after[key][:9] == values[:9]  # the item itself is untouched
        else:
            assert after[key] == values, key
    new = after["sponsor-check-in"]
    assert (new[0], new[3], new[4]) == ("Sponsor check-in", "task", 2)
    assert new[9] == {("interviews-senior", "FS", 0)}
    # and the same file again changes nothing more
    current, incoming = service.read_update(program, "plan.xlsx", edited)
    assert service.preview_update(program, current, incoming).changes.empty


def test_a_stale_row_is_a_conflict_and_is_left_as_it_is(client, db, program) -> None:
    exported = client.get(f"/programs/{program.id}/exchange/plan.xlsx").data
    sheet = Sheet(exported)
    duration = sheet.get("interviews-senior", "Duration (days)")
    sheet.set("interviews-senior", "Duration (days)", duration + 5)
    sheet.set("diagnosis-plan", "Owner", "Li Lei")
    # meanwhile someone else edits interviews-senior in the app
    row = item(db, program, "interviews-senior")
    row.owner = "Zhang Wei"
    db.session.commit()
    version_now = row.version
    current, incoming = service.read_update(program, "plan.xlsx", sheet.data())
    changes = service.preview_update(program, current, incoming).changes
    assert [(c.key, c.exported, c.current) for c in changes.conflicts] == [
        ("interviews-senior", version_now - 1, version_now)
    ]
    assert {(x.field, x.old, x.new) for x in changes.conflicts[0].changes} == {
        ("duration", duration, duration + 5),
        ("owner", "Zhang Wei", None),
    }
    assert [c.key for c in changes.updated] == ["diagnosis-plan"]
    response = upload(client, f"/programs/{program.id}/exchange/update", "p.xlsx", sheet.data())
    assert "changed by someone else since the export" in response.get_data(as_text=True)
    service.apply_update(program, current, incoming, changes.fingerprint())
    db.session.commit()
    db.session.expire_all()
    row = item(db, program, "interviews-senior")
    assert (row.duration_days, row.owner) == (duration, "Zhang Wei")
    assert item(db, program, "diagnosis-plan").owner == "Li Lei"


def test_a_confirmation_of_an_outdated_preview_changes_nothing(client, db, program) -> None:
    edited, _was = three_edits(client.get(f"/programs/{program.id}/exchange/plan.xlsx").data)
    page = upload(client, f"/programs/{program.id}/exchange/update", "p.xlsx", edited)
    text = page.get_data(as_text=True)
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', text)
    assert token
    before = snapshot(db, program)
    response = client.post(
        f"/programs/{program.id}/exchange/update/apply",
        data={"token": token[1], "fingerprint": "0" * 32, "filename": "p.xlsx"},
    )
    assert response.status_code == 409
    assert "changed while you were looking at the preview" in response.get_data(as_text=True)
    assert snapshot(db, program) == before


def test_a_bad_update_file_says_why_and_changes_nothing(client, db, program) -> None:
    before = snapshot(db, program)
    xml = client.get(f"/programs/{program.id}/exchange/plan.xml").data
    response = upload(client, f"/programs/{program.id}/exchange/update", "plan.xml", xml)
    assert response.status_code == 422
    assert "Only a .csv or .xlsx file updates the plan" in response.get_data(as_text=True)
    sheet = Sheet(client.get(f"/programs/{program.id}/exchange/plan.xlsx").data)
    sheet.set("interviews-middle", "Predecessors", str(sheet.get("interviews-middle", "ID")))
    response = upload(client, f"/programs/{program.id}/exchange/update", "p.xlsx", sheet.data())
    assert response.status_code == 422
    assert snapshot(db, program) == before
    sheet = Sheet(client.get(f"/programs/{program.id}/exchange/plan.xlsx").data)
    sheet.append(
        {
            "ID": 999,
            "Key": "sponsor check in",
            "Name": "Sponsor",
            "Duration (days)": 1,
            "Phase": sheet.get("interviews-senior", "Phase"),
        }
    )
    response = upload(client, f"/programs/{program.id}/exchange/update", "p.xlsx", sheet.data())
    assert response.status_code == 422
    assert "key may hold only letters, digits" in response.get_data(as_text=True)
    assert snapshot(db, program) == before


def test_a_csv_round_trip_in_chinese_keeps_both_names(client, db, program) -> None:
    use_language(client, "zh_Hans_CN")
    data = client.get(f"/programs/{program.id}/exchange/plan.csv").data
    rows = list(csv_module.reader(io.StringIO(data.decode("utf-8-sig"))))
    header = rows[0]
    assert "名称" in header and "名称（英文）" in header
    name, english = header.index("名称"), header.index("名称（英文）")
    senior = next(r for r in rows if "interviews-senior" in r)
    assert (senior[name], senior[english]) == (
        "高层访谈",
        item(db, program, "interviews-senior").name,
    )
    senior[name] = "高层访谈（第一轮）"
    out = io.StringIO()
    csv_module.writer(out, lineterminator="\r\n").writerows(rows)
    edited = out.getvalue().encode("utf-8-sig")
    response = upload(client, f"/programs/{program.id}/exchange/update", "p.csv", edited)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "高层访谈（第一轮）" in text
    english_before = item(db, program, "interviews-senior").name
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', text)
    fingerprint = re.search(r'name="fingerprint" type="hidden" value="([^"]+)"', text)
    assert token and fingerprint
    applied = client.post(
        f"/programs/{program.id}/exchange/update/apply",
        data={"token": token[1], "fingerprint": fingerprint[1], "filename": "p.csv"},
    )
    assert applied.status_code == 302
    db.session.expire_all()
    senior = item(db, program, "interviews-senior")
    assert (senior.name, senior.name_zh) == (english_before, "高层访谈（第一轮）")
    # a new program from the Chinese file, in the English interface, has both names
    use_language(client, "en")
    response = upload(client, "/programs/import", "plan.csv", data, client="Acme", name="Copy")
    assert response.status_code == 302, response.get_data(as_text=True)
    copy = _db.session.scalars(select(Program).where(Program.name == "Copy")).one()
    copied = item(db, copy, "interviews-senior")
    original = item(db, program, "interviews-senior")
    assert (copied.name, copied.name_zh) == (original.name, "高层访谈")
