"""Risk scoring: likelihood × impact, rating bands, heat maps, review diffs and exposure trends.

Everything here is pure: inputs are frozen dataclasses or plain values, outputs are plain
values, and invalid input raises :class:`~planner.domain.errors.ValidationError` with coded
problems (worded by ``planner/messages/risks.py``), e.g. ``Problem("likelihood", "risk.level",
{"value": 6})``.

Conventions used throughout:

* likelihood and impact are integers 1–5; the score is their product, 1–25;
* the *rating band* of a risk is the band of its **residual** score (after the planned
  response) unless a function takes a ``which`` argument;
* a risk is *open* while its status is ``open`` or ``mitigating``;
* keys sort naturally (``R-2`` before ``R-10``) wherever an output is ordered by key.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal, NoReturn

from planner.domain.errors import Problem, ValidationError

__all__ = [
    "ACTIVE_STATUSES",
    "ALLOWED_TRANSITIONS",
    "DEFAULT_BANDS",
    "DEFAULT_IMPACT_LEVELS",
    "DEFAULT_LIKELIHOOD_LEVELS",
    "DEFAULT_SCALE",
    "LEVELS",
    "RESPONSE_STRATEGIES",
    "SORT_KEYS",
    "STATUSES",
    "ActionSnapshot",
    "Band",
    "ExposurePoint",
    "ReviewDiff",
    "RiskScale",
    "RiskSnapshot",
    "Which",
    "band_for",
    "band_matrix",
    "changed_since",
    "check_level",
    "check_transition",
    "exposure_trend",
    "heat_map",
    "heat_map_keys",
    "register_filter",
    "score",
    "sort_risks",
    "top_risks",
]

Which = Literal["inherent", "residual"]
"""Which assessment a score, heat map or ranking uses."""

LEVELS: Final[tuple[int, ...]] = (1, 2, 3, 4, 5)
"""The valid likelihood and impact levels."""

MIN_SCORE: Final = 1
MAX_SCORE: Final = 25

RESPONSE_STRATEGIES: Final[tuple[str, ...]] = (
    "avoid",
    "mitigate",
    "transfer",
    "accept",
    "escalate",
)
"""Response strategies a risk may take, in the order a form offers them."""

STATUSES: Final[tuple[str, ...]] = ("open", "mitigating", "closed", "occurred")
"""Risk statuses in workflow order (also the order ``sort_risks(..., "status")`` uses)."""

ACTIVE_STATUSES: Final[frozenset[str]] = frozenset({"open", "mitigating"})
"""Statuses of a risk that is still live: counted in heat maps, trends and top risks."""

ALLOWED_TRANSITIONS: Final[Mapping[str, frozenset[str]]] = {
    "open": frozenset({"mitigating", "closed", "occurred"}),
    "mitigating": frozenset({"open", "closed", "occurred"}),
    "closed": frozenset({"open"}),
    "occurred": frozenset({"closed", "open"}),
}
"""Status changes allowed from each status (staying in the same status is always allowed)."""

_WHICH: Final[tuple[str, ...]] = ("inherent", "residual")


# --------------------------------------------------------------------------- helpers


def _show(value: object) -> str:
    """Render a bad value for a message: strings quoted, everything else as ``str``."""
    if isinstance(value, str):
        return f'"{value}"'
    return str(value)


def _fail(errors: list[Problem]) -> NoReturn:
    """Raise one ValidationError carrying every coded problem (worded by the renderer)."""
    raise ValidationError(problems=errors)


def _raise(errors: list[Problem]) -> None:
    """Raise one ValidationError carrying every problem, if there are any."""
    if errors:
        _fail(errors)


def _level_error(value: object, path: str) -> Problem | None:
    """The problem of an invalid level at ``path``, or None when ``value`` is 1–5."""
    if isinstance(value, bool) or not isinstance(value, int) or value not in LEVELS:
        return Problem(path, "risk.level", {"value": _show(value)})
    return None


def _natural(key: str) -> tuple[tuple[Any, ...], str]:
    """Sort key that orders ``R-2`` before ``R-10``; ties broken by the raw string."""
    parts = re.split(r"(\d+)", key)
    natural = tuple(int(p) if i % 2 else p.casefold() for i, p in enumerate(parts))
    return natural, key


def _check_which(which: object, path: str = "which") -> Which:
    """Return ``which`` if it names an assessment, else raise."""
    if which == "inherent":
        return "inherent"
    if which == "residual":
        return "residual"
    _fail([Problem(path, "risk.which", {"value": _show(which)})])


def _check_unique(risks: Sequence[RiskSnapshot], path: str = "risks") -> None:
    """Refuse a register that lists the same key twice (it would be counted twice)."""
    seen: set[str] = set()
    errors: list[Problem] = []
    for index, risk in enumerate(risks):
        if risk.key in seen:
            errors.append(Problem(f"{path}[{index}].key", "risk.key_twice", {"key": risk.key}))
        seen.add(risk.key)
    _raise(errors)


# --------------------------------------------------------------------------- scale


@dataclass(frozen=True, slots=True)
class Band:
    """A rating band: every score from ``min_score`` to ``max_score`` inclusive.

    Examples:
        >>> Band("low", 1, 4).contains(4), Band("low", 1, 4).contains(5)
        (True, False)
    """

    name: str
    min_score: int
    max_score: int

    def contains(self, value: int) -> bool:
        """Say whether ``value`` falls inside this band.

        Examples:
            >>> Band("high", 10, 16).contains(10)
            True
        """
        return self.min_score <= value <= self.max_score


DEFAULT_LIKELIHOOD_LEVELS: Final[tuple[str, ...]] = (
    "Rare",
    "Unlikely",
    "Possible",
    "Likely",
    "Almost certain",
)
DEFAULT_IMPACT_LEVELS: Final[tuple[str, ...]] = (
    "Insignificant",
    "Minor",
    "Moderate",
    "Major",
    "Severe",
)
DEFAULT_BANDS: Final[tuple[Band, ...]] = (
    Band("low", 1, 4),
    Band("medium", 5, 9),
    Band("high", 10, 16),
    Band("critical", 17, 25),
)


@dataclass(frozen=True, slots=True)
class RiskScale:
    """The playbook's 5-level labels and rating bands; checked when built.

    Bands are listed lowest first; that order is their rank. Together they must cover
    scores 1–25 with no gap and no overlap.

    Examples:
        >>> scale = RiskScale()
        >>> scale.likelihood_levels[4], scale.impact_levels[0]
        ('Almost certain', 'Insignificant')
        >>> scale.band_names
        ('low', 'medium', 'high', 'critical')
        >>> try:
        ...     RiskScale(bands=(Band("low", 1, 9), Band("high", 11, 25)))
        ... except ValidationError as error:
        ...     for p in error.problems:
        ...         print(f"{p.field}: {p.code} {dict(p.params)}")
        bands[1].min_score: risk.scale.gap {'expected': 10, 'previous': 'low', 'end': 9, 'got': 11}
    """

    likelihood_levels: tuple[str, ...] = DEFAULT_LIKELIHOOD_LEVELS
    impact_levels: tuple[str, ...] = DEFAULT_IMPACT_LEVELS
    bands: tuple[Band, ...] = DEFAULT_BANDS

    def __post_init__(self) -> None:
        """Check the scale as soon as it is built."""
        self.validate()

    def validate(self) -> None:
        """Raise ValidationError listing every problem with the labels and bands.

        Examples:
            >>> RiskScale().validate() is None
            True
        """
        errors: list[Problem] = []
        for name, labels in (
            ("likelihood_levels", self.likelihood_levels),
            ("impact_levels", self.impact_levels),
        ):
            if len(labels) != len(LEVELS):
                errors.append(
                    Problem(
                        name,
                        "risk.scale.label_count",
                        {"count": str(len(LEVELS)), "got": str(len(labels))},
                    )
                )
            for index, label in enumerate(labels):
                if not isinstance(label, str) or not label.strip():
                    errors.append(
                        Problem(f"{name}[{index}]", "risk.scale.label", {"value": _show(label)})
                    )
        if not self.bands:
            errors.append(Problem("bands", "risk.scale.no_band"))
            _fail(errors)
        names: set[str] = set()
        expected_min = MIN_SCORE
        previous: Band | None = None
        for index, band in enumerate(self.bands):
            path = f"bands[{index}]"
            if not isinstance(band.name, str) or not band.name.strip():
                errors.append(
                    Problem(f"{path}.name", "risk.scale.band_name", {"value": _show(band.name)})
                )
            elif band.name in names:
                errors.append(Problem(f"{path}.name", "risk.scale.band_twice", {"name": band.name}))
            names.add(band.name)
            if band.min_score != expected_min and previous is None:
                errors.append(
                    Problem(f"{path}.min_score", "risk.scale.first_min", {"got": band.min_score})
                )
            elif band.min_score != expected_min and previous is not None:
                errors.append(
                    Problem(
                        f"{path}.min_score",
                        "risk.scale.gap",
                        {
                            "expected": expected_min,
                            "previous": previous.name,
                            "end": previous.max_score,
                            "got": band.min_score,
                        },
                    )
                )
            if band.max_score < band.min_score:
                errors.append(
                    Problem(
                        f"{path}.max_score",
                        "risk.scale.max_below_min",
                        {"min": band.min_score, "got": band.max_score},
                    )
                )
            expected_min = band.max_score + 1
            previous = band
        last = self.bands[-1]
        if last.max_score != MAX_SCORE:
            errors.append(
                Problem(
                    f"bands[{len(self.bands) - 1}].max_score",
                    "risk.scale.last_max",
                    {"got": last.max_score},
                )
            )
        _raise(errors)

    @property
    def band_names(self) -> tuple[str, ...]:
        """Band names lowest first.

        Examples:
            >>> RiskScale().band_names[-1]
            'critical'
        """
        return tuple(band.name for band in self.bands)

    def band_for(self, value: int) -> str:
        """Name the band a score 1–25 falls in.

        Examples:
            >>> RiskScale().band_for(9), RiskScale().band_for(10)
            ('medium', 'high')
        """
        if isinstance(value, bool) or not isinstance(value, int):
            _fail([Problem("score", "risk.score", {"value": _show(value)})])
        for band in self.bands:
            if band.contains(value):
                return band.name
        _fail([Problem("score", "risk.score", {"value": _show(value)})])

    def band_rank(self, name: str) -> int:
        """Rank of a band, 0 for the lowest.

        Examples:
            >>> RiskScale().band_rank("low"), RiskScale().band_rank("critical")
            (0, 3)
        """
        for rank, band in enumerate(self.bands):
            if band.name == name:
                return rank
        known = ", ".join(self.band_names)
        _fail([Problem("band", "risk.band_unknown", {"value": _show(name), "known": known})])

    def likelihood_label(self, level: int) -> str:
        """Label of a likelihood level 1–5.

        Examples:
            >>> RiskScale().likelihood_label(3)
            'Possible'
        """
        return self.likelihood_levels[check_level(level, "likelihood") - 1]

    def impact_label(self, level: int) -> str:
        """Label of an impact level 1–5.

        Examples:
            >>> RiskScale().impact_label(5)
            'Severe'
        """
        return self.impact_levels[check_level(level, "impact") - 1]


DEFAULT_SCALE: Final = RiskScale()
"""The playbook's default scale: five labels each side, bands low/medium/high/critical."""


