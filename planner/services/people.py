"""The people directory of a program: members and named stakeholders, their role, team,
weekly capacity, rate and days off; playbook roles to be named; owners follow renames."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from planner.domain.errors import NotFoundError, Problem, ValidationError
from planner.extensions import db
from planner.models import (
    Assignment,
    EffortLog,
    Membership,
    Person,
    PersonDayOff,
    Program,
)
from planner.services.concurrency import check_version
from planner.services.money_input import MAX_WEEK_HOURS, currency, number, settings_of, text
from planner.services.owners import OWNED as OWNED
from planner.services.owners import OWNER_FIELDS

STANDARD_WEEK_HOURS = 40.0


def list_people(program: Program) -> list[Person]:
    return list(
        db.session.scalars(
            select(Person).where(Person.program_id == program.id).order_by(Person.name)
        )
    )


def people_names(program: Program) -> list[str]:
    """The names an owner field offers (the directory, roles still to name last)."""
    rows = db.session.execute(
        select(Person.name, Person.kind).where(Person.program_id == program.id)
    ).all()
    return [name for name, _kind in sorted(rows, key=lambda r: (r[1] == "role", r[0].lower()))]


@dataclass(frozen=True)
class Someone:
    """One human across the programs: their rows (one per program), joined by identity."""

    identity: str
    name: str
    kind: str  # member when any row is a member, else stakeholder
    roles: tuple[str, ...]
    teams: tuple[str, ...]
    email: str | None
    capacity_hours: float  # the largest of their rows' weekly hours
    rows: tuple[tuple[Program, Person], ...]


def people_across(programs: Sequence[Program]) -> list[Someone]:
    """Every named person of ``programs`` (roles still to name left out), one entry a human
    (members by account, stakeholders by e-mail), by name; one query."""
    by_id = {p.id: p for p in programs}
    rows = db.session.scalars(
        select(Person)
        .where(Person.program_id.in_(list(by_id)), Person.kind != "role")
        .order_by(Person.name, Person.program_id)
    )
    grouped: dict[str, list[Person]] = {}
    for person in rows:
        grouped.setdefault(person.identity, []).append(person)
    found = []
    for identity, people in grouped.items():
        first = people[0]
        found.append(
            Someone(
                identity=identity,
                name=first.name,
                kind="member" if any(p.kind == "member" for p in people) else first.kind,
                roles=tuple(dict.fromkeys(p.role for p in people if p.role)),
                teams=tuple(dict.fromkeys(p.team for p in people if p.team)),
                email=next((p.email for p in people if p.email), None),
                capacity_hours=max(p.capacity_hours for p in people),
                rows=tuple((by_id[p.program_id], p) for p in people),
            )
        )
    return sorted(found, key=lambda s: s.name.casefold())


def get_person(program: Program, person_id: int) -> Person:
    person = db.session.get(Person, person_id)
    if person is None or person.program_id != program.id:
        raise NotFoundError(problems=[Problem("person", "row.not_found")])
    return person


def person_by_name(program: Program, name: str, field: str = "person") -> Person:
    """The person called ``name``; an unknown name is refused with ``field`` named."""
    person = db.session.scalars(
        select(Person).where(Person.program_id == program.id, Person.name == name.strip())
    ).first()
    if person is None:
        raise ValidationError(problems=[Problem(field, "money.unknown_person", {"value": name})])
    return person


def seed_roles(program: Program, roles: Iterable[str] = ()) -> list[Person]:
    """Playbook owner roles become ``role`` people to name ("data steward" → who): one per
    owner role of the program's work items (still in memory: call before they are first
    flushed, so each is inserted with its owner) and of ``roles`` (the metrics' owner roles,
    which the owner listener links by role). Naming the role (a rename, or
    :func:`merge_person` into someone) gives its items to a real person."""
    items = [i for phase in program.phases for i in phase.work_items]
    wanted = [i.owner_role or "" for i in items] + list(roles)
    made: dict[str, Person] = {}
    for raw in wanted:
        role = raw.strip()
        if role and role.lower() not in made:
            made[role.lower()] = Person(
                program_id=program.id,
                name=(role[:1].upper() + role[1:])[:120],
                kind="role",
                role=role[:120],
                team="",
                capacity_hours=STANDARD_WEEK_HOURS,
            )
            db.session.add(made[role.lower()])
    for item in items:
        person = made.get((item.owner_role or "").strip().lower())
        if person is not None and not item.owner:
            item.owner_person = person
    return list(made.values())


def clean_person(
    program: Program, data: Mapping[str, Any], person: Person | None
) -> dict[str, Any]:
    """The fields of a person from form or API input; every problem at once, fields named."""
    problems: list[Problem] = []
    values: dict[str, Any] = {
        "name": text(data, "name", problems, limit=120, required=True),
        "role": text(data, "role", problems, limit=120),
        "team": text(data, "team", problems, limit=120),
        "email": text(data, "email", problems, limit=254) or None,
    }
    kind = str(data.get("kind") or (person.kind if person else "stakeholder"))
    if kind not in ("member", "stakeholder", "role"):
        problems.append(Problem("kind", "field.not_a_choice", {"value": kind}))
    values["kind"] = kind
    if data.get("capacity_percent") not in (None, ""):
        percent = number(data, "capacity_percent", problems, high=420.0)
        hours = None if percent is None else STANDARD_WEEK_HOURS * percent / 100
        if hours is not None and hours > MAX_WEEK_HOURS:
            problems.append(Problem("capacity_percent", "money.capacity_range", {"max": 168}))
    else:
        hours = number(
            data, "capacity_hours", problems, high=MAX_WEEK_HOURS, code="money.capacity_range"
        )
    values["capacity_hours"] = hours
    values["hourly_rate"] = number(data, "hourly_rate", problems, required=False)
    settings = settings_of(program)
    values["currency"] = (
        currency(data, "currency", problems, settings)
        if values["hourly_rate"] is not None
        else None
    )
    values["user_id"] = _user_id(program, data, problems)
    if values["name"] and not problems:
        clash = db.session.scalars(
            select(Person.id).where(Person.program_id == program.id, Person.name == values["name"])
        ).first()
        if clash is not None and (person is None or clash != person.id):
            problems.append(Problem("name", "field.taken", {"value": values["name"]}))
    if problems:
        raise ValidationError(problems=problems)
    if values["user_id"] is not None and kind == "stakeholder":
        values["kind"] = "member"
    return values


def _user_id(program: Program, data: Mapping[str, Any], problems: list[Problem]) -> int | None:
    raw = data.get("user_id")
    if raw in (None, ""):
        return None
    try:
        user_id = int(str(raw))
    except ValueError:
        problems.append(Problem("user_id", "field.not_a_number"))
        return None
    member = db.session.scalars(
        select(Membership).where(Membership.program_id == program.id, Membership.user_id == user_id)
    ).first()
    if member is None:
        problems.append(Problem("user_id", "field.unknown_reference", {"value": raw}))
    return user_id


def create_person(program: Program, data: Mapping[str, Any]) -> Person:
    values = clean_person(program, data, None)
    person = Person(program_id=program.id, **values)
    db.session.add(person)
    db.session.flush()
    return person


def update_person(program: Program, person: Person, data: Mapping[str, Any], version: Any) -> None:
    """Save a person; owners' names follow a rename (nothing points at an old name)."""
    check_version(person, version)
    values = clean_person(program, data, person)
    old_name = person.name
    if person.kind == "role" and values["name"] != old_name and values["kind"] == "role":
        values["kind"] = "stakeholder"  # a named role is a person now
    for key, value in values.items():
        setattr(person, key, value)
    db.session.flush()
    if values["name"] != old_name:
        rename_owners(person)


