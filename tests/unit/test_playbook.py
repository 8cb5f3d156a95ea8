"""Playbook loading: every kind of error is reported with its line and path."""

from __future__ import annotations

import textwrap

import pytest

from planner.config import SHIPPED_PLAYBOOKS
from planner.domain.playbook import PlaybookError, load_playbook, parse_playbook

VALID = """\
id: tiny
version: "1.0"
title: {en: Tiny, zh: 小}
phases:
  - ordinal: 0
    key: diagnosis
    kind: diagnosis
    name: Diagnosis
    length_days: 28
    tasks:
      - {key: interviews, name: Interviews, duration: 5}
      - {key: report, name: Report, duration: 3, depends_on: [interviews]}
    milestones:
      - {key: roadmap, name: Roadmap agreed, depends_on: [{key: report, type: FS, lag: 1}]}
    gate:
      - {kind: milestones_done, milestones: [roadmap]}
      - {kind: metric_target, metric: active-users}
      - {kind: max_risk_band, band: high}
      - {kind: manual, text: {en: Sponsor sign-off, zh: 发起人签字}}
risks:
  - {key: resistance, title: Resistance to change, category: people, likelihood: 4, impact: 4}
metrics:
  - {key: active-users, name: Active users, unit: "%", direction: higher, targets: {0: 10}}
"""


def issues_of(text: str) -> list[str]:
    with pytest.raises(PlaybookError) as caught:
        parse_playbook(textwrap.dedent(text), source="pb.yaml")
    return [str(issue) for issue in caught.value.issues]


def test_valid_playbook_loads() -> None:
    playbook = parse_playbook(VALID, source="pb.yaml")
    assert playbook.task_count == 2
    assert playbook.milestone_count == 1
    dep = playbook.phases[0].milestones[0].depends_on[0]
    assert (dep.key, dep.type, dep.lag) == ("report", "FS", 1)
    assert playbook.title.get("zh") == "小"
    assert playbook.phases[0].name.get("zh") == "Diagnosis"  # falls back to English


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # unknown reference, with the line of the depends_on entry (line 12)
        (
            "depends_on: [interviews]",
            "depends_on: [pilot-go-live]",
            'pb.yaml:12 phases[0].tasks[1].depends_on[0]: unknown task key "pilot-go-live"',
        ),
        # out-of-range value
        (
            "likelihood: 4",
            "likelihood: 6",
            "pb.yaml:21 risks[0].likelihood: must be at most 5, got 6",
        ),
        # unknown field
        (
            "    length_days: 28",
            "    length_days: 28\n    colour: blue",
            'pb.yaml:10 phases[0].colour: unknown field "colour"',
        ),
        # missing required field
        (
            "name: Interviews, ",
            "",
            "pb.yaml:11 phases[0].tasks[0].name: required field is missing",
        ),
        # duplicate work item key
        (
            "{key: report, name: Report",
            "{key: interviews, name: Report",
            'pb.yaml:12 phases[0].tasks[1].key: duplicate work item key "interviews"',
        ),
        # unknown metric in a gate criterion
        (
            "metric: active-users}",
            "metric: happiness}",
            'pb.yaml:17 phases[0].gate[1].metric: unknown metric key "happiness"',
        ),
        # unknown risk band
        (
            "band: high}",
            "band: purple}",
            "pb.yaml:18 phases[0].gate[2].band: unknown risk band",
        ),
        # a metric target for a phase that does not exist
        ("targets: {0: 10}", "targets: {7: 10}", "pb.yaml:23 metrics[0].targets[7]: no phase"),
        # bad dependency type
        ("type: FS", "type: XY", "pb.yaml:14 phases[0].milestones[0].depends_on[0].type"),
        # self dependency
        (
            "depends_on: [interviews]",
            "depends_on: [report]",
            'pb.yaml:12 phases[0].tasks[1].depends_on[0]: "report" cannot depend on itself',
        ),
    ],
)
def test_each_error_kind_names_line_and_path(old: str, new: str, expected: str) -> None:
    assert old in VALID
    issues = issues_of(VALID.replace(old, new, 1))
    assert any(issue.startswith(expected) for issue in issues), issues


def test_every_error_is_reported_not_only_the_first() -> None:
    text = VALID.replace("likelihood: 4", "likelihood: 0").replace("impact: 4", "impact: 9")
    text = text.replace("    length_days: 28", "    length_days: 28\n    colour: blue")
    issues = issues_of(text)
    assert len(issues) == 3, issues


def test_dependency_cycle_is_named() -> None:
    text = VALID.replace(
        "{key: interviews, name: Interviews, duration: 5}",
        "{key: interviews, name: Interviews, duration: 5, depends_on: [roadmap]}",
    )
    (issue,) = issues_of(text)
    assert "dependency cycle:" in issue
    for key in ("interviews", "report", "roadmap"):
        assert key in issue


def test_duplicate_yaml_key_is_refused_with_its_line() -> None:
    (issue,) = issues_of(VALID.replace('version: "1.0"', 'version: "1.0"\nid: again'))
    assert issue.startswith("pb.yaml:3") and "duplicate key" in issue


def test_yaml_syntax_error_has_a_line() -> None:
    (issue,) = issues_of(VALID + "  - [unclosed\n")
    assert issue.startswith("pb.yaml:") and "pb.yaml: " not in issue


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("!!python/object:os.system {}\n", "tag"),
        ("a: &x [1]\nb: *x\n", "aliases are not allowed"),
        ("- just\n- a list\n", "must be a YAML mapping"),
        ("", "empty"),
    ],
)
def test_unsafe_or_shapeless_yaml_is_refused(text: str, fragment: str) -> None:
    issues = issues_of(text)
    assert any(fragment in issue for issue in issues), issues


def test_shipped_playbooks_validate() -> None:
    files = sorted(SHIPPED_PLAYBOOKS.glob("*.yaml"))
    ids = {load_playbook(f).id for f in files}
    assert {"crm-four-100-days", "small-business-quick-start"} <= ids


def test_main_playbook_is_faithful_to_the_method() -> None:
    pb = load_playbook(SHIPPED_PLAYBOOKS / "crm-four-100-days.yaml")
    assert [p.ordinal for p in pb.phases] == [0, 1, 2, 3, 4]
    assert pb.phases[0].kind == "diagnosis"
    assert all(p.length_days == 100 for p in pb.phases[1:])
    assert pb.task_count + pb.milestone_count >= 60
    assert len(pb.risks) == 10
    assert pb.risks[0].title.zh == "控制拒绝变化的阻力"
    assert len(pb.metrics) >= 8
    assert pb.maturity is not None
    assert len(pb.maturity.categories) == 8
    assert all(len(c.indicators) == 8 for c in pb.maturity.categories)
    types = {d.type for _phase, item in pb.work_items() for d in item.depends_on}
    assert types == {"FS", "SS", "FF", "SF"}
    assert any(d.lag < 0 for _phase, item in pb.work_items() for d in item.depends_on)
    assert all(p.gate for p in pb.phases)
