"""Where a program's rows came from, judged from its audit trail (domain.playbook_provenance)."""

from __future__ import annotations

from planner.domain.playbook_provenance import TrailEvent, TrailMarks, trail_marks

FIELDS = {"workitem": frozenset({"name", "duration_days"}), "risk": frozenset({"title"})}


def marks(
    events: list[TrailEvent],
    creation: tuple[int | None, int | None] = (10, 20),
    upgrades: tuple[tuple[int, int], ...] = ((30, 35),),
) -> TrailMarks:
    return trail_marks(events, creation, list(upgrades), FIELDS, "metrictarget")


def test_created_with_the_program_or_by_an_upgrade() -> None:
    found = marks(
        [
            TrailEvent(9, "create", "workitem", 1, "before", None),  # before the program
            TrailEvent(10, "create", "workitem", 2, "a", None),
            TrailEvent(19, "create", "workitem", 3, "b", None),
            TrailEvent(20, "create", "workitem", 4, "after the run", None),
            TrailEvent(31, "create", "risk", 5, "by an upgrade", None),
            TrailEvent(36, "create", "risk", 6, "by a person", None),
            TrailEvent(12, "create", "workitem", None, "no id", None),
        ]
    )
    assert found.created == {("workitem", 2), ("workitem", 3), ("risk", 5)}
    assert found.edited == frozenset() and found.edited_targets == frozenset()


def test_edits_are_updates_of_playbook_fields_not_by_an_upgrade() -> None:
    found = marks(
        [
            TrailEvent(21, "update", "workitem", 2, "a", "name"),
            TrailEvent(22, "update", "workitem", 3, "b", "percent_complete"),  # running it
            TrailEvent(32, "update", "workitem", 4, "c", "duration_days"),  # the upgrade
            TrailEvent(40, "delete", "risk", 5, "r", "title"),
            TrailEvent(41, "update", "risk", 6, "r", "title"),
            TrailEvent(42, "update", "dependency", 7, "x → y", "type"),  # no fields listed
        ]
    )
    assert found.edited == {("workitem", 2), ("risk", 6)}


def test_target_changes_outside_creation_and_upgrades_edit_the_metric() -> None:
    found = marks(
        [
            TrailEvent(11, "create", "metrictarget", 1, "adoption phase 1", None),
            TrailEvent(33, "update", "metrictarget", 2, "nps phase 2", "target"),
            TrailEvent(50, "update", "metrictarget", 3, "data phase quality phase 3", "target"),
            TrailEvent(51, "delete", "metrictarget", None, "churn phase 1", None),
        ]
    )
    assert found.edited_targets == {"data phase quality", "churn"}
    assert found.created == frozenset()


def test_no_creation_in_the_trail_and_a_run_that_never_ended() -> None:
    events = [TrailEvent(5, "create", "risk", 1, "r", None)]
    assert marks(events, creation=(None, None), upgrades=()).created == frozenset()
    assert marks(events, creation=(3, None), upgrades=()).created == {("risk", 1)}
