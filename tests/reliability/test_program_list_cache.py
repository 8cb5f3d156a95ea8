"""The programs list reads each program's line from the cache while its revision stands
(issue 20): no program is loaded again, and a change recomputes only that program's line."""

from __future__ import annotations

import re

import pytest

from planner.ops.cache import Stats
from tests.integration.metrics_support import count_queries, make_program

#: the pages judge on today: a frozen one (the `today` fixture of tests/conftest.py)
pytestmark = pytest.mark.usefixtures("today")


def test_lines_come_from_the_cache_until_a_program_changes(client, db) -> None:  # type: ignore[no-untyped-def]
    programs = [make_program(name) for name in ("One", "Two", "Three", "Four", "Five")]
    db.session.expire_all()
    with count_queries() as first:
        assert client.get("/").status_code == 200
    db.session.expire_all()
    Stats.reset()
    with count_queries() as cached:
        page = client.get("/").get_data(as_text=True)
    assert Stats.hits == 5 and Stats.misses == 0
    assert len(re.findall(r'<tr data-program="\d+">', page)) == 5
    assert len(cached) < len(first)
    assert not [q for q in cached if "FROM work_item" in q]  # no program loaded

    # a change to one program: only its line is computed again, with the new value
    changed = programs[2]
    changed.name = "Three (renamed)"
    db.session.commit()
    db.session.expire_all()
    Stats.reset()
    page = client.get("/").get_data(as_text=True)
    assert Stats.hits == 4 and Stats.misses == 1
    assert "Three (renamed)" in page
