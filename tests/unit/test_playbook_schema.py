"""The shipped JSON schema and the loader agree on what a playbook file may hold.

The schema is generated from the loader's pydantic models (``planner playbook schema``), so
an editor checking a file against it sees what ``planner playbook validate`` sees. Rules that
span the document (unique keys, references to other keys, cycles, risk bands covering 1–25,
ascending maturity levels) are the loader's alone: a JSON schema cannot say them.
"""

from __future__ import annotations

import copy
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from ruamel.yaml import YAML

from planner.cli import SCHEMA_FILE
from planner.config import SHIPPED_PLAYBOOKS
from planner.domain.playbook import PlaybookError, parse_playbook, playbook_json_schema

SHIPPED = sorted(SHIPPED_PLAYBOOKS.glob("*.yaml"))


def schema_validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def as_json(data: Any) -> Any:
    """The document as an editor's schema check sees it: JSON (every mapping key a string)."""
    return json.loads(json.dumps(data))


def test_the_shipped_schema_file_is_the_generated_one() -> None:
    shipped = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert shipped == playbook_json_schema()
    assert shipped["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_there_are_shipped_playbooks() -> None:
    assert len(SHIPPED) >= 3


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_playbook_is_valid_under_the_schema(path: Path) -> None:
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in schema_validator().iter_errors(as_json(data))
    ]
    assert errors == []
    parse_playbook(path.read_text(encoding="utf-8"), source=path.name)  # and loads


BASE: dict[str, Any] = {
    "id": "tiny",
    "version": "1.0",
    "title": {"en": "Tiny", "zh": "小"},
    "phases": [
        {
            "ordinal": 0,
            "key": "diagnosis",
            "kind": "diagnosis",
            "name": "Diagnosis",
            "tasks": [
                {"key": "interviews", "name": "Interviews", "duration": 5},
                {"key": "survey", "name": {"zh": "调研"}, "duration": 3},
            ],
            "milestones": [{"key": "roadmap", "name": "Roadmap", "depends_on": ["interviews"]}],
            "gate": [{"kind": "manual", "text": "Sponsor agrees"}],
        }
    ],
    "risks": [
        {
            "key": "sponsor",
            "title": "Sponsor leaves",
            "category": "people",
            "likelihood": 2,
            "impact": 4,
        }
    ],
    "metrics": [
        {
            "key": "adoption",
            "name": "Adoption",
            "unit": "%",
            "direction": "higher",
            "targets": {0: 10},
        }
    ],
}

Edit = Callable[[dict[str, Any]], None]


