"""planner.domain.metric_edit: the rules for defining or changing a metric."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from planner.domain.errors import ValidationError
from planner.domain.metric_edit import MetricInput, Stored, clean_metric

GOOD = MetricInput("active", "Active users", "%", "higher", baseline=20.0, targets={1: 60.0})
PHASES = Stored(ordinals={0, 1, 2})


def problems(data: MetricInput, stored: Stored = PHASES) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as caught:
        clean_metric(data, stored)
    return [(p.field, p.code) for p in caught.value.problems]


def test_a_good_metric_is_trimmed_and_keeps_its_set_targets() -> None:
    data = replace(GOOD, key=" active ", name=" Active users ", targets={1: 60.0, 2: None})
    clean = clean_metric(data, PHASES)
    assert (clean.key, clean.name, clean.unit, clean.targets) == (
        "active",
        "Active users",
        "%",
        {1: 60.0},
    )
    assert clean.glide is None


def test_a_taken_key_is_refused_but_a_bad_one_first() -> None:
    assert problems(GOOD, replace(PHASES, key_taken=True)) == [("key", "metric.key_taken")]
    bad = replace(GOOD, key="Active Users")
    assert problems(bad, replace(PHASES, key_taken=True)) == [("key", "metric.key_pattern")]


def test_every_problem_comes_at_once_on_its_form_field() -> None:
    data = replace(GOOD, name=" ", direction="up", targets={7: 1.0}, amber_tolerance=10.0)
    assert problems(data) == [
        ("name", "metric.name_required"),
        ("direction", "metric.direction_choose"),
        ("target_7", "metric.no_phase"),
        ("amber_tolerance", "metric.amber_fraction"),
    ]


def test_a_percentage_target_over_100_is_named_as_the_form_names_it() -> None:
    assert problems(replace(GOOD, targets={2: 120.0})) == [("target_2", "metric.percentage")]


@pytest.mark.parametrize(
    ("wanted", "stored", "expected"),
    [
        ("linear", None, "linear"),
        ("s-curve", "linear", "s-curve"),
        ("steps", "steps 1:10 2:20", "steps 1:10 2:20"),
        (None, "steps 1:10", None),
    ],
)
def test_the_glide_path_to_store(wanted: str | None, stored: str | None, expected: str) -> None:
    clean = clean_metric(replace(GOOD, glide=wanted), replace(PHASES, glide=stored))
    assert clean.glide == expected


def test_steps_come_only_from_the_playbook_and_other_paths_are_refused() -> None:
    assert problems(replace(GOOD, glide="steps")) == [("glide", "metric.glide.steps_from_playbook")]
    assert problems(replace(GOOD, glide="wavy")) == [("glide", "metric.glide.choose")]


def test_a_percentage_must_hold_the_stored_readings() -> None:
    readings = [(dt.date(2026, 1, d), v) for d, v in ((1, 50.0), (2, 140.0), (3, -1.0))]
    stored = replace(PHASES, readings=readings)
    with pytest.raises(ValidationError) as caught:
        clean_metric(GOOD, stored)
    (problem,) = caught.value.problems
    assert problem.code == "metric.unit.readings_outside"
    assert dict(problem.params) == {"count": 2, "days": "2026-01-02, 2026-01-03"}
    assert clean_metric(replace(GOOD, unit="users"), stored).unit == "users"
