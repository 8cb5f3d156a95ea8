"""Playbooks read by libyaml (``planner.domain.yaml_fast``) read as ruamel's own reader
reads them: the same data, the same line of every key, the same refusals."""

from __future__ import annotations

from typing import NoReturn

import pytest

import planner.domain.playbook as playbook_module
from planner.config import SHIPPED_PLAYBOOKS
from planner.domain import yaml_fast
from planner.domain.playbook import (
    Playbook,
    PlaybookError,
    _read_yaml,
    _sound_playbook,
    parse_playbook,
)
from tests.unit.test_playbook import VALID
from tests.unit.test_yaml_fast_load import assert_same

SHIPPED = sorted(SHIPPED_PLAYBOOKS.glob("*.yaml"))


def _lines(data: object) -> list[object]:
    """Every key and item with its line, depth first."""
    out: list[object] = []
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            out.extend((key, node.lc.key(key)) for key in node)  # type: ignore[attr-defined]
            stack.extend(node.values())
        elif isinstance(node, list):
            out.extend(node.lc.item(i) for i in range(len(node)))  # type: ignore[attr-defined]
            stack.extend(node)
    return out


TRICKY = """\
id: tricky
words: [no, yes, on, off, y, n, "no", 'yes']
numbers: [010, 0o10, 0x1F, 1_000, -3, +4, 1.5, .5, 1e3, .inf, -.Inf, .nan, 12:30]
nothing: [~, null, Null, ""]
truth: [true, False, TRUE]
when: [2024-06-03, 2024-06-03 10:00:00]
text: |
  two
  lines
folded: >-
  one
  line
nested:
  - {a: 1, b: [x, y]}
  - key: value   # a comment
"""


@pytest.mark.skipif(yaml_fast.compose("a: 1") is None, reason="libyaml is not installed")
@pytest.mark.parametrize("text", [TRICKY, *(p.read_text("utf-8") for p in SHIPPED)])
def test_libyaml_reads_as_ruamel_reads(text: str) -> None:
    fast = _read_yaml(text, "x.yaml")
    slow = _read_yaml(text, "x.yaml", fast=False)
    assert repr(fast) == repr(slow)  # values and their types (str, int, float, date …)
    assert _lines(fast) == _lines(slow)


def test_shipped_playbooks_parse_the_same_either_way() -> None:
    assert SHIPPED
    for path in SHIPPED:
        text = path.read_text("utf-8")
        assert parse_playbook(text, path.name) is not None


@pytest.mark.parametrize(
    "text",
    [
        "id: a\nid: b\n",  # a duplicate key
        "a: &x 1\nb: *x\n",  # an alias
        "a: !custom 1\n",  # a custom tag
        "a: [1, 2\n",  # not YAML
        "%YAML 1.2\n---\na: 1\n",  # a directive
    ],
)
def test_refusals_and_their_lines_are_ruamels(text: str) -> None:
    outcomes = []
    for fast in (True, False):
        try:
            outcomes.append(repr(_read_yaml(text, "x.yaml", fast=fast)))
        except PlaybookError as exc:
            outcomes.append([(i.line, i.code) for i in exc.issues])
    assert outcomes[0] == outcomes[1]


# ------------------------------------------------------------------------------ whole playbooks
# parse_playbook reads a sound playbook into plain data (yaml_fast.load) and validates it;
# only when that finds a problem does it read the text again the slow way (_read_yaml, with
# each key's line) to report the problems. Both ways must give the very same playbook.


def the_slow_way(text: str) -> Playbook:
    """The playbook from ruamel's own reader's data (line numbers and all)."""
    return Playbook.model_validate(_read_yaml(text, "x.yaml", fast=False))


SOUND = {
    "valid": VALID,
    "tricky numbers": (
        VALID.replace("length_days: 28", "length_days: 0o34")  # 28
        .replace("duration: 5}", "duration: 010}")  # 10 (YAML 1.2: not octal)
        .replace("duration: 3,", "duration: 0x3,")
        .replace("lag: 1}", "lag: -0b1}")
        .replace("likelihood: 4", "likelihood: +4")
        .replace("impact: 4", "impact: 0_4")
        .replace("targets: {0: 10}", "targets: {0: 1e1}, baseline: -.5, amber_tolerance: 1_0e-2")
    ),
    "tricky text": (
        VALID.replace("name: Diagnosis", "name: no")  # YAML 1.2: text
        .replace("name: Interviews", "name: 'on'")
        .replace(
            "- {key: report, name: Report, duration: 3, depends_on: [interviews]}",
            "- key: report\n        name: |-\n          Report\n          in two lines\n"
            "        duration: 3\n        depends_on: [interviews]",
        )
        .replace("title: {en: Tiny, zh: 小}", "title: >-\n  Tiny\n  playbook")
        .replace("category: people", 'category: "010"')
        .replace('unit: "%"', "unit: 12:30")  # YAML 1.2: text
    ),
    "anchor no alias uses": VALID.replace("name: Diagnosis", "name: &n Diagnosis"),
}


