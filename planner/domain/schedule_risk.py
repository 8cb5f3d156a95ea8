"""Schedule risk analysis: Monte Carlo dates for every phase gate and the program finish.

Each iteration draws every item's duration from its three-point range (triangular or PERT),
with items of a correlation group moving together (a Gaussian copula: one shared normal
factor per group, weighted by the group's coefficient), adds the delay of every risk event
that occurs (a linked risk occurs with its probability; its delay, in working days or a share
of the item's duration, lands on each item it is linked to), and schedules the network with
exactly the deterministic engine's rules (:mod:`planner.domain.schedule`): link types and
lags, the calendar's working days, start-no-earlier dates and phase windows, progress at the
status date (done items fixed; in-progress items keep their actual start and draw only their
remaining work). The passes run level by level over all iterations at once (numpy arrays of
``items × iterations``): no Python loop over items or iterations.

For each phase gate and the program finish the result gives the distribution of the finish
date (P50/P80/P90, mean, an S-curve), the probability of meeting the gate, and what drives it:
the rank correlation (Spearman) of each item's duration and each risk's occurrence with that
finish, over the iterations, for the items and risks that move it. Per item, the criticality
index is the share of iterations in which it is on the longest path to the program finish
(float 0). Results are reproducible: the same inputs and seed give the same numbers.

With every range zero and no risk event, each iteration is the deterministic schedule: a
test holds the engine to it.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt

from planner.domain.calendar import WorkCalendar, WorkdayIndex
from planner.domain.errors import Problem, ValidationError
from planner.domain.schedule import (
    _DONE,
    _IN_PROGRESS,
    _NOT_STARTED,
    _TYPE_CODE,
    ROW_WIDTH,
    Activity,
    Link,
    PhaseWindow,
    _check_dates,
    _check_network,
    _levels_or_raise,
    _MemoIndex,
    _plan_rows,
    _stable_argsort,
)

Shape = Literal["triangular", "pert"]
SHAPES: Final[tuple[Shape, ...]] = ("triangular", "pert")
MAX_ITERATIONS: Final = 20_000
MIN_ITERATIONS: Final = 100
DEFAULT_ITERATIONS: Final = 2_000
LIKELIHOOD_PROBABILITY: Final[Mapping[int, float]] = {1: 0.1, 2: 0.3, 3: 0.5, 4: 0.7, 5: 0.9}
"""A risk's chance of occurring from its likelihood level (the middle of five equal bands),
unless the risk gives a probability of its own."""
PERCENTILES: Final = (50, 80, 90)
TOP_DRIVERS: Final = 8
_CANDIDATES: Final = 40  # items ranked by plain correlation before the rank correlation

FloatArray = npt.NDArray[np.floating[Any]]  # float64, or float32 where memory counts
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class DurationRange:
    """Three-point duration of an item, in working days: optimistic ≤ likely ≤ pessimistic."""

    optimistic: float
    likely: float
    pessimistic: float
    shape: Shape = "pert"

    def __post_init__(self) -> None:
        if not 0 <= self.optimistic <= self.likely <= self.pessimistic:
            raise ValidationError(
                problems=[Problem("range", "risk_analysis.range_order", {"likely": self.likely})]
            )
        if self.shape not in SHAPES:
            raise ValidationError.of("shape", "field.not_a_choice", value=self.shape)

    @property
    def zero(self) -> bool:
        return self.optimistic == self.likely == self.pessimistic

    @classmethod
    def around(cls, likely: int, low_pct: float, high_pct: float, shape: Shape) -> DurationRange:
        """A range as shares of the likely duration: ``around(10, -10, 30)`` is 9–10–13."""
        return cls(
            max(0.0, likely * (1 + low_pct / 100)),
            float(likely),
            max(float(likely), likely * (1 + high_pct / 100)),
            shape,
        )


@dataclass(frozen=True)
class RiskEvent:
    """A risk that, when it occurs (``probability``), delays the items it is linked to by
    ``delay_days`` working days plus ``delay_pct`` % of each item's drawn duration."""

    key: str
    probability: float
    items: tuple[str, ...]
    delay_days: float = 0.0
    delay_pct: float = 0.0

    def __post_init__(self) -> None:
        if not 0 <= self.probability <= 1:
            raise ValidationError.of("probability", "field.out_of_range", min=0, max=100)
        if self.delay_days < 0 or self.delay_pct < 0:
            raise ValidationError.of("delay", "risk_analysis.negative_delay")


