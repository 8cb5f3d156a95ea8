"""What moved after an edit: the columns a reschedule hands back, described for people,
agree with the same description worked out item by item with the calendar."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from planner.models import WorkItem
from planner.services import plan as plan_service
from planner.services.generate import generate_program
from planner.services.moved_items import Move, MovedItems
from planner.services.plan import count_moved, describe_moves, program_calendar
from tests.integration.plan_support import item_details


def _by_hand(program, moves: list[Move], lang: str) -> list[tuple]:  # type: ignore[no-untyped-def]
    """The description worked out one move at a time with ``workdays_between``."""
    calendar = program_calendar(program)
    rows = []
    for m in moves:
        new = m.old_start is None or m.old_finish is None
        name = (m.name_zh or m.name) if lang == "zh" else m.name
        start = None if new else calendar.workdays_between(m.old_start, m.new_start)  # type: ignore[arg-type]
        finish = None if new else calendar.workdays_between(m.old_finish, m.new_finish)  # type: ignore[arg-type]
        rows.append((m.key, name, new, start, finish, m.new_start, m.new_finish))
    rows.sort(key=lambda r: (r[2], -abs(r[4] or 0), r[0]))
    return rows


def test_a_deep_edit_is_described_as_item_by_item(db, today: date) -> None:  # type: ignore[no-untyped-def]
    program = generate_program(
        1200, start_date=today - timedelta(days=60), seed=3, items_per_stream=200
    )
    db.session.commit()
    items = db.session.scalars(
        select(WorkItem).where(WorkItem.program_id == program.id).order_by(WorkItem.position)
    ).all()
    first_task = next(i for i in items if i.kind == "task" and i.actual_start is None)
    outcome = plan_service.update_item(
        program,
        first_task,
        item_details(first_task, first_task.duration_days + 7),
        first_task.version,
    )
    assert isinstance(outcome.moves, MovedItems)
    moves = list(outcome.moves)
    assert len(moves) > 100  # a deep chain: many items move, with many equal shifts
    for lang in ("en", "zh"):
        expected = _by_hand(program, moves, lang)
        described = [tuple(v) for v in describe_moves(program, outcome.moves, lang)]
        assert described == expected
        for first in (1, 5, 12, len(moves) + 3):
            shown = describe_moves(program, outcome.moves, lang, first=first)
            assert [tuple(v) for v in shown] == expected[:first]
        # moves made one by one (a file's preview) are described the same way
        assert [tuple(v) for v in describe_moves(program, moves, lang, first=12)] == expected[:12]
    assert count_moved(outcome.moves) == sum(1 for m in moves if m.old_start is not None)
    assert outcome.moves.moved_count() == count_moved(moves)


def test_new_items_come_last_by_key_and_fill_a_short_list(db, today: date) -> None:  # type: ignore[no-untyped-def]
    program = generate_program(40, start_date=today, seed=5)
    db.session.commit()
    day = today + timedelta(days=3)
    moves = [
        Move("B-2", "b", None, day, None, day),
        Move("A-1", "a", day, day + timedelta(days=7), day, day + timedelta(days=7)),
        Move("A-0", "z", None, day, None, day),
    ]
    shown = describe_moves(program, moves, "en", first=2)
    assert [(v.key, v.new_item) for v in shown] == [("A-1", False), ("A-0", True)]
    assert [v.key for v in describe_moves(program, moves, "en")] == ["A-1", "A-0", "B-2"]
    assert count_moved(moves) == 1


@pytest.mark.parametrize(
    ("lang", "shift", "sentences"),
    [
        (
            "en",
            None,
            ["Program finish: Mar 2, 2026.", "overruns its window by 1 day<", "by 3 days<"],
        ),
        ("en", 2, ["Program finish: Mar 2, 2026 (+2 wd)."]),
        ("zh", None, ["实施项目完成日期：2026年3月2日。", "超出其时间窗 1 天<"]),
        ("zh", 2, ["实施项目完成日期：2026年3月2日（+2 工作日）。"]),
    ],
)
def test_the_moves_box_words_the_finish_and_the_overruns_in_the_reader_s_language(
    app, lang: str, shift: int | None, sentences: list[str]
) -> None:
    """The finish is one sentence in each language (the Chinese one ends with 。), and an
    overrun of one day is a day, not "1 days"."""
    from flask import render_template
    from flask_babel import force_locale

    moves = {
        "count": 0,
        "finish": date(2026, 3, 2),
        "finish_shift": shift,
        "overruns": [["Phase one", 1], ["Phase two", 3]],
        "items": [],
    }
    with app.test_request_context(), force_locale("zh_Hans_CN" if lang == "zh" else "en"):
        html = render_template("plan/_moves.html", moves=moves)
    for sentence in sentences:
        assert sentence in html, html
    assert "1 days" not in html and ")." not in html.replace("wd).", "")
