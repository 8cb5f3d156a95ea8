"""The plan as a table: CSV and .xlsx both ways, predecessors notation, all-or-nothing errors."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import time
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from openpyxl import Workbook, load_workbook

from planner.domain.errors import ImportFormatError
from planner.interop import plan_table
from planner.interop.plan_table import (
    COLUMNS,
    format_predecessors,
    parse_predecessors,
    read_csv,
    read_xlsx,
    write_csv,
    write_xlsx,
)
from planner.interop.plandata import (
    CalendarData,
    ItemData,
    LinkData,
    PhaseData,
    PlanData,
)
from tests.unit.test_interop_plandata import plans

D = dt.date
HEADER = ",".join(COLUMNS)

PLAN = PlanData(
    "Acme",
    D(2024, 9, 2),
    CalendarData(holidays=frozenset({D(2024, 10, 1)})),
    phases=(
        PhaseData("p1", "Phase 1", 1, D(2024, 9, 2), D(2024, 9, 30)),
        PhaseData("p2", "阶段二", 2, D(2024, 10, 1), D(2024, 12, 31)),
    ),
    items=(
        ItemData(
            "a",
            "Kick-off",
            "p1",
            "milestone",
            0,
            percent_complete=100,
            actual_start=D(2024, 9, 2),
            actual_finish=D(2024, 9, 2),
            early_start=D(2024, 9, 2),
            early_finish=D(2024, 9, 2),
        ),  # fmt: skip
        ItemData(
            "b",
            "=cmd|' /C calc'!A0",
            "p1",
            "task",
            5,
            "Sales",
            "@owner",
            constraint_type="SNET",
            constraint_date=D(2024, 9, 3),
            early_start=D(2024, 9, 3),
            early_finish=D(2024, 9, 9),
        ),  # fmt: skip
        ItemData(
            "c",
            "Train users 培训",
            "p2",
            "task",
            3,
            constraint_type="FNLT",
            constraint_date=D(2024, 10, 1),
        ),  # fmt: skip
    ),
    links=(LinkData("a", "b"), LinkData("a", "c", "SS", 2), LinkData("b", "c", "FF", -1)),
)
PLAN_CSV = (
    HEADER + "\r\n"
    "1,a,Kick-off,Phase 1,,milestone,0,2024-09-02,2024-09-02,100,,,,,2024-09-02,2024-09-02\r\n"
    "2,b,'=cmd|' /C calc'!A0,Phase 1,Sales,task,5,2024-09-03,2024-09-09,0,'@owner,1,SNET,"
    "2024-09-03,,\r\n"
    "3,c,Train users 培训,阶段二,,task,3,,,0,,1SS+2d;2FF-1d,FNLT,2024-10-01,,\r\n"
)


def no_baseline(plan: PlanData) -> PlanData:
    items = tuple(
        dataclasses.replace(i, baseline_start=None, baseline_finish=None) for i in plan.items
    )
    return dataclasses.replace(plan, items=items)


def errors_of(data: bytes, base: PlanData | None = PLAN) -> list[tuple[str, str]]:
    with pytest.raises(ImportFormatError) as caught:
        read_csv(data, base=base)
    return caught.value.errors


def csv_of(*rows: str, header: str = HEADER) -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n").encode()


# --------------------------------------------------------------------------------------------
# predecessors notation


@pytest.mark.parametrize(
    ("links", "text"),
    [
        ([], ""),
        ([(12, "FS", 0)], "12"),
        ([(12, "FS", 2)], "12FS+2d"),
        ([(14, "SS", 0)], "14SS"),
        ([(3, "FF", -1)], "3FF-1d"),
        ([(4, "SF", 10)], "4SF+10d"),
        ([(12, "FS", 2), (14, "SS", 0), (3, "FF", -1)], "12FS+2d;14SS;3FF-1d"),
    ],
)
def test_format_and_parse_predecessors(links: list[tuple[int, str, int]], text: str) -> None:
    assert format_predecessors(links) == text
    assert parse_predecessors(text) == links


@pytest.mark.parametrize(
    ("text", "links"),
    [
        ("12, 14ss", [(12, "FS", 0), (14, "SS", 0)]),
        ("12FS + 2 days；3ff-1天", [(12, "FS", 2), (3, "FF", -1)]),
        ("7+3", [(7, "FS", 3)]),  # no type: finish-to-start
        (" 5 SF -0d ;; ", [(5, "SF", 0)]),
    ],
)
def test_predecessors_are_read_leniently(text: str, links: list[tuple[int, str, int]]) -> None:
    assert parse_predecessors(text) == links


@pytest.mark.parametrize("text", ["12XX", "FS12", "12FS+2w", "12FS+50%", "-3", "1.5"])
def test_bad_predecessors(text: str) -> None:
    with pytest.raises(ValueError, match="is not like 12, 12SS or 12FS"):
        parse_predecessors(text)


# --------------------------------------------------------------------------------------------
# writing


def test_csv_is_utf8_with_bom_crlf_and_neutralised() -> None:
    data = write_csv(PLAN)
    assert data[:3] == b"\xef\xbb\xbf"
    assert data[3:].decode("utf-8") == PLAN_CSV


def test_xlsx_has_text_cells_for_user_text_and_date_cells_for_dates() -> None:
    sheet = load_workbook(io.BytesIO(write_xlsx(PLAN))).worksheets[0]
    assert sheet.title == "Plan"
    assert [c.value for c in sheet[1]] == list(COLUMNS)
    name = sheet.cell(row=3, column=COLUMNS.index("Name") + 1)
    assert (name.value, name.data_type, name.number_format) == ("'=cmd|' /C calc'!A0", "s", "@")
    owner = sheet.cell(row=3, column=COLUMNS.index("Owner") + 1)
    assert owner.value == "'@owner"
    predecessors = sheet.cell(row=3, column=COLUMNS.index("Predecessors") + 1)
    assert (predecessors.value, predecessors.data_type) == ("1", "s")
    start = sheet.cell(row=3, column=COLUMNS.index("Start") + 1)
    assert start.value == dt.datetime(2024, 9, 3) and start.number_format == "yyyy-mm-dd"
    duration = sheet.cell(row=3, column=COLUMNS.index("Duration (days)") + 1)
    assert duration.value == 5 and duration.data_type == "n"
    # no cell of the sheet is a formula
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


# --------------------------------------------------------------------------------------------
# round trips


def test_csv_round_trip() -> None:
    assert read_csv(write_csv(PLAN), base=PLAN) == PLAN


def test_xlsx_round_trip() -> None:
    assert read_xlsx(write_xlsx(PLAN), base=PLAN) == PLAN


def test_round_trips_keep_the_columns_but_not_baselines() -> None:
    with_baseline = dataclasses.replace(
        PLAN,
        items=(dataclasses.replace(PLAN.items[0], baseline_start=D(2024, 9, 2)), *PLAN.items[1:]),
    )
    assert read_csv(write_csv(with_baseline), base=with_baseline) == PLAN
    assert read_xlsx(write_xlsx(with_baseline), base=with_baseline) == PLAN


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_csv_round_trip_property(plan: PlanData) -> None:
    assert read_csv(write_csv(plan), base=plan) == no_baseline(plan)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans(max_items=5))
def test_xlsx_round_trip_property(plan: PlanData) -> None:
    assert read_xlsx(write_xlsx(plan), base=plan) == no_baseline(plan)


def test_phase_labels_stay_unique() -> None:
    # phase "x" is named like the other phase's key, and two phases share a name:
    # those phases are written by key
    phases = (
        PhaseData("x", "Same", 1, D(2024, 9, 2), D(2024, 9, 2)),
        PhaseData("y", "Same", 2, D(2024, 9, 2), D(2024, 9, 2)),
        PhaseData("z", "x", 3, D(2024, 9, 2), D(2024, 9, 2)),
        PhaseData("w", "Unique", 4, D(2024, 9, 2), D(2024, 9, 2)),
    )
    items = tuple(ItemData(f"i{p.key}", "N", p.key, "milestone", 0) for p in phases)
    plan = PlanData("P", D(2024, 9, 2), phases=phases, items=items)
    rows = write_csv(plan).decode("utf-8-sig").splitlines()[1:]
    assert [row.split(",")[3] for row in rows] == ["x", "y", "z", "Unique"]
    assert read_csv(write_csv(plan), base=plan) == plan


# --------------------------------------------------------------------------------------------
# header labels in the interface's language (issue 9)

# what the web layer passes for the Chinese interface (a label per column, made up here so
# that several differ from the built-in MS Project names: only `headers` makes them known)
ZH_LABELS = {
    "ID": "标识号",
    "Key": "编号",
    "Name": "名称",
    "Phase": "阶段",
    "Workstream": "工作流",
    "Type": "类型",
    "Duration (days)": "工期（天）",
    "Start": "开始",
    "Finish": "完成",
    "Percent complete": "完成百分比",
    "Owner": "负责人",
    "Predecessors": "紧前工作项",
    "Constraint": "限制类型",
    "Constraint date": "限制日期",
    "Actual start": "实际开始",
    "Actual finish": "实际完成",
}
EN_LABELS = {name: name for name in COLUMNS}


def test_the_header_row_takes_the_labels_given() -> None:
    data = write_csv(PLAN, headers=ZH_LABELS).decode("utf-8-sig")
    assert data.splitlines()[0] == ",".join(ZH_LABELS[name] for name in COLUMNS)
    assert data.splitlines()[1:] == PLAN_CSV.splitlines()[1:]  # only the header changes
    sheet = load_workbook(io.BytesIO(write_xlsx(PLAN, headers=ZH_LABELS, sheet_title="计划")))
    assert sheet.worksheets[0].title == "计划"
    assert [c.value for c in sheet.worksheets[0][1]] == [ZH_LABELS[n] for n in COLUMNS]
    # a partial mapping keeps the canonical name of the other columns
    assert plan_table.header_row({"Name": "名称"})[:3] == ["ID", "Key", "名称"]


def test_labels_that_would_not_read_back_are_refused() -> None:
    with pytest.raises(ValueError, match='both be headed "start"'):
        write_csv(PLAN, headers={"Finish": "start"})
    with pytest.raises(ValueError, match="not plan columns: Nope"):
        write_csv(PLAN, headers={"Nope": "x"})
    # a name forbidden in a sheet title is made acceptable
    assert load_workbook(io.BytesIO(write_xlsx(PLAN, sheet_title="a/b:[c]"))).sheetnames == [
        "a b  c"
    ]


@pytest.mark.parametrize("written", [ZH_LABELS, EN_LABELS], ids=["zh", "en"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_round_trip_in_either_language(written: dict[str, str], fmt: str) -> None:
    write, read = (write_csv, read_csv) if fmt == "csv" else (write_xlsx, read_xlsx)
    data = write(PLAN, headers=written)
    # the interface accepts both languages, whichever it is in (its own labels first)
    for accepted in ([ZH_LABELS, EN_LABELS], [EN_LABELS, ZH_LABELS]):
        assert read(data, base=PLAN, headers=accepted) == PLAN


def test_labels_unknown_to_the_reader_are_ignored_columns() -> None:
    data = write_csv(PLAN, headers=ZH_LABELS)
    # "编号" and "紧前工作项" are not built-in names: without the labels the keys and links
    # of the file are ignored
    alone = read_csv(data, base=PLAN)
    assert [i.key for i in alone.items] == ["item-1", "item-2", "item-3"]
    assert alone.links == ()
    assert read_csv(data, base=PLAN, headers=[ZH_LABELS]) == PLAN


def test_errors_name_the_column_as_the_file_heads_it() -> None:
    header = ",".join(ZH_LABELS[name] for name in COLUMNS)
    data = csv_of(
        "1,a,A,Phase 1,,,abc,,,,,,,,,",
        "2,b,,Phase 1,,,2,,,200,,99,,,,",
        header=header,
    )
    with pytest.raises(ImportFormatError) as caught:
        read_csv(data, base=PLAN, headers=[EN_LABELS, ZH_LABELS])
    # in row order, then in the order of the columns (not of their Chinese names)
    assert caught.value.errors == [
        ('row 2, column "工期（天）"', 'expected a whole number ≥ 0, got "abc"'),
        ('row 3, column "名称"', "a name is needed"),
        ('row 3, column "完成百分比"', 'expected a whole number from 0 to 100, got "200"'),
        ('row 3, column "紧前工作项"', "unknown ID 99"),
    ]


def test_a_missing_column_is_named_in_the_first_language_given() -> None:
    data = "编号,名称\r\na,A\r\n".encode()
    assert errors_of_with(data, [ZH_LABELS, EN_LABELS]) == [
        ("row 1", 'the column "工期（天）" is missing')
    ]
    assert errors_of_with(data, [EN_LABELS, ZH_LABELS]) == [
        ("row 1", 'the column "Duration (days)" is missing')
    ]


def errors_of_with(data: bytes, headers: list[dict[str, str]]) -> list[tuple[str, str]]:
    with pytest.raises(ImportFormatError) as caught:
        read_csv(data, base=PLAN, headers=headers)
    return caught.value.errors


# --------------------------------------------------------------------------------------------
# reading what people and other tools write


def delimited(text: str, delimiter: str) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(
        csv.reader(io.StringIO(text, newline=""))
    )
    return out.getvalue()


def test_utf8_without_bom_gb18030_semicolons_and_tabs() -> None:
    text = PLAN_CSV
    assert read_csv(text.encode("utf-8"), base=PLAN) == PLAN
    assert read_csv(text.encode("gb18030"), base=PLAN) == PLAN
    semicolons = delimited(text, ";")
    assert '"1SS+2d;2FF-1d"' in semicolons
    assert read_csv(semicolons.encode("gb18030"), base=PLAN) == PLAN
    # a tab-separated file saved as "Unicode text" (UTF-16) by Excel
    assert read_csv(delimited(text, "\t").encode("utf-16"), base=PLAN) == PLAN


def test_chinese_headers_any_order_lenient_cells_and_blank_rows() -> None:
    data = csv_of(
        "1,启动会,阶段二,0 天,里程碑,,2024/9/2,",
        ",,,,,,,",
        "2,设计,阶段二,5个工作日,任务,1FS+1d,2024年9月3日,50%",
        header="标识号,任务名称,阶段,工期,类型,前置任务,开始时间,完成百分比",
    )
    plan = read_csv(data, base=PLAN)
    assert plan.items == (
        ItemData("item-1", "启动会", "p2", "milestone", 0, early_start=D(2024, 9, 2)),
        ItemData("item-2", "设计", "p2", "task", 5, percent_complete=50, early_start=D(2024, 9, 3)),
    )
    assert plan.links == (LinkData("item-1", "item-2", "FS", 1),)


def test_blank_key_type_and_phase_are_filled_in() -> None:
    one_phase = dataclasses.replace(PLAN, phases=PLAN.phases[:1])
    data = csv_of(
        "5,,A,,,,0,,,,,,,,,",
        "6,item-5,B,,,,2,,,,,5SS,,,,",  # the key "item-5" is taken: row 2 gets "item-5-2"
        ",,C,,,,1,,,,,6,,,,",  # no ID: nobody can refer to this row
        header=HEADER,
    )
    plan = read_csv(data, base=one_phase)
    assert [(i.key, i.kind, i.phase_key) for i in plan.items] == [
        ("item-5-2", "milestone", "p1"),
        ("item-5", "task", "p1"),
        ("row-4", "task", "p1"),
    ]
    assert plan.links == (LinkData("item-5-2", "item-5", "SS"), LinkData("item-5", "row-4"))


def test_without_base_phases_and_start_come_from_the_file() -> None:
    data = csv_of(
        "1,,Design,Build phase,,,5,2024-09-04,2024-09-10,,,,,,,",
        "2,,Review,,,,0,,,,,1,,,,",
        "3,,Code,Build phase,,,3,2024-09-11,2024-09-13,,,1,,,,",
        header=HEADER,
    )
    plan = read_csv(data)
    assert plan.name == "Imported plan"
    assert plan.start == D(2024, 9, 4)  # the earliest Start
    assert plan.phases == (
        PhaseData("p1", "Build phase", 1, D(2024, 9, 4), D(2024, 9, 13)),
        PhaseData("p2", "Imported plan", 2, D(2024, 9, 4), D(2024, 9, 4)),  # rows without one
    )
    assert [i.phase_key for i in plan.items] == ["p1", "p1", "p2"]  # grouped by phase
    base = PlanData("New program", D(2024, 9, 2))  # no phases: made from the file
    assert read_csv(data, base=base).phases[0] == PhaseData(
        "p1", "Build phase", 1, D(2024, 9, 4), D(2024, 9, 13)
    )
    assert errors_of(csv_of("1,,A,X,,,2,,,,,,,,,"), base=None) == [
        ("file", "no row has a Start date: give the plan's start date")
    ]


def test_formulas_are_restored_from_our_neutralised_text() -> None:
    data = csv_of("1,'+k,'-name,Phase 1,'@ws,,1,,,,'=owner,,,,,")
    (item,) = read_csv(data, base=PLAN).items
    assert (item.key, item.name, item.workstream, item.owner) == ("+k", "-name", "@ws", "=owner")


# --------------------------------------------------------------------------------------------
# errors


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (
            "1,a,A,Phase 1,,,abc,,,,,,,,,",
            "Duration (days)",
            'expected a whole number ≥ 0, got "abc"',
        ),
        ("1,a,A,Phase 1,,,-2,,,,,,,,,", "Duration (days)", 'expected a whole number ≥ 0, got "-2"'),
        (
            "1,a,A,Phase 1,,,2.5,,,,,,,,,",
            "Duration (days)",
            'expected a whole number ≥ 0, got "2.5"',
        ),
        (
            "1,a,A,Phase 1,,task,,,,,,,,,,",
            "Duration (days)",
            "a duration in working days is needed",
        ),
        ("x,a,A,Phase 1,,,1,,,,,,,,,", "ID", 'expected a whole number ≥ 1, got "x"'),
        ("1,a,,Phase 1,,,1,,,,,,,,,", "Name", "a name is needed"),
        (
            "1,a,A,Phase 9,,,1,,,,,,,,,",
            "Phase",
            'unknown phase "Phase 9": the plan has "Phase 1", "阶段二"',
        ),
        ("1,a,A,,,,1,,,,,,,,,", "Phase", 'a phase is needed: one of "Phase 1", "阶段二"'),
        ("1,a,A,Phase 1,,epic,1,,,,,,,,,", "Type", 'expected "task" or "milestone", got "epic"'),
        (
            "1,a,A,Phase 1,,milestone,2,,,,,,,,,",
            "Duration (days)",
            "a milestone has a duration of 0, got 2",
        ),
        (
            "1,a,A,Phase 1,,task,0,,,,,,,,,",
            "Duration (days)",
            "a task lasts at least 1 working day (make it a milestone instead)",
        ),
        (
            "1,a,A,Phase 1,,,1,9/3/2024,,,,,,,,",
            "Start",
            'expected a date like 2024-03-04, got "9/3/2024"',
        ),
        (
            "1,a,A,Phase 1,,,1,2024-02-30,,,,,,,,",
            "Start",
            'expected a date like 2024-03-04, got "2024-02-30"',
        ),
        (
            "1,a,A,Phase 1,,,1,,,101,,,,,,",
            "Percent complete",
            'expected a whole number from 0 to 100, got "101"',
        ),
        (
            "1,a,A,Phase 1,,,1,,,,,2x,,,,",
            "Predecessors",
            '"2x" is not like 12, 12SS or 12FS+2d (lags in working days)',
        ),
        ("1,a,A,Phase 1,,,1,,,,,1,,,,", "Predecessors", "ID 1 is this row itself"),
        ("1,a,A,Phase 1,,,1,,,,,99,,,,", "Predecessors", "unknown ID 99"),
        (
            "1,a,A,Phase 1,,,1,,,,,,MSO,,,",
            "Constraint",
            'expected SNET (start no earlier than) or FNLT (finish no later than), got "MSO"',
        ),
        ("1,a,A,Phase 1,,,1,,,,,,SNET,,,", "Constraint date", "a SNET constraint needs a date"),
        (
            "1,a,A,Phase 1,,,1,,,,,,,,2024-09-05,2024-09-04",
            "Actual finish",
            "2024-09-04 is before the actual start 2024-09-05",
        ),
        (
            "1,a,A,Phase 1,,,1,,,,,,,,,2024-09-04",
            "Actual start",
            "an item with an actual finish needs an actual start",
        ),
        (
            "1,a,A,Phase 1,,,1,,,,x\x07y,,,,,",
            "Owner",
            "must not contain the control character U+0007",
        ),
        (
            "1,a,A,Phase 1,,,6000,,,,,,,,,",
            "Duration (days)",
            "must be at most 5000 working days, got 6000",
        ),
    ],
)
def test_bad_cells(row: str, column: str, message: str) -> None:
    assert errors_of(csv_of(row)) == [(f'row 2, column "{column}"', message)]


def test_every_bad_cell_is_reported_at_once_in_row_order() -> None:
    data = csv_of(
        "1,a,A,Phase 1,,,abc,,,,,,,,,",
        "2,b,B,Phase 1,,,2,,,200,,99;1SS,,,,",
        "2,c,C,Nowhere,,,2,,,,,1,,,,",
        "4,b,D,Phase 1,,,2,,,,,,,,,",
    )
    with pytest.raises(ImportFormatError) as caught:
        read_csv(data, base=PLAN)
    assert caught.value.errors == [
        ('row 2, column "Duration (days)"', 'expected a whole number ≥ 0, got "abc"'),
        ('row 3, column "Percent complete"', 'expected a whole number from 0 to 100, got "200"'),
        ('row 3, column "Predecessors"', "unknown ID 99"),
        ('row 4, column "ID"', "ID 2 is also on row 3"),
        ('row 4, column "Phase"', 'unknown phase "Nowhere": the plan has "Phase 1", "阶段二"'),
        ('row 5, column "Key"', '"b" is also the key on row 3'),
    ]
    assert str(caught.value) == (
        'the file cannot be imported: row 2, column "Duration (days)": expected a whole number '
        '≥ 0, got "abc" (and 5 more problems)'
    )


def test_a_predecessor_cycle_is_named_by_ids() -> None:
    data = csv_of(
        "1,a,Design,Phase 1,,,2,,,,,3,,,,",
        "2,b,Build,Phase 1,,,2,,,,,1,,,,",
        "3,c,Test,Phase 1,,,2,,,,,2SS,,,,",
    )
    assert errors_of(data) == [
        (
            'row 2, column "Predecessors"',
            'dependency cycle: 1 "Design" → 2 "Build" → 3 "Test" → 1 "Design"',
        )
    ]


def test_a_predecessor_listed_twice() -> None:
    data = csv_of("1,a,A,Phase 1,,,2,,,,,,,,,", "2,b,B,Phase 1,,,2,,,,,1;1SS,,,,")
    assert errors_of(data) == [('row 3, column "Predecessors"', "ID 1 is listed twice")]


def test_headers_are_checked_first() -> None:
    assert errors_of(b"ID,Key\r\n1,a\r\n") == [
        ("row 1", 'the column "Name" is missing'),
        ("row 1", 'the column "Duration (days)" is missing'),
    ]
    assert errors_of(b"Name,name,Duration (days)\r\nA,A,1\r\n") == [
        ("row 1", 'the column "name" appears twice')
    ]
    assert errors_of(b"") == [("file", "the file is empty: row 1 should name the columns")]


def test_undecodable_and_binary_files() -> None:
    assert errors_of(b"Name,Duration\r\n\x81\x30\x81\xff,1\r\n") == [
        ("file", "the file is neither UTF-8 nor GB18030 text: save it as CSV UTF-8")
    ]
    assert errors_of(write_xlsx(PLAN)) == [
        ("file", "this is an Excel workbook, not CSV: import it as .xlsx")
    ]


def test_too_many_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plan_table.read, "MAX_ROWS", 3)
    rows = [f"{n},k{n},N,Phase 1,,,1,,,,,,,,," for n in range(1, 5)]
    assert errors_of(csv_of(*rows)) == [("file", "the file has more than 3 rows")]


# --------------------------------------------------------------------------------------------
# .xlsx specifics


def xlsx_errors(data: bytes) -> list[tuple[str, str]]:
    with pytest.raises(ImportFormatError) as caught:
        read_xlsx(data, base=PLAN)
    return caught.value.errors


def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_xlsx_that_are_not_workbooks() -> None:
    assert xlsx_errors(b"ID,Name\r\n") == [("file", "this is not an .xlsx workbook")]
    assert xlsx_errors(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64) == [
        ("file", "old Excel .xls files are not supported: save the sheet as .xlsx")
    ]
    assert xlsx_errors(b"PK\x03\x04 truncated") == [
        ("file", "the .xlsx workbook is damaged (not a readable zip file)")
    ]
    assert xlsx_errors(zipped({"readme.txt": b"hello"})) == [
        ("file", "this zip file is not an Excel workbook")
    ]
    broken = zipped({"xl/workbook.xml": b"<not a workbook", "[Content_Types].xml": b""})
    assert xlsx_errors(broken)[0][0] == "file"
    assert xlsx_errors(broken)[0][1].startswith("the .xlsx workbook cannot be read (")


def test_a_zip_bomb_is_refused_before_openpyxl_sees_it() -> None:
    # 3 MiB of zeros packs into a few KiB: a ratio far above 100
    bomb = zipped({"xl/workbook.xml": b"0" * (3 * 1024 * 1024)})
    (error,) = xlsx_errors(bomb)
    assert error[0] == "file" and error[1].endswith("to 1, which looks like a zip bomb")


def test_a_workbook_unpacking_beyond_the_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plan_table.cells, "MAX_XLSX_UNCOMPRESSED", 1000)
    assert xlsx_errors(write_xlsx(PLAN))[0][1].startswith("the .xlsx unpacks to 0 MB, more than")


def test_xlsx_typed_cells_and_formulas() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["ID", "Name", "Phase", "Duration (days)", "Start", "Percent complete"])
    sheet.append([1, "Design", "Phase 1", 5.0, dt.datetime(2024, 9, 3), 25])
    sheet.append([2, "=1+1", "Phase 1", 1, None, None])  # a formula with no cached value
    out = io.BytesIO()
    workbook.save(out)
    # formulas are not computed: the cell reads as empty
    assert xlsx_errors(out.getvalue()) == [('row 3, column "Name"', "a name is needed")]
    sheet.delete_rows(3)
    out = io.BytesIO()
    workbook.save(out)
    (item,) = read_xlsx(out.getvalue(), base=PLAN).items
    assert item == ItemData(
        "item-1", "Design", "p1", "task", 5, percent_complete=25, early_start=D(2024, 9, 3)
    )


def test_a_lying_sheet_dimension_is_ignored() -> None:
    # a sheet that claims to span A1:XFD1048576: its rows are read as they are, not padded
    # to 16 384 columns each
    data = write_xlsx(PLAN)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    sheet = members["xl/worksheets/sheet1.xml"]
    assert b'<dimension ref="A1:P4"/>' in sheet
    members["xl/worksheets/sheet1.xml"] = sheet.replace(b"A1:P4", b"A1:XFD1048576")
    started = time.perf_counter()
    assert read_xlsx(zipped(members), base=PLAN) == PLAN
    assert time.perf_counter() - started < 2


def test_rows_are_counted_as_records_not_lines() -> None:
    data = csv_of('1,a,"Line one\nline two",Phase 1,,,1,,,,,,,,,', "2,b,B,Phase 1,,,x,,,,,,,,,")
    assert errors_of(data) == [
        ('row 3, column "Duration (days)"', 'expected a whole number ≥ 0, got "x"')
    ]
    (item,) = read_csv(csv_of('1,a,"Line one\nline two",Phase 1,,,1,,,,,,,,,'), base=PLAN).items
    assert item.name == "Line one line two"  # names are kept on one line
