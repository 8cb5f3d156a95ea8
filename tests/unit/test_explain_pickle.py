"""Explanations survive pickling (the derived-results cache stores them: programs list)."""

from __future__ import annotations

import pickle

from planner.domain.explain import Days, Explanation, Term


def test_a_nested_explanation_pickles_and_stays_read_only() -> None:
    inner = Explanation("schedule.overrun", {"days": Days(1)})
    outer = Explanation("rag.area", {"area": Term("area", "schedule"), "reason": inner})
    again = pickle.loads(pickle.dumps(outer))
    assert again == outer and again.params["reason"].params["days"] == Days(1)
    try:
        again.params["area"] = "x"  # type: ignore[index]  # read-only on purpose
    except TypeError:
        pass
    else:
        raise AssertionError("params became writable after pickling")
