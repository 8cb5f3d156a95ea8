"""The price of a change request: planned cost at completion with the change against the live
plan, per phase and in total.

Labour follows the working days: an item's planned labour (its assignees' planned hours at
their rates) is spread over its working days, so a change that makes an item ``n`` days
longer adds ``n`` days of that same daily labour (and a shorter item saves it). Fixed costs
(licences, hardware, services) do not depend on the dates and stay as they are. A milestone
(zero days) has no labour to scale.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

__all__ = ["ChangeCost", "CostLine", "PhaseCost", "change_cost"]


@dataclass(frozen=True)
class CostLine:
    """One work item's planned money on the live plan."""

    key: str
    phase: str
    duration: int  # working days on the live plan
    labour: float  # planned labour cost at that duration
    fixed: float = 0.0  # planned fixed costs booked on the item


@dataclass(frozen=True)
class PhaseCost:
    """A phase's planned cost at completion, now and with the change ("" = the program)."""

    phase: str
    live: float
    new: float

    @property
    def delta(self) -> float:
        return self.new - self.live


@dataclass(frozen=True)
class ChangeCost:
    currency: str
    phases: tuple[PhaseCost, ...]

    @property
    def live(self) -> float:
        return sum(p.live for p in self.phases)

    @property
    def new(self) -> float:
        return sum(p.new for p in self.phases)

    @property
    def delta(self) -> float:
        return self.new - self.live

    @property
    def moved(self) -> tuple[PhaseCost, ...]:
        """The phases whose cost the change moves (by a cent or more)."""
        return tuple(p for p in self.phases if abs(p.delta) >= 0.005)


def change_cost(
    lines: Iterable[CostLine],
    new_durations: Mapping[str, int],
    phases: Iterable[str],
    *,
    currency: str,
    other_fixed: Mapping[str, float] | None = None,
) -> ChangeCost:
    """Planned cost at completion per phase (in ``phases`` order), live and with the change.

    ``new_durations`` gives each item's working days with the change (an item not named keeps
    its live days); ``other_fixed`` holds fixed costs booked on a phase (its key) or on the
    program (key ``""``) rather than on an item.

    Examples:
        >>> lines = [CostLine("T1", "p1", 10, 8000.0, 500.0), CostLine("T2", "p2", 5, 1000.0)]
        >>> cost = change_cost(lines, {"T1": 15}, ["p1", "p2"], currency="CNY")
        >>> [(p.phase, p.live, p.new) for p in cost.phases]
        [('p1', 8500.0, 12500.0), ('p2', 1000.0, 1000.0)]
        >>> cost.delta
        4000.0
    """
    order = list(dict.fromkeys(phases))
    live: dict[str, float] = dict.fromkeys(order, 0.0)
    new: dict[str, float] = dict.fromkeys(order, 0.0)
    for line in lines:
        days = new_durations.get(line.key, line.duration)
        scaled = line.labour * days / line.duration if line.duration > 0 else line.labour
        live[line.phase] = live.get(line.phase, 0.0) + line.labour + line.fixed
        new[line.phase] = new.get(line.phase, 0.0) + scaled + line.fixed
    for phase, amount in (other_fixed or {}).items():
        live[phase] = live.get(phase, 0.0) + amount
        new[phase] = new.get(phase, 0.0) + amount
    keys = [*order, *(k for k in live if k not in order and k), *([""] if "" in live else [])]
    return ChangeCost(currency, tuple(PhaseCost(k, live[k], new[k]) for k in keys))
