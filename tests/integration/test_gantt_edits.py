"""The Gantt's JSON: its columnar data and its edits through the plan services."""

from __future__ import annotations

import gzip
import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from planner.models import Dependency
from planner.models.audit import AuditEvent
from planner.services.generate import generate_program
from tests.integration.plan_support import item, make_program, snapshot


@pytest.fixture()
def program(db):  # type: ignore[no-untyped-def]
    return make_program(db)


def _data(client, program):  # type: ignore[no-untyped-def]
    response = client.get(f"/programs/{program.id}/plan/gantt/data")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.get_json()


def _edit(client, program, **body):  # type: ignore[no-untyped-def]
    return client.post(f"/programs/{program.id}/plan/gantt/edits", json=body)


def _row(data: dict, key: str) -> int:  # type: ignore[type-arg]
    return data["items"]["key"].index(key)


def test_data_is_columnar_and_matches_the_stored_schedule(client, db, program) -> None:  # type: ignore[no-untyped-def]
    data = _data(client, program)
    items = data["items"]
    assert len(items["id"]) == len(items["name"]) == len(items["es"]) == len(program.work_items)
    origin = date.fromisoformat(data["origin"])
    some = program.work_items[3]
    at = items["id"].index(some.id)
    assert items["key"][at] == some.key
    assert origin + timedelta(days=items["es"][at]) == some.early_start
    assert origin + timedelta(days=items["ef"][at]) == some.early_finish
    assert items["ver"][at] == some.version
    links = data["links"]
    assert len(links["id"]) == db.session.query(Dependency).count()
    assert all(0 <= p < len(items["id"]) for p in links["p"])
    assert len(data["phases"]["key"]) == len(program.phases)
    assert any(items["crit"])


def test_a_drag_sets_a_start_no_earlier_than_and_says_what_moved(client, db, program) -> None:  # type: ignore[no-untyped-def]
    data = _data(client, program)
    target = program.work_items[5]
    at = _row(data, target.key)
    new_start = target.early_start + timedelta(days=14)
    answer = _edit(
        client,
        program,
        op="move",
        item=target.id,
        version=items_version(data, at),
        start=new_start.isoformat(),
    )
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    db.session.expire_all()
    moved = item(db, program, target.key)
    assert moved.constraint_type == "SNET" and moved.constraint_date == new_start
    assert moved.early_start >= new_start
    assert body["count"] >= 1 and target.key in [m[0] for m in body["moved"]]
    assert body["version"] == moved.version
    # the new dates of what moved, for the chart to move the bars at once
    dates = {key: (start, finish) for key, start, finish in body["dates"]}
    assert dates[target.key] == (moved.early_start.isoformat(), moved.early_finish.isoformat())
    assert len(dates) >= body["count"]
    assert body["undo"]["op"] == "restore" and body["undo"]["constraint"] == ""
    fields = db.session.scalars(
        select(AuditEvent.field).where(
            AuditEvent.entity == "workitem", AuditEvent.entity_id == moved.id
        )
    ).all()
    assert "constraint_date" in fields and "constraint_type" in fields
    # undo: the same endpoint restores what the drag replaced
    undone = _edit(client, program, **body["undo"])
    assert undone.status_code == 200, undone.get_json()
    db.session.expire_all()
    back = item(db, program, target.key)
    assert back.constraint_type is None and back.early_start == target.early_start


def items_version(data: dict, at: int) -> int:  # type: ignore[type-arg]
    return int(data["items"]["ver"][at])


def test_stretch_changes_the_duration_and_a_stale_version_is_refused(client, db, program) -> None:  # type: ignore[no-untyped-def]
    task = next(w for w in program.work_items if w.kind == "task")
    before, seen = task.duration_days, task.version
    ok = _edit(client, program, op="duration", item=task.id, version=seen, days=before + 3)
    assert ok.status_code == 200
    db.session.expire_all()
    assert item(db, program, task.key).duration_days == before + 3
    stale = _edit(client, program, op="duration", item=task.id, version=seen, days=2)
    assert stale.status_code == 409 and stale.get_json()["stale"]
    db.session.expire_all()
    assert item(db, program, task.key).duration_days == before + 3
    bad = _edit(
        client, program, op="duration", item=task.id, version=ok.get_json()["version"], days=0
    )
    assert bad.status_code == 422 and bad.get_json()["problems"][0][0] == "days"


def test_link_unlink_and_a_refused_cycle_change_nothing(client, db, program) -> None:  # type: ignore[no-untyped-def]
    existing = db.session.scalars(select(Dependency)).first()
    pred, succ = existing.predecessor, existing.successor
    before = snapshot(db, program.id)
    cycle = _edit(client, program, op="link", **{"from": succ.id, "to": pred.id, "type": "FS"})
    assert cycle.status_code == 422
    message = cycle.get_json()["message"]
    assert message.startswith("dependency cycle: ") and pred.key in message and succ.key in message
    assert snapshot(db, program.id) == before
    removed = _edit(client, program, op="unlink", dependency=existing.id)
    assert removed.status_code == 200
    undo = removed.get_json()["undo"]
    assert undo == {
        "op": "link",
        "from": pred.id,
        "to": succ.id,
        "type": existing.type,
        "lag": existing.lag_days,
    }
    assert db.session.get(Dependency, existing.id) is None
    added = _edit(client, program, **undo)
    assert added.status_code == 200
    new_id = added.get_json()["dependency"]
    assert db.session.get(Dependency, new_id).successor_id == succ.id


def test_cycle_is_named_in_chinese(client, db, program) -> None:  # type: ignore[no-untyped-def]
    existing = db.session.scalars(select(Dependency)).first()
    client.post("/language", data={"lang": "zh_Hans_CN", "next": "/"})
    answer = _edit(
        client, program, op="link", **{"from": existing.successor_id, "to": existing.predecessor_id}
    )
    assert answer.status_code == 422
    assert "循环" in answer.get_json()["message"]


def test_viewers_read_but_do_not_edit(login_as, db, program) -> None:  # type: ignore[no-untyped-def]
    viewer = login_as("viewer", program)
    assert viewer.get(f"/programs/{program.id}/plan/gantt/data").status_code == 200
    task = program.work_items[2]
    refused = _edit(viewer, program, op="duration", item=task.id, version=task.version, days=4)
    assert refused.status_code == 403
    outsider = login_as("outsider")
    assert outsider.get(f"/programs/{program.id}/plan/gantt/data").status_code == 404


def test_unknown_operation_is_refused(client, db, program) -> None:  # type: ignore[no-untyped-def]
    assert _edit(client, program, op="explode").status_code == 422


def test_ten_thousand_items_fit_in_300_kb_compressed(client, db) -> None:  # type: ignore[no-untyped-def]
    big = generate_program(10_000, start_date=date(2026, 3, 2), baseline_name="Plan")
    db.session.commit()
    response = client.get(
        f"/programs/{big.id}/plan/gantt/data", headers={"Accept-Encoding": "gzip"}
    )
    assert response.status_code == 200
    raw = response.data if response.headers.get("Content-Encoding") != "gzip" else response.data
    assert len(raw) <= 300_000, len(raw)
    data = (
        json.loads(gzip.decompress(raw))
        if response.headers.get("Content-Encoding") == "gzip"
        else json.loads(raw)
    )
    assert len(data["items"]["id"]) == 10_000
