"""The scheduler's full passes compiled with numba: cost O(items + links), whatever the depth.

Each function works on the :class:`~planner.domain.schedule.Scheduler`'s own item-indexed
columns (int64) and its link columns (predecessor, successor, type code, lag, alive), with
the same rules as the plain-Python and level-by-level engines of
:mod:`planner.domain.schedule` (the property tests check all three against one reference):

* links into a done item constrain nothing (forward);
* backward, a link counts when its successor is not done and its predecessor is not
  started, or in progress and the link reads its finish (FS, FF);
* an item in progress is read at its actual start by SS and SF links.

Items are visited in level order (a topological order), so every pass is one visit per item
and per link. Importing this module imports numba (about half a second): the scheduler
imports it only for plans large enough to gain from it (see
:data:`planner.domain.schedule.COMPILED_MIN_ITEMS`); ``cache=True`` keeps the machine code
next to this file, so a new process loads it instead of compiling again.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from numba import njit

Int64Array = npt.NDArray[np.int64]

BIG = 1 << 40  # "no bound"; the same value as planner.domain.schedule._BIG
IN_PROGRESS = 1
DONE = 2


@njit(cache=True)
def levels(n: int, pred: Int64Array, succ: Int64Array) -> Int64Array:
    """Longest-path level of every node (sources 0); -1 for nodes on or after a cycle."""
    first = np.zeros(n + 1, np.int64)
    indeg = np.zeros(n, np.int64)
    for k in range(pred.size):
        first[pred[k] + 1] += 1
        indeg[succ[k]] += 1
    for i in range(n):
        first[i + 1] += first[i]
    fill = first[:n].copy()
    targets = np.empty(pred.size, np.int64)
    for k in range(pred.size):
        targets[fill[pred[k]]] = succ[k]
        fill[pred[k]] += 1
    level = np.zeros(n, np.int64)
    queue = np.empty(n, np.int64)
    tail = 0
    for i in range(n):
        if indeg[i] == 0:
            queue[tail] = i
            tail += 1
    head = 0
    while head < tail:
        u = queue[head]
        head += 1
        nxt = level[u] + 1
        for e in range(first[u], first[u + 1]):
            v = targets[e]
            if level[v] < nxt:
                level[v] = nxt
            indeg[v] -= 1
            if indeg[v] == 0:
                queue[tail] = v
                tail += 1
    for i in range(n):
        if indeg[i] > 0:
            level[i] = -1
    return level


@njit(cache=True)
def _order(level: Int64Array) -> Int64Array:
    """Items sorted by level (a counting sort; stable)."""
    n = level.size
    top = 0
    for i in range(n):
        if level[i] > top:
            top = level[i]
    start = np.zeros(top + 2, np.int64)
    for i in range(n):
        start[level[i] + 1] += 1
    for v in range(top + 1):
        start[v + 1] += start[v]
    order = np.empty(n, np.int64)
    for i in range(n):
        order[start[level[i]]] = i
        start[level[i]] += 1
    return order


@njit(cache=True)
def _group(n: int, key: Int64Array, mask: npt.NDArray[np.bool_]) -> tuple[Int64Array, Int64Array]:
    """Ids of the links where ``mask`` holds, grouped by ``key`` (offsets, ids)."""
    first = np.zeros(n + 1, np.int64)
    for k in range(key.size):
        if mask[k]:
            first[key[k] + 1] += 1
    for i in range(n):
        first[i + 1] += first[i]
    fill = first[:n].copy()
    ids = np.empty(first[n], np.int64)
    for k in range(key.size):
        if mask[k]:
            ids[fill[key[k]]] = k
            fill[key[k]] += 1
    return first, ids


@njit(cache=True)
def _masks(
    lp: Int64Array, ls: Int64Array, lt: Int64Array, alive: Int64Array, state: Int64Array
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Which links bind forward (successor not done) and backward (see the module doc)."""
    m = lp.size
    forward = np.zeros(m, np.bool_)
    backward = np.zeros(m, np.bool_)
    for k in range(m):
        if alive[k] == 0 or state[ls[k]] == DONE:
            continue
        forward[k] = True
        sp = state[lp[k]]
        backward[k] = sp == 0 or (sp == IN_PROGRESS and (lt[k] & 1) == 0)
    return forward, backward


@njit(cache=True)
def network(
    level: Int64Array,
    lp: Int64Array,
    ls: Int64Array,
    lt: Int64Array,
    alive: Int64Array,
    state: Int64Array,
) -> tuple[Int64Array, Int64Array, Int64Array, Int64Array, Int64Array]:
    """Level order and the binding links into and out of each item (offsets, link ids)."""
    n = level.size
    forward, backward = _masks(lp, ls, lt, alive, state)
    in_first, in_ids = _group(n, ls, forward)
    out_first, out_ids = _group(n, lp, backward)
    return _order(level), in_first, in_ids, out_first, out_ids


@njit(cache=True)
def forward_pass(
    order: Int64Array,
    in_first: Int64Array,
    in_ids: Int64Array,
    lp: Int64Array,
    lt: Int64Array,
    lg: Int64Array,
    state: Int64Array,
    rem: Int64Array,
    floor: Int64Array,
    fixed: Int64Array,
    es: Int64Array,
    ef: Int64Array,
) -> int:
    """Early dates of every item; returns the project finish (largest early finish)."""
    finish = 0
    for idx in range(order.size):
        i = order[idx]
        r = rem[i]
        best = floor[i] + r
        for e in range(in_first[i], in_first[i + 1]):
            k = in_ids[e]
            p = lp[k]
            t = lt[k]
            if t & 1:
                value = fixed[p] if state[p] == IN_PROGRESS else es[p]
            else:
                value = ef[p]
            value += lg[k]
            if t < 2:
                value += r
            if value > best:
                best = value
        ef[i] = best
        es[i] = fixed[i] if state[i] == IN_PROGRESS else best - r
        if idx == 0 or best > finish:
            finish = best
    return finish


