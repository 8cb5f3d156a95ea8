"""Automatic audit trail: every flush of an audited model writes who changed what.

Models opt in by subclassing :class:`Audited`; one mechanism serves every history view
(the risk history, the program's History page). The actor comes from ``actor_provider``,
which the sign-in layer replaces; outside a request it is "system".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session, object_session

from planner.models.audit import ALWAYS_EXCLUDED, Audited, AuditEvent


def _system_actor() -> str:
    return "system"


actor_provider: Callable[[], str] = _system_actor


def set_actor_provider(provider: Callable[[], str]) -> None:
    global actor_provider
    actor_provider = provider


def current_actor() -> str:
    return actor_provider()


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# a model's audited columns, worked out once: they are fixed once it is mapped
_AUDITED_COLUMNS: dict[type, tuple[str, ...]] = {}


def _column_keys(obj: Audited) -> tuple[str, ...]:
    model = type(obj)
    keys = _AUDITED_COLUMNS.get(model)
    if keys is None:
        excluded = ALWAYS_EXCLUDED | obj.__audit_exclude__
        columns = inspect(model).column_attrs
        keys = _AUDITED_COLUMNS[model] = tuple(c.key for c in columns if c.key not in excluded)
    return keys


def _rows_for(session: Session, actor: str, now: datetime) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []

    def row(obj: Audited, action: str, **extra: Any) -> dict[str, Any]:
        return {
            "program_id": obj.audit_program_id,
            "at": now,
            "actor": actor,
            "action": action,
            "entity": obj.audit_entity(),
            "entity_id": getattr(obj, "id", None),
            "entity_label": obj.audit_label[:300],
            "field": None,
            "old_value": None,
            "new_value": None,
            **extra,
        }

    for obj in session.new:
        if isinstance(obj, Audited):
            rows.append(row(obj, "create"))
    for obj in session.dirty:
        if not isinstance(obj, Audited) or not session.is_modified(obj):
            continue
        state = inspect(obj)
        for key in _column_keys(obj):
            history = state.attrs[key].history
            if not history.has_changes():
                continue
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if _text(old) == _text(new):
                continue
            rows.append(row(obj, "update", field=key, old_value=_text(old), new_value=_text(new)))
    # every row the flush deleted: those passed to session.delete(), their cascades, and
    # the orphans removed from a collection (which never appear in session.deleted)
    deleted: dict[int, Audited] = {id(obj): obj for obj in session.info.pop(_DELETED, [])}
    for obj in deleted.values():
        rows.append(row(obj, "delete"))
    return rows


_DELETED = "audit_deleted"


def _note_deleted(_mapper: Any, _connection: Any, target: Audited) -> None:
    session = object_session(target)
    if session is not None:
        session.info.setdefault(_DELETED, []).append(target)


def _forget_deleted(session: Session, *_args: Any) -> None:
    session.info.pop(_DELETED, None)


def _after_flush(session: Session, _context: Any) -> None:
    if session.info.get("audit_disabled"):
        _forget_deleted(session)
        return
    rows = _rows_for(session, current_actor(), datetime.now(UTC).replace(tzinfo=None))
    if rows:
        session.connection().execute(insert(AuditEvent), rows)


def init_audit() -> None:
    """Listen to every session's flushes (idempotent)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Audited, "after_delete", _note_deleted, propagate=True)
        event.listen(Session, "after_soft_rollback", _forget_deleted)
