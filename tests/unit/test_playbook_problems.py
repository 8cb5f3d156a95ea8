"""Every problem of a playbook at once, in words, each once; no reader error is a crash."""

from __future__ import annotations

import time

import pytest

from planner.domain.playbook import ISSUE_CODES, MAX_DEPTH, PlaybookError, parse_playbook
from planner.playbook_text import MESSAGES, issue_text
from tests.unit.test_playbook import VALID

# four field problems and three cross-reference problems, each on its own line (the lines
# below are those of the edited file: "colour" on line 10 moves the rest down by one)
SEVEN = (
    VALID.replace("duration: 5}", 'duration: "5"}')  # 1. a duration as text
    .replace("likelihood: 4", "likelihood: true")  # 2. likelihood not a number
    .replace("    length_days: 28", "    length_days: 28\n    colour: blue")  # 3. unknown field
    .replace("{key: report, name: Report", "{key: Report, name: Report")  # 4. a bad key
    .replace("depends_on: [{key: report, type: FS", "depends_on: [{key: survey, type: FS")  # 5.
    .replace("metric: active-users}", "metric: happiness}")  # 6. unknown metric
    .replace("band: high}", "band: purple}")  # 7. unknown risk band
)


def problems_of(text: str) -> list[str]:
    with pytest.raises(PlaybookError) as caught:
        parse_playbook(text, source="pb.yaml")
    return [str(issue) for issue in caught.value.issues]


def test_a_file_with_seven_problems_shows_all_seven_at_once() -> None:
    found = problems_of(SEVEN)
    assert len(found) == 7, found
    expected = [
        'pb.yaml:10 phases[0].colour: unknown field "colour"',
        'pb.yaml:12 phases[0].tasks[0].duration: expected a whole number, got "5"',
        "pb.yaml:13 phases[0].tasks[1].key: expected a key of lower-case letters",
        'pb.yaml:15 phases[0].milestones[0].depends_on[0]: unknown task key "survey"',
        'pb.yaml:18 phases[0].gate[1].metric: unknown metric key "happiness"',
        'pb.yaml:19 phases[0].gate[2].band: unknown risk band "purple"',
        "pb.yaml:22 risks[0].likelihood: expected a whole number, got true",
    ]
    for line, want in zip(found, expected, strict=True):
        assert line.startswith(want), (line, want)


def test_a_reference_to_an_item_with_a_bad_field_is_not_also_unknown() -> None:
    # the task "interviews" has a bad duration; "report" still depends on a known key
    found = problems_of(VALID.replace("duration: 5}", "duration: 0}"))
    assert found == ["pb.yaml:11 phases[0].tasks[0].duration: must be at least 1, got 0"]


def test_a_control_character_is_a_numbered_problem() -> None:
    found = problems_of(VALID.replace("name: Diagnosis", "name: Diag\x07nosis"))
    assert found == ["pb.yaml:8: the control character U+0007 is not allowed in a playbook"]


@pytest.mark.parametrize(
    "text",
    [
        "id: x\ntitle: " + "[" * 5000 + "]" * 5000 + "\n",
        "id: x\ntitle: " + "{a: " * 3000 + "1" + "}" * 3000 + "\n",
        "root:\n" + "".join(" " * i + "k:\n" for i in range(1, 400)),
        "id: x\nphases:\n" + "- " * 3000 + "x\n",
    ],
    ids=["flow lists", "flow mappings", "indented mappings", "dashes"],
)
def test_deep_nesting_is_refused_quickly(text: str) -> None:
    started = time.perf_counter()
    found = problems_of(text)
    assert time.perf_counter() - started < 1.0
    assert len(found) == 1
    assert f"nested more than {MAX_DEPTH} levels deep" in found[0]
    assert found[0].startswith("pb.yaml:")


def test_the_shipped_playbooks_are_not_too_deep() -> None:
    from planner.config import SHIPPED_PLAYBOOKS

    for path in SHIPPED_PLAYBOOKS.glob("*.yaml"):
        parse_playbook(path.read_text(encoding="utf-8"), source=path.name)


def test_an_alias_bomb_says_each_thing_once() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n"
    bomb += "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    bomb += "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
    bomb += "d: [*c, *c, *c, *c, *c, *c, *c, *c]\n"
    found = problems_of(bomb)
    assert len(found) == len(set(found))
    assert found == [
        "pb.yaml:1: aliases are not allowed",
        "pb.yaml:2: aliases are not allowed",
        "pb.yaml:3: aliases are not allowed",
    ]


def test_every_problem_code_has_words() -> None:
    assert set(MESSAGES) == set(ISSUE_CODES)


def test_problems_are_worded_in_english_outside_a_request() -> None:
    with pytest.raises(PlaybookError) as caught:
        parse_playbook(SEVEN, source="pb.yaml")
    texts = [issue_text(i) for i in caught.value.issues]
    assert "unknown field “colour”" in texts
    assert "unknown metric key “happiness”" in texts
