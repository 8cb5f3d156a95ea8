"""Glide paths: the target between a phase's start and its gate, and the status against it.

Every expected value is computed by hand in the comment beside it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from planner.domain.errors import ValidationError
from planner.domain.metrics import (
    Glide,
    MetricDef,
    PhaseSpan,
    Reading,
    StatusRule,
    glide_points,
    glide_start,
    metric_status,
    path_value,
    value_range,
)

# 99 days from each phase start to its gate
P0 = PhaseSpan(0, date(2023, 12, 4), date(2023, 12, 31))
P1 = PhaseSpan(1, date(2024, 1, 1), date(2024, 4, 9))
P2 = PhaseSpan(2, date(2024, 4, 10), date(2024, 7, 18))
PHASES = [P0, P1, P2]
ACTIVE = MetricDef("active", "Active users", "%", "higher", 10.0, {1: 50.0, 2: 80.0}, True)
RULE = StatusRule()


def test_linear_path_from_the_baseline_to_the_first_gate() -> None:
    # day 0: the baseline 10; day 33 of 99: 10 + 40/3 = 23.33; the gate: 50
    assert path_value(ACTIVE, PHASES, P1, date(2024, 1, 1)) == 10.0
    assert path_value(ACTIVE, PHASES, P1, date(2024, 2, 3)) == pytest.approx(10 + 40 / 3)
    assert path_value(ACTIVE, PHASES, P1, date(2024, 4, 9)) == 50.0


def test_the_next_phase_starts_from_the_last_gate_target() -> None:
    assert glide_start(ACTIVE, PHASES, P2) == 50.0
    # 2024-05-13 is day 33 of phase 2: 50 + 30/3 = 60
    assert path_value(ACTIVE, PHASES, P2, date(2024, 5, 13)) == pytest.approx(60.0)


def test_before_and_after_the_phase_the_path_holds_its_ends() -> None:
    assert path_value(ACTIVE, PHASES, P2, date(2024, 3, 1)) == 50.0
    assert path_value(ACTIVE, PHASES, P2, date(2024, 9, 1)) == 80.0


def test_without_a_baseline_the_path_is_flat_at_the_target() -> None:
    metric = replace(ACTIVE, baseline=None)
    assert path_value(metric, PHASES, P1, date(2024, 1, 2)) == 50.0
    # phase 2 still starts from phase 1's target
    assert path_value(metric, PHASES, P2, date(2024, 5, 13)) == pytest.approx(60.0)


def test_no_target_no_path() -> None:
    assert path_value(ACTIVE, PHASES, P0, date(2023, 12, 10)) is None


def test_s_curve_starts_slowly() -> None:
    metric = replace(ACTIVE, glide=Glide("s-curve"))
    # share 1/3: 3/9 - 2/27 = 7/27; 10 + 40 x 7/27 = 20.37 (the straight line: 23.33)
    assert path_value(metric, PHASES, P1, date(2024, 2, 3)) == pytest.approx(10 + 40 * 7 / 27)
    # day 66, share 2/3: 3 x 4/9 - 2 x 8/27 = 20/27
    assert path_value(metric, PHASES, P1, date(2024, 3, 7)) == pytest.approx(10 + 40 * 20 / 27)


def test_steps_hold_until_the_next_step() -> None:
    metric = replace(ACTIVE, glide=Glide("steps", ((0.5, 0.25), (0.8, 0.75))))
    # before day 49.5: 10; from share 0.5 (day 50, 02-20): 10 + 40 x 0.25 = 20;
    # from share 0.8 (day 80 is 0.808, 03-21): 10 + 30 = 40; the gate: 50
    assert path_value(metric, PHASES, P1, date(2024, 2, 18)) == 10.0
    assert path_value(metric, PHASES, P1, date(2024, 2, 20)) == 20.0
    assert path_value(metric, PHASES, P1, date(2024, 3, 21)) == 40.0
    assert path_value(metric, PHASES, P1, date(2024, 4, 9)) == 50.0


def test_glide_points_of_steps_rise_vertically() -> None:
    metric = MetricDef(
        "a", "A", "%", "higher", 0.0, {1: 100.0}, True, Glide("steps", ((0.5, 0.4),))
    )
    one = [PhaseSpan(1, date(2024, 1, 1), date(2024, 1, 11))]  # 10 days
    points = [(d.day, v) for d, v in glide_points(metric, one)]
    # start 0; day 5 (share 0.5): hold 0, rise to 40; the gate (day 10): hold 40, rise to 100
    assert points == [(1, 0.0), (6, 0.0), (6, 40.0), (11, 40.0), (11, 100.0)]


def test_glide_parse_and_text_round_trip() -> None:
    for text in ("linear", "s-curve", "steps 0.25:0.1 0.5:0.4"):
        assert Glide.parse(text).text == text
    assert Glide.parse("") == Glide()
    for bad in ("wavy", "steps 0.5:1.5", "steps 0.8:0.5 0.2:0.1", "steps x", "linear 0.5:1"):
        with pytest.raises(ValidationError):
            Glide.parse(bad)


def test_status_against_the_path_on_the_readings_date() -> None:
    # the case: day 10 of a 44-day phase, 34 % against a 50 % gate target from a 0
    # baseline; the path on that day is 50 x 10/44 = 11.36: green, not red
    metric = MetricDef("active", "Active users", "%", "higher", 0.0, {1: 50.0}, True)
    phase = PhaseSpan(1, date(2024, 1, 1), date(2024, 2, 14))  # 44 days to the gate
    rs = [Reading(date(2024, 1, 1), 18.0), Reading(date(2024, 1, 11), 34.0)]
    judged = metric_status(metric, rs, [phase], date(2024, 1, 11), RULE)
    assert judged.path_value == pytest.approx(50 * 10 / 44)
    assert judged.status == "green"
    assert judged.target_status == "red"  # the gate target itself is not reached yet
    assert judged.forecast_at_gate is None  # two readings: not enough data


def test_the_reading_is_judged_on_its_own_date_not_today() -> None:
    # a reading of 21 on 01-12 (day 11): path 10 + 40 x 11/99 = 14.44 -> green, although by
    # today (03-07, path 36.67) it would be red
    rs = [Reading(date(2024, 1, 12), 21.0)]
    judged = metric_status(ACTIVE, rs, PHASES, date(2024, 3, 7), RULE)
    assert judged.path_value == pytest.approx(10 + 40 * 11 / 99)
    assert judged.status == "green"


def test_amber_band_is_around_the_path() -> None:
    # path on 02-03: 23.33; amber from 0.9 x 23.33 = 21.0
    for value, expected in ((23.4, "green"), (21.1, "amber"), (20.9, "red")):
        judged = metric_status(
            ACTIVE, [Reading(date(2024, 2, 3), value)], PHASES, date(2024, 2, 3), RULE
        )
        assert judged.status == expected, value


def test_value_ranges() -> None:
    assert value_range(ACTIVE) == (0.0, 100.0)
    assert value_range(MetricDef("d", "Days", "days", "lower", 6.0, {1: 3.0})) == (0.0, None)
    assert value_range(MetricDef("m", "Margin", "points", "higher", -5.0, {1: 2.0})) == (
        None,
        None,
    )


def test_a_band_with_no_width_is_not_shown_as_a_range() -> None:
    # an exact line 10, 20, 30 ten days apart: no spread; the gate forecast is 10 + 99 = 109,
    # clamped to 100 with its band: the reason gives the value only
    rs = [Reading(date(2024, 1, d), 10.0 + (d - 1)) for d in (1, 11, 21)]
    judged = metric_status(ACTIVE, rs, PHASES, date(2024, 1, 22), RULE)
    assert (judged.forecast_low, judged.forecast_high) == (100.0, 100.0)
    assert judged.reason[1].code == "metric.forecast"


def test_a_playbook_gives_a_metric_its_glide_path_and_tolerance() -> None:
    from planner.domain.playbook import PlaybookError, parse_playbook

    text = """\
id: g
version: "1.0"
title: G
phases: [{{ordinal: 1, key: one, name: One}}]
metrics:
  - {{key: a, name: A, unit: "%", direction: higher, targets: {{1: 50}}, {extra}}}
"""
    steps = parse_playbook(
        text.format(extra="glide: [{at: 0.5, reach: 0.3}, {at: 0.8, reach: 0.7}]")
    )
    assert steps.metrics[0].glide_text == "steps 0.5:0.3 0.8:0.7"
    assert Glide.parse(steps.metrics[0].glide_text).share(0.6) == 0.3
    curve = parse_playbook(text.format(extra="glide: s-curve, amber_tolerance: 0.2"))
    assert (curve.metrics[0].glide_text, curve.metrics[0].amber_tolerance) == ("s-curve", 0.2)
    assert parse_playbook(text.format(extra="baseline: 0")).metrics[0].glide_text == "linear"
    for bad in (
        "glide: wavy",
        "glide: [{at: 0.8, reach: 0.5}, {at: 0.2, reach: 0.1}]",
        "amber_tolerance: 10",
    ):
        with pytest.raises(PlaybookError):
            parse_playbook(text.format(extra=bad))
