"""Adoption by team, region and CRM module: roll-ups, inherited targets, and the team × module
matrix judged against the playbook's module adoption tiers.

Pure: plain values and frozen dataclasses in and out.

Semantics in one place:

- A **cell** is ``(team, region, module)``; ``""`` means "all" along that dimension, so
  ``("", "", "")`` is the program figure.
- **Roll-up** (``rollup``): the mean of the cells' values weighted by the users each cell
  speaks for; cells with no users do not count; ``None`` when no cell has users.
- **Inherited target** (``inherited_target``): a cell without a target of its own for a
  phase takes the target of the nearest less specific cell, dropping the region first, then
  the module, then the team: ``(t, r, m) → (t, "", m) → (t, "", "") → ("", "", m) →`` the
  metric's own target (which itself inherits from earlier phases, see
  ``planner.domain.metrics.target_for``).
- **Tier status** (``tier_status``): a module's share of a team's users is *green* at or above
  its tier's ``min_share`` (80 / 50 / 30 % in the CMM playbooks, seed 000), *amber* within
  ``AMBER_POINTS`` percentage points below it, *red* further below; ``None`` without a value.
- **Trend** (``trend``): the change from the previous reading to the latest: ``up`` or
  ``down`` when it moves by more than ``FLAT_POINTS``, else ``flat``; ``None`` without both.
- **Lagging cell** (``lagging``): among the cells below their tier, the one furthest below
  (``min_share - value``); ties go to the team with more users, then by team and module key.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

Cell = tuple[str, str, str]
TierStatus = Literal["green", "amber", "red"]
Trend = Literal["up", "down", "flat"]

#: How far (percentage points) below its tier a cell may be and still be amber.
AMBER_POINTS = 10.0
#: A change of at most this many percentage points reads as flat.
FLAT_POINTS = 1.0

PROGRAM_CELL: Cell = ("", "", "")


def rollup(cells: Iterable[tuple[float, float]]) -> float | None:
    """The users-weighted mean of ``(value, users)`` pairs.

    Examples:
        >>> rollup([(80.0, 30), (40.0, 10)])
        70.0
        >>> rollup([(50.0, 0)]) is None
        True
    """
    total = 0.0
    weight = 0.0
    for value, users in cells:
        if users > 0:
            total += value * users
            weight += users
    return total / weight if weight > 0 else None


def fallback_cells(cell: Cell) -> list[Cell]:
    """The cells a cell inherits its target from, most specific first (itself included).

    Examples:
        >>> for cell in fallback_cells(("north", "east", "contacts")):
        ...     print(cell)
        ('north', 'east', 'contacts')
        ('north', '', 'contacts')
        ('north', '', '')
        ('', '', 'contacts')
        ('', '', '')
        >>> fallback_cells(("", "", ""))
        [('', '', '')]
    """
    team, region, module = cell
    chain = [cell, (team, "", module), (team, "", ""), ("", "", module), PROGRAM_CELL]
    out: list[Cell] = []
    for candidate in chain:
        if candidate not in out:
            out.append(candidate)
    return out


def inherited_target(
    cell_targets: Mapping[Cell, Mapping[int, float]],
    metric_targets: Mapping[int, float],
    cell: Cell,
    phase_ordinal: int,
) -> tuple[float | None, Cell | None]:
    """The target of ``cell`` for a phase and the cell it comes from (``None`` when it is the
    metric's own). Each level inherits from its own earlier phases before a less specific cell
    is asked.

    Examples:
        >>> targets = {("north", "", ""): {1: 60.0}}
        >>> inherited_target(targets, {1: 70.0, 2: 80.0}, ("north", "", "contacts"), 2)
        (60.0, ('north', '', ''))
        >>> inherited_target(targets, {1: 70.0, 2: 80.0}, ("south", "", ""), 2)
        (80.0, None)
    """
    for candidate in fallback_cells(cell):
        if candidate == PROGRAM_CELL:
            break
        found = _by_phase(cell_targets.get(candidate, {}), phase_ordinal)
        if found is not None:
            return found, candidate
    own = cell_targets.get(PROGRAM_CELL, {}) or metric_targets
    return _by_phase(own, phase_ordinal), None


def _by_phase(targets: Mapping[int, float], phase_ordinal: int) -> float | None:
    earlier = [o for o in targets if o <= phase_ordinal]
    return targets[max(earlier)] if earlier else None


def tier_status(value: float | None, min_share: float) -> TierStatus | None:
    """A module share judged against its tier.

    Examples:
        >>> [tier_status(v, 80) for v in (80.0, 71.0, 69.9, None)]
        ['green', 'amber', 'red', None]
    """
    if value is None:
        return None
    if value >= min_share - 1e-9:
        return "green"
    if value >= min_share - AMBER_POINTS - 1e-9:
        return "amber"
    return "red"


def trend(previous: float | None, latest: float | None) -> Trend | None:
    """The direction from the previous reading to the latest.

    Examples:
        >>> trend(50.0, 55.0), trend(50.0, 50.5), trend(60.0, 40.0), trend(None, 40.0)
        ('up', 'flat', 'down', None)
    """
    if previous is None or latest is None:
        return None
    if latest - previous > FLAT_POINTS:
        return "up"
    if previous - latest > FLAT_POINTS:
        return "down"
    return "flat"


@dataclass(frozen=True)
class MatrixModule:
    key: str
    tier: str
    min_share: float


@dataclass(frozen=True)
class MatrixCell:
    team: str
    module: str
    value: float | None
    previous: float | None
    min_share: float
    status: TierStatus | None
    trend: Trend | None

    @property
    def shortfall(self) -> float:
        """Percentage points below the tier (0 when at or above it, or without a value)."""
        if self.value is None:
            return 0.0
        return max(0.0, self.min_share - self.value)


@dataclass(frozen=True)
class Matrix:
    teams: tuple[str, ...]
    modules: tuple[MatrixModule, ...]
    cells: Mapping[tuple[str, str], MatrixCell]
    team_users: Mapping[str, int]

    def cell(self, team: str, module: str) -> MatrixCell | None:
        return self.cells.get((team, module))

    @property
    def empty(self) -> bool:
        return all(c.value is None for c in self.cells.values())


def build_matrix(
    teams: Sequence[str],
    modules: Sequence[MatrixModule],
    latest: Mapping[tuple[str, str], float],
    previous: Mapping[tuple[str, str], float],
    team_users: Mapping[str, int],
) -> Matrix:
    """The team × module matrix: each cell's latest value, the one before, its tier status
    and trend."""
    cells: dict[tuple[str, str], MatrixCell] = {}
    for team in teams:
        for module in modules:
            key = (team, module.key)
            value = latest.get(key)
            before = previous.get(key)
            cells[key] = MatrixCell(
                team,
                module.key,
                value,
                before,
                module.min_share,
                tier_status(value, module.min_share),
                trend(before, value),
            )
    return Matrix(tuple(teams), tuple(modules), cells, dict(team_users))


def lagging(matrix: Matrix) -> MatrixCell | None:
    """The cell furthest below its tier (None when every cell with a value meets it).

    Examples:
        >>> m = build_matrix(["a", "b"], [MatrixModule("contacts", "core", 80)],
        ...                  {("a", "contacts"): 75.0, ("b", "contacts"): 40.0}, {}, {"a": 5})
        >>> lagging(m).team
        'b'
    """
    below = [c for c in matrix.cells.values() if c.shortfall > 0]
    if not below:
        return None
    return min(
        below,
        key=lambda c: (-c.shortfall, -matrix.team_users.get(c.team, 0), c.team, c.module),
    )


def completion_rate(invited: int, attended: int) -> float | None:
    """Attendance as a percentage of the invited (None when nobody was invited).

    Examples:
        >>> completion_rate(12, 9), completion_rate(0, 0)
        (75.0, None)
    """
    if invited <= 0:
        return None
    return 100.0 * min(attended, invited) / invited
