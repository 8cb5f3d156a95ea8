"""Owners are people: whenever an owner's name is set on a work item, risk, action, metric,
issue, decision (who decided) or change request (who asked) — by a form, an import, the API
or a playbook — the row is linked to the person of that name in its program's directory
(created as a named stakeholder when new), and when only the link is set, the name follows
it. One listener serves every path that writes an owner.

The text column stays as the person's name, so exports and other areas that read it keep
working; the ``*_person_id`` column is the link (migrations 0021 and 0026 made it for
existing rows). :data:`OWNER_FIELDS` is the one list of these pairs: the people directory
(owned counts, renames, merges) reads it too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, func, inspect, select
from sqlalchemy.orm import Session

from planner.models import (
    ChangeRequest,
    Decision,
    Issue,
    Membership,
    Metric,
    Person,
    Risk,
    RiskAction,
    User,
    WorkItem,
)


@dataclass(frozen=True)
class OwnerField:
    """A model whose rows name a person: the name column, its link, the relationship."""

    model: Any
    name: str
    link: str
    relation: str
    kind: str  # what the person page calls such a row (see planner.web.people)
    limit: int = 120


OWNER_FIELDS: tuple[OwnerField, ...] = (
    OwnerField(WorkItem, "owner", "owner_person_id", "owner_person", "item"),
    OwnerField(Risk, "owner", "owner_person_id", "owner_person", "risk"),
    OwnerField(RiskAction, "owner", "owner_person_id", "owner_person", "action"),
    OwnerField(Metric, "owner", "owner_person_id", "owner_person", "metric"),
    OwnerField(Issue, "owner", "owner_person_id", "owner_person", "issue"),
    OwnerField(
        Decision, "decided_by", "decided_by_person_id", "decided_by_person", "decision", 200
    ),
    OwnerField(ChangeRequest, "requester", "requester_person_id", "requester_person", "change"),
)
# the models whose rows have an owner from the directory
OWNED: tuple[Any, ...] = tuple(f.model for f in OWNER_FIELDS)
_BY_MODEL = {f.model: f for f in OWNER_FIELDS}
# who recorded a change when nobody signed in did it (see planner.security): not a person
NOT_PEOPLE = frozenset({"system", "share link"})
_installed = False


def _program_id(obj: Any) -> int | None:
    if obj.program_id is not None:
        return int(obj.program_id)
    for parent in ("program", "risk", "issue", "review", "gate_phase"):
        row = getattr(obj, parent, None)
        if row is not None:
            return row.id if parent == "program" else _program_id(row)
    return None


def find_person(session: Session, program_id: int, name: str) -> Person | None:
    """The person called ``name`` in the program, else the person whose (or whose account's)
    e-mail it is, else the playbook role of that name."""
    return _Directory(session).find(program_id, name)


class _Directory:
    """The people of the programs one flush names, read once per program (one query instead
    of up to three per owner: an import of thousands of owned rows made thousands).

    Matching is on the stored values, as a query would match them (a rename not yet flushed
    is not seen under its new name), after the people added to the session and not yet
    flushed, matched by their name; e-mails and roles ignore case."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.stored: dict[int, list[tuple[Person, str, str, str, str, str]]] = {}
        self.pending: dict[tuple[int, str], Person] = {}
        for obj in session.new:
            if isinstance(obj, Person) and obj.program_id is not None:
                self.pending.setdefault((int(obj.program_id), obj.name), obj)

    def added(self, person: Person) -> None:
        """``person`` was just added to the session (found by name from now on)."""
        self.pending.setdefault((int(person.program_id), person.name), person)

    def _people(self, program_id: int) -> list[tuple[Person, str, str, str, str, str]]:
        found = self.stored.get(program_id)
        if found is None:
            with self.session.no_autoflush:
                rows = self.session.execute(
                    select(
                        Person,
                        Person.name.label("stored_name"),  # as stored: a rename may be pending
                        Person.email.label("stored_email"),
                        Person.kind.label("stored_kind"),
                        Person.role.label("stored_role"),
                        User.email,
                    )
                    .outerjoin(User, User.id == Person.user_id)
                    .where(Person.program_id == program_id)
                    .order_by(Person.id)
                ).all()
            found = self.stored[program_id] = [
                (
                    row[0],
                    row[1],
                    (row[2] or "").lower(),
                    row[3],
                    (row[4] or "").lower(),
                    (row[5] or "").lower(),
                )
                for row in rows
            ]
        return found

    def find(self, program_id: int, name: str) -> Person | None:
        pending = self.pending.get((program_id, name))
        if pending is not None:
            return pending
        people = self._people(program_id)
        for person, stored_name, *_rest in people:
            if stored_name == name:
                return person
        wanted = name.lower()
        if "@" in name:
            for person, _name, email, _kind, _role, account in people:
                if wanted in (email, account):
                    return person
        for person, _name, _email, kind, role, _account in people:
            if kind == "role" and role == wanted:
                return person
        return None


def _account_name(session: Session, program_id: int, name: str) -> tuple[str, int | None]:
    """A new person for an e-mail of a member's account is named as the account is."""
    if "@" not in name:
        return name, None
    with session.no_autoflush:
        row = session.execute(
            select(User.name, User.id)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.program_id == program_id, func.lower(User.email) == name.lower())
        ).first()
    return (str(row[0] or name).strip()[:120] or name, int(row[1])) if row else (name, None)


def _link(directory: _Directory, obj: Any, spec: OwnerField) -> None:
    session = directory.session
    state = inspect(obj)
    name_changed = state.attrs[spec.name].history.has_changes()
    link_changed = state.attrs[spec.link].history.has_changes()
    link = getattr(obj, spec.link)
    if link_changed and not name_changed and link is not None:
        person = session.get(Person, link)
        if person is not None and person.kind != "role":  # a role to name is not a name
            setattr(obj, spec.name, person.name[: spec.limit])
        return
    text = getattr(obj, spec.name)
    if not name_changed and not (state.pending and text and link is None):
        return
    name = (text or "").strip()[:120]
    if not name or name in NOT_PEOPLE:
        setattr(obj, spec.link, None)
        return
    program_id = _program_id(obj)
    if program_id is None:
        return
    person = _person_named(directory, program_id, name, getattr(obj, "owner_role", None))
    if "@" in name and person.name != name and person.kind != "role":
        setattr(obj, spec.name, person.name[: spec.limit])  # an e-mail reads as its person
    setattr(obj, spec.relation, person)  # a new person has no id before the flush


def _person_named(directory: _Directory, program_id: int, name: str, role: str | None) -> Person:
    """The program's person ``name`` names (an e-mail: the member's account), else a new one."""
    session = directory.session
    person = directory.find(program_id, name)
    if person is not None:
        return person
    shown, user_id = _account_name(session, program_id, name)
    person = directory.find(program_id, shown) if shown != name else None
    if person is None:
        person = Person(
            program_id=program_id,
            name=shown[:120],
            kind="member" if user_id else "stakeholder",
            user_id=user_id,
            role=(role or "")[:120],
            team="",
            capacity_hours=40.0,
        )
        session.add(person)
        directory.added(person)
    return person


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    directory: _Directory | None = None
    for obj in list(session.new) + list(session.dirty):
        spec = _BY_MODEL.get(type(obj))
        if spec is not None:
            directory = directory or _Directory(session)
            _link(directory, obj, spec)


def install() -> None:
    """Register the listener once per process (called by the app factory)."""
    global _installed
    if not _installed:
        event.listen(Session, "before_flush", _before_flush)
        _installed = True
