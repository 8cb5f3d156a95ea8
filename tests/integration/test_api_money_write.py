"""The money API writes what a finance or BI system sends: fixed costs and invoices, budgets
and benefit readings; refusals name the field and store nothing; the benefits case tells how
the benefit review stands."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from planner.models import Benefit, BenefitReading, BudgetLine, CostEntry
from planner.services import benefits as benefit_service
from tests.integration.api_support import api_as, assert_problem, install_api, new_program


def _counts(db):  # type: ignore[no-untyped-def]
    return tuple(
        db.session.scalar(select(func.count()).select_from(m))
        for m in (CostEntry, BudgetLine, BenefitReading, Benefit)
    )


def test_costs_budgets_and_readings(app, db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    install_api(app, monkeypatch)
    program = new_program()
    pid = program.id
    lead = api_as(app, "lead", program)
    cost = {"kind": "invoice", "category": "licence", "amount": 1200, "day": "2026-02-10",
            "phase": 1, "note": "CRM subscriptions"}  # fmt: skip
    made = lead.post(f"/programs/{pid}/costs", cost)
    assert made.status_code == 201, made.get_json()
    planned = {"kind": "planned", "category": "services", "amount": 800, "day": "2026-03-01",
               "item": "roadmap"}  # fmt: skip
    assert lead.post(f"/programs/{pid}/costs", planned).status_code == 201
    assert lead.post(f"/programs/{pid}/budget", {"amount": 5000, "phase": 1}).status_code == 201
    money = lead.get(f"/programs/{pid}/money").get_json()
    phase1 = next(p for p in money["phases"] if p["label"] == program.phases[1].key)
    assert phase1["budget"] == 5000
    assert money["program"]["actual"] >= 1200  # the invoice is an actual cost
    benefit_service.create_benefit(
        program,
        {"key": "retention", "baseline": "80", "target": "85", "annual_value": "120000",
         "go_live_phase": "1", "ramp_months": "6"},
    )  # fmt: skip
    db.session.commit()
    read = lead.post(f"/programs/{pid}/benefits/retention/readings",
                     {"day": "2026-05-04", "value": 82.5})  # fmt: skip
    assert read.status_code == 201, read.get_json()
    case = lead.get(f"/programs/{pid}/benefits").get_json()
    line = case["benefits"][0]
    assert (line["latest"], line["achieved"]) == (82.5, 0.5)  # half way from 80 to 85
    review = case["benefit_review"]
    assert review["phase"] == 4 and review["outcome"] in ("met", "on_track", "at_risk", "not_met")
    assert review["reason_codes"][0].startswith("gate.benefits.")


def test_bad_money_input_is_refused_naming_the_field(app, db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    install_api(app, monkeypatch)
    program = new_program()
    pid = program.id
    lead = api_as(app, "lead", program)
    before = _counts(db)
    day = "2026-02-10"
    for body, field in [
        ({"kind": "invoice", "amount": -5, "day": day}, "amount"),
        ({"kind": "invoice", "amount": 5, "day": day, "currency": "EUR"}, "currency"),
        ({"kind": "invoice", "amount": 5, "day": day, "item": "nope"}, "item"),
        ({"kind": "invoice", "amount": 5, "day": day, "workstream": "astrology"}, "workstream"),
        ({"kind": "bribe", "amount": 5, "day": day}, "kind"),
    ]:
        assert_problem(lead.post(f"/programs/{pid}/costs", body), 422, field)
    assert_problem(lead.post(f"/programs/{pid}/budget", {"amount": -1}), 422, "amount")
    assert_problem(lead.post(f"/programs/{pid}/budget", {"amount": 1, "phase": 9}), 422, "phase")
    assert_problem(lead.post(f"/programs/{pid}/budget", {"amount": 1, "workstream": "x"}),
                   422, "workstream")  # fmt: skip
    missing = lead.post(f"/programs/{pid}/benefits/nope/readings", {"day": day, "value": 1})
    assert missing.status_code == 404
    assert _counts(db) == before
    viewer = api_as(app, "viewer", program)
    refused = viewer.post(f"/programs/{pid}/budget", {"amount": 1})
    assert refused.status_code == 403


def test_a_benefit_that_cannot_be_realised_is_refused(db) -> None:  # type: ignore[no-untyped-def]
    import pytest

    from planner.domain.errors import ValidationError

    program = new_program()
    base = {"key": "retention", "annual_value": "5", "baseline": "1", "target": "2",
            "go_live_phase": "1", "ramp_months": "3"}  # fmt: skip
    for change, problem in [
        ({"go_live_phase": "9"}, ("go_live_phase", "field.unknown_reference")),
        ({"target": "1"}, ("target", "money.benefit_no_change")),
    ]:
        with pytest.raises(ValidationError) as caught:
            benefit_service.create_benefit(program, {**base, **change})
        db.session.rollback()
        assert problem in {(p.field, p.code) for p in caught.value.problems}
    assert db.session.scalar(select(func.count()).select_from(Benefit)) == 0
    assert benefit_service.benefits_case(program, date(2026, 6, 1)).payback_months is None


def test_a_phase_ordinal_beyond_any_phase_is_a_422_not_a_server_error(app, db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Found by the API fuzzer on PostgreSQL: an ordinal past the database's integer range."""
    install_api(app, monkeypatch)
    program = new_program()
    lead = api_as(app, "lead", program)
    before = _counts(db)
    huge = {"kind": "invoice", "category": "licence", "amount": 1, "day": "2026-02-10",
            "phase": 30_229_404_017}  # fmt: skip
    assert lead.post(f"/programs/{program.id}/costs", huge).status_code in (400, 422)
    budget = {"amount": 5, "phase": -4_185_781_953_838_810}
    assert lead.post(f"/programs/{program.id}/budget", budget).status_code in (400, 422)
    assert _counts(db) == before
