"""CRM capability maturity assessment (CMM-E): scoring, aggregation, levels, gaps, actions.

Everything here is pure: frozen dataclasses and plain mappings in, plain values out.

Semantics, in one place (the tests check each of these by hand-computed examples):

* **Scale.** Every score is on the 0-5 scale of the source (domain.md §6): 0 none,
  1 planned, 2 rarely, 3 partly, 4 basically, 5 fully implemented. An interview score is an
  ``int``; aggregated, target, benchmark and competitor scores may be any real in 0-5.
  ``None`` (or an absent key) means *not scored*; it is never read as 0.
* **Effective weight.** An indicator's weight (``>= 0``) is the playbook's weight, counted
  once: ``effective_weight = weight``. ``critical`` marks an indicator (it makes a proposal
  strategic) but does not multiply its weight: a playbook that judges an indicator critical
  already gives it a larger weight (1.5 in CMM-E), and doubling it again would count the
  judgement twice. The effective weight is used everywhere a weight is used: category
  scores, the overall score and weighted gaps.
* **Current score.** Per indicator: the mean of the interview scores *per level* (senior,
  middle, front line; ``None`` ignored), then the mean of those level means weighted by
  ``MaturityModel.level_weights`` over the levels that scored the indicator. A level with
  weight 0 does not count; an indicator scored by nobody (or only by zero-weight levels) is
  ``None``.
* **Category and overall scores.** Weighted means (effective weights) over the *scored*
  indicators only; ``None`` when no indicator with a positive weight is scored. The overall
  score is weighted over all scored indicators, not averaged over the category scores.
* **Maturity level.** The highest level whose ``min_score`` is at most the score (with a
  1e-9 tolerance, so 2.4999999999 from float arithmetic counts as 2.5). Default CMM-E
  thresholds: Initial 0, Repeatable 1.5, Defined 2.5, Managed 3.5, Optimising 4.5.
* **Gaps.** ``gap_to_target = target - current`` (positive = below target),
  ``weighted_gap = effective_weight * gap_to_target``, ``gap_to_benchmark = benchmark -
  current``. Ranked by weighted gap (largest first), ties by indicator key; then the scored
  indicators without a target (by key); then the indicators with no current score, flagged
  ``missing`` (by key).
* **Proposals.** From the gaps with a positive weighted gap, largest first, at most
  ``limit``. Horizon: the indicator's own, else *strategic* when the gap to target is 2 or
  more or the indicator is critical, else *tactical*. Priority: terciles of rank among the
  proposals: ``1 + floor(3 * r / n)`` where ``r`` is the number of proposals with a strictly
  larger weighted gap and ``n`` the number of proposals (ties share the better priority).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal, get_args

from planner.domain.errors import Problem, ValidationError

InterviewLevel = Literal["senior", "middle", "front_line"]
Horizon = Literal["tactical", "strategic"]

INTERVIEW_LEVELS: tuple[InterviewLevel, ...] = get_args(InterviewLevel)
HORIZONS: tuple[Horizon, ...] = get_args(Horizon)

SCALE_MIN = 0
SCALE_MAX = 5
_EPS = 1e-9

DEFAULT_SCALE_LABELS: Mapping[int, str] = MappingProxyType(
    {0: "none", 1: "planned", 2: "rarely", 3: "partly", 4: "basically", 5: "fully"}
)
"""Labels of the 0-5 scale (domain.md §6): 0 none ... 5 fully implemented."""

DEFAULT_LEVEL_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {"senior": 1.0, "middle": 1.0, "front_line": 1.0}
)
"""Interview levels count equally unless the playbook says otherwise."""


# --------------------------------------------------------------------------- helpers


def _is_real(value: object) -> bool:
    """Tell whether the value is a finite int or float (a bool is not)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value)


