"""Adoption metrics: reading validation, status, tolerance text, targets, forecast."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.domain.errors import ValidationError
from planner.domain.explain import Explanation, Quantity, Term, clauses
from planner.domain.metrics import (
    Forecast,
    MetricDef,
    PhaseSpan,
    Reading,
    StatusRule,
    current_phase,
    format_value,
    linear_forecast,
    metric_status,
    status,
    target_for,
    target_steps,
    validate_reading,
)

# Phase windows of 100 days each (both ends included):
# 2024-01-01 + 99 days = 2024-04-09 (31 Jan + 29 Feb + 31 Mar = 91, then 9 April days).
P1 = PhaseSpan(1, date(2024, 1, 1), date(2024, 4, 9))
P2 = PhaseSpan(2, date(2024, 4, 10), date(2024, 7, 18))
PHASES = [P1, P2]
PROGRAM_START, PROGRAM_END = date(2024, 1, 1), date(2025, 2, 3)

ACTIVE = MetricDef(
    "active-users", "Active users", "%", "higher", 20.0, {1: 40.0, 2: 60.0}, is_percentage=True
)
JUNK = MetricDef("junk-orders", "Junk orders", "%", "lower", 12.0, {1: 5.0}, is_percentage=True)
LOGINS = MetricDef("logins", "Weekly logins per user", "count", "higher", 0.5, {1: 2.0})
DUPES = MetricDef("dupes", "Duplicate-record rate", "%", "lower", 8.0, {2: 0.0}, True)
NO_BASE_ZERO = MetricDef("late", "Late service requests", "count", "lower", None, {1: 0.0})
RULE = StatusRule()


# --------------------------------------------------------------------------- status


@pytest.mark.parametrize(
    ("metric", "value", "target", "tolerance", "expected"),
    [
        # higher is better, target 60, band 10% x 60 = 6 -> amber from 54 to below 60
        (ACTIVE, 75.0, 60.0, 0.10, "green"),
        (ACTIVE, 60.0, 60.0, 0.10, "green"),  # at the target: green
        (ACTIVE, 59.99, 60.0, 0.10, "amber"),
        (ACTIVE, 54.0, 60.0, 0.10, "amber"),  # 60 - 6 = 54, boundary included
        (ACTIVE, 53.99, 60.0, 0.10, "red"),
        (ACTIVE, 0.0, 60.0, 0.10, "red"),
        # lower is better, target 5, band 10% x 5 = 0.5 -> amber above 5 up to 5.5
        (JUNK, 0.0, 5.0, 0.10, "green"),
        (JUNK, 5.0, 5.0, 0.10, "green"),
        (JUNK, 5.01, 5.0, 0.10, "amber"),
        (JUNK, 5.5, 5.0, 0.10, "amber"),  # 5 + 0.5, boundary included (5 x 1.1 = 5.5000000001)
        (JUNK, 5.51, 5.0, 0.10, "red"),
        # count, tolerance 25%: band 0.25 x 2 = 0.5 -> amber from 1.5
        (LOGINS, 1.5, 2.0, 0.25, "amber"),
        (LOGINS, 1.49, 2.0, 0.25, "red"),
        # tolerance 0: no amber at all
        (ACTIVE, 59.999, 60.0, 0.0, "red"),
        (ACTIVE, 60.0, 60.0, 0.0, "green"),
        # target 0 (lower): band falls back to 10% x |baseline 8 - 0| = 0.8
        (DUPES, 0.0, 0.0, 0.10, "green"),
        (DUPES, 0.8, 0.0, 0.10, "amber"),
        (DUPES, 0.81, 0.0, 0.10, "red"),
        # target 0 and no baseline: no band
        (NO_BASE_ZERO, 0.0, 0.0, 0.10, "green"),
        (NO_BASE_ZERO, 0.01, 0.0, 0.10, "red"),
    ],
)
def test_status_in_both_directions(
    metric: MetricDef, value: float, target: float, tolerance: float, expected: str
) -> None:
    assert status(metric, value, target, StatusRule(tolerance)) == expected


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_status_refuses_non_finite_numbers(bad: float) -> None:
    with pytest.raises(ValidationError):
        status(ACTIVE, bad, 60.0, RULE)


@given(
    st.floats(0, 100),
    st.floats(0, 100),
    st.floats(0.1, 100),
    st.sampled_from(["higher", "lower"]),
)
def test_status_never_worsens_as_value_improves(
    a: float, b: float, target: float, direction: str
) -> None:
    metric = MetricDef("m", "M", "%", direction, None, {1: target}, True)
    worse, better = sorted((a, b), reverse=direction == "lower")
    rank = {"red": 0, "amber": 1, "green": 2}
    assert rank[status(metric, better, target, RULE)] >= rank[status(metric, worse, target, RULE)]


# --------------------------------------------------------------------------- rule text


def _pct(x: float) -> Quantity:
    return Quantity(x, "%")


def _within(tolerance: float) -> Explanation:
    return Explanation("rule.within_target", {"tolerance": _pct(tolerance)})


@pytest.mark.parametrize(
    ("metric", "target", "tolerance", "expected"),
    [
        (
            ACTIVE,
            60.0,
            0.10,
            # green at or above 60%; amber from 54% to below 60%; red below 54%
            Explanation(
                "rule.higher", {"target": _pct(60.0), "bound": _pct(54.0), "within": _within(10)}
            ),
        ),
        (
            JUNK,
            5.0,
            0.10,
            # green at or below 5%; amber above 5% up to 5.5%; red above 5.5%
            Explanation(
                "rule.lower", {"target": _pct(5.0), "bound": _pct(5.5), "within": _within(10)}
            ),
        ),
        (
            # 2 x (1 - 0.125) = 1.75
            LOGINS,
            2.0,
            0.125,
            Explanation(
                "rule.higher",
                {
                    "target": Quantity(2.0, "count"),
                    "bound": Quantity(1.75, "count"),
                    "within": _within(12.5),
                },
            ),
        ),
        (
            ACTIVE,
            60.0,
            0.0,
            Explanation(
                "rule.higher_no_band",
                {"target": _pct(60.0), "why": Explanation("rule.no_band.zero_tolerance")},
            ),
        ),
        (
            DUPES,
            0.0,
            0.10,
            # 10% of the gap between the baseline 8% and the target 0%: 0.8
            Explanation(
                "rule.lower",
                {
                    "target": _pct(0.0),
                    "bound": _pct(0.8),
                    "within": Explanation(
                        "rule.within_gap", {"tolerance": _pct(10), "baseline": _pct(8.0)}
                    ),
                },
            ),
        ),
        (
            NO_BASE_ZERO,
            0.0,
            0.10,
            Explanation(
                "rule.lower_no_band",
                {"target": Quantity(0.0, "count"), "why": Explanation("rule.no_band.zero_target")},
            ),
        ),
        (
            # 97 x 1.1 = 106.7, shown clamped to 100% for a percentage
            MetricDef("err", "Error rate", "%", "lower", None, {1: 97.0}, True),
            97.0,
            0.10,
            Explanation(
                "rule.lower", {"target": _pct(97.0), "bound": _pct(100.0), "within": _within(10)}
            ),
        ),
    ],
)
def test_rule_text(
    metric: MetricDef, target: float, tolerance: float, expected: Explanation
) -> None:
    described = StatusRule(tolerance).describe(metric, target)
    assert described.code == expected.code
    for name, value in expected.params.items():
        if isinstance(value, Quantity):  # 60 x 0.9 is 53.999...: the bound is a float
            assert described.params[name] == Quantity(pytest.approx(value.value), value.unit)
        elif name == "within" and isinstance(value, Explanation):
            within = described.params["within"]
            assert isinstance(within, Explanation) and within.code == value.code
            for key, quantity in value.params.items():
                assert isinstance(quantity, Quantity)
                assert within.params[key] == Quantity(pytest.approx(quantity.value), quantity.unit)
        else:
            assert described.params[name] == value
    assert set(described.params) == set(expected.params)


@pytest.mark.parametrize("tolerance", [-0.1, 1.5, 10.0, float("nan")])
def test_tolerance_outside_zero_to_one_is_refused(tolerance: float) -> None:
    with pytest.raises(ValidationError, match="0.10 means 10%"):
        StatusRule(tolerance)


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [(60.0, "%", "60%"), (1.0, "days", "1 day"), (3.5, "days", "3.5 days"), (2.0, "count", "2")],
)
def test_format_value(value: float, unit: str, expected: str) -> None:
    assert format_value(value, unit) == expected


# --------------------------------------------------------------------------- definition


@pytest.mark.parametrize(
    ("kwargs", "path"),
    [
        ({"direction": "up"}, "direction"),
        ({"targets": {1: 120.0}}, "targets[1]"),
        ({"targets": {1: float("nan")}}, "targets[1]"),
        ({"baseline": -1.0}, "baseline"),
        ({"key": " "}, "key"),
    ],
)
def test_metric_definition_refusals(kwargs: dict[str, object], path: str) -> None:
    fields: dict[str, object] = {
        "key": "active",
        "name": "Active users",
        "unit": "%",
        "direction": "higher",
        "baseline": 20.0,
        "targets": {1: 60.0},
        "is_percentage": True,
    }
    fields.update(kwargs)
    with pytest.raises(ValidationError) as info:
        MetricDef(**fields)
    assert [p for p, _ in info.value.errors] == [path]


def test_targets_are_copied_and_read_only() -> None:
    targets = {2: 60.0, 1: 40.0}
    metric = MetricDef("a", "A", "%", "higher", None, targets, True)
    targets[3] = 99.0
    assert dict(metric.targets) == {1: 40.0, 2: 60.0}
    with pytest.raises(TypeError):
        metric.targets[4] = 1.0


# --------------------------------------------------------------------------- readings


@pytest.mark.parametrize(
    ("metric", "day", "value", "expected"),
    [
        (ACTIVE, PROGRAM_START, 0, 0.0),  # first day of the program, 0% allowed
        (ACTIVE, PROGRAM_END, 100, 100.0),  # last day, 100% allowed
        (ACTIVE, date(2024, 5, 1), " 45.5 ", 45.5),
        (ACTIVE, date(2024, 5, 1), "45%", 45.0),
        (LOGINS, date(2024, 5, 1), 250, 250.0),  # not a percentage: no 0–100 limit
        (ACTIVE, datetime(2024, 5, 1, 14, 30), 50.0, 50.0),  # a timestamp keeps its day
    ],
)
def test_reading_accepted(metric: MetricDef, day: date, value: object, expected: float) -> None:
    assert validate_reading(metric, day, value, PROGRAM_START, PROGRAM_END, []) == expected


@pytest.mark.parametrize(
    ("metric", "day", "value", "existing", "errors"),
    [
        (
            ACTIVE,
            date(2023, 12, 31),
            50,
            [],
            [("date", "metric.reading.outside")],
        ),
        (
            ACTIVE,
            date(2025, 2, 4),
            50,
            [],
            [("date", "metric.reading.outside")],
        ),
        (ACTIVE, date(2024, 5, 1), "abc", [], [("value", "number.not_a_number")]),
        (ACTIVE, date(2024, 5, 1), "", [], [("value", "metric.value_required")]),
        (ACTIVE, date(2024, 5, 1), None, [], [("value", "metric.value_required")]),
        (ACTIVE, date(2024, 5, 1), True, [], [("value", "number.not_a_number")]),
        (
            ACTIVE,
            date(2024, 5, 1),
            float("nan"),
            [],
            [("value", "number.not_finite")],
        ),
        (ACTIVE, date(2024, 5, 1), "nan", [], [("value", "number.not_finite")]),
        (LOGINS, date(2024, 5, 1), "inf", [], [("value", "number.not_finite")]),
        (
            LOGINS,
            date(2024, 5, 1),
            float("-inf"),
            [],
            [("value", "number.not_finite")],
        ),
        (LOGINS, date(2024, 5, 1), "45%", [], [("value", "number.not_a_number")]),
        (
            ACTIVE,
            date(2024, 5, 1),
            100.01,
            [],
            [("value", "metric.percentage")],
        ),
        (
            ACTIVE,
            date(2024, 5, 1),
            "-0.5",
            [],
            [("value", "metric.percentage")],
        ),
        (
            ACTIVE,
            date(2024, 5, 1),
            50,
            [date(2024, 4, 1), date(2024, 5, 1)],
            [("date", "metric.reading.day_taken")],
        ),
        (ACTIVE, "2024-05-01", 50, [], [("date", "field.not_a_date")]),
        (
            # every problem at once
            ACTIVE,
            date(2026, 1, 1),
            "x",
            [date(2026, 1, 1)],
            [
                ("date", "metric.reading.outside"),
                ("value", "number.not_a_number"),
                ("date", "metric.reading.day_taken"),
            ],
        ),
    ],
)
def test_reading_refused(
    metric: MetricDef,
    day: object,
    value: object,
    existing: list[date],
    errors: list[tuple[str, str]],
) -> None:
    with pytest.raises(ValidationError) as info:
        validate_reading(metric, day, value, PROGRAM_START, PROGRAM_END, existing)
    assert [(p.field, p.code) for p in info.value.problems] == errors


# --------------------------------------------------------------------------- phases, targets


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2023, 12, 31), None),
        (date(2024, 1, 1), 1),
        (date(2024, 4, 9), 1),  # the gate day still belongs to phase 1
        (date(2024, 4, 10), 2),
        (date(2024, 7, 18), 2),
        (date(2024, 7, 19), None),
    ],
)
def test_current_phase(today: date, expected: int | None) -> None:
    found = current_phase(PHASES, today)
    assert (found.ordinal if found else None) == expected


@pytest.mark.parametrize(
    ("targets", "ordinal", "expected"),
    [
        ({1: 40.0, 3: 80.0}, 0, None),  # nothing at or before phase 0
        ({1: 40.0, 3: 80.0}, 1, 40.0),
        ({1: 40.0, 3: 80.0}, 2, 40.0),  # inherits phase 1
        ({1: 40.0, 3: 80.0}, 3, 80.0),
        ({1: 40.0, 3: 80.0}, 4, 80.0),  # inherits phase 3, not phase 1
        ({}, 2, None),
        ({2: 0.0}, 3, 0.0),  # a zero target is still a target
    ],
)
def test_target_inheritance(
    targets: dict[int, float], ordinal: int, expected: float | None
) -> None:
    metric = MetricDef("m", "M", "%", "higher", None, targets, True)
    assert target_for(metric, ordinal) == expected


def test_target_steps_skip_phases_without_target_and_follow_dates() -> None:
    p0 = PhaseSpan(0, date(2023, 12, 1), date(2023, 12, 31))
    p3 = PhaseSpan(3, date(2024, 7, 19), date(2024, 10, 26))
    steps = target_steps(ACTIVE, [p3, P2, P1, p0])  # given out of order
    assert steps == [
        (date(2024, 1, 1), 40.0),
        (date(2024, 4, 9), 40.0),
        (date(2024, 4, 10), 60.0),
        (date(2024, 7, 18), 60.0),
        (date(2024, 7, 19), 60.0),  # phase 3 inherits 60
        (date(2024, 10, 26), 60.0),
    ]


# --------------------------------------------------------------------------- forecast


def _readings(start: date, pairs: list[tuple[int, float]]) -> list[Reading]:
    return [Reading(start + timedelta(days=d), v) for d, v in pairs]


@pytest.mark.parametrize(
    ("pairs", "until_day", "slope", "intercept", "at_until", "r2"),
    [
        # x 0,7,14  y 10,20,24: x̄ 7, ȳ 18, Sxx 49+0+49 = 98, Sxy (-7)(-8)+0+7·6 = 98
        # slope 1, intercept 18 - 7 = 11, fits 11,18,25, SSres 1+4+1 = 6,
        # SStot 64+4+36 = 104, r² = 1 - 6/104 = 98/104; at day 28: 11 + 28 = 39
        ([(0, 10.0), (7, 20.0), (14, 24.0)], 28, 1.0, 11.0, 39.0, 98 / 104),
        # exact falling line: slope -0.5, r² 1; day 40: 30 - 20 = 10
        ([(0, 30.0), (10, 25.0), (20, 20.0)], 40, -0.5, 30.0, 10.0, 1.0),
        # two readings on day 0 (10, 14) and one on day 10 (22): x̄ 10/3, ȳ 46/3,
        # Sxx 600/9, Sxy 600/9 -> slope 1, intercept 46/3 - 10/3 = 12; fits 12,12,22,
        # SSres 4+4+0 = 8, SStot 672/9, r² = 1 - 72/672 = 25/28; day 10 -> 22
        ([(0, 10.0), (0, 14.0), (10, 22.0)], 10, 1.0, 12.0, 22.0, 25 / 28),
        # flat: r² is 1 by definition (nothing left to explain)
        ([(0, 50.0), (5, 50.0)], 100, 0.0, 50.0, 50.0, 1.0),
        # input order does not matter
        ([(14, 24.0), (0, 10.0), (7, 20.0)], 28, 1.0, 11.0, 39.0, 98 / 104),
    ],
)
def test_linear_forecast(
    pairs: list[tuple[int, float]],
    until_day: int,
    slope: float,
    intercept: float,
    at_until: float,
    r2: float,
) -> None:
    start = date(2024, 1, 1)
    f = linear_forecast(_readings(start, pairs), start + timedelta(days=until_day))
    assert f is not None
    assert f.slope_per_day == pytest.approx(slope)
    assert f.intercept == pytest.approx(intercept)
    assert f.value_at_until == pytest.approx(at_until)
    assert f.r2 == pytest.approx(r2)
    assert f.origin == start


@pytest.mark.parametrize(
    "pairs", [[], [(0, 10.0)], [(3, 10.0), (3, 12.0)]], ids=["none", "one", "one-day"]
)
def test_forecast_needs_two_distinct_days(pairs: list[tuple[int, float]]) -> None:
    assert linear_forecast(_readings(date(2024, 1, 1), pairs), date(2024, 3, 1)) is None


@given(
    st.integers(-1000, 1000),
    st.integers(-50, 50),
    st.lists(st.integers(0, 400), min_size=2, max_size=12, unique=True),
)
def test_forecast_recovers_an_exact_line(intercept: int, slope: int, days: list[int]) -> None:
    start = date(2024, 1, 1)
    rs = [Reading(start + timedelta(days=d), intercept + slope * d) for d in days]
    f = linear_forecast(rs, start + timedelta(days=500))
    assert isinstance(f, Forecast)
    origin = min(days)
    assert f.slope_per_day == pytest.approx(slope, abs=1e-6)
    assert f.value_at_until == pytest.approx(intercept + slope * 500, abs=1e-6)
    assert f.intercept == pytest.approx(intercept + slope * origin, abs=1e-6)
    assert f.r2 == pytest.approx(1.0)


# --------------------------------------------------------------------------- metric status


def test_metric_status_behind_path_green_forecast() -> None:
    rs = [
        Reading(date(2024, 4, 15), 25.0),
        Reading(date(2024, 4, 22), 33.0),
        Reading(date(2024, 4, 29), 39.0),
        Reading(date(2024, 5, 20), 99.0),  # after today: ignored
    ]
    s = metric_status(ACTIVE, rs, PHASES, date(2024, 5, 1), RULE)
    # phase 2: 99 days from 04-10 to its gate 07-18, path from phase 1's 40 to 60; on 04-29
    # (day 19): 40 + 20 x 19/99 = 43.838; amber from 43.838 x 0.9 = 39.455: 39 is red
    assert s.phase == P2
    assert s.target == 60.0
    assert s.latest == Reading(date(2024, 4, 29), 39.0)
    assert s.path_value == pytest.approx(40 + 20 * 19 / 99)
    assert (s.status, s.target_status) == ("red", "red")
    # x = 0, 7, 14: mean 7 and 32.333, Sxy 98, Sxx 98: slope 1 a day; the gate is day 94:
    # 32.333 + 87 = 119.333, shown as 100 (a percentage cannot exceed it)
    assert s.forecast is not None and s.forecast.value_at_until == pytest.approx(119 + 1 / 3)
    assert s.forecast_at_gate == 100.0
    assert s.forecast_status == "green"
    # residuals -1/3, 2/3, -1/3: s = sqrt((2/3) / 1); 3.078 x s x sqrt(1 + 1/3 + 87²/98)
    half = 3.078 * math.sqrt(2 / 3) * math.sqrt(1 + 1 / 3 + 87**2 / 98)
    assert half == pytest.approx(22.277, abs=1e-3)
    assert s.forecast_low == pytest.approx(119 + 1 / 3 - half)
    assert s.forecast_high == 100.0
    judged, ahead = s.reason
    assert judged == Explanation(
        "metric.on_path",
        {
            "value": _pct(39.0),
            "day": date(2024, 4, 29),
            "path": Quantity(pytest.approx(43.838, abs=1e-3), "%"),
            "phase": 2,
            "target": _pct(60.0),
            "gate": date(2024, 7, 18),
            "status": Term("rag", "red"),
            "rule": RULE.describe(ACTIVE, 40 + 20 * 19 / 99),
        },
    )
    assert ahead.code == "metric.forecast_band"
    assert ahead.params["value"] == _pct(100.0)
    assert (ahead.params["gate"], ahead.params["status"]) == (
        date(2024, 7, 18),
        Term("rag", "green"),
    )


def test_metric_status_forecast_is_clamped_for_percentages() -> None:
    # slope 4 a day; 2024-01-01 to 2024-04-09 is 99 days -> 50 + 396 = 446, shown as 100
    rs = [
        Reading(date(2024, 1, 1), 50.0),
        Reading(date(2024, 1, 6), 70.0),
        Reading(date(2024, 1, 11), 90.0),
    ]
    s = metric_status(ACTIVE, rs, PHASES, date(2024, 1, 20), RULE)
    assert s.forecast_at_gate == 100.0
    assert s.forecast is not None and s.forecast.value_at_until == pytest.approx(446.0)
    # an exact line has no spread: the band is the clamped value itself
    assert (s.forecast_low, s.forecast_high) == (100.0, 100.0)


def test_metric_status_forecast_of_a_count_never_goes_below_zero() -> None:
    # logins 1.9, 1.4, 0.9 a week apart: slope -1/14 a day; 2024-04-09 is 68 days after
    # 2024-02-01: 1.9 - 68/14 = -2.957, shown as 0 (a count cannot be negative)
    rs = [
        Reading(date(2024, 2, 1), 1.9),
        Reading(date(2024, 2, 8), 1.4),
        Reading(date(2024, 2, 15), 0.9),
    ]
    s = metric_status(LOGINS, rs, PHASES, date(2024, 2, 20), RULE)
    assert s.forecast is not None
    assert s.forecast.value_at_until == pytest.approx(1.9 - 68 / 14)
    assert s.forecast_at_gate == 0.0
    assert s.forecast_low == 0.0 and s.forecast_high == 0.0


def test_two_readings_are_not_enough_data() -> None:
    rs = [Reading(date(2024, 1, 1), 50.0), Reading(date(2024, 1, 11), 90.0)]
    s = metric_status(ACTIVE, rs, PHASES, date(2024, 1, 20), RULE)
    assert s.forecast_at_gate is None and s.forecast_status is None and s.forecast is None
    assert s.reason[1] == Explanation("metric.not_enough_data", {"days": 3})


@pytest.mark.parametrize(
    ("metric", "readings", "today", "ordinal", "status_", "phase", "reason_part"),
    [
        (
            ACTIVE,
            [],
            date(2023, 12, 1),
            None,
            None,
            None,
            Explanation("metric.not_started", {"day": date(2023, 12, 1)}),
        ),
        (
            ACTIVE,
            [],
            date(2024, 5, 1),
            7,
            None,
            None,
            Explanation("metric.no_such_phase", {"phase": 7}),
        ),
        (
            DUPES,
            [(date(2024, 2, 1), 3.0)],
            date(2024, 2, 2),
            None,
            None,
            1,
            Explanation("metric.no_target", {"phase": 1}),
        ),
        (
            ACTIVE,
            [],
            date(2024, 2, 2),
            None,
            None,
            1,
            Explanation("metric.no_reading", {"phase": 1, "target": _pct(40.0)}),
        ),
        (
            # the path on 02-01 (day 31 of 99): 20 + 20 x 31/99 = 26.26; amber from 23.64
            ACTIVE,
            [(date(2024, 2, 1), 25.0)],
            date(2024, 2, 2),
            None,
            "amber",
            1,
            Explanation("metric.not_enough_data", {"days": 3}),
        ),
        (
            # 38 is short of the gate's 40 but well above the path's 26.26: green
            ACTIVE,
            [(date(2024, 2, 1), 38.0)],
            date(2024, 2, 2),
            None,
            "green",
            1,
            Explanation("metric.not_enough_data", {"days": 3}),
        ),
        (
            # judged for the phase-2 gate while phase 1 runs: not started, nothing judged
            ACTIVE,
            [(date(2024, 2, 1), 38.0)],
            date(2024, 2, 2),
            2,
            None,
            2,
            Explanation("metric.phase_not_started", {"phase": 2, "start": date(2024, 4, 10)}),
        ),
        (
            # after the last gate: judged against phase 2's target, no forecast
            ACTIVE,
            [(date(2024, 7, 1), 58.0), (date(2024, 8, 1), 61.0)],
            date(2024, 9, 1),
            None,
            "green",
            2,
            Explanation("metric.gate_passed", {"gate": date(2024, 7, 18)}),
        ),
        (
            # judged for the phase-1 gate while in phase 2: target 40, gate passed
            ACTIVE,
            [(date(2024, 4, 1), 41.0), (date(2024, 4, 20), 45.0)],
            date(2024, 4, 25),
            1,
            "green",
            1,
            Explanation(
                "metric.on_path",
                {
                    "value": _pct(45.0),
                    "day": date(2024, 4, 20),
                    "path": _pct(40.0),  # after the gate the path is the target
                    "phase": 1,
                    "target": _pct(40.0),
                    "gate": date(2024, 4, 9),
                    "status": Term("rag", "green"),
                    "rule": RULE.describe(ACTIVE, 40.0),
                },
            ),
        ),
    ],
)
def test_metric_status_cases(
    metric: MetricDef,
    readings: list[tuple[date, float]],
    today: date,
    ordinal: int | None,
    status_: str | None,
    phase: int | None,
    reason_part: Explanation,
) -> None:
    rs = [Reading(d, v) for d, v in readings]
    s = metric_status(metric, rs, PHASES, today, RULE, phase_ordinal=ordinal)
    assert s.status == status_
    assert (s.phase.ordinal if s.phase else None) == phase
    assert reason_part in clauses(s.reason)
    if s.phase is None or today > s.phase.end or len(rs) < 3:
        assert s.forecast_at_gate is None and s.forecast_status is None


def test_metric_status_lower_is_better() -> None:
    # junk orders 9, 8, 7 % a week apart: slope -1/7 a day; to 2024-04-09 from 2024-02-01
    # is 68 days -> 9 - 68/7 = -0.714..., clamped to 0 -> green. The path from the baseline
    # 12 to 5 on 02-15 (day 45 of 99): 12 - 7 x 45/99 = 8.82, and 7 <= 8.82 -> green, while
    # against the gate's 5 (amber up to 5.5) it is still red
    rs = [
        Reading(date(2024, 2, 1), 9.0),
        Reading(date(2024, 2, 8), 8.0),
        Reading(date(2024, 2, 15), 7.0),
    ]
    s = metric_status(JUNK, rs, PHASES, date(2024, 2, 20), RULE)
    assert s.path_value == pytest.approx(12 - 7 * 45 / 99)
    assert (s.status, s.target_status, s.forecast_status, s.forecast_at_gate) == (
        "green",
        "red",
        "green",
        0.0,
    )
    assert s.forecast is not None
    assert math.isclose(s.forecast.value_at_until, 9 - 68 / 7)