@pytest.mark.parametrize("text", [*SOUND.values(), *(p.read_text("utf-8") for p in SHIPPED)])
def test_a_sound_playbook_is_read_the_fast_way_into_the_same_playbook(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow = the_slow_way(text)
    assert _sound_playbook(text) is not None  # no second reading
    monkeypatch.setattr(playbook_module, "_read_yaml", _never)
    fast = parse_playbook(text, "x.yaml")
    assert fast == slow
    assert_same(fast, slow)


def _never(*_args: object, **_kwargs: object) -> NoReturn:
    raise AssertionError("read the slow way")


def test_the_tricky_values_are_yaml_12s() -> None:
    tricky = parse_playbook(SOUND["tricky numbers"], "x.yaml")
    phase = tricky.phases[0]
    assert phase.length_days == 28
    assert [t.duration for t in phase.tasks] == [10, 3]
    assert phase.milestones[0].depends_on[0].lag == -1
    assert (tricky.risks[0].likelihood, tricky.risks[0].impact) == (4, 4)
    metric = tricky.metrics[0]
    assert (metric.targets, metric.baseline, metric.amber_tolerance) == ({0: 10.0}, -0.5, 0.1)
    text = parse_playbook(SOUND["tricky text"], "x.yaml")
    assert text.phases[0].name.en == "no"
    assert [t.name.en for t in text.phases[0].tasks] == ["on", "Report\nin two lines"]
    assert text.title.en == "Tiny playbook"
    assert (text.risks[0].category, text.metrics[0].unit) == ("010", "12:30")


# every problem as the reading before the fast way reported it: its line, path and code
BROKEN: dict[str, tuple[str, list[tuple[int | None, str, str]]]] = {
    "custom tag": (VALID.replace("duration: 5}", "duration: !days 5}"), [(11, "", "tag")]),
    "alias": (
        VALID.replace("name: Diagnosis", "name: &n Diagnosis").replace(
            "name: Interviews", "name: *n"
        ),
        [(8, "", "alias")],
    ),
    "duplicate key": (
        VALID.replace("    length_days: 28", "    length_days: 28\n    length_days: 29"),
        [(10, "", "yaml_syntax")],
    ),
    "too deep": (VALID + "extra: " + "[" * 40 + "]" * 40 + "\n", [(24, "", "too_deep")]),
    "not a mapping": ("- " + VALID.replace("\n", "\n  "), [(1, "", "not_mapping")]),
    "empty": ("", [(None, "", "file_empty")]),
    "not YAML": (
        VALID.replace("title: {en: Tiny, zh: 小}", "title: {en: Tiny, zh: 小"),
        [(4, "", "yaml_syntax")],
    ),
    "merge key": (
        VALID.replace("title: {en: Tiny, zh: 小}", "title: {<<: {en: Tiny}, zh: 小}"),
        [(3, "", "tag")],
    ),
    "no is text": (
        VALID.replace("duration: 5}", "duration: no}"),
        [(11, "phases[0].tasks[0].duration", "expected_integer")],
    ),
    "a date": (
        VALID.replace("name: Diagnosis", "name: 2024-06-03"),
        [(8, "phases[0].name", "expected_mapping")],
    ),
    "a date and time": (
        VALID.replace("name: Diagnosis", "name: 2024-06-03T10:00:00"),
        [(8, "phases[0].name", "expected_mapping")],
    ),
    "infinity": (
        VALID.replace("targets: {0: 10}", "targets: {0: 10}, amber_tolerance: .inf"),
        [(23, "metrics[0].amber_tolerance", "too_big")],
    ),
    "a number as a key": (
        VALID.replace("targets: {0: 10}", "targets: {0: 10, 3: 20}"),
        [(23, "metrics[0].targets[3]", "target_no_phase")],
    ),
    "unknown field": (
        VALID.replace("    length_days: 28", "    length_days: 28\n    colour: blue"),
        [(10, "phases[0].colour", "unknown_field")],
    ),
    "cycle": (
        VALID.replace(
            "{key: interviews, name: Interviews, duration: 5}",
            "{key: interviews, name: Interviews, duration: 5, depends_on: [report]}",
        ),
        [(11, "phases[0].tasks[0].depends_on", "cycle")],
    ),
}


@pytest.mark.parametrize("name", BROKEN)
def test_a_problem_keeps_its_line_and_code(name: str) -> None:
    text, expected = BROKEN[name]
    assert _sound_playbook(text) is None  # read again the slow way, for the lines
    with pytest.raises(PlaybookError) as caught:
        parse_playbook(text, "pb.yaml")
    assert [(i.line, i.path, i.code) for i in caught.value.issues] == expected


def test_an_anchor_no_alias_uses_changes_nothing() -> None:
    # libyaml's nodes carry no anchor, whichever way the text is read: an anchored true is
    # True (ruamel's own reader would make it its ScalarBoolean, which a strict field refuses)
    small = (SHIPPED_PLAYBOOKS / "small-business-quick-start.yaml").read_text("utf-8")
    text = small.replace("critical: true", "critical: &c true", 1)
    assert text != small
    fast = _sound_playbook(text)
    assert fast is not None
    assert_same(fast, Playbook.model_validate(_read_yaml(text, "x.yaml")))
    assert_same(fast, parse_playbook(small, "x.yaml"))
