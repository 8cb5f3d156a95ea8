"""Earned value against textbook figures and hand-computed item sums."""

from __future__ import annotations

from datetime import date

import pytest

from planner.domain.evm import EarnedValue, ItemValue, earned_value, planned_fraction


def test_textbook_example() -> None:
    # the classic worked example: BAC 100,000; PV 50,000; EV 40,000; AC 45,000
    ev = EarnedValue(bac=100_000, pv=50_000, ev=40_000, ac=45_000)
    assert ev.sv == -10_000
    assert ev.cv == -5_000
    assert ev.spi == pytest.approx(0.8)
    assert ev.cpi == pytest.approx(0.8889, abs=1e-4)
    assert ev.eac == pytest.approx(112_500)
    assert ev.etc == pytest.approx(67_500)
    assert ev.vac == pytest.approx(-12_500)
    assert ev.tcpi == pytest.approx(60_000 / 55_000)


def test_second_textbook_example_ahead_and_under_budget() -> None:
    # BAC 200,000; PV 80,000; EV 100,000; AC 90,000 → SPI 1.25, CPI 1.111, EAC 180,000
    ev = EarnedValue(bac=200_000, pv=80_000, ev=100_000, ac=90_000)
    assert (ev.spi, round(ev.cpi or 0, 3), round(ev.eac)) == (1.25, 1.111, 180_000)


def test_nothing_spent_or_planned_gives_no_index() -> None:
    ev = EarnedValue(bac=1_000, pv=0, ev=0, ac=0)
    assert ev.spi is None and ev.cpi is None
    assert ev.eac == 1_000


def test_items_sum_by_hand() -> None:
    # a: 10 days, budget 1,000, 50% done, cost 600; at day 4 PV = 400
    # b: starts after the status date, budget 2,000, not started
    a = ItemValue(1_000, date(2026, 3, 1), date(2026, 3, 10), 50, 600)
    b = ItemValue(2_000, date(2026, 3, 11), date(2026, 3, 20), 0, 0)
    ev = earned_value([a, b], date(2026, 3, 4))
    assert (ev.bac, ev.pv, ev.ev, ev.ac) == (3_000, 400, 500, 600)
    assert ev.spi == pytest.approx(1.25)
    assert ev.eac == pytest.approx(3_000 / (500 / 600))


@pytest.mark.parametrize(
    ("status", "expected"),
    [(date(2026, 2, 28), 0.0), (date(2026, 3, 1), 0.1), (date(2026, 3, 10), 1.0)],
)
def test_planned_fraction_is_linear_in_days(status: date, expected: float) -> None:
    assert planned_fraction(date(2026, 3, 1), date(2026, 3, 10), status) == pytest.approx(expected)
