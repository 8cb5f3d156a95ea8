"""Playbooks: the typed model of a rollout method, loaded from YAML with precise error paths.

A playbook file is YAML 1.2. Loading reports *every* problem it finds, each with the file's
line and a path into the document, e.g.
``crm.yaml:214 phases[2].tasks[5].depends_on[0]: unknown task key "pilot-go-live"``.
Nothing is ever written while loading: callers get a :class:`Playbook` or an exception.

Examples:
    >>> pb = parse_playbook('''
    ... id: tiny
    ... version: "1.0"
    ... title: {en: Tiny, zh: 小}
    ... phases:
    ...   - ordinal: 0
    ...     key: diagnosis
    ...     kind: diagnosis
    ...     name: Diagnosis
    ...     length_days: 28
    ...     tasks:
    ...       - {key: interviews, name: Interviews, duration: 5}
    ...     milestones:
    ...       - {key: roadmap, name: Roadmap agreed, depends_on: [interviews]}
    ... ''', source="tiny.yaml")
    >>> pb.id, [t.key for t in pb.phases[0].tasks], pb.phases[0].milestones[0].depends_on[0].type
    ('tiny', ['interviews'], 'FS')
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Final, Literal

import networkx as nx
from packaging.version import Version
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic import ValidationError as PydanticValidationError
from pydantic_core import PydanticCustomError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from planner.domain.errors import ValidationError
from planner.domain.gc_pause import paused_gc
from planner.domain.yaml_fast import compose as compose_fast
from planner.domain.yaml_fast import load as load_fast

MAX_PLAYBOOK_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 32
"""Deepest nesting of mappings and lists a playbook may have (it needs about 8)."""
KEY_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"
_VERSION_PATTERN = r"^\d+(\.\d+){0,2}$"
DEPENDENCY_TYPES = ("FS", "SS", "FF", "SF")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_STANDARD_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp", "omap")
}

Key = Annotated[str, Field(pattern=KEY_PATTERN)]
DependencyType = Literal["FS", "SS", "FF", "SF"]


def version_key(version: str) -> Version:
    """A playbook version for ordering (PEP 440 through ``packaging``): "1.10" after "1.9",
    "1" equal to "1.0"."""
    return Version(version)


#: a playbook's limits (a task's days, a link's lag either way, a phase's calendar days)
MAX_TASK_DAYS: Final = 1000
MAX_LAG_DAYS: Final = 500
MAX_PHASE_DAYS: Final = 730


class _Strict(BaseModel):
    # strict: a value has its type in the file (``duration: "5"``, ``likelihood: true`` and
    # ``critical: yes`` are refused, as the JSON schema refuses them), never coerced
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


def _text_schema(schema: dict[str, Any]) -> None:
    """A text is a non-empty string (English) or ``{en, zh}`` with at least one non-empty."""
    languages = {"en": {"type": "string", "minLength": 1}, "zh": {"type": "string", "minLength": 1}}
    bilingual = dict(schema)
    bilingual["anyOf"] = [
        {"required": [lang], "properties": {lang: rule}} for lang, rule in languages.items()
    ]
    schema.clear()
    schema["anyOf"] = [{"type": "string", "minLength": 1}, bilingual]


def _dependency_schema(schema: dict[str, Any]) -> None:
    """A dependency is a predecessor's key (finish-to-start, no lag) or ``{key, type, lag}``."""
    full = dict(schema)
    schema.clear()
    schema["anyOf"] = [{"type": "string", "pattern": KEY_PATTERN}, full]


class Text(_Strict):
    """A user-facing text in English and/or Simplified Chinese; a plain string means English."""

    model_config = ConfigDict(json_schema_extra=_text_schema)

    en: str | None = None
    zh: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_plain_string(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"en": value}
        return value

    @model_validator(mode="after")
    def _not_empty(self) -> Text:
        if not (self.en or self.zh):
            raise PydanticCustomError("text_empty", "give the text in English (en) or Chinese (zh)")
        return self

    def get(self, lang: str) -> str:
        """The text in ``lang`` ("en" or "zh"), falling back to the other language."""
        if lang.startswith("zh"):
            return self.zh or self.en or ""
        return self.en or self.zh or ""


class Dependency(_Strict):
    """A link from a predecessor (``key``) to the item that lists it in ``depends_on``."""

    model_config = ConfigDict(json_schema_extra=_dependency_schema)

    key: Key
    type: DependencyType = "FS"
    lag: int = Field(
        default=0, ge=-MAX_LAG_DAYS, le=MAX_LAG_DAYS, description="working days; negative = lead"
    )

    @model_validator(mode="before")
    @classmethod
    def _from_plain_key(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"key": value}
        return value


class _WorkItem(_Strict):
    key: Key
    name: Text
    workstream: str | None = None
    depends_on: list[Dependency] = Field(default_factory=list)
    owner_role: str | None = None
    deliverable: Text | None = None
    description: Text | None = None


class Task(_WorkItem):
    duration: int = Field(ge=1, le=MAX_TASK_DAYS, description="working days")


class Milestone(_WorkItem):
    """A zero-duration work item marking a result."""


class MetricTargetCriterion(_Strict):
    kind: Literal["metric_target"]
    metric: Key


class MilestonesDoneCriterion(_Strict):
    kind: Literal["milestones_done"]
    milestones: list[Key] = Field(min_length=1)


class MaxRiskBandCriterion(_Strict):
    kind: Literal["max_risk_band"]
    band: str = Field(description="no open risk may be rated above this band")


#: Who judges a ``manual`` criterion: a person records it, or the program's benefits case
#: decides it (the benefit review, see :mod:`planner.domain.benefit_review`).
CriterionSource = Literal["person", "benefits_case"]