def _fmt(value: float) -> str:
    """Format a score for a person: one decimal, no trailing ``.0``."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _raise(problems: list[Problem]) -> None:
    """Raise one ValidationError that lists every problem found (none found: return).

    The problems are coded (``maturity.*``, worded by planner/messages/maturity.py)."""
    if problems:
        raise ValidationError(problems=problems)


def _opt(value: float | None) -> float | None:
    """Return the value as a float, None kept."""
    return None if value is None else float(value)


def _weighted_mean(pairs: Iterable[tuple[float, float]]) -> float | None:
    """Weighted mean of ``(weight, value)`` pairs; None when the weights sum to 0."""
    items = [(w, v) for w, v in pairs if w > 0]
    total = math.fsum(w for w, _ in items)
    if total <= 0:
        return None
    return math.fsum(w * v for w, v in items) / total


# --------------------------------------------------------------------------- the model


@dataclass(frozen=True)
class Indicator:
    """One indicator of the maturity model (e.g. "customer segmentation strategy").

    Examples:
        >>> Indicator("cs4", "cs", "Customer segmentation strategy", weight=2.0).effective_weight
        2.0
        >>> Indicator("cs1", "cs", "Overall plan", weight=1.5, critical=True).effective_weight
        1.5
    """

    key: str
    category: str
    name: str
    weight: float = 1.0
    critical: bool = False
    suggested_action: str | None = None
    horizon: Horizon | None = None

    def __post_init__(self) -> None:
        """Check the key, weight and horizon."""
        errors: list[Problem] = []
        key = str(self.key)
        if not isinstance(self.key, str) or not self.key.strip():
            errors.append(Problem("key", "maturity.indicator.key_empty"))
        if not _is_real(self.weight):
            got = repr(self.weight)
            errors.append(
                Problem("weight", "maturity.indicator.weight_nan", {"key": key, "got": got})
            )
        elif self.weight < 0:
            got = f"{self.weight:g}"
            errors.append(
                Problem("weight", "maturity.indicator.weight_negative", {"key": key, "got": got})
            )
        if self.horizon is not None and self.horizon not in HORIZONS:
            got = repr(self.horizon)
            errors.append(
                Problem("horizon", "maturity.indicator.horizon", {"key": key, "got": got})
            )
        _raise(errors)

    @property
    def effective_weight(self) -> float:
        """The weight used in every weighted sum: the playbook's weight, counted once (a
        critical indicator is not doubled)."""
        return float(self.weight)


@dataclass(frozen=True)
class Category:
    """A category of indicators (CMM-E has 8, e.g. "Customer data 客户数据").

    Examples:
        >>> c = Category("cd", "Customer data", (Indicator("cd1", "cd", "Data model"),))
        >>> [i.key for i in c.indicators]
        ['cd1']
    """

    key: str
    name: str
    indicators: tuple[Indicator, ...]

    def __post_init__(self) -> None:
        """Store the indicators as a tuple."""
        object.__setattr__(self, "indicators", tuple(self.indicators))


@dataclass(frozen=True)
class MaturityLevel:
    """A maturity level reached by an overall score of at least ``min_score``.

    Examples:
        >>> MaturityLevel("Defined", 2.5)
        MaturityLevel(name='Defined', min_score=2.5)
    """

    name: str
    min_score: float


DEFAULT_LEVELS: tuple[MaturityLevel, ...] = (
    MaturityLevel("Initial", 0.0),  # 原始级
    MaturityLevel("Repeatable", 1.5),  # 可重复级
    MaturityLevel("Defined", 2.5),  # 已定义级
    MaturityLevel("Managed", 3.5),  # 可管理级
    MaturityLevel("Optimising", 4.5),  # 优化级
)
"""CMM-E levels on the 0-5 scale. The source names the five levels but gives no thresholds;
these split the scale at the half-points between "rarely" (2), "partly" (3), "basically" (4)
and "fully" (5), with Repeatable starting at 1.5. A playbook may set its own."""


def _level_weights_default() -> Mapping[str, float]:
    return dict(DEFAULT_LEVEL_WEIGHTS)


def _scale_labels_default() -> Mapping[int, str]:
    return dict(DEFAULT_SCALE_LABELS)


@dataclass(frozen=True)
class MaturityModel:
    """Categories of indicators, the levels, the scale labels and the interview-level weights.

    Raises ValidationError listing every problem: duplicate keys, an indicator filed under
    the wrong category, an empty category, levels not strictly ascending from 0 within 0-5,
    scale labels not exactly 0-5, level weights that are negative, unknown or all zero.

    Examples:
        >>> m = MaturityModel((Category("cs", "Customer strategy",
        ...     (Indicator("cs1", "cs", "Overall plan"), Indicator("cs2", "cs", "Needs"))),))
        >>> [i.key for i in m.indicators], m.indicator("cs2").name, m.levels[2].name
        (['cs1', 'cs2'], 'Needs', 'Defined')
    """

    categories: tuple[Category, ...]
    levels: tuple[MaturityLevel, ...] = DEFAULT_LEVELS
    scale_labels: Mapping[int, str] = field(default_factory=_scale_labels_default)
    level_weights: Mapping[str, float] = field(default_factory=_level_weights_default)
    _by_key: Mapping[str, Indicator] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Validate the model and freeze its mappings."""
        object.__setattr__(self, "categories", tuple(self.categories))
        object.__setattr__(self, "levels", tuple(self.levels))
        object.__setattr__(self, "scale_labels", MappingProxyType(dict(self.scale_labels)))
        object.__setattr__(self, "level_weights", MappingProxyType(dict(self.level_weights)))
        errors: list[Problem] = []
        by_key: dict[str, Indicator] = {}
        self._check_categories(errors, by_key)
        self._check_levels(errors)
        self._check_scale_labels(errors)
        self._check_level_weights(errors)
        _raise(errors)
        object.__setattr__(self, "_by_key", MappingProxyType(by_key))

    def _check_categories(self, errors: list[Problem], by_key: dict[str, Indicator]) -> None:
        if not self.categories:
            errors.append(Problem("categories", "maturity.model.no_categories"))
        seen_categories: set[str] = set()
        for c_index, category in enumerate(self.categories):
            path = f"categories[{c_index}]"
            key = {"key": category.key}
            if category.key in seen_categories:
                errors.append(Problem(f"{path}.key", "maturity.model.category_twice", key))
            seen_categories.add(category.key)
            if not category.indicators:
                errors.append(Problem(f"{path}.indicators", "maturity.model.category_empty", key))
            for i_index, indicator in enumerate(category.indicators):
                i_path = f"{path}.indicators[{i_index}]"
                if indicator.key in by_key:
                    errors.append(
                        Problem(
                            f"{i_path}.key",
                            "maturity.model.indicator_twice",
                            {"key": indicator.key},
                        )
                    )
                else:
                    by_key[indicator.key] = indicator
                if indicator.category != category.key:
                    where = {
                        "key": indicator.key,
                        "says": indicator.category,
                        "listed": category.key,
                    }
                    errors.append(
                        Problem(f"{i_path}.category", "maturity.model.wrong_category", where)
                    )

    def _check_levels(self, errors: list[Problem]) -> None:
        if not self.levels:
            errors.append(Problem("levels", "maturity.model.no_levels"))
            return
        names = [level.name for level in self.levels]
        for name in sorted({n for n in names if names.count(n) > 1}):
            errors.append(Problem("levels", "maturity.model.level_twice", {"name": name}))
        for index, level in enumerate(self.levels):
            path = f"levels[{index}].min_score"
            if not _is_real(level.min_score):
                errors.append(Problem(path, "maturity.model.level_min_nan", {"name": level.name}))
                return
            at = {"name": level.name, "min": f"{level.min_score:g}"}
            if not SCALE_MIN <= level.min_score <= SCALE_MAX:
                errors.append(Problem(path, "maturity.model.level_min_range", at))
            if index == 0 and level.min_score != SCALE_MIN:
                errors.append(Problem(path, "maturity.model.lowest_level", {"name": level.name}))
            if index > 0 and level.min_score <= self.levels[index - 1].min_score:
                previous = self.levels[index - 1]
                below = {"previous": previous.name, "previous_min": f"{previous.min_score:g}"}
                errors.append(Problem(path, "maturity.model.levels_ascend", at | below))

    def _check_scale_labels(self, errors: list[Problem]) -> None:
        expected = set(range(SCALE_MIN, SCALE_MAX + 1))
        if set(self.scale_labels) != expected:
            got = ", ".join(repr(k) for k in sorted(self.scale_labels, key=repr))
            errors.append(Problem("scale_labels", "maturity.model.scale_labels", {"got": got}))

    def _check_level_weights(self, errors: list[Problem]) -> None:
        if set(self.level_weights) != set(INTERVIEW_LEVELS):
            got = ", ".join(sorted(self.level_weights))
            errors.append(Problem("level_weights", "maturity.model.level_names", {"got": got}))
        for level, weight in self.level_weights.items():
            if not _is_real(weight) or weight < 0:
                errors.append(
                    Problem(
                        f"level_weights.{level}",
                        "maturity.model.level_weight",
                        {"level": level, "got": repr(weight)},
                    )
                )
        if all(_is_real(w) and w == 0 for w in self.level_weights.values()):
            errors.append(Problem("level_weights", "maturity.model.level_weights_zero"))

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        """Every indicator, in model order (category by category)."""
        return tuple(i for c in self.categories for i in c.indicators)

    def has_indicator(self, key: str) -> bool:
        """Tell whether the model has an indicator with this key."""
        return key in self._by_key

    def indicator(self, key: str) -> Indicator:
        """Return the indicator with this key; ValidationError if the model has none."""
        try:
            return self._by_key[key]
        except KeyError:
            raise ValidationError.of(key, "maturity.unknown_indicator", key=key) from None


