"""Schedule risk analysis through the service, the pages and the export."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from planner.domain.errors import ValidationError
from planner.models import AuditEvent, Risk, RiskWorkItemLink, UncertaintyRange
from planner.services import schedule_risk as service
from tests.integration.plan_support import STATUS, item, make_program

TODAY = STATUS


def _phase(program, ordinal: int):  # type: ignore[no-untyped-def]
    return next(p for p in program.phases if p.ordinal == ordinal)


def _driver(program, ordinal: int):  # type: ignore[no-untyped-def]
    tasks = [i for i in program.work_items if i.phase.ordinal == ordinal and i.kind == "task"]
    return max(tasks, key=lambda i: (i.early_finish, -(i.total_float or 0)))


def test_without_ranges_the_gates_are_the_planned_dates(db) -> None:  # type: ignore[no-untyped-def]
    program = make_program(db)
    analysis = service.analyse(program, TODAY, iterations=200)
    for ordinal in (1, 2):
        phase = _phase(program, ordinal)
        gate = analysis.gate(phase.key)
        assert gate is not None
        planned = max(i.early_finish for i in program.work_items if i.phase_id == phase.id)
        assert gate.deterministic == planned
        assert set(gate.percentiles.values()) == {planned}


def test_a_phase_range_and_a_risk_delay_move_the_gate_the_right_way(db) -> None:  # type: ignore[no-untyped-def]
    program = make_program(db)
    phase = _phase(program, 2)
    base = service.analyse(program, TODAY, iterations=500).gate(phase.key)
    service.save_range(program, "phase", phase.key, -10, 60, "pert")
    db.session.commit()
    widened = service.analyse(program, TODAY, iterations=500).gate(phase.key)
    assert base is not None and widened is not None
    assert widened.percentiles[80] > base.percentiles[80]
    assert widened.probability is not None and base.probability is not None
    assert widened.probability <= base.probability

    driver = _driver(program, 2)
    risk = Risk(program_id=program.id, key="R-77", title="Data late", likelihood=5, impact=4)
    db.session.add(risk)
    db.session.flush()
    db.session.add(RiskWorkItemLink(risk_id=risk.id, work_item_id=driver.id))
    service.set_risk_delay(risk, 15, None, None, 2, risk.version)
    db.session.commit()
    with_risk = service.analyse(program, TODAY, iterations=500).gate(phase.key)
    assert with_risk is not None and with_risk.probability is not None
    assert with_risk.percentiles[80] > widened.percentiles[80]
    assert "R-77" in [d.key for d in with_risk.drivers]
    mitigated = service.analyse(program, TODAY, iterations=500, mitigated=["R-77"]).gate(phase.key)
    assert mitigated is not None and mitigated.probability is not None
    assert mitigated.percentiles[80] < with_risk.percentiles[80]
    assert mitigated.probability >= with_risk.probability


def test_item_ranges_are_checked_and_nothing_is_stored_on_refusal(db) -> None:  # type: ignore[no-untyped-def]
    program = make_program(db)
    task = _driver(program, 1)
    audits = db.session.scalar(select(func.count()).select_from(AuditEvent))
    with pytest.raises(ValidationError) as refused:
        service.set_item_range(
            task, task.duration_days + 1, task.duration_days + 5, "pert", task.version
        )
    assert refused.value.problems[0].code == "risk_analysis.range_order"
    with pytest.raises(ValidationError) as half:
        service.set_item_range(task, 1, None, "pert", task.version)
    assert half.value.problems[0].code == "field.required"
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == audits
    assert item(db, program, task.key).duration_optimistic is None
    with pytest.raises(ValidationError):
        service.save_range(program, "workstream", "no such stream", -10, 20, "pert")
    with pytest.raises(ValidationError):
        service.save_range(program, "program", "", 5, 20, "pert")  # low end above 0
    assert db.session.scalar(select(func.count()).select_from(UncertaintyRange)) == 0


def test_the_page_shows_gates_curves_and_drivers_in_both_languages(db, login_as) -> None:  # type: ignore[no-untyped-def]
    program = make_program(db)
    service.save_range(program, "program", "", -10, 50, "triangular")
    db.session.commit()
    lead = login_as("lead", program)
    page = lead.get(f"/programs/{program.id}/schedule-risk?iterations=1000")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "s-curve" in html and "tornado" in html and "P80" in html
    zh = lead.get(
        f"/programs/{program.id}/schedule-risk", headers={"Accept-Language": "zh-CN"}
    ).get_data(as_text=True)
    assert "进度风险" in zh and "Chance of meeting the gate" not in zh
    bad = lead.get(f"/programs/{program.id}/schedule-risk?iterations=7").get_data(as_text=True)
    assert "100" in bad and "20,000" in bad or "20000" in bad


def test_viewers_read_but_do_not_edit(db, login_as) -> None:  # type: ignore[no-untyped-def]
    program = make_program(db)
    viewer = login_as("viewer", program)
    assert viewer.get(f"/programs/{program.id}/schedule-risk").status_code == 200
    refused = viewer.post(
        f"/programs/{program.id}/schedule-risk/ranges",
        data={"scope": "program", "low_pct": "-10", "high_pct": "20", "shape": "pert"},
    )
    assert refused.status_code in (403, 404)
    assert db.session.scalar(select(func.count()).select_from(UncertaintyRange)) == 0


def test_the_lead_saves_a_range_through_the_page(db, login_as) -> None:  # type: ignore[no-untyped-def]
    program = make_program(db)
    lead = login_as("lead", program)
    phase = _phase(program, 1)
    saved = lead.post(
        f"/programs/{program.id}/schedule-risk/ranges",
        data={
            "scope": "phase",
            "scope_key": phase.key,
            "low_pct": "-5",
            "high_pct": "25",
            "shape": "pert",
            "correlation": "0",
        },
    )
    assert saved.status_code == 302
    row = db.session.scalars(select(UncertaintyRange)).one()
    assert (row.scope, row.scope_key, row.low_pct, row.high_pct) == ("phase", phase.key, -5, 25)
    refused = lead.post(
        f"/programs/{program.id}/schedule-risk/ranges",
        data={
            "scope": "phase",
            "scope_key": "nope",
            "low_pct": "-5",
            "high_pct": "25",
            "shape": "pert",
        },
    )
    assert refused.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(UncertaintyRange)) == 1


def test_the_export_holds_every_gate(db, login_as) -> None:  # type: ignore[no-untyped-def]
    program = make_program(db)
    service.save_range(program, "program", "", -10, 40, "pert")
    db.session.commit()
    lead = login_as("lead", program)
    response = lead.get(f"/programs/{program.id}/schedule-risk.xlsx?iterations=1000")
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.data))
    gates = book.worksheets[0]
    rows = list(gates.iter_rows(min_row=2, values_only=True))
    phases_with_items = {i.phase_id for i in program.work_items}
    assert len([r for r in rows if r and r[0]]) >= len(phases_with_items) + 1


def test_the_api_gives_every_gate_and_refuses_bad_options(app, db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from tests.integration.api_support import api_as, assert_problem, install_api

    install_api(app, monkeypatch)
    program = make_program(db)
    service.save_range(program, "program", "", -10, 40, "pert")
    db.session.commit()
    api = api_as(app, "viewer", program)
    path = f"/programs/{program.id}/schedule-risk"
    body = api.get(path + "?iterations=500").get_json()
    assert body["iterations"] == 500
    assert {g["phase"] for g in body["gates"]} == {
        p.key for p in program.phases if any(i.phase_id == p.id for i in program.work_items)
    }
    for gate in body["gates"]:
        assert gate["p50"] <= gate["p80"] <= gate["p90"]
        assert gate["curve"][-1]["share"] == 1.0
    assert_problem(api.get(path + "?iterations=5"), 400, "iterations")
    refused = api.get(path + "?mitigate=no-such-risk", headers={"Accept-Language": "zh-CN"})
    problem = assert_problem(refused, 400, "mitigate")
    assert "no-such-risk" in problem["errors"][0]["message"]
    assert "does not exist" not in problem["errors"][0]["message"]


def test_the_pack_has_the_schedule_risk_slide_in_its_language(today, db, client) -> None:  # type: ignore[no-untyped-def]
    import io

    from pptx import Presentation

    program = make_program(db, status=None, start=today)
    service.save_range(program, "program", "", -10, 40, "pert")
    db.session.commit()
    for lang, title, chance in (
        ("en", "Schedule risk: the chance of meeting each gate", "Chance of meeting the gate"),
        ("zh", "进度风险：按期通过各关口的概率", "按期通过关口的概率"),
    ):
        client.post("/language", data={"lang": "zh_Hans_CN" if lang == "zh" else "en", "next": "/"})
        pptx = client.get(f"/programs/{program.id}/exchange/pack.pptx").data
        deck = Presentation(io.BytesIO(pptx))
        slides = [
            s
            for s in deck.slides
            if s.shapes.title is not None and s.shapes.title.text_frame.text == title
        ]
        assert len(slides) == 1, lang
        cells = [
            c.text
            for s in slides
            for sh in s.shapes
            if sh.has_table
            for r in sh.table.rows
            for c in r.cells
        ]
        assert chance in cells
        assert any(c.endswith("%") for c in cells)
