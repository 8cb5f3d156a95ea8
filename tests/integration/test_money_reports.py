"""Where people look at money and workload (issue 23), on the demo: the steering pack's
money slide (per phase and per workstream, with the benefit review as its gate judges it)
and workload slide, the money workbook (case, sensitivity, workload), the people across
programs, the dashboard's benefit card and the workload's phase filter; both languages."""

from __future__ import annotations

import re
from datetime import date

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from planner.models import Program
from planner.services import pack as pack_service
from planner.services.benefits import benefits_case

DEMO_DAY = date(2026, 11, 30)
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture()
def northwind(db):  # type: ignore[no-untyped-def]
    from tests.integration.demo_copy import load_demo_copy

    load_demo_copy(DEMO_DAY)
    return db.session.scalars(select(Program).where(Program.name.startswith("Northwind"))).one()


def _slides(app, program, lang: str):  # type: ignore[no-untyped-def]
    headers = {"Accept-Language": "zh-CN" if lang == "zh" else "en"}
    # the pack is built in the reader's language (the web view's content_lang)
    with (
        app.test_request_context(headers=headers),
        force_locale("zh_Hans_CN" if lang == "zh" else "en"),
    ):
        pack = pack_service.build_pack(program.id, DEMO_DAY, lang)
    return {slide.title: slide for slide in pack.slides}


def test_the_english_pack_has_the_money_and_workload_slides(app, db, northwind) -> None:  # type: ignore[no-untyped-def]
    slides = _slides(app, northwind, "en")
    money = slides["Budget, cost and benefits"]
    labels = [row[0] for row in money.rows]
    phases = [p for p in northwind.phases]
    assert labels[: len(phases)] == ["Diagnosis", *(f"Phase {p.ordinal}" for p in phases[1:])]
    workstreams = {i.workstream for i in northwind.work_items if i.workstream}
    assert {label.removeprefix("Workstream ") for label in labels[len(phases) :]} <= workstreams
    assert any(label.startswith("Workstream ") for label in labels)
    # the benefit review line says what its gate criterion says, with the figures
    case = benefits_case(northwind, DEMO_DAY)
    review = [line for line in money.lines if line.startswith("Benefit review (gate of Phase 4)")]
    assert len(review) == 1
    expected = "met" if case.on_track else "at risk"
    assert review[0].startswith(f"Benefit review (gate of Phase 4): {expected}, ")
    assert f"{round(case.case_to_date):,} CNY the case expects by now" in review[0]
    workload = slides["Workload"]
    over = [row for row in workload.rows if row[3] != "—"]
    assert [row[0] for row in over] == ["Chen Jie"]
    assert workload.lines[0].startswith("People over capacity in the next 8 weeks: 1")


def test_the_chinese_pack_words_them_in_chinese(app, db, northwind) -> None:  # type: ignore[no-untyped-def]
    slides = _slides(app, northwind, "zh")
    assert {"预算、成本与效益", "工作负荷"} <= set(slides), list(slides)
    money = next(s for s in slides.values() if any("效益评审" in line for line in s.lines))
    review = next(line for line in money.lines if line.startswith("效益评审（第 4 阶段关口）"))
    assert CJK.search(review.split("：", 1)[1])
    assert any(row[0].startswith("工作流 ") for row in money.rows)