# --------------------------------------------------------------------------- interviews


@dataclass(frozen=True)
class Interview:
    """One interview's scores: indicator key -> 0-5 int, or None for not scored.

    Examples:
        >>> Interview("s1", "senior", {"cs1": 3, "cs2": None}).scores["cs1"]
        3
        >>> try:
        ...     Interview("s1", "senior", {"cs1": 6})
        ... except ValidationError as error:
        ...     for p in error.problems:
        ...         print(f"{p.field}: {p.code} {dict(p.params)}")
        scores.cs1: maturity.interview.score_range {'interview': 's1', 'indicator': 'cs1', \
'score': '6'}
    """

    key: str
    level: InterviewLevel
    scores: Mapping[str, int | None]

    def __post_init__(self) -> None:
        """Check the level and every score; freeze the scores."""
        object.__setattr__(self, "scores", MappingProxyType(dict(self.scores)))
        errors: list[Problem] = []
        if self.level not in INTERVIEW_LEVELS:
            got = {"interview": self.key, "got": repr(self.level)}
            errors.append(Problem("level", "maturity.interview.level", got))
        for indicator, score in self.scores.items():
            if score is None:
                continue
            where = {"interview": self.key, "indicator": indicator}
            if isinstance(score, bool) or not isinstance(score, int):
                code, value = "maturity.interview.score_whole", {"got": repr(score)}
            elif not SCALE_MIN <= score <= SCALE_MAX:
                code, value = "maturity.interview.score_range", {"score": str(score)}
            else:
                continue
            errors.append(Problem(f"scores.{indicator}", code, where | value))
        _raise(errors)


