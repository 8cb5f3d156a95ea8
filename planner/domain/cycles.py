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


def closing_cycle(graph: nx.DiGraph[str], predecessor: str, successor: str) -> list[str] | None:
    """The cycle a new link ``predecessor → successor`` would close in ``graph`` (keys from
    the smallest on, as :func:`find_cycle` names one), or None.

    Examples:
        >>> graph = nx.DiGraph([("a", "b"), ("b", "c")])
        >>> closing_cycle(graph, "c", "a")
        ['a', 'b', 'c']
        >>> closing_cycle(graph, "a", "c") is None
        True
    """
    if not (graph.has_node(successor) and graph.has_node(predecessor)):
        return None
    if not nx.has_path(graph, successor, predecessor):
        return None
    path = [str(key) for key in nx.shortest_path(graph, successor, predecessor)]
    cycle = [predecessor, *path[:-1]]
    first = cycle.index(min(cycle))
    return cycle[first:] + cycle[:first]


def cycle_text(cycle: list[str]) -> str:
    """A cycle as every refusal names it: ``a → b → c → a``.

    Examples:
        >>> cycle_text(["a", "b", "c"])
        'a → b → c → a'
    """
    return " → ".join([*cycle, cycle[0]]) if cycle else "?"
