"""The edge's limits: metric numbers (domain.numbers), ids (domain.ids), days (domain.days),
and the least-squares forecast on numbers of any size."""

from __future__ import annotations

from datetime import date

import pytest

from planner.domain.metrics import MetricDef, Reading, linear_forecast, validate_reading


@pytest.mark.parametrize("value", ["1e12", "-1000000000000", 1e12, "999999999999.5"])
def test_readings_up_to_the_limit_are_accepted(value) -> None:
    metric = MetricDef("calls", "Calls", "count", "higher")
    number = validate_reading(
        metric, date(2026, 2, 2), value, date(2026, 1, 1), date(2026, 12, 31), []
    )
    assert abs(number) <= 1e12


@pytest.mark.parametrize("value", ["1e27", "-1.0000001e12", 1e300, float("inf"), "nan"])
def test_readings_beyond_the_limit_are_refused(value) -> None:
    from planner.domain.errors import ValidationError

    metric = MetricDef("calls", "Calls", "count", "higher")
    with pytest.raises(ValidationError) as caught:
        validate_reading(metric, date(2026, 2, 2), value, date(2026, 1, 1), date(2026, 12, 31), [])
    assert [path for path, _ in caught.value.errors] == ["value"]


def test_forecast_of_huge_values_neither_overflows_nor_changes_small_ones() -> None:
    # 1e300 squared is not a float: the line is computed on scaled values
    rs = [Reading(date(2024, 1, 1), 1e300), Reading(date(2024, 1, 3), 3e300)]
    f = linear_forecast(rs, date(2024, 1, 5))
    assert f is not None
    # slope (3e300 - 1e300) / 2 days = 1e300 a day; on day 4: 1e300 + 4e300
    assert f.slope_per_day == pytest.approx(1e300)
    assert f.value_at_until == pytest.approx(5e300)
    # a line whose value on the day is no float any more gives no forecast
    extremes = [Reading(date(2024, 1, 1), -1.7e308), Reading(date(2024, 1, 2), 1.7e308)]
    assert linear_forecast(extremes, date(2024, 3, 1)) is None
