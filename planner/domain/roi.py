"""Return on a rollout: cash flows per period, NPV, ROI, payback and a sensitivity table.

Periods are months (``PERIODS_PER_YEAR``); period 0 is the program's first month. A flow is
benefit minus cost in that period. The discount rate is annual; each month's flow is
discounted by ``(1 + rate) ** (t / 12)``, so a yearly series (t = 0, 12, 24 …) gives the
textbook annual NPV.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "PERIODS_PER_YEAR",
    "Sensitivity",
    "npv",
    "payback_period",
    "realisation",
    "roi",
    "sensitivity",
]

PERIODS_PER_YEAR = 12


def npv(rate: float, flows: Sequence[float], periods_per_year: int = PERIODS_PER_YEAR) -> float:
    """Net present value of ``flows`` (flow t at period t) at the annual ``rate``.

    Examples:
        >>> round(npv(0.10, [-1000, 500, 500, 500], periods_per_year=1), 2)  # textbook
        243.43
        >>> npv(0.0, [-100, 60, 60], periods_per_year=1)
        20.0
    """
    return float(sum(f / (1 + rate) ** (t / periods_per_year) for t, f in enumerate(flows)))


def roi(total_benefit: float, total_cost: float) -> float | None:
    """Return on investment, ``(benefit − cost) / cost``; None without a cost.

    Examples:
        >>> roi(150_000, 100_000)
        0.5
        >>> roi(10, 0) is None
        True
    """
    if total_cost <= 0:
        return None
    return (total_benefit - total_cost) / total_cost


def payback_period(flows: Sequence[float]) -> float | None:
    """Periods until the cumulative flow turns non-negative (interpolated within the
    period it happens in); None if it never does in the horizon, or if there is no flow at
    all (nothing spent, nothing gained: nothing pays back).

    Examples:
        >>> payback_period([-1000, 400, 400, 400])  # 2.5 years in a yearly series
        2.5
        >>> payback_period([-100, 10]) is None
        True
        >>> payback_period([0.0, 0.0, 0.0]) is None
        True
    """
    if not any(flows):
        return None
    cumulative = 0.0
    for t, flow in enumerate(flows):
        before = cumulative
        cumulative += flow
        if cumulative >= 0 and before < 0:
            return t - 1 + (-before / flow)
        if cumulative >= 0 and t == 0 and flow >= 0:
            return 0.0
    return None


def realisation(months_since_go_live: int, ramp_months: int) -> float:
    """The share of a benefit realised in a month after go-live: a straight ramp to 100 %.

    Examples:
        >>> [realisation(m, 4) for m in (-1, 0, 1, 4, 9)]
        [0.0, 0.0, 0.25, 1.0, 1.0]
        >>> realisation(1, 0)
        1.0
    """
    if months_since_go_live <= 0:
        return 0.0
    if ramp_months <= 0:
        return 1.0
    return min(1.0, months_since_go_live / ramp_months)


@dataclass(frozen=True)
class Sensitivity:
    """NPV for each (discount rate, benefit multiplier) pair."""

    rates: tuple[float, ...]
    multipliers: tuple[float, ...]
    npv: tuple[tuple[float, ...], ...]  # npv[i][j]: rates[i], multipliers[j]


def sensitivity(
    rates: Sequence[float],
    multipliers: Sequence[float],
    benefits: Sequence[float],
    costs: Sequence[float],
) -> Sensitivity:
    """NPV of ``benefit × multiplier − cost`` per period, for every rate and multiplier.

    Examples:
        >>> s = sensitivity([0.0], [0.5, 1.0], [0, 100, 100], [150, 0, 0])
        >>> s.npv
        ((-50.0, 50.0),)
    """
    table = tuple(
        tuple(
            npv(rate, [b * m - c for b, c in zip(benefits, costs, strict=True)])
            for m in multipliers
        )
        for rate in rates
    )
    return Sensitivity(tuple(rates), tuple(multipliers), table)
