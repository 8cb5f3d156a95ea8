"""Naming several playbook roles at once (``people.merge_people``) does what merging them one
by one does: the same rows move, the same people go with their days off, the same audit
rows are written; a person merged twice, or merged and merged into, is refused."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from planner.models import Assignment, AuditEvent, EffortLog, Person, PersonDayOff, WorkItem
from planner.services import people
from planner.services.playbooks import get_playbook
from planner.services.programs import create_program

NAMES = {"data steward": "Sun Hao", "sponsor": "Liu Yang", "consultant": "Chen Jing"}


def _program(db: Any, name: str) -> tuple[Any, list[tuple[Person, Person]]]:
    """A program whose three roles each have a person to be named as, the data steward with
    an assignment, logged hours and a day off."""
    program = create_program(
        get_playbook("crm-four-100-days"), name=name, client="C", start_date=date(2026, 1, 5)
    )
    roles = {p.role: p for p in people.list_people(program) if p.kind == "role"}
    named = {
        role: people.create_person(program, {"name": name, "capacity_hours": "40"})
        for role, name in NAMES.items()
    }
    steward = roles["data steward"]
    item = db.session.scalars(
        select(WorkItem).where(WorkItem.program_id == program.id, WorkItem.kind == "task")
    ).first()
    db.session.add(Assignment(program_id=program.id, work_item_id=item.id, person_id=steward.id))
    db.session.add(
        EffortLog(
            program_id=program.id,
            person_id=steward.id,
            work_item_id=item.id,
            week=date(2026, 1, 5),
            hours=6.0,
        )
    )
    people.add_day_off(steward, date(2026, 2, 2), date(2026, 2, 3), "leave")
    db.session.commit()
    return program, [(roles[role], named[role]) for role in NAMES]


def _trail(db: Any, program_id: int, after: int) -> Counter[tuple[Any, ...]]:
    """The audit rows written since ``after``, ids left out (two programs, two id ranges)."""
    rows = db.session.scalars(
        select(AuditEvent).where(AuditEvent.program_id == program_id, AuditEvent.id > after)
    )
    return Counter(
        (
            r.action,
            r.entity,
            r.entity_label,
            r.field,
            None if (r.field or "").endswith("_id") else r.old_value,
            None if (r.field or "").endswith("_id") else r.new_value,
        )
        for r in rows
    )


def _last_audit(db: Any) -> int:
    return max(db.session.scalars(select(AuditEvent.id)), default=0)


def _state(db: Any, program_id: int) -> dict[str, Any]:
    """Who owns, is assigned to and logged what, by name; who is left; their days off."""
    names = {
        p.id: p.name
        for p in db.session.scalars(select(Person).where(Person.program_id == program_id))
    }
    items = db.session.scalars(select(WorkItem).where(WorkItem.program_id == program_id))
    return {
        "people": sorted(names.values()),
        "owners": sorted(
            (i.key, i.owner or "", names.get(i.owner_person_id or 0, "")) for i in items
        ),
        "assigned": sorted(
            names[a.person_id]
            for a in db.session.scalars(
                select(Assignment).where(Assignment.program_id == program_id)
            )
        ),
        "logged": sorted(
            names[e.person_id]
            for e in db.session.scalars(select(EffortLog).where(EffortLog.program_id == program_id))
        ),
        "days_off": sorted(
            names.get(d.person_id, "gone")
            for d in db.session.scalars(select(PersonDayOff))
            if d.person_id in names
        ),
        "roles": sorted(
            (p.name, p.role)
            for p in db.session.scalars(select(Person).where(Person.program_id == program_id))
        ),
    }


def test_merging_many_at_once_is_merging_them_one_by_one(db) -> None:  # type: ignore[no-untyped-def]
    one_by_one, pairs_a = _program(db, "A")
    at_once, pairs_b = _program(db, "B")

    before = _last_audit(db)
    moved_a = sum(people.merge_person(one_by_one, source, into) for source, into in pairs_a)
    db.session.commit()
    middle = _last_audit(db)
    moved_b = people.merge_people(at_once, pairs_b)
    db.session.commit()

    assert moved_b == moved_a > 0
    assert _state(db, at_once.id) == _state(db, one_by_one.id)
    assert _state(db, at_once.id)["assigned"] == ["Sun Hao"]
    assert _state(db, at_once.id)["days_off"] == []  # went with the role's row
    trail = _trail(db, at_once.id, middle)
    assert trail == _trail(db, one_by_one.id, before)
    assert {row[:2] for row in trail} >= {("delete", "person"), ("update", "person")}
    assert db.session.scalars(select(PersonDayOff)).all() == []


def test_a_chain_or_a_double_merge_is_refused_and_a_self_merge_is_nothing(db) -> None:  # type: ignore[no-untyped-def]
    program, pairs = _program(db, "C")
    (steward, sun), (sponsor, liu), _ = pairs
    with pytest.raises(ValueError):
        people.merge_people(program, [(steward, sun), (sun, liu)])
    with pytest.raises(ValueError):
        people.merge_people(program, [(steward, sun), (steward, liu)])
    assert people.merge_people(program, [(sun, sun)]) == 0
    assert people.merge_people(program, []) == 0
    assert db.session.get(Person, steward.id) is not None
