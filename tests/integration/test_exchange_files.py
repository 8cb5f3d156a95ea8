"""Plan files: exports read back, imports as a new program and into a phase, bad files."""

from __future__ import annotations

import csv as csv_module
import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from planner.extensions import db as _db
from planner.interop import mspdi, plan_table
from planner.interop.plandata import PlanData, normalised
from planner.models import (
    CalendarException,
    Dependency,
    Membership,
    Metric,
    Program,
    Risk,
    User,
    WorkItem,
)
from planner.models.baseline import Baseline, BaselineItem
from planner.services import exchange as service
from planner.services import plan as plan_service
from planner.services.scheduling import reschedule
from tests.integration.exchange_support import (
    count_queries,
    item,
    make_program,
    program_rows,
    table_counts,
    upload,
)

FIXTURES = Path(__file__).parent.parent / "fixtures" / "mspdi"


@pytest.fixture()
def program(db):
    """A program a lead has worked on: progress, a constraint, a holiday, links of every
    type with lag and lead, a baseline, an owner, Chinese text and formula-looking text."""
    program = make_program(db, status=dt.date(2026, 3, 20))
    plan_service.add_calendar_day(program, dt.date(2026, 4, 6), working=False, name="Qingming")
    done = item(db, program, "diagnosis-plan")
    done.percent_complete = 100
    done.actual_start = dt.date(2026, 3, 2)
    done.actual_finish = dt.date(2026, 3, 3)
    done.owner = "Wang Fang"
    started = item(db, program, "current-state-survey")
    started.percent_complete = 40
    started.actual_start = dt.date(2026, 3, 4)
    started.name = '=Survey 现状调研, "quoted"'
    constrained = item(db, program, "interviews-senior")
    constrained.constraint_type = "SNET"
    constrained.constraint_date = dt.date(2026, 3, 16)
    plan_service.add_dependency(program, "diagnosis-plan", "interviews-middle", "SS", 2)
    plan_service.add_dependency(program, "current-state-survey", "interviews-front-line", "FF", -1)
    plan_service.add_dependency(program, "interviews-senior", "benefit-baseline", "SF", 3)
    db.session.commit()
    plan_service.take_baseline(program, "Approved plan")
    db.session.commit()
    return program


def plan_of(program: Program) -> PlanData:
    _db.session.expire_all()
    return service.plan_data(program)


# --------------------------------------------------------------------------- exports


def test_mspdi_export_reads_back_to_the_same_plan(client, program) -> None:
    response = client.get(f"/programs/{program.id}/exchange/plan.xml")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Content-Disposition"].endswith('.xml"')
    read = mspdi.read_with_notes(response.data)
    expected = plan_of(program)
    assert read.notes == ()
    assert read.plan == normalised(expected)
    # what the fixture set up is really in the file
    by_key = {i.key: i for i in read.plan.items}
    assert by_key["diagnosis-plan"].actual_finish == dt.date(2026, 3, 3)
    assert by_key["diagnosis-plan"].owner == "Wang Fang"
    assert by_key["interviews-senior"].constraint_type == "SNET"
    assert by_key["current-state-survey"].name == '=Survey 现状调研, "quoted"'
    assert all(i.baseline_start is not None for i in read.plan.items)
    links = {(link.predecessor, link.successor): (link.type, link.lag) for link in read.plan.links}
    assert links[("diagnosis-plan", "interviews-middle")] == ("SS", 2)
    assert links[("current-state-survey", "interviews-front-line")] == ("FF", -1)
    assert links[("interviews-senior", "benefit-baseline")] == ("SF", 3)
    assert dt.date(2026, 4, 6) in read.plan.calendar.holidays


