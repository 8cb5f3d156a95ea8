"""Writing playbooks back to YAML: exact round trips, a layout a person can edit."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.config import SHIPPED_PLAYBOOKS
from planner.domain.playbook import Playbook, Text, load_playbook, parse_playbook
from planner.domain.playbook_writer import dump_playbook

SMALL = """\
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
      - {key: interviews, name: Interviews, duration: 5, workstream: governance}
      - {key: report, name: Report, duration: 3, depends_on: [interviews]}
    milestones:
      - {key: roadmap, name: Roadmap agreed, depends_on: [{key: report, type: SS, lag: -1}]}
    gate:
      - {kind: milestones_done, milestones: [roadmap]}
      - {kind: manual, text: {en: Sponsor signs, zh: 发起人签字}}
  - ordinal: 1
    key: pilot
    name: Pilot
risks:
  - {key: resistance, title: Resistance, category: people, likelihood: 4, impact: 4,
     response: mitigate}
metrics:
  - {key: active-users, name: Active users, unit: "%", direction: higher, baseline: 0,
     targets: {1: 70.5}}
"""


def roundtrip(playbook: Playbook) -> Playbook:
    return parse_playbook(dump_playbook(playbook), source="written.yaml")


@pytest.mark.parametrize("path", sorted(SHIPPED_PLAYBOOKS.glob("*.yaml")), ids=lambda p: p.name)
def test_shipped_playbooks_round_trip(path: Path) -> None:
    playbook = load_playbook(path)
    text = dump_playbook(playbook)
    assert parse_playbook(text, source=path.name) == playbook
    assert "&id0" not in text and "*id0" not in text  # no anchors or aliases


def test_the_shipped_files_include_both_versions_of_the_main_playbook() -> None:
    names = {p.name for p in SHIPPED_PLAYBOOKS.glob("*.yaml")}
    assert {"crm-four-100-days.yaml", "crm-four-100-days-v1.1.yaml"} <= names


def test_layout_block_style_in_field_order() -> None:
    text = dump_playbook(parse_playbook(SMALL))
    assert text.startswith("id: tiny\nversion: '1.0'\ntitle:\n  en: Tiny\n  zh: 小\n\nphases:\n")
    # a task: key, name, workstream, depends_on … duration (the model's order)
    assert (
        "      - key: report\n"
        "        name:\n"
        "          en: Report\n"
        "        depends_on: [interviews]\n"
        "        duration: 3\n"
    ) in text
    # a dependency that is not a plain FS keeps its type and lag
    assert (
        "        depends_on:\n          - key: report\n            type: SS\n            lag: -1\n"
        in text
    )
    assert "    targets: {1: 70.5}\n" in text
    assert "    baseline: 0\n" in text  # 0.0 written as 0
    assert text.index("\nphases:") < text.index("\nrisks:") < text.index("\nmetrics:")
    assert "\n\nrisks:\n" in text and "\n\nmetrics:\n" in text


@pytest.mark.parametrize(
    "default",
    [
        "kind: phase",  # the default phase kind
        "type: FS",
        "lag: 0",
        "response: mitigate",
        "length_days: 100",
        "depends_on: []",
        "tasks: []",
        "gate: []",
        "risks: []",
        "null",
        "~",
        "calendar",
        "workdays",
        "description",
    ],
)
def test_fields_equal_to_their_default_are_left_out(default: str) -> None:
    assert default not in dump_playbook(parse_playbook(SMALL))


def test_required_fields_are_written_even_when_they_look_like_defaults() -> None:
    text = dump_playbook(parse_playbook(SMALL))
    assert "ordinal: 0" in text  # required, although 0
    assert "baseline: 0" in text  # not the default (None)


def test_header_becomes_comment_lines() -> None:
    text = dump_playbook(parse_playbook(SMALL), header="Saved from program 7\n\nby Ann")
    assert text.startswith("# Saved from program 7\n#\n# by Ann\nid: tiny\n")
    assert roundtrip(parse_playbook(SMALL)) == parse_playbook(text)


def test_long_texts_are_folded_blocks() -> None:
    long = "word " * 40 + "end"
    pb = parse_playbook(SMALL).model_copy(update={"description": Text(en=long, zh="长" * 120)})
    text = dump_playbook(pb)
    assert "description:\n  en: >-\n    word word" in text
    assert "\n  zh: >-\n    长长" in text
    assert max(len(line) for line in text.splitlines() if "长" not in line) <= 100
    assert not any(line.endswith(" ") for line in text.splitlines())
    assert roundtrip(pb) == pb


@pytest.mark.parametrize(
    "value",
    [
        "1.0",
        "yes",
        "null",
        "~",
        "- dash",
        "key: value",
        "# not a comment",
        "trailing space ",
        " leading space",
        "quote \" and ' apostrophe",
        "line one\nline two",
        "line one\n\n  indented line three",
        "ends with a newline\n",
        "tab\tinside",
        "next line\x85character",
        "line\u2028separator",
        "\ufeffbyte order mark",
        "emoji 😀 and 中文",
        "two  spaces " + "x" * 80,
        "%directive",
        "@at",
        "`backtick",
        "&anchor",
        "*alias",
        "!tag",
        "{flow: map}",
        "[flow, seq]",
    ],
)
def test_awkward_texts_round_trip(value: str) -> None:
    pb = parse_playbook(SMALL).model_copy(
        update={"title": Text(en=value, zh=value), "author": value}
    )
    assert roundtrip(pb) == pb


_BASE = parse_playbook(SMALL)


@settings(max_examples=100, deadline=None)
@given(
    en=st.text(min_size=1),
    zh=st.one_of(st.none(), st.text(min_size=1)),
    baseline=st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False)),
    target=st.floats(allow_nan=False, allow_infinity=False),
)
def test_any_text_and_number_round_trips(
    en: str, zh: str | None, baseline: float | None, target: float
) -> None:
    metric = _BASE.metrics[0].model_copy(update={"baseline": baseline, "targets": {1: target}})
    pb = _BASE.model_copy(update={"title": Text(en=en, zh=zh), "author": en, "metrics": [metric]})
    assert roundtrip(pb) == pb