@dataclass(frozen=True)
class CorrelationGroup:
    """Items that move together (one workstream): ``coefficient`` in [0, 1]."""

    name: str
    items: tuple[str, ...]
    coefficient: float

    def __post_init__(self) -> None:
        if not 0 <= self.coefficient <= 1:
            raise ValidationError.of("correlation", "field.out_of_range", min=0, max=1)


@dataclass(frozen=True)
class Network:
    """What the deterministic schedule is made of (as :class:`~planner.domain.schedule.
    Scheduler` takes it)."""

    activities: Sequence[Activity]
    links: Sequence[Link]
    calendar: WorkCalendar
    start: dt.date
    status_date: dt.date | None = None
    phase_windows: Sequence[PhaseWindow] = ()


@dataclass(frozen=True)
class Driver:
    """Something that moves a finish: an item's duration or a risk's occurrence."""

    kind: Literal["item", "risk"]
    key: str
    correlation: float  # Spearman rank correlation with the finish, -1..1
    criticality: float | None = None  # items: share of iterations on the longest path


@dataclass(frozen=True)
class FinishOutlook:
    """The simulated finish of one phase (its gate) or of the program (``phase`` None)."""

    phase: str | None
    gate: dt.date | None
    deterministic: dt.date
    mean: dt.date
    percentiles: Mapping[int, dt.date]
    probability: float | None  # of finishing on or before the gate
    curve: tuple[tuple[dt.date, float], ...]  # S-curve: date, share finished by then
    drivers: tuple[Driver, ...]

    @property
    def p80(self) -> dt.date:
        return self.percentiles[80]

    def days_late(self, percentile: int = 80) -> int:
        """Calendar days the percentile lies after the gate (negative: before)."""
        if self.gate is None:
            return 0
        return (self.percentiles[percentile] - self.gate).days


@dataclass(frozen=True)
class RiskAnalysis:
    iterations: int
    seed: int
    gates: tuple[FinishOutlook, ...]
    finish: FinishOutlook
    criticality: Mapping[str, float] = field(default_factory=dict)

    def gate(self, phase: str) -> FinishOutlook | None:
        return next((g for g in self.gates if g.phase == phase), None)


# --------------------------------------------------------------------------------------------
# sampling


@functools.cache
def _pert_tables(step: int) -> FloatArray:
    place = step / _MODE_STEPS
    alpha, beta = 1 + 4 * place, 1 + 4 * (1 - place)
    from scipy import special  # imported when first simulating: 0.1 s an app start need not pay

    table = np.asarray(special.betaincinv(alpha, beta, _GRID), np.float32)
    table.setflags(write=False)
    return table


_GRID: Final = np.linspace(0.0, 1.0, 2049)
_MODE_STEPS: Final = 400  # the mode's place in the range, to 1/400: PERT tables shared


def _quantiles(ranges: Sequence[DurationRange], u: FloatArray) -> FloatArray:
    """Each range's inverse distribution function at its row of uniforms ``u``."""
    a = np.array([r.optimistic for r in ranges], np.float32)[:, None]
    m = np.array([r.likely for r in ranges], np.float32)[:, None]
    b = np.array([r.pessimistic for r in ranges], np.float32)[:, None]
    span = b - a
    place = (m - a) / span
    out = np.empty_like(u)
    tri = np.array([r.shape == "triangular" for r in ranges], bool)
    if tri.any():
        ut, at, bt, mt = u[tri], a[tri], b[tri], m[tri]
        low = at + np.sqrt(ut * (bt - at) * (mt - at))
        high = bt - np.sqrt((1 - ut) * (bt - at) * (bt - mt))
        out[tri] = np.where(ut < place[tri], low, high)
    steps = np.rint(place[:, 0] * _MODE_STEPS).astype(np.int64)
    for step in np.unique(steps[~tri]).tolist():
        rows = np.flatnonzero((steps == step) & ~tri)
        out[rows] = a[rows] + span[rows] * _lookup(_pert_tables(step), u[rows])
    return out