# --------------------------------------------------------------------------- scoring


def check_level(value: object, field: str = "level") -> int:
    """Return ``value`` if it is a likelihood or impact level 1–5, else raise.

    Booleans, floats and strings are refused even when they look like a level.

    Examples:
        >>> check_level(3, "impact")
        3
        >>> try:
        ...     check_level("high", "likelihood")
        ... except ValidationError as error:
        ...     for p in error.problems:
        ...         print(f"{p.field}: {p.code} {dict(p.params)}")
        likelihood: risk.level {'value': '"high"'}
    """
    problem = _level_error(value, field)
    if problem is not None:
        _raise([problem])
    assert isinstance(value, int)
    return value


def score(likelihood: int, impact: int) -> int:
    """Score a risk: likelihood × impact, each 1–5, so 1–25.

    Examples:
        >>> score(3, 4)
        12
        >>> try:
        ...     score(6, 2)
        ... except ValidationError as error:
        ...     for p in error.problems:
        ...         print(f"{p.field}: {p.code} {dict(p.params)}")
        likelihood: risk.level {'value': '6'}
    """
    errors = [
        problem
        for name, value in (("likelihood", likelihood), ("impact", impact))
        if (problem := _level_error(value, name)) is not None
    ]
    _raise(errors)
    return likelihood * impact


