"""Property tests of the scheduler on random networks (hypothesis).

Checked against the definitions, not against the implementation: every link holds for the
early and for the late dates, no item could start earlier or finish later, floats and the
critical flag follow from the dates, and incremental changes end where a full schedule does.
A small dict-based CPM written from the module docstring is the reference for progress.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import networkx as nx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.domain.calendar import WorkCalendar, WorkdayIndex
from planner.domain.errors import DependencyCycleError
from planner.domain.schedule import (
    LINK_TYPES,
    Activity,
    Link,
    LinkType,
    PhaseWindow,
    Scheduler,
)

D = dt.date
START = D(2024, 6, 3)  # Monday
# a holiday on Monday 10 June and a make-up Saturday 15 June
CAL = WorkCalendar(holidays=frozenset({D(2024, 6, 10)}), extra_workdays=frozenset({D(2024, 6, 15)}))
INDEX = WorkdayIndex(CAL, START)
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# each example of the incremental tests makes up to four changes, each checked by a rebuild
INCREMENTAL = settings(SETTINGS, max_examples=80)

Network = tuple[list[Activity], list[Link], dt.date | None, list[PhaseWindow]]
PHASES = ("p1", "p2")

some_dates = st.dates(START - dt.timedelta(days=6), START + dt.timedelta(days=45))


@st.composite
def networks(draw: st.DrawFn, progress: bool = False, max_items: int = 12) -> Network:
    """Random DAG; item i may only depend on items before it, then the list is shuffled."""
    n = draw(st.integers(1, max_items))
    status = draw(st.dates(START, START + dt.timedelta(days=25))) if progress else None
    # gates (phase window ends) are deadlines for the items of their phase
    windows = [
        PhaseWindow(key, START, draw(st.dates(START, START + dt.timedelta(days=60))))
        for key in PHASES
        if draw(st.booleans())
    ]
    acts = []
    for i in range(n):
        phase = draw(st.sampled_from([None, *PHASES]))
        duration = draw(st.integers(0, 6))
        snet = draw(st.none() | some_dates) if draw(st.booleans()) else None
        fnl = draw(st.none() | some_dates) if draw(st.integers(0, 5)) == 0 else None
        actual_start = actual_finish = None
        percent = 0.0
        if status is not None and draw(st.integers(0, 2)) == 0:
            actual_start = draw(st.dates(START - dt.timedelta(days=3), status))
            if draw(st.booleans()):
                actual_finish = draw(st.dates(actual_start, status))
                if draw(st.booleans()):
                    actual_start = None
            else:
                percent = draw(st.sampled_from([0.0, 10.0, 50.0, 70.0, 99.0, 100.0]))
        acts.append(
            Activity(f"k{i}", duration, phase, snet, fnl, actual_start, actual_finish, percent)
        )
    pairs = [(i, j) for j in range(n) for i in range(j)]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=2 * n)) if pairs else []
    links = [
        Link(f"k{i}", f"k{j}", draw(st.sampled_from(LINK_TYPES)), draw(st.integers(-4, 4)))
        for i, j in chosen
    ]
    order = draw(st.permutations(range(n)))
    return [acts[i] for i in order], links, status, windows


def build(
    net: Network, limit: int | None = None, trusted: bool = False, engine: str = "levels"
) -> Scheduler:
    """The scheduler under test; full passes level by level unless ``engine`` says "loop"."""
    acts, links, status, windows = net
    return Scheduler(
        acts,
        links,
        CAL,
        START,
        status,
        windows,
        incremental_limit=limit,
        trusted=trusted,
        engine=engine,
    )


# --- display rules, written from the module docstring ----------------------------------------


def shown_start(point: int, milestone: bool) -> dt.date:
    return INDEX.date(point - 1 if milestone and point >= 1 else point)


def shown_finish(point: int, milestone: bool) -> dt.date:
    return INDEX.date(point if milestone and point < 1 else point - 1)


def first_point(ok: Callable[[int], bool]) -> int:
    point = -20
    while not ok(point):
        point += 1
    return point


def snet_point(act: Activity) -> int:
    """The earliest start point whose displayed start is on or after the constraint."""
    if act.start_no_earlier is None:
        return 0
    snet = act.start_no_earlier
    return first_point(lambda p: shown_start(p, act.duration == 0) >= snet)


def fnl_point(act: Activity) -> int | None:
    """The latest finish point whose displayed finish is on or before the constraint."""
    if act.finish_no_later is None:
        return None
    fnl = act.finish_no_later
    return first_point(lambda p: shown_finish(p + 1, act.duration == 0) > fnl)


def gate_point(act: Activity, windows: list[PhaseWindow]) -> int | None:
    """The latest finish point whose displayed finish is on or before the phase's gate."""
    gates = [w.end for w in windows if w.key == act.phase]
    if not gates:
        return None
    return first_point(lambda p: shown_finish(p + 1, act.duration == 0) > gates[0])


