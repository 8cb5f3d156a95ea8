"""Lessons learned: proposals from a program's outcome, and the new playbook version they make."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from flask import Flask
from flask_babel import force_locale

from planner.config import SHIPPED_PLAYBOOKS
from planner.domain.errors import ValidationError
from planner.domain.explain import Explanation
from planner.domain.playbook import cross_check, load_playbook, parse_playbook
from planner.domain.playbook_diff import diff_playbooks
from planner.domain.playbook_lessons import (
    AddedTask,
    Lesson,
    MissedMetric,
    OccurredRisk,
    ProgramOutcome,
    apply_lessons,
    missed_targets,
    propose_lessons,
)
from planner.domain.playbook_writer import dump_playbook


def coded(error: ValidationError) -> list[tuple[str, str, dict[str, object]]]:
    """An error's problems as (field, code, parameters): what the domain says, not its words."""
    return [(p.field, p.code, dict(p.params)) for p in error.problems]


def in_both_languages(app: Flask, reasons: list[Explanation]) -> list[tuple[str, str]]:
    """Each reason as the lessons page words it, in English and in Chinese."""
    from planner.explain_text import render

    with app.app_context():
        worded = []
        for reason in reasons:
            with force_locale("en"):
                english = render(reason)
            with force_locale("zh_Hans_CN"):
                chinese = render(reason)
            worded.append((english, chinese))
        return worded


def lesson(kind: str, key: str, patch: dict[str, object]) -> Lesson:
    """A lesson as a consultant's edit gives it (its reason does not matter to applying)."""
    return Lesson(kind, key, Explanation(f"lessons.{kind}"), patch)  # type: ignore[arg-type]


TEXT = """\
id: les
version: "1.0"
title: Lessons
phases:
  - ordinal: 0
    key: diagnosis
    kind: diagnosis
    name: Diagnosis
    tasks:
      - {key: interviews, name: Interviews, duration: 10}
      - {key: report, name: Report, duration: 3, depends_on: [interviews]}
    milestones:
      - {key: roadmap, name: Roadmap, depends_on: [report]}
  - ordinal: 1
    key: pilot
    name: Pilot
    tasks:
      - {key: training, name: Training, duration: 5, depends_on: [roadmap]}
      - {key: short, name: Short task, duration: 1, depends_on: [roadmap]}
risks:
  - {key: resistance, title: Resistance, category: people, likelihood: 3, impact: 4}
  - {key: sponsor, title: Sponsor leaves, category: sponsorship, likelihood: 5, impact: 5}
metrics:
  - {key: active-users, name: Active users, unit: "%", direction: higher, targets: {1: 90}}
  - {key: duplicates, name: Duplicates, unit: "%", direction: lower, targets: {1: 2}}
"""

PB = parse_playbook(TEXT, source="les.yaml")


def lessons_for(outcome: ProgramOutcome, threshold: float = 0.2) -> list[tuple[str, str, object]]:
    return [(x.kind, x.key, dict(x.patch)) for x in propose_lessons(PB, outcome, threshold)]


# --------------------------------------------------------------------------- durations


@pytest.mark.parametrize(
    ("key", "actual", "threshold", "expected"),
    [
        ("interviews", 12, 0.2, None),  # 12 = 10 × 1.2: exactly the threshold, not more
        ("interviews", 12.5, 0.2, 13),  # 25% over; 12.5 rounds half up to 13
        ("interviews", 13, 0.2, 13),  # 30% over
        ("interviews", 8, 0.2, None),  # ran short: not a lesson
        ("interviews", 10.4, 0.0, None),  # 4% over a threshold of 0, but rounds back to 10
        ("interviews", 11, 0.0, 11),
        ("interviews", 20, 1.0, None),  # 100% over a threshold of 100%
        ("report", 3.6, 0.2, None),  # 3 × 1.2 = 3.6 (floating point must not tip it over)
        ("report", 3.7, 0.2, 4),
        ("short", 1.3, 0.2, None),  # 30% over, but 1.3 rounds to 1 day
        ("short", 1.5, 0.2, 2),
        ("roadmap", 5, 0.2, None),  # a milestone has no duration to lengthen
        ("unknown", 50, 0.2, None),
    ],
)
def test_durations_that_ran_long(
    key: str, actual: float, threshold: float, expected: int | None
) -> None:
    found = lessons_for(ProgramOutcome(actual_durations={key: actual}), threshold)
    assert found == ([] if expected is None else [("lengthen_task", key, {"duration": expected})])