def band_for(value: int, scale: RiskScale = DEFAULT_SCALE) -> str:
    """Name the rating band of a score 1–25 on ``scale``.

    Examples:
        >>> [band_for(s) for s in (4, 5, 9, 10, 16, 17)]
        ['low', 'medium', 'medium', 'high', 'high', 'critical']
    """
    return scale.band_for(value)


def band_matrix(scale: RiskScale = DEFAULT_SCALE) -> list[list[str]]:
    """Band of every heat-map cell, indexed ``[likelihood - 1][impact - 1]`` (for colouring).

    Examples:
        >>> m = band_matrix()
        >>> m[0][0], m[2][2], m[3][3], m[4][4]
        ('low', 'medium', 'high', 'critical')
    """
    return [[scale.band_for(lk * im) for im in LEVELS] for lk in LEVELS]


# --------------------------------------------------------------------------- status


def check_transition(old: str, new: str) -> None:
    """Raise ValidationError unless a risk may move from status ``old`` to ``new``.

    Staying in the same status is allowed. A closed risk must be reopened before it can
    be mitigated again.

    Examples:
        >>> check_transition("open", "mitigating") is None
        True
        >>> try:
        ...     check_transition("closed", "mitigating")
        ... except ValidationError as error:
        ...     for p in error.problems:
        ...         print(f"{p.field}: {p.code} {dict(p.params)}")
        status: risk.transition_reopen {'old': 'closed', 'new': 'mitigating', 'allowed': ('open',)}
    """
    known = ", ".join(STATUSES)
    _raise(
        [
            Problem("status", "risk.status_unknown", {"value": _show(value), "known": known})
            for value in dict.fromkeys((old, new))
            if value not in ALLOWED_TRANSITIONS
        ]
    )
    if old == new or new in ALLOWED_TRANSITIONS[old]:
        return
    allowed = tuple(s for s in STATUSES if s in ALLOWED_TRANSITIONS[old])
    code = "risk.transition_reopen" if allowed == ("open",) else "risk.transition"
    _raise([Problem("status", code, {"old": old, "new": new, "allowed": allowed})])


# --------------------------------------------------------------------------- snapshots


@dataclass(frozen=True, slots=True)
class ActionSnapshot:
    """A mitigation action: overdue when not done and its due date has passed.

    Examples:
        >>> a = ActionSnapshot("Train super-users", "Li", dt.date(2024, 3, 1), done=False)
        >>> a.is_overdue(dt.date(2024, 3, 1)), a.is_overdue(dt.date(2024, 3, 2))
        (False, True)
    """

    title: str
    owner: str | None = None
    due: dt.date | None = None
    done: bool = False

    def is_overdue(self, as_of: dt.date) -> bool:
        """Say whether the action is still open after its due date (due today is not late).

        Examples:
            >>> ActionSnapshot("x", due=dt.date(2024, 1, 1), done=True).is_overdue(
            ...     dt.date(2024, 6, 1))
            False
        """
        return not self.done and self.due is not None and self.due < as_of