def rename_owners(person: Person) -> None:
    """Every row linked to ``person`` shows their name (after a rename)."""
    db.session.flush()  # the links as they stand, pending changes included
    # one flush for every kind of row renamed (each row changes once: the same audit rows)
    with db.session.no_autoflush:
        for spec in OWNER_FIELDS:
            link = getattr(spec.model, spec.link)
            for row in db.session.scalars(select(spec.model).where(link == person.id)):
                setattr(row, spec.name, person.name[: spec.limit])
    db.session.flush()


def delete_person(program: Program, person: Person, version: Any) -> None:
    """Remove a person with no logged effort; owned rows keep the name as text."""
    check_version(person, version)
    logged = db.session.scalars(
        select(EffortLog.id).where(EffortLog.person_id == person.id)
    ).first()
    if logged is not None:
        raise ValidationError(problems=[Problem("person", "money.person_has_effort")])
    db.session.delete(person)
    db.session.flush()


def merge_person(program: Program, source: Person, into: Person) -> int:
    """Give everything ``source`` owns or is assigned to ``into`` (a playbook role named,
    or a duplicate entry of the same human), then remove ``source``. Returns the rows moved."""
    return merge_people(program, [(source, into)])


def merge_people(program: Program, merges: Sequence[tuple[Person, Person]]) -> int:
    """:func:`merge_person` for each ``(source, into)`` pair, all at once: a query per kind
    of row for every pair, not one per kind and pair (naming a playbook's dozen roles).
    A person merged into itself is left alone; one merged twice, or both merged and
    merged into, is refused (the pairs' order would matter). Returns the rows moved."""
    pairs = [(source, into) for source, into in merges if source.id != into.id]
    if not pairs:
        return 0
    target_of = {source.id: into for source, into in pairs}
    if len(target_of) < len(pairs) or target_of.keys() & {into.id for _s, into in pairs}:
        raise ValueError("a person is merged twice, or merged and merged into")
    sources = list(target_of)
    db.session.flush()  # the rows as they stand, pending changes (a rename) included
    moved = 0
    # the rows moved are flushed together below (each changes once: the same audit rows)
    with db.session.no_autoflush:
        for table in (Assignment, EffortLog):
            having = db.session.scalars(
                select(table.person_id).where(table.person_id.in_(sources)).distinct()
            )
            for source_id in sorted(having):
                db.session.execute(
                    update(table)
                    .where(table.person_id == source_id)
                    .values(person_id=target_of[source_id].id)
                    .execution_options(synchronize_session="fetch")
                )
        for spec in OWNER_FIELDS:
            link = getattr(spec.model, spec.link)
            for row in list(db.session.scalars(select(spec.model).where(link.in_(sources)))):
                into = target_of[getattr(row, spec.link)]
                setattr(row, spec.link, into.id)
                setattr(row, spec.name, into.name[: spec.limit])
                moved += 1
        if len(sources) > 1:
            # the days off go with their person: read in one query, not one a person deleted
            db.session.scalars(
                select(Person).where(Person.id.in_(sources)).options(selectinload(Person.days_off))
            ).all()
    for source, into in pairs:
        if not into.role:
            into.role = source.role
    db.session.flush()
    for source, _into in pairs:
        db.session.delete(source)
    db.session.flush()
    return moved


