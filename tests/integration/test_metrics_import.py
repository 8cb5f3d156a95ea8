"""Importing readings from CSV and .xlsx: all or nothing, with row and column in every error."""

from __future__ import annotations

import io
from datetime import timedelta
from html import unescape

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from planner.models import MetricReading
from planner.services import metrics as service
from tests.integration.metrics_support import TODAY, make_program, metric, snapshot

#: the pages judge on today: a frozen one (the `today` fixture of tests/conftest.py)
pytestmark = pytest.mark.usefixtures("today")

D1 = (TODAY - timedelta(days=14)).isoformat()
D2 = (TODAY - timedelta(days=7)).isoformat()
OUTSIDE = (TODAY - timedelta(days=400)).isoformat()


@pytest.fixture()
def program(db):
    return make_program()


def _post(client, program, body: bytes, filename: str, metric_id: str = ""):
    return client.post(
        f"/programs/{program.id}/metrics/import",
        data={"file": (io.BytesIO(body), filename), "metric": metric_id},
        content_type="multipart/form-data",
    )


def _readings(db):
    return sorted(
        (r.metric.key, r.day.isoformat(), r.value, r.note)
        for r in db.session.scalars(select(MetricReading))
    )


def test_csv_utf8_import_adds_every_row(client, db, program) -> None:
    body = (
        "Metric,Date,Value,Note\n"
        f"active-users,{D1},45%,pilot\n"
        f"Active users (% of licensed users),{D2},52,\n"
        f"duplicate-rate,{D2},7.5,after clean-up\n"
    ).encode()
    response = _post(client, program, body, "readings.csv")
    assert response.status_code == 302
    assert _readings(db) == [
        ("active-users", D1, 45.0, "pilot"),
        ("active-users", D2, 52.0, ""),
        ("duplicate-rate", D2, 7.5, "after clean-up"),
    ]


def test_csv_with_bom_and_gb18030_with_chinese_names(client, db, program) -> None:
    bom = b"\xef\xbb\xbf" + f"Metric,Date,Value\nactive-users,{D1},45\n".encode()
    assert _post(client, program, bom, "bom.csv").status_code == 302
    chinese = f"指标,日期,数值,备注\n重复记录率,{D1},7.5,清理之后\n".encode("gb18030")
    assert _post(client, program, chinese, "读数.csv").status_code == 302
    assert _readings(db) == [
        ("active-users", D1, 45.0, ""),
        ("duplicate-rate", D1, 7.5, "清理之后"),
    ]


def test_xlsx_import(client, db, program) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Metric", "Date", "Value", "Note"])
    sheet.append(["weekly-logins", TODAY - timedelta(days=14), 2.5, "from the audit log"])
    sheet.append(["weekly-logins", D2, "3", None])
    buffer = io.BytesIO()
    book.save(buffer)
    response = _post(client, program, buffer.getvalue(), "readings.xlsx")
    assert response.status_code == 302
    assert _readings(db) == [
        ("weekly-logins", D1, 2.5, "from the audit log"),
        ("weekly-logins", D2, 3.0, ""),
    ]


def test_one_bad_row_imports_nothing_and_every_problem_is_listed(client, db, program) -> None:
    service.add_reading(program, metric(program, "active-users"), TODAY - timedelta(days=7), 50.0)
    db.session.commit()
    body = (
        "Metric,Date,Value,Note\n"
        f"active-users,{D1},45,fine\n"  # row 2: fine on its own
        f"active-users,{OUTSIDE},45,\n"  # row 3: before the program
        f"active-users,{D2},46,\n"  # row 4: already stored
        f"duplicate-rate,{D1},lots,\n"  # row 5: not a number
        f"contact-completeness,{D1},130,\n"  # row 6: percentage above 100
        f"no-such-metric,{D1},1,\n"  # row 7
        f"duplicate-rate,31/12/2024,4,\n"  # row 8: unreadable date
        f"active-users,{D1},47,\n"  # row 9: same day as row 2
    ).encode()
    before = snapshot()
    response = _post(client, program, body, "readings.csv")
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert "Nothing was imported." in html
    expected = [
        'row 3, column "Date"',
        "is outside the program",
        'row 4, column "Date"',
        "there is already a reading",
        'row 5, column "Value"',
        'expected a number, got "lots"',
        'row 6, column "Value"',
        "a percentage must be from 0 to 100, got 130",
        'row 7, column "Metric"',
        'unknown metric "no-such-metric"',
        'row 8, column "Date"',
        'expected a date like 2024-03-31, got "31/12/2024"',
        'row 9, column "Date"',
        "row 2 already has a reading",
    ]
    for part in expected:
        assert part in html, part
    # the problems are listed in row order
    positions = [html.index(f"row {n}, column") for n in (3, 4, 5, 6, 7, 8, 9)]
    assert positions == sorted(positions)
    assert snapshot() == before


def test_import_into_one_metric_needs_no_metric_column(client, db, program) -> None:
    m = metric(program, "junk-order-rate")
    body = f"Date,Value\n{D1},12\n{D2},11.5\n".encode()
    response = _post(client, program, body, "junk.csv", str(m.id))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/metrics/{m.id}")
    assert _readings(db) == [("junk-order-rate", D1, 12.0, ""), ("junk-order-rate", D2, 11.5, "")]


def test_rows_for_another_metric_are_refused_on_a_metric_import(client, db, program) -> None:
    m = metric(program, "junk-order-rate")
    body = f"Metric,Date,Value\nactive-users,{D1},40\n".encode()
    before = snapshot()
    response = _post(client, program, body, "x.csv", str(m.id))
    assert response.status_code == 422
    assert 'this file is imported into "Junk-order rate"' in unescape(response.get_data(True))
    assert snapshot() == before


@pytest.mark.parametrize(
    ("body", "filename", "message"),
    [
        (f"Date,Value\n{D1},1\n".encode(), "x.csv", 'needs a "Metric" column'),
        (b"Metric,When,Value\nx,1,2\n", "x.csv", 'needs a "Date" column'),
        (b"Metric,Date,Value\n", "x.csv", "no readings below its header row"),
        (b"", "x.csv", "the file is empty"),
        (b"\x80\x81\xff\xfe,1", "x.csv", "neither UTF-8 nor GB18030"),
        (b"%PDF-1.4", "x.pdf", "expected a .csv or .xlsx file"),
        (b"PK\x03\x04garbage", "x.xlsx", "not an .xlsx workbook"),
    ],
)
def test_unreadable_files_are_refused(client, db, program, body, filename, message) -> None:
    before = snapshot()
    response = _post(client, program, body, filename)
    assert response.status_code == 422
    assert message in unescape(response.get_data(as_text=True))
    assert snapshot() == before


def test_no_file_chosen(client, db, program) -> None:
    response = client.post(
        f"/programs/{program.id}/metrics/import", data={}, content_type="multipart/form-data"
    )
    assert response.status_code == 422
    assert "Choose a file." in response.get_data(as_text=True)


def test_exported_file_imports_back_into_an_empty_program(client, db, program) -> None:
    service.add_reading(
        program, metric(program, "active-users"), TODAY - timedelta(days=7), 50.0, "=1+1"
    )
    db.session.commit()
    exported = client.get(f"/programs/{program.id}/metrics/readings.csv").get_data()
    other = make_program("Other")
    assert _post(client, other, exported, "export.csv").status_code == 302
    copied = db.session.scalars(
        select(MetricReading).where(MetricReading.metric_id == metric(other, "active-users").id)
    ).one()
    assert (copied.value, copied.note) == (50.0, "=1+1")