@dataclass(frozen=True, slots=True)
class RiskSnapshot:
    """One risk as it stood at a moment: enough to score, map, filter and compare it.

    ``residual_likelihood`` or ``residual_impact`` left as None means "not reassessed":
    the inherent value is used for that side. Levels and status are checked when built.
    ``phase`` is the phase by which the risk would strike (its proximity, used to sort);
    ``threatened_phases`` lists further phases it is linked to (a phase filter matches both).

    Examples:
        >>> r = RiskSnapshot("R-1", "Resistance to change", "open", inherent_likelihood=4,
        ...                  inherent_impact=5, residual_likelihood=2)
        >>> r.inherent_score, r.residual_score, r.residual_band, r.is_open
        (20, 10, 'high', True)
    """

    key: str
    title: str
    status: str = "open"
    category: str | None = None
    owner: str | None = None
    inherent_likelihood: int = 1
    inherent_impact: int = 1
    residual_likelihood: int | None = None
    residual_impact: int | None = None
    review_date: dt.date | None = None
    actions: tuple[ActionSnapshot, ...] = ()
    phase: str | None = None
    threatened_phases: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        """Check key, status and levels as soon as the snapshot is built."""
        where = f"risk {self.key}" if isinstance(self.key, str) and self.key.strip() else "risk"
        errors: list[Problem] = []
        if not isinstance(self.key, str) or not self.key.strip():
            errors.append(Problem(f"{where}.key", "risk.key_missing", {"value": _show(self.key)}))
        if self.status not in ALLOWED_TRANSITIONS:
            errors.append(
                Problem(
                    f"{where}.status",
                    "risk.status_unknown",
                    {"value": _show(self.status), "known": ", ".join(STATUSES)},
                )
            )
        levels: list[tuple[str, object, bool]] = [
            ("inherent_likelihood", self.inherent_likelihood, False),
            ("inherent_impact", self.inherent_impact, False),
            ("residual_likelihood", self.residual_likelihood, True),
            ("residual_impact", self.residual_impact, True),
        ]
        for name, value, optional in levels:
            if optional and value is None:
                continue
            problem = _level_error(value, f"{where}.{name}")
            if problem is not None:
                errors.append(problem)
        _raise(errors)

    def touches_phase(self, phases: Collection[str]) -> bool:
        """Say whether the proximity phase or any threatened phase is in ``phases``.

        Examples:
            >>> r = RiskSnapshot("R-1", "t", phase="pilot", threatened_phases=("design",))
            >>> r.touches_phase({"design"}), r.touches_phase({"rollout"})
            (True, False)
        """
        return self.phase in phases or any(p in phases for p in self.threatened_phases)

    @property
    def effective_residual_likelihood(self) -> int:
        """Residual likelihood, or the inherent one when not reassessed."""
        if self.residual_likelihood is None:
            return self.inherent_likelihood
        return self.residual_likelihood

    @property
    def effective_residual_impact(self) -> int:
        """Residual impact, or the inherent one when not reassessed."""
        if self.residual_impact is None:
            return self.inherent_impact
        return self.residual_impact

    @property
    def inherent_score(self) -> int:
        """Inherent likelihood × impact.

        Examples:
            >>> RiskSnapshot("R-1", "t", inherent_likelihood=3, inherent_impact=3).inherent_score
            9
        """
        return self.inherent_likelihood * self.inherent_impact

    @property
    def residual_score(self) -> int:
        """Residual likelihood × impact (inherent values where not reassessed).

        Examples:
            >>> RiskSnapshot("R-1", "t", inherent_likelihood=3, inherent_impact=3,
            ...              residual_impact=1).residual_score
            3
        """
        return self.effective_residual_likelihood * self.effective_residual_impact

    @property
    def residual_band(self) -> str:
        """Band of the residual score on the default scale (use :meth:`band` for another)."""
        return DEFAULT_SCALE.band_for(self.residual_score)

    def cell(self, which: Which = "residual") -> tuple[int, int]:
        """Return the ``(likelihood, impact)`` heat-map cell of one assessment.

        Examples:
            >>> RiskSnapshot("R-1", "t", inherent_likelihood=4, inherent_impact=2,
            ...              residual_likelihood=1).cell("residual")
            (1, 2)
        """
        if _check_which(which) == "inherent":
            return self.inherent_likelihood, self.inherent_impact
        return self.effective_residual_likelihood, self.effective_residual_impact

    def score_of(self, which: Which = "residual") -> int:
        """Inherent or residual score.

        Examples:
            >>> RiskSnapshot("R-1", "t", inherent_likelihood=4, inherent_impact=2).score_of(
            ...     "inherent")
            8
        """
        likelihood, impact = self.cell(which)
        return likelihood * impact

    def band(self, which: Which = "residual", scale: RiskScale = DEFAULT_SCALE) -> str:
        """Band of the inherent or residual score on ``scale``.

        Examples:
            >>> RiskSnapshot("R-1", "t", inherent_likelihood=5, inherent_impact=4).band(
            ...     "inherent")
            'critical'
        """
        return scale.band_for(self.score_of(which))

    @property
    def is_open(self) -> bool:
        """Say whether the status is ``open`` or ``mitigating``.

        Examples:
            >>> RiskSnapshot("R-1", "t", status="occurred").is_open
            False
        """
        return self.status in ACTIVE_STATUSES

    def overdue_review(self, as_of: dt.date) -> bool:
        """Say whether an open risk's next review date is before ``as_of``.

        Closed and occurred risks are never overdue for review; a review due today is not
        late yet.

        Examples:
            >>> r = RiskSnapshot("R-1", "t", review_date=dt.date(2024, 5, 1))
            >>> r.overdue_review(dt.date(2024, 5, 1)), r.overdue_review(dt.date(2024, 5, 2))
            (False, True)
        """
        return self.is_open and self.review_date is not None and self.review_date < as_of

    def overdue_actions(self, as_of: dt.date) -> tuple[ActionSnapshot, ...]:
        """Actions of an open risk not done by their due date, earliest due first.

        Closed and occurred risks report none: their actions no longer need chasing.

        Examples:
            >>> r = RiskSnapshot("R-1", "t", actions=(
            ...     ActionSnapshot("b", due=dt.date(2024, 2, 1)),
            ...     ActionSnapshot("a", due=dt.date(2024, 1, 1)),
            ...     ActionSnapshot("c", due=dt.date(2024, 1, 1), done=True)))
            >>> [a.title for a in r.overdue_actions(dt.date(2024, 3, 1))]
            ['a', 'b']
        """
        if not self.is_open:
            return ()
        late = [a for a in self.actions if a.is_overdue(as_of)]
        return tuple(sorted(late, key=lambda a: (a.due or dt.date.min, a.title)))

    def is_overdue(self, as_of: dt.date) -> bool:
        """Say whether the review or any action is overdue.

        Examples:
            >>> RiskSnapshot("R-1", "t").is_overdue(dt.date(2024, 1, 1))
            False
        """
        return self.overdue_review(as_of) or bool(self.overdue_actions(as_of))