# --- properties of plans without progress ----------------------------------------------------


@SETTINGS
@given(networks())
def test_early_dates_meet_every_link_and_are_as_early_as_possible(net: Network) -> None:
    acts, links, _, windows = net
    points = build(net).points()
    dur = {a.key: a.duration for a in acts}
    bounds: dict[str, list[int]] = {a.key: [0, snet_point(a)] for a in acts}
    for link in links:
        p, s = points[link.predecessor], points[link.successor]
        read = p.early_start if link.type in ("SS", "SF") else p.early_finish
        bound = read + link.lag
        if link.type in ("FS", "SS"):
            assert s.early_start >= bound, link
            bounds[link.successor].append(bound)
        else:
            assert s.early_finish >= bound, link
            bounds[link.successor].append(bound - dur[link.successor])
    for act in acts:
        es, ef = points[act.key].early_start, points[act.key].early_finish
        assert ef - es == act.duration
        assert es == max(bounds[act.key])  # no item could start earlier


@SETTINGS
@given(networks())
def test_late_dates_meet_every_link_and_are_as_late_as_possible(net: Network) -> None:
    # the textbook backward pass (gates are deadlines inside their phase: see the reference)
    acts, links, _, _ = net
    s = build((acts, links, None, []))
    points = s.points()
    finish = max(p.early_finish for p in points.values())
    assert s.finish_point == finish
    dur = {a.key: a.duration for a in acts}
    bounds: dict[str, list[int]] = {a.key: [finish] for a in acts}
    for act in acts:
        fnl = fnl_point(act)
        if fnl is not None:
            bounds[act.key].append(fnl)
    for link in links:
        p, q = points[link.predecessor], points[link.successor]
        target = q.late_start if link.type in ("FS", "SS") else q.late_finish
        if link.type in ("FS", "FF"):
            assert p.late_finish + link.lag <= target, link
            bounds[link.predecessor].append(target - link.lag)
        else:
            assert p.late_start + link.lag <= target, link
            bounds[link.predecessor].append(target - link.lag + dur[link.predecessor])
    for act in acts:
        ls, lf = points[act.key].late_start, points[act.key].late_finish
        assert lf - ls == act.duration
        assert lf == min(bounds[act.key])  # no item could finish later


@SETTINGS
@given(networks())
def test_floats_and_critical_items(net: Network) -> None:
    acts, links, _, windows = net
    s = build(net)
    points, result = s.points(), s.result()
    items = result.items
    finish = s.finish_point
    totals = {k: p.late_start - p.early_start for k, p in points.items()}
    smallest = min(0, min(totals.values()))
    for act in acts:
        item, p = items[act.key], points[act.key]
        assert item.total_float == totals[act.key] == p.late_finish - p.early_finish
        assert item.critical is (item.total_float <= 0)
        # free float: the least slack on its links (or F - EF), never above its total float
        slacks = []
        for link in links:
            if link.predecessor == act.key:
                q = points[link.successor]
                read = p.early_start if link.type in ("SS", "SF") else p.early_finish
                at = q.early_start if link.type in ("FS", "SS") else q.early_finish
                slacks.append(at - read - link.lag)
        free = min(slacks) if slacks else finish - p.early_finish
        assert item.free_float == min(free, max(item.total_float, 0))
        assert 0 <= item.free_float
    assert result.negative_float == [a.key for a in acts if totals[a.key] < 0]
    if all(fnl_point(a) is None and gate_point(a, windows) is None for a in acts):
        assert smallest == 0 and result.critical_paths
    # each critical path: critical items joined by zero-slack links
    for path in result.critical_paths:
        assert all(items[k].critical for k in path)
        for a, b in zip(path, path[1:], strict=False):
            link = next(x for x in links if (x.predecessor, x.successor) == (a, b))
            p, q = points[a], points[b]
            read = p.early_start if link.type in ("SS", "SF") else p.early_finish
            at = q.early_start if link.type in ("FS", "SS") else q.early_finish
            assert at == read + link.lag