def _lookup(table: FloatArray, u: FloatArray) -> FloatArray:
    """``table`` (values on :data:`_GRID`) at ``u``, interpolated linearly (a uniform grid:
    an index and a fraction, cheaper than ``np.interp``'s search)."""
    last = _GRID.size - 1
    t = u * np.float32(last)
    i = t.astype(np.int32)
    np.minimum(i, last - 1, out=i)
    t -= i
    low = table[i]
    low += t * (table[i + 1] - low)
    return low


def _uniforms(
    keys: Sequence[str],
    groups: Sequence[CorrelationGroup],
    iterations: int,
    rng: np.random.Generator,
) -> FloatArray:
    """``items × iterations`` uniforms; items of a group share a normal factor (a Gaussian
    copula), the others are drawn independently."""
    u = rng.random((len(keys), iterations), dtype=np.float32)
    from scipy.special import ndtr

    position = {k: i for i, k in enumerate(keys)}
    for group in groups:
        rows = [position[k] for k in group.items if k in position]
        if not rows or group.coefficient == 0:
            continue
        shared = rng.standard_normal(iterations, dtype=np.float32)
        z = rng.standard_normal((len(rows), iterations), dtype=np.float32)
        z *= np.float32(math.sqrt(1 - group.coefficient))
        z += np.float32(math.sqrt(group.coefficient)) * shared
        u[rows] = ndtr(z)
    return u


# --------------------------------------------------------------------------------------------
# the network as arrays


@dataclass(frozen=True)
class _Entries:
    """Links as arrays, sorted by the level-order position of ``by`` (successor forward,
    predecessor backward)."""

    pred: IntArray
    succ: IntArray
    read: npt.NDArray[np.bool_]  # reads the predecessor's start (SS, SF)
    bind: npt.NDArray[np.bool_]  # binds the successor's start (FS, SS)
    lag: IntArray
    levels: list[tuple[int, int, int, int]]  # level slice and entry slice


@dataclass(frozen=True)
class _Net:
    keys: list[str]
    order: IntArray  # level order → item
    position: IntArray  # item → level order
    state: IntArray
    duration: IntArray
    percent: FloatArray
    floor: IntArray
    fixed: IntArray
    rem0: IntArray
    milestone: npt.NDArray[np.bool_]
    phase: list[str | None]
    forward: _Entries  # links into items not done
    backward: _Entries  # the links that bound a predecessor's late finish
    index: WorkdayIndex
    memo: _MemoIndex

    @property
    def n(self) -> int:
        return len(self.keys)


def _entries(
    table: IntArray,
    codes: IntArray,
    lags: IntArray,
    keep: npt.NDArray[np.bool_],
    position: IntArray,
    bounds: list[tuple[int, int]],
    by_successor: bool,
) -> _Entries:
    pred, succ = table[keep, 0], table[keep, 1]
    code, lag = codes[keep], lags[keep]
    pos = position[succ if by_successor else pred]
    by = _stable_argsort(pos)
    pos = pos[by]
    starts = np.searchsorted(pos, [lo for lo, _ in bounds]).tolist()
    ends = np.searchsorted(pos, [hi for _, hi in bounds]).tolist()
    levels = [(lo, hi, a, b) for (lo, hi), a, b in zip(bounds, starts, ends, strict=True)]
    return _Entries(pred[by], succ[by], (code[by] & 1) == 1, code[by] < 2, lag[by], levels)