# --------------------------------------------------------------------------- heat map


def heat_map(
    risks: Iterable[RiskSnapshot], which: Which = "residual", open_only: bool = True
) -> list[list[int]]:
    """Count risks per cell of the 5×5 grid, indexed ``[likelihood - 1][impact - 1]``.

    Examples:
        >>> rs = [RiskSnapshot("R-1", "t", inherent_likelihood=2, inherent_impact=3),
        ...       RiskSnapshot("R-2", "t", inherent_likelihood=2, inherent_impact=3),
        ...       RiskSnapshot("R-3", "t", "closed", inherent_likelihood=5, inherent_impact=5)]
        >>> m = heat_map(rs, "inherent")
        >>> m[1][2], m[4][4], sum(map(sum, m))
        (2, 0, 2)
    """
    keys = heat_map_keys(risks, which, open_only)
    return [[len(cell) for cell in row] for row in keys]


def heat_map_keys(
    risks: Iterable[RiskSnapshot], which: Which = "residual", open_only: bool = True
) -> list[list[list[str]]]:
    """Risk keys per heat-map cell, naturally sorted, indexed ``[likelihood - 1][impact - 1]``.

    Examples:
        >>> rs = [RiskSnapshot("R-10", "t", inherent_likelihood=1, inherent_impact=2),
        ...       RiskSnapshot("R-9", "t", inherent_likelihood=1, inherent_impact=2)]
        >>> heat_map_keys(rs)[0][1]
        ['R-9', 'R-10']
    """
    which = _check_which(which)
    listed = list(risks)
    _check_unique(listed)
    grid: list[list[list[str]]] = [[[] for _ in LEVELS] for _ in LEVELS]
    for risk in listed:
        if open_only and not risk.is_open:
            continue
        likelihood, impact = risk.cell(which)
        grid[likelihood - 1][impact - 1].append(risk.key)
    for row in grid:
        for cell in row:
            cell.sort(key=_natural)
    return grid


# --------------------------------------------------------------------------- rankings


def top_risks(
    risks: Iterable[RiskSnapshot], n: int = 10, which: Which = "residual"
) -> list[RiskSnapshot]:
    """Return the ``n`` open risks with the highest score; ties by key (natural order).

    Examples:
        >>> rs = [RiskSnapshot("R-2", "t", inherent_likelihood=3, inherent_impact=3),
        ...       RiskSnapshot("R-1", "t", inherent_likelihood=3, inherent_impact=3),
        ...       RiskSnapshot("R-3", "t", inherent_likelihood=5, inherent_impact=5)]
        >>> [r.key for r in top_risks(rs, n=2)]
        ['R-3', 'R-1']
    """
    which = _check_which(which)
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        _raise([Problem("n", "risk.count", {"value": _show(n)})])
    listed = list(risks)
    _check_unique(listed)
    live = [r for r in listed if r.is_open]
    live.sort(key=lambda r: _natural(r.key))
    live.sort(key=lambda r: r.score_of(which), reverse=True)
    return live[:n]


# --------------------------------------------------------------------------- review diff


