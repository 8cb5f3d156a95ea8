"""The action plan: proposals from the largest gaps, accept/edit/drop, work items of the plan."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from planner.models import WorkItem
from planner.models.assessment import ActionItem
from planner.services import assessment as service
from tests.integration.assessment_support import count, interview, make_program, start, url


@pytest.fixture()
def assessment(db):
    program = make_program(db)
    assessment = start(db, program)
    targets = {
        # key: (weight, critical, target); current comes from the interview below
        "cs-01": (1.5, True, 4),  # gap 3, weighted 4.5 (critical: weighted once) → strategic
        "cd-02": (1.5, True, 4.5),  # gap 2.5, weighted 3.75; the playbook says tactical
        "cm-02": (1.0, False, 4),  # gap 1, weighted 1 → tactical
        "ce-01": (1.0, False, 3),  # gap 0: no proposal
    }
    service.save_settings(
        assessment,
        assessment.version,
        {
            k: service.IndicatorSetting(weight=w, critical=c, target=t)
            for k, (w, c, t) in targets.items()
        },
    )
    interview(db, assessment, "senior", "Li Wei", {"cs-01": 1, "cd-02": 2, "cm-02": 3, "ce-01": 3})
    return assessment


def test_propose_accept_edit_drop_and_add_to_plan(client, db, assessment) -> None:
    program = assessment.program
    empty = client.get(url(program, assessment, "/actions")).get_data(as_text=True)
    assert "Propose actions from the largest gaps" in empty

    proposed = client.post(url(program, assessment, "/actions/propose"))
    assert proposed.status_code == 302
    actions = db.session.scalars(select(ActionItem).order_by(ActionItem.position)).all()
    assert [(a.indicator_key, a.priority, a.horizon) for a in actions] == [
        ("cs-01", 1, "strategic"),
        ("cd-02", 2, "tactical"),  # the playbook gives this indicator's own horizon
        ("cm-02", 3, "tactical"),
    ]
    # titles in both languages from the playbook's suggested action
    assert actions[0].title.startswith("Write a customer-management master plan")
    assert actions[0].title_zh and "客户管理总体规划" in actions[0].title_zh
    assert actions[0].weighted_gap == pytest.approx(4.5)  # 1.5 × 3, not doubled

    again = client.post(url(program, assessment, "/actions/propose"), follow_redirects=True)
    assert "No new proposal" in again.get_data(as_text=True)
    assert count(db, ActionItem) == 3

    cs01, cd02, cm02 = actions
    for action, status in ((cs01, "accepted"), (cd02, "accepted"), (cm02, "dropped")):
        response = client.post(
            url(program, assessment, f"/actions/{action.id}/status"),
            data={"status": status, "version": action.version},
        )
        assert response.status_code == 302
    edit = client.post(
        url(program, assessment, f"/actions/{cd02.id}/edit"),
        data={
            "title": "Run a data-cleansing campaign",
            "title_zh": "开展数据清洗",
            "horizon": "tactical",
            "priority": "1",
            "status": "accepted",
            "version": db.session.get(ActionItem, cd02.id).version,
        },
    )
    assert edit.status_code == 302
    bad = client.post(
        url(program, assessment, f"/actions/{cd02.id}/edit"),
        data={"title": "", "horizon": "soon", "priority": "7", "status": "accepted", "version": 9},
    )
    assert bad.status_code == 422
    db.session.expire_all()
    assert db.session.get(ActionItem, cd02.id).title == "Run a data-cleansing campaign"

    # a work item with the natural key exists already: the new one gets a suffix
    phase1 = next(p for p in program.phases if p.ordinal == 1)
    db.session.add(
        WorkItem(
            program_id=program.id, phase_id=phase1.id, key="act-cs-01", name="Old", duration_days=1
        )
    )
    db.session.commit()
    items_before = count(db, WorkItem)
    page = client.get(url(program, assessment, "/actions")).get_data(as_text=True)
    assert "2 accepted action(s) are not in the plan yet" in page
    added = client.post(url(program, assessment, "/actions/to-plan"), data={"phase": "1"})
    assert added.status_code == 302
    assert count(db, WorkItem) == items_before + 2
    db.session.expire_all()
    by_indicator = {a.indicator_key: a for a in db.session.scalars(select(ActionItem))}
    made = {k: a.work_item for k, a in by_indicator.items() if a.work_item}
    assert set(made) == {"cs-01", "cd-02"}
    assert made["cs-01"].key == "act-cs-01-2" and made["cd-02"].key == "act-cd-02"
    item = made["cd-02"]
    assert item.phase_id == phase1.id and item.name == "Run a data-cleansing campaign"
    assert item.name_zh == "开展数据清洗" and item.workstream == "data-migration"
    assert (item.constraint_type, item.constraint_date) == ("SNET", phase1.window_start)
    assert by_indicator["cm-02"].work_item is None  # dropped: not in the plan
    if service.reschedule_if_available(program):  # the scheduler computed the new items' dates
        db.session.expire_all()
        assert item.early_start is not None and item.early_start >= phase1.window_start

    # nothing left to add: a clear message, nothing created
    again = client.post(url(program, assessment, "/actions/to-plan"), data={"phase": "1"})
    assert again.status_code == 422
    assert "No accepted action is waiting" in again.get_data(as_text=True)
    assert count(db, WorkItem) == items_before + 2
    # an action in the plan stays accepted
    with pytest.raises(service.ValidationError, match="already a work item"):
        service.set_action_status(by_indicator["cs-01"], by_indicator["cs-01"].version, "dropped")


def test_add_to_a_chosen_phase_and_refuse_an_unknown_one(client, db, assessment) -> None:
    program = assessment.program
    (action, *_rest) = service.propose_actions(assessment)
    service.set_action_status(action, action.version, "accepted")
    db.session.commit()
    before = count(db, WorkItem)
    refused = client.post(url(program, assessment, "/actions/to-plan"), data={"phase": "42"})
    assert refused.status_code == 422
    assert count(db, WorkItem) == before
    ok = client.post(url(program, assessment, "/actions/to-plan"), data={"phase": "2"})
    assert ok.status_code == 302
    db.session.expire_all()
    phase2 = next(p for p in program.phases if p.ordinal == 2)
    item = db.session.get(ActionItem, action.id).work_item
    assert item.phase_id == phase2.id
    assert item.constraint_date == phase2.window_start


def test_propose_without_interviews_or_targets_gives_a_message(client, db) -> None:
    program = make_program(db, name="Bare")
    assessment = start(db, program)
    response = client.post(url(program, assessment, "/actions/propose"))
    assert response.status_code == 422
    assert "has no interviews yet" in response.get_data(as_text=True)
    interview(db, assessment, "senior", "A", {"cs-01": 1})
    no_targets = client.post(url(program, assessment, "/actions/propose"), follow_redirects=True)
    assert "Set targets in the settings" in no_targets.get_data(as_text=True)
    assert count(db, ActionItem) == 0