class ManualCriterion(_Strict):
    kind: Literal["manual"]
    text: Text
    source: CriterionSource = Field(
        default="person",
        description=(
            "who judges it: a person records it (person), or the benefits case decides it"
            " from the realised benefits (benefits_case, the benefit review)"
        ),
    )

    @property
    def reference(self) -> str:
        """What a program's criterion row stores for it: "" or the source that judges it.

        Examples:
            >>> ManualCriterion(kind="manual", text=Text(en="Benefits"),
            ...                 source="benefits_case").reference
            'benefits_case'
        """
        return "" if self.source == "person" else self.source


GateCriterion = Annotated[
    MetricTargetCriterion | MilestonesDoneCriterion | MaxRiskBandCriterion | ManualCriterion,
    Field(discriminator="kind"),
]


class Phase(_Strict):
    ordinal: int = Field(ge=0, le=20)
    key: Key
    kind: Literal["diagnosis", "phase"] = "phase"
    name: Text
    goal: Text | None = None
    result: Text | None = None
    length_days: int = Field(default=100, ge=1, le=MAX_PHASE_DAYS, description="calendar days")
    milestones: list[Milestone] = Field(default_factory=list)
    tasks: list[Task] = Field(default_factory=list)
    gate: list[GateCriterion] = Field(default_factory=list)


class Risk(_Strict):
    key: Key
    title: Text
    description: Text | None = None
    category: str
    cause: Text | None = None
    effect: Text | None = None
    likelihood: int = Field(ge=1, le=5)
    impact: int = Field(ge=1, le=5)
    response: Literal["avoid", "mitigate", "transfer", "accept", "escalate"] = "mitigate"
    mitigation: Text | None = None


class GlideStep(_Strict):
    """One step of a stepped glide path."""

    at: float = Field(ge=0, le=1, description="share of the phase elapsed (0 = start, 1 = gate)")
    reach: float = Field(ge=0, le=1, description="share of the way to the gate target from then")


class Metric(_Strict):
    key: Key
    name: Text
    unit: str
    direction: Literal["higher", "lower"]
    baseline: float | None = None
    targets: dict[int, float] = Field(
        default_factory=dict,
        description="phase ordinal → target",
        # YAML keys are numbers; JSON (what an editor checks) spells every key as a string
        json_schema_extra={"propertyNames": {"pattern": r"^-?[0-9]+$"}},
    )
    owner_role: str | None = None
    data_source: str | None = None
    description: Text | None = None
    glide: Literal["linear", "s-curve"] | list[GlideStep] = Field(
        default="linear",
        description="the path from the phase start (the baseline or the last gate's target) "
        "to the gate target: linear, s-curve (slow start, fast middle, levelling off), or "
        "steps in time order",
    )
    amber_tolerance: float | None = Field(
        default=None, ge=0, le=1, description="amber band as a fraction (0.10 = 10%)"
    )

    @field_validator("glide")
    @classmethod
    def _steps_in_time_order(
        cls, value: Literal["linear", "s-curve"] | list[GlideStep]
    ) -> Literal["linear", "s-curve"] | list[GlideStep]:
        if isinstance(value, list):
            times = [step.at for step in value]
            if not value or times != sorted(set(times)):
                raise ValueError("give at least one step, in time order, each at its own time")
        return value

    @property
    def glide_text(self) -> str:
        """The glide path as stored with a program's metric (see ``metrics.Glide``)."""
        if isinstance(self.glide, str):
            return self.glide
        steps = " ".join(f"{step.at:g}:{step.reach:g}" for step in self.glide)
        return f"steps {steps}"


class RiskBand(_Strict):
    name: Key
    label: Text
    min_score: int = Field(ge=1, le=25)
    max_score: int = Field(ge=1, le=25)
    review_every_days: int | None = Field(
        default=None, ge=1, le=365, description="days between reviews of a risk in this band"
    )


class RiskScale(_Strict):
    likelihood_labels: list[Text] = Field(min_length=5, max_length=5)
    impact_labels: list[Text] = Field(min_length=5, max_length=5)
    bands: list[RiskBand] = Field(min_length=1)

    @model_validator(mode="after")
    def _bands_cover_scores(self) -> RiskScale:
        expected = 1
        for band in self.bands:
            if band.min_score != expected or band.max_score < band.min_score:
                raise PydanticCustomError(
                    "band_start",
                    'band "{band}" should start at score {score} and end at or after it',
                    {"band": band.name, "score": expected},
                )
            expected = band.max_score + 1
        if expected != 26:
            raise PydanticCustomError(
                "bands_cover", "bands must cover the scores 1 to 25 without gaps or overlaps"
            )
        return self


class QuestionBank(_Strict):
    """The diagnostic questions for one indicator, by interview level (seed 003: every
    indicator is diagnosed with detailed questions fixed per interviewee)."""

    senior: list[Text] = Field(default_factory=list)
    middle: list[Text] = Field(default_factory=list)
    front_line: list[Text] = Field(default_factory=list)


class Indicator(_Strict):
    key: Key
    name: Text
    description: Text | None = None
    weight: float = Field(default=1.0, ge=0)
    critical: bool = False
    suggested_action: Text | None = None
    horizon: Literal["tactical", "strategic"] | None = None
    questions: QuestionBank | None = None


class MaturityCategory(_Strict):
    key: Key
    name: Text
    indicators: list[Indicator] = Field(min_length=1)


class MaturityLevel(_Strict):
    name: Text
    min_score: float = Field(ge=0, le=5)


_Level = Literal["senior", "middle", "front_line"]
_LEVELS: tuple[_Level, ...] = ("senior", "middle", "front_line")
_Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_WORKWEEK: tuple[_Weekday, ...] = ("mon", "tue", "wed", "thu", "fri")


