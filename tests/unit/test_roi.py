"""ROI, NPV, payback and sensitivity against hand-computed figures."""

from __future__ import annotations

import pytest

from planner.domain.roi import npv, payback_period, realisation, roi, sensitivity


def test_npv_textbook_annual() -> None:
    # -1,000 now, 500 at the end of each of three years, 10 %:
    # -1000 + 454.545 + 413.223 + 375.657 = 243.426
    assert npv(0.10, [-1000, 500, 500, 500], periods_per_year=1) == pytest.approx(243.426, abs=1e-3)


def test_npv_monthly_series_matches_yearly_when_flows_fall_yearly() -> None:
    monthly = [0.0] * 25
    monthly[0], monthly[12], monthly[24] = -1000.0, 600.0, 600.0
    yearly = npv(0.08, [-1000, 600, 600], periods_per_year=1)
    assert npv(0.08, monthly) == pytest.approx(yearly)
    assert yearly == pytest.approx(-1000 + 600 / 1.08 + 600 / 1.08**2)


def test_roi_and_payback() -> None:
    assert roi(250_000, 100_000) == pytest.approx(1.5)
    assert roi(0, 0) is None
    # cumulative: -100, -60, -20, +20 → payback 2.5 periods
    assert payback_period([-100, 40, 40, 40]) == pytest.approx(2.5)
    assert payback_period([-100, 10, 10]) is None
    # nothing spent and nothing gained pays nothing back; a first gain pays back at once
    assert payback_period([0, 0, 0]) is None
    assert payback_period([0, 5, -1]) == 0.0


def test_realisation_ramp() -> None:
    assert [realisation(m, 6) for m in (0, 3, 6, 12)] == [0.0, 0.5, 1.0, 1.0]


def test_sensitivity_table() -> None:
    table = sensitivity([0.0, 0.10], [0.5, 1.0], [0, 120, 120], [200, 0, 0])
    assert table.npv[0] == (pytest.approx(-80.0), pytest.approx(40.0))
    discounted = 120 / 1.1 ** (1 / 12) + 120 / 1.1 ** (2 / 12)
    assert table.npv[1][1] == pytest.approx(discounted - 200)
