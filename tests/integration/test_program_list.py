"""The programs list (issue 20): status with reasons, current phase, forecast finish, next
gate with its outlook, progress; sorted on the server; cheap for many programs."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from babel.dates import format_date
from sqlalchemy import func, select

from planner.models import Risk, WorkItem
from tests.integration.metrics_support import count_queries, make_program

#: the pages judge on today: a frozen one (the `today` fixture of tests/conftest.py)
pytestmark = pytest.mark.usefixtures("today")


def _rows(html: str) -> list[str]:
    return re.findall(r'<tr data-program="(\d+)">', html)


def _row(html: str, program_id: int) -> str:
    found = re.search(rf'<tr data-program="{program_id}">(.*?)</tr>', html, re.S)
    assert found, f"no row for program {program_id}"
    return unescape(found.group(1))


def _cell(row: str, label: str) -> str:
    found = re.search(rf'<td data-label="{label}"[^>]*>(.*?)</td>', row, re.S)
    assert found, f"no {label} cell"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1))).strip()


def test_each_program_shows_status_phase_finish_gate_and_progress(client, db) -> None:  # type: ignore[no-untyped-def]
    north = make_program("Northwind", 150)  # 22 days into phase 2
    future = make_program("Zeta", -10)
    finish = db.session.scalar(
        select(func.max(WorkItem.early_finish)).where(WorkItem.program_id == north.id)
    )
    html = client.get("/").get_data(as_text=True)
    row = _row(html, north.id)
    assert _cell(row, "Current phase").startswith("Phase 2")
    assert format_date(finish, "medium", locale="en") in _cell(row, "Forecast finish")
    gate = _cell(row, "Next gate")
    assert "in 77 days" in gate and "Outlook:" in gate
    assert re.search(r'class="rag rag-(green|amber|red)"', row)
    assert "% of the work done, 35% of the time gone" in _cell(row, "Progress")
    assert 'role="progressbar"' in row and 'data-width="' in row
    later = _row(html, future.id)
    assert "not started" in _cell(later, "Current phase")
    assert "starts " + format_date(future.start_date, "medium", locale="en") in later


def test_a_red_status_says_why(client, db) -> None:  # type: ignore[no-untyped-def]
    program = make_program("Northwind", 150)
    for i in range(4):  # open risks rated at the top band make the risks area red
        db.session.add(
            Risk(program_id=program.id, key=f"top-{i}", title="Top", likelihood=5, impact=5)
        )
    db.session.commit()
    row = _row(client.get("/").get_data(as_text=True), program.id)
    assert 'class="rag rag-red"' in row
    status = _cell(row, "Status")
    assert "risks: red" in status


def test_late_forecast_is_shown_as_days_after_the_last_gate(client, db) -> None:  # type: ignore[no-untyped-def]
    program = make_program("Late", 150)
    item = db.session.scalars(
        select(WorkItem)
        .where(WorkItem.program_id == program.id)
        .order_by(WorkItem.early_finish.desc())
    ).first()
    last_gate = max(p.window_end for p in program.phases)
    item.constraint_type = "SNET"
    item.constraint_date = last_gate + timedelta(days=30)
    db.session.commit()
    from planner.services.scheduling import reschedule

    reschedule(program)
    db.session.commit()
    finish = db.session.scalar(
        select(func.max(WorkItem.early_finish)).where(WorkItem.program_id == program.id)
    )
    row = _row(client.get("/").get_data(as_text=True), program.id)
    slip = (finish - last_gate).days
    assert slip > 0 and f"{slip} days after the last gate" in _cell(row, "Forecast finish")


@pytest.mark.parametrize(
    ("sort", "direction", "order"),
    [
        ("name", "asc", ["A", "B", "C"]),
        ("name", "desc", ["C", "B", "A"]),
        ("phase", "asc", ["B", "A", "C"]),
        ("phase", "desc", ["C", "A", "B"]),
        ("gate", "asc", ["B", "C", "A"]),
        ("finish", "asc", None),  # by the latest forecast finish, read below
        ("finish", "desc", None),
        ("progress", "desc", ["C", "A", "B"]),
    ],
)
def test_sorted_on_the_server_by_each_column(client, db, sort, direction, order) -> None:  # type: ignore[no-untyped-def]
    order = list(order) if order else None
    # A: 150 days in (phase 2); B: 10 days in (diagnosis); C: 300 days in (phase 3)
    ids = {"A": make_program("A", 150).id, "B": make_program("B", 10).id}
    ids["C"] = make_program("C", 300).id
    # progress: C has done most of its work, B none
    for key, share in (("C", 80), ("A", 30)):
        for item in db.session.scalars(select(WorkItem).where(WorkItem.program_id == ids[key])):
            item.percent_complete = share
    db.session.commit()
    if order is None:
        finishes = {
            key: db.session.scalar(
                select(func.max(WorkItem.early_finish)).where(WorkItem.program_id == pid)
            )
            for key, pid in ids.items()
        }
        order = sorted(ids, key=lambda k: finishes[k], reverse=direction == "desc")
    html = client.get(f"/?sort={sort}&dir={direction}").get_data(as_text=True)
    by_id = {str(v): k for k, v in ids.items()}
    assert [by_id[i] for i in _rows(html)] == order
    sorted_as = "descending" if direction == "desc" else "ascending"
    assert re.search(rf'aria-sort="{sorted_as}">\s*<a class="sort-link" href="/\?sort={sort}', html)


def test_unknown_sort_falls_back_to_name_and_every_heading_is_a_link(client, db) -> None:  # type: ignore[no-untyped-def]
    b, a = make_program("B"), make_program("A")
    html = client.get("/?sort=drop%20table&dir=sideways").get_data(as_text=True)
    assert _rows(html) == [str(a.id), str(b.id)]
    for key in ("name", "status", "phase", "finish", "gate", "progress"):
        assert f'href="/?sort={key}&amp;dir=' in html  # links: reached with Tab, opened with Enter


def test_a_member_sees_only_their_programs(login_as, db) -> None:  # type: ignore[no-untyped-def]
    mine = make_program("Mine")
    make_program("Theirs")
    html = login_as("viewer", mine).get("/").get_data(as_text=True)
    assert _rows(html) == [str(mine.id)] and "Theirs" not in html


def test_chinese_list_has_the_words_in_chinese(client, db) -> None:  # type: ignore[no-untyped-def]
    make_program("Northwind", 150)
    client.post("/language", data={"lang": "zh_Hans_CN", "next": "/"})
    html = client.get("/").get_data(as_text=True)
    for words in ("预测完成日期", "下一关口", "的工作，已过"):
        assert words in html
    for english in ("Forecast finish", "of the work done", "within the plan"):
        assert english not in html


def test_queries_do_not_grow_with_programs(client, db) -> None:  # type: ignore[no-untyped-def]
    make_program("One")
    db.session.expire_all()
    with count_queries() as one:
        assert client.get("/").status_code == 200
    for name in ("Two", "Three", "Four", "Five"):
        make_program(name)
    db.session.expire_all()
    with count_queries() as five:
        assert client.get("/").status_code == 200
    assert len(five) == len(one)
