"""The benefit review gate criterion: judged from the program's benefits case.

A playbook marks the criterion with ``source: benefits_case`` (whatever its text says), so
a method whose last phase words the review differently keys it the same way.

The rule: the case expects, for the months since each benefit's go-live, a share of its
yearly value (the realisation ramp, see :func:`planner.domain.roi.realisation`); the
readings realise a share of it (how far from baseline to target they are). The criterion is

- **met** when at least one benefit has a reading after its go-live and the money realised
  to date reaches what the case expects by now (``REQUIRED_SHARE`` of it, all of it);
- before the gate date: *on track* when nothing is due yet (no go-live has passed), *at
  risk* when there is no benefits case, no reading after go-live, or the realised money is
  short of the expected (there is time to catch up);
- on or after the gate date: *not met* in each of those cases.

Codes (worded by ``planner.explain_text``): ``gate.benefits.no_case``,
``gate.benefits.nothing_due`` (``go_live``: the first go-live, or None), and with the
figures that decided it ``gate.benefits.no_readings``, ``gate.benefits.realised`` and
``gate.benefits.short``: ``realised`` and ``expected`` (money, with the currency),
``share`` and ``required`` (percent), ``measured`` and ``count`` (benefits with a reading
after go-live, benefits in the case), ``go_live``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Final, Literal

from planner.domain.explain import Explanation, Quantity

#: The share of what the case expects by now that must be realised.
REQUIRED_SHARE: Final = 1.0

BenefitOutcome = Literal["met", "on_track", "at_risk", "not_met"]


@dataclass(frozen=True)
class BenefitsCriterion:
    """The benefit review: realised benefits reach what the benefits case expects by now.

    ``text`` is the criterion as the playbook (or the lead) words it.
    """

    text: str


@dataclass(frozen=True)
class BenefitsFact:
    """The benefits case on the day the gate is judged.

    ``count`` benefits in the case, ``measured`` of them with a reading after their
    go-live; ``expected`` is the money the case expects realised by today, ``realised`` what
    the readings show (both in ``currency``); ``go_live`` is the first go-live.
    """

    count: int
    measured: int
    expected: float
    realised: float
    currency: str = ""
    go_live: date | None = None


def realised_share(realised: float, expected: float) -> float | None:
    """``realised`` as a share of ``expected``; None when nothing is expected.

    Examples:
        >>> realised_share(45_000, 60_000)
        0.75
        >>> realised_share(10, 0) is None
        True
    """
    if expected <= 0:
        return None
    return realised / expected


def benefits_outcome(
    fact: BenefitsFact | None, today: date, gate_date: date
) -> tuple[BenefitOutcome, Explanation]:
    """Judge the benefit review on ``today`` for a gate held on ``gate_date``.

    The rules are in the module docstring.

    Examples:
        >>> fact = BenefitsFact(2, 2, expected=60_000, realised=63_000, currency="CNY",
        ...                     go_live=date(2024, 4, 9))
        >>> outcome, why = benefits_outcome(fact, date(2025, 1, 10), date(2025, 2, 1))
        >>> outcome, why.code, why.params["share"]
        ('met', 'gate.benefits.realised', Quantity(value=105.0, unit='%'))
        >>> short = BenefitsFact(2, 1, expected=60_000, realised=30_000, currency="CNY")
        >>> benefits_outcome(short, date(2025, 2, 1), date(2025, 2, 1))[0]
        'not_met'
        >>> benefits_outcome(None, date(2025, 1, 1), date(2025, 2, 1))[0]
        'at_risk'
    """
    before = today < gate_date
    behind: BenefitOutcome = "at_risk" if before else "not_met"
    if fact is None or fact.count == 0:
        return behind, Explanation("gate.benefits.no_case")
    share = realised_share(fact.realised, fact.expected)
    if share is None:
        return ("on_track" if before else "not_met"), Explanation(
            "gate.benefits.nothing_due", {"go_live": fact.go_live}
        )
    figures = {
        "realised": Quantity(round(fact.realised), fact.currency),
        "expected": Quantity(round(fact.expected), fact.currency),
        # rounded down: a share just short of what is required never reads as 100 %
        "share": Quantity(math.floor(share * 1000) / 10, "%"),
        "required": Quantity(round(REQUIRED_SHARE * 100), "%"),
        "measured": fact.measured,
        "count": fact.count,
        "go_live": fact.go_live,
    }
    if fact.measured == 0:
        return behind, Explanation("gate.benefits.no_readings", figures)
    if share >= REQUIRED_SHARE:
        return "met", Explanation("gate.benefits.realised", figures)
    return behind, Explanation("gate.benefits.short", figures)
