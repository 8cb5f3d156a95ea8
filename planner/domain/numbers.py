"""The one numeric policy for metric values, baselines and targets.

Every number a person can store for a metric (a reading's value, the baseline, a phase
target) must be finite and within ``±MAX_MAGNITUDE``: 10^12 is larger than any count,
percentage or amount a CRM rollout measures, and small enough that every sum, square and
forecast computed from such numbers stays finite and every page can write it out. Forms,
reading imports (CSV and xlsx) and the API all apply this same rule before anything is
stored (see ``number_problem``); migration 0011 repaired the rows stored before the rule.
"""

from __future__ import annotations

import math
from numbers import Real
from typing import Final

from planner.domain.errors import Problem

#: The largest magnitude of a stored metric number (values, baselines, targets).
MAX_MAGNITUDE: Final = 1e12


def short_number(x: float) -> str:
    """A number of any size in a few characters (for messages about refused numbers).

    Examples:
        >>> short_number(1e27), short_number(-0.5), short_number(float("inf"))
        ('1e+27', '-0.5', 'inf')
    """
    return f"{x:.6g}"


def number_problem(x: object, field: str = "") -> Problem | None:
    """Why ``x`` may not be stored as a metric number (a coded problem at ``field``), or
    None when it may.

    Examples:
        >>> number_problem(1e12) is None, number_problem(-1e12) is None
        (True, True)
        >>> number_problem(1e27, "value")
        Problem(field='value', code='number.out_of_range', params=mappingproxy({'limit': \
'1,000,000,000,000', 'value': '1e+27'}))
        >>> number_problem(float("nan")).code
        'number.not_finite'
    """
    if isinstance(x, bool) or not isinstance(x, Real):
        return Problem(field, "number.not_a_number", {"value": repr(x)})
    number = float(x)
    if not math.isfinite(number):
        return Problem(field, "number.not_finite", {"value": short_number(number)})
    if abs(number) > MAX_MAGNITUDE:
        limit = f"{MAX_MAGNITUDE:,.0f}"
        return Problem(
            field, "number.out_of_range", {"limit": limit, "value": short_number(number)}
        )
    return None


def in_range(x: object) -> bool:
    """Whether ``x`` may be stored as a metric number.

    Examples:
        >>> in_range(5), in_range(1e13), in_range(True)
        (True, False, False)
    """
    return number_problem(x) is None