@njit(cache=True)
def backward_pass(
    order: Int64Array,
    out_first: Int64Array,
    out_ids: Int64Array,
    lp: Int64Array,
    ls: Int64Array,
    lt: Int64Array,
    lg: Int64Array,
    rem: Int64Array,
    es: Int64Array,
    ef: Int64Array,
    base: Int64Array,
    phase: Int64Array,
    lf: Int64Array,
) -> None:
    """Late finish of every item: ``lf[i] = min(base[i], what its binding links allow)``.

    The textbook pass gives ``base = min(deadline - F, 0)`` and a phase array of zeros
    (late finishes relative to the finish F); the gate pass gives each item's gate point
    and its phase number, and a link between two phases reads its successor plus BIG.
    """
    for idx in range(order.size - 1, -1, -1):
        i = order[idx]
        best = base[i]
        span = ef[i] - es[i]
        for e in range(out_first[i], out_first[i + 1]):
            k = out_ids[e]
            s = ls[k]
            t = lt[k]
            value = lf[s] - lg[k]
            if t < 2:
                value -= rem[s]
            if t & 1:
                value += span
            if phase[lp[k]] != phase[s]:
                value += BIG
            if value < best:
                best = value
        lf[i] = best


@njit(cache=True)
def floats(
    out_first: Int64Array,
    out_ids: Int64Array,
    ls: Int64Array,
    lt: Int64Array,
    lg: Int64Array,
    state: Int64Array,
    rem: Int64Array,
    es: Int64Array,
    ef: Int64Array,
    lf: Int64Array,
    lf_gate: Int64Array,
    finish: int,
) -> tuple[Int64Array, Int64Array, Int64Array, npt.NDArray[np.bool_]]:
    """Late finish, total float, free float and the critical flag of every item."""
    n = es.size
    late = np.empty(n, np.int64)
    total = np.empty(n, np.int64)
    free = np.empty(n, np.int64)
    critical = np.zeros(n, np.bool_)
    for i in range(n):
        done = state[i] == DONE
        if done:
            late[i] = ef[i]
        else:
            late[i] = min(lf[i] + finish, lf_gate[i])
        total[i] = late[i] - ef[i]
        lo, hi = out_first[i], out_first[i + 1]
        slack = finish - ef[i]
        if hi > lo:
            slack = BIG
            for e in range(lo, hi):
                k = out_ids[e]
                s = ls[k]
                t = lt[k]
                value = ef[s] - (es[i] if t & 1 else ef[i]) - lg[k]
                if t < 2:
                    value -= rem[s]
                if value < slack:
                    slack = value
        cap = total[i] if total[i] > 0 else 0
        free[i] = 0 if done else min(slack, cap)
        critical[i] = not done and total[i] <= 0
    return late, total, free, critical


@njit(cache=True)
def backward_all(
    order: Int64Array,
    out_first: Int64Array,
    out_ids: Int64Array,
    ls: Int64Array,
    lt: Int64Array,
    lg: Int64Array,
    state: Int64Array,
    rem: Int64Array,
    es: Int64Array,
    ef: Int64Array,
    fnl: Int64Array,
    gate: Int64Array,
    phase: Int64Array,
    gates: bool,
    finish: int,
    lf: Int64Array,
    lf_gate: Int64Array,
) -> tuple[Int64Array, Int64Array, Int64Array, npt.NDArray[np.bool_]]:
    """The textbook backward pass, the gate pass and :func:`floats` in one visit per item
    and link (a full pass); the same numbers as the three apart. ``gates``: whether any
    item has a gate (else every gate late finish is BIG)."""
    n = order.size
    late = np.empty(n, np.int64)
    total = np.empty(n, np.int64)
    free = np.empty(n, np.int64)
    critical = np.zeros(n, np.bool_)
    for idx in range(n - 1, -1, -1):
        i = order[idx]
        best = min(fnl[i] - finish, 0)
        gate_best = gate[i] if gates else BIG
        span = ef[i] - es[i]
        lo, hi = out_first[i], out_first[i + 1]
        slack = finish - ef[i] if hi == lo else BIG
        for e in range(lo, hi):
            k = out_ids[e]
            s = ls[k]
            t = lt[k]
            bind = rem[s] if t < 2 else 0
            adj = -lg[k] - bind + (span if t & 1 else 0)
            value = lf[s] + adj
            if value < best:
                best = value
            if gates:
                value = lf_gate[s] + adj
                if phase[i] != phase[s]:
                    value += BIG
                if value < gate_best:
                    gate_best = value
            value = ef[s] - (es[i] if t & 1 else ef[i]) - lg[k] - bind
            if value < slack:
                slack = value
        lf[i] = best
        lf_gate[i] = gate_best
        done = state[i] == DONE
        late[i] = ef[i] if done else min(best + finish, gate_best)
        total[i] = late[i] - ef[i]
        cap = total[i] if total[i] > 0 else 0
        free[i] = 0 if done else min(slack, cap)
        critical[i] = not done and total[i] <= 0
    return late, total, free, critical