def test_negative_threshold_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        propose_lessons(PB, ProgramOutcome(), -0.1)
    assert coded(caught.value) == [
        ("duration_threshold", "lessons.threshold_negative", {"got": "-0.1"})
    ]


# --------------------------------------------------------------------------- risks


@pytest.mark.parametrize(
    ("risk", "expected"),
    [
        (
            OccurredRisk(key="resistance", title="Resistance", likelihood=3, impact=4),
            [("raise_risk", "resistance", {"likelihood": 4})],
        ),
        # already at 5: nothing left to raise
        (OccurredRisk(key="sponsor", title="Sponsor leaves", likelihood=5, impact=5), []),
        (
            OccurredRisk(
                key="key-user-turnover",
                title="Key users leave",
                title_zh="骨干流失",
                likelihood=3,
                impact=3,
                category="people",
                mitigation="Deputies",
            ),
            [
                (
                    "add_risk",
                    "key-user-turnover",
                    {
                        "title": "Key users leave",
                        "title_zh": "骨干流失",
                        "category": "people",
                        "likelihood": 3,
                        "impact": 3,
                        "mitigation": "Deputies",
                        "mitigation_zh": None,
                    },
                )
            ],
        ),
        (
            # no category, an odd key and out-of-range ratings from a program
            OccurredRisk(key="Vendor Delay!", title="Vendor late", likelihood=7, impact=0),
            [
                (
                    "add_risk",
                    "vendor-delay",
                    {
                        "title": "Vendor late",
                        "title_zh": None,
                        "category": "other",
                        "likelihood": 5,
                        "impact": 1,
                        "mitigation": None,
                        "mitigation_zh": None,
                    },
                )
            ],
        ),
    ],
)
def test_risks_that_occurred(risk: OccurredRisk, expected: list[object]) -> None:
    assert lessons_for(ProgramOutcome(occurred_risks=[risk])) == expected


# --------------------------------------------------------------------------- metrics


@pytest.mark.parametrize(
    ("miss", "expected"),
    [
        # higher is better: 90 missed with 84.4 → (90 + 84.4) / 2 = 87.2
        (MissedMetric(key="active-users", phase=1, target=90, actual=84.4), 87.2),
        # the program's own target was stricter; against the playbook's 90 it did not miss
        (MissedMetric(key="active-users", phase=1, target=95, actual=92), None),
        # lower is better: 2 missed with 5 → (2 + 5) / 2 = 3.5
        (MissedMetric(key="duplicates", phase=1, target=2, actual=5), 3.5),
        (MissedMetric(key="duplicates", phase=1, target=2, actual=1), None),
        (MissedMetric(key="active-users", phase=0, target=50, actual=10), None),  # no target
        (MissedMetric(key="nps", phase=1, target=30, actual=10), None),  # unknown metric
    ],
)
def test_metrics_that_missed(miss: MissedMetric, expected: float | None) -> None:
    found = lessons_for(ProgramOutcome(missed_metrics=[miss]))
    if expected is None:
        assert found == []
    else:
        assert found == [("adjust_target", miss.key, {"phase": miss.phase, "target": expected})]


READINGS = [(date(2026, 1, 10), 40.0), (date(2026, 1, 31), 70.0), (date(2026, 3, 1), 95.0)]


@pytest.mark.parametrize(
    ("direction", "targets", "ended", "expected"),
    [
        # the last reading on or before the window's end counts: 70 by Jan 31, 40 by Jan 20
        ("higher", [(1, 80.0)], {1: date(2026, 1, 31)}, [(1, 80.0, 70.0)]),
        ("higher", [(1, 50.0)], {1: date(2026, 1, 20)}, [(1, 50.0, 40.0)]),
        ("higher", [(1, 70.0)], {1: date(2026, 1, 31)}, []),  # reached is not missed
        ("lower", [(1, 50.0)], {1: date(2026, 1, 31)}, [(1, 50.0, 70.0)]),
        ("lower", [(1, 90.0)], {1: date(2026, 1, 31)}, []),
        ("higher", [(1, 80.0)], {1: date(2026, 1, 1)}, []),  # no reading by then
        ("higher", [(2, 99.0)], {1: date(2026, 1, 31)}, []),  # phase 2 has not ended
        (
            "higher",
            [(1, 80.0), (2, 99.0)],
            {1: date(2026, 1, 31), 2: date(2026, 3, 31)},
            [(1, 80.0, 70.0), (2, 99.0, 95.0)],
        ),
    ],
)
def test_missed_targets(
    direction: str,
    targets: list[tuple[int, float]],
    ended: dict[int, date],
    expected: list[tuple[int, float, float]],
) -> None:
    assert missed_targets("m", direction, targets, READINGS, ended) == [
        MissedMetric(key="m", phase=phase, target=target, actual=actual)
        for phase, target, actual in expected
    ]