def _check_interviews(model: MaturityModel, interviews: Sequence[Interview]) -> None:
    if not interviews:
        raise ValidationError.of("interviews", "maturity.no_interviews")
    errors: list[Problem] = []
    seen: set[str] = set()
    for interview in interviews:
        if interview.key in seen:
            key = {"interview": interview.key}
            errors.append(Problem(interview.key, "maturity.interview.key_twice", key))
        seen.add(interview.key)
        for indicator in interview.scores:
            if not model.has_indicator(indicator):
                errors.append(
                    Problem(
                        f"{interview.key}.scores.{indicator}",
                        "maturity.interview.unknown_indicator",
                        {"interview": interview.key, "indicator": indicator},
                    )
                )
    _raise(errors)


def level_means(
    model: MaturityModel, interviews: Sequence[Interview]
) -> dict[str, dict[InterviewLevel, float | None]]:
    """Per indicator and interview level, the mean score (None where that level scored nothing).

    Examples:
        >>> m = MaturityModel((Category("c", "C", (Indicator("a", "c", "A"),)),))
        >>> level_means(m, [Interview("s1", "senior", {"a": 2}),
        ...     Interview("s2", "senior", {"a": 3})])
        {'a': {'senior': 2.5, 'middle': None, 'front_line': None}}
    """
    _check_interviews(model, interviews)
    result: dict[str, dict[InterviewLevel, float | None]] = {}
    for indicator in model.indicators:
        per_level: dict[InterviewLevel, float | None] = {}
        for level in INTERVIEW_LEVELS:
            values = [
                score
                for iv in interviews
                if iv.level == level and (score := iv.scores.get(indicator.key)) is not None
            ]
            per_level[level] = math.fsum(values) / len(values) if values else None
        result[indicator.key] = per_level
    return result


