"""Notifications: events become one row per person concerned (and one delivery per program
webhook); the bell counts them, the notifications page lists them.

Other areas call the ``notify_*`` hooks after their change is flushed (the view commits both
together). A hook never raises for a delivery problem: e-mail and webhooks go out later, from
`planner notify send`, so a dead SMTP server or chat robot cannot fail anyone's request.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

from flask import current_app, has_request_context, url_for
from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from planner.domain.notify import matches_owner, urgency_of
from planner.extensions import db
from planner.models import (
    Membership,
    Notification,
    NotifyPreference,
    User,
    Webhook,
    WebhookDelivery,
)

PAGE_SIZE = 100


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def link_to(endpoint: str, **values: Any) -> str:
    """A path in the app, also outside a request (the cron command)."""
    if has_request_context():
        return url_for(endpoint, **values)
    with current_app.test_request_context():
        return url_for(endpoint, **values)


def links_to(targets: Sequence[tuple[str, dict[str, Any]]]) -> list[str]:
    """:func:`link_to` of each ``(endpoint, values)``; outside a request, in one request
    context for all (making one costs more than the path: a scan links dozens)."""
    if has_request_context():
        return [url_for(endpoint, **values) for endpoint, values in targets]
    if not targets:
        return []
    with current_app.test_request_context():
        return [url_for(endpoint, **values) for endpoint, values in targets]


# --------------------------------------------------------------------------- who

ROLES = ("lead", "member", "steering", "viewer")


def members(program_id: int, roles: Iterable[str] = ("lead", "member", "steering")) -> list[User]:
    """The program's active members with one of ``roles``, by id."""
    return Audience(program_id).members(roles)


def owners(program_id: int, owner: str | None) -> tuple[list[User], bool]:
    """The members an owner typed as text names (their name or e-mail), and whether it was
    a match; when none matches, the program's leads hear of it instead (reason says so)."""
    return Audience(program_id).owners(owner)


class Audience:
    """A program's active members with their roles, and the channels they turned off per
    event, each read once (on first use) for the many events of one pass (the daily scan)."""

    def __init__(self, program_id: int) -> None:
        self.program_id = program_id

    @cached_property
    def _people(self) -> list[tuple[User, str]]:
        rows = db.session.execute(
            select(User, Membership.role)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.program_id == self.program_id, User.active.is_(True))
            .order_by(User.id)
        )
        # one membership per user and program (unique): the rows are the users, by id
        return [(user, role) for user, role in rows]

    @cached_property
    def _off(self) -> dict[str, set[tuple[int, str]]]:
        off: dict[str, set[tuple[int, str]]] = {}
        for user_id, event, channel in db.session.execute(
            select(
                NotifyPreference.user_id, NotifyPreference.event, NotifyPreference.channel
            ).where(
                NotifyPreference.program_id == self.program_id,
                NotifyPreference.enabled.is_(False),
            )
        ):
            off.setdefault(event, set()).add((user_id, channel))
        return off

    def members(self, roles: Iterable[str] = ("lead", "member", "steering")) -> list[User]:
        wanted = frozenset(roles)
        return [user for user, role in self._people if role in wanted]

    def owners(self, owner: str | None) -> tuple[list[User], bool]:
        found = [u for u in self.members(ROLES) if matches_owner(owner, u.name, u.email)]
        if found:
            return found, True
        return self.members(("lead",)), False

    def disabled(self, user_ids: list[int], event: str) -> set[tuple[int, str]]:
        """The (user, channel) pairs of ``user_ids`` turned off for ``event``."""
        if not user_ids:
            return set()
        ids = set(user_ids)
        return {(u, channel) for u, channel in self._off.get(event, ()) if u in ids}


# --------------------------------------------------------------------------- record


