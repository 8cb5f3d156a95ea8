"""The library's pure parts: the preview schedule, filters, diff grouping, lesson values."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from flask_babel import force_locale

from planner.charts.gantt_scene import Text
from planner.config import SHIPPED_PLAYBOOKS
from planner.domain.calendar import WorkCalendar
from planner.domain.errors import ValidationError
from planner.domain.explain import Explanation
from planner.domain.playbook import load_playbook, parse_playbook
from planner.domain.playbook_diff import diff_playbooks
from planner.domain.playbook_lessons import Lesson
from planner.explain_text import render
from planner.services import library as service
from planner.services.library.preview_gantt import preview_chart
from planner.web.library import added_label, show_value

TINY = """
id: tiny
version: "1.0"
title: {en: Tiny, zh: 小}
author: Someone
phases:
  - ordinal: 0
    key: diagnosis
    kind: diagnosis
    name: {en: Diagnosis, zh: 诊断}
    goal: Know where we stand
    length_days: 14
    tasks:
      - {key: interviews, name: Interviews, duration: 5, workstream: people}
      - {key: report, name: Report, duration: 3, depends_on: [interviews]}
      - {key: survey, name: Survey, duration: 2, workstream: people}
    milestones:
      - {key: roadmap, name: Roadmap agreed, depends_on: [report]}
    gate:
      - {kind: milestones_done, milestones: [roadmap]}
      - {kind: manual, text: {en: Sponsor signs off, zh: 发起人签字}}
  - ordinal: 1
    key: pilot
    name: Pilot
    length_days: 7
    tasks:
      - {key: build, name: Build, duration: 10, depends_on: [roadmap]}
    gate:
      - {kind: metric_target, metric: users}
metrics:
  - {key: users, name: {en: Active users, zh: 活跃用户}, unit: "%", direction: higher,
     targets: {1: 50}}