@dataclass(frozen=True, slots=True)
class ReviewDiff:
    """What changed between two steering reviews of the register.

    Key lists are in natural key order; overdue lists are oldest date first, then key.
    Score and band changes cover risks present in both reviews and open now.
    """

    new: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    closed: tuple[str, ...] = ()
    occurred: tuple[str, ...] = ()
    reopened: tuple[str, ...] = ()
    score_up: tuple[tuple[str, int, int], ...] = ()
    score_down: tuple[tuple[str, int, int], ...] = ()
    band_changes: tuple[tuple[str, str, str], ...] = ()
    overdue_actions: tuple[tuple[str, str, dt.date], ...] = ()
    overdue_reviews: tuple[tuple[str, dt.date], ...] = ()

    @property
    def is_empty(self) -> bool:
        """Say whether nothing changed and nothing is overdue.

        Examples:
            >>> ReviewDiff().is_empty
            True
        """
        return not any(
            (
                self.new,
                self.removed,
                self.closed,
                self.occurred,
                self.reopened,
                self.score_up,
                self.score_down,
                self.band_changes,
                self.overdue_actions,
                self.overdue_reviews,
            )
        )


def changed_since(
    previous: Sequence[RiskSnapshot],
    current: Sequence[RiskSnapshot],
    as_of: dt.date,
    scale: RiskScale = DEFAULT_SCALE,
) -> ReviewDiff:
    """Compare the register at the previous review with the register now.

    * ``new``: keys not in ``previous``; ``removed``: keys no longer in ``current``;
    * ``closed`` / ``occurred``: risks in both whose status became that status;
    * ``reopened``: risks in both that were closed or occurred and are open again;
    * ``score_up`` / ``score_down``: ``(key, old, new)`` residual scores of risks in both
      that are open now; ``band_changes``: ``(key, old band, new band)`` for the same;
    * ``overdue_actions`` ``(key, title, due)`` and ``overdue_reviews`` ``(key, date)``:
      of open risks now, as of ``as_of``.

    Examples:
        >>> before = [RiskSnapshot("R-1", "t", inherent_likelihood=2, inherent_impact=2)]
        >>> after = [RiskSnapshot("R-1", "t", inherent_likelihood=3, inherent_impact=2),
        ...          RiskSnapshot("R-2", "t")]
        >>> d = changed_since(before, after, dt.date(2024, 1, 1))
        >>> d.new, d.score_up, d.band_changes
        (('R-2',), (('R-1', 4, 6),), (('R-1', 'low', 'medium'),))
    """
    _check_unique(previous, "previous")
    _check_unique(current, "current")
    before = {r.key: r for r in previous}
    now = {r.key: r for r in current}
    both = sorted(before.keys() & now.keys(), key=_natural)

    new = tuple(sorted(now.keys() - before.keys(), key=_natural))
    removed = tuple(sorted(before.keys() - now.keys(), key=_natural))
    closed = tuple(k for k in both if now[k].status == "closed" and before[k].status != "closed")
    occurred = tuple(
        k for k in both if now[k].status == "occurred" and before[k].status != "occurred"
    )
    reopened = tuple(k for k in both if now[k].is_open and not before[k].is_open)

    score_up, score_down, band_changes = _score_changes(before, now, both, scale)
    overdue_actions, overdue_reviews = _overdue_now(current, as_of)

    return ReviewDiff(
        new=new,
        removed=removed,
        closed=closed,
        occurred=occurred,
        reopened=reopened,
        score_up=score_up,
        score_down=score_down,
        band_changes=band_changes,
        overdue_actions=overdue_actions,
        overdue_reviews=overdue_reviews,
    )


def _score_changes(
    before: dict[str, RiskSnapshot],
    now: dict[str, RiskSnapshot],
    both: list[str],
    scale: RiskScale,
) -> tuple[
    tuple[tuple[str, int, int], ...],
    tuple[tuple[str, int, int], ...],
    tuple[tuple[str, str, str], ...],
]:
    """Residual scores up, down, and band changes of the risks in both that are open now."""
    score_up: list[tuple[str, int, int]] = []
    score_down: list[tuple[str, int, int]] = []
    band_changes: list[tuple[str, str, str]] = []
    for key in both:
        old, cur = before[key], now[key]
        if not cur.is_open:
            continue
        if cur.residual_score > old.residual_score:
            score_up.append((key, old.residual_score, cur.residual_score))
        elif cur.residual_score < old.residual_score:
            score_down.append((key, old.residual_score, cur.residual_score))
        old_band = scale.band_for(old.residual_score)
        new_band = scale.band_for(cur.residual_score)
        if old_band != new_band:
            band_changes.append((key, old_band, new_band))
    return tuple(score_up), tuple(score_down), tuple(band_changes)


def _overdue_now(
    current: Sequence[RiskSnapshot], as_of: dt.date
) -> tuple[tuple[tuple[str, str, dt.date], ...], tuple[tuple[str, dt.date], ...]]:
    """Overdue actions ``(key, title, due)`` and reviews ``(key, date)`` of the register now,
    by date then key."""
    overdue_actions = [
        (r.key, a.title, a.due)
        for r in current
        for a in r.overdue_actions(as_of)
        if a.due is not None
    ]
    overdue_actions.sort(key=lambda t: (t[2], _natural(t[0]), t[1]))
    overdue_reviews = [
        (r.key, r.review_date)
        for r in current
        if r.overdue_review(as_of) and r.review_date is not None
    ]
    overdue_reviews.sort(key=lambda t: (t[1], _natural(t[0])))
    return tuple(overdue_actions), tuple(overdue_reviews)


