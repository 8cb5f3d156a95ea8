"""Metrics and readings through the API: CRUD, targets, status, conflicts, validation, roles."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from planner.models import GateCriterion, Metric, MetricReading
from tests.integration.api_support import (
    api_as,
    assert_problem,
    audit_count,
    new_program,
)

NEW = {
    "key": "nps",
    "name": "Net promoter score",
    "unit": "points",
    "direction": "higher",
    "baseline": 10,
    "targets": [{"phase_ordinal": 1, "target": 20}, {"phase_ordinal": 4, "target": 40.5}],
}


pytestmark = pytest.mark.usefixtures("api")  # tests/integration/conftest.py


@pytest.fixture()
def program(db):
    return new_program()


def _metric(db, program, key):
    return db.session.scalar(
        select(Metric).where(Metric.program_id == program.id, Metric.key == key)
    )


def _counts(db):
    db.session.expire_all()
    metrics = db.session.scalar(select(func.count()).select_from(Metric))
    readings = db.session.scalar(select(func.count()).select_from(MetricReading))
    names = tuple(db.session.scalars(select(Metric.name).order_by(Metric.id)))
    return metrics, readings, names, audit_count()


def test_metric_crud(app, db, program) -> None:
    api = api_as(app, "lead", program)
    url = f"/programs/{program.id}/metrics"
    created = api.post(url, NEW)
    assert created.status_code == 201, created.get_json()
    metric = created.get_json()
    assert metric["targets"] == [
        {"phase_ordinal": 1, "target": 20.0},
        {"phase_ordinal": 4, "target": 40.5},
    ]
    assert metric["status"] is None and metric["latest_value"] is None and metric["status_reason"]
    assert metric["status_reason_codes"] and all(
        code.startswith("metric.") for code in metric["status_reason_codes"]
    )
    path = f"{url}/{metric['id']}"
    assert api.get(path).get_json() == metric
    listed = api.get(f"{url}?per_page=200").get_json()["items"]
    assert [m["id"] for m in listed] == sorted(m["id"] for m in listed) and listed[-1] == metric
    changed = api.patch(
        path, {"version": 1, "name": "NPS", "targets": [{"phase_ordinal": 2, "target": 30}]}
    )
    assert changed.status_code == 200, changed.get_json()
    after = changed.get_json()
    assert after["name"] == "NPS" and after["unit"] == "points"
    assert after["targets"] == [{"phase_ordinal": 2, "target": 30.0}]
    assert_problem(api.delete(f"{path}?version=1"), 409, "version")
    assert api.delete(f"{path}?version={after['version']}").status_code == 204
    assert _metric(db, program, "nps") is None


def test_renaming_a_key_carries_gate_criteria(app, db, program) -> None:
    api = api_as(app, "lead", program)
    metric = _metric(db, program, "active-users")
    response = api.patch(
        f"/programs/{program.id}/metrics/{metric.id}", {"version": 1, "key": "active-share"}
    )
    assert response.status_code == 200, response.get_json()
    references = db.session.scalars(
        select(GateCriterion.reference).where(GateCriterion.kind == "metric_target")
    ).all()
    assert "active-share" in references and "active-users" not in references


def test_a_metric_a_gate_measures_cannot_be_deleted(app, db, program) -> None:
    api = api_as(app, "lead", program)
    metric = _metric(db, program, "active-users")
    before = _counts(db)
    body = assert_problem(api.delete(f"/programs/{program.id}/metrics/{metric.id}?version=1"), 409)
    assert "gate" in body["detail"]
    assert _counts(db) == before


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({**NEW, "key": "Bad Key"}, "key"),
        ({**NEW, "key": "active-users"}, "key"),
        ({**NEW, "direction": "up"}, "direction"),
        ({**NEW, "name": ""}, "name"),
        ({**NEW, "targets": [{"phase_ordinal": 9, "target": 1}]}, "targets[0].phase_ordinal"),
        (
            {
                **NEW,
                "targets": [{"phase_ordinal": 1, "target": 1}, {"phase_ordinal": 1, "target": 2}],
            },
            "targets[1].phase_ordinal",
        ),
        ({**NEW, "targets": [{"phase_ordinal": 1, "target": "high"}]}, "targets[0].target"),
        (
            {**NEW, "unit": "%", "targets": [{"phase_ordinal": 1, "target": 150}]},
            "targets[0].target",
        ),
        ({**NEW, "amber_tolerance": 1.5}, "amber_tolerance"),
        ({**NEW, "baseline": 1e13}, "baseline"),
        ({**NEW, "status": "green"}, "status"),
        ({**NEW, "latest_value": 3}, "latest_value"),
    ],
)
def test_metric_validation(app, db, program, payload, field) -> None:
    api = api_as(app, "lead", program)
    before = _counts(db)
    assert_problem(api.post(f"/programs/{program.id}/metrics", payload), 422, field)
    assert _counts(db) == before


def test_reading_crud_and_status(app, db, program) -> None:
    api = api_as(app, "member", program)
    metric = _metric(db, program, "active-users")
    url = f"/programs/{program.id}/metrics/{metric.id}/readings"
    created = api.post(url, {"day": "2026-02-02", "value": 35, "note": "first count"})
    assert created.status_code == 201, created.get_json()
    reading = created.get_json()
    assert reading == {
        "id": reading["id"],
        "metric_id": metric.id,
        "day": "2026-02-02",
        "value": 35.0,
        "note": "first count",
        "version": 1,
    }
    api.post(url, {"day": "2026-03-02", "value": 40})
    ranged = api.get(f"{url}?since=2026-02-10").get_json()["items"]
    assert [r["day"] for r in ranged] == ["2026-03-02"]
    judged = api.get(f"/programs/{program.id}/metrics/{metric.id}").get_json()
    assert judged["latest_value"] == 40.0 and judged["latest_day"] == "2026-03-02"
    path = f"{url}/{reading['id']}"
    changed = api.patch(path, {"version": 1, "value": 36.5})
    assert changed.status_code == 200 and changed.get_json()["value"] == 36.5
    assert changed.get_json()["day"] == "2026-02-02"
    assert_problem(api.patch(path, {"version": 1, "value": 1}), 409, "version")
    assert_problem(api.delete(f"{path}?version=1"), 409, "version")
    assert api.delete(f"{path}?version=2").status_code == 204
    assert_problem(api.get(path), 404)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"day": "2026-02-02", "value": 120}, "value"),
        ({"day": "2030-01-01", "value": 10}, "day"),
        ({"day": "2026-01-10", "value": 10}, "day"),  # that day already has a reading
        ({"day": "2026-02-02"}, "value"),
        ({"day": "2026-02-02", "value": "ten"}, "value"),
        ({"value": 10}, "day"),
        ({"day": "2026-02-02", "value": 10, "metric_id": 3}, "metric_id"),
    ],
)
def test_reading_validation(app, db, program, payload, field) -> None:
    metric = _metric(db, program, "active-users")
    metric.readings.append(
        MetricReading(day=__import__("datetime").date(2026, 1, 10), value=5, note="")
    )
    db.session.commit()
    api = api_as(app, "member", program)
    before = _counts(db)
    assert_problem(
        api.post(f"/programs/{program.id}/metrics/{metric.id}/readings", payload), 422, field
    )
    assert _counts(db) == before


@pytest.mark.parametrize(
    "role", ["viewer", "steering", "member", "lead", "admin", "outsider", "anonymous"]
)
def test_roles_on_metrics(app, db, program, role) -> None:
    """Members record readings; defining metrics is the lead's, as in the pages."""
    api = api_as(app, role, program)
    metric = _metric(db, program, "active-users")
    base = f"/programs/{program.id}/metrics"
    read = api.get(base).status_code
    reading = api.post(
        f"{base}/{metric.id}/readings", {"day": "2026-02-02", "value": 1}
    ).status_code
    define = api.post(base, NEW).status_code
    expected = {
        "anonymous": (401, 401, 401),
        "outsider": (404, 404, 404),
        "viewer": (200, 403, 403),
        "steering": (200, 403, 403),
        "member": (200, 201, 403),
        "lead": (200, 201, 201),
        "admin": (200, 201, 201),
    }[role]
    assert (read, reading, define) == expected
