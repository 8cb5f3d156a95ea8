"""Earned value: planned value, earned value, actual cost and the indices built from them.

The textbook definitions (PMBOK Guide, 6th ed., §7.4.2):

* ``PV`` planned value — the budget of the work scheduled to be done by the status date;
* ``EV`` earned value — the budget of the work actually done (budget × percent complete);
* ``AC`` actual cost — what the work done actually cost;
* ``SV = EV − PV``, ``CV = EV − AC``, ``SPI = EV / PV``, ``CPI = EV / AC``;
* ``EAC = BAC / CPI`` (the cost performance so far goes on), ``ETC = EAC − AC``,
  ``VAC = BAC − EAC``, ``TCPI = (BAC − EV) / (BAC − AC)``.

An index whose divisor is zero is ``None`` (nothing planned yet, nothing spent yet): not
infinity, not a made-up 1.0.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

__all__ = ["EarnedValue", "ItemValue", "earned_value", "planned_fraction"]


@dataclass(frozen=True)
class ItemValue:
    """One work item's money: its budget at completion, schedule and progress, actual cost."""

    budget: float
    start: date
    finish: date
    percent_complete: float
    actual_cost: float = 0.0


def planned_fraction(start: date, finish: date, status: date) -> float:
    """The share of an item planned to be done by the end of ``status`` (linear in days).

    Examples:
        >>> planned_fraction(date(2026, 1, 1), date(2026, 1, 10), date(2026, 1, 5))
        0.5
        >>> planned_fraction(date(2026, 1, 1), date(2026, 1, 10), date(2025, 12, 31))
        0.0
        >>> planned_fraction(date(2026, 1, 1), date(2026, 1, 1), date(2026, 1, 1))
        1.0
    """
    if status < start:
        return 0.0
    if status >= finish:
        return 1.0
    return ((status - start).days + 1) / ((finish - start).days + 1)


@dataclass(frozen=True)
class EarnedValue:
    """The earned-value figures of a set of items (a program, a phase, a workstream)."""

    bac: float
    pv: float
    ev: float
    ac: float

    @property
    def sv(self) -> float:
        return self.ev - self.pv

    @property
    def cv(self) -> float:
        return self.ev - self.ac

    @property
    def spi(self) -> float | None:
        return self.ev / self.pv if self.pv else None

    @property
    def cpi(self) -> float | None:
        return self.ev / self.ac if self.ac else None

    @property
    def eac(self) -> float:
        """Estimate at completion, ``BAC / CPI``; the budget while nothing is spent.

        Examples:
            >>> EarnedValue(bac=100_000, pv=50_000, ev=40_000, ac=45_000).eac
            112500.0
        """
        cpi = self.cpi
        return self.bac / cpi if cpi else float(self.bac)

    @property
    def etc(self) -> float:
        return self.eac - self.ac

    @property
    def vac(self) -> float:
        return self.bac - self.eac

    @property
    def tcpi(self) -> float | None:
        left = self.bac - self.ac
        return (self.bac - self.ev) / left if left else None


def earned_value(items: Iterable[ItemValue], status: date) -> EarnedValue:
    """Sum PV, EV and AC over ``items`` as of ``status``.

    Examples:
        >>> a = ItemValue(1000, date(2026, 1, 1), date(2026, 1, 10), 30, 400)
        >>> b = ItemValue(500, date(2026, 1, 11), date(2026, 1, 20), 0, 0)
        >>> ev = earned_value([a, b], date(2026, 1, 5))
        >>> ev.pv, ev.ev, ev.ac, ev.spi, ev.cpi
        (500.0, 300.0, 400.0, 0.6, 0.75)
    """
    bac = pv = ev = ac = 0.0
    for item in items:
        bac += item.budget
        pv += item.budget * planned_fraction(item.start, item.finish, status)
        ev += item.budget * max(0.0, min(100.0, item.percent_complete)) / 100
        ac += item.actual_cost
    return EarnedValue(bac=bac, pv=pv, ev=ev, ac=ac)