def aggregate_current(
    model: MaturityModel, interviews: Sequence[Interview]
) -> dict[str, float | None]:
    """Compute the current score per indicator: mean per level, then levels weighted.

    Levels are weighted by ``model.level_weights``; only the levels that scored an indicator
    count, and an indicator nobody scored is None (missing, never 0).
    No interviews at all raises ValidationError (``maturity.no_interviews``).

    Examples:
        >>> m = MaturityModel((Category("c", "C", (Indicator("a", "c", "A"),
        ...     Indicator("b", "c", "B"))),), level_weights={"senior": 2, "middle": 1,
        ...     "front_line": 1})
        >>> aggregate_current(m, [Interview("s", "senior", {"a": 4}),
        ...     Interview("f", "front_line", {"a": 1, "b": None})])
        {'a': 3.0, 'b': None}
    """
    means = level_means(model, interviews)
    result: dict[str, float | None] = {}
    for key, per_level in means.items():
        result[key] = _weighted_mean(
            (float(model.level_weights[level]), mean)
            for level, mean in per_level.items()
            if mean is not None
        )
    return result


# --------------------------------------------------------------------------- scores


def _check_scores(
    model: MaturityModel, scores: Mapping[str, float | None], what: str = "scores"
) -> dict[str, float | None]:
    """Validate a score map (0-5 reals or None, known keys); return it complete, in model order.

    ``what`` names the map in messages and paths ("current", "target", "benchmark" ...).
    """
    errors: list[Problem] = []
    for key, value in scores.items():
        path = f"{what}.{key}"
        where = {"what": what, "key": key}
        if not model.has_indicator(key):
            errors.append(Problem(path, "maturity.scores.unknown_indicator", where))
        elif value is not None and not _is_real(value):
            got = {"got": repr(value)}
            errors.append(Problem(path, "maturity.scores.not_number", where | got))
        elif value is not None and not SCALE_MIN <= value <= SCALE_MAX:
            got = {"score": f"{value:g}"}
            errors.append(Problem(path, "maturity.scores.range", where | got))
    _raise(errors)
    return {i.key: scores.get(i.key) for i in model.indicators}


def category_scores(
    model: MaturityModel, scores: Mapping[str, float | None]
) -> dict[str, float | None]:
    """Per category, the mean of its scored indicators weighted by effective weight.

    A critical indicator counts once, at its weight. None when no indicator of the category
    is scored.

    Examples:
        >>> m = MaturityModel((Category("c", "C", (Indicator("a", "c", "A", critical=True),
        ...     Indicator("b", "c", "B"), Indicator("x", "c", "X"))),))
        >>> category_scores(m, {"a": 4, "b": 1, "x": None})  # (1*4 + 1*1) / 2
        {'c': 2.5}
    """
    checked = _check_scores(model, scores)
    result: dict[str, float | None] = {}
    for category in model.categories:
        result[category.key] = _weighted_mean(
            (i.effective_weight, float(value))
            for i in category.indicators
            if (value := checked[i.key]) is not None
        )
    return result


