"""RAID owners are people of the directory: an issue's owner, an action's owner (whatever it
belongs to), who decided and who asked for a change are linked to the person of that name
(a new name becomes a stakeholder; the signed-in member's e-mail reads as their person);
renames follow, a merge moves every link, and the person page lists what each person owns."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from planner.models import Person, User
from planner.services import change_requests as changes
from planner.services import people, raid
from tests.integration.plan_support import make_program

TODAY = date(2026, 3, 2)


def person(db, program, name: str) -> Person:  # type: ignore[no-untyped-def]
    return db.session.scalars(
        select(Person).where(Person.program_id == program.id, Person.name == name)
    ).one()


def raid_rows(program):  # type: ignore[no-untyped-def]
    issue = raid.create_issue(program, {"title": "Quotes", "owner": "Gu Lan"}, TODAY)
    action = raid.add_action(program, "issue", issue.id, {"title": "Call", "owner": "Gu Lan"})
    gate = raid.add_action(
        program, "gate", program.phases[1].id, {"title": "Evidence", "owner": "Xu Na"}
    )
    decision = raid.record_decision(program, {"title": "Freeze", "decided_by": "Gu Lan"}, TODAY)
    driver = next(i for i in program.work_items if i.kind == "task")
    change = changes.create_change(
        program,
        {
            "title": "More",
            "kind": "add_work",
            "work_item": driver.key,
            "days": 2,
            "requester": "Xu Na",
        },
        TODAY,
    )
    return issue, action, gate, decision, change


def test_raid_names_link_to_people_and_follow_renames(db) -> None:  # type: ignore[no-untyped-def]
    program = make_program(db)
    issue, action, gate, decision, change = raid_rows(program)
    db.session.commit()
    gu, xu = person(db, program, "Gu Lan"), person(db, program, "Xu Na")
    assert gu.kind == "stakeholder"
    assert issue.owner_person_id == action.owner_person_id == decision.decided_by_person_id
    assert issue.owner_person_id == gu.id
    assert gate.owner_person_id == change.requester_person_id == xu.id
    counts = people.owned_counts(program)
    assert counts[gu.id] == 3 and counts[xu.id] == 2
    people.update_person(
        program, gu, {"name": "Gu Lanlan", "capacity_hours": 40, "kind": "stakeholder"}, gu.version
    )
    db.session.commit()
    assert (issue.owner, action.owner, decision.decided_by) == ("Gu Lanlan",) * 3


def test_a_merge_moves_the_raid_links_too(db) -> None:  # type: ignore[no-untyped-def]
    program = make_program(db)
    issue, action, gate, decision, change = raid_rows(program)
    db.session.commit()
    gu, xu = person(db, program, "Gu Lan"), person(db, program, "Xu Na")
    moved = people.merge_person(program, gu, xu)
    db.session.commit()
    assert moved == 3
    rows = (
        (issue.owner_person_id, issue.owner),
        (action.owner_person_id, action.owner),
        (decision.decided_by_person_id, decision.decided_by),
        (change.requester_person_id, change.requester),
    )
    assert set(rows) == {(xu.id, "Xu Na")}
    assert db.session.get(Person, gu.id) is None
    assert [o.kind for o in people.owned_by(xu)] == [
        "action",
        "action",
        "issue",
        "decision",
        "change",
    ]


def test_the_signed_in_decider_is_their_person_and_the_person_page_lists_raid(db, login_as) -> None:  # type: ignore[no-untyped-def]
    program = make_program(db)
    steering = login_as("steering", program)
    account = db.session.scalars(select(User).where(User.email.startswith("steering"))).one()
    account.name = "Zhao Qiang"
    db.session.commit()
    made = steering.post(
        f"/programs/{program.id}/raid/decisions/new", data={"title": "Go on with phase 2"}
    )
    assert made.status_code == 302
    decision = raid.list_decisions(program)[0]
    linked = db.session.get(Person, decision.decided_by_person_id)
    assert linked is not None and linked.kind == "member" and linked.user_id is not None
    assert decision.decided_by == linked.name == "Zhao Qiang"
    issue, *_rest = raid_rows(program)
    db.session.commit()
    gu = person(db, program, "Gu Lan")
    lead = login_as("lead", program)
    page = lead.get(f"/programs/{program.id}/people/{gu.id}").get_data(as_text=True)
    assert f"/raid/issues/{issue.id}" in page and "What Gu Lan owns (3)" in page
    assert f"/raid/decisions/{_rest[2].id}" in page
    form = lead.get(f"/programs/{program.id}/raid/issues/new").get_data(as_text=True)
    assert '<option value="Gu Lan">' in form and 'list="raid-people"' in form
    zh = lead.get(
        f"/programs/{program.id}/people/{gu.id}", headers={"Accept-Language": "zh-CN"}
    ).get_data(as_text=True)
    assert "Gu Lan 负责的事项" in zh