def _compile(net: Network, trusted: bool) -> _Net:
    acts, links = list(net.activities), list(net.links)
    if trusted:
        key_index = {a.key: i for i, a in enumerate(acts)}
        pairs = [(key_index[x.predecessor], key_index[x.successor]) for x in links]
    else:
        key_index, pairs = _check_network(acts, links)
        _check_dates(acts, tuple(net.phase_windows), net.start, net.status_date)
    n, m = len(acts), len(links)
    table = np.array(pairs, np.int64).reshape(m, 2)
    level = _levels_or_raise([a.key for a in acts], table[:, 0], table[:, 1])
    index = WorkdayIndex(net.calendar, net.start)
    memo = _MemoIndex(index)
    status = None if net.status_date is None else index.index(net.status_date)
    # the plan columns as the deterministic engine makes them (state, remaining days, floor,
    # fixed start, deadline, then gate columns this analysis does not read)
    rows = _plan_rows(acts, memo, status, lambda _phase, _milestone: 0)
    columns = np.array(rows, np.int64).reshape(n, ROW_WIDTH)
    order = _stable_argsort(level)
    position = np.empty(n, np.int64)
    position[order] = np.arange(n)
    cuts = (np.flatnonzero(np.diff(level[order])) + 1).tolist()
    edges = [0, *cuts, n] if n else []
    bounds = list(zip(edges[:-1], edges[1:], strict=True))
    codes = np.array([_TYPE_CODE[x.type] for x in links], np.int64)
    lags = np.array([x.lag for x in links], np.int64)
    state = columns[:, 0]
    active = state[table[:, 1]] != _DONE
    pred_state = state[table[:, 0]]
    # as the deterministic backward pass: a link that reads a started item's (fixed) start
    # does not bound its finish
    bounding = active & (
        (pred_state == _NOT_STARTED) | ((pred_state == _IN_PROGRESS) & ((codes & 1) == 0))
    )
    return _Net(
        keys=[a.key for a in acts],
        order=order,
        position=position,
        state=state,
        duration=np.array([a.duration for a in acts], np.int64),
        percent=np.array([a.percent_complete for a in acts], np.float64),
        floor=columns[:, 2],
        fixed=columns[:, 3],
        rem0=columns[:, 1],
        milestone=np.array([a.duration == 0 for a in acts], bool),
        phase=[a.phase for a in acts],
        forward=_entries(table, codes, lags, active, position, bounds, True),
        backward=_entries(table, codes, lags, bounding, position, bounds, False),
        index=index,
        memo=memo,
    )


def _remaining(net: _Net, drawn: FloatArray) -> IntArray:
    """Working days each item still needs in each iteration (``items × iterations``)."""
    rem = np.rint(drawn).astype(np.int64)
    tasks = ~net.milestone
    rem[tasks] = np.maximum(rem[tasks], 1)  # a drawn task never becomes a milestone
    started = net.state == _IN_PROGRESS
    if started.any():
        share = 1 - net.percent[started] / 100
        # as remaining_days(): ceil(duration × (1 - percent/100))
        rem[started] = np.ceil(rem[started] * share[:, None] - 1e-9).astype(np.int64)
    done = net.state == _DONE
    rem[done] = net.rem0[done][:, None]
    return rem


def _groups(local: IntArray) -> tuple[IntArray, IntArray]:
    """Heads of runs of equal values in ``local`` (sorted) and the value of each run."""
    heads = np.concatenate(([0], np.flatnonzero(np.diff(local)) + 1))
    return heads, local[heads]


def _forward(net: _Net, rem: IntArray) -> tuple[IntArray, IntArray]:
    """Early start and finish points of every item in every iteration."""
    f = net.forward
    es = np.empty_like(rem)
    ef = net.floor[:, None] + rem  # the lowest finish; raised by the links below
    started = net.state == _IN_PROGRESS
    for lo, hi, e_lo, e_hi in f.levels:
        items = net.order[lo:hi]
        if e_hi > e_lo:
            pred, succ = f.pred[e_lo:e_hi], f.succ[e_lo:e_hi]
            values = ef[pred]
            reads = f.read[e_lo:e_hi]
            if reads.any():
                values[reads] = es[pred[reads]]
            values += f.lag[e_lo:e_hi, None]
            binds = f.bind[e_lo:e_hi]
            values[binds] += rem[succ[binds]]
            heads, targets = _groups(net.position[succ] - lo)
            rows = items[targets]
            ef[rows] = np.maximum(ef[rows], np.maximum.reduceat(values, heads, axis=0))
        es[items] = ef[items] - rem[items]
        live = items[started[items]]
        if live.size:
            es[live] = net.fixed[live][:, None]
    return es, ef


