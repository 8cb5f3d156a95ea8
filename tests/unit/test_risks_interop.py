"""The register as a spreadsheet: neutralising cells, reading .xlsx/.csv, refusing bad files."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from planner.domain.errors import ImportFormatError, Problem
from planner.domain.risk import DEFAULT_SCALE
from planner.interop import risks as files
from planner.interop.neutralise import needs_neutralising, neutralise, restore

LABELS = {"low": "Low", "medium": "Medium", "high": "High", "critical": "Critical"}
COLOURS = {"low": "#c8e6c9", "medium": "#fff3b0", "high": "#ffd8a8", "critical": "#ffcdd2"}


# --------------------------------------------------------------------------- neutralise


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        (
            '=HYPERLINK("http://evil.example","click")',
            '\'=HYPERLINK("http://evil.example","click")',
        ),
        ("+31 20 555", "'+31 20 555"),
        ("-5% adoption", "'-5% adoption"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("'=already quoted", "''=already quoted"),
        ("Plain text", "Plain text"),
        ("'just a quote", "'just a quote"),
        ("", ""),
        ("数据清理", "数据清理"),
    ],
)
def test_neutralise_and_restore_are_inverse(text: str, expected: str) -> None:
    assert neutralise(text) == expected
    assert restore(neutralise(text)) == text


@pytest.mark.parametrize("value", [3, 2.5, None, dt.date(2026, 1, 2), True])
def test_non_strings_are_left_alone(value: object) -> None:
    assert neutralise(value) == value
    assert restore(value) == value


def test_needs_neutralising_covers_every_trigger() -> None:
    assert all(needs_neutralising(c + "x") for c in ("=", "+", "-", "@", "\t", "\r"))
    assert not needs_neutralising("x=1")


@pytest.mark.parametrize("text", ["'=", "''=", "'''=x", "''-5", "'", "''", "'quoted", "''x"])
def test_quotes_before_a_trigger_come_back_as_they_were(text: str) -> None:
    # a plan's owner "''=" once came back as "'=" (found by the CSV round-trip property)
    assert restore(neutralise(text)) == text


# --------------------------------------------------------------------------- writing


def record(key: str = "R-1", **values: object) -> files.RiskRecord:
    base: dict[str, object] = {"key": key, "title": f"Risk {key}", "likelihood": 3, "impact": 4}
    base.update(values)
    return files.RiskRecord(**base)


def write(records: list[files.RiskRecord], lang: str = "en") -> bytes:
    return files.write_xlsx(
        records,
        title="Acme",
        scale=DEFAULT_SCALE,
        band_labels=LABELS,
        band_colours=COLOURS,
        as_of=dt.date(2026, 5, 4),
        lang=lang,
    )


def test_xlsx_has_register_heat_map_and_actions_sheets_with_text_cells() -> None:
    data = write(
        [
            record(
                "R-1",
                title="=cmd|' /C calc'!A0",
                owner="+Li",
                mitigation="@risk",
                status="mitigating",
                residual_likelihood=2,
                review_date=dt.date(2026, 6, 1),
                actions=(files.ActionRecord("-train", "Wang", dt.date(2026, 5, 1)),),
            ),
            record("R-2", likelihood=5, impact=5, status="closed"),
        ]
    )
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Register", "Heat map", "Actions"]
    sheet = book["Register"]
    header = [c.value for c in sheet[3]]
    assert header[:7] == ["Key", "Title", "Category", "Owner", "Status", "Likelihood", "Impact"]
    row = {h: c for h, c in zip(header, sheet[4], strict=True)}
    # user strings are text cells, neutralised: nothing becomes a formula
    assert row["Title"].data_type == "s"
    assert row["Title"].value == "'=cmd|' /C calc'!A0"
    assert row["Owner"].value == "'+Li"
    assert row["Mitigation"].value == "'@risk"
    assert all(cell.data_type != "f" for r in sheet.iter_rows() for cell in r)
    assert row["Inherent score"].value == 12
    assert row["Inherent rating"].value == "High"
    assert row["Residual score"].value == 8
    assert row["Residual rating"].value == "Medium"
    assert row["Next review"].value == dt.datetime(2026, 6, 1)
    assert "overdue 2026-05-01" in row["Open actions"].value
    actions = book["Actions"]
    assert [c.value for c in actions[2]] == [
        "R-1",
        "'-train",
        "Wang",
        dt.datetime(2026, 5, 1),
        "no",
    ]
    heat = book["Heat map"]
    # residual grid (columns I–N): likelihood 2 × impact 4 holds the one open risk; R-2 is closed
    cells = {(c.row, c.column): c.value for r in heat.iter_rows() for c in r if c.value}
    # rows 5..9 are likelihood 5..1; column 9 + impact
    assert cells[(5 + (5 - 2), 9 + 4)] == 1
    assert cells[(5 + (5 - 3), 1 + 4)] == 1  # inherent 3 × 4
    assert (5, 1 + 5) not in cells  # the closed 5 × 5 risk is not counted


def test_csv_export_is_neutralised_with_bom() -> None:
    data = files.write_csv(
        [record(title="=1+2", owner="-x")],
        scale=DEFAULT_SCALE,
        band_labels=LABELS,
        as_of=dt.date(2026, 5, 4),
    )
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert "'=1+2" in text and "'-x" in text
    assert ",=1+2" not in text


def test_chinese_headers_on_export_are_read_back() -> None:
    data = write([record("R-1", title="数据", category="数据")], lang="zh")
    book = load_workbook(io.BytesIO(data))
    assert book["Register"].cell(row=3, column=1).value == "编号"
    register = files.read_register("r.xlsx", data)
    assert register.rows[0].values["title"] == "数据"


def test_records_round_trip_through_xlsx() -> None:
    originals = [
        record(
            "R-1",
            title="=not a formula",
            category="people",
            owner="Li",
            status="mitigating",
            response="escalate",
            mitigation="line one\nline two",
            residual_likelihood=2,
            residual_impact=3,
            contingency="-plan B",
            trigger="@trigger",
            proximity_date=dt.date(2026, 7, 1),
            proximity_phase="foundation",
            review_date=dt.date(2026, 6, 1),
            threatened_phases=("foundation", "integration"),
            threatened_work_items=("sfa-uat",),
            description="d",
            cause="c",
            effect="e",
            issue_note="",
            rank=2,
            title_zh="标题",
            description_zh=None,
            mitigation_zh="缓解",
            actions=(
                files.ActionRecord("Train", "Wang", dt.date(2026, 5, 1), False),
                files.ActionRecord("=Done one", None, None, True),
            ),
        ),
        record("R-10", status="occurred", occurred_on=dt.date(2026, 4, 1), issue_note="issue"),
    ]
    register = files.read_register("register.xlsx", write(originals))
    for original, row in zip(originals, register.rows, strict=True):
        assert dict(row.values) == files.record_values(original)
    assert register.actions is not None
    assert [(a.risk_key, a.action) for a in register.actions] == [
        ("R-1", files.ActionRecord("Train", "Wang", dt.date(2026, 5, 1), False)),
        ("R-1", files.ActionRecord("=Done one", None, None, True)),
    ]


# --------------------------------------------------------------------------- reading


HEADER = "Key,Title,Likelihood,Impact,Status,Next review\n"


def csv_bytes(*rows: str, encoding: str = "utf-8") -> bytes:
    return (HEADER + "".join(r + "\n" for r in rows)).encode(encoding)


def problems_of(filename: str, data: bytes) -> list[Problem]:
    with pytest.raises(ImportFormatError) as caught:
        files.read_register(filename, data)
    return list(caught.value.problems)


def errors_of(filename: str, data: bytes) -> list[str]:
    """Each problem as ``where: code`` (the place in English, as logs show it)."""
    return [f"{p.field or 'file'}: {p.code}" for p in problems_of(filename, data)]


def test_every_bad_cell_is_reported_with_row_and_column() -> None:
    good = [f"R-{n},Risk {n},2,3,open," for n in range(1, 13)]
    data = csv_bytes(
        *good,
        "R-13,Risk 13,high,3,open,",  # row 14 of the file
        "R-14,Risk 14,0,6,done,soon",
        "R-15,,,3,,2026-02-30",
        "R-1,Duplicate,1,1,,",
    )
    assert errors_of("register.csv", data) == [
        'row 14, column "Likelihood": risk.level',
        'row 15, column "Likelihood": risk.level',
        'row 15, column "Impact": risk.level',
        'row 15, column "Status": risk.file.choice',
        'row 15, column "Next review": risk.file.date',
        'row 16, column "Title": risk.file.text_empty',
        'row 16, column "Likelihood": risk.file.level_empty',
        'row 16, column "Next review": risk.file.date',
        'row 17, column "Key": risk.file.key_twice',
    ]
    params = [dict(p.params) for p in problems_of("register.csv", data)]
    assert params[0] == {"value": '"high"'}
    assert params[3] == {"known": "open, mitigating, closed, occurred", "value": '"done"'}
    assert params[-1] == {"key": "R-1", "row": "2"}


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("utf-8"),
        lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
        lambda text: text.encode("gb18030"),
    ],
    ids=["utf-8", "utf-8 with BOM", "gb18030"],
)
def test_csv_in_utf8_with_or_without_bom_and_gb18030(encode) -> None:
    text = "编号,标题,可能性,影响,负责人\nR-1,清理原始数据,4,3,孙浩\n"
    register = files.read_register("登记册.csv", encode(text))
    (row,) = register.rows
    assert dict(row.values) == {
        "key": "R-1",
        "title": "清理原始数据",
        "likelihood": 4,
        "impact": 3,
        "owner": "孙浩",
    }
    assert register.actions is None


def test_semicolon_csv_and_title_rows_above_the_header() -> None:
    data = "Risk register — Acme\n\nKey;Title;Likelihood;Impact;Remarks\nR-1;A;2;2;x\n"
    register = files.read_register("r.csv", data.encode())
    assert register.rows[0].row == 4
    assert register.ignored_headers == ("Remarks",)


def test_missing_header_is_explained() -> None:
    (problem,) = problems_of("r.csv", b"Name,Score\nA,3\n")
    assert (problem.field, problem.code) == ("", "risk.file.no_header")
    assert problem.params == {"rows": "10", "names": '"Key", "Title", "Likelihood", "Impact"'}


def test_unknown_extension_is_refused() -> None:
    (problem,) = problems_of("register.pdf", b"%PDF")
    assert (problem.code, problem.params) == ("risk.file.kind", {"name": "register.pdf"})


def test_xlsx_that_is_not_a_zip_is_refused_before_opening() -> None:
    assert errors_of("register.xlsx", b"Key,Title\nR-1,x\n") == ["file: risk.file.not_zip"]


def test_zip_without_a_workbook_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert errors_of("register.xlsx", out.getvalue()) == ["file: risk.file.zip_not_xlsx"]


def test_zip_bomb_is_refused_before_opening(monkeypatch) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (2 * 1024 * 1024))
    data = out.getvalue()
    assert len(data) < 20_000  # tiny on disk …
    monkeypatch.setattr(files.read, "MAX_UNPACKED_BYTES", 1024 * 1024)  # … huge unpacked
    (problem,) = problems_of("bomb.xlsx", data)
    assert problem.code == "risk.file.unpacks"
    assert problem.params["size"] > 2 * 1024 * 1024  # type: ignore[operator]  # an int
    assert problem.params["max"] == 1024 * 1024


def test_huge_upload_is_refused(monkeypatch) -> None:
    monkeypatch.setattr(files.read, "MAX_FILE_BYTES", 100)
    for name in ("r.xlsx", "r.csv"):
        (problem,) = problems_of(name, b"x" * 101)
        assert (problem.code, problem.params) == ("risk.file.too_big", {"size": 101, "max": 100})


def test_damaged_workbook_is_reported_not_raised() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("xl/workbook.xml", "not xml at all")
        archive.writestr("[Content_Types].xml", "nope")
    assert errors_of("broken.xlsx", out.getvalue()) == ["file: risk.file.unreadable"]


def test_xlsx_cells_typed_by_excel_are_accepted() -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Register"
    sheet.append(["Key", "Title", "Likelihood", "Impact", "Next review", "Rank", "Owner"])
    sheet.append(["R-1", "A", 3.0, "4", dt.datetime(2026, 3, 1), 2.0, 7])
    sheet.append([None, None, None, None, None, None, None])  # blank rows are skipped
    sheet.append(["R-2", "B", 5, 1, "2026/03/02", None, None])
    out = io.BytesIO()
    book.save(out)
    register = files.read_register("r.xlsx", out.getvalue())
    assert [dict(r.values) for r in register.rows] == [
        {
            "key": "R-1",
            "title": "A",
            "likelihood": 3,
            "impact": 4,
            "review_date": dt.date(2026, 3, 1),
            "rank": 2,
            "owner": "7",
        },
        {
            "key": "R-2",
            "title": "B",
            "likelihood": 5,
            "impact": 1,
            "review_date": dt.date(2026, 3, 2),
            "rank": None,
            "owner": None,
        },
    ]
    assert register.actions is None


def test_actions_sheet_errors_name_the_sheet() -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Register"
    sheet.append(["Key", "Title", "Likelihood", "Impact"])
    sheet.append(["R-1", "A", 3, 4])
    actions = book.create_sheet("Actions")
    actions.append(["Risk key", "Action", "Owner", "Due", "Done"])
    actions.append(["R-1", "Train", "Li", "next week", "maybe"])
    actions.append(["R-9", "Orphan", None, None, None])
    out = io.BytesIO()
    book.save(out)
    assert errors_of("r.xlsx", out.getvalue()) == [
        'sheet Actions, row 2, column "Due": risk.file.date',
        'sheet Actions, row 2, column "Done": risk.file.yes_no',
        'sheet Actions, row 3, column "Risk key": risk.file.action_no_risk',
    ]