class MaturityModel(_Strict):
    scale: dict[int, Text] = Field(
        json_schema_extra={
            "propertyNames": {"pattern": "^[0-5]$"},
            "required": ["0", "1", "2", "3", "4", "5"],
        }
    )
    levels: list[MaturityLevel] = Field(min_length=1)
    level_weights: dict[_Level, float] = Field(default_factory=lambda: dict.fromkeys(_LEVELS, 1.0))
    categories: list[MaturityCategory] = Field(min_length=1)

    @field_validator("scale")
    @classmethod
    def _scale_is_zero_to_five(cls, value: dict[int, Text]) -> dict[int, Text]:
        if sorted(value) != [0, 1, 2, 3, 4, 5]:
            raise PydanticCustomError("scale_0_to_5", "the scale must label each score 0 to 5")
        return value

    @model_validator(mode="after")
    def _levels_ascend(self) -> MaturityModel:
        scores = [level.min_score for level in self.levels]
        if scores != sorted(scores) or len(set(scores)) != len(scores):
            raise PydanticCustomError(
                "levels_ascending", "levels must be listed with strictly ascending min_score"
            )
        return self


class AdoptionTier(_Strict):
    """A module adoption tier: the share of CRM users expected to use the tier's modules
    (seed 000: over 80 % / 50 % / 30 % of companies use these functions)."""

    key: Key
    label: Text
    min_share: float = Field(gt=0, le=100, description="percent of a team's CRM users")


class AdoptionModule(_Strict):
    key: Key
    name: Text
    tier: Key
    objects: list[str] = Field(
        default_factory=list,
        description="CRM object or area names in usage logs that count as this module",
    )


class Adoption(_Strict):
    """Module adoption tiers as data, the modules in each, and the plan item that trains the
    trainers (its training sessions are tracked on the training page)."""

    tiers: list[AdoptionTier] = Field(min_length=1)
    modules: list[AdoptionModule] = Field(min_length=1)
    train_the_trainers: Key | None = Field(
        default=None, description="key of the work item that trains the trainers"
    )

    @model_validator(mode="after")
    def _modules_name_known_tiers(self) -> Adoption:
        tiers = {t.key for t in self.tiers}
        for module in self.modules:
            if module.tier not in tiers:
                words = 'module "{module}" names an unknown tier'
                raise PydanticCustomError("unknown_tier", words, {"module": module.key})
        shares = [t.min_share for t in self.tiers]
        if shares != sorted(shares, reverse=True) or len(set(shares)) != len(shares):
            raise PydanticCustomError(
                "tiers_descending", "tiers must be listed with strictly descending min_share"
            )
        return self


class Calendar(_Strict):
    workdays: list[_Weekday] = Field(default_factory=lambda: list(_WORKWEEK), min_length=1)


class Playbook(_Strict):
    """A rollout method: stages with work, gates, risks, metrics and a maturity model."""

    id: Key
    version: str = Field(pattern=_VERSION_PATTERN)
    title: Text
    description: Text | None = None
    author: str | None = None
    calendar: Calendar = Field(default_factory=Calendar)
    phases: list[Phase] = Field(min_length=1)
    risks: list[Risk] = Field(default_factory=list)
    metrics: list[Metric] = Field(default_factory=list)
    risk_scale: RiskScale | None = None
    maturity: MaturityModel | None = None
    adoption: Adoption | None = None

    def work_items(self) -> Iterator[tuple[Phase, Task | Milestone]]:
        """Every task and milestone with the phase it belongs to, in document order."""
        for phase in self.phases:
            for item in [*phase.tasks, *phase.milestones]:
                yield phase, item  # type: ignore[misc]  # a phase's tasks and milestones are its only work items

    @property
    def task_count(self) -> int:
        return sum(len(p.tasks) for p in self.phases)

    @property
    def milestone_count(self) -> int:
        return sum(len(p.milestones) for p in self.phases)


def playbook_json_schema() -> dict[str, Any]:
    """The JSON schema that editors use to check playbook files."""
    schema = Playbook.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "CRM Rollout Planner playbook"
    return schema


