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
from typing import Annotated, Any, Literal

import networkx as nx
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic import ValidationError as PydanticValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from planner.domain.errors import ValidationError

MAX_PLAYBOOK_BYTES = 2 * 1024 * 1024
KEY_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"
DEPENDENCY_TYPES = ("FS", "SS", "FF", "SF")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_STANDARD_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp", "omap")
}

Key = Annotated[str, Field(pattern=KEY_PATTERN)]
DependencyType = Literal["FS", "SS", "FF", "SF"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    """A user-facing text in English and/or Simplified Chinese; a plain string means English."""

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
            raise ValueError("give the text in English (en) or Chinese (zh)")
        return self

    def get(self, lang: str) -> str:
        """The text in ``lang`` ("en" or "zh"), falling back to the other language."""
        if lang.startswith("zh"):
            return self.zh or self.en or ""
        return self.en or self.zh or ""


class Dependency(_Strict):
    """A link from a predecessor (``key``) to the item that lists it in ``depends_on``."""

    key: Key
    type: DependencyType = "FS"
    lag: int = Field(default=0, ge=-500, le=500, description="working days; negative = lead")

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
    duration: int = Field(ge=1, le=1000, description="working days")


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


class ManualCriterion(_Strict):
    kind: Literal["manual"]
    text: Text


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
    length_days: int = Field(default=100, ge=1, le=730, description="calendar days")
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


class Metric(_Strict):
    key: Key
    name: Text
    unit: str
    direction: Literal["higher", "lower"]
    baseline: float | None = None
    targets: dict[int, float] = Field(default_factory=dict, description="phase ordinal → target")
    owner_role: str | None = None
    data_source: str | None = None
    description: Text | None = None


class RiskBand(_Strict):
    name: Key
    label: Text
    min_score: int = Field(ge=1, le=25)
    max_score: int = Field(ge=1, le=25)


class RiskScale(_Strict):
    likelihood_labels: list[Text] = Field(min_length=5, max_length=5)
    impact_labels: list[Text] = Field(min_length=5, max_length=5)
    bands: list[RiskBand] = Field(min_length=1)

    @model_validator(mode="after")
    def _bands_cover_scores(self) -> RiskScale:
        expected = 1
        for band in self.bands:
            if band.min_score != expected or band.max_score < band.min_score:
                raise ValueError(
                    f'band "{band.name}" should start at score {expected} and end at or after it'
                )
            expected = band.max_score + 1
        if expected != 26:
            raise ValueError("bands must cover the scores 1 to 25 without gaps or overlaps")
        return self


class Indicator(_Strict):
    key: Key
    name: Text
    description: Text | None = None
    weight: float = Field(default=1.0, ge=0)
    critical: bool = False
    suggested_action: Text | None = None
    horizon: Literal["tactical", "strategic"] | None = None


class MaturityCategory(_Strict):
    key: Key
    name: Text
    indicators: list[Indicator] = Field(min_length=1)


class MaturityLevel(_Strict):
    name: Text
    min_score: float = Field(ge=0, le=5)


class MaturityModel(_Strict):
    scale: dict[int, Text]
    levels: list[MaturityLevel] = Field(min_length=1)
    level_weights: dict[Literal["senior", "middle", "front_line"], float] = Field(
        default_factory=lambda: {"senior": 1.0, "middle": 1.0, "front_line": 1.0}
    )
    categories: list[MaturityCategory] = Field(min_length=1)

    @field_validator("scale")
    @classmethod
    def _scale_is_zero_to_five(cls, value: dict[int, Text]) -> dict[int, Text]:
        if sorted(value) != [0, 1, 2, 3, 4, 5]:
            raise ValueError("the scale must label each score 0 to 5")
        return value

    @model_validator(mode="after")
    def _levels_ascend(self) -> MaturityModel:
        scores = [level.min_score for level in self.levels]
        if scores != sorted(scores) or len(set(scores)) != len(scores):
            raise ValueError("levels must be listed with strictly ascending min_score")
        return self


class Calendar(_Strict):
    workdays: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]] = Field(
        default_factory=lambda: ["mon", "tue", "wed", "thu", "fri"], min_length=1
    )


