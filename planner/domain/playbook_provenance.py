"""Where a program's rows came from, read from its audit trail: which rows were created with
the program or by an upgrade, and which a person edited (the rules are in the notes of
:mod:`planner.services.library`; the service reads the events, this module judges them).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class TrailEvent:
    """One audit event, the columns the judgement reads."""

    id: int
    action: str
    entity: str
    entity_id: int | None
    entity_label: str
    field: str | None


@dataclass(frozen=True)
class TrailMarks:
    """What the trail says: rows created with the program or by an upgrade, rows a person
    edited (a playbook field updated), metric keys whose targets a person changed."""

    created: frozenset[tuple[str, int]]
    edited: frozenset[tuple[str, int]]
    edited_targets: frozenset[str]


def trail_marks(
    events: Iterable[TrailEvent],
    creation: tuple[int | None, int | None],
    upgrades: Sequence[tuple[int, int]],
    edit_fields: Mapping[str, frozenset[str]],
    target_entity: str,
) -> TrailMarks:
    """Judge the ``events`` of one program.

    ``creation`` is the first event id of the program's creation run and the first id after
    it (None: no creation in the trail / the run never ended); ``upgrades`` the id ranges
    (both ends included) that upgrades wrote; ``edit_fields`` the fields per entity whose
    update is an edit; an event of ``target_entity`` (a metric target, labelled
    ``"<metric key> phase <n>"``) outside creation and upgrades edits that metric's targets.

    Examples:
        >>> events = [TrailEvent(1, "create", "risk", 7, "r", None),
        ...           TrailEvent(5, "update", "risk", 7, "r", "title"),
        ...           TrailEvent(6, "update", "risk", 7, "r", "status"),
        ...           TrailEvent(8, "update", "metrictarget", 3, "nps phase 1", "target")]
        >>> marks = trail_marks(events, (1, 4), [], {"risk": frozenset({"title"})},
        ...                     "metrictarget")
        >>> sorted(marks.created), sorted(marks.edited), sorted(marks.edited_targets)
        ([('risk', 7)], [('risk', 7)], ['nps'])
    """
    start, end = creation
    created: set[tuple[str, int]] = set()
    edited: set[tuple[str, int]] = set()
    edited_targets: set[str] = set()
    for event in events:
        in_creation = start is not None and event.id >= start and (end is None or event.id < end)
        upgraded = any(a <= event.id <= b for a, b in upgrades)
        if event.entity == target_entity:
            if not in_creation and not upgraded:
                edited_targets.add(event.entity_label.rsplit(" phase ", 1)[0])
            continue
        if event.entity_id is None:
            continue
        ident = (event.entity, event.entity_id)
        if event.action == "create" and (in_creation or upgraded):
            created.add(ident)
        elif (
            event.action == "update"
            and not upgraded
            and event.field in edit_fields.get(event.entity, frozenset())
        ):
            edited.add(ident)
    return TrailMarks(frozenset(created), frozenset(edited), frozenset(edited_targets))