def record(
    users: Iterable[User],
    program_id: int | None,
    event: str,
    params: dict[str, Any],
    link: str,
    dedupe_key: str,
    *,
    skip_user_id: int | None = None,
    audience: Audience | None = None,
) -> int:
    """One notification per person (none twice for the same ``dedupe_key``); a person who
    turned both channels off for this event and program gets none. Returns how many are new.
    ``audience``: the program's settings as read already (else they are read here)."""
    people = [u for u in {u.id: u for u in users}.values() if u.id != skip_user_id]
    if program_id is None:
        off: set[tuple[int, str]] = set()
    else:
        if audience is None or audience.program_id != program_id:
            audience = Audience(program_id)
        off = audience.disabled([u.id for u in people], event)
    rows: list[dict[str, Any]] = []
    for user in people:
        inapp, email = (user.id, "inapp") not in off, (user.id, "email") not in off
        if not (inapp or email):
            continue
        rows.append(
            {
                "user_id": user.id,
                "program_id": program_id,
                "event": event,
                "urgency": urgency_of(event),
                "params": params,
                "link": link,
                "dedupe_key": dedupe_key[:200],
                "created_at": now(),
                "read_at": None if inapp else now(),  # e-mail only: never counted by the bell
            }
        )
    return _insert_new(Notification, rows, ["user_id", "dedupe_key"])


def _insert_new(model: Any, rows: list[dict[str, Any]], keys: list[str]) -> int:
    """Insert each row unless a row with the same ``keys`` is there, also when an overlapping
    run inserts it at the same moment (INSERT … ON CONFLICT DO NOTHING, SQLite and
    PostgreSQL), in their order, with one statement (its compiled form is reused: a statement
    made per row cost more than running it). Returns how many were new, told by the key the
    statement returns for a row it wrote: on PostgreSQL the row count of such an insert is
    -1, written or skipped, so a count of rows counted a skipped row as new."""
    if not rows:
        return 0
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    table = model.__table__
    statement = (
        insert(table)
        .on_conflict_do_nothing(index_elements=keys)
        .returning(*table.primary_key.columns)
    )
    return sum(db.session.execute(statement, row).first() is not None for row in rows)


def _insert_once(model: Any, row: dict[str, Any], keys: list[str]) -> bool:
    """:func:`_insert_new` of one row: whether it was new."""
    return _insert_new(model, [row], keys) == 1


def queue_webhooks(
    program_id: int, event: str, params: dict[str, Any], link: str, dedupe_key: str
) -> int:
    """One delivery per active webhook of the program, sent later by `planner notify send`."""
    hooks = db.session.scalars(
        select(Webhook).where(Webhook.program_id == program_id, Webhook.active.is_(True))
    )
    queued = 0
    for hook in list(hooks):
        row = {
            "webhook_id": hook.id,
            "event": event,
            "params": params,
            "link": link,
            "dedupe_key": dedupe_key[:200],
            "status": "pending",
            "attempts": 0,
            "last_error": "",
            "created_at": now(),
            "next_attempt_at": now(),
        }
        queued += _insert_once(WebhookDelivery, row, ["webhook_id", "dedupe_key"])
    return queued


def announce(
    users: Iterable[User],
    program_id: int,
    event: str,
    params: dict[str, Any],
    link: str,
    dedupe_key: str,
    *,
    skip_user_id: int | None = None,
    audience: Audience | None = None,
) -> int:
    """Notify people and the program's webhooks of one event; returns the people notified."""
    made = record(
        users,
        program_id,
        event,
        params,
        link,
        dedupe_key,
        skip_user_id=skip_user_id,
        audience=audience,
    )
    queue_webhooks(program_id, event, params, link, dedupe_key)
    return made


# --------------------------------------------------------------------------- read


def unread_count(user_id: int) -> int:
    return int(
        db.session.scalar(
            select(func.count(Notification.id)).where(
                Notification.user_id == user_id, Notification.read_at.is_(None)
            )
        )
        or 0
    )


def list_for(user_id: int, *, unread_only: bool = False) -> list[Notification]:
    query = select(Notification).where(Notification.user_id == user_id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    return list(db.session.scalars(query.order_by(Notification.id.desc()).limit(PAGE_SIZE)))


def mark_read(user_id: int, notification_id: int | None, read: bool = True) -> int:
    """Mark one (or, with None, every) notification of this person read or unread."""
    query = update(Notification).where(Notification.user_id == user_id)
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    result = db.session.execute(query.values(read_at=now() if read else None))
    return int(getattr(result, "rowcount", 0) or 0)


def get_own(user_id: int, notification_id: int) -> Notification | None:
    row = db.session.get(Notification, notification_id)
    return row if row is not None and row.user_id == user_id else None