def _zero_float_counts(net: _Net, rem: IntArray, ef: IntArray) -> IntArray:
    """Per item, in how many iterations it has zero float to the program finish."""
    b = net.backward
    n, k = ef.shape
    lf = np.broadcast_to(ef.max(axis=0), (n, k)).copy()
    started = net.state == _IN_PROGRESS
    span = rem.copy()
    span[started] = ef[started] - net.fixed[started][:, None]
    for lo, _hi, e_lo, e_hi in reversed(b.levels):
        if e_hi == e_lo:
            continue
        pred, succ = b.pred[e_lo:e_hi], b.succ[e_lo:e_hi]
        values = lf[succ] - b.lag[e_lo:e_hi, None]
        binds = b.bind[e_lo:e_hi]
        values[binds] -= rem[succ[binds]]
        reads = b.read[e_lo:e_hi]
        values[reads] += span[pred[reads]]
        heads, targets = _groups(net.position[pred] - lo)
        rows = net.order[lo + targets]
        lf[rows] = np.minimum(lf[rows], np.minimum.reduceat(values, heads, axis=0))
    critical = (lf - ef <= 0) & (net.state != _DONE)[:, None]
    return np.asarray(critical.sum(axis=1), np.int64)


def _shown_finish_days(net: _Net, ef: IntArray) -> IntArray:
    """The working-day index of each item's shown finish date (see the schedule's rules):
    a task's last working day, a milestone's day before its point (its point at 0)."""
    shown = ef - 1
    mil = net.milestone
    if mil.any():
        shown[mil] = np.where(ef[mil] > 0, ef[mil] - 1, ef[mil])
    return shown


# --------------------------------------------------------------------------------------------
# drawing durations and risk events


def _varying(net: _Net, ranges: Mapping[str, DurationRange]) -> IntArray:
    """The items whose duration is drawn: a range that is not zero, not done, not a
    milestone."""
    return np.array(
        [
            i
            for i, k in enumerate(net.keys)
            if k in ranges and not ranges[k].zero and not net.milestone[i] and net.state[i] != _DONE
        ],
        np.int64,
    )


def _draw(
    net: _Net,
    varying: IntArray,
    ranges: Mapping[str, DurationRange],
    groups: Sequence[CorrelationGroup],
    iterations: int,
    rng: np.random.Generator,
) -> FloatArray:
    """Drawn durations of the varying items (``varying × iterations``)."""
    if not varying.size:
        return np.empty((0, iterations), np.float32)
    keys = [net.keys[i] for i in varying.tolist()]
    u = _uniforms(keys, groups, iterations, rng)
    return _quantiles([ranges[k] for k in keys], u)


def _occurrences(
    events: Sequence[RiskEvent], iterations: int, rng: np.random.Generator
) -> npt.NDArray[np.bool_]:
    chance = np.array([e.probability for e in events], np.float64).reshape(-1, 1)
    return np.asarray(rng.random((len(events), iterations)) < chance, bool)


def _durations(
    net: _Net,
    varying: IntArray,
    drawn: FloatArray,
    events: Sequence[RiskEvent],
    occurred: npt.NDArray[np.bool_],
) -> FloatArray:
    """Every item's duration in each iteration of a chunk: drawn, plus risk delays."""
    k = occurred.shape[1] if occurred.size else drawn.shape[1]
    durations = np.repeat(net.duration.astype(np.float64)[:, None], k, axis=1)
    durations[varying] = drawn
    where = {key: i for i, key in enumerate(net.keys)}
    for e, event in enumerate(events):
        rows = [where[key] for key in event.items if key in where]
        rows = [i for i in rows if net.state[i] != _DONE and not net.milestone[i]]
        if rows and occurred[e].any():
            extra = event.delay_days + durations[rows] * (event.delay_pct / 100)
            durations[rows] += extra * occurred[e]
    return durations


# --------------------------------------------------------------------------------------------
# results