class Playbook(_Strict):
    """A rollout method: stages with work, gates, risks, metrics and a maturity model."""

    id: Key
    version: str = Field(pattern=r"^\d+(\.\d+){0,2}$")
    title: Text
    description: Text | None = None
    author: str | None = None
    calendar: Calendar = Field(default_factory=Calendar)
    phases: list[Phase] = Field(min_length=1)
    risks: list[Risk] = Field(default_factory=list)
    metrics: list[Metric] = Field(default_factory=list)
    risk_scale: RiskScale | None = None
    maturity: MaturityModel | None = None

    def work_items(self) -> Iterator[tuple[Phase, Task | Milestone]]:
        """Every task and milestone with the phase it belongs to, in document order."""
        for phase in self.phases:
            for item in [*phase.tasks, *phase.milestones]:
                yield phase, item

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
    """One problem in a playbook file: where (line, path) and what."""

    source: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where} {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class PlaybookError(ValidationError):
    """A playbook that does not load; ``issues`` lists every problem found."""

    def __init__(self, issues: list[PlaybookIssue]) -> None:
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


def _check_nodes(node: Node, source: str, issues: list[PlaybookIssue]) -> None:
    """Refuse YAML features a playbook never needs: custom tags, anchors and aliases."""
    seen: set[int] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            issues.append(
                PlaybookIssue(source, current.start_mark.line + 1, "", "aliases are not allowed")
            )
            continue
        seen.add(id(current))
        if current.tag and not isinstance(current.tag, str):
            tag = getattr(current.tag, "value", None) or str(current.tag)
        else:
            tag = current.tag
        if tag and tag not in _STANDARD_TAGS:
            issues.append(
                PlaybookIssue(source, current.start_mark.line + 1, "", f"YAML tag {tag} refused")
            )
        if isinstance(current, MappingNode):
            for key_node, value_node in current.value:
                stack.extend([key_node, value_node])
        elif isinstance(current, SequenceNode):
            stack.extend(current.value)
        elif not isinstance(current, ScalarNode):
            issues.append(PlaybookIssue(source, None, "", "unexpected YAML node"))


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    return yaml


def parse_playbook(text: str, source: str = "<playbook>") -> Playbook:
    """Parse and validate playbook YAML text; raise :class:`PlaybookError` listing every issue."""
    if len(text.encode("utf-8")) > MAX_PLAYBOOK_BYTES:
        raise PlaybookError(
            [PlaybookIssue(source, None, "", f"file larger than {MAX_PLAYBOOK_BYTES} bytes")]
        )
    issues: list[PlaybookIssue] = []
    try:
        yaml = _yaml()
        node = yaml.compose(io.StringIO(text))
        if node is None:
            raise PlaybookError([PlaybookIssue(source, None, "", "the file is empty")])
        _check_nodes(node, source, issues)
        if issues:
            raise PlaybookError(issues)
        # built from the node already composed: scanning the text is nine tenths of the cost
        data = yaml.constructor.construct_document(node)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        message = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        raise PlaybookError([PlaybookIssue(source, line, "", message)]) from None
    if not isinstance(data, CommentedMap):
        raise PlaybookError([PlaybookIssue(source, 1, "", "a playbook must be a YAML mapping")])
    try:
        playbook = Playbook.model_validate(data)
    except PydanticValidationError as exc:
        for error in exc.errors():
            loc = tuple(p for p in error["loc"] if not _is_union_tag(p))
            message = error["msg"].removeprefix("Value error, ")
            if error["type"] == "extra_forbidden":
                message = f'unknown field "{loc[-1]}"'
            elif error["type"] == "missing":
                message = "required field is missing"
            issues.append(PlaybookIssue(source, _line_of(data, loc), format_path(loc), message))
        raise PlaybookError(sorted(issues, key=lambda i: i.line or 0)) from None
    for loc, message in cross_check(playbook):
        issues.append(PlaybookIssue(source, _line_of(data, loc), format_path(loc), message))
    if issues:
        raise PlaybookError(sorted(issues, key=lambda i: i.line or 0))
    return playbook


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
                [PlaybookIssue(file.name, None, "", f"file larger than {MAX_PLAYBOOK_BYTES} bytes")]
            )
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PlaybookError([PlaybookIssue(file.name, None, "", str(exc))]) from None
    return parse_playbook(text, source=file.name)


Loc = tuple[int | str, ...]


