"""List endpoints issue a fixed number of SQL queries, however many rows a page holds."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from tests.integration.api_support import api_as, new_program

pytestmark = pytest.mark.usefixtures("api")  # tests/integration/conftest.py


@contextmanager
def counting(db):
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


@pytest.mark.parametrize(
    "resource",
    ["work-items", "dependencies", "risks", "metrics", "gates", "phases"],
)
def test_list_queries_do_not_grow_with_the_page(app, db, resource) -> None:
    program = new_program()
    api = api_as(app, "viewer", program)
    url = f"/programs/{program.id}/{resource}"
    api.get(f"{url}?per_page=1")  # warm-up (e.g. the playbook cache)
    with counting(db) as small:
        one = api.get(f"{url}?per_page=1")
    with counting(db) as large:
        many = api.get(f"{url}?per_page=200")
    assert one.status_code == many.status_code == 200
    assert len(many.get_json()["items"]) > 1
    assert len(large) == len(small), (len(small), len(large))