def rankdata(values: npt.ArrayLike, axis: int = -1) -> FloatArray:
    """Ranks along ``axis`` from 1, ties given their average rank (as
    ``scipy.stats.rankdata``, whose import costs an app start a third of a second).

    Examples:
        >>> rankdata([10, 30, 20, 20]).tolist()
        [1.0, 4.0, 2.5, 2.5]
    """
    x = np.moveaxis(np.asarray(values), axis, -1)
    shape = x.shape
    if x.size == 0:
        return np.zeros(np.shape(values), np.float64)
    flat = x.reshape(-1, shape[-1]) if x.ndim else x.reshape(1, 1)
    rows, n = flat.shape
    order = np.argsort(flat, axis=1, kind="stable")
    ordered = np.take_along_axis(flat, order, 1)
    starts = np.ones((rows, n), bool)
    starts[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    group = np.cumsum(starts.ravel()) - 1  # ties share a group; every row starts one
    place = np.tile(np.arange(1, n + 1, dtype=np.float64), rows)
    average = np.bincount(group, weights=place) / np.bincount(group)
    out = np.empty((rows, n), np.float64)
    np.put_along_axis(out, order, average[group].reshape(rows, n), 1)
    return np.moveaxis(out.reshape(shape), -1, axis)


def _rank_correlations(samples: FloatArray, target: FloatArray) -> FloatArray:
    """Spearman correlation of each row of ``samples`` with ``target`` (0 for a constant)."""
    if samples.shape[0] == 0:
        return np.zeros(0)
    ranks = rankdata(samples, axis=1)
    ranks -= ranks.mean(axis=1, keepdims=True)
    t = rankdata(target)
    t = t - t.mean()
    with np.errstate(invalid="ignore", divide="ignore"):
        r = (ranks @ t) / np.sqrt((ranks * ranks).sum(axis=1) * (t @ t))
    return np.asarray(np.nan_to_num(r), np.float64)


@dataclass(frozen=True)
class _Samples:
    """The drawn durations centred once, for every finish's first ranking of drivers."""

    centred: FloatArray
    norms: FloatArray

    @classmethod
    def of(cls, drawn: FloatArray) -> _Samples:
        centred = drawn - drawn.mean(axis=1, keepdims=True, dtype=np.float64).astype(np.float32)
        return cls(centred, np.sqrt(np.einsum("ij,ij->i", centred, centred, dtype=np.float64)))

    def correlations(self, target: FloatArray) -> FloatArray:
        t = (target - target.mean()).astype(np.float32)
        with np.errstate(invalid="ignore", divide="ignore"):
            r = (self.centred @ t) / (self.norms * float(np.sqrt(t @ t)))
        return np.asarray(np.nan_to_num(r), np.float64)


def _drivers(
    net: _Net,
    varying: IntArray,
    samples: _Samples,
    events: Sequence[RiskEvent],
    occurred: npt.NDArray[np.bool_],
    finish_days: IntArray,
    criticality: FloatArray,
) -> tuple[Driver, ...]:
    target = finish_days.astype(np.float64)
    if np.ptp(target) == 0:
        return ()
    found: list[Driver] = []
    if varying.size:
        plain = samples.correlations(target)
        pick = np.argsort(-np.abs(plain), kind="stable")[:_CANDIDATES]
        ranked = _rank_correlations(samples.centred[pick], target)
        for j, r in zip(pick.tolist(), ranked.tolist(), strict=True):
            if abs(r) >= 0.05:
                i = int(varying[j])
                found.append(Driver("item", net.keys[i], round(r, 3), float(criticality[i])))
    if occurred.size:
        ranked = _rank_correlations(occurred.astype(np.float64), target)
        for event, r in zip(events, ranked.tolist(), strict=True):
            if abs(r) >= 0.05:
                found.append(Driver("risk", event.key, round(r, 3)))
    found.sort(key=lambda d: (-abs(d.correlation), d.kind, d.key))
    return tuple(found[:TOP_DRIVERS])


def _outlook(
    net: _Net,
    days: IntArray,
    deterministic_day: int,
    gate: dt.date | None,
    phase: str | None,
    drivers: tuple[Driver, ...],
) -> FinishOutlook:
    unique, counts = np.unique(days, return_counts=True)
    cumulative = np.cumsum(counts) / days.size
    curve_dates = net.index.dates(unique)
    percentiles = {
        p: curve_dates[int(np.searchsorted(cumulative, p / 100 - 1e-12))] for p in PERCENTILES
    }
    probability = None
    if gate is not None:
        last_day = net.memo.index_through(gate) - 1
        probability = float((days <= last_day).mean())
    return FinishOutlook(
        phase=phase,
        gate=gate,
        deterministic=net.index.date(deterministic_day),
        mean=net.index.date(int(math.floor(float(days.mean()) + 0.5))),
        percentiles=percentiles,
        probability=probability,
        curve=tuple(zip(curve_dates, (round(float(c), 4) for c in cumulative), strict=True)),
        drivers=drivers,
    )


# --------------------------------------------------------------------------------------------
# the entry point


def _chunk(n: int) -> int:
    """Iterations per pass: about four million cells, so memory stays bounded."""
    return max(50, 4_000_000 // max(n, 1))


def simulate(
    network: Network,
    ranges: Mapping[str, DurationRange],
    *,
    events: Sequence[RiskEvent] = (),
    groups: Sequence[CorrelationGroup] = (),
    iterations: int = DEFAULT_ITERATIONS,
    seed: int = 1,
    trusted: bool = False,
) -> RiskAnalysis:
    """Simulate the network ``iterations`` times (see the module docstring)."""
    if not MIN_ITERATIONS <= iterations <= MAX_ITERATIONS:
        raise ValidationError.of(
            "iterations", "field.out_of_range", min=MIN_ITERATIONS, max=MAX_ITERATIONS
        )
    net = _compile(network, trusted)
    if net.n == 0:
        raise ValidationError.of("", "risk_analysis.empty_plan")
    rng = np.random.default_rng(seed)
    varying = _varying(net, ranges)
    drawn = np.empty((varying.size, iterations), np.float32)  # kept for the drivers
    occurred = _occurrences(events, iterations, rng)
    phases = list(dict.fromkeys(p for p in net.phase if p is not None))
    members = [np.array([i for i, p in enumerate(net.phase) if p == ph]) for ph in phases]
    finish_days = np.empty((len(phases) + 1, iterations), np.int64)
    zero_float = np.zeros(net.n, np.int64)
    step = _chunk(net.n)
    for lo in range(0, iterations, step):
        hi = min(iterations, lo + step)
        chunk = _draw(net, varying, ranges, groups, hi - lo, rng)
        drawn[:, lo:hi] = chunk
        durations = _durations(net, varying, chunk, events, occurred[:, lo:hi])
        rem = _remaining(net, durations)
        del durations, chunk
        ef = _forward(net, rem)[1]
        zero_float += _zero_float_counts(net, rem, ef)
        shown = _shown_finish_days(net, ef)
        for p, rows in enumerate(members):
            finish_days[p, lo:hi] = shown[rows].max(axis=0)
        finish_days[-1, lo:hi] = shown.max(axis=0)
        del rem, ef, shown
    criticality = zero_float / iterations
    base = _remaining(net, net.duration.astype(np.float64)[:, None])
    base_shown = _shown_finish_days(net, _forward(net, base)[1])[:, 0]
    windows = {w.key: w.end for w in network.phase_windows}
    samples = _Samples.of(drawn)
    del drawn
    outlooks = []
    for p, (phase, rows) in enumerate([*zip(phases, members, strict=True), (None, None)]):
        days = finish_days[p]
        deterministic = int(base_shown.max() if rows is None else base_shown[rows].max())
        drivers = _drivers(net, varying, samples, events, occurred, days, criticality)
        gate = windows.get(phase) if phase is not None else None
        outlooks.append(_outlook(net, days, deterministic, gate, phase, drivers))
    return RiskAnalysis(
        iterations=iterations,
        seed=seed,
        gates=tuple(outlooks[:-1]),
        finish=outlooks[-1],
        criticality={k: round(float(c), 4) for k, c in zip(net.keys, criticality, strict=True)},
    )


def early_finish_points(
    network: Network,
    ranges: Mapping[str, DurationRange],
    *,
    events: Sequence[RiskEvent] = (),
    iterations: int,
    seed: int,
) -> tuple[list[str], IntArray]:
    """Every item's early finish point in every iteration (for tests and diagnostics)."""
    net = _compile(network, trusted=False)
    rng = np.random.default_rng(seed)
    varying = _varying(net, ranges)
    occurred = _occurrences(events, iterations, rng)
    drawn = _draw(net, varying, ranges, (), iterations, rng)
    durations = _durations(net, varying, drawn, events, occurred)
    return net.keys, _forward(net, _remaining(net, durations))[1]
