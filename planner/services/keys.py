"""Numbers for automatically allocated keys (R-<n>), safe when requests run at once.

A counter row per program and kind (``key_counter``) is raised with one ``UPDATE``: on
PostgreSQL that row stays locked until the transaction ends, so concurrent allocations
queue behind each other and each reads a number no other one got; on SQLite the
``UPDATE`` takes the database's write lock, which serialises writers the same way. The
counter never goes below the highest number already used (keys typed by hand, imported
registers, rows from before the counter existed): ``floor``.
"""

from __future__ import annotations

from sqlalchemy import case, select, update

from planner.extensions import db
from planner.models.key_counter import KeyCounter


def peek(program_id: int, kind: str, floor: int) -> int:
    """The number the next allocation would give (to suggest it; nothing is reserved)."""
    last = db.session.scalar(
        select(KeyCounter.last).where(KeyCounter.program_id == program_id, KeyCounter.kind == kind)
    )
    return max(last or 0, floor) + 1


def allocate(program_id: int, kind: str, floor: int) -> int:
    """Hand out the next number of ``kind`` in the program: above every number handed out
    before and above ``floor`` (the highest one in use)."""
    _ensure_row(program_id, kind, floor)
    where = (KeyCounter.program_id == program_id) & (KeyCounter.kind == kind)
    db.session.execute(
        update(KeyCounter)
        .where(where)
        .values(last=case((KeyCounter.last >= floor, KeyCounter.last), else_=floor) + 1)
        .execution_options(synchronize_session=False)
    )
    return int(db.session.scalar(select(KeyCounter.last).where(where)) or 0)


def _ensure_row(program_id: int, kind: str, floor: int) -> None:
    """Create the counter if missing; one created by a concurrent request is kept (no error:
    ``ON CONFLICT DO NOTHING``, which PostgreSQL and SQLite both understand)."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]  # both dialects' insert have on_conflict_do_nothing
    statement = insert(KeyCounter).values(program_id=program_id, kind=kind, last=floor)
    db.session.execute(statement.on_conflict_do_nothing())
