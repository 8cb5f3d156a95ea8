"""The structural diff of two playbooks: every section and kind, sentences, the v1.1 refinements."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask_babel import Babel, force_locale

from planner.config import SHIPPED_PLAYBOOKS
from planner.domain.playbook import Playbook, load_playbook, parse_playbook
from planner.domain.playbook_diff import (
    SECTIONS,
    Change,
    describe,
    diff_playbooks,
    link_key,
    split_link_key,
)
from planner.explain_text import render

BASE = """\
id: demo
version: "1.0"
title: {en: Demo, zh: 演示}
phases:
  - ordinal: 0
    key: diagnosis
    kind: diagnosis
    name: {en: Diagnosis, zh: 诊断}
    goal: {en: Know where we stand, zh: 了解现状}
    length_days: 28
    tasks:
      - {key: interviews, name: {en: Interviews, zh: 访谈}, workstream: governance, duration: 5}
      - {key: report, name: Report, duration: 3, depends_on: [interviews]}
    milestones:
      - {key: roadmap, name: Roadmap agreed, depends_on: [{key: report, type: FS, lag: 1}]}
    gate:
      - {kind: milestones_done, milestones: [roadmap]}
      - {kind: manual, text: {en: Sponsor signs, zh: 发起人签字}}
  - ordinal: 1
    key: pilot
    name: Pilot
    tasks:
      - {key: pilot-training, name: Pilot training, duration: 5, depends_on: [roadmap]}
      - {key: go-live-prep, name: Go-live prep, duration: 4,
         depends_on: [{key: pilot-training, type: SS, lag: 2}]}
    gate:
      - {kind: metric_target, metric: active-users}
      - {kind: max_risk_band, band: high}
risks:
  - {key: resistance, title: {en: Resistance, zh: 抵触}, category: people, likelihood: 4,
     impact: 4, mitigation: Champions}
metrics:
  - {key: active-users, name: Active users, unit: "%", direction: higher, baseline: 0,
     targets: {1: 70}}
maturity:
  scale: {0: None, 1: One, 2: Two, 3: Three, 4: Four, 5: Five}
  levels: [{name: Initial, min_score: 0}]
  categories:
    - key: data
      name: Data
      indicators:
        - {key: cd-01, name: Data quality, weight: 1.5, critical: true}
        - {key: cd-02, name: Data use}
    - key: people
      name: People
      indicators:
        - {key: pp-01, name: Training}
"""

NEW_PHASE = """\
  - ordinal: 2
    key: rollout
    name: Rollout
    tasks:
      - {key: waves, name: Rollout waves, duration: 10, depends_on: [go-live-prep]}
    gate:
      - {kind: max_risk_band, band: medium}
