"""The risk register through the API: CRUD, filters, computed scores, transitions, roles."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from planner.models import Risk
from tests.integration.api_support import (
    api_as,
    assert_problem,
    audit_count,
    new_program,
)

pytestmark = pytest.mark.usefixtures("api")  # tests/integration/conftest.py


@pytest.fixture()
def program(db):
    return new_program()


def _state(db, risk_id):
    db.session.expire_all()
    risk = db.session.get(Risk, risk_id)
    return (risk.title, risk.status, risk.likelihood, risk.version, audit_count()) if risk else None


def test_create_read_update_delete(app, db, program) -> None:
    api = api_as(app, "member", program)
    url = f"/programs/{program.id}/risks"
    created = api.post(
        url,
        {
            "title": "Key user leaves",
            "likelihood": 4,
            "impact": 5,
            "owner": "Wang",
            "category": "people",
            "review_date": "2026-03-01",
        },
    )
    assert created.status_code == 201, created.get_json()
    risk = created.get_json()
    assert risk["key"] == "R-1" and risk["status"] == "open"
    assert risk["score"] == 20 and risk["residual_score"] == 20
    assert risk["inherent_band"] == risk["residual_band"] != ""
    path = f"{url}/{risk['id']}"
    assert api.get(path).get_json() == risk
    changed = api.patch(
        path, {"version": 1, "residual_likelihood": 2, "residual_impact": 2, "status": "mitigating"}
    )
    assert changed.status_code == 200, changed.get_json()
    after = changed.get_json()
    assert after["residual_score"] == 4 and after["score"] == 20 and after["status"] == "mitigating"
    assert after["owner"] == "Wang" and after["version"] == 2  # fields not sent are kept
    assert after["residual_band"] != after["inherent_band"]
    assert_problem(api.delete(f"{path}?version=1"), 409, "version")
    assert api.delete(f"{path}?version=2").status_code == 204
    assert db.session.get(Risk, risk["id"]) is None


def test_filters_and_order(app, db, program) -> None:
    api = api_as(app, "viewer", program)
    url = f"/programs/{program.id}/risks?per_page=200"
    everything = api.get(url).get_json()["items"]
    ids = [r["id"] for r in everything]
    assert ids == sorted(ids) and len(ids) == 11
    band = everything[0]["residual_band"]
    same = api.get(f"{url}&band={band}").get_json()["items"]
    assert same and all(r["residual_band"] == band for r in same)
    assert len(same) == sum(1 for r in everything if r["residual_band"] == band)
    risk = db.session.get(Risk, ids[0])
    risk.status = "closed"
    risk.owner = "Zhang"
    db.session.commit()
    closed = api.get(f"{url}&status=closed").get_json()["items"]
    assert [r["id"] for r in closed] == [ids[0]]
    assert [r["id"] for r in api.get(f"{url}&owner=Zhang").get_json()["items"]] == [ids[0]]
    assert_problem(api.get(f"{url}&band=purple"), 400, "band")
    assert_problem(api.get(f"{url}&status=gone"), 400, "status")
    second = api.get(f"/programs/{program.id}/risks?per_page=5&page=2").get_json()
    assert [r["id"] for r in second["items"]] == ids[5:10] and second["prev"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"score": 3}, "score"),
        ({"residual_band": "low"}, "residual_band"),
        ({"key": "R-99"}, "key"),
        ({"likelihood": 6}, "likelihood"),
        ({"impact": 0}, "impact"),
        ({"likelihood": None}, "likelihood"),
        ({"title": ""}, "title"),
        ({"title": "x" * 301}, "title"),
        ({"response": "ignore"}, "response"),
        ({"proximity_phase_id": 999999}, "proximity_phase_id"),
        ({"review_date": "soon"}, "review_date"),
        ({"category": "c" * 65}, "category"),
        ({"unknown": 1}, "unknown"),
    ],
)
def test_invalid_updates_name_the_field_and_change_nothing(
    app, db, program, payload, field
) -> None:
    api = api_as(app, "member", program)
    risk = db.session.scalars(select(Risk).where(Risk.program_id == program.id)).first()
    before = _state(db, risk.id)
    response = api.patch(f"/programs/{program.id}/risks/{risk.id}", {"version": 1, **payload})
    assert_problem(response, 422, field)
    assert _state(db, risk.id) == before


def test_status_transition_rule_of_the_register(app, db, program) -> None:
    api = api_as(app, "member", program)
    risk = db.session.scalars(select(Risk).where(Risk.program_id == program.id)).first()
    path = f"/programs/{program.id}/risks/{risk.id}"
    assert api.patch(path, {"version": 1, "status": "closed"}).status_code == 200
    before = _state(db, risk.id)
    body = assert_problem(api.patch(path, {"version": 2, "status": "mitigating"}), 422, "status")
    assert "reopen" in body["errors"][0]["message"]
    assert _state(db, risk.id) == before


def test_create_validation(app, db, program) -> None:
    api = api_as(app, "member", program)
    url = f"/programs/{program.id}/risks"
    before = audit_count()
    assert_problem(api.post(url, {"title": "T", "likelihood": 3}), 422, "impact")
    assert_problem(
        api.post(url, {"title": "T", "likelihood": 3, "impact": 3, "key": "resistance-to-change"}),
        422,
        "key",
    )
    assert_problem(
        api.post(url, {"title": "T", "likelihood": 3, "impact": 3, "inherent_band": "high"}),
        422,
        "inherent_band",
    )
    assert audit_count() == before


@pytest.mark.parametrize(
    "role", ["viewer", "steering", "member", "lead", "admin", "outsider", "anonymous"]
)
def test_roles_on_risks(app, db, program, role) -> None:
    api = api_as(app, role, program)
    url = f"/programs/{program.id}/risks"
    read = api.get(url)
    write = api.post(url, {"title": f"by {role}", "likelihood": 2, "impact": 2})
    expected_read, expected_write = {
        "anonymous": (401, 401),
        "outsider": (404, 404),
        "viewer": (200, 403),
        "steering": (200, 403),
        "member": (200, 201),
        "lead": (200, 201),
        "admin": (200, 201),
    }[role]
    assert read.status_code == expected_read
    assert write.status_code == expected_write
    titles = db.session.scalars(select(Risk.title).where(Risk.program_id == program.id)).all()
    assert (f"by {role}" in titles) == (expected_write == 201)
