"""The rules for defining or changing a metric: its key, name, direction, targets, tolerance,
glide path and unit, checked together so a form shows every problem at once.

Pure: the caller says what needs the database (whether the key is taken, the phases, the
stored glide path and readings) and saves what :func:`clean_metric` returns.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

from planner.domain.errors import Problem, ValidationError
from planner.domain.metrics import MetricDef, StatusRule, metric_number_problems

KEY_PATTERN: Final = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


@dataclass(frozen=True)
class MetricInput:
    """A metric as a form or request gives it."""

    key: str
    name: str
    unit: str
    direction: str
    name_zh: str | None = None
    baseline: float | None = None
    owner: str | None = None
    data_source: str | None = None
    description: str | None = None
    description_zh: str | None = None
    amber_tolerance: float | None = None  # fraction; None = the program's setting
    targets: Mapping[int, float | None] = field(default_factory=dict)
    #: linear, s-curve, or steps (keeps the steps stored); None leaves the glide path as it is
    glide: str | None = None


@dataclass(frozen=True)
class Stored:
    """What the database knows that the rules need."""

    #: the ordinals of the program's phases (a target needs its phase)
    ordinals: Collection[int]
    #: another metric of the program has the key
    key_taken: bool = False
    #: the metric's glide path as stored (None: a new metric)
    glide: str | None = None
    #: the metric's readings as (day, value) (a percentage must hold them all)
    readings: Sequence[tuple[dt.date, float]] = ()


@dataclass(frozen=True)
class CleanMetric:
    key: str
    name: str
    unit: str
    targets: dict[int, float]
    #: the glide path to store; None leaves the stored one
    glide: str | None


def clean_metric(data: MetricInput, stored: Stored) -> CleanMetric:
    """``data`` trimmed, the empty targets left out; or refused with every problem, each
    named as the form names its field (``target_2``).

    Examples:
        >>> clean_metric(MetricInput(" active ", "Active", "%", "higher", targets={1: 60.0,
        ...     2: None}), Stored(ordinals={1, 2})).targets
        {1: 60.0}
        >>> try:
        ...     clean_metric(MetricInput("Bad Key", "", "", "up"), Stored(ordinals=()))
        ... except ValidationError as exc:
        ...     print([p.code for p in exc.problems])
        ['metric.key_pattern', 'metric.name_required', 'metric.direction_choose']
    """
    key = data.key.strip()
    targets = {k: v for k, v in data.targets.items() if v is not None}
    errors = _key_problems(key, stored)
    if not data.name.strip():
        errors.append(Problem("name", "metric.name_required"))
    if data.direction not in ("higher", "lower"):
        errors.append(Problem("direction", "metric.direction_choose"))
    for ordinal in targets:
        if ordinal not in stored.ordinals:
            errors.append(Problem(f"target_{ordinal}", "metric.no_phase", {"phase": str(ordinal)}))
    if data.amber_tolerance is not None:
        try:
            StatusRule(data.amber_tolerance)
        except ValidationError as exc:
            errors.extend(exc.problems)
    errors.extend(form_field(p) for p in metric_number_problems(data.baseline, targets))
    glide = _glide(data.glide, stored.glide, errors)
    percentage = data.unit.strip() == "%"
    if not errors:
        try:
            MetricDef(
                key,
                data.name.strip(),
                data.unit.strip(),
                data.direction,  # type: ignore[arg-type]  # checked above: higher or lower
                data.baseline,
                targets,
                percentage,
            )
        except ValidationError as exc:
            errors.extend(form_field(p) for p in exc.problems)
    if percentage:
        errors.extend(_readings_outside(stored.readings))
    if errors:
        raise ValidationError(problems=errors)
    return CleanMetric(key, data.name.strip(), data.unit.strip(), targets, glide)


def form_field(problem: Problem) -> Problem:
    """A problem of ``targets[2]`` (as :class:`MetricDef` names it) on the form's ``target_2``.

    Examples:
        >>> form_field(Problem("targets[2]", "metric.percentage")).field
        'target_2'
    """
    if problem.field.startswith("targets["):
        field_name = "target_" + problem.field[len("targets[") : -1]
        return Problem(field_name, problem.code, problem.params)
    return problem


def _key_problems(key: str, stored: Stored) -> list[Problem]:
    if not KEY_PATTERN.match(key):
        return [Problem("key", "metric.key_pattern")]
    if stored.key_taken:
        return [Problem("key", "metric.key_taken", {"key": key})]
    return []


def _glide(wanted: str | None, stored: str | None, errors: list[Problem]) -> str | None:
    """The glide path to store: steps only as the playbook gave them (kept as stored)."""
    if wanted is None:
        return None
    if wanted == "steps":
        if stored is not None and stored.startswith("steps"):
            return stored
        errors.append(Problem("glide", "metric.glide.steps_from_playbook"))
        return None
    if wanted in ("linear", "s-curve"):
        return wanted
    errors.append(Problem("glide", "metric.glide.choose", {"value": wanted}))
    return None


def _readings_outside(readings: Sequence[tuple[dt.date, float]]) -> list[Problem]:
    """A percentage's readings must lie in 0–100: the first five days that do not."""
    outside = [day for day, value in readings if not 0 <= value <= 100]
    if not outside:
        return []
    days = ", ".join(day.isoformat() for day in outside[:5])
    return [Problem("unit", "metric.unit.readings_outside", {"count": len(outside), "days": days})]