# --------------------------------------------------------------------------- exposure trend


@dataclass(frozen=True, slots=True)
class ExposurePoint:
    """Open-risk exposure on one date: count and total residual score per band.

    Both dicts list every band of the scale, lowest first, zero where empty.
    """

    date: dt.date
    counts_by_band: dict[str, int] = field(default_factory=dict)
    total_score_by_band: dict[str, int] = field(default_factory=dict)
    total_score: int = 0

    @property
    def count(self) -> int:
        """Number of open risks on this date.

        Examples:
            >>> ExposurePoint(dt.date(2024, 1, 1), {"low": 2, "high": 1}).count
            3
        """
        return sum(self.counts_by_band.values())


def exposure_trend(
    snapshots_by_date: Mapping[dt.date, Sequence[RiskSnapshot]],
    scale: RiskScale = DEFAULT_SCALE,
) -> list[ExposurePoint]:
    """Count and total residual score of open risks by band, one point per date, ascending.

    Examples:
        >>> reg = {dt.date(2024, 2, 1): [RiskSnapshot("R-1", "t", inherent_likelihood=4,
        ...                                           inherent_impact=5)],
        ...        dt.date(2024, 1, 1): []}
        >>> [(p.date.month, p.counts_by_band["critical"], p.total_score)
        ...  for p in exposure_trend(reg)]
        [(1, 0, 0), (2, 1, 20)]
    """
    points: list[ExposurePoint] = []
    for day in sorted(snapshots_by_date):
        risks = snapshots_by_date[day]
        _check_unique(risks, f"snapshots[{day.isoformat()}]")
        counts = dict.fromkeys(scale.band_names, 0)
        totals = dict.fromkeys(scale.band_names, 0)
        for risk in risks:
            if not risk.is_open:
                continue
            value = risk.residual_score
            band = scale.band_for(value)
            counts[band] += 1
            totals[band] += value
        points.append(ExposurePoint(day, counts, totals, sum(totals.values())))
    return points


# --------------------------------------------------------------------------- register table


def _as_set(value: str | Collection[str], path: str) -> frozenset[str]:
    """One filter value or several, as a set; an empty collection is refused."""
    values = frozenset([value]) if isinstance(value, str) else frozenset(value)
    if not values:
        _raise([Problem(path, "risk.filter.empty")])
    return values


def register_filter(
    risks: Iterable[RiskSnapshot],
    *,
    status: str | Collection[str] | None = None,
    band: str | Collection[str] | None = None,
    owner: str | Collection[str] | None = None,
    phase: str | Collection[str] | None = None,
    category: str | Collection[str] | None = None,
    overdue: bool | Literal["review", "action"] | None = None,
    cell: tuple[int, int, Which] | None = None,
    as_of: dt.date | None = None,
    scale: RiskScale = DEFAULT_SCALE,
) -> list[RiskSnapshot]:
    """Risks matching every given filter, in their original order.

    Each of ``status``, ``band``, ``owner``, ``phase`` and ``category`` takes one value or
    several (any matches); ``phase`` matches the proximity phase or a threatened phase.
    ``band`` is the residual band. ``overdue=True`` keeps risks with an overdue review or
    action, ``False`` those with neither, ``"review"`` / ``"action"`` one kind; it needs
    ``as_of``. ``cell=(likelihood, impact, which)`` keeps exactly the risks that heat-map
    cell lists: open risks only, so clicking a cell shows its count.

    Examples:
        >>> rs = [RiskSnapshot("R-1", "t", owner="Li", inherent_likelihood=5, inherent_impact=4),
        ...       RiskSnapshot("R-2", "t", owner="Wang", inherent_likelihood=1, inherent_impact=2),
        ...       RiskSnapshot("R-3", "t", owner="Li", status="closed")]
        >>> [r.key for r in register_filter(rs, owner="Li")]
        ['R-1', 'R-3']
        >>> [r.key for r in register_filter(rs, band=("critical", "medium"))]
        ['R-1']
        >>> [r.key for r in register_filter(rs, cell=(1, 2, "residual"))]
        ['R-2']
    """
    tests: list[_Test] = []
    errors: list[Problem] = []
    if status is not None:
        statuses = _as_set(status, "status")
        errors += _unknown(statuses, STATUSES, "status", "risk.status_unknown")
        tests.append(lambda r: r.status in statuses)
    if band is not None:
        bands = _as_set(band, "band")
        errors += _unknown(bands, scale.band_names, "band", "risk.band_unknown")
        tests.append(lambda r: scale.band_for(r.residual_score) in bands)
    if owner is not None:
        owners = _as_set(owner, "owner")
        tests.append(lambda r: r.owner in owners)
    if phase is not None:
        phases = _as_set(phase, "phase")
        tests.append(lambda r: r.touches_phase(phases))
    if category is not None:
        categories = _as_set(category, "category")
        tests.append(lambda r: r.category in categories)
    if overdue is not None:
        tests += _overdue_test(overdue, as_of, errors)
    if cell is not None:
        tests += _cell_test(cell, errors)
    _raise(errors)
    return [r for r in risks if all(test(r) for test in tests)]