risks:"""

Row = tuple[str, str, str, str | None, str | None, str | None, str | None]
_BABEL_APP = Flask(__name__)
_BABEL_APP.config["BABEL_TRANSLATION_DIRECTORIES"] = str(
    Path(__file__).resolve().parents[2] / "translations"
)
Babel(_BABEL_APP)


def sentence(change: Change, lang: str = "en") -> str:
    """A change as the diff page words it for a reader of ``lang``."""
    locale = "zh_Hans_CN" if lang.startswith("zh") else "en"
    with _BABEL_APP.test_request_context(), force_locale(locale):
        return render(describe(change))


def edited(*replacements: tuple[str, str]) -> Playbook:
    text = BASE
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return parse_playbook(text, source="new.yaml")


def rows(old: Playbook, new: Playbook) -> list[Row]:
    return [
        (c.kind, c.section, c.key, c.field, c.old, c.new, c.phase)
        for c in diff_playbooks(old, new).changes
    ]


OLD = parse_playbook(BASE, source="old.yaml")

CASES: list[tuple[str, list[tuple[str, str]], list[Row]]] = [
    ("nothing", [], []),
    # ---------------------------------------------------------------- playbook
    (
        "title",
        [("title: {en: Demo, zh: 演示}", "title: {en: Demo method, zh: 演示}")],
        [("changed", "playbook", "demo", "title", "Demo", "Demo method", None)],
    ),
    (
        "working days",
        [('version: "1.0"\n', 'version: "1.0"\ncalendar: {workdays: [mon, tue, wed, thu]}\n')],
        [
            (
                "changed",
                "playbook",
                "demo",
                "workdays",
                "mon, tue, wed, thu, fri",
                "mon, tue, wed, thu",
                None,
            )
        ],
    ),
    # ---------------------------------------------------------------- phase
    (
        "phase length and goal",
        [
            ("length_days: 28", "length_days: 21"),
            ("goal: {en: Know where we stand", "goal: {en: Locate the company"),
        ],
        [
            (
                "changed",
                "phase",
                "diagnosis",
                "goal",
                "Know where we stand",
                "Locate the company",
                "diagnosis",
            ),
            ("changed", "phase", "diagnosis", "length_days", "28", "21", "diagnosis"),
        ],
    ),
    (
        "phase name",
        [("    name: Pilot\n", "    name: Pilot phase\n")],
        [("changed", "phase", "pilot", "name", "Pilot", "Pilot phase", "pilot")],
    ),
    (
        "phase added, with everything in it",
        [("risks:", NEW_PHASE)],
        [
            ("added", "phase", "rollout", None, None, "Rollout", "rollout"),
            ("added", "task", "waves", None, None, "Rollout waves", "rollout"),
            ("added", "dependency", "go-live-prep → waves", None, None, "FS", "rollout"),
            ("added", "gate", "max_risk_band", None, None, "medium", "rollout"),
        ],
    ),
    # ---------------------------------------------------------------- task
    (
        "task duration",
        [("duration: 5, depends_on: [roadmap]", "duration: 8, depends_on: [roadmap]")],
        [("changed", "task", "pilot-training", "duration", "5", "8", "pilot")],
    ),
    (
        "task workstream and owner role",
        [("workstream: governance, duration: 5", "workstream: data, owner_role: pm, duration: 5")],
        [
            ("changed", "task", "interviews", "workstream", "governance", "data", "diagnosis"),
            ("changed", "task", "interviews", "owner_role", None, "pm", "diagnosis"),
        ],
    ),
    (
        "task added",
        [
            (
                "    gate:\n      - {kind: metric_target",
                "      - {key: super-users, name: Super users, duration: 3}\n"
                "    gate:\n      - {kind: metric_target",
            )
        ],
        [("added", "task", "super-users", None, None, "Super users", "pilot")],
    ),
    (
        "task removed, and its dependency with it",
        [
            (
                "      - {key: go-live-prep, name: Go-live prep, duration: 4,\n"
                "         depends_on: [{key: pilot-training, type: SS, lag: 2}]}\n",
                "",
            )
        ],
        [
            ("removed", "task", "go-live-prep", None, "Go-live prep", None, "pilot"),
            ("removed", "dependency", "pilot-training → go-live-prep", None, "SS+2", None, "pilot"),
        ],
    ),
    (
        "task moved to another phase",
        [
            ("      - {key: report, name: Report, duration: 3, depends_on: [interviews]}\n", ""),
            (
                "    tasks:\n      - {key: pilot-training",
                "    tasks:\n"
                "      - {key: report, name: Report, duration: 3, depends_on: [interviews]}\n"
                "      - {key: pilot-training",
            ),
        ],
        [("changed", "task", "report", "phase", "diagnosis", "pilot", "pilot")],
    ),
    # ---------------------------------------------------------------- milestone
    (
        "milestone renamed",
        [("name: Roadmap agreed", "name: Roadmap approved")],
        [
            (
                "changed",
                "milestone",
                "roadmap",
                "name",
                "Roadmap agreed",
                "Roadmap approved",
                "diagnosis",
            )
        ],
    ),
    (
        "milestone added",
        [
            (
                "    gate:\n      - {kind: milestones_done",
                "      - {key: report-out, name: Report delivered, depends_on: [report]}\n"
                "    gate:\n      - {kind: milestones_done",
            )
        ],
        [
            ("added", "milestone", "report-out", None, None, "Report delivered", "diagnosis"),
            ("added", "dependency", "report → report-out", None, None, "FS", "diagnosis"),
        ],
    ),
    (
        "a task that becomes a milestone",
        [
            ("      - {key: report, name: Report, duration: 3, depends_on: [interviews]}\n", ""),
            (
                "    milestones:\n",
                "    milestones:\n      - {key: report, name: Report, depends_on: [interviews]}\n",
            ),
        ],
        [
            ("removed", "task", "report", None, "Report", None, "diagnosis"),
            ("added", "milestone", "report", None, None, "Report", "diagnosis"),
        ],
    ),
    # ---------------------------------------------------------------- dependency
    (
        "dependency lag",
        [("{key: report, type: FS, lag: 1}", "{key: report, type: FS, lag: 3}")],
        [("changed", "dependency", "report → roadmap", "lag", "1", "3", "diagnosis")],
    ),
    (
        "dependency type",
        [("type: SS, lag: 2", "type: FF, lag: 2")],
        [("changed", "dependency", "pilot-training → go-live-prep", "type", "SS", "FF", "pilot")],
    ),
    (
        "dependency added",
        [
            (
                "depends_on: [{key: pilot-training, type: SS, lag: 2}]",
                "depends_on: [{key: pilot-training, type: SS, lag: 2}, {key: report, lag: -2}]",
            )
        ],
        [("added", "dependency", "report → go-live-prep", None, None, "FS-2", "pilot")],
    ),
    (
        "dependency removed",
        [(", depends_on: [interviews]}", "}")],
        [("removed", "dependency", "interviews → report", None, "FS", None, "diagnosis")],
    ),
    # ---------------------------------------------------------------- gate
    (
        "gate criterion added",
        [
            (
                "      - {kind: manual",
                "      - {kind: metric_target, metric: active-users}\n      - {kind: manual",
            )
        ],
        [("added", "gate", "metric_target:active-users", None, None, "active-users", "diagnosis")],
    ),
    (
        "gate criterion removed",
        [("      - {kind: max_risk_band, band: high}\n", "")],
        [("removed", "gate", "max_risk_band", None, "high", None, "pilot")],
    ),
    (
        "gate band",
        [("band: high", "band: medium")],
        [("changed", "gate", "max_risk_band", "band", "high", "medium", "pilot")],
    ),
    (
        "gate milestones",
        [("milestones: [roadmap]", "milestones: [roadmap, report]")],
        [
            (
                "changed",
                "gate",
                "milestones_done",
                "milestones",
                "roadmap",
                "roadmap, report",
                "diagnosis",
            )
        ],
    ),
    (
        "manual criterion reworded: a new criterion",
        [("en: Sponsor signs,", "en: Sponsor signs the roadmap,")],
        [
            ("removed", "gate", "manual:Sponsor signs", None, "Sponsor signs", None, "diagnosis"),
            (
                "added",
                "gate",
                "manual:Sponsor signs the roadmap",
                None,
                None,
                "Sponsor signs the roadmap",
                "diagnosis",
            ),
        ],
    ),
    # ---------------------------------------------------------------- risk
    (
        "risk likelihood and mitigation",
        [("likelihood: 4", "likelihood: 5"), ("mitigation: Champions", "mitigation: Super users")],
        [
            ("changed", "risk", "resistance", "likelihood", "4", "5", None),
            ("changed", "risk", "resistance", "mitigation", "Champions", "Super users", None),
        ],
    ),
    (
        "risk added",
        [
            (
                "metrics:",
                "  - {key: churn, title: Key users leave, category: people, likelihood: 3,"
                " impact: 3}\nmetrics:",
            )
        ],
        [("added", "risk", "churn", None, None, "Key users leave", None)],
    ),
    (
        "risk removed",
        [
            (
                "  - {key: resistance, title: {en: Resistance, zh: 抵触}, category: people,"
                " likelihood: 4,\n     impact: 4, mitigation: Champions}\n",
                "  []\n",
            )
        ],
        [("removed", "risk", "resistance", None, "Resistance", None, None)],
    ),
    # ---------------------------------------------------------------- metric
    (
        "metric target changed and added",
        [("targets: {1: 70}", "targets: {0: 10, 1: 75}")],
        [
            ("changed", "metric", "active-users", "target", None, "10", "diagnosis"),
            ("changed", "metric", "active-users", "target", "70", "75", "pilot"),
        ],
    ),
    (
        "metric baseline and direction",
        [("direction: higher, baseline: 0", "direction: lower, baseline: 12.5")],
        [
            ("changed", "metric", "active-users", "direction", "higher", "lower", None),
            ("changed", "metric", "active-users", "baseline", "0", "12.5", None),
        ],
    ),
    (
        "metric added",
        [
            (
                "maturity:",
                "  - {key: nps, name: Net promoter score, unit: points, direction: higher}\n"
                "maturity:",
            )
        ],
        [("added", "metric", "nps", None, None, "Net promoter score", None)],
    ),
    # ---------------------------------------------------------------- indicator
    (
        "indicator weight and critical",
        [("weight: 1.5, critical: true", "weight: 2")],
        [
            ("changed", "indicator", "cd-01", "weight", "1.5", "2", None),
            ("changed", "indicator", "cd-01", "critical", "true", "false", None),
        ],
    ),
    (
        "indicator added",
        [
            (
                "{key: pp-01, name: Training}",
                "{key: pp-01, name: Training}\n        - {key: pp-02, name: Roles}",
            )
        ],
        [("added", "indicator", "pp-02", None, None, "Roles", None)],
    ),
    (
        "indicator removed",
        [("        - {key: cd-02, name: Data use}\n", "")],
        [("removed", "indicator", "cd-02", None, "Data use", None, None)],
    ),
    (
        "indicator moved to another category",
        [
            ("        - {key: cd-02, name: Data use}\n", ""),
            (
                "{key: pp-01, name: Training}",
                "{key: pp-01, name: Training}\n        - {key: cd-02, name: Data use}",
            ),
        ],
        [("changed", "indicator", "cd-02", "category", "data", "people", None)],
    ),
]


@pytest.mark.parametrize(
    ("replacements", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_diff_lists_each_change(replacements: list[tuple[str, str]], expected: list[Row]) -> None:
    assert rows(OLD, edited(*replacements)) == expected


def _swapped(row: Row) -> Row:
    kind, section, key, field, old, new, phase = row
    kind = {"added": "removed", "removed": "added"}.get(kind, kind)
    return (kind, section, key, field, new, old, phase)


@pytest.mark.parametrize(
    "replacements", [c[1] for c in CASES if c[2]], ids=[c[0] for c in CASES if c[2]]
)
def test_reversed_diff_swaps_added_and_removed(replacements: list[tuple[str, str]]) -> None:
    # the phase recorded for a moved task is the new playbook's; compare without it there
    new = edited(*replacements)
    forward = {_swapped(r)[:6] for r in rows(OLD, new)}
    backward = {r[:6] for r in rows(new, OLD)}
    assert forward == backward


def test_chinese_only_change_is_kept_with_both_texts() -> None:
    [change] = diff_playbooks(OLD, edited(("zh: 访谈}", "zh: 面谈}"))).changes
    assert (change.field, change.old, change.new) == ("name", "Interviews", "Interviews")
    assert (change.old_zh, change.new_zh) == ("访谈", "面谈")
    assert sentence(change) == 'Task "interviews": name (Chinese) "访谈" → "面谈"'
    assert sentence(change, "zh") == '任务 "interviews"：名称 "访谈" → "面谈"'


def test_summary_counts_every_section_and_kind() -> None:
    new = edited(("risks:", NEW_PHASE), ("likelihood: 4", "likelihood: 5"))
    diff = diff_playbooks(OLD, new)
    summary = diff.summary()
    assert list(summary) == list(SECTIONS)
    assert summary["phase"] == {"added": 1, "removed": 0, "changed": 0}
    assert summary["task"] == {"added": 1, "removed": 0, "changed": 0}
    assert summary["dependency"] == {"added": 1, "removed": 0, "changed": 0}
    assert summary["gate"] == {"added": 1, "removed": 0, "changed": 0}
    assert summary["risk"] == {"added": 0, "removed": 0, "changed": 1}
    # 4 additions + 1 change = 5 changes in all
    assert sum(sum(kinds.values()) for kinds in summary.values()) == 5
    assert not diff.is_empty
    assert diff_playbooks(OLD, OLD).is_empty


@pytest.mark.parametrize(
    ("change", "en", "zh"),
    [
        (
            Change("changed", "task", "pilot-training", "duration", "5", "8", "pilot"),
            'Task "pilot-training": duration 5 → 8 working days',
            '任务 "pilot-training"：工期 5 → 8 个工作日',
        ),
        (
            Change("changed", "phase", "diagnosis", "length_days", "28", "21", "diagnosis"),
            'Phase "diagnosis": length 28 → 21 calendar days',
            '阶段 "diagnosis"：长度 28 → 21 个日历日',
        ),
        (
            Change("changed", "dependency", "a → b", "lag", "5", "10", "p"),
            'Dependency "a → b": lag 5 → 10 working days',
            '依赖关系 "a → b"：滞后量 5 → 10 个工作日',
        ),
        (
            Change("changed", "task", "x", "owner_role", None, "pm", "p"),
            'Task "x": owner role (none) → "pm"',
            '任务 "x"：责任角色 （无） → "pm"',
        ),
        (
            Change("changed", "task", "x", "phase", "diagnosis", "pilot", "pilot"),
            'Task "x": moved from phase "diagnosis" to phase "pilot"',
            '任务 "x"：从阶段 "diagnosis" 移到阶段 "pilot"',
        ),
        (
            Change("changed", "metric", "nps", "target", "70", "75", "pilot"),
            'Metric "nps": target for phase "pilot" 70 → 75',
            '指标 "nps"：阶段 "pilot" 的目标值 70 → 75',
        ),
        (
            Change("changed", "metric", "nps", "direction", "higher", "lower"),
            'Metric "nps": direction higher → lower',
            '指标 "nps"：方向 越高越好 → 越低越好',
        ),
        (
            Change("changed", "indicator", "cd-01", "critical", "true", "false"),
            'Indicator "cd-01": critical true → false',
            '成熟度指标 "cd-01"：关键 是 → 否',
        ),
        (
            Change("changed", "indicator", "cd-02", "category", "data", "people"),
            'Indicator "cd-02": moved from category "data" to category "people"',
            '成熟度指标 "cd-02"：从类别 "data" 移到类别 "people"',
        ),
        (
            Change("changed", "risk", "r", "title", "Old", "New", None, "旧", "新"),
            'Risk "r": title "Old" → "New"',
            '风险 "r"：标题 "旧" → "新"',
        ),
        (
            Change("added", "task", "s", None, None, "Super users", "pilot", None, "关键用户"),
            'Task "s" added to phase "pilot": Super users',
            '任务 "s" 已添加到阶段 "pilot"：关键用户',
        ),
        (
            Change("removed", "milestone", "m", None, "Roadmap", None, "diagnosis"),
            'Milestone "m" removed from phase "diagnosis": Roadmap',
            '里程碑 "m" 已从阶段 "diagnosis" 删除：Roadmap',
        ),
        (
            Change("added", "phase", "rollout", None, None, "Rollout", "rollout"),
            'Phase "rollout" added: Rollout',
            '阶段 "rollout" 已添加：Rollout',
        ),
        (
            Change("removed", "risk", "r", None, "Resistance", None, None, "抵触"),
            'Risk "r" removed: Resistance',
            '风险 "r" 已删除：抵触',
        ),
        (
            Change("added", "dependency", "a → b", None, None, "FS-5", "p"),
            'Dependency "a → b" added in phase "p" (FS, lead 5 working days)',
            '依赖关系 "a → b" 已添加（阶段 "p"，FS，提前量 5 个工作日）',
        ),
        (
            Change("removed", "dependency", "a → b", None, "SS", None, "p"),
            'Dependency "a → b" removed in phase "p" (SS)',
            '依赖关系 "a → b" 已删除（阶段 "p"，SS）',
        ),
        (
            Change("added", "gate", "metric_target:nps", None, None, "nps", "p"),
            'Gate of phase "p": criterion added: metric "nps" meets its target',
            '阶段 "p" 的关口：增加条件：指标 "nps" 达到目标值',
        ),
        (
            Change("removed", "gate", "milestones_done", None, "a, b", None, "p"),
            'Gate of phase "p": criterion removed: milestones done: a, b',
            '阶段 "p" 的关口：删除条件：里程碑完成：a、b',
        ),
        (
            Change("added", "gate", "max_risk_band#2", None, None, "high", "p"),
            'Gate of phase "p": criterion added: no open risk above "high"',
            '阶段 "p" 的关口：增加条件：没有高于 "high" 的未关闭风险',
        ),
        (
            Change("added", "gate", "manual:Sign", None, None, "Sign", "p", None, "签字"),
            'Gate of phase "p": criterion added: "Sign"',
            '阶段 "p" 的关口：增加条件："签字"',
        ),
        (
            Change("changed", "gate", "max_risk_band", "band", "high", "medium", "p"),
            'Gate of phase "p": highest risk band allowed "high" → "medium"',
            '阶段 "p" 的关口：允许的最高风险等级 "high" → "medium"',
        ),
    ],
)
def test_describe_reads_as_a_sentence(change: Change, en: str, zh: str) -> None:
    assert describe(change).code == "playbook.change"
    assert sentence(change) == en
    assert sentence(change, "zh") == zh


def test_link_keys_split_back() -> None:
    assert split_link_key(link_key("pilot-training", "go-live")) == ("pilot-training", "go-live")


def test_v1_1_lists_exactly_the_refinements() -> None:
    v10 = load_playbook(SHIPPED_PLAYBOOKS / "crm-four-100-days.yaml")
    v11 = load_playbook(SHIPPED_PLAYBOOKS / "crm-four-100-days-v1.1.yaml")
    assert (v10.id, v10.version, v11.id, v11.version) == (
        "crm-four-100-days",
        "1.0",
        "crm-four-100-days",
        "1.1",
    )
    diff = diff_playbooks(v10, v11)
    assert (diff.old_version, diff.new_version) == ("1.0", "1.1")
    assert rows(v10, v11) == [
        ("changed", "task", "contact-migration", "duration", "15", "18", "foundation"),
        ("changed", "task", "sales-training", "duration", "8", "10", "foundation"),
        ("changed", "task", "service-history-migration", "duration", "10", "12", "integration"),
        (
            "added",
            "task",
            "super-user-network",
            None,
            None,
            "Build a super-user network: one super user per sales team, trained early",
            "foundation",
        ),
        (
            "added",
            "task",
            "data-quality-dashboard",
            None,
            None,
            "Build a data-quality dashboard: completeness and duplicates per team, refreshed daily",
            "second-capability",
        ),
        (
            "changed",
            "dependency",
            "service-config → marketing-config",
            "lag",
            "5",
            "10",
            "integration",
        ),
        (
            "added",
            "dependency",
            "change-impact → super-user-network",
            None,
            None,
            "FS",
            "foundation",
        ),
        (
            "added",
            "dependency",
            "super-user-network → sales-training",
            None,
            None,
            "FS",
            "foundation",
        ),
        (
            "added",
            "dependency",
            "data-quality-campaign → data-quality-dashboard",
            None,
            None,
            "SS+3",
            "second-capability",
        ),
        (
            "added",
            "dependency",
            "data-quality-dashboard → data-quality-result",
            None,
            None,
            "FS",
            "second-capability",
        ),
        (
            "added",
            "gate",
            "metric_target:contact-completeness",
            None,
            None,
            "contact-completeness",
            "second-capability",
        ),
        ("changed", "risk", "cleaning-legacy-data", "likelihood", "4", "5", None),
        (
            "added",
            "risk",
            "key-user-turnover",
            None,
            None,
            "Losing key users and super users",
            None,
        ),
        # 1.1 gives active users an adoption S-curve as its glide path
        ("changed", "metric", "active-users", "glide_text", "linear", "s-curve", None),
        ("changed", "metric", "duplicate-rate", "target", "6", "8", "foundation"),
        ("changed", "indicator", "pf-08", "weight", "1.5", "2", None),
    ]
    assert sentence(diff.changes[0], "zh") == '任务 "contact-migration"：工期 15 → 18 个工作日'


def test_playbook_wide_settings_are_compared() -> None:
    text = BASE.replace(
        "levels: [{name: Initial, min_score: 0}]",
        "levels: [{name: Initial, min_score: 0}, {name: Managed, min_score: 3}]",
    )
    [change] = diff_playbooks(OLD, parse_playbook(text)).changes
    assert (change.section, change.field) == ("playbook", "maturity_levels")
    assert (change.old, change.new) == ("Initial ≥ 0", "Initial ≥ 0, Managed ≥ 3")
    assert (
        sentence(change)
        == 'Playbook "demo": maturity levels Initial ≥ 0 → Initial ≥ 0, Managed ≥ 3'
    )