def _task(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["phases"][0]["tasks"][0]


def _milestone(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["phases"][0]["milestones"][0]


def _set(get: Callable[[dict[str, Any]], dict[str, Any]], name: str, value: Any) -> Edit:
    def edit(doc: dict[str, Any]) -> None:
        get(doc)[name] = value

    return edit


def _top(name: str, value: Any) -> Edit:
    return _set(lambda d: d, name, value)


def _risk(name: str, value: Any) -> Edit:
    return _set(lambda d: d["risks"][0], name, value)


def _metric(name: str, value: Any) -> Edit:
    return _set(lambda d: d["metrics"][0], name, value)


# (case, edit of BASE, accepted?): the loader and the schema must both give the answer
CASES: list[tuple[str, Edit, bool]] = [
    ("the base document", lambda d: None, True),
    ("short depends_on", _set(_milestone, "depends_on", ["interviews", "survey"]), True),
    (
        "long depends_on",
        _set(_milestone, "depends_on", [{"key": "survey", "type": "SS", "lag": 2}]),
        True,
    ),
    ("mixed depends_on", _set(_milestone, "depends_on", ["interviews", {"key": "survey"}]), True),
    (
        "depends_on type XX",
        _set(_milestone, "depends_on", [{"key": "survey", "type": "XX"}]),
        False,
    ),
    ("depends_on key not a key", _set(_milestone, "depends_on", ["Not A Key"]), False),
    ("depends_on lag 501", _set(_milestone, "depends_on", [{"key": "survey", "lag": 501}]), False),
    (
        "depends_on lag as text",
        _set(_milestone, "depends_on", [{"key": "survey", "lag": "2"}]),
        False,
    ),
    ("depends_on a number", _set(_milestone, "depends_on", [5]), False),
    ("plain name", _set(_task, "name", "Interviews"), True),
    ("bilingual name", _set(_task, "name", {"en": "Interviews", "zh": "访谈"}), True),
    ("Chinese-only name", _set(_task, "name", {"zh": "访谈"}), True),
    ("name with en null", _set(_task, "name", {"en": None, "zh": "访谈"}), True),
    ("empty name", _set(_task, "name", ""), False),
    ("empty name object", _set(_task, "name", {}), False),
    ("name with only an empty en", _set(_task, "name", {"en": ""}), False),
    ("name with an unknown language", _set(_task, "name", {"fr": "Entretiens"}), False),
    ("name a number", _set(_task, "name", 5), False),
    ("duration 5", _set(_task, "duration", 5), True),
    ('duration "5"', _set(_task, "duration", "5"), False),
    ("duration 0", _set(_task, "duration", 0), False),
    ("duration true", _set(_task, "duration", True), False),
    ("duration 1001", _set(_task, "duration", 1001), False),
    ("likelihood true", _risk("likelihood", True), False),
    ('likelihood "3"', _risk("likelihood", "3"), False),
    ("likelihood 6", _risk("likelihood", 6), False),
    ("response unknown", _risk("response", "ignore"), False),
    ("unknown field", _set(_task, "colour", "red"), False),
    ("key in capitals", _set(_task, "key", "Interviews"), False),
    ("version a number", _top("version", 1.0), False),
    ("version 1.2.3", _top("version", "1.2.3"), True),
    ("version 1.2.3.4", _top("version", "1.2.3.4"), False),
    ("no phases", _top("phases", []), False),
    ("metric target at ordinal 0", _metric("targets", {0: 12.5}), True),
    ("metric target keyed by a word", _metric("targets", {"first": 12.5}), False),
    ("metric target as text", _metric("targets", {0: "12"}), False),
    ("metric baseline an integer", _metric("baseline", 3), True),
    ("metric direction sideways", _metric("direction", "sideways"), False),
    ("gate kind unknown", _set(lambda d: d["phases"][0], "gate", [{"kind": "vote"}]), False),
    (
        "gate manual without text",
        _set(lambda d: d["phases"][0], "gate", [{"kind": "manual"}]),
        False,
    ),
    ("phase kind diagnosis", _set(lambda d: d["phases"][0], "kind", "diagnosis"), True),
    ("phase ordinal 21", _set(lambda d: d["phases"][0], "ordinal", 21), False),
    ("calendar with no workday", _top("calendar", {"workdays": []}), False),
    ("calendar with Saturdays", _top("calendar", {"workdays": ["mon", "sat"]}), True),
]


def _maturity(scale: dict[Any, Any], critical: Any = False) -> Edit:
    def edit(doc: dict[str, Any]) -> None:
        doc["maturity"] = {
            "scale": scale,
            "levels": [{"name": "Basic", "min_score": 0}],
            "categories": [
                {
                    "key": "people",
                    "name": "People",
                    "indicators": [{"key": "sponsor", "name": "Sponsor", "critical": critical}],
                }
            ],
        }

    return edit


SCALE = {n: f"Level {n}" for n in range(6)}
CASES += [
    ("maturity scale 0 to 5", _maturity(SCALE), True),
    ("maturity scale without 5", _maturity({n: f"Level {n}" for n in range(5)}), False),
    ("maturity scale with 6", _maturity({**SCALE, 6: "Beyond"}), False),
    ('indicator critical "yes"', _maturity(SCALE, critical="yes"), False),
    ("indicator critical 1", _maturity(SCALE, critical=1), False),
    ("indicator critical true", _maturity(SCALE, critical=True), True),
]


def _yaml_text(doc: dict[str, Any]) -> str:
    out = io.StringIO()
    YAML(typ="safe").dump(doc, out)
    return out.getvalue()


@pytest.mark.parametrize(("case", "edit", "accepted"), CASES, ids=[c[0] for c in CASES])
def test_the_loader_and_the_schema_agree(case: str, edit: Edit, accepted: bool) -> None:
    doc = copy.deepcopy(BASE)
    edit(doc)
    text = _yaml_text(doc)
    try:
        parse_playbook(text, source=f"{case}.yaml")
        loader = True
    except PlaybookError:
        loader = False
    schema = schema_validator().is_valid(as_json(YAML(typ="safe").load(text)))
    assert (loader, schema) == (accepted, accepted)
