"""What a re-imported plan file changes, compared by key (plain data, no database)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from planner.interop.plan_changes import merged, plan_changes
from planner.interop.plandata import ItemData, LinkData, PhaseData, PlanData, problems

D = dt.date(2026, 3, 2)
PHASES = (PhaseData("p1", "Phase 1", 1, D, D + dt.timedelta(days=99)),)
NOW = PlanData(
    "P",
    D,
    phases=PHASES,
    items=(
        ItemData("a", "A", "p1", duration=3, name_en="A", name_zh="甲", version=1),
        ItemData("b", "B", "p1", duration=2, owner="Li", name_en="B", version=4),
        ItemData("m", "M", "p1", "milestone", 0, name_en="M", version=2),
    ),
    links=(LinkData("a", "b"), LinkData("b", "m", "FS", 1)),
)


def fields(changes) -> set[tuple[str, str, object, object]]:
    return {(i.key, c.field, c.old, c.new) for i in changes for c in i.changes}


def test_the_same_plan_changes_nothing() -> None:
    changes = plan_changes(NOW, NOW)
    assert changes.empty and changes.removed == () and changes.conflicts == ()


def test_fields_and_predecessors_are_compared_by_key() -> None:
    file = replace(
        NOW,
        items=(
            replace(NOW.items[0], duration=5, owner="Wang"),
            NOW.items[1],
            replace(NOW.items[2], actual_start=D, actual_finish=D, percent_complete=100),
        ),
        links=(LinkData("a", "b", "SS", 2), LinkData("b", "m", "FS", 1)),
    )
    changes = plan_changes(NOW, file)
    assert fields(changes.updated) == {
        ("a", "duration", 3, 5),
        ("a", "owner", None, "Wang"),
        ("b", "predecessors", (("a", "FS", 0),), (("a", "SS", 2),)),
        ("m", "actual_start", None, D),
        ("m", "actual_finish", None, D),
        ("m", "percent_complete", 0, 100),
    }


def test_a_name_in_a_language_the_file_lacks_is_kept() -> None:
    file = replace(NOW, items=(replace(NOW.items[0], name_zh=None), *NOW.items[1:]))
    assert plan_changes(NOW, file).empty
    renamed = replace(NOW, items=(replace(NOW.items[0], name_zh="甲方"), *NOW.items[1:]))
    assert fields(plan_changes(NOW, renamed).updated) == {("a", "name_zh", "甲", "甲方")}


def test_new_keys_are_added_and_missing_keys_reported_not_removed() -> None:
    new = ItemData("c", "C", "p1", duration=4)
    file = replace(NOW, items=(NOW.items[0], NOW.items[2], new), links=(LinkData("a", "c"),))
    changes = plan_changes(NOW, file)
    assert [c.key for c in changes.added] == ["c"]
    assert changes.removed == ("b",)
    # m lost its only predecessor b: the file says so (b is not in it)
    assert fields(changes.updated) == {("m", "predecessors", (("b", "FS", 1),), None)}
    plan = merged(NOW, file, changes)
    assert [i.key for i in plan.items] == ["a", "b", "m", "c"]  # b stays
    assert set(plan.links) == {LinkData("a", "b"), LinkData("a", "c")}


def test_a_stale_row_that_the_file_changes_is_a_conflict() -> None:
    stale = replace(NOW, items=(replace(NOW.items[0], version=2), *NOW.items[1:]))
    file = replace(NOW, items=(replace(NOW.items[0], duration=9), *NOW.items[1:]))
    changes = plan_changes(stale, file)
    assert changes.updated == ()
    (conflict,) = changes.conflicts
    assert (conflict.key, conflict.exported, conflict.current) == ("a", 1, 2)
    assert merged(stale, file, changes) == stale  # conflicts are not applied


def test_a_stale_row_the_file_leaves_alone_is_no_conflict() -> None:
    stale = replace(NOW, items=(replace(NOW.items[0], version=7), *NOW.items[1:]))
    assert plan_changes(stale, NOW).conflicts == ()


def test_the_merged_plan_is_checked_whole() -> None:
    # the file makes a depend on m: with b → m and a → b in the plan, that is a cycle
    file = replace(NOW, links=(*NOW.links, LinkData("m", "a")))
    found = problems(merged(NOW, file, plan_changes(NOW, file)))
    assert [p.message for p in found] == ["dependency cycle: a → b → m → a"]


def test_the_fingerprint_follows_the_changes() -> None:
    one = replace(NOW, items=(replace(NOW.items[0], duration=5), *NOW.items[1:]))
    two = replace(NOW, items=(replace(NOW.items[0], duration=6), *NOW.items[1:]))
    assert plan_changes(NOW, one).fingerprint() == plan_changes(NOW, one).fingerprint()
    assert plan_changes(NOW, one).fingerprint() != plan_changes(NOW, two).fingerprint()