def overall_score(model: MaturityModel, scores: Mapping[str, float | None]) -> float | None:
    """Weighted mean over every scored indicator of the model (not the mean of categories).

    Examples:
        >>> m = MaturityModel((Category("c", "C", (Indicator("a", "c", "A", weight=3),)),
        ...     Category("d", "D", (Indicator("b", "d", "B"),))))
        >>> overall_score(m, {"a": 4, "b": 0})  # (3*4 + 1*0) / 4
        3.0
        >>> overall_score(m, {}) is None
        True
    """
    checked = _check_scores(model, scores)
    return _weighted_mean(
        (i.effective_weight, float(value))
        for i in model.indicators
        if (value := checked[i.key]) is not None
    )


def coverage(model: MaturityModel, scores: Mapping[str, float | None]) -> float:
    """Fraction of the model's indicators that have a score (0.0-1.0).

    Examples:
        >>> m = MaturityModel((Category("c", "C", (Indicator("a", "c", "A"),
        ...     Indicator("b", "c", "B"))),))
        >>> coverage(m, {"a": 3, "b": None})
        0.5
    """
    checked = _check_scores(model, scores)
    return sum(1 for v in checked.values() if v is not None) / len(checked)


def maturity_level(model: MaturityModel, score: float) -> MaturityLevel:
    """Return the highest level whose ``min_score`` the score reaches (1e-9 tolerance).

    Examples:
        >>> m = MaturityModel((Category("c", "C", (Indicator("a", "c", "A"),)),))
        >>> [maturity_level(m, s).name for s in (0, 1.49, 1.5, 2.5, 3.5, 4.5, 5)]
        ['Initial', 'Initial', 'Repeatable', 'Defined', 'Managed', 'Optimising', 'Optimising']
    """
    if not _is_real(score):
        raise ValidationError.of("score", "maturity.level.no_score", got=repr(score))
    if not SCALE_MIN <= score <= SCALE_MAX:
        raise ValidationError.of("score", "maturity.level.score_range", score=f"{score:g}")
    reached = model.levels[0]
    for level in model.levels:
        if score + _EPS >= level.min_score:
            reached = level
    return reached


# --------------------------------------------------------------------------- gaps


@dataclass(frozen=True)
class Gap:
    """One indicator's distance to its target, benchmark and (optionally) competitor.

    Differences are ``line - current``: positive means the company is below that line.
    """

    indicator: str
    category: str
    current: float | None
    target: float | None
    benchmark: float | None
    gap_to_target: float | None
    weighted_gap: float | None
    gap_to_benchmark: float | None
    missing: bool = False
    competitor: float | None = None
    gap_to_competitor: float | None = None


def _diff(line: float | None, current: float | None) -> float | None:
    if line is None or current is None:
        return None
    return float(line) - float(current)


def gaps(
    model: MaturityModel,
    current: Mapping[str, float | None],
    target: Mapping[str, float | None],
    benchmark: Mapping[str, float | None],
    competitor: Mapping[str, float | None] | None = None,
) -> list[Gap]:
    """Every indicator's gaps, ranked by weighted gap to target (largest first, then key).

    Scored indicators without a target follow (by key), then the indicators with no current
    score, flagged ``missing`` (by key).

    Examples:
        >>> m = MaturityModel((Category("c", "C", (Indicator("a", "c", "A"),
        ...     Indicator("b", "c", "B", weight=2), Indicator("x", "c", "X"))),))
        >>> [(g.indicator, g.weighted_gap, g.missing) for g in
        ...     gaps(m, {"a": 1, "b": 3, "x": None}, {"a": 4, "b": 4, "x": 4}, {"a": 3})]
        [('a', 3.0, False), ('b', 2.0, False), ('x', None, True)]
    """
    cur = _check_scores(model, current, "current")
    tgt = _check_scores(model, target, "target")
    bench = _check_scores(model, benchmark, "benchmark")
    comp = _check_scores(model, competitor or {}, "competitor")
    result: list[Gap] = []
    for indicator in model.indicators:
        key = indicator.key
        c = _opt(cur[key])
        to_target = _diff(tgt[key], c)
        result.append(
            Gap(
                indicator=key,
                category=indicator.category,
                current=c,
                target=_opt(tgt[key]),
                benchmark=_opt(bench[key]),
                gap_to_target=to_target,
                weighted_gap=None if to_target is None else indicator.effective_weight * to_target,
                gap_to_benchmark=_diff(bench[key], c),
                missing=c is None,
                competitor=_opt(comp[key]),
                gap_to_competitor=_diff(comp[key], c),
            )
        )

    def rank(gap: Gap) -> tuple[int, float, str]:
        if gap.missing:
            return (2, 0.0, gap.indicator)
        if gap.weighted_gap is None:
            return (1, 0.0, gap.indicator)
        return (0, -gap.weighted_gap, gap.indicator)

    return sorted(result, key=rank)


