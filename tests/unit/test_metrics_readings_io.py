"""Reading files of metric readings: CSV (UTF-8, BOM, GB18030, ; and tab) and .xlsx."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from planner.domain.errors import ImportFormatError
from planner.interop.readings import decode_text, parse_day, read, write_csv


def _xlsx(rows: list[list[object]], title: str = "Sheet") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_csv_utf8_with_and_without_bom_gives_the_same_table() -> None:
    text = "Metric,Date,Value,Note\nactive-users,2024-03-04,45%,pilot\nactive-users,2024/3/11,50,\n"
    plain = read(text.encode("utf-8"), "r.csv")
    bom = read(b"\xef\xbb\xbf" + text.encode("utf-8"), "r.csv")
    assert plain == bom
    assert plain.metric_column == "Metric" and plain.date_column == "Date"
    assert [(r.row, r.metric, r.day, r.value, r.note) for r in plain.rows] == [
        (2, "active-users", date(2024, 3, 4), "45%", "pilot"),
        (3, "active-users", date(2024, 3, 11), "50", ""),
    ]
    assert plain.errors == []


def test_csv_gb18030_with_chinese_headers_and_names() -> None:
    text = "指标,日期,数值,备注\n活跃用户,2024年3月4日,45,试点\n"
    table = read(text.encode("gb18030"), "读数.csv")
    assert (table.metric_column, table.date_column, table.value_column, table.note_column) == (
        "指标",
        "日期",
        "数值",
        "备注",
    )
    (row,) = table.rows
    assert (row.metric, row.day, row.value, row.note) == (
        "活跃用户",
        date(2024, 3, 4),
        "45",
        "试点",
    )


@pytest.mark.parametrize("sep", [";", "\t"])
def test_csv_separator_is_taken_from_the_header(sep: str) -> None:
    text = sep.join(["Date", "Value"]) + "\n" + sep.join(["2024-03-04", "4,5"]) + "\n"
    table = read(text.encode(), "r.csv")
    assert table.metric_column is None
    assert table.rows[0].value == "4,5"


def test_unreadable_dates_are_reported_with_row_and_column_and_blank_lines_skipped() -> None:
    text = "Date,Value\n04/03/2024,1\n\n2024-02-30,2\n,3\n2024-03-06T10:00:00,4\n"
    table = read(text.encode(), "r.csv")
    assert [r.row for r in table.rows] == [2, 4, 5, 6]
    assert table.rows[-1].day == date(2024, 3, 6)
    assert [(str(p.field), p.code, dict(p.params)) for p in table.errors] == [
        ('row 2, column "Date"', "readings.not_a_date", {"text": "04/03/2024"}),
        ('row 4, column "Date"', "readings.no_such_day", {"text": "2024-02-30"}),
        ('row 5, column "Date"', "readings.date_required", {}),
    ]


def test_missing_columns_and_empty_files_are_refused() -> None:
    with pytest.raises(ImportFormatError) as caught:
        read(b"Metric,When,Amount\nx,2024-01-01,1\n", "r.csv")
    ((field, code, params),) = [(p.field, p.code, p.params) for p in caught.value.problems]
    assert (field, code, params["need"]) == (
        "columns",
        "readings.columns_missing",
        '"Date", "Value"',
    )
    assert '"When"' in str(caught.value)
    with pytest.raises(ImportFormatError, match="empty"):
        read(b"", "r.csv")
    with pytest.raises(ImportFormatError, match="empty"):
        read(b"\n ,\n", "r.csv")


def test_undecodable_text_and_unknown_formats_are_refused() -> None:
    with pytest.raises(ImportFormatError, match="neither UTF-8 nor GB18030"):
        decode_text(b"Date,Value\n\x80\xff,1\n")
    with pytest.raises(ImportFormatError, match=".csv or .xlsx"):
        read(b"whatever", "readings.pdf")
    with pytest.raises(ImportFormatError, match=r"\.xls files are not supported"):
        read(b"\xd0\xcf\x11\xe0rest", "old.xls")
    with pytest.raises(ImportFormatError, match="not (a readable|an) .xlsx"):
        read(b"PK\x03\x04 broken zip", "r.xlsx")


def test_xlsx_with_dates_numbers_and_a_readings_sheet() -> None:
    data = _xlsx(
        [
            ["metric", "date", "value", "note"],
            ["duplicate-rate", datetime(2024, 3, 4), 4.5, None],
            [None, None, None, None],
            ["duplicate-rate", "2024-03-11", "4.1", "=cmd|' /C calc'!A0"],
        ],
        title="Readings",
    )
    table = read(data, "upload.xlsx")
    assert [(r.row, r.day, r.value) for r in table.rows] == [
        (2, date(2024, 3, 4), 4.5),
        (4, date(2024, 3, 11), "4.1"),
    ]
    # a formula is never evaluated: without a value cached by a spreadsheet it reads as empty
    assert table.rows[1].note == ""


def test_xlsx_is_recognised_by_content_whatever_the_name() -> None:
    data = _xlsx([["Date", "Value"], [date(2024, 1, 2), 3]])
    assert read(data, "upload.bin").rows[0].value == 3


def test_parse_day_accepts_dates_and_datetimes() -> None:
    assert parse_day(date(2024, 1, 2)) == (date(2024, 1, 2), None)
    assert parse_day(datetime(2024, 1, 2, 13, 0)) == (date(2024, 1, 2), None)
    assert parse_day("2024.1.2") == (date(2024, 1, 2), None)
    assert parse_day(45000)[0] is None


def test_export_neutralises_formulas_and_reads_back_exactly() -> None:
    body = write_csv(
        [
            ("active-users", date(2024, 3, 4), 45.0, '=HYPERLINK("http://x")'),
            ("active-users", date(2024, 3, 11), 45.25, "+ rising"),
        ]
    )
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == ["Metric", "Date", "Value", "Note"]
    assert rows[1] == ["active-users", "2024-03-04", "45", '\'=HYPERLINK("http://x")']
    assert rows[2][2] == "45.25" and rows[2][3] == "'+ rising"
    back = read(body, "export.csv")
    assert [r.note for r in back.rows] == ['=HYPERLINK("http://x")', "+ rising"]
    assert [r.value for r in back.rows] == ["45", "45.25"]