def test_csv_and_xlsx_exports_read_back(client, program) -> None:
    expected = plan_of(program)
    base = PlanData(expected.name, expected.start, expected.calendar, expected.phases)
    csv = client.get(f"/programs/{program.id}/exchange/plan.csv")
    xlsx = client.get(f"/programs/{program.id}/exchange/plan.xlsx")
    assert csv.status_code == xlsx.status_code == 200
    assert csv.data.startswith(b"\xef\xbb\xbf")  # BOM: Excel shows the Chinese
    assert csv.mimetype == "text/csv"
    assert b"'=Survey" in csv.data  # formula-looking text neutralised in the file
    assert xlsx.data.startswith(b"PK")
    for read in (
        plan_table.read_csv(csv.data, base=base),
        plan_table.read_xlsx(xlsx.data, base=base),
    ):
        got = {i.key: i for i in read.items}
        want = {i.key: i for i in expected.items}
        assert got.keys() == want.keys()
        for key, data in want.items():
            assert (
                got[key].name,
                got[key].phase_key,
                got[key].kind,
                got[key].duration,
                got[key].percent_complete,
                got[key].actual_start,
                got[key].actual_finish,
                got[key].constraint_type,
                got[key].constraint_date,
                got[key].owner,
            ) == (
                data.name,
                data.phase_key,
                data.kind,
                data.duration,
                data.percent_complete,
                data.actual_start,
                data.actual_finish,
                data.constraint_type,
                data.constraint_date,
                data.owner,
            ), key
        assert set(read.links) == set(expected.links)


# --------------------------------------------------------------------------- header language


def use_language(http, lang: str) -> None:
    response = http.post("/language", data={"lang": lang, "next": "/"})
    assert response.status_code in (302, 303)
    # the fixture's app context outlives the requests, and Flask-Babel caches the locale on
    # its `g`: forget it, as a new request context in production would
    from flask_babel import refresh

    refresh()


def headers_in(lang: str) -> list[str]:
    """The catalogue's label of every column (each column's English name is its msgid): the
    plan's columns, the name in the other language, the row version."""
    from flask import current_app
    from flask_babel import force_locale, gettext

    other = plan_table.NAME_EN if lang.startswith("zh") else plan_table.NAME_ZH
    with current_app.test_request_context(), force_locale(lang):
        return [gettext(name) for name in (*plan_table.COLUMNS, other, plan_table.VERSION)]


def first_rows(data: bytes, fmt: str) -> tuple[list[str], str | None]:
    """A table file's header row, and the xlsx sheet's title."""
    if fmt == "csv":
        return next(iter(csv_module.reader(io.StringIO(data.decode("utf-8-sig"))))), None
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    return [str(c) for c in next(sheet.iter_rows(max_row=1, values_only=True))], sheet.title


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_table_exports_are_headed_in_the_interface_language(client, program, fmt) -> None:
    english, _title = first_rows(
        client.get(f"/programs/{program.id}/exchange/plan.{fmt}").data, fmt
    )
    assert english == headers_in("en")
    assert english[: len(plan_table.COLUMNS)] == list(plan_table.COLUMNS)
    use_language(client, "zh_Hans_CN")
    chinese, title = first_rows(client.get(f"/programs/{program.id}/exchange/plan.{fmt}").data, fmt)
    assert chinese == headers_in("zh_Hans_CN")
    assert "名称" in chinese and "阶段" in chinese and "Name" not in chinese
    if fmt == "xlsx":
        assert title == "计划"
    use_language(client, "en")
    assert first_rows(client.get(f"/programs/{program.id}/exchange/plan.{fmt}").data, fmt)[0] == (
        english
    )


@pytest.mark.parametrize(
    ("exported_in", "imported_in"),
    [("zh_Hans_CN", "en"), ("en", "zh_Hans_CN"), ("zh_Hans_CN", "zh_Hans_CN")],
)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_table_exported_in_one_language_imports_in_either(
    client, db, program, fmt, exported_in, imported_in
) -> None:
    use_language(client, exported_in)
    data = client.get(f"/programs/{program.id}/exchange/plan.{fmt}").data
    use_language(client, imported_in)
    response = upload(client, "/programs/import", f"plan.{fmt}", data, client="Acme", name="Copy")
    assert response.status_code == 302, response.get_data(as_text=True)
    copy = plan_of(db.session.scalars(select(Program).where(Program.name == "Copy")).one())
    original = plan_of(program)
    assert [(i.key, i.name, i.duration, i.owner) for i in copy.items] == [
        (i.key, i.name, i.duration, i.owner) for i in original.items
    ]
    assert set(copy.links) == set(original.links)
    # phases are named as the file names them: in the language it was exported in
    lang = "zh" if exported_in.startswith("zh") else "en"
    copied = db.session.scalars(select(Program).where(Program.name == "Copy")).one()
    assert [p.name for p in service.plan_data(copied, lang).phases] == [
        p.name for p in service.plan_data(program, lang).phases
    ]


