"""The demo in a test's empty database, built once per run and copied after.

Building the demo (``planner.demo.load_demo``) takes about two seconds on SQLite and more on
PostgreSQL; some forty tests start from it. The first call for a database and demo day
builds it and keeps every table's rows; later calls insert those rows again (same ids, same
values), which is what the build would have written. The tests of the demo itself
(test_demo_chinese.py, the MS Project round trip) still build it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Table, func, select, text

from planner.demo import load_demo

_KEPT: dict[tuple[str, date, date], list[tuple[Table, list[dict[str, Any]]]]] = {}


def load_demo_copy(day: date) -> None:
    """``load_demo(day)`` in this test's (empty) database."""
    from planner.extensions import db

    # the clock as the test set it: rows stamped with "now" are kept per frozen day
    key = (db.engine.url.render_as_string(), day, datetime.now(UTC).date())
    tables = db.metadata.sorted_tables  # parents before children: no link cycles
    kept = _KEPT.get(key)
    if kept is None or not _empty(tables):
        load_demo(day)
        if kept is None:
            _KEPT[key] = _rows(tables)
        return
    connection = db.session.connection()
    for table, rows in kept:
        if rows:
            connection.execute(table.insert(), rows)
    if connection.dialect.name == "postgresql":
        _advance_sequences(connection, [table for table, rows in kept if rows])
    db.session.commit()


def _empty(tables: list[Table]) -> bool:
    from planner.extensions import db

    return all(
        db.session.execute(select(func.count()).select_from(t)).scalar() == 0 for t in tables
    )


def _rows(tables: list[Table]) -> list[tuple[Table, list[dict[str, Any]]]]:
    from planner.extensions import db

    kept = []
    for table in tables:
        order = list(table.primary_key.columns)
        rows = db.session.execute(select(table).order_by(*order)).mappings().all()
        kept.append((table, [dict(row) for row in rows]))
    return kept


def _advance_sequences(connection: Any, tables: list[Table]) -> None:
    """Rows inserted with their ids leave PostgreSQL's id sequences behind: move them on."""
    for table in tables:
        for column in table.primary_key.columns:
            if column.autoincrement is not False:
                sequence = connection.execute(
                    text("SELECT pg_get_serial_sequence(:table, :column)"),
                    {"table": table.name, "column": column.name},
                ).scalar()
                if sequence:
                    quote = connection.dialect.identifier_preparer.quote
                    newest = f"SELECT max({quote(column.name)}) FROM {quote(table.name)}"  # noqa: S608
                    connection.execute(
                        text(f"SELECT setval(:sequence, ({newest}))"), {"sequence": sequence}
                    )
