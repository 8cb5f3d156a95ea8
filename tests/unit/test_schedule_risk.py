"""Schedule risk analysis: the Monte Carlo engine against the deterministic schedule and
against results known in closed form."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from planner.domain.calendar import WorkCalendar
from planner.domain.errors import ValidationError
from planner.domain.schedule import Activity, Link, PhaseWindow, Scheduler
from planner.domain.schedule_risk import (
    CorrelationGroup,
    DurationRange,
    Network,
    RiskEvent,
    early_finish_points,
    simulate,
)
from tests.unit.test_schedule_properties import CAL, START, networks

MONDAY = dt.date(2027, 3, 1)


def _network(acts: list[Activity], links: list[Link], windows=()) -> Network:  # type: ignore[no-untyped-def]
    return Network(acts, links, WorkCalendar(), MONDAY, None, tuple(windows))


def _chain(n: int, key: str = "t") -> tuple[list[Activity], list[Link]]:
    acts = [Activity(f"{key}{i}", 20) for i in range(n)]
    links = [Link(f"{key}{i}", f"{key}{i + 1}") for i in range(n - 1)]
    return acts, links


# --- with no uncertainty, every iteration is the deterministic schedule ----------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(progress=True))
def test_zero_ranges_give_the_deterministic_early_finish(net) -> None:  # type: ignore[no-untyped-def]
    acts, links, status, windows = net
    deterministic = Scheduler(acts, links, CAL, START, status, windows).points()
    ranges = {a.key: DurationRange(a.duration, a.duration, a.duration) for a in acts}
    network = Network(acts, links, CAL, START, status, tuple(windows))
    keys, ef = early_finish_points(network, ranges, iterations=3, seed=7)
    for key, row in zip(keys, ef, strict=True):
        assert set(row.tolist()) == {deterministic[key].early_finish}, key


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(progress=True))
def test_zero_ranges_give_the_deterministic_critical_items(net) -> None:  # type: ignore[no-untyped-def]
    acts, links, status, _windows = net
    # no deadlines: criticality is float to the program finish, as in the textbook
    acts = [
        Activity(
            a.key,
            a.duration,
            a.phase,
            a.start_no_earlier,
            None,
            a.actual_start,
            a.actual_finish,
            a.percent_complete,
        )
        for a in acts
    ]
    result = Scheduler(acts, links, CAL, START, status, []).result()
    network = Network(acts, links, CAL, START, status, ())
    analysis = simulate(network, {}, iterations=100, seed=3)
    for key, share in analysis.criticality.items():
        assert share == (1.0 if result.items[key].critical else 0.0), key


def test_zero_ranges_give_the_deterministic_gate_dates() -> None:
    acts = [
        Activity("a", 10, "p1"),
        Activity("b", 15, "p1"),
        Activity("gate1", 0, "p1"),
        Activity("c", 30, "p2"),
    ]
    links = [Link("a", "b"), Link("b", "gate1"), Link("gate1", "c")]
    windows = [
        PhaseWindow("p1", MONDAY, dt.date(2027, 4, 30)),
        PhaseWindow("p2", MONDAY, dt.date(2027, 6, 30)),
    ]
    analysis = simulate(_network(acts, links, windows), {}, iterations=100)
    result = Scheduler(acts, links, WorkCalendar(), MONDAY, None, windows).result()
    p1 = analysis.gate("p1")
    assert p1 is not None
    assert p1.deterministic == max(result.items[k].early_finish for k in ("a", "b", "gate1"))
    assert set(p1.percentiles.values()) == {p1.deterministic}
    assert p1.probability == 1.0
    assert analysis.finish.deterministic == result.finish


# --- closed-form cases --------------------------------------------------------------------


def _triangular_moments(a: float, m: float, b: float) -> tuple[float, float]:
    mean = (a + m + b) / 3
    var = (a * a + m * m + b * b - a * m - a * b - m * b) / 18
    return mean, var


def test_a_chain_of_triangular_items_has_the_known_mean_and_variance() -> None:
    n, k = 8, 20_000
    acts, links = _chain(n)
    r = DurationRange(10, 20, 45, "triangular")
    _keys, ef = early_finish_points(
        _network(acts, links), {a.key: r for a in acts}, iterations=k, seed=11
    )
    total = ef[-1].astype(float)  # the last item's finish point: the sum of the durations
    mean, var = _triangular_moments(10, 20, 45)
    # durations are whole working days: rounding adds about 1/12 of a day² each
    expected_var = n * (var + 1 / 12)
    assert abs(total.mean() - n * mean) < 4 * math.sqrt(expected_var / k)
    assert abs(total.var() / expected_var - 1) < 0.05


def test_two_parallel_paths_show_the_merge_bias() -> None:
    k = 20_000
    a, m, b = 10.0, 20.0, 40.0
    acts = [Activity("x", 20), Activity("y", 20), Activity("end", 0)]
    links = [Link("x", "end"), Link("y", "end")]
    r = DurationRange(a, m, b, "triangular")
    keys, ef = early_finish_points(_network(acts, links), {"x": r, "y": r}, iterations=k, seed=5)
    finish = ef[keys.index("end")].astype(float)
    # E[max of two independent] = a + ∫ (1 - F(x)²) dx over [a, b], F the triangular CDF
    xs = np.linspace(a, b, 200_001)
    cdf = np.where(
        xs < m, (xs - a) ** 2 / ((b - a) * (m - a)), 1 - (b - xs) ** 2 / ((b - a) * (b - m))
    )
    expected = a + float(np.trapezoid(1 - cdf**2, xs))
    single_mean = (a + m + b) / 3
    assert finish.mean() > single_mean + 2  # the merge bias is real...
    assert abs(finish.mean() - expected) < 0.15  # ...and the size theory says


def test_a_risk_event_shifts_a_chain_by_probability_times_delay() -> None:
    k = 40_000
    acts, links = _chain(4)
    event = RiskEvent("R-7", 0.3, ("t2",), delay_days=10)
    network = _network(acts, links)
    _keys, ef = early_finish_points(network, {}, events=(event,), iterations=k, seed=2)
    shift = ef[-1].mean() - 80
    assert abs(shift - 0.3 * 10) < 4 * math.sqrt(0.3 * 0.7 * 100 / k)


def test_a_delay_in_percent_scales_with_the_item() -> None:
    acts, links = _chain(2)
    event = RiskEvent("R-1", 1.0, ("t0",), delay_pct=50)
    _keys, ef = early_finish_points(
        _network(acts, links), {}, events=(event,), iterations=100, seed=2
    )
    assert set(ef[-1].tolist()) == {50}


# --- correlation, reproducibility, results ---------------------------------------------


def _spearman(x: np.ndarray, y: np.ndarray) -> float:
    rx, ry = x.argsort().argsort(), y.argsort().argsort()
    return float(np.corrcoef(rx, ry)[0, 1])


def test_a_correlation_group_makes_its_items_move_together() -> None:
    acts = [Activity("x", 20), Activity("y", 20)]
    r = DurationRange(10, 20, 40, "pert")
    network = _network(acts, [])
    _keys, free = early_finish_points(network, {"x": r, "y": r}, iterations=5_000, seed=1)
    assert abs(_spearman(free[0], free[1])) < 0.05
    grouped = simulate(
        network, {"x": r, "y": r}, groups=(CorrelationGroup("ws", ("x", "y"), 0.9),), iterations=100
    )
    assert grouped.iterations == 100
    from planner.domain import schedule_risk as sr

    net = sr._compile(network, trusted=False)
    rng = np.random.default_rng(4)
    group = (CorrelationGroup("ws", ("x", "y"), 0.9),)
    drawn = sr._draw(net, sr._varying(net, {"x": r, "y": r}), {"x": r, "y": r}, group, 5_000, rng)
    assert _spearman(drawn[0], drawn[1]) > 0.8


def test_same_seed_same_results_and_doubling_stays_within_sampling_error() -> None:
    acts, links = _chain(5)
    acts.append(Activity("side", 60))
    links.append(Link("t0", "side"))
    ranges = {a.key: DurationRange.around(a.duration, -10, 40, "pert") for a in acts}
    network = _network(acts, links)
    first = simulate(network, ranges, iterations=2_000, seed=9)
    again = simulate(network, ranges, iterations=2_000, seed=9)
    assert first == again
    double = simulate(network, ranges, iterations=4_000, seed=10)
    assert abs((double.finish.p80 - first.finish.p80).days) <= 4
    assert abs((double.finish.mean - first.finish.mean).days) <= 3


def test_gate_probability_and_drivers_name_what_moves_the_gate() -> None:
    acts = [Activity("cleanse", 30, "p1"), Activity("config", 10, "p1"), Activity("gate", 0, "p1")]
    links = [Link("cleanse", "gate"), Link("config", "gate")]
    window = PhaseWindow("p1", MONDAY, MONDAY + dt.timedelta(days=43))  # 32 working days
    ranges = {
        "cleanse": DurationRange(25, 30, 50, "triangular"),
        "config": DurationRange(8, 10, 14),
    }
    events = (
        RiskEvent("R-7", 0.5, ("cleanse",), delay_days=5),
        RiskEvent("R-2", 0.5, ("config",), delay_days=1),
    )
    analysis = simulate(
        _network(acts, links, [window]), ranges, events=events, iterations=4_000, seed=1
    )
    gate = analysis.gate("p1")
    assert gate is not None and gate.probability is not None
    assert 0.05 < gate.probability < 0.6
    assert gate.drivers[0].key == "cleanse"
    assert "R-7" in [d.key for d in gate.drivers if d.kind == "risk"]
    assert "config" not in [d.key for d in gate.drivers[:2]]
    assert gate.percentiles[50] <= gate.percentiles[80] <= gate.percentiles[90]
    mitigated = simulate(
        _network(acts, links, [window]), ranges, events=(events[1],), iterations=4_000, seed=1
    ).gate("p1")
    assert mitigated is not None and mitigated.probability is not None
    assert mitigated.probability > gate.probability
    assert mitigated.p80 <= gate.p80


def test_wider_ranges_lower_the_probability() -> None:
    acts = [Activity("a", 20, "p1")]
    window = PhaseWindow("p1", MONDAY, MONDAY + dt.timedelta(days=29))
    narrow = simulate(
        _network(acts, [], [window]), {"a": DurationRange(18, 20, 24)}, iterations=2_000
    )
    wide = simulate(
        _network(acts, [], [window]), {"a": DurationRange(18, 20, 40)}, iterations=2_000
    )
    assert narrow.gates[0].probability is not None and wide.gates[0].probability is not None
    assert wide.gates[0].probability < narrow.gates[0].probability


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(ValidationError):
        DurationRange(10, 5, 20)
    with pytest.raises(ValidationError):
        RiskEvent("R", 1.5, ("a",))
    with pytest.raises(ValidationError):
        simulate(_network([Activity("a", 1)], []), {}, iterations=10)


def test_rankdata_ranks_as_scipy_does() -> None:
    import numpy as np
    from scipy import stats

    from planner.domain.schedule_risk import rankdata

    rng = np.random.default_rng(7)
    for shape in [(0,), (1,), (9,), (4, 30), (3, 1), (5, 0)]:
        values = rng.integers(0, 6, size=shape).astype(np.float32)  # many ties
        assert np.array_equal(rankdata(values), stats.rankdata(values, axis=-1))
        if len(shape) == 2:
            assert np.array_equal(rankdata(values, axis=1), stats.rankdata(values, axis=1))
            assert np.array_equal(rankdata(values, axis=0), stats.rankdata(values, axis=0))
