"""How an edit reaches a compiled schedule: the domain activity of an item, and the edits
(an item changed, a link added or removed) applied to a program's kept schedule."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Protocol

from planner.domain.errors import DependencyCycleError
from planner.domain.schedule import (
    Activity,
    Link,
    LinkType,
    PhaseWindow,
)
from planner.models import Phase, WorkItem
from planner.services.live_schedule import LiveSchedule


def activity_of(
    phase: Phase | PhaseWindow,
    item_key: str,
    duration: int,
    constraint_type: str | None,
    constraint_date: date | None,
    actual_start: date | None,
    actual_finish: date | None,
    percent_complete: float,
) -> Activity:
    """The domain activity of one item: its phase window is a start-no-earlier date."""
    if isinstance(phase, PhaseWindow):
        key, start_no_earlier = phase.key, phase.start
    else:
        key, start_no_earlier = phase.key, phase.window_start
    if constraint_type == "SNET" and constraint_date:
        start_no_earlier = max(start_no_earlier, constraint_date)
    return Activity(
        key=item_key,
        duration=duration,
        phase=key,
        start_no_earlier=start_no_earlier,
        finish_no_later=constraint_date if constraint_type == "FNLT" else None,
        actual_start=actual_start,
        actual_finish=actual_finish,
        percent_complete=float(percent_complete),
    )


# --------------------------------------------------------------------------------------------
# edits applied to the compiled schedule


class NotIncremental(Exception):
    """The edit changes something the incremental scheduler cannot: schedule it in full."""


class FullPassNeeded(NotIncremental):
    """As :class:`NotIncremental`, but the kept schedule's record already holds the edit:
    schedule in full from the record (the rows as they are now) without reading the rows."""


class ScheduleEdit(Protocol):
    """One change to a program's plan, applied to its compiled schedule."""

    def apply(self, live: LiveSchedule) -> None: ...


@dataclass(frozen=True)
class ItemEdited:
    """An item's fields were changed in memory (not flushed yet): a new duration, a name,
    progress, a constraint or another phase (the last three scheduled in full)."""

    item: WorkItem

    def apply(self, live: LiveSchedule) -> None:
        item = self.item
        i = live.position(item.id)
        window = live.phase_windows.get(item.phase_id)
        if i is None or window is None:
            raise NotIncremental
        if live.record is not None:
            # before the names below: the record shares their lists, and writes its texts
            # again only when it sees a name change
            live.record.set_item(i, item)
        live.names[i] = (item.name, item.name_zh)
        before = live.scheduler.activity(i)
        after = activity_of(
            window,
            item.key,
            item.duration_days,
            item.constraint_type,
            item.constraint_date,
            item.actual_start,
            item.actual_finish,
            item.percent_complete,
        )
        if after == before:
            return  # a name, owner or deliverable: nothing to schedule
        if replace(before, duration=after.duration) != after:
            # progress, a constraint, another phase: the incremental scheduler changes
            # durations only
            raise FullPassNeeded if live.record is not None else NotIncremental
        live.scheduler.set_duration(before.key, after.duration)


@dataclass(frozen=True)
class LinkAdded:
    """A dependency about to be added (refused here when it would close a cycle)."""

    predecessor: str
    successor: str
    type: LinkType
    lag: int

    def apply(self, live: LiveSchedule) -> None:
        try:
            live.scheduler.add_link(Link(self.predecessor, self.successor, self.type, self.lag))
        except DependencyCycleError as exc:
            # named from the successor back to the predecessor: the path the new link closes
            cycle = exc.cycle
            if self.successor in cycle:
                at = cycle.index(self.successor)
                cycle = [*cycle[at:], *cycle[:at]]
            raise DependencyCycleError(cycle) from None
        if live.record is not None:
            live.record.add_link(self.predecessor, self.successor, self.type, self.lag)


@dataclass(frozen=True)
class LinkRemoved:
    predecessor: str
    successor: str

    def apply(self, live: LiveSchedule) -> None:
        live.scheduler.remove_link(self.predecessor, self.successor)
        if live.record is not None:
            live.record.remove_link(self.predecessor, self.successor)