@dataclass(frozen=True)
class PlaybookIssue:
    """One problem in a playbook file: where (line, path) and what.

    ``code`` and ``params`` say what in data (see :data:`ISSUE_CODES`): the interface words
    them in the reader's language (``planner.playbook_text``); ``message`` is the same in
    English, for the command line and logs.
    """

    source: str
    line: int | None
    path: str
    message: str
    code: str = "problem"
    params: tuple[tuple[str, object], ...] = ()

    @property
    def values(self) -> dict[str, object]:
        """``params`` as a mapping."""
        return dict(self.params)

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where} {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class PlaybookError(ValidationError):
    """A playbook that does not load; ``issues`` lists every problem found."""

    def __init__(self, issues: list[PlaybookIssue]) -> None:
        # each problem once (an alias used 72 times is one problem, not 72)
        unique: dict[tuple[object, ...], PlaybookIssue] = {}
        for issue in issues:
            unique.setdefault((issue.line, issue.path, issue.code, issue.message), issue)
        issues = list(unique.values())
        self.issues = issues
        super().__init__(
            f"{len(issues)} problem(s) in playbook",
            [(f"{i.source}:{i.line or '?'} {i.path}", i.message) for i in issues],
        )

    def __str__(self) -> str:
        return "\n".join(str(i) for i in self.issues)


def format_path(loc: tuple[int | str, ...]) -> str:
    """Render a location tuple as ``phases[2].tasks[5].key``.

    Examples:
        >>> format_path(("phases", 2, "tasks", 5, "depends_on", 0))
        'phases[2].tasks[5].depends_on[0]'
    """
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _line_of(data: Any, loc: tuple[int | str, ...]) -> int | None:
    """The 1-based line of the deepest node of ``loc`` that exists in the parsed YAML."""
    line: int | None = getattr(getattr(data, "lc", None), "line", None)
    node = data
    for part in loc:
        try:
            if isinstance(node, CommentedMap) and part in node:
                line = node.lc.key(part)[0]
                node = node[part]
            elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
                line = node.lc.item(part)[0]
                node = node[part]
            else:
                break
        except (KeyError, IndexError, TypeError, AttributeError):
            break
    return None if line is None else line + 1


# --------------------------------------------------------------------------- problems in data
# Every problem is a code and its parameters; ISSUE_CODES holds each one in English (for the
# command line and logs); planner.playbook_text words them in the reader's language.

ISSUE_CODES: dict[str, str] = {
    "file_too_large": "the file is larger than {limit} bytes",
    "file_empty": "the file is empty",
    "file_unreadable": "the file cannot be read ({detail})",
    "not_utf8": "the file is not UTF-8 text (byte {offset} is not)",
    "yaml_syntax": "the YAML cannot be read: {detail}",
    "bad_value": "the value {value} cannot be read: it is not a real date or number",
    "control_character": "the control character {char} is not allowed in a playbook",
    "too_deep": "lists and mappings are nested more than {limit} levels deep",
    "alias": "aliases are not allowed",
    "tag": "YAML tag {tag} refused",
    "unexpected_node": "unexpected YAML node",
    "not_mapping": "a playbook must be a YAML mapping",
    "unknown_field": 'unknown field "{name}"',
    "missing": "required field is missing",
    "key_pattern": (
        "expected a key of lower-case letters, digits, - and _ (starting with a letter or "
        "digit, at most 64 characters), got {value}"
    ),
    "version_pattern": "expected a version like 1.0 or 1.2.3, got {value}",
    "pattern": "does not have the expected form, got {value}",
    "expected_integer": "expected a whole number, got {value}",
    "expected_number": "expected a number, got {value}",
    "expected_text": "expected text, got {value}",
    "expected_boolean": "expected true or false, got {value}",
    "expected_list": "expected a list, got {value}",
    "expected_mapping": "expected a mapping of fields, got {value}",
    "too_small": "must be at least {limit}, got {value}",
    "too_big": "must be at most {limit}, got {value}",
    "too_few": "needs at least {limit} entries",
    "too_many": "may have at most {limit} entries",
    "choice": "expected one of {choices}, got {value}",
    "gate_kind": "expected a gate criterion kind ({choices}), got {value}",
    "text_empty": "give the text in English (en) or Chinese (zh)",
    "band_start": 'band "{band}" should start at score {score} and end at or after it',
    "bands_cover": "bands must cover the scores 1 to 25 without gaps or overlaps",
    "scale_0_to_5": "the scale must label each score 0 to 5",
    "levels_ascending": "levels must be listed with strictly ascending min_score",
    "unknown_tier": 'module "{module}" names an unknown tier',
    "tiers_descending": "tiers must be listed with strictly descending min_share",
    "invalid": "{detail}",
    "duplicate_item_key": 'duplicate work item key "{key}" (first at {first})',
    "duplicate_phase_ordinal": "duplicate phase ordinal {ordinal}",
    "duplicate_phase_key": 'duplicate phase key "{key}"',
    "phase_order": "phases must be listed in ascending ordinal order",
    "self_dependency": '"{key}" cannot depend on itself',
    "unknown_task": 'unknown task key "{key}"',
    "listed_twice": '"{key}" is listed twice',
    "cycle": "dependency cycle: {cycle}",
    "duplicate_metric_key": 'duplicate metric key "{key}"',
    "duplicate_risk_key": 'duplicate risk key "{key}"',
    "target_no_phase": "no phase with ordinal {ordinal}",
    "unknown_metric": 'unknown metric key "{key}"',
    "unknown_milestone": 'unknown milestone key "{key}"',
    "unknown_band": 'unknown risk band "{band}" (one of {bands})',
    "duplicate_indicator_key": 'duplicate indicator key "{key}"',
}


def english(code: str, params: dict[str, object] | tuple[tuple[str, object], ...]) -> str:
    """A problem in English.

    Examples:
        >>> english("unknown_task", {"key": "pilot"})
        'unknown task key "pilot"'
    """
    values = dict(params)
    try:
        return ISSUE_CODES[code].format(**values)
    except (KeyError, IndexError):
        return str(values.get("detail") or code)


def issue(source: str, line: int | None, path: str, code: str, **params: object) -> PlaybookIssue:
    """A coded problem with its English words."""
    return PlaybookIssue(source, line, path, english(code, params), code, tuple(params.items()))


def shown(value: object) -> str:
    """A value from the file as a problem quotes it (short, never a whole mapping).

    Examples:
        >>> shown("5"), shown(True), shown(None), shown({"a": 1}), shown(2.5)
        ('"5"', 'true', 'nothing', 'a mapping', '2.5')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return '"' + (value if len(value) <= 60 else value[:57] + "…") + '"'
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return type(value).__name__


_TYPE_CODES = {
    "int_type": "expected_integer",
    "int_parsing": "expected_integer",
    "int_from_float": "expected_integer",
    "float_type": "expected_number",
    "float_parsing": "expected_number",
    "string_type": "expected_text",
    "bool_type": "expected_boolean",
    "bool_parsing": "expected_boolean",
    "list_type": "expected_list",
    "dict_type": "expected_mapping",
    "model_type": "expected_mapping",
    "model_attributes_type": "expected_mapping",
}
_CUSTOM_CODES = {
    "text_empty",
    "band_start",
    "bands_cover",
    "scale_0_to_5",
    "levels_ascending",
    "unknown_tier",
    "tiers_descending",
}


def _field_problem(error: Any, loc: Loc) -> tuple[str, dict[str, object]]:
    """A pydantic error as a code and its parameters."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = shown(error.get("input"))
    if kind == "extra_forbidden":
        return "unknown_field", {"name": str(loc[-1]) if loc else ""}
    if kind == "missing":
        return "missing", {}
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        code = {KEY_PATTERN: "key_pattern", _VERSION_PATTERN: "version_pattern"}.get(
            pattern, "pattern"
        )
        return code, {"value": value}
    if kind in _TYPE_CODES:
        return _TYPE_CODES[kind], {"value": value}
    if kind in ("greater_than_equal", "greater_than"):
        return "too_small", {"limit": ctx.get("ge", ctx.get("gt")), "value": value}
    if kind in ("less_than_equal", "less_than"):
        return "too_big", {"limit": ctx.get("le", ctx.get("lt")), "value": value}
    if kind == "too_short":
        return "too_few", {"limit": ctx.get("min_length")}
    if kind == "too_long":
        return "too_many", {"limit": ctx.get("max_length")}
    if kind in ("literal_error", "enum"):
        return "choice", {"choices": str(ctx.get("expected", "")), "value": value}
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        tags = ctx.get("expected_tags") or "metric_target, milestones_done, max_risk_band, manual"
        return "gate_kind", {"choices": str(tags), "value": shown(ctx.get("tag"))}
    if kind in _CUSTOM_CODES:
        return kind, dict(ctx)
    return "invalid", {"detail": str(error.get("msg", kind)).removeprefix("Value error, ")}


def _check_nodes(node: Node, source: str, issues: list[PlaybookIssue]) -> None:
    """Refuse YAML features a playbook never needs: custom tags, anchors and aliases."""
    seen: set[int] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            issues.append(issue(source, current.start_mark.line + 1, "", "alias"))
            continue  # an alias: its node was checked where it was anchored
        seen.add(id(current))
        if current.tag and not isinstance(current.tag, str):
            tag = getattr(current.tag, "value", None) or str(current.tag)
        else:
            tag = current.tag
        if tag and tag not in _STANDARD_TAGS:
            issues.append(issue(source, current.start_mark.line + 1, "", "tag", tag=tag))
        if isinstance(current, MappingNode):
            for key_node, value_node in current.value:
                stack.extend([key_node, value_node])
        elif isinstance(current, SequenceNode):
            stack.extend(current.value)
        elif not isinstance(current, ScalarNode):
            issues.append(issue(source, None, "", "unexpected_node"))


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    return yaml


_FLOW_OR_QUOTE = re.compile(r"[\[\]{}\"'#\n]")
_BLOCK_LINE = re.compile(r"^( *)((?:- +)*)(\S?)")


def _too_deep(text: str) -> int | None:
    """The line where lists and mappings nest deeper than :data:`MAX_DEPTH`, or None.

    A cheap scan before YAML reads the text: the YAML reader takes minutes (and then
    overflows Python's stack) on thousands of levels. It counts flow brackets outside quotes
    and comments, and block levels by indentation and ``- `` entries; it may over-count a
    bracket in a plain scalar, never under-count.

    Examples:
        >>> _too_deep("a: " + "[" * 40 + "]" * 40), _too_deep("a: [[1], {b: 2}]")
        (1, None)
        >>> _too_deep("".join("  " * i + "k:\\n" for i in range(40)))
        33
    """
    return _flow_too_deep(text) or _block_too_deep(text)


def _flow_too_deep(text: str) -> int | None:
    """The line where flow brackets (``[`` and ``{``, outside quotes and comments) nest
    deeper than :data:`MAX_DEPTH`, or None."""
    flow = 0
    quote = ""
    line = 1
    comment = False
    for match in _FLOW_OR_QUOTE.finditer(text):
        char = match.group()
        if char == "\n":
            line += 1
            comment = False
        elif comment:
            continue
        elif quote:
            quote = "" if char == quote else quote
        elif char == "#":
            start = match.start()
            comment = start == 0 or text[start - 1] in " \t\n"
        elif char in "\"'":
            before = text[match.start() - 1] if match.start() else " "
            if flow or before in " \t\n:[{,-":
                quote = char
        elif char in "[{":
            flow += 1
            if flow > MAX_DEPTH:
                return line
        elif char in "]}" and flow:
            flow -= 1
    return None


def _block_too_deep(text: str) -> int | None:
    """The line where block levels (by indentation and ``- `` entries) nest deeper than
    :data:`MAX_DEPTH`, or None."""
    indents: list[int] = []
    for number, text_line in enumerate(text.split("\n"), start=1):
        found = _BLOCK_LINE.match(text_line)
        if found is None or not found[3] or found[3] == "#":
            continue
        indent = len(found[1])
        while indents and indents[-1] >= indent:
            indents.pop()
        indents.append(indent)
        if len(indents) + found[2].count("-") > MAX_DEPTH:
            return number
    return None


def _unreadable_value(source: str, root: Node, exc: Exception) -> PlaybookIssue:
    """The first plain value, in the document's order, that the constructor cannot make
    (a date that is no day, a number that is no number), with its line.

    Examples:
        >>> node = _yaml().compose("a: [1, 2024-02-28]\\nb: 2024-02-30\\n")
        >>> found = _unreadable_value("x.yaml", node, ValueError())
        >>> found.line, found.code, found.message
        (2, 'bad_value', 'the value 2024-02-30 cannot be read: it is not a real date or number')
    """
    stack = [root]
    while stack:
        current = stack.pop()
        if isinstance(current, MappingNode):
            stack.extend(reversed([n for pair in current.value for n in pair]))
        elif isinstance(current, SequenceNode):
            stack.extend(reversed(current.value))
        elif isinstance(current, ScalarNode) and not str(current.tag).endswith(":str"):
            try:
                _yaml().constructor.construct_object(current)
            except (ValueError, IndexError, OverflowError):
                line = current.start_mark.line + 1
                return issue(source, line, "", "bad_value", value=str(current.value)[:80])
    return issue(source, None, "", "yaml_syntax", detail=str(exc) or type(exc).__name__)


def _reader_issue(source: str, text: str, exc: YAMLError) -> PlaybookIssue:
    """Any other error of the YAML reader (a control character, say) as a numbered line."""
    position = getattr(exc, "position", None)
    line = text.count("\n", 0, position) + 1 if isinstance(position, int) else None
    character = getattr(exc, "character", None)
    if isinstance(character, str) and len(character) == 1:
        return issue(source, line, "", "control_character", char=f"U+{ord(character):04X}")
    if isinstance(character, int):
        return issue(source, line, "", "control_character", char=f"U+{character:04X}")
    return issue(source, line, "", "yaml_syntax", detail=str(exc).splitlines()[0])


def _read_yaml(text: str, source: str, *, fast: bool = True) -> CommentedMap:
    """The YAML document, refused (PlaybookError) when it is not a plain mapping; read by
    libyaml when it is there (``fast``, see :mod:`planner.domain.yaml_fast`), else (or when
    libyaml does not read it) by ruamel's own reader."""
    deep = _too_deep(text)
    if deep is not None:
        raise PlaybookError([issue(source, deep, "", "too_deep", limit=MAX_DEPTH)])
    issues: list[PlaybookIssue] = []
    try:
        yaml = _yaml()
        node = compose_fast(text) if fast else None  # libyaml's reader: fifty times faster
        if node is None:
            node = yaml.compose(io.StringIO(text))
        if node is None:
            raise PlaybookError([issue(source, None, "", "file_empty")])
        _check_nodes(node, source, issues)
        if issues:
            raise PlaybookError(issues)
        # built from the node already composed: scanning the text is nine tenths of the cost
        try:
            data = yaml.constructor.construct_document(node)
        except (ValueError, IndexError, OverflowError) as exc:
            # a plain value that looks like a date or a number and is none (2024-02-30,
            # 0x_): the constructor fails without saying where
            raise PlaybookError([_unreadable_value(source, node, exc)]) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        detail = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        raise PlaybookError([issue(source, line, "", "yaml_syntax", detail=detail)]) from None
    except YAMLError as exc:
        raise PlaybookError([_reader_issue(source, text, exc)]) from None
    except RecursionError:
        raise PlaybookError([issue(source, None, "", "too_deep", limit=MAX_DEPTH)]) from None
    if not isinstance(data, CommentedMap):
        raise PlaybookError([issue(source, 1, "", "not_mapping")])
    return data


def parse_playbook(text: str, source: str = "<playbook>") -> Playbook:
    """Parse and validate playbook YAML text; raise :class:`PlaybookError` listing every
    problem at once: the fields' and, on what parsed, the document's cross-references."""
    if len(text.encode("utf-8")) > MAX_PLAYBOOK_BYTES:
        raise PlaybookError([issue(source, None, "", "file_too_large", limit=MAX_PLAYBOOK_BYTES)])
    playbook = _sound_playbook(text)
    if playbook is not None:
        return playbook
    # something is wrong (or unusual): read again the slow way, whose data knows the line of
    # every key and item, so that each problem is reported with its line
    with paused_gc():  # thousands of nodes and marks, no cycle: collections cost 2/3
        data = _read_yaml(text, source)
    issues: list[PlaybookIssue] = []
    try:
        playbook = Playbook.model_validate(data)
    except PydanticValidationError as exc:
        for loc, code, params in schema_problems(exc):
            issues.append(issue(source, _line_of(data, loc), format_path(loc), code, **params))
        playbook = _partial(data)
    for loc, code, params in _cross_problems(playbook):
        issues.append(issue(source, _line_of(data, loc), format_path(loc), code, **params))
    if issues:
        raise PlaybookError(sorted(issues, key=lambda i: i.line or 0))
    return playbook


def _sound_playbook(text: str) -> Playbook | None:
    """The playbook when the text reads (by :func:`planner.domain.yaml_fast.load`) and
    validates without a problem; None when anything is wrong or left to ruamel's reader.

    Most texts are sound playbooks (the shipped ones, an upload read again): reading them
    into plain data, without ruamel's nodes, marks and line numbers, parses them in about a
    quarter of the time. A problem needs the lines of the slow way, so the fast way reports
    none: the caller reads the text again with :func:`_read_yaml` and finds them there.

    Examples:
        >>> _sound_playbook("id: tiny\\nversion: '1.0'\\n") is None  # no title, no phases
        True
    """
    if _too_deep(text) is not None:
        return None  # before libyaml reads it: see _too_deep
    with paused_gc():  # thousands of dicts, lists and models, no cycle
        data = load_fast(text)
        if not isinstance(data, dict):
            return None  # not read, or not a mapping: _read_yaml words why
        try:
            playbook = Playbook.model_validate(data)
        except PydanticValidationError:
            return None
        if _cross_problems(playbook):
            return None
    return playbook


def schema_problems(exc: PydanticValidationError) -> list[tuple[Loc, str, dict[str, object]]]:
    """The schema's refusals of a document as ``(location, code, parameters)``: the codes of
    :data:`ISSUE_CODES`, as :func:`parse_playbook` reports them."""
    found: list[tuple[Loc, str, dict[str, object]]] = []
    for error in exc.errors():
        loc = tuple(p for p in error["loc"] if not _is_union_tag(p))
        code, params = _field_problem(error, loc)
        found.append((loc, code, params))
    return found


def _is_union_tag(part: int | str) -> bool:
    # pydantic inserts the chosen union member's tag (e.g. "manual") into error locations
    return isinstance(part, str) and part in {
        "metric_target",
        "milestones_done",
        "max_risk_band",
        "manual",
    }


def load_playbook(path: str | Path) -> Playbook:
    """Read and validate a playbook file."""
    file = Path(path)
    try:
        if file.stat().st_size > MAX_PLAYBOOK_BYTES:
            raise PlaybookError(
                [issue(file.name, None, "", "file_too_large", limit=MAX_PLAYBOOK_BYTES)]
            )
        text = file.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PlaybookError([issue(file.name, None, "", "not_utf8", offset=exc.start)]) from None
    except OSError as exc:
        detail = exc.strerror or type(exc).__name__
        raise PlaybookError(
            [issue(file.name, None, "", "file_unreadable", detail=detail)]
        ) from None
    return parse_playbook(text, source=file.name)


Loc = tuple[int | str, ...]


# --------------------------------------------------------------------------- what parsed
# When fields are wrong, the document's rules still run on every part that parsed: a part
# that did not parse is None (skipped), or a stub holding its key when the key is sound, so
# that a reference to it is not reported as unknown on top of the part's own problem.


def _valid(model: type[BaseModel], raw: Any) -> Any:
    try:
        return model.model_validate(raw)
    except PydanticValidationError:
        return None


def _raw_key(raw: Any, name: str = "key") -> str | None:
    value = raw.get(name) if isinstance(raw, dict) else None
    return value if isinstance(value, str) and re.match(KEY_PATTERN, value) else None


def _items(model: type[_WorkItem], raw: Any) -> list[Any]:
    if not isinstance(raw, list):
        return []
    out: list[Any] = []
    for entry in raw:
        item = _valid(model, entry)
        if item is None and _raw_key(entry) is not None:
            item = model.model_construct(key=_raw_key(entry), depends_on=[])
        out.append(item)
    return out


def _keyed(model: type[BaseModel], raw: Any) -> list[Any]:
    if not isinstance(raw, list):
        return []
    out: list[Any] = []
    for entry in raw:
        parsed = _valid(model, entry)
        if parsed is None and _raw_key(entry) is not None:
            parsed = model.model_construct(key=_raw_key(entry), targets={})
        out.append(parsed)
    return out


def _partial_phase(raw: Any) -> Phase | None:
    if not isinstance(raw, dict):
        return None
    phase = _valid(Phase, raw)
    if phase is not None:
        return phase  # type: ignore[no-any-return]  # pydantic's model_validate returns the model
    ordinal = raw.get("ordinal")
    gate = raw.get("gate")
    return Phase.model_construct(
        ordinal=ordinal if isinstance(ordinal, int) and not isinstance(ordinal, bool) else None,
        key=_raw_key(raw),
        tasks=_items(Task, raw.get("tasks")),
        milestones=_items(Milestone, raw.get("milestones")),
        gate=[_valid(_Gate, {"criterion": c}) for c in gate] if isinstance(gate, list) else [],
    )


class _Gate(_Strict):
    criterion: GateCriterion


def _partial(data: Any) -> Playbook:
    """The parts of ``data`` that parse, in their places (see above)."""
    phases = data.get("phases")
    maturity = data.get("maturity")
    return Playbook.model_construct(
        phases=[_partial_phase(p) for p in phases] if isinstance(phases, list) else [],
        risks=_keyed(Risk, data.get("risks")),
        metrics=_keyed(Metric, data.get("metrics")),
        risk_scale=_valid(RiskScale, data.get("risk_scale")) if "risk_scale" in data else None,
        maturity=_valid(MaturityModel, maturity) if maturity is not None else None,
    )


def _criteria(phase: Phase) -> list[Any]:
    return [getattr(c, "criterion", c) for c in phase.gate]


Problem = tuple[Loc, str, dict[str, object]]


def cross_check(playbook: Playbook) -> list[tuple[Loc, str]]:
    """Rules that span the document: unique keys, references, cycles, ordinals, bands."""
    return [(loc, english(code, params)) for loc, code, params in cross_problems(playbook)]


def cross_problems(playbook: Playbook) -> list[Problem]:
    """:func:`cross_check`'s problems as ``(location, code, parameters)``, for a caller that
    words them where they are shown."""
    return _cross_problems(playbook)


def _cross_problems(playbook: Playbook) -> list[Problem]:
    problems: list[Problem] = []
    phases = [(i, p) for i, p in enumerate(playbook.phases) if p is not None]
    item_locs = _item_keys(phases, problems)
    ordinals = _phase_keys(phases, problems)
    _dependency_problems(phases, item_locs, problems)
    metric_keys = _unique_keys(playbook.metrics, "metrics", "duplicate_metric_key", problems)
    _unique_keys(playbook.risks, "risks", "duplicate_risk_key", problems)
    _target_problems(playbook.metrics, ordinals, problems)
    bands = playbook.risk_scale.bands if playbook.risk_scale else []
    band_names = {b.name for b in bands} or {"low", "medium", "high", "critical"}
    for p_index, phase in phases:
        for c_index, criterion in enumerate(_criteria(phase)):
            loc: Loc = ("phases", p_index, "gate", c_index)
            problems.extend(_criterion_problems(criterion, loc, metric_keys, item_locs, band_names))
    if playbook.maturity:
        _indicator_problems(playbook.maturity, problems)
    trainers = playbook.adoption.train_the_trainers if playbook.adoption else None
    if trainers and trainers not in item_locs:
        problems.append((("adoption", "train_the_trainers"), "unknown_task", {"key": trainers}))
    return problems


_Phases = list[tuple[int, Phase]]


def _keyed_items(phases: _Phases) -> Iterator[tuple[Loc, _WorkItem]]:
    """Each task and milestone that has a key, with its place (``phases[p].tasks[i]``)."""
    for p_index, phase in phases:
        for list_name in ("tasks", "milestones"):
            for i_index, item in enumerate(getattr(phase, list_name)):
                if item is not None and item.key is not None:
                    yield ("phases", p_index, list_name, i_index), item


def _item_keys(phases: _Phases, problems: list[Problem]) -> dict[str, Loc]:
    """Where each task or milestone key is first given; a key given twice is a problem."""
    item_locs: dict[str, Loc] = {}
    for place, item in _keyed_items(phases):
        loc: Loc = (*place, "key")
        if item.key in item_locs:
            first = format_path(item_locs[item.key][:-1])
            problems.append((loc, "duplicate_item_key", {"key": item.key, "first": first}))
        else:
            item_locs[item.key] = loc
    return item_locs


def _phase_keys(phases: _Phases, problems: list[Problem]) -> dict[int, int]:
    """The phases' ordinals (each to its index); ordinals and keys given twice, and
    ordinals out of order, are problems."""
    ordinals: dict[int, int] = {}
    phase_keys: set[str] = set()
    for p_index, phase in phases:
        if phase.ordinal is not None:
            if phase.ordinal in ordinals:
                problems.append(
                    (
                        ("phases", p_index, "ordinal"),
                        "duplicate_phase_ordinal",
                        {"ordinal": phase.ordinal},
                    )
                )
            ordinals[phase.ordinal] = p_index
        if phase.key is not None:
            if phase.key in phase_keys:
                problems.append(
                    (("phases", p_index, "key"), "duplicate_phase_key", {"key": phase.key})
                )
            phase_keys.add(phase.key)
    listed = [p.ordinal for _i, p in phases if p.ordinal is not None]
    if listed != sorted(ordinals):
        problems.append((("phases",), "phase_order", {}))
    return ordinals


def _dependency_problems(
    phases: _Phases, item_locs: dict[str, Loc], problems: list[Problem]
) -> None:
    """Dependencies on the item itself, on unknown keys, listed twice, or in a cycle."""
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(item_locs)
    for place, item in _keyed_items(phases):
        seen_preds: set[str] = set()
        for d_index, dep in enumerate(item.depends_on):
            loc: Loc = (*place, "depends_on", d_index)
            if dep.key == item.key:
                problems.append((loc, "self_dependency", {"key": item.key}))
            elif dep.key not in item_locs:
                problems.append((loc, "unknown_task", {"key": dep.key}))
            elif dep.key in seen_preds:
                problems.append((loc, "listed_twice", {"key": dep.key}))
            else:
                graph.add_edge(dep.key, item.key)
            seen_preds.add(dep.key)
    if not nx.is_directed_acyclic_graph(graph):
        cycle = [u for u, _ in nx.find_cycle(graph)]
        first = item_locs[cycle[0]][:-1]
        problems.append(
            ((*first, "depends_on"), "cycle", {"cycle": " → ".join([*cycle, cycle[0]])})
        )


def _target_problems(
    metrics: list[Metric], ordinals: dict[int, int], problems: list[Problem]
) -> None:
    """Metric targets set for a phase ordinal no phase has."""
    for m_index, metric in enumerate(metrics):
        if metric is None:
            continue
        for ordinal in metric.targets:
            if ordinal not in ordinals:
                loc: Loc = ("metrics", m_index, "targets", ordinal)
                problems.append((loc, "target_no_phase", {"ordinal": ordinal}))


def _criterion_problems(
    criterion: Any,
    loc: Loc,
    metric_keys: set[str],
    item_locs: dict[str, Loc],
    band_names: set[str],
) -> list[Problem]:
    """A gate criterion's references to a metric, milestones or a risk band that do not exist."""
    if isinstance(criterion, MetricTargetCriterion) and criterion.metric not in metric_keys:
        return [((*loc, "metric"), "unknown_metric", {"key": criterion.metric})]
    if isinstance(criterion, MilestonesDoneCriterion):
        return [
            ((*loc, "milestones", k_index), "unknown_milestone", {"key": key})
            for k_index, key in enumerate(criterion.milestones)
            if key not in item_locs
        ]
    if isinstance(criterion, MaxRiskBandCriterion) and criterion.band not in band_names:
        bands = ", ".join(sorted(band_names))
        return [((*loc, "band"), "unknown_band", {"band": criterion.band, "bands": bands})]
    return []


def _indicator_problems(maturity: MaturityModel, problems: list[Problem]) -> None:
    """Maturity indicator keys given twice (across all categories)."""
    seen: set[str] = set()
    for c_index, category in enumerate(maturity.categories):
        for i_index, indicator in enumerate(category.indicators):
            if indicator.key in seen:
                loc: Loc = ("maturity", "categories", c_index, "indicators", i_index, "key")
                problems.append((loc, "duplicate_indicator_key", {"key": indicator.key}))
            seen.add(indicator.key)


def _unique_keys(
    items: list[Risk] | list[Metric], list_name: str, code: str, problems: list[Problem]
) -> set[str]:
    keys: set[str] = set()
    for index, item in enumerate(items):
        if item is None or item.key is None:  # type: ignore[attr-defined]  # risks and metrics both have a key
            continue
        if item.key in keys:  # type: ignore[attr-defined]  # as above
            problems.append(((list_name, index, "key"), code, {"key": item.key}))  # type: ignore[attr-defined]  # as above
        keys.add(item.key)  # type: ignore[attr-defined]  # as above
    return keys


_SAFE_FILENAME = re.compile(r"^[A-Za-z0-9_.-]+\.ya?ml$")


def discover_playbooks(
    dirs: list[Path], load: Callable[[Path], Playbook] | None = None
) -> tuple[list[tuple[Path, Playbook]], list[PlaybookError]]:
    """Load every ``*.yaml``/``*.yml`` in ``dirs``; good ones and the errors of the bad ones.

    ``load`` reads one file (default :func:`load_playbook`; the app passes one that keeps
    parsed playbooks by file checksum)."""
    load = load or load_playbook
    found: list[tuple[Path, Playbook]] = []
    errors: list[PlaybookError] = []
    for directory in dirs:
        if not directory.is_dir():
            continue
        for file in sorted(directory.iterdir()):
            if not _SAFE_FILENAME.match(file.name) or file.name.endswith(".schema.yaml"):
                continue
            try:
                found.append((file, load(file)))
            except PlaybookError as exc:
                errors.append(exc)
    return found, errors