# --------------------------------------------------------------------------- actions


@dataclass(frozen=True)
class ActionProposal:
    """A proposed action item for one indicator, for the lead to accept, edit or drop."""

    indicator: str
    title: str
    horizon: Horizon
    priority: int
    category: str = ""
    current: float | None = None
    target: float | None = None
    weighted_gap: float | None = None


def propose_actions(
    model: MaturityModel, gap_list: Sequence[Gap], limit: int = 10
) -> list[ActionProposal]:
    """Propose up to ``limit`` action items from the largest positive weighted gaps.

    Title: the indicator's suggested action, else "Raise <name> from X to Y". Horizon: the
    indicator's, else strategic when the gap is 2 or more or the indicator is critical, else
    tactical. Priority 1-3 by tercile of rank among the proposals (ties share the better one).

    Examples:
        >>> m = MaturityModel((Category("c", "C", (Indicator("a", "c", "Data model"),
        ...     Indicator("b", "c", "Leads", suggested_action="Set up lead routing"))),))
        >>> g = gaps(m, {"a": 1, "b": 3}, {"a": 4, "b": 4}, {})
        >>> [(p.title, p.horizon, p.priority) for p in propose_actions(m, g)]
        [('Raise Data model from 1 to 4', 'strategic', 1), ('Set up lead routing', 'tactical', 2)]
    """
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
        raise ValidationError.of("limit", "maturity.count", got=repr(limit))
    chosen = _largest_gaps(model, gap_list, limit)
    n = len(chosen)
    proposals: list[ActionProposal] = []
    for g in chosen:
        wg = g.weighted_gap or 0.0
        larger = sum(1 for other in chosen if (other.weighted_gap or 0.0) > wg + _EPS)
        proposals.append(_proposal(model.indicator(g.indicator), g, 1 + (3 * larger) // n))
    return proposals


def _largest_gaps(model: MaturityModel, gap_list: Sequence[Gap], limit: int) -> list[Gap]:
    """Up to ``limit`` scored gaps with a positive weighted gap, largest first (then by key);
    an indicator the model does not have is refused."""
    candidates = [
        g
        for g in gap_list
        if not g.missing and g.weighted_gap is not None and g.weighted_gap > _EPS
    ]
    for g in candidates:
        model.indicator(g.indicator)  # unknown key -> ValidationError
    candidates.sort(key=lambda g: (-(g.weighted_gap or 0.0), g.indicator))
    return candidates[:limit]


def _proposal(indicator: Indicator, g: Gap, priority: int) -> ActionProposal:
    """The action proposed for one gap (title and horizon: see :func:`propose_actions`)."""
    title = indicator.suggested_action or (
        f"Raise {indicator.name} from {_fmt(g.current or 0.0)} to {_fmt(g.target or 0.0)}"
    )
    return ActionProposal(
        indicator=indicator.key,
        title=title,
        horizon=_horizon(indicator, g.gap_to_target or 0.0),
        priority=priority,
        category=indicator.category,
        current=g.current,
        target=g.target,
        weighted_gap=g.weighted_gap,
    )


def _horizon(indicator: Indicator, gap_to_target: float) -> Horizon:
    """The indicator's horizon, else strategic for a gap of 2 or more or a critical one."""
    if indicator.horizon is not None:
        return indicator.horizon
    if gap_to_target + _EPS >= 2 or indicator.critical:
        return "strategic"
    return "tactical"


# --------------------------------------------------------------------------- comparison


@dataclass(frozen=True)
class Movement:
    """How one indicator moved between two assessments (``delta = after - before``)."""

    indicator: str
    before: float | None
    after: float | None
    delta: float | None


@dataclass(frozen=True)
class CategoryMovement:
    """How one category's score moved between two assessments (``delta = after - before``)."""

    category: str
    before: float | None
    after: float | None
    delta: float | None


def compare(
    model: MaturityModel,
    before: Mapping[str, float | None],
    after: Mapping[str, float | None],
) -> list[Movement]:
    """Movement per indicator, in model order; delta is None when either side is missing.

    Examples:
        >>> m = MaturityModel((Category("c", "C", (Indicator("a", "c", "A"),
        ...     Indicator("b", "c", "B"))),))
        >>> [(x.indicator, x.delta) for x in compare(m, {"a": 2, "b": None}, {"a": 3.5, "b": 4})]
        [('a', 1.5), ('b', None)]
    """
    old = _check_scores(model, before, "before")
    new = _check_scores(model, after, "after")
    return [
        Movement(
            indicator=key,
            before=_opt(old[key]),
            after=_opt(new[key]),
            delta=_diff(new[key], old[key]),
        )
        for key in old
    ]


def compare_categories(
    model: MaturityModel,
    before: Mapping[str, float | None],
    after: Mapping[str, float | None],
) -> list[CategoryMovement]:
    """Movement of each category score (see ``category_scores``), in model order.

    Examples:
        >>> m = MaturityModel((Category("c", "C", (Indicator("a", "c", "A"),
        ...     Indicator("b", "c", "B"))),))
        >>> compare_categories(m, {"a": 2, "b": 3}, {"a": 3, "b": 4})
        [CategoryMovement(category='c', before=2.5, after=3.5, delta=1.0)]
    """
    _check_scores(model, before, "before")  # name the side in messages
    _check_scores(model, after, "after")
    old = category_scores(model, before)
    new = category_scores(model, after)
    return [
        CategoryMovement(
            category=key, before=old[key], after=new[key], delta=_diff(new[key], old[key])
        )
        for key in old
    ]


# --------------------------------------------------------------------------- report helpers


@dataclass(frozen=True)
class RankedIndicator:
    """An indicator with its score, for the report's strongest/weakest lists."""

    indicator: str
    category: str
    name: str
    score: float


@dataclass(frozen=True)
class StrongestWeakest:
    """The ``n`` highest and ``n`` lowest scored indicators (the lists may overlap)."""

    strongest: tuple[RankedIndicator, ...]
    weakest: tuple[RankedIndicator, ...]


def strongest_weakest(
    model: MaturityModel, current: Mapping[str, float | None], n: int = 5
) -> StrongestWeakest:
    """List the ``n`` strongest (highest, then key) and weakest (lowest, then key) indicators.

    Only scored indicators are ranked; with fewer than ``2 * n`` scored the lists overlap.

    Examples:
        >>> m = MaturityModel((Category("c", "C", (Indicator("a", "c", "A"),
        ...     Indicator("b", "c", "B"), Indicator("x", "c", "X"))),))
        >>> sw = strongest_weakest(m, {"a": 2, "b": 4, "x": None}, n=1)
        >>> [r.indicator for r in sw.strongest], [r.indicator for r in sw.weakest]
        (['b'], ['a'])
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValidationError.of("n", "maturity.count", got=repr(n))
    checked = _check_scores(model, current, "current")
    ranked = [
        RankedIndicator(i.key, i.category, i.name, float(value))
        for i in model.indicators
        if (value := checked[i.key]) is not None
    ]
    strongest = sorted(ranked, key=lambda r: (-r.score, r.indicator))[:n]
    weakest = sorted(ranked, key=lambda r: (r.score, r.indicator))[:n]
    return StrongestWeakest(tuple(strongest), tuple(weakest))
