"""The one check for a dependency cycle among work items named by their keys.

A cycle is named by its keys from the smallest one on, so a refusal names the same cycle
the same way whichever file, page or upgrade brought it (the sentence is
``dependency.cycle``, :class:`planner.domain.errors.DependencyCycleError`).
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx


def find_cycle(pairs: Iterable[tuple[str, str]]) -> list[str] | None:
    """Keys along one cycle of the ``(predecessor, successor)`` pairs, from the smallest key
    on, or None when there is none.

    Examples:
        >>> find_cycle([("b", "c"), ("c", "a"), ("a", "b")])
        ['a', 'b', 'c']
        >>> find_cycle([("a", "b")]) is None
        True
    """
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_edges_from(pairs)
    try:
        edges = nx.find_cycle(graph)
    except nx.NetworkXNoCycle:
        return None
    cycle = [str(u) for u, _v, *_ in edges]
    first = cycle.index(min(cycle))  # start from the smallest key, for stable messages
    return cycle[first:] + cycle[:first]