"""


@pytest.fixture(scope="module")
def tiny():
    return parse_playbook(TINY)


def test_preview_schedules_the_playbook_from_the_start(tiny) -> None:
    result = service.preview(tiny, date(2026, 3, 2), "en")  # a Monday
    rows = {r.key: r for r in result.rows}
    assert (rows["interviews"].early_start, rows["interviews"].early_finish) == (
        date(2026, 3, 2),
        date(2026, 3, 6),
    )
    assert rows["report"].early_start == date(2026, 3, 9)
    assert rows["roadmap"].kind == "milestone" and rows["roadmap"].duration == 0
    assert rows["roadmap"].early_finish == date(2026, 3, 11)
    # phase 1 is a 7-day box from 2026-03-16; build waits for it and overruns it
    assert rows["build"].early_start == date(2026, 3, 16)
    pilot = result.phases[1]
    assert (pilot.window_start, pilot.window_end) == (date(2026, 3, 16), date(2026, 3, 22))
    assert pilot.overrun_days == 5
    assert result.finish == date(2026, 3, 27)
    # the phase box, not the diagnosis, drives the finish: only build is critical
    assert rows["build"].critical and not rows["interviews"].critical
    assert rows["interviews"].total_float == 2  # Thursday and Friday before the box opens
    assert rows["report"].predecessors == ["interviews"]


def test_preview_rows_are_grouped_by_phase_then_workstream(tiny) -> None:
    result = service.preview(tiny, date(2026, 3, 2), "en")
    assert [r.key for r in result.rows] == ["report", "roadmap", "interviews", "survey", "build"]
    ids = {r.key: r.id for r in result.rows}
    assert {(link.predecessor_id, link.successor_id) for link in result.links} == {
        (ids["interviews"], ids["report"]),
        (ids["report"], ids["roadmap"]),
        (ids["roadmap"], ids["build"]),
    }


@pytest.mark.parametrize(
    ("lang", "texts"),
    [
        ("en", ["milestones done: Roadmap agreed", "Sponsor signs off"]),
        ("zh", ["里程碑完成：Roadmap agreed", "发起人签字"]),
    ],
)
def test_preview_gate_criteria_read_in_the_chosen_language(app, tiny, lang, texts) -> None:
    result = service.preview(tiny, date(2026, 3, 2), lang)
    # names in the chosen language; the sentence worded by the page, in the reader's
    with app.app_context(), force_locale("zh_Hans_CN" if lang == "zh" else "en"):
        assert [render(c.text) for c in result.phases[0].gate] == texts
        metric = render(result.phases[1].gate[0].text)
    assert ("活跃用户" if lang == "zh" else "Active users") in metric
    assert result.phases[0].name == ("诊断" if lang == "zh" else "Diagnosis")


def test_the_shipped_playbook_previews_as_a_gantt_of_every_item(app) -> None:
    playbook = load_playbook(SHIPPED_PLAYBOOKS / "crm-four-100-days-v1.1.yaml")
    result = service.preview(playbook, date(2026, 1, 5), "en")
    assert len(result.rows) == playbook.task_count + playbook.milestone_count
    assert result.critical_count > 0
    with app.app_context(), force_locale("en"):
        chart = preview_chart(result, "en")
    assert chart is not None and chart.scene.level == "items"
    grid = [s.text for s in chart.scene.shapes if isinstance(s, Text) and s.x == 24]
    assert len(grid) == len(result.rows)  # a row per item, names cut to fit (never lost)
    for text, row in zip(grid, result.rows, strict=True):
        assert text == row.name or (text.endswith("…") and row.name.startswith(text[:-1]))


@pytest.mark.parametrize(
    ("today", "monday"),
    [
        (date(2026, 11, 27), date(2026, 11, 30)),  # Friday
        (date(2026, 11, 30), date(2026, 12, 7)),  # a Monday: the next one
        (date(2026, 12, 6), date(2026, 12, 7)),  # Sunday
    ],
)
def test_next_monday(today, monday) -> None:
    assert service.next_monday(today) == monday


def _entry(pb, origin="shipped", latest=True):
    installed = SimpleNamespace(playbook=pb, origin=origin, path=None, upload_id=1)
    return service.LibraryEntry(installed, pb.title.get("en"), "", latest)


@pytest.mark.parametrize(
    ("args", "matches"),
    [
        ({}, True),
        ({"q": "tiny"}, True),
        ({"q": "TINY someone"}, True),  # every word, any case, author included
        ({"q": "小"}, True),
        ({"q": "tiny nobody"}, False),
        ({"origin": "upload"}, False),
        ({"origin": "shipped"}, True),
        ({"origin": "elsewhere"}, True),  # an unknown origin is ignored
        ({"author": "Someone"}, True),
        ({"author": "Other"}, False),
        ({"latest": "1"}, True),
    ],
)
def test_library_filters(tiny, args, matches) -> None:
    assert service.LibraryFilters.from_args(args).matches(_entry(tiny)) is matches


def test_latest_filter_drops_older_versions(tiny) -> None:
    filters = service.LibraryFilters.from_args({"latest": "on"})
    assert filters.active and not filters.matches(_entry(tiny, latest=False))


def test_diff_sections_group_changes_in_section_order(tiny) -> None:
    newer = parse_playbook(
        TINY.replace('version: "1.0"', 'version: "1.1"')
        .replace("duration: 5", "duration: 6")
        .replace("targets: {1: 50}", "targets: {1: 60}")
    )
    sections = service.diff_sections(diff_playbooks(tiny, newer))
    assert [s.section for s in sections] == ["task", "metric"]
    change, explanation = sections[0].lines[0]
    assert (change.key, change.field, change.old, change.new) == (
        "interviews",
        "duration",
        "5",
        "6",
    )
    assert explanation.code == "playbook.change"  # worded by the page, in the reader's language
    assert sections[1].counts == {"added": 0, "removed": 0, "changed": 1}


def _lesson(kind: str, key: str, **patch: object) -> Lesson:
    return Lesson(kind, key, Explanation(f"lessons.{kind}"), patch)


LESSONS = [
    _lesson("lengthen_task", "build", duration=12),
    _lesson("raise_risk", "churn", likelihood=4),
    _lesson("adjust_target", "users", phase=1, target=45.0),
]


def test_chosen_lessons_keep_the_ticked_ones_with_edited_values() -> None:
    tokens = [service.lesson_token(lesson) for lesson in LESSONS]
    chosen = service.chosen_lessons(
        LESSONS,
        {tokens[0]: True, tokens[1]: False, tokens[2]: True},
        {tokens[0]: "14", tokens[2]: "47.5"},
    )
    assert [(lesson.key, dict(lesson.patch)) for lesson in chosen] == [
        ("build", {"duration": 14}),
        ("users", {"phase": 1, "target": 47.5}),
    ]


@pytest.mark.parametrize(
    ("index", "value", "code", "params"),
    [
        (0, "abc", "field.not_a_number", {}),
        (0, "1.5", "library.whole_number", {}),
        (0, "0", "field.out_of_range", {"min": 1, "max": 1000}),
        (1, "6", "field.out_of_range", {"min": 1, "max": 5}),
    ],
)
def test_chosen_lessons_refuse_values_that_do_not_fit(index, value, code, params) -> None:
    token = service.lesson_token(LESSONS[index])
    with pytest.raises(ValidationError) as caught:
        service.chosen_lessons(LESSONS, {token: True}, {token: value})
    assert [(p.field, p.code, dict(p.params)) for p in caught.value.problems] == [
        (token, code, params)
    ]


def test_lesson_tokens_are_stable_and_distinct() -> None:
    tokens = [service.lesson_token(lesson) for lesson in LESSONS]
    assert len(set(tokens)) == 3
    assert tokens[0] == service.lesson_token(_lesson("lengthen_task", "build", duration=99))


@pytest.mark.parametrize(
    ("start", "finish", "days"),
    [
        (date(2026, 3, 2), date(2026, 3, 6), 5),  # Monday to Friday
        (date(2026, 3, 2), date(2026, 3, 2), 1),
        (date(2026, 3, 6), date(2026, 3, 9), 2),  # over a weekend
        (date(2026, 3, 2), date(2026, 3, 27), 20),
    ],
)
def test_actual_durations_count_both_ends(start, finish, days) -> None:
    assert service._inclusive_workdays(WorkCalendar(), start, finish) == days


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, "—"),
        ("", "—"),
        (8.0, "8"),
        (2.5, "2.5"),
        ({2: 80.0, 1: 70.0}, "P1: 70 · P2: 80"),
        ("FS", "FS"),
        (5, "5"),
    ],
)
def test_upgrade_values_for_a_person(value, shown) -> None:
    assert show_value(value) == shown


def test_checksum_is_sha256_of_the_bytes() -> None:
    assert service.checksum(b"abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )


@pytest.mark.parametrize(
    ("fields", "lang", "label"),
    [
        ({"name": (None, "Build"), "name_zh": (None, "建立")}, "zh", "建立"),
        ({"name": (None, "Build"), "name_zh": (None, "建立")}, "en", "Build"),
        ({"name": (None, None), "name_zh": (None, "建立")}, "en", "建立"),
        ({"title": (None, "Churn"), "title_zh": (None, None)}, "zh", "Churn"),
        ({"type": (None, "SS"), "lag": (None, 3)}, "en", "SS"),
        (
            {"kind": (None, "metric_target"), "reference": (None, "nps"), "text": (None, "")},
            "en",
            "nps",
        ),
        ({"targets": (None, {1: 70.0})}, "en", "P1: 70"),
    ],
)
def test_what_an_upgrade_adds_reads_in_the_chosen_language(fields, lang, label) -> None:
    assert added_label(SimpleNamespace(fields=fields), lang) == label