# --------------------------------------------------------------------------- added tasks


def test_tasks_the_program_added(app: Flask) -> None:
    outcome = ProgramOutcome(
        added_tasks=[
            AddedTask(
                key="super-users",
                name="Super users",
                name_zh="关键用户",
                phase_key="pilot",
                duration=4,
                workstream="change",
                depends_on=("roadmap", ("interviews", "SS", 2), "crm-admin-hiring"),
            ),
            # the playbook already has "report": the new item is renamed, and the item
            # depending on it follows
            AddedTask(
                key="report",
                name="Pilot report",
                phase_key="pilot",
                duration=0,
                depends_on=("super-users",),
            ),
            AddedTask(
                key="Wrap Up", name="Wrap-up", phase_key="pilot", duration=1, depends_on=("report",)
            ),
            AddedTask(key="elsewhere", name="Elsewhere", phase_key="rollout", duration=2),
        ]
    )
    lessons = propose_lessons(PB, outcome)
    assert [(x.kind, x.key, x.patch["depends_on"]) for x in lessons] == [
        ("add_task", "super-users", (("roadmap", "FS", 0), ("interviews", "SS", 2))),
        ("add_task", "report-2", (("super-users", "FS", 0),)),
        ("add_task", "wrap-up", (("report-2", "FS", 0),)),
    ]
    assert [x.reason.code for x in lessons] == [
        "lessons.add_task",
        "lessons.add_milestone",
        "lessons.add_task",
    ]
    (english, chinese), (milestone, _zh), _wrap_up = in_both_languages(
        app, [x.reason for x in lessons]
    )
    assert english == (
        'Add task "super-users" to phase "pilot" ("Super users", 4 working days, after roadmap,'
        " interviews): the program added it. Its link from crm-admin-hiring is left out: not in"
        " the playbook."
    )
    assert chinese == (
        '在阶段 "pilot" 中增加任务 "super-users"（"关键用户"，4 个工作日，'
        "前置：roadmap、interviews）：实施项目中增加了它。"
        "它与 crm-admin-hiring 的依赖关系未保留：实施手册中没有。"
    )
    assert milestone == (
        'Add milestone "report-2" to phase "pilot" ("Pilot report", after super-users): the'
        " program added it."
    )
    new = apply_lessons(PB, lessons, "1.1")
    pilot = new.phases[1]
    assert [t.key for t in pilot.tasks] == ["training", "short", "super-users", "wrap-up"]
    assert [m.key for m in pilot.milestones] == ["report-2"]
    super_users = pilot.tasks[2]
    assert (super_users.duration, super_users.workstream, super_users.name.zh) == (
        4,
        "change",
        "关键用户",
    )
    assert [(d.key, d.type, d.lag) for d in super_users.depends_on] == [
        ("roadmap", "FS", 0),
        ("interviews", "SS", 2),
    ]


# --------------------------------------------------------------------------- applying


def test_every_kind_applied_gives_a_valid_new_version() -> None:
    outcome = ProgramOutcome(
        added_tasks=[
            AddedTask(
                key="dashboard",
                name="Dashboard",
                phase_key="pilot",
                duration=3,
                depends_on=("training",),
            )
        ],
        actual_durations={"interviews": 14, "report": 3},
        occurred_risks=[
            OccurredRisk(key="resistance", title="Resistance", likelihood=3, impact=4),
            OccurredRisk(key="turnover", title="Turnover", likelihood=2, impact=3),
        ],
        missed_metrics=[MissedMetric(key="duplicates", phase=1, target=2, actual=4)],
    )
    lessons = propose_lessons(PB, outcome)
    assert [x.id for x in lessons] == [
        "add_task:dashboard",
        "lengthen_task:interviews",
        "raise_risk:resistance",
        "add_risk:turnover",
        "adjust_target:duplicates:1",
    ]
    new = apply_lessons(PB, lessons, "1.1")
    assert new.version == "1.1" and new.id == PB.id
    assert cross_check(new) == []
    assert parse_playbook(dump_playbook(new)) == new
    changes = [
        (c.kind, c.section, c.key, c.field, c.old, c.new) for c in diff_playbooks(PB, new).changes
    ]
    assert changes == [
        ("changed", "task", "interviews", "duration", "10", "14"),
        ("added", "task", "dashboard", None, None, "Dashboard"),
        ("added", "dependency", "training → dashboard", None, None, "FS"),
        ("changed", "risk", "resistance", "likelihood", "3", "4"),
        ("added", "risk", "turnover", None, None, "Turnover"),
        # (2 + 4) / 2 = 3
        ("changed", "metric", "duplicates", "target", "2", "3"),
    ]


