"""The benefit review gate criterion reads the benefits case: on the gate page (both
languages), through the API, from the playbook's ``source: benefits_case`` (whatever the
criterion's words), and editable as a criterion judged by the case."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from planner.models import GateCriterion
from planner.services import benefits as benefit_service
from planner.services import gates as gate_service
from planner.services.playbooks import get_playbook
from planner.services.programs import create_program
from tests.integration.api_support import api_as, assert_problem, install_api, new_program


@pytest.fixture()
def program(db):  # type: ignore[no-untyped-def]
    return new_program()


def _review(program) -> GateCriterion:  # type: ignore[no-untyped-def]
    phase = gate_service.phase_by_ordinal(program, 4)
    return next(c for c in phase.gate_criteria if c.source == "benefits_case")


def _benefit(db, program, reading: float | None) -> date:  # type: ignore[no-untyped-def]
    """A benefit worth 120,000 a year at once from the phase-1 go-live (10,000 a month),
    from 0 to 100; with a reading the day after go-live. Returns the go-live day."""
    go_live = benefit_service.go_live_of(program, 1)
    assert go_live is not None
    benefit = benefit_service.create_benefit(
        program,
        {
            "key": "revenue-per-rep",
            "baseline": "0",
            "target": "100",
            "annual_value": "120000",
            "go_live_phase": "1",
            "ramp_months": "0",
        },
    )
    if reading is not None:
        benefit_service.add_benefit_reading(benefit, go_live + timedelta(days=1), reading)
    db.session.commit()
    return go_live


def _months_after(day: date, months: int) -> date:
    n = day.year * 12 + day.month - 1 + months
    return date(n // 12, n % 12 + 1, 1)


def test_every_shipped_playbook_keys_its_benefit_review(db) -> None:  # type: ignore[no-untyped-def]
    crm = create_program(
        get_playbook("crm-four-100-days"), name="A", client="C", start_date=date(2026, 1, 5)
    )
    small = create_program(
        get_playbook("small-business-quick-start"),
        name="B",
        client="C",
        start_date=date(2026, 1, 5),
    )
    db.session.flush()
    for made, ordinal in ((crm, 4), (small, 2)):
        judged = [
            (p.ordinal, c.text)
            for p in made.phases
            for c in p.gate_criteria
            if c.source == "benefits_case"
        ]
        assert [o for o, _ in judged] == [ordinal]
    # the two methods word it differently; the source keys it
    texts = {c.text for p in (*crm.phases, *small.phases) for c in p.gate_criteria
             if c.source == "benefits_case"}  # fmt: skip
    assert len(texts) == 2


def test_without_a_benefits_case_it_says_so(client, program) -> None:  # type: ignore[no-untyped-def]
    _, report = gate_service.gate_report(program.id, 4, program.start_date)
    line = next(x for x in report.lines if x.row.source == "benefits_case")
    assert (line.result.outcome, line.result.reason.code) == ("at_risk", "gate.benefits.no_case")
    client.post("/language", data={"lang": "en"})
    page = client.get(f"/programs/{program.id}/gates/4").get_data(as_text=True)
    assert "no benefits case: define the program&#39;s benefits" in page
    assert "judged from the benefits case" in page
    client.post("/language", data={"lang": "zh_Hans_CN"})
    page = client.get(f"/programs/{program.id}/gates/4").get_data(as_text=True)
    assert "没有效益测算" in page and "由效益测算判定" in page


@pytest.mark.parametrize(
    ("reading", "outcome", "code", "share"),
    [
        (100.0, "met", "gate.benefits.realised", 100.0),
        (50.0, "at_risk", "gate.benefits.short", 50.0),
    ],
)
def test_before_the_gate_the_realised_share_decides(  # type: ignore[no-untyped-def]
    client, db, program, reading, outcome, code, share
) -> None:
    go_live = _benefit(db, program, reading)
    # three whole months after the go-live month: 30,000 expected
    today = _months_after(go_live, 4) - timedelta(days=1)
    _, report = gate_service.gate_report(program.id, 4, today)
    assert today < report.gate_date
    line = next(x for x in report.lines if x.row.source == "benefits_case")
    reason = line.result.reason
    assert (line.result.outcome, reason.code) == (outcome, code)
    assert reason.params["expected"].value == 30_000
    assert reason.params["realised"].value == 30_000 * share / 100
    assert reason.params["share"].value == share
    assert (reason.params["measured"], reason.params["count"]) == (1, 1)
    # the same rule as the panel's badge
    case = benefit_service.benefits_case(program, today)
    assert case.on_track is (outcome == "met")


def test_on_the_gate_day_a_short_case_fails_the_gate(client, db, program) -> None:  # type: ignore[no-untyped-def]
    _benefit(db, program, 50.0)
    gate_day = gate_service.phase_by_ordinal(program, 4).window_end
    _, report = gate_service.gate_report(program.id, 4, gate_day)
    line = next(x for x in report.lines if x.row.source == "benefits_case")
    assert (line.result.outcome, line.result.reason.code) == ("not_met", "gate.benefits.short")
    assert report.evaluation.verdict == "fail"


def test_a_benefit_measured_only_before_go_live_is_not_evidence(db, program) -> None:  # type: ignore[no-untyped-def]
    go_live = _benefit(db, program, None)
    benefit = benefit_service.list_benefits(program)[0]
    benefit_service.add_benefit_reading(benefit, go_live - timedelta(days=3), 100.0)
    db.session.commit()
    _, report = gate_service.gate_report(program.id, 4, _months_after(go_live, 3))
    line = next(x for x in report.lines if x.row.source == "benefits_case")
    assert line.result.reason.code == "gate.benefits.no_readings"
    assert line.result.outcome == "at_risk"


@pytest.mark.parametrize("lang", ["en", "zh_Hans_CN"])
def test_the_gate_page_states_the_figures(app, db, program, lang) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import make_user, sign_in

    go_live = _benefit(db, program, 50.0)
    # the page judges on today: three whole months after the go-live month
    with time_machine.travel(_months_after(go_live, 4) - timedelta(days=1), tick=False):
        client = app.test_client()
        sign_in(client, make_user("judge@test.example", name="Judge", is_admin=True))
        client.post("/language", data={"lang": lang})
        page = client.get(f"/programs/{program.id}/gates/4").get_data(as_text=True)
    if lang == "en":
        assert "only 15,000 USD realised against 30,000 USD" in page
        assert "the case expects by now (50%; 100% needed)" in page
        assert "1 of 1 benefits measured since go-live" in page
    else:
        assert "仅实现 15,000 USD，效益测算预计到目前为 30,000 USD" in page
        assert "（50%；需达到 100%）" in page and "1 项效益中有 1 项在上线后有读数" in page


def test_the_criterion_form_sets_who_judges_it(client, db, program) -> None:  # type: ignore[no-untyped-def]
    client.post("/language", data={"lang": "en"})
    base = f"/programs/{program.id}/gates/3/criteria"
    form = client.get(f"{base}/new")
    assert b"The benefits case decides it" in form.data
    saved = client.post(
        f"{base}/new",
        data={"kind": "manual", "text": "Benefits proven", "source": "benefits_case", "met": "yes"},
    )
    assert saved.status_code == 302
    row = db.session.scalars(
        select(GateCriterion).where(GateCriterion.text == "Benefits proven")
    ).one()
    # judged by the case: no judgement of a person is kept
    assert (row.source, row.reference, row.met) == ("benefits_case", "benefits_case", None)
    refused = client.post(
        f"{base}/new", data={"kind": "manual", "text": "Other", "source": "robot"}
    )
    assert refused.status_code == 422
    assert (
        db.session.scalar(
            select(func.count()).select_from(GateCriterion).where(GateCriterion.text == "Other")
        )
        == 0
    )


def test_the_api_shows_and_sets_the_source(app, db, program, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    install_api(app, monkeypatch)
    api = api_as(app, "lead", program)
    gate = api.get(f"/programs/{program.id}/gates/4").get_json()
    review = next(c for c in gate["criteria"] if c["source"] == "benefits_case")
    assert review["reason_codes"] == ["gate.benefits.no_case"]
    assert review["met"] is None
    assert {c["source"] for c in gate["criteria"] if c["kind"] != "manual"} == {None}
    url = f"/programs/{program.id}/gates/2/criteria"
    made = api.post(url, {"kind": "manual", "text": "Benefits", "source": "benefits_case"})
    assert made.status_code == 201, made.get_json()
    assert made.get_json()["source"] == "benefits_case"
    assert made.get_json()["reason_codes"] == ["gate.benefits.no_case"]
    assert_problem(api.post(url, {"kind": "manual", "text": "x", "source": "robot"}), 422, "source")


def test_a_program_saved_as_a_playbook_keeps_the_benefit_review(db, program) -> None:  # type: ignore[no-untyped-def]
    from planner.domain.playbook import ManualCriterion
    from planner.services.save_playbook import program_playbook

    saved = program_playbook(program, playbook_id="acme-method", version="1.0", title="Acme")
    assert "source: benefits_case" in saved.text
    judged = [
        (phase.ordinal, c.text.en)
        for phase in saved.playbook.phases
        for c in phase.gate
        if isinstance(c, ManualCriterion) and c.source == "benefits_case"
    ]
    assert [o for o, _ in judged] == [4]
    again = create_program(saved.playbook, name="Again", client="C", start_date=date(2026, 1, 5))
    db.session.flush()
    assert _review(again).text == judged[0][1]