_Test = Callable[[RiskSnapshot], bool]


def _unknown(values: frozenset[str], known: Sequence[str], path: str, code: str) -> list[Problem]:
    """The problem of filter values outside ``known``, if any."""
    unknown = sorted(values - set(known), key=str)
    if not unknown:
        return []
    params = {"value": ", ".join(map(_show, unknown)), "known": ", ".join(known)}
    return [Problem(path, code, params)]


def _overdue_test(
    overdue: bool | Literal["review", "action"], as_of: dt.date | None, errors: list[Problem]
) -> list[_Test]:
    """The test of the ``overdue`` filter (none when it is refused: see the errors)."""
    if as_of is None:
        errors.append(Problem("as_of", "risk.filter.as_of"))
        return []
    day = as_of
    if overdue is True:
        return [lambda r: r.is_overdue(day)]
    if overdue is False:
        return [lambda r: not r.is_overdue(day)]
    if overdue == "review":
        return [lambda r: r.overdue_review(day)]
    if overdue == "action":
        return [lambda r: bool(r.overdue_actions(day))]
    errors.append(Problem("overdue", "risk.filter.overdue", {"value": _show(overdue)}))
    return []


def _cell_test(cell: tuple[int, int, Which], errors: list[Problem]) -> list[_Test]:
    """The test of the ``cell`` filter: open risks in that heat-map cell."""
    if not isinstance(cell, tuple) or len(cell) != 3:
        errors.append(Problem("cell", "risk.filter.cell", {"value": _show(cell)}))
        return []
    cell_likelihood, cell_impact, cell_which = cell
    for path, value in (("cell.likelihood", cell_likelihood), ("cell.impact", cell_impact)):
        problem = _level_error(value, path)
        if problem is not None:
            errors.append(problem)
    if cell_which not in _WHICH:
        errors.append(Problem("cell.which", "risk.which", {"value": _show(cell_which)}))
    target = (cell_likelihood, cell_impact)
    return [lambda r: r.is_open and r.cell(cell_which) == target]


SORT_KEYS: Final[tuple[str, ...]] = (
    "key",
    "title",
    "status",
    "category",
    "owner",
    "phase",
    "inherent_score",
    "residual_score",
    "inherent_band",
    "residual_band",
    "review_date",
)
"""Columns the register table may sort on."""


def _text(value: str | None) -> tuple[str, str] | None:
    """Case-insensitive sort value for text; None stays None (sorted last)."""
    return None if value is None else (value.casefold(), value)


def _sort_value(column: str, scale: RiskScale) -> Callable[[RiskSnapshot], Any]:
    """Return the function giving the value a risk sorts by in ``column``."""
    values: dict[str, Callable[[RiskSnapshot], Any]] = {
        "key": lambda r: _natural(r.key),
        "title": lambda r: _text(r.title),
        "status": lambda r: STATUSES.index(r.status),
        "category": lambda r: _text(r.category),
        "owner": lambda r: _text(r.owner),
        "phase": lambda r: _text(r.phase),
        "inherent_score": lambda r: r.inherent_score,
        "residual_score": lambda r: r.residual_score,
        "inherent_band": lambda r: scale.band_rank(r.band("inherent", scale)),
        "residual_band": lambda r: scale.band_rank(r.band("residual", scale)),
        "review_date": lambda r: r.review_date,
    }
    return values[column]


def sort_risks(
    risks: Iterable[RiskSnapshot],
    key: str = "key",
    descending: bool = False,
    scale: RiskScale = DEFAULT_SCALE,
) -> list[RiskSnapshot]:
    """Sort the register table by one column of :data:`SORT_KEYS`.

    Text sorts case-insensitively, keys naturally (``R-2`` before ``R-10``), status in
    workflow order, bands by rank on ``scale``. Ties keep key order (ascending, whatever the
    direction) and blanks (no owner, phase, category or review date) always come last.

    Examples:
        >>> rs = [RiskSnapshot("R-10", "b", inherent_likelihood=2, inherent_impact=2),
        ...       RiskSnapshot("R-2", "a", inherent_likelihood=2, inherent_impact=2),
        ...       RiskSnapshot("R-1", "c", inherent_likelihood=1, inherent_impact=1)]
        >>> [r.key for r in sort_risks(rs, "residual_score", descending=True)]
        ['R-2', 'R-10', 'R-1']
        >>> try:
        ...     sort_risks(rs, "colour")
        ... except ValidationError as error:
        ...     for p in error.problems:
        ...         print(f"{p.field}: {p.code} {dict(p.params)}")
        sort: risk.sort_unknown {'value': '"colour"', 'known': 'key, title, status, category, \
owner, phase, inherent_score, residual_score, inherent_band, residual_band, review_date'}
    """
    if key not in SORT_KEYS:
        _fail(
            [
                Problem(
                    "sort",
                    "risk.sort_unknown",
                    {"value": _show(key), "known": ", ".join(SORT_KEYS)},
                )
            ]
        )
    value_of = _sort_value(key, scale)
    ordered = sorted(risks, key=lambda r: _natural(r.key))
    present = [r for r in ordered if value_of(r) is not None]
    blank = [r for r in ordered if value_of(r) is None]
    present.sort(key=value_of, reverse=descending)
    return present + blank