def test_a_chinese_table_into_a_phase(client, db, program) -> None:
    source = make_program(db, name="Source", playbook="small-business-quick-start")
    use_language(client, "zh_Hans_CN")
    exported = client.get(f"/programs/{source.id}/exchange/plan.xlsx").data
    use_language(client, "en")
    before = len(program.work_items)
    response = upload(
        client,
        f"/programs/{program.id}/exchange/import",
        "plan.xlsx",
        exported,
        phase=str(program.phases[1].id),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    count = db.session.scalar(
        select(func.count()).select_from(WorkItem).where(WorkItem.program_id == program.id)
    )
    assert count == before + len(plan_of(source).items)


def test_errors_name_the_columns_as_the_file_heads_them(client, db, program) -> None:
    # the plan's columns come first (then the other-language name and the version)
    labels = dict(zip(plan_table.COLUMNS, headers_in("zh_Hans_CN"), strict=False))
    book = Workbook()
    sheet = book.active
    columns = ["ID", "Name", "Phase", "Duration (days)", "Predecessors", "Start"]
    sheet.append([labels[c] for c in columns])
    sheet.append([1, "Design", "P", 5, "", dt.date(2026, 3, 2)])
    sheet.append([2, "Build", "P", -3, "1FS", None])
    sheet.append([3, "", "P", 2, "9", None])
    out = io.BytesIO()
    book.save(out)
    before = table_counts(db)
    # the place in the file in the interface's language, the column as the file heads it
    where = {"en": 'row {row}, column "{column}"', "zh_Hans_CN": "第 {row} 行，“{column}”列"}
    for lang, place in where.items():
        use_language(client, lang)
        response = upload(client, "/programs/import", "plan.xlsx", out.getvalue(), client="Acme")
        assert response.status_code == 422
        page = response.get_data(as_text=True).replace("&#34;", '"')
        assert place.format(row=3, column=labels["Duration (days)"]) in page
        assert place.format(row=4, column=labels["Name"]) in page
        assert place.format(row=4, column=labels["Predecessors"]) in page
        assert table_counts(db) == before


def test_a_viewer_downloads_but_an_outsider_sees_nothing(login_as, program) -> None:
    viewer = login_as("viewer", program)
    for ext in ("xml", "csv", "xlsx"):
        assert viewer.get(f"/programs/{program.id}/exchange/plan.{ext}").status_code == 200
    assert viewer.get(f"/programs/{program.id}/exchange").status_code == 200
    outsider = login_as("outsider")
    assert outsider.get(f"/programs/{program.id}/exchange/plan.xml").status_code == 404
    assert outsider.get(f"/programs/{program.id}/exchange").status_code == 404
    anonymous = login_as("anonymous")
    response = anonymous.get(f"/programs/{program.id}/exchange/plan.xml")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_page_offers_every_download_and_the_import(client, program) -> None:
    page = client.get(f"/programs/{program.id}/exchange").get_data(as_text=True)
    for path in ("plan.xml", "plan.csv", "plan.xlsx", "pack.pptx", "pack.pdf", "playbook.yaml"):
        assert f"/programs/{program.id}/exchange/{path}" in page
    assert f'action="/programs/{program.id}/exchange/import"' in page
    assert "Approved plan" in page  # the baseline that becomes baseline 0
    assert 'href="/account/feed"' in page


def test_a_viewer_sees_no_import_form(login_as, program) -> None:
    page = login_as("viewer", program).get(f"/programs/{program.id}/exchange")
    assert "/exchange/import" not in page.get_data(as_text=True)


# --------------------------------------------------------------------------- new program


def test_mspdi_round_trip_through_a_new_program_is_lossless(client, program) -> None:
    exported = client.get(f"/programs/{program.id}/exchange/plan.xml").data
    before = _db.session.scalar(select(Program.id).order_by(Program.id.desc()))
    response = upload(client, "/programs/import", "acme.xml", exported, client="Acme Co")
    assert response.status_code == 302
    new = _db.session.scalars(select(Program).where(Program.id > before)).one()
    assert response.headers["Location"].endswith(f"/programs/{new.id}")
    assert new.name == program.name  # from the file
    assert new.playbook_id == service.IMPORTED_PLAYBOOK_ID
    new.status_date = program.status_date  # schedule both on the same status date
    reschedule(new)
    _db.session.commit()
    original, copy = plan_of(program), plan_of(new)
    assert copy == original
    baseline = _db.session.scalars(select(Baseline).where(Baseline.program_id == new.id)).one()
    assert baseline.name == "Baseline 0 (imported)"
    admin = _db.session.scalars(select(User).where(User.email == "admin@test.example")).one()
    assert (
        _db.session.scalar(
            select(Membership.role).where(
                Membership.program_id == new.id, Membership.user_id == admin.id
            )
        )
        == "lead"
    )


@pytest.mark.parametrize(
    ("fixture", "phases", "items", "links", "baselined"),
    [("ms_project_2019.xml", 2, 8, 9, 3), ("projectlibre.xml", 2, 6, 5, 0)],
)
def test_files_from_ms_project_and_projectlibre_import(
    client, db, fixture, phases, items, links, baselined
) -> None:
    data = (FIXTURES / fixture).read_bytes()
    calendar = mspdi.read(data).calendar
    holidays = len(calendar.holidays) + len(calendar.extra_workdays)
    assert holidays > 0
    response = upload(client, "/programs/import", fixture, data, client="华东客户")
    assert response.status_code == 302
    program = db.session.scalars(select(Program)).one()
    assert program.client == "华东客户"
    assert len(program.phases) == phases
    assert (
        db.session.scalar(select(_count(WorkItem)).where(WorkItem.program_id == program.id))
        == items
    )
    assert (
        db.session.scalar(select(_count(Dependency)).where(Dependency.program_id == program.id))
        == links
    )
    assert (
        db.session.scalar(
            select(_count(CalendarException)).where(CalendarException.program_id == program.id)
        )
        == holidays
    )
    scheduled = db.session.scalars(
        select(WorkItem.early_start).where(WorkItem.program_id == program.id)
    ).all()
    assert all(day is not None for day in scheduled)  # rescheduled at once
    baseline_rows = db.session.scalars(
        select(BaselineItem).join(Baseline).where(Baseline.program_id == program.id)
    ).all()
    assert len(baseline_rows) == baselined
    page = client.get(response.headers["Location"])
    assert page.status_code == 200


def _count(model):
    from sqlalchemy import func

    return func.count(model.id)


def test_ms_project_notes_are_shown(client, db) -> None:
    data = (FIXTURES / "ms_project_2019.xml").read_bytes()
    response = upload(client, "/programs/import", "plan.xml", data, client="Acme")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "4.5 working days became 5 days" in page


def test_csv_and_xlsx_import_as_new_programs(client, db, program) -> None:
    csv = client.get(f"/programs/{program.id}/exchange/plan.csv").data
    xlsx = client.get(f"/programs/{program.id}/exchange/plan.xlsx").data
    for name, data in (("plan.csv", csv), ("plan.xlsx", xlsx)):
        response = upload(
            client, "/programs/import", name, data, client="Acme", name=f"From {name}"
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        new = db.session.scalars(select(Program).where(Program.name == f"From {name}")).one()
        copy = plan_of(new)
        original = plan_of(program)
        assert [i.key for i in copy.items] == [i.key for i in original.items]
        assert set(copy.links) == set(original.links)
        assert [p.name for p in copy.phases] == [p.name for p in original.phases]


def test_a_csv_without_dates_takes_the_start_date_from_the_form(client, db) -> None:
    text = (
        "ID,Name,Phase,Duration (days),Predecessors\r\n1,设计,Build,5,\r\n2,上线,Build,0,1FS+2d\r\n"
    )
    response = upload(
        client,
        "/programs/import",
        "plan.csv",
        text.encode("gb18030"),
        client="Acme",
        name="GB18030 plan",
        start_date="2026-03-02",
    )
    assert response.status_code == 302
    program = db.session.scalars(select(Program)).one()
    assert program.start_date == dt.date(2026, 3, 2)
    milestone = db.session.scalars(
        select(WorkItem).where(WorkItem.program_id == program.id, WorkItem.kind == "milestone")
    ).one()
    assert milestone.name == "上线"
    link = db.session.scalars(select(Dependency).where(Dependency.program_id == program.id)).one()
    assert (link.type, link.lag_days, link.successor_id) == ("FS", 2, milestone.id)
    assert milestone.early_finish is not None


def test_the_playbook_brings_its_risks_metrics_and_gates(client, db, program) -> None:
    exported = client.get(f"/programs/{program.id}/exchange/plan.xml").data
    response = upload(
        client,
        "/programs/import",
        "plan.xml",
        exported,
        client="Acme",
        name="With playbook",
        playbook=f"{program.playbook_id}@{program.playbook_version}",
    )
    assert response.status_code == 302
    new = db.session.scalars(select(Program).where(Program.name == "With playbook")).one()
    assert (new.playbook_id, new.playbook_version) == (
        program.playbook_id,
        program.playbook_version,
    )
    keys = lambda model, pid: set(  # noqa: E731
        db.session.scalars(select(model.key).where(model.program_id == pid))
    )
    assert keys(Risk, new.id) == keys(Risk, program.id)
    assert keys(Metric, new.id) == keys(Metric, program.id)
    gates = {(p.key, c.kind, c.reference) for p in new.phases for c in p.gate_criteria}
    expected = {(p.key, c.kind, c.reference) for p in program.phases for c in p.gate_criteria}
    assert gates == expected and gates


# --------------------------------------------------------------------------- bad files


@pytest.mark.parametrize(
    ("name", "data", "where", "message"),
    [
        ("bad.xml", (FIXTURES / "bad_duration.xml").read_bytes(), 'Task UID 12 "Build"', "P3X"),
        ("cycle.xml", (FIXTURES / "cycle.xml").read_bytes(), "Tasks", "dependency cycle"),
        ("evil.xml", (FIXTURES / "external_entity.xml").read_bytes(), "File", "DOCTYPE"),
        ("laughs.xml", (FIXTURES / "billion_laughs.xml").read_bytes(), "File", "DOCTYPE"),
        (
            "plan.csv",
            b"ID,Name,Phase,Duration (days),Start\r\n"
            b"1,Design,P,five,2026-03-02\r\n2,Build,P,3,\r\n",
            'row 2, column "Duration (days)"',
            "five",
        ),
        ("plan.pdf", b"%PDF-1.7 not a plan", "File", "Expected an MS Project XML file"),
        ("empty.csv", b"", "File", "empty"),
    ],
)
def test_a_bad_file_creates_nothing_and_says_where(
    client, db, program, name, data, where, message
) -> None:
    before = table_counts(db)
    response = upload(client, "/programs/import", name, data, client="Acme")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "No program was created." in page
    assert f'<td class="where">{where}</td>' in page.replace("&#34;", '"')
    assert message in page
    assert table_counts(db) == before


def test_an_xlsx_with_bad_rows_lists_every_row(client, db, program) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["ID", "Name", "Phase", "Duration (days)", "Predecessors", "Start"])
    sheet.append([1, "Design", "P", 5, "", dt.date(2026, 3, 2)])
    sheet.append([2, "Build", "P", -3, "1FS", None])
    sheet.append([3, "", "P", 2, "9", None])
    out = io.BytesIO()
    book.save(out)
    before = table_counts(db)
    response = upload(client, "/programs/import", "plan.xlsx", out.getvalue(), client="Acme")
    assert response.status_code == 422
    page = response.get_data(as_text=True).replace("&#34;", '"')
    assert 'row 3, column "Duration (days)"' in page
    assert 'row 4, column "Name"' in page
    assert 'row 4, column "Predecessors"' in page
    assert table_counts(db) == before


def test_the_form_needs_a_client(client, db, program) -> None:
    before = table_counts(db)
    data = (FIXTURES / "projectlibre.xml").read_bytes()
    response = upload(client, "/programs/import", "plan.xml", data, client="")
    assert response.status_code == 422
    assert table_counts(db) == before


# --------------------------------------------------------------------------- into a phase


def test_import_into_a_phase_adds_items_and_links_with_unique_keys(client, db, program) -> None:
    source = make_program(db, name="Source", playbook="small-business-quick-start")
    exported = client.get(f"/programs/{source.id}/exchange/plan.csv").data
    target_phase = program.phases[2]
    before_items = {i.key for i in program.work_items}
    source_plan = plan_of(source)
    response = upload(
        client,
        f"/programs/{program.id}/exchange/import",
        "plan.csv",
        exported,
        phase=str(target_phase.id),
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/programs/{program.id}/exchange")
    db.session.expire_all()
    after = {
        i.key: i
        for i in db.session.scalars(select(WorkItem).where(WorkItem.program_id == program.id))
    }
    added = {k: v for k, v in after.items() if k not in before_items}
    assert len(added) == len(source_plan.items)
    assert {i.phase_id for i in added.values()} == {target_phase.id}
    assert all(
        i.early_start is not None and i.early_start >= target_phase.window_start
        for i in added.values()
    )
    # a key the program already had got a suffix; links follow the new keys
    clashes = {i.key for i in source_plan.items} & before_items
    renamed = {f"{k}-2" for k in clashes}
    assert renamed <= set(added)
    keys_of = {i.id: i.key for i in after.values()}
    deps = db.session.scalars(select(Dependency).where(Dependency.program_id == program.id)).all()
    new_links = {
        (keys_of[d.predecessor_id], keys_of[d.successor_id], d.type, d.lag_days)
        for d in deps
        if keys_of[d.successor_id] in added
    }
    rename = {k: (f"{k}-2" if k in clashes else k) for k in (i.key for i in source_plan.items)}
    assert new_links == {
        (rename[link.predecessor], rename[link.successor], link.type, link.lag)
        for link in source_plan.links
    }
    page = client.get(f"/programs/{program.id}/exchange").get_data(as_text=True)
    assert "imported into" in page


def test_import_into_a_phase_from_ms_project(client, db, program) -> None:
    data = (FIXTURES / "ms_project_2019.xml").read_bytes()
    before = len(program.work_items)
    response = upload(
        client,
        f"/programs/{program.id}/exchange/import",
        "acme.xml",
        data,
        phase=str(program.phases[1].id),
    )
    assert response.status_code == 302
    db.session.expire_all()
    count = db.session.scalar(select(_count(WorkItem)).where(WorkItem.program_id == program.id))
    assert count == before + 8


@pytest.mark.parametrize(
    ("name", "data", "phase", "text"),
    [
        ("bad.xml", (FIXTURES / "bad_duration.xml").read_bytes(), None, "Task UID 12"),
        (
            "plan.csv",
            b"ID,Name,Duration (days)\r\n1,Design,x\r\n",
            None,
            'row 2, column "Duration (days)"',
        ),
        ("ok.xml", (FIXTURES / "projectlibre.xml").read_bytes(), "999999", "phase"),
    ],
)
def test_a_bad_import_into_a_phase_changes_nothing(
    client, db, program, name, data, phase, text
) -> None:
    before = table_counts(db)
    rows = program_rows(db, program.id)
    response = upload(
        client,
        f"/programs/{program.id}/exchange/import",
        name,
        data,
        phase=phase or str(program.phases[1].id),
    )
    assert response.status_code == 422
    assert text in response.get_data(as_text=True).replace("&#34;", '"')
    assert table_counts(db) == before
    assert program_rows(db, program.id) == rows


def test_only_editors_import_into_a_phase(login_as, db, program) -> None:
    data = (FIXTURES / "projectlibre.xml").read_bytes()
    rows = program_rows(db, program.id)
    for role, status in (("viewer", 403), ("steering", 403), ("outsider", 404)):
        client = login_as(role, program if role != "outsider" else None)
        response = upload(
            client,
            f"/programs/{program.id}/exchange/import",
            "p.xml",
            data,
            phase=str(program.phases[1].id),
        )
        assert response.status_code == status, role
    assert program_rows(db, program.id) == rows
    member = login_as("member", program)
    response = upload(
        member,
        f"/programs/{program.id}/exchange/import",
        "p.xml",
        data,
        phase=str(program.phases[1].id),
    )
    assert response.status_code == 302


def test_any_signed_in_user_may_import_a_new_program(login_as, db) -> None:
    data = (FIXTURES / "projectlibre.xml").read_bytes()
    outsider = login_as("outsider")
    assert outsider.get("/programs/import").status_code == 200
    response = upload(outsider, "/programs/import", "p.xml", data, client="Acme")
    assert response.status_code == 302
    program = db.session.scalars(select(Program)).one()
    assert outsider.get(f"/programs/{program.id}").status_code == 200  # now its lead
    anonymous = login_as("anonymous")
    assert anonymous.get("/programs/import").status_code == 302


def test_page_and_exports_need_the_same_queries_whatever_the_size(client, db, program) -> None:
    small = make_program(db, name="Small", playbook="small-business-quick-start")
    plan_service.take_baseline(small, "Approved plan")
    db.session.commit()
    for path in ("", "/plan.xml", "/plan.csv"):
        counts = []
        for pid in (small.id, program.id):
            client.get(f"/programs/{pid}/exchange{path}")  # schedules what went stale
            with count_queries(db) as statements:
                assert client.get(f"/programs/{pid}/exchange{path}").status_code == 200
            counts.append(len(statements))
        assert counts[0] == counts[1], path