def add_day_off(person: Person, first: date, last: date, note: str = "") -> PersonDayOff:
    if last < first:
        raise ValidationError(problems=[Problem("last_day", "money.days_ordered")])
    day_off = PersonDayOff(person=person, first_day=first, last_day=last, note=note[:200])
    db.session.add(day_off)
    db.session.flush()
    return day_off


def days_off(person: Person) -> frozenset[date]:
    from datetime import timedelta

    days: set[date] = set()
    for span in person.days_off:
        day = span.first_day
        while day <= span.last_day:
            days.add(day)
            day += timedelta(days=1)
    return frozenset(days)


def owned_counts(program: Program) -> dict[int, int]:
    """How many rows each person owns: items, risks, actions, metrics, issues, decisions
    taken and change requests asked for."""
    counts: dict[int, int] = {}
    for spec in OWNER_FIELDS:
        link = getattr(spec.model, spec.link)
        for person_id in db.session.scalars(
            select(link).where(spec.model.program_id == program.id, link.is_not(None))
        ):
            counts[person_id] = counts.get(person_id, 0) + 1
    return counts


@dataclass(frozen=True)
class Owned:
    """A row a person owns, as the person page lists it."""

    kind: str  # item, risk, action, metric, issue, decision, change (OwnerField.kind)
    id: int
    key: str
    title: str
    row: Any


def owned_by(person: Person) -> list[Owned]:
    """Everything ``person`` owns, kind by kind in :data:`OWNER_FIELDS` order."""
    found: list[Owned] = []
    for spec in OWNER_FIELDS:
        link = getattr(spec.model, spec.link)
        rows = db.session.scalars(select(spec.model).where(link == person.id))
        for row in sorted(rows, key=lambda r: r.id):
            key = getattr(row, "key", None) or f"A-{row.id}"
            title = getattr(row, "title", None) or getattr(row, "name", "") or ""
            found.append(Owned(spec.kind, row.id, str(key), str(title), row))
    return found
