"""Carry lessons back: turn what happened in a program into proposed changes to its playbook.

The service describes what happened as plain data (:class:`ProgramOutcome`);
:func:`propose_lessons` compares it with the playbook and proposes :class:`Lesson` s, which
the consultant reviews (drops some, edits a patch) before :func:`apply_lessons` writes a new
playbook version from them. The result validates like any loaded playbook, and
:func:`~planner.domain.playbook_writer.dump_playbook` turns it into YAML.

Rules
=====

- **Tasks the program added** → ``add_task``, in the same phase (skipped when the playbook
  has no phase with that key). A duration of 0 adds a milestone. Its dependencies are kept
  when their predecessor is in the playbook or is another added task, and left out (the
  description says so) otherwise. A key that is not a valid playbook key is made one
  (lower case, other characters → ``-``); a key the playbook already uses gets ``-2``,
  ``-3`` …, and the dependencies between added tasks follow the new keys.
- **Durations that ran long** → ``lengthen_task``: when a playbook task's actual duration
  is *more than* ``duration_threshold`` (default 0.2, i.e. 20 %) over its playbook
  duration, propose the actual duration rounded to whole working days (halves up). Tasks
  that ran short, milestones and unknown keys are not lessons.
- **Risks that occurred** → ``raise_risk``: a playbook risk's likelihood goes up by 1 (at
  most 5; a risk already at 5 gives no lesson); a risk the playbook does not list →
  ``add_risk`` with the program's title, category (``"other"`` when it has none),
  likelihood, impact and mitigation.
- **Metrics that missed** → ``adjust_target``: when the actual misses the *playbook's*
  target for that phase (below it for a "higher is better" metric, above it for "lower is
  better"), propose moving the target halfway towards the actual, rounded to one decimal.
  One program is one data point: halfway damps it (and the description asks for a review)
  rather than copying one client's result into the method. A metric or phase the playbook
  does not target is not a lesson.

A lesson's ``patch`` holds the values :func:`apply_lessons` uses, so an edited patch wins:

================  ============================================================================
kind              patch
================  ============================================================================
add_task          ``phase``, ``name``, ``name_zh``, ``duration``, ``workstream``,
                  ``owner_role``, ``depends_on`` (tuple of ``(key, type, lag)``)
lengthen_task     ``duration``
raise_risk        ``likelihood``
add_risk          ``title``, ``title_zh``, ``category``, ``likelihood``, ``impact``,
                  ``mitigation``, ``mitigation_zh``
adjust_target     ``phase`` (the phase ordinal), ``target``
================  ============================================================================

Examples:
    >>> from planner.domain.playbook import parse_playbook
    >>> pb = parse_playbook('''
    ... id: tiny
    ... version: "1.0"
    ... title: Tiny
    ... phases:
    ...   - ordinal: 1
    ...     key: pilot
    ...     name: Pilot
    ...     tasks: [{key: migration, name: Data migration, duration: 10}]
    ... risks:
    ...   - {key: dirty-data, title: Dirty data, category: data, likelihood: 3, impact: 4}
    ... ''')
    >>> outcome = ProgramOutcome(
    ...     actual_durations={"migration": 13},
    ...     occurred_risks=[OccurredRisk(key="dirty-data", title="Dirty data",
    ...                                  likelihood=3, impact=4)])
    >>> lessons = propose_lessons(pb, outcome)
    >>> [(lesson.reason.code, dict(lesson.reason.params)) for lesson in lessons]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('lessons.lengthen_task',
      {'key': 'migration', 'planned': 10, 'proposed': 13, 'took': 13.0, 'over': 30}),
     ('lessons.raise_risk', {'key': 'dirty-data', 'before': 3, 'after': 4})]
    >>> new = apply_lessons(pb, lessons, "1.1")
    >>> new.version, new.phases[0].tasks[0].duration, new.risks[0].likelihood
    ('1.1', 13, 4)
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final, Literal

from pydantic import ValidationError as PydanticValidationError

from planner.domain.errors import Problem, ValidationError
from planner.domain.explain import Explanation
from planner.domain.playbook import (
    DEPENDENCY_TYPES,
    KEY_PATTERN,
    Playbook,
    Task,
    cross_problems,
    format_path,
    schema_problems,
    version_key,
)

LessonKind = Literal["add_task", "lengthen_task", "raise_risk", "add_risk", "adjust_target"]
LinkSpec = tuple[str, str, int]

MAX_DURATION: Final = 1000
_EPSILON: Final = 1e-9
_KEY = re.compile(KEY_PATTERN)

# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True, kw_only=True)
class AddedTask:
    """A work item the program added; ``duration`` 0 is a milestone.

    ``depends_on`` lists predecessor keys, or ``(key, type, lag)`` for a link that is not a
    plain finish-to-start.
    """

    key: str
    name: str
    phase_key: str
    duration: int
    workstream: str | None = None
    depends_on: tuple[str | LinkSpec, ...] = ()
    name_zh: str | None = None
    owner_role: str | None = None


@dataclass(frozen=True, kw_only=True)
class OccurredRisk:
    """A risk that occurred in the program (became an issue)."""

    key: str
    title: str
    likelihood: int
    impact: int
    category: str = ""
    title_zh: str | None = None
    mitigation: str | None = None
    mitigation_zh: str | None = None


@dataclass(frozen=True, kw_only=True)
class MissedMetric:
    """A metric that missed its target at the gate of phase ``phase`` (an ordinal)."""

    key: str
    phase: int
    target: float
    actual: float


@dataclass(frozen=True, kw_only=True)
class ProgramOutcome:
    """What happened in a program; ``actual_durations`` are working days per task key."""

    added_tasks: Sequence[AddedTask] = ()
    actual_durations: Mapping[str, float] = field(default_factory=dict)
    occurred_risks: Sequence[OccurredRisk] = ()
    missed_metrics: Sequence[MissedMetric] = ()


def missed_targets(
    key: str,
    direction: str,
    targets: Iterable[tuple[int, float]],
    readings: Sequence[tuple[date, float]],
    ended: Mapping[int, date],
) -> list[MissedMetric]:
    """The phase targets of metric ``key`` that the program missed.

    For each ``(phase ordinal, target)`` whose phase window has ended (``ended``: ordinal →
    last day of the window), the last of the ``readings`` (``(day, value)`` in day order) on
    or before that day against the target: below it when ``direction`` is "higher" (higher
    is better), above it otherwise. A phase with no reading by then is not a miss.

    Examples:
        >>> from datetime import date
        >>> readings = [(date(2026, 1, 5), 40.0), (date(2026, 2, 2), 55.0)]
        >>> missed_targets("adoption", "higher", [(1, 60.0), (2, 80.0)], readings,
        ...                {1: date(2026, 1, 31)})
        [MissedMetric(key='adoption', phase=1, target=60.0, actual=40.0)]
    """
    missed = []
    for phase, target in targets:
        end = ended.get(phase)
        if end is None:
            continue
        before = [value for day, value in readings if day <= end]
        if not before:
            continue
        actual = before[-1]
        short = actual < target if direction == "higher" else actual > target
        if short:
            missed.append(MissedMetric(key=key, phase=phase, target=target, actual=actual))
    return missed


# --------------------------------------------------------------------------- lessons


@dataclass(frozen=True)
class Lesson:
    """A proposed change to the playbook; ``reason`` says what and why as a code and its
    parameters (worded in the reader's language by planner/messages/playbook_lessons.py)."""

    kind: LessonKind
    key: str
    reason: Explanation
    patch: Mapping[str, object]

    @property
    def id(self) -> str:
        """Stable id, e.g. ``"lengthen_task:migration"``; a target's includes its phase."""
        if self.kind == "adjust_target":
            return f"{self.kind}:{self.key}:{self.patch.get('phase')}"
        return f"{self.kind}:{self.key}"


def _round_half_up(value: float) -> int:
    return math.floor(value + 0.5)


def _slug(key: str) -> str:
    """A valid playbook key made from ``key``."""
    slug = re.sub(r"[^a-z0-9_-]+", "-", key.strip().lower()).strip("-_")[:64]
    return slug if slug and _KEY.match(slug) else "item"


def _unique(key: str, taken: set[str]) -> str:
    candidate, n = key, 1
    while candidate in taken:
        n += 1
        suffix = f"-{n}"
        candidate = key[: 64 - len(suffix)] + suffix
    taken.add(candidate)
    return candidate


def _link(spec: str | LinkSpec) -> LinkSpec:
    return (spec, "FS", 0) if isinstance(spec, str) else spec


def _added_task_lessons(playbook: Playbook, tasks: Sequence[AddedTask]) -> list[Lesson]:
    phases = {p.key for p in playbook.phases}
    existing = {item.key for _phase, item in playbook.work_items()}
    taken = set(existing)
    placed = [t for t in tasks if t.phase_key in phases]
    renamed = {t.key: _unique(_slug(t.key), taken) for t in placed}
    lessons: list[Lesson] = []
    for task in placed:
        key = renamed[task.key]
        kept: list[LinkSpec] = []
        left_out: list[str] = []
        for spec in task.depends_on:
            pred, kind, lag = _link(spec)
            if pred in renamed:
                kept.append((renamed[pred], kind, lag))
            elif pred in existing:
                kept.append((pred, kind, lag))
            else:
                left_out.append(pred)
        why = Explanation(
            "lessons.add_milestone" if task.duration == 0 else "lessons.add_task",
            {
                "key": key,
                "phase": task.phase_key,
                "name": task.name,
                "name_zh": task.name_zh,
                "days": task.duration,
                "after": tuple(k for k, _t, _l in kept),
                "left_out": tuple(left_out),
            },
        )
        lessons.append(
            Lesson(
                "add_task",
                key,
                why,
                {
                    "phase": task.phase_key,
                    "name": task.name,
                    "name_zh": task.name_zh,
                    "duration": task.duration,
                    "workstream": task.workstream,
                    "owner_role": task.owner_role,
                    "depends_on": tuple(kept),
                },
            )
        )
    return lessons


def _duration_lessons(
    playbook: Playbook, actual: Mapping[str, float], threshold: float
) -> list[Lesson]:
    lessons: list[Lesson] = []
    for _phase, item in playbook.work_items():
        if not isinstance(item, Task) or item.key not in actual:
            continue
        took = float(actual[item.key])
        planned = item.duration
        if took - planned <= threshold * planned + _EPSILON:
            continue
        proposed = min(_round_half_up(took), MAX_DURATION)
        if proposed <= planned:
            continue
        over = _round_half_up((took - planned) / planned * 100)
        why = {"key": item.key, "planned": planned, "proposed": proposed, "took": took}
        lessons.append(
            Lesson(
                "lengthen_task",
                item.key,
                Explanation("lessons.lengthen_task", {**why, "over": over}),
                {"duration": proposed},
            )
        )
    return lessons


def _risk_lessons(playbook: Playbook, occurred: Sequence[OccurredRisk]) -> list[Lesson]:
    known = {r.key: r for r in playbook.risks}
    taken = set(known)
    lessons: list[Lesson] = []
    for risk in occurred:
        if risk.key in known:
            before = known[risk.key].likelihood
            if before >= 5:
                continue
            why = {"key": risk.key, "before": before, "after": before + 1}
            lessons.append(
                Lesson(
                    "raise_risk",
                    risk.key,
                    Explanation("lessons.raise_risk", why),
                    {"likelihood": before + 1},
                )
            )
            continue
        key = _unique(_slug(risk.key), taken)
        likelihood = min(max(risk.likelihood, 1), 5)
        impact = min(max(risk.impact, 1), 5)
        why = {
            "key": key,
            "title": risk.title,
            "title_zh": risk.title_zh,
            "likelihood": likelihood,
            "impact": impact,
        }
        lessons.append(
            Lesson(
                "add_risk",
                key,
                Explanation("lessons.add_risk", why),
                {
                    "title": risk.title,
                    "title_zh": risk.title_zh,
                    "category": risk.category.strip() or "other",
                    "likelihood": likelihood,
                    "impact": impact,
                    "mitigation": risk.mitigation,
                    "mitigation_zh": risk.mitigation_zh,
                },
            )
        )
    return lessons


def _metric_lessons(playbook: Playbook, missed: Sequence[MissedMetric]) -> list[Lesson]:
    metrics = {m.key: m for m in playbook.metrics}
    lessons: list[Lesson] = []
    for miss in missed:
        metric = metrics.get(miss.key)
        if metric is None or miss.phase not in metric.targets:
            continue
        target = metric.targets[miss.phase]
        fell_short = miss.actual < target if metric.direction == "higher" else miss.actual > target
        if not fell_short:
            continue
        proposed = round((target + miss.actual) / 2, 1)
        why = {"key": miss.key, "phase": miss.phase, "target": target, "proposed": proposed}
        lessons.append(
            Lesson(
                "adjust_target",
                miss.key,
                Explanation("lessons.adjust_target", {**why, "actual": miss.actual}),
                {"phase": miss.phase, "target": proposed},
            )
        )
    return lessons


def propose_lessons(
    playbook: Playbook, outcome: ProgramOutcome, duration_threshold: float = 0.2
) -> list[Lesson]:
    """The changes the outcome suggests, in the order tasks, durations, risks, targets.

    Examples:
        >>> from planner.domain.playbook import parse_playbook
        >>> pb = parse_playbook(
        ...     "id: a\\nversion: '1'\\ntitle: A\\nphases: [{ordinal: 0, key: p, name: P}]"
        ... )
        >>> [l.key for l in propose_lessons(pb, ProgramOutcome(added_tasks=[
        ...     AddedTask(key="Super Users", name="Super users", phase_key="p", duration=3)]))]
        ['super-users']
    """
    if duration_threshold < 0:
        raise ValidationError.of(
            "duration_threshold", "lessons.threshold_negative", got=f"{duration_threshold:g}"
        )
    return [
        *_added_task_lessons(playbook, outcome.added_tasks),
        *_duration_lessons(playbook, outcome.actual_durations, duration_threshold),
        *_risk_lessons(playbook, outcome.occurred_risks),
        *_metric_lessons(playbook, outcome.missed_metrics),
    ]


# --------------------------------------------------------------------------- applying


def _text(en: object, zh: object) -> dict[str, str] | None:
    out = {k: v for k, v in (("en", en), ("zh", zh)) if isinstance(v, str) and v.strip()}
    return out or None


class _Patcher:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.errors: list[Problem] = []

    def _int(self, where: str, patch: Mapping[str, object], name: str, low: int, high: int) -> int:
        value = patch.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            bounds = {"min": str(low), "max": str(high)}
            self.errors.append(Problem(f"{where}.{name}", "lessons.whole_number", bounds))
            return low
        return value

    def _work_item(self, key: str) -> dict[str, Any] | None:
        for phase in self.data["phases"]:
            for item in phase["tasks"]:
                if item["key"] == key:
                    found: dict[str, Any] = item
                    return found
        return None

    def apply(self, index: int, lesson: Lesson) -> None:
        where = f"lessons[{index}].patch"
        patch = lesson.patch
        if lesson.kind == "lengthen_task":
            task = self._work_item(lesson.key)
            duration = self._int(where, patch, "duration", 1, MAX_DURATION)
            if task is None:
                self.errors.append(
                    Problem(f"lessons[{index}].key", "lessons.no_task", {"key": lesson.key})
                )
            else:
                task["duration"] = duration
        elif lesson.kind == "raise_risk":
            risk = next((r for r in self.data["risks"] if r["key"] == lesson.key), None)
            likelihood = self._int(where, patch, "likelihood", 1, 5)
            if risk is None:
                self.errors.append(
                    Problem(f"lessons[{index}].key", "lessons.no_risk", {"key": lesson.key})
                )
            else:
                risk["likelihood"] = likelihood
        elif lesson.kind == "add_risk":
            self.data["risks"].append(
                {
                    "key": lesson.key,
                    "title": _text(patch.get("title"), patch.get("title_zh")),
                    "category": patch.get("category") or "other",
                    "likelihood": self._int(where, patch, "likelihood", 1, 5),
                    "impact": self._int(where, patch, "impact", 1, 5),
                    "mitigation": _text(patch.get("mitigation"), patch.get("mitigation_zh")),
                }
            )
        elif lesson.kind == "adjust_target":
            self._adjust_target(index, lesson)
        elif lesson.kind == "add_task":
            self._add_task(index, lesson)
        else:
            kind = {"kind": str(lesson.kind)}
            self.errors.append(Problem(f"lessons[{index}].kind", "lessons.unknown_kind", kind))

    def _adjust_target(self, index: int, lesson: Lesson) -> None:
        where = f"lessons[{index}].patch"
        metric = next((m for m in self.data["metrics"] if m["key"] == lesson.key), None)
        phase, target = lesson.patch.get("phase"), lesson.patch.get("target")
        if metric is None:
            self.errors.append(
                Problem(f"lessons[{index}].key", "lessons.no_metric", {"key": lesson.key})
            )
        elif isinstance(phase, bool) or not isinstance(phase, int):
            self.errors.append(Problem(f"{where}.phase", "lessons.phase_ordinal"))
        elif isinstance(target, bool) or not isinstance(target, int | float):
            self.errors.append(Problem(f"{where}.target", "lessons.number"))
        else:
            metric["targets"][phase] = float(target)

    def _add_task(self, index: int, lesson: Lesson) -> None:
        where = f"lessons[{index}].patch"
        patch = lesson.patch
        phase = next((p for p in self.data["phases"] if p["key"] == patch.get("phase")), None)
        if phase is None:
            key = {"key": str(patch.get("phase"))}
            self.errors.append(Problem(f"{where}.phase", "lessons.no_phase", key))
            return
        duration = self._int(where, patch, "duration", 0, MAX_DURATION)
        depends_on: list[dict[str, Any]] = []
        links = patch.get("depends_on") or ()
        if not isinstance(links, list | tuple):
            self.errors.append(Problem(f"{where}.depends_on", "lessons.predecessors"))
            links = ()
        for d_index, spec in enumerate(links):
            link = _link(spec) if isinstance(spec, str | tuple) else None
            if link is None or len(link) != 3 or link[1] not in DEPENDENCY_TYPES:
                self.errors.append(Problem(f"{where}.depends_on[{d_index}]", "lessons.predecessor"))
                continue
            depends_on.append({"key": link[0], "type": link[1], "lag": link[2]})
        item: dict[str, Any] = {
            "key": lesson.key,
            "name": _text(patch.get("name"), patch.get("name_zh")),
            "workstream": patch.get("workstream"),
            "owner_role": patch.get("owner_role"),
            "depends_on": depends_on,
        }
        if duration == 0:
            phase["milestones"].append(item)
        else:
            phase["tasks"].append({**item, "duration": duration})


def apply_lessons(playbook: Playbook, lessons: Sequence[Lesson], new_version: str) -> Playbook:
    """A new version of ``playbook`` with the lessons applied; it passes every check.

    Raises :class:`ValidationError` listing every problem: a version that is not newer, a
    lesson whose key or patch does not fit the playbook, or a result that would not load
    (e.g. a duplicate key or a dependency cycle).

    Examples:
        >>> from planner.domain.playbook import parse_playbook
        >>> pb = parse_playbook(
        ...     "id: a\\nversion: '1.2'\\ntitle: A\\nphases: [{ordinal: 0, key: p, name: P}]"
        ... )
        >>> apply_lessons(pb, [], "1.3").version
        '1.3'
        >>> try:
        ...     apply_lessons(pb, [], "1.1")
        ... except ValidationError as error:
        ...     for p in error.problems:
        ...         print(f"{p.field}: {p.code} {dict(p.params)}")
        version: lessons.version_not_newer {'version': '1.1', 'current': '1.2'}
    """
    if not re.fullmatch(r"\d+(\.\d+){0,2}", new_version):
        raise ValidationError.of("version", "lessons.version_format", version=new_version)
    if version_key(new_version) <= version_key(playbook.version):
        raise ValidationError.of(
            "version", "lessons.version_not_newer", version=new_version, current=playbook.version
        )
    data = playbook.model_dump()
    data["version"] = new_version
    patcher = _Patcher(data)
    for index, lesson in enumerate(lessons):
        patcher.apply(index, lesson)
    if patcher.errors:
        raise ValidationError(problems=patcher.errors)
    try:
        result = Playbook.model_validate(data)
    except PydanticValidationError as exc:
        raise ValidationError(problems=_would_not_load(schema_problems(exc))) from None
    problems = cross_problems(result)
    if problems:
        raise ValidationError(problems=_would_not_load(problems))
    return result


def _would_not_load(
    found: Sequence[tuple[tuple[int | str, ...], str, dict[str, object]]],
) -> list[Problem]:
    """The loader's problems of the new version, worded as the library words a file's."""
    return [
        Problem(format_path(loc), "playbook.issue", {"issue": code, **params})
        for loc, code, params in found
    ]
