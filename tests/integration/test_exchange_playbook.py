"""Save as playbook: a program's method as YAML that validates, keeps no client data, and
reproduces the program's structure when a program is made from it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from planner.domain.playbook import parse_playbook
from planner.extensions import db as _db
from planner.models import Dependency, GateCriterion, Metric, Phase, Program, Risk, WorkItem
from planner.services import plan as plan_service
from planner.services import risks as risk_service
from planner.services.programs import create_program
from tests.integration.exchange_support import (
    item,
    make_program,
    table_counts,
)

QUERY = {"playbook_id": "acme-method", "version": "2.0", "title": "Method from a pilot"}


@pytest.fixture()
def program(db):
    """A program with client data everywhere and a key a playbook cannot take."""
    program = make_program(db, name="Acme Industrial CRM rollout", client="Acme Industrial Co.")
    task = item(db, program, "diagnosis-plan")
    task.owner = "Wang Fang"
    task.percent_complete = 100
    task.actual_start = dt.date(2026, 3, 2)
    task.actual_finish = dt.date(2026, 3, 2)
    plan_service.add_item(
        program,
        key="PILOT.Extra",
        phase_id=program.phases[1].id,
        workstream="training-change",
        details=plan_service.ItemDetails(name="Extra pilot coaching", duration_days=7),
        predecessor_key="diagnosis-plan",
    )
    plan_service.add_dependency(program, "PILOT.Extra", "interviews-middle", "SS", -2)
    risk_service.create_risk(
        program,
        {
            "key": "R-11",
            "title": "Acme Industrial key users leave during the pilot",
            "category": "people",
            "owner": "Ma Li",
            "likelihood": 3,
            "impact": 4,
            "response": "transfer",
            "description": "Two of five key users at Acme Industrial applied for internal moves.",
        },
    )
    risk = db.session.scalars(
        select(Risk).where(Risk.program_id == program.id, Risk.key == "resistance-to-change")
    ).one()
    risk.owner = "Zhao Lei"
    risk.residual_likelihood = 2
    metric = db.session.scalars(select(Metric).where(Metric.program_id == program.id)).first()
    metric.owner = "Sun Hao"
    metric.baseline = 12.5  # the client's measured baseline
    program.phases[1].gate_criteria.append(
        GateCriterion(position=99, kind="milestones_done", reference="PILOT.Extra")
    )
    db.session.commit()
    return program


def structure(program_id: int) -> dict[str, Any]:
    """What a playbook carries, keyed so that two programs can be compared."""
    _db.session.expire_all()
    phases = _db.session.scalars(
        select(Phase).where(Phase.program_id == program_id).order_by(Phase.ordinal)
    ).all()
    items = _db.session.scalars(select(WorkItem).where(WorkItem.program_id == program_id)).all()
    key_of = {i.id: i.key.lower().replace(".", "-") for i in items}
    phase_of = {p.id: p.key for p in phases}
    deps = _db.session.scalars(select(Dependency).where(Dependency.program_id == program_id))
    risks = _db.session.scalars(select(Risk).where(Risk.program_id == program_id)).all()
    metrics = _db.session.scalars(select(Metric).where(Metric.program_id == program_id)).all()
    return {
        "phases": [
            (p.ordinal, p.key, p.kind, p.name, p.name_zh, p.goal, p.goal_zh, p.length_days)
            for p in phases
        ],
        "items": {
            key_of[i.id]: (
                phase_of[i.phase_id],
                i.kind,
                i.name,
                i.name_zh,
                i.duration_days,
                i.workstream,
                i.owner_role,
                i.deliverable,
            )
            for i in items
        },
        "links": {
            (key_of[d.predecessor_id], key_of[d.successor_id], d.type, d.lag_days) for d in deps
        },
        "risks": {
            r.key.lower(): (
                r.title.replace("Acme Industrial", "the client"),
                r.category,
                r.likelihood,
                r.impact,
                r.response,
                r.mitigation,
            )
            for r in risks
        },
        "metrics": {
            m.key: (m.name, m.unit, m.direction, {t.phase_ordinal: t.target for t in m.targets})
            for m in metrics
        },
        "gates": sorted(
            (p.key, c.kind, c.reference.lower().replace(".", "-"), c.text)
            for p in phases
            for c in p.gate_criteria
        ),
    }


def test_the_yaml_validates_and_reproduces_the_structure(client, db, program) -> None:
    response = client.get(f"/programs/{program.id}/exchange/playbook.yaml", query_string=QUERY)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="acme-method-2.0.yaml"'
    text = response.get_data(as_text=True)
    playbook = parse_playbook(text, source="acme-method-2.0.yaml")
    assert (playbook.id, playbook.version, playbook.title.en) == (
        "acme-method",
        "2.0",
        "Method from a pilot",
    )
    assert playbook.maturity is not None and playbook.risk_scale is not None  # from the source
    copy = create_program(
        playbook, name="Copy", client="Someone else", start_date=program.start_date
    )
    db.session.commit()
    assert structure(copy.id) == structure(program.id)


def test_client_data_stays_out(client, program) -> None:
    text = client.get(
        f"/programs/{program.id}/exchange/playbook.yaml", query_string=QUERY
    ).get_data(as_text=True)
    for secret in (
        "Acme Industrial",  # the client's name (without "Co."), also inside texts
        "Acme Industrial CRM rollout",  # the program's name
        "Wang Fang",
        "Ma Li",
        "Zhao Lei",
        "Sun Hao",  # people
        "2026-03-02",  # actual dates
        "12.5",  # the client's metric baseline
        "residual",
    ):
        assert secret not in text, secret
    assert "the client key users leave during the pilot" in text
    assert "pilot-extra" in text and "PILOT.Extra" not in text


def test_defaults_without_a_form(client, program) -> None:
    response = client.get(f"/programs/{program.id}/exchange/playbook.yaml")
    assert response.status_code == 200
    playbook = parse_playbook(response.get_data(as_text=True))
    assert playbook.id == "crm-four-100-days-refined"
    assert playbook.version == "1.0"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("playbook_id", "Not A Key", "lower-case letters"),
        ("version", "v2", "A version such as 1.0"),
        ("title", "", "This field is required"),
    ],
)
def test_a_bad_form_says_which_field(client, db, program, field, value, message) -> None:
    before = table_counts(db)
    response = client.get(
        f"/programs/{program.id}/exchange/playbook.yaml", query_string={**QUERY, field: value}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert 'class="invalid-feedback d-block"' in page
    assert table_counts(db) == before


def test_a_viewer_may_save_the_method_an_outsider_may_not(login_as, program) -> None:
    url = f"/programs/{program.id}/exchange/playbook.yaml"
    assert login_as("viewer", program).get(url, query_string=QUERY).status_code == 200
    assert login_as("outsider").get(url, query_string=QUERY).status_code == 404


def test_an_imported_program_saves_as_a_playbook_too(client, db) -> None:
    from pathlib import Path

    from tests.integration.exchange_support import upload

    data = (
        Path(__file__).parent.parent / "fixtures" / "mspdi" / "ms_project_2019.xml"
    ).read_bytes()
    assert upload(client, "/programs/import", "p.xml", data, client="Acme").status_code == 302
    program = db.session.scalars(select(Program)).one()
    response = client.get(f"/programs/{program.id}/exchange/playbook.yaml", query_string=QUERY)
    assert response.status_code == 200
    playbook = parse_playbook(response.get_data(as_text=True))
    copy = create_program(playbook, name="Copy", client="Other", start_date=program.start_date)
    db.session.commit()
    assert structure(copy.id)["links"] == structure(program.id)["links"]
    assert structure(copy.id)["items"].keys() == structure(program.id)["items"].keys()


def test_metric_descriptions_are_carried_over(client, db, program) -> None:
    metric = program.metrics[0]
    metric.description = "Share of licensed users active in the week"
    db.session.commit()
    response = client.get(f"/programs/{program.id}/exchange/playbook.yaml", query_string=QUERY)
    assert response.status_code == 200
    playbook = parse_playbook(response.get_data(as_text=True), source="x.yaml")
    saved = {m.key: m for m in playbook.metrics}[metric.key]
    assert saved.description is not None
    assert saved.description.en == "Share of licensed users active in the week"
