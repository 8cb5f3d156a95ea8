"""Playbooks read by libyaml (``planner.domain.yaml_fast``) read as ruamel's own reader
reads them: the same data, the same line of every key, the same refusals."""

from __future__ import annotations

import pytest

from planner.config import SHIPPED_PLAYBOOKS
from planner.domain import yaml_fast
from planner.domain.playbook import PlaybookError, _read_yaml, parse_playbook

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
        "%YAML 1.2\n---\na: 1\n",  # libyaml refuses the 1.2 directive: ruamel reads it
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