def test_edited_lessons_win_and_dropped_ones_are_not_applied() -> None:
    lessons = propose_lessons(
        PB, ProgramOutcome(actual_durations={"interviews": 14, "training": 9})
    )
    assert [x.patch["duration"] for x in lessons] == [14, 9]
    edited = [replace(lessons[0], patch={"duration": 12})]  # the consultant keeps one, at 12
    new = apply_lessons(PB, edited, "2")
    assert new.phases[0].tasks[0].duration == 12
    assert new.phases[1].tasks[0].duration == 5


@pytest.mark.parametrize(
    ("lesson", "error"),
    [
        (
            lesson("lengthen_task", "roadmap", {"duration": 4}),
            ("lessons[0].key", "lessons.no_task", {"key": "roadmap"}),
        ),
        (
            lesson("lengthen_task", "report", {"duration": 0}),
            ("lessons[0].patch.duration", "lessons.whole_number", {"min": "1", "max": "1000"}),
        ),
        (
            lesson("raise_risk", "resistance", {"likelihood": 6}),
            ("lessons[0].patch.likelihood", "lessons.whole_number", {"min": "1", "max": "5"}),
        ),
        (
            lesson("raise_risk", "nope", {"likelihood": 4}),
            ("lessons[0].key", "lessons.no_risk", {"key": "nope"}),
        ),
        (
            lesson("adjust_target", "active-users", {"phase": 1, "target": "high"}),
            ("lessons[0].patch.target", "lessons.number", {}),
        ),
        (
            lesson("add_task", "x", {"phase": "rollout", "name": "X", "duration": 1}),
            ("lessons[0].patch.phase", "lessons.no_phase", {"key": "rollout"}),
        ),
        (
            lesson(
                "add_task",
                "x",
                {"phase": "pilot", "name": "X", "duration": 1, "depends_on": [("a", "XX", 0)]},
            ),
            ("lessons[0].patch.depends_on[0]", "lessons.predecessor", {}),
        ),
        (
            # an edit that points at a task the playbook does not have: the cross-check names it
            lesson(
                "add_task",
                "x",
                {"phase": "pilot", "name": "X", "duration": 1, "depends_on": ["ghost"]},
            ),
            (
                "phases[1].tasks[2].depends_on[0]",
                "playbook.issue",
                {"issue": "unknown_task", "key": "ghost"},
            ),
        ),
        (
            lesson("add_task", "training", {"phase": "pilot", "name": "X", "duration": 1}),
            (
                "phases[1].tasks[2].key",
                "playbook.issue",
                {"issue": "duplicate_item_key", "key": "training", "first": "phases[1].tasks[0]"},
            ),
        ),
        (
            lesson("add_task", "Bad Key", {"phase": "pilot", "name": "X", "duration": 1}),
            (
                "phases[1].tasks[2].key",
                "playbook.issue",
                {"issue": "key_pattern", "value": '"Bad Key"'},
            ),
        ),
    ],
)
def test_lessons_that_do_not_fit_are_refused_with_a_path(
    lesson: Lesson, error: tuple[str, str, dict[str, str]]
) -> None:
    with pytest.raises(ValidationError) as caught:
        apply_lessons(PB, [lesson], "1.1")
    # a lesson that does not fit is coded, and so is what the playbook's own checks find
    assert error in coded(caught.value)


def test_a_new_version_that_would_not_load_is_worded_as_the_library_words_a_file(
    app: Flask,
) -> None:
    ghost = lesson("add_task", "x", {"phase": "pilot", "name": "X", "duration": 1})
    ghost = replace(ghost, patch={**ghost.patch, "depends_on": ["ghost"]})
    with pytest.raises(ValidationError) as caught:
        apply_lessons(PB, [ghost], "1.1")
    with app.app_context():
        with force_locale("en"):
            assert caught.value.errors == [
                ("phases[1].tasks[2].depends_on[0]", "unknown task key “ghost”")
            ]
        with force_locale("zh_Hans_CN"):
            ((_path, chinese),) = caught.value.errors
    assert "ghost" in chinese and "unknown" not in chinese


