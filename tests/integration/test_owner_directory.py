"""Owners found in the program's directory, once per flush: a name, an e-mail (the person's
or their account's, any case) or a playbook role; a new name is one new person however many
rows name it; a rename not yet flushed is matched by the stored name, as a query would; and
the directory is read with one query per program and flush, not one to three per owned row."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from planner.models import Membership, Person, User, WorkItem
from tests.integration.exchange_support import count_queries
from tests.integration.plan_support import make_program


def person(db: Any, program: Any, name: str) -> Person:
    return db.session.scalars(
        select(Person).where(Person.program_id == program.id, Person.name == name)
    ).one()


def add_person(db: Any, program: Any, name: str, email: str | None = None) -> Person:
    row = Person(
        program_id=program.id,
        name=name,
        email=email,
        kind="stakeholder",
        role="",
        team="",
        capacity_hours=40.0,
    )
    db.session.add(row)
    db.session.flush()
    return row


def tasks(program: Any, count: int) -> list[WorkItem]:
    return [i for i in program.work_items if i.kind == "task"][:count]


def test_names_e_mails_and_roles_find_their_person(db) -> None:  # type: ignore[no-untyped-def]
    program = make_program(db)
    add_person(db, program, "Gu Lan", email="Gu.Lan@Client.example")
    account = User(email="Xu.Na@Client.example", name="Xu Na", password_hash="x")
    db.session.add(account)
    db.session.flush()
    db.session.add(Membership(user_id=account.id, program_id=program.id, role="member"))
    db.session.commit()
    role = db.session.scalars(
        select(Person).where(Person.program_id == program.id, Person.kind == "role")
    ).first()
    assert role is not None
    first, second, third, fourth = tasks(program, 4)
    first.owner = "Gu Lan"
    second.owner = "gu.lan@client.EXAMPLE"
    third.owner = role.role.upper()
    fourth.owner = "xu.na@client.example"
    db.session.commit()
    gu = person(db, program, "Gu Lan")
    assert first.owner_person_id == second.owner_person_id == gu.id
    assert second.owner == "Gu Lan"  # an e-mail reads as its person
    assert third.owner_person_id == role.id
    xu = person(db, program, "Xu Na")  # made from the member's account, named as it is
    assert (xu.kind, xu.user_id, fourth.owner) == ("member", account.id, "Xu Na")


def test_a_new_name_is_one_person_however_many_rows_name_it(db) -> None:  # type: ignore[no-untyped-def]
    program = make_program(db)
    for item in tasks(program, 12):
        item.owner = "Ma Rui"
    db.session.commit()
    ma = person(db, program, "Ma Rui")
    assert ma.kind == "stakeholder"
    assert {i.owner_person_id for i in tasks(program, 12)} == {ma.id}


def test_an_unflushed_rename_is_matched_by_its_stored_name(db) -> None:  # type: ignore[no-untyped-def]
    program = make_program(db)
    gu = add_person(db, program, "Gu Lan")
    db.session.commit()
    item = tasks(program, 1)[0]  # loaded first: a load would flush the rename
    gu.name = "Gu Lanlan"  # not flushed yet: the stored row is still "Gu Lan"
    item.owner = "Gu Lan"
    db.session.flush()
    assert item.owner_person_id == gu.id


def test_the_directory_is_read_once_per_flush(db) -> None:  # type: ignore[no-untyped-def]
    program = make_program(db)
    items = tasks(program, 30)
    for number, item in enumerate(items):
        item.owner = f"Owner {number % 7}"
    with count_queries(db) as seen:
        db.session.flush()
    reads = [s for s in seen if s.lstrip().upper().startswith("SELECT") and "person" in s]
    assert len(reads) == 1, reads
    assert len({i.owner_person_id for i in items}) == 7