def cross_check(playbook: Playbook) -> list[tuple[Loc, str]]:
    """Rules that span the document: unique keys, references, cycles, ordinals, bands."""
    problems: list[tuple[Loc, str]] = []
    item_locs: dict[str, Loc] = {}
    for p_index, phase in enumerate(playbook.phases):
        for list_name in ("tasks", "milestones"):
            for i_index, item in enumerate(getattr(phase, list_name)):
                loc: Loc = ("phases", p_index, list_name, i_index, "key")
                if item.key in item_locs:
                    problems.append(
                        (
                            loc,
                            f'duplicate work item key "{item.key}" (first at '
                            f"{format_path(item_locs[item.key][:-1])})",
                        )
                    )
                else:
                    item_locs[item.key] = loc

    ordinals: dict[int, int] = {}
    phase_keys: set[str] = set()
    for p_index, phase in enumerate(playbook.phases):
        if phase.ordinal in ordinals:
            problems.append(
                (("phases", p_index, "ordinal"), f"duplicate phase ordinal {phase.ordinal}")
            )
        ordinals[phase.ordinal] = p_index
        if phase.key in phase_keys:
            problems.append((("phases", p_index, "key"), f'duplicate phase key "{phase.key}"'))
        phase_keys.add(phase.key)
    if [p.ordinal for p in playbook.phases] != sorted(ordinals):
        problems.append((("phases",), "phases must be listed in ascending ordinal order"))

    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(item_locs)
    for p_index, phase in enumerate(playbook.phases):
        for list_name in ("tasks", "milestones"):
            for i_index, item in enumerate(getattr(phase, list_name)):
                seen_preds: set[str] = set()
                for d_index, dep in enumerate(item.depends_on):
                    loc = ("phases", p_index, list_name, i_index, "depends_on", d_index)
                    if dep.key == item.key:
                        problems.append((loc, f'"{item.key}" cannot depend on itself'))
                    elif dep.key not in item_locs:
                        problems.append((loc, f'unknown task key "{dep.key}"'))
                    elif dep.key in seen_preds:
                        problems.append((loc, f'"{dep.key}" is listed twice'))
                    else:
                        graph.add_edge(dep.key, item.key)
                    seen_preds.add(dep.key)
    if not nx.is_directed_acyclic_graph(graph):
        cycle = [u for u, _ in nx.find_cycle(graph)]
        first = item_locs[cycle[0]][:-1]
        problems.append(
            ((*first, "depends_on"), "dependency cycle: " + " → ".join([*cycle, cycle[0]]))
        )

    band_names = {b.name for b in (playbook.risk_scale.bands if playbook.risk_scale else [])} or {
        "low",
        "medium",
        "high",
        "critical",
    }
    metric_keys = _unique_keys(playbook.metrics, "metrics", "metric", problems)
    _unique_keys(playbook.risks, "risks", "risk", problems)
    for m_index, metric in enumerate(playbook.metrics):
        for ordinal in metric.targets:
            if ordinal not in ordinals:
                problems.append(
                    (("metrics", m_index, "targets", ordinal), f"no phase with ordinal {ordinal}")
                )
    for p_index, phase in enumerate(playbook.phases):
        for c_index, criterion in enumerate(phase.gate):
            loc = ("phases", p_index, "gate", c_index)
            if isinstance(criterion, MetricTargetCriterion) and criterion.metric not in metric_keys:
                problems.append(((*loc, "metric"), f'unknown metric key "{criterion.metric}"'))
            elif isinstance(criterion, MilestonesDoneCriterion):
                for k_index, key in enumerate(criterion.milestones):
                    if key not in item_locs:
                        problems.append(
                            ((*loc, "milestones", k_index), f'unknown milestone key "{key}"')
                        )
            elif isinstance(criterion, MaxRiskBandCriterion) and criterion.band not in band_names:
                problems.append(
                    (
                        (*loc, "band"),
                        f'unknown risk band "{criterion.band}" '
                        f"(one of {', '.join(sorted(band_names))})",
                    )
                )
    if playbook.maturity:
        seen: set[str] = set()
        for c_index, category in enumerate(playbook.maturity.categories):
            for i_index, indicator in enumerate(category.indicators):
                if indicator.key in seen:
                    problems.append(
                        (
                            ("maturity", "categories", c_index, "indicators", i_index, "key"),
                            f'duplicate indicator key "{indicator.key}"',
                        )
                    )
                seen.add(indicator.key)
    return problems


def _unique_keys(
    items: list[Risk] | list[Metric], list_name: str, noun: str, problems: list[tuple[Loc, str]]
) -> set[str]:
    keys: set[str] = set()
    for index, item in enumerate(items):
        if item.key in keys:
            problems.append(((list_name, index, "key"), f'duplicate {noun} key "{item.key}"'))
        keys.add(item.key)
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