def test_the_workbook_has_the_case_the_sensitivity_and_the_workload(app, db, northwind) -> None:  # type: ignore[no-untyped-def]
    import io

    from openpyxl import load_workbook

    from planner.interop import money_xlsx
    from planner.services import effort
    from planner.web.money import _xlsx_words

    with app.test_request_context(), force_locale("en"):
        data = money_xlsx.workbook(northwind, DEMO_DAY, _xlsx_words())
    book = load_workbook(io.BytesIO(data))
    assert {"Assignments", "Workload", "ROI and NPV", "Budget", "Benefits"} <= set(book.sheetnames)
    case = benefits_case(northwind, DEMO_DAY)
    roi = {row[0]: row[1] for row in book["ROI and NPV"].iter_rows(values_only=True) if row[0]}
    assert roi["NPV"] == round(case.npv, 2)
    assert roi["ROI"] == round(case.roi or 0, 4)
    assert roi["Payback (months)"] == round(case.payback_months or 0, 1)
    rows = list(book["ROI and NPV"].iter_rows(values_only=True))
    top = next(i for i, r in enumerate(rows) if r[0] == "NPV: discount rate × benefits")
    assert rows[top][1:5] == ("× 0.5", "× 0.75", "× 1", "× 1.25")
    grid = [r[1:5] for r in rows[top + 1 : top + 1 + len(case.sensitivity.rates)]]
    assert grid == [tuple(round(v, 2) for v in line) for line in case.sensitivity.npv]
    assigned = list(book["Assignments"].iter_rows(min_row=2, values_only=True))
    assert len(assigned) == len(effort.assignments_of(northwind))
    over = {r[0] for r in book["Workload"].iter_rows(min_row=2, values_only=True) if r[6]}
    assert over == {"Chen Jie"}


@pytest.mark.parametrize("lang", ["en", "zh_Hans_CN"])
def test_people_across_programs_lists_each_human_once(client, db, northwind, lang) -> None:  # type: ignore[no-untyped-def]
    from planner.services import people

    everyone = list(db.session.scalars(select(Program)))
    across = people.people_across(everyone)
    names = [s.name for s in across]
    # one line a human: members by account, stakeholders by e-mail (two clients' staff who
    # share a name stay two lines, each with its own program)
    assert len({s.identity for s in across}) == len(across)
    assert len(names) > len({s.identity for s in across if s.identity.startswith("user:")})
    # a consultant working on both demo programs is one line with both programs
    shared = [s for s in across if len(s.rows) > 1]
    assert shared and all(len({p.id for p, _ in s.rows}) == len(s.rows) for s in shared)
    assert all(person.kind != "role" for s in across for _, person in s.rows)
    client.post("/language", data={"lang": lang})
    page = client.get("/people").get_data(as_text=True)
    assert ("People across programs" if lang == "en" else "跨项目人员") in page
    for someone in shared:
        assert someone.name in page
        for program, person in someone.rows:
            assert f"/programs/{program.id}/people/{person.id}" in page


def test_the_dashboard_card_shows_the_benefit_review(client, db, northwind) -> None:  # type: ignore[no-untyped-def]
    from planner.services.money_cards import money_card

    card = money_card(northwind, DEMO_DAY)
    assert card is not None and card.review is not None
    assert card.review.phase.ordinal == 4 and card.review_outlook
    expected = benefits_case(northwind, DEMO_DAY).on_track
    assert (card.review.outcome == "met") is expected
    client.post("/language", data={"lang": "en"})
    page = client.get(f"/programs/{northwind.id}/dashboard").get_data(as_text=True)
    assert "Benefit review at the gate of Phase 4" in page
    assert f"/programs/{northwind.id}/gates/4" in page


def test_the_phase_filter_offers_the_program_s_phases(client, db, northwind) -> None:  # type: ignore[no-untyped-def]
    small = db.session.scalars(select(Program).where(Program.id != northwind.id)).first()
    assert small is not None and len(small.phases) == 3  # the quick start: 0, 1 and 2
    page = client.get(f"/programs/{small.id}/workload").get_data(as_text=True)
    options = re.findall(
        r'<option value="(\d+)"', page.split('name="phase"')[1].split("</select>")[0]
    )
    assert options == ["0", "1", "2"]
    page = client.get(f"/programs/{northwind.id}/workload").get_data(as_text=True)
    options = re.findall(
        r'<option value="(\d+)"', page.split('name="phase"')[1].split("</select>")[0]
    )
    assert options == ["0", "1", "2", "3", "4"]