@SETTINGS
@given(networks())
def test_shown_dates_follow_the_points(net: Network) -> None:
    acts, _, _, _ = net
    s = build(net)
    points, items = s.points(), s.result().items
    for act in acts:
        p, item = points[act.key], items[act.key]
        if act.duration == 0:  # a milestone shows one date, that of the day before its point
            assert item.early_start == item.early_finish == shown_finish(p.early_finish, True)
            assert item.late_start == item.late_finish == shown_finish(p.late_finish, True)
        else:
            assert item.early_start == INDEX.date(p.early_start)
            assert item.early_finish == INDEX.date(p.early_finish - 1)
            assert item.late_start == INDEX.date(p.late_start)
            assert item.late_finish == INDEX.date(p.late_finish - 1)
        if act.start_no_earlier is not None:
            assert item.early_start >= act.start_no_earlier
        if act.finish_no_later is not None and item.total_float >= 0:
            assert item.early_finish <= act.finish_no_later


# --- progress: a plain dict-based CPM from the docstring as the reference ---------------------


def reference(net: Network) -> dict[str, tuple[int, int, int, int, int, int, bool]]:
    acts, links, status, windows = net
    status_point = None if status is None else INDEX.index(status)
    by_key = {a.key: a for a in acts}
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(by_key)
    for link in links:
        graph.add_edge(link.predecessor, link.successor, link=link)
    state, rem, floor, fixed = {}, {}, {}, {}
    for a in acts:
        ms = a.duration == 0
        lower = max(0, snet_point(a))
        if status is not None:
            lower = max(lower, first_point(lambda p, ms=ms: shown_start(p, ms) >= status))
        started = status_point is not None and (a.actual_start or a.actual_finish)
        if not started:
            state[a.key], rem[a.key], floor[a.key] = "todo", a.duration, lower
        elif ms or a.actual_finish is not None:
            if ms:
                day = a.actual_finish or a.actual_start
                assert day is not None
                ef = first_point(lambda p, d=day: shown_finish(p + 1, True) > d)
                es = ef
            else:
                assert a.actual_finish is not None
                ef = INDEX.index_through(a.actual_finish)
                if a.actual_start is not None:
                    es = min(INDEX.index(a.actual_start), ef - 1)
                else:
                    es = ef - a.duration
            state[a.key], rem[a.key], floor[a.key] = "done", ef - es, es
        else:
            assert a.actual_start is not None
            left = -(-a.duration * round(100 - a.percent_complete) // 100)
            state[a.key], rem[a.key], floor[a.key] = "doing", left, lower
            fixed[a.key] = INDEX.index(a.actual_start)
    es_, ef_ = {}, {}
    for k in nx.topological_sort(graph):
        bound = floor[k] + rem[k]
        if state[k] != "done":
            for p in graph.predecessors(k):
                link = graph.edges[p, k]["link"]
                read = es_[p] if link.type in ("SS", "SF") else ef_[p]
                bound = max(bound, read + link.lag + (rem[k] if link.type in ("FS", "SS") else 0))
        ef_[k] = bound
        es_[k] = fixed[k] if state[k] == "doing" else bound - rem[k]
    finish = max(ef_.values())
    lf_: dict[str, int] = {}
    for k in reversed(list(nx.topological_sort(graph))):
        if state[k] == "done":
            lf_[k] = ef_[k]
            continue
        fnl = fnl_point(by_key[k])
        bound = finish if fnl is None else min(finish, fnl)
        for s in graph.successors(k):
            link = graph.edges[k, s]["link"]
            if state[s] == "done":
                continue
            if state[k] == "doing" and link.type in ("SS", "SF"):
                continue  # a started item's start is fixed: such links do not bound it
            value = lf_[s] - link.lag - (rem[s] if link.type in ("FS", "SS") else 0)
            bound = min(bound, value + (ef_[k] - es_[k] if link.type in ("SS", "SF") else 0))
        lf_[k] = bound
    # gates: a second backward pass from each item's phase gate over the links inside its
    # phase only; the late finish is the earlier of the two
    gate_lf: dict[str, int | None] = {}
    for k in reversed(list(nx.topological_sort(graph))):
        if state[k] == "done":
            gate_lf[k] = None
            continue
        bounds = [gate_point(by_key[k], windows)]
        for s in graph.successors(k):
            link = graph.edges[k, s]["link"]
            same_phase = by_key[s].phase == by_key[k].phase
            if state[s] == "done" or not same_phase or gate_lf[s] is None:
                continue
            if state[k] == "doing" and link.type in ("SS", "SF"):
                continue
            value = gate_lf[s] - link.lag - (rem[s] if link.type in ("FS", "SS") else 0)
            bounds.append(value + (ef_[k] - es_[k] if link.type in ("SS", "SF") else 0))
        known = [b for b in bounds if b is not None]
        gate_lf[k] = min(known) if known else None
    for k, value in gate_lf.items():
        if value is not None and state[k] != "done":
            lf_[k] = min(lf_[k], value)
    total = {k: lf_[k] - ef_[k] for k in by_key}
    out = {}
    for k in by_key:
        slacks = [
            (ef_[s] - (rem[s] if link.type in ("FS", "SS") else 0))
            - ((es_[k] if link.type in ("SS", "SF") else ef_[k]) + link.lag)
            for s in graph.successors(k)
            if state[s] != "done"
            for link in [graph.edges[k, s]["link"]]
            if not (state[k] == "doing" and link.type in ("SS", "SF"))
        ]
        free = min(min(slacks) if slacks else finish - ef_[k], max(total[k], 0))
        done = state[k] == "done"
        # a started item's late start is its actual start
        late_start = es_[k] if state[k] == "doing" else lf_[k] - (ef_[k] - es_[k])
        out[k] = (
            es_[k],
            ef_[k],
            late_start,
            lf_[k],
            total[k],
            0 if done else free,
            not done and total[k] <= 0,
        )
    return out


def observed(s: Scheduler) -> dict[str, tuple[int, int, int, int, int, int, bool]]:
    items = s.result().items
    return {
        k: (*p, items[k].total_float, items[k].free_float, items[k].critical)
        for k, p in s.points().items()
    }


@SETTINGS
@given(networks(progress=True))
def test_progress_matches_the_reference(net: Network) -> None:
    expected = reference(net)
    assert observed(build(net)) == expected
    assert observed(build(net, engine="loop")) == expected  # item by item, for deep plans
    assert observed(build(net, engine="compiled")) == expected  # numba, for large plans
    assert observed(build(net, trusted=True)) == expected  # rows validated at the edge


@SETTINGS
@given(networks(progress=True))
def test_actual_dates_are_kept_and_the_rest_waits_for_the_status_date(net: Network) -> None:
    acts, _, status, _ = net
    assert status is not None
    items = build(net).result().items
    for act in acts:
        item = items[act.key]
        if act.actual_finish is not None and act.duration > 0:
            assert item.early_finish == CAL.previous_workday(act.actual_finish)
            if act.actual_start is not None and CAL.next_workday(act.actual_start) <= (
                act.actual_finish
            ):
                assert item.early_start == CAL.next_workday(act.actual_start)
            assert item.early_start <= item.early_finish <= status
            assert not item.critical and item.total_float == 0
        elif act.actual_start is not None and act.duration > 0:
            assert item.early_start == CAL.next_workday(act.actual_start)
        elif act.actual_start is None and act.actual_finish is None:
            assert item.early_start >= status


# --- incremental changes equal a full schedule ---------------------------------------------


limits = st.sampled_from([None, 0, 1, 3, 1000])
engines = st.sampled_from(["levels", "compiled"])  # the engine of the fallback full passes


def full(s: Scheduler) -> Scheduler:
    # the reference of the incremental tests is a full pass item by item
    return Scheduler(
        s.activities, s.links, CAL, START, s.status_date, s.phase_windows, engine="loop"
    )


def moved_between(before: Scheduler | dict[str, tuple[int, ...]], after: Scheduler) -> set[str]:
    old = before if isinstance(before, dict) else {k: tuple(p) for k, p in before.points().items()}
    return {k for k, p in after.points().items() if tuple(p[:2]) != tuple(old[k][:2])}


@INCREMENTAL
@given(networks(progress=True), limits, st.data())
def test_set_duration_equals_a_full_schedule(
    net: Network, limit: int | None, data: st.DataObject
) -> None:
    s = build(net, limit, engine=data.draw(engines))
    keys = [a.key for a in net[0]]
    for _ in range(data.draw(st.integers(1, 4))):
        before = {k: tuple(p) for k, p in s.points().items()}
        key = data.draw(st.sampled_from(keys))
        moved = s.set_duration(key, data.draw(st.integers(0, 8)))
        reference_run = full(s)
        assert s.points() == reference_run.points()
        assert s.result() == reference_run.result()
        assert moved == moved_between(before, s)


@INCREMENTAL
@given(networks(progress=True), limits, st.data())
def test_add_link_equals_a_full_schedule_or_names_the_cycle(
    net: Network, limit: int | None, data: st.DataObject
) -> None:
    s = build(net, limit, engine=data.draw(engines))
    keys = [a.key for a in net[0]]
    for _ in range(data.draw(st.integers(1, 4))):
        if len(keys) < 2:
            return
        pred, succ = data.draw(st.permutations(keys))[:2]
        if any((x.predecessor, x.successor) == (pred, succ) for x in s.links):
            continue
        kind: LinkType = data.draw(st.sampled_from(LINK_TYPES))
        link = Link(pred, succ, kind, data.draw(st.integers(-4, 4)))
        graph: nx.DiGraph[str] = nx.DiGraph([(x.predecessor, x.successor) for x in s.links])
        closes_cycle = (
            graph.has_node(succ) and graph.has_node(pred) and nx.has_path(graph, succ, pred)
        )
        before = {k: tuple(p) for k, p in s.points().items()}
        links_before = s.links
        if closes_cycle:
            try:
                s.add_link(link)
            except DependencyCycleError as error:
                cycle = error.cycle
            else:
                raise AssertionError("cycle not refused")
            assert cycle[:2] == [pred, succ]
            for a, b in zip(cycle[1:], [*cycle[2:], cycle[0]], strict=True):
                assert graph.has_edge(a, b)
            assert s.links == links_before
            assert {k: tuple(p) for k, p in s.points().items()} == before
            continue
        moved = s.add_link(link)
        reference_run = full(s)
        assert s.links == (*links_before, link)
        assert s.points() == reference_run.points()
        assert s.result() == reference_run.result()
        assert moved == moved_between(before, s)


@INCREMENTAL
@given(networks(progress=True), limits, st.data())
def test_remove_link_equals_a_full_schedule(
    net: Network, limit: int | None, data: st.DataObject
) -> None:
    s = build(net, limit, engine=data.draw(engines))
    for _ in range(data.draw(st.integers(1, 3))):
        if not s.links:
            return
        link = data.draw(st.sampled_from(s.links))
        before = {k: tuple(p) for k, p in s.points().items()}
        moved = s.remove_link(link.predecessor, link.successor)
        reference_run = full(s)
        assert s.points() == reference_run.points()
        assert s.result() == reference_run.result()
        assert moved == moved_between(before, s)


@SETTINGS
@given(networks(progress=True))
def test_gates_that_do_not_bind_leave_the_textbook_schedule(net: Network) -> None:
    acts, links, status, windows = net
    far = [PhaseWindow(w.key, w.start, START + dt.timedelta(days=3000)) for w in windows]
    textbook = reference((acts, links, status, []))
    assert observed(build((acts, links, status, far))) == textbook
    # and a gate deadline only ever lowers late dates and floats
    with_gates = observed(build(net))
    for key, (es, ef, _, lf, total, _, _) in with_gates.items():
        assert (es, ef) == textbook[key][:2]
        assert lf <= textbook[key][3] and total <= textbook[key][4]