@pytest.mark.parametrize(
    ("version", "code"),
    [
        ("1.0", "lessons.version_not_newer"),
        ("0.9", "lessons.version_not_newer"),
        ("1", "lessons.version_not_newer"),  # 1 = 1.0.0
        ("1.0.1a", "lessons.version_format"),
        ("1.0.0.1", "lessons.version_format"),
    ],
)
def test_the_new_version_must_be_newer(version: str, code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        apply_lessons(PB, [], version)
    current = {"current": "1.0"} if code == "lessons.version_not_newer" else {}
    assert coded(caught.value) == [("version", code, {"version": version} | current)]


def test_no_lessons_changes_only_the_version() -> None:
    new = apply_lessons(PB, [], "1.0.1")
    assert new.model_copy(update={"version": "1.0"}) == PB
    assert diff_playbooks(PB, new).is_empty


def test_lessons_descriptions_in_both_languages(app: Flask) -> None:
    outcome = ProgramOutcome(
        actual_durations={"interviews": 13},
        occurred_risks=[
            OccurredRisk(key="resistance", title="Resistance", likelihood=3, impact=4),
            OccurredRisk(
                key="turnover", title="Turnover", title_zh="人员流失", likelihood=2, impact=3
            ),
        ],
        missed_metrics=[MissedMetric(key="active-users", phase=1, target=90, actual=84)],
    )
    lessons = propose_lessons(PB, outcome)
    assert in_both_languages(app, [x.reason for x in lessons]) == [
        (
            'Lengthen task "interviews" from 10 to 13 working days: it took 13 (30% over).',
            '把任务 "interviews" 的工期从 10 延长到 13 个工作日：'
            "实际用了 13 个工作日（超出 30%）。",
        ),
        (
            'Raise the likelihood of risk "resistance" from 3 to 4: it occurred in the program.',
            '把风险 "resistance" 的可能性从 3 提高到 4：该风险在实施项目中发生了。',
        ),
        (
            'Add risk "turnover" ("Turnover", likelihood 2, impact 3): it occurred in the'
            " program and the playbook does not list it.",
            '增加风险 "turnover"（"人员流失"，可能性 2，影响 3）：该风险在实施项目中发生了，'
            "而实施手册中没有列出。",
        ),
        (
            # (90 + 84) / 2 = 87
            'Adjust the phase-1 target of metric "active-users" from 90 to 87: the program'
            " reached 84 against 90 (halfway towards the actual; review it).",
            '把指标 "active-users" 第 1 阶段的目标值从 90 调整为 87：实施项目实际达到 84，'
            "目标为 90（取目标值与实际值的中间值，请复核）。",
        ),
    ]


def test_lessons_from_a_rollout_of_the_main_playbook() -> None:
    v10 = load_playbook(SHIPPED_PLAYBOOKS / "crm-four-100-days.yaml")
    outcome = ProgramOutcome(
        added_tasks=[
            AddedTask(
                key="super-user-network",
                name="Build a super-user network",
                phase_key="foundation",
                duration=5,
                workstream="training-change",
                depends_on=("change-impact",),
            )
        ],
        # 18 / 15 = 1.2 (not more than 20%: no lesson); 10 / 8 = 1.25; 14 / 10 = 1.4
        actual_durations={
            "contact-migration": 18,
            "sales-training": 10,
            "service-history-migration": 14,
        },
        occurred_risks=[
            OccurredRisk(
                key="cleaning-legacy-data", title="Cleaning legacy data", likelihood=4, impact=3
            )
        ],
    )
    lessons = propose_lessons(v10, outcome)
    assert [x.id for x in lessons] == [
        "add_task:super-user-network",
        "lengthen_task:sales-training",
        "lengthen_task:service-history-migration",
        "raise_risk:cleaning-legacy-data",
    ]
    new = apply_lessons(v10, lessons, "1.2")
    assert parse_playbook(dump_playbook(new)) == new
    summary = diff_playbooks(v10, new).summary()
    assert summary["task"] == {"added": 1, "removed": 0, "changed": 2}
    assert summary["dependency"] == {"added": 1, "removed": 0, "changed": 0}
    assert summary["risk"] == {"added": 0, "removed": 0, "changed": 1}
