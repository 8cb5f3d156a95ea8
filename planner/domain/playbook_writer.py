"""Write a playbook model back to YAML: the shared part of "save as playbook" and "new version".

The output is YAML 1.2 that :func:`~planner.domain.playbook.parse_playbook` reads back to an
equal model (``parse_playbook(dump_playbook(pb)) == pb``), laid out for a person to edit:

- keys in the model's field order (``id``, ``version``, ``title`` … for the playbook;
  ``key``, ``name`` … for items, so a task's ``duration`` comes last and a phase's
  milestones before its tasks), block style, two-space indentation, a blank line before
  each top-level section;
- a field equal to its default is left out (``kind: phase``, ``type: FS``, ``lag: 0``,
  ``weight: 1.0``, empty lists, ``None``); required fields are always written;
- every text as a mapping ``{en: …, zh: …}`` of the languages it has;
- a long one-line text as a folded block (``>-``); lines stay near 100 characters, except
  Chinese text, which has no spaces to fold at; a text of several lines as a literal block
  (``|-``); a text with control characters or unusual line breaks double-quoted with
  escapes;
- a dependency with the default type and lag as its bare key; a short list of bare keys
  (``depends_on``, a gate's ``milestones``, ``workdays``) and a mapping of plain values
  (a metric's ``targets``, ``level_weights``) on one line in flow style (``[a, b]``,
  ``{1: 70, 2: 80}``), as the shipped playbooks do;
- whole numbers stored as floats (targets, baselines, weights) written without ``.0``;
- no tags, anchors or aliases (the loader refuses them).

Examples:
    >>> from planner.domain.playbook import parse_playbook
    >>> pb = parse_playbook('''
    ... id: tiny
    ... version: "1.0"
    ... title: {en: Tiny, zh: 小}
    ... phases:
    ...   - {ordinal: 0, key: diagnosis, kind: diagnosis, name: Diagnosis, length_days: 28,
    ...      tasks: [{key: interviews, name: Interviews, duration: 5},
    ...              {key: report, name: Report, duration: 3, depends_on: [interviews]}]}
    ... ''')
    >>> text = dump_playbook(pb)
    >>> print(text)
    id: tiny
    version: '1.0'
    title:
      en: Tiny
      zh: 小
    <BLANKLINE>
    phases:
      - ordinal: 0
        key: diagnosis
        kind: diagnosis
        name:
          en: Diagnosis
        length_days: 28
        tasks:
          - key: interviews
            name:
              en: Interviews
            duration: 5
          - key: report
            name:
              en: Report
            depends_on: [interviews]
            duration: 3
    <BLANKLINE>
    >>> parse_playbook(text) == pb
    True
"""

from __future__ import annotations

import io
from typing import Final

from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
)

from planner.domain.playbook import Dependency, Playbook, Text

#: Top-level keys preceded by a blank line.
_SECTIONS: Final = ("phases:", "risks:", "metrics:", "risk_scale:", "maturity:", "calendar:")
_WIDTH: Final = 88
_FLOW_UP_TO: Final = 64
_FOLD_OVER: Final = 72

Node = CommentedMap | CommentedSeq | str | int | float | bool


def _scalar(value: object) -> Node:
    if isinstance(value, str):
        if _literal(value):
            return LiteralScalarString(value)  # type: ignore[no-any-return]  # ruamel.yaml's scalar strings are untyped str subclasses
        if any(_unsafe(c) for c in value):
            return DoubleQuotedScalarString(value)  # type: ignore[no-any-return]  # as above
        if _foldable(value):
            return FoldedScalarString(value)  # type: ignore[no-any-return]  # as above
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"cannot write a {type(value).__name__} to a playbook")


def _unsafe(char: str) -> bool:
    """A character that only a double-quoted scalar holds exactly (written as an escape)."""
    code = ord(char)
    return (
        code < 0x20
        or 0x7F <= code < 0xA0
        or 0xD800 <= code < 0xE000
        or char in "\u2028\u2029\ufeff\ufffe\uffff"
    )


def _literal(text: str) -> bool:
    """A text of several lines that a literal block (``|``) holds exactly."""
    if "\n" not in text or text[:1].isspace():
        return False
    lines = text.split("\n")
    return all(
        not any(_unsafe(c) for c in line) and line == line.rstrip() for line in lines
    ) and not text.endswith("\n")


def _foldable(text: str) -> bool:
    """A long one-line text that a folded block (``>-``) holds exactly."""
    return (
        len(text) > _FOLD_OVER
        and text == text.strip()
        and not any(c in text for c in "\n\r\t\x85\u2028\u2029")
        and "  " not in text
    )


def _flow_seq(items: list[str]) -> CommentedSeq:
    """Bare keys on one line (``[a, b]``) when they fit, else one per line."""
    seq = CommentedSeq(items)
    if sum(len(i) + 2 for i in items) <= _FLOW_UP_TO:
        seq.fa.set_flow_style()
    return seq


def _node(value: object) -> Node:
    """The YAML node of a model value (see the module notes for the layout)."""
    if isinstance(value, Text):
        text = CommentedMap()
        for lang in ("en", "zh"):
            if getattr(value, lang) is not None:
                text[lang] = _scalar(getattr(value, lang))
        return text
    if isinstance(value, Dependency) and value.type == "FS" and value.lag == 0:
        return value.key
    if isinstance(value, BaseModel):
        return _model(value)
    if isinstance(value, list | tuple):
        items = [_node(v) for v in value]
        keys = [i for i in items if isinstance(i, str) and not isinstance(i, FoldedScalarString)]
        if len(keys) == len(items):
            return _flow_seq(keys)
        return CommentedSeq(items)
    if isinstance(value, dict):
        mapping = CommentedMap((k, _node(v)) for k, v in value.items())
        if all(not isinstance(v, CommentedMap | CommentedSeq) for v in mapping.values()):
            mapping.fa.set_flow_style()
        return mapping
    return _scalar(value)


def _model(model: BaseModel) -> CommentedMap:
    out = CommentedMap()
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        if not info.is_required() and value == info.get_default(call_default_factory=True):
            continue
        out[name] = _node(value)
    return out


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.default_flow_style = False
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = _WIDTH
    yaml.allow_unicode = True
    return yaml


def dump_playbook(playbook: Playbook, header: str | None = None) -> str:
    """The playbook as YAML text that loads back to an equal model.

    ``header``, if given, is written first as comment lines (``# …``), e.g. where the
    playbook came from.

    Examples:
        >>> from planner.domain.playbook import parse_playbook
        >>> pb = parse_playbook(
        ...     "id: a\\nversion: '2'\\ntitle: A\\nphases: [{ordinal: 0, key: p, name: P}]"
        ... )
        >>> print(dump_playbook(pb, header="From program 7").splitlines()[0])
        # From program 7
    """
    stream = io.StringIO()
    _yaml().dump(_model(playbook), stream)
    lines = stream.getvalue().splitlines()
    out: list[str] = []
    if header:
        out += [f"# {line}".rstrip() for line in header.splitlines()]
    for line in lines:
        if line.startswith(_SECTIONS) and out:
            out.append("")
        out.append(line)
    return "\n".join(out) + "\n"
