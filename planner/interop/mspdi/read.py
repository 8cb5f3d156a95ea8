"""Reading an MSPDI file into a plan: every part read, links resolved, phases dated, the plan's
rules checked with errors named by task.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Final

from planner.interop.messages import N_, Message
from planner.interop.mspdi.read_base import (
    _CALENDAR,
    _PROJECT,
    _TASKS,
    MspdiImport,
    _PhaseDraft,
    _RawLink,
    _RawTask,
    task_where,
)
from planner.interop.mspdi.read_calendar import _CalendarReader
from planner.interop.mspdi.read_tasks import _TaskReader
from planner.interop.mspdi.semantics import NAMESPACE
from planner.interop.plandata import (
    ItemData,
    LinkData,
    PhaseData,
    PlanData,
    Problem,
    find_cycle,
    import_error,
    normalised,
    problems,
)
from planner.interop.safe_xml import local_name, parse


class _Reader(_CalendarReader, _TaskReader):
    # -- the whole file -------------------------------------------------------------------

    def plan(self) -> _Built | None:
        self.header()
        self.calendars()
        raws = self.raw_tasks()
        drafts, items, raw_links = self.sort_tasks(raws)
        links = self.resolve_links(raw_links, {raw.uid: raw for raw in raws}, items)
        if self.errors:
            return None
        start = self.project_start(items)
        if start is None:
            return None
        item_uids = [uid for d in drafts for uid in d.item_uids]
        plan = PlanData(
            self.name,
            start,
            self.calendar,
            self.phases(drafts, items),
            tuple(items[uid] for uid in item_uids),
            tuple(link for _, link in links),
            status_date=self.status_date,
            language=self.language,
        )
        return _Built(
            plan, [d.uid for d in drafts], item_uids, [uid for uid, _ in links], dict(self.names)
        )

    def sort_tasks(
        self, raws: list[_RawTask]
    ) -> tuple[list[_PhaseDraft], dict[int, ItemData], list[_RawLink]]:
        """The phases (top-level summaries, and one for the tasks outside any), the items
        read by task UID, and the links as the file writes them."""
        drafts: list[_PhaseDraft] = []
        loose: _PhaseDraft | None = None
        items: dict[int, ItemData] = {}
        raw_links: list[_RawLink] = []
        top: _PhaseDraft | None = None
        for raw in raws:
            if raw.skipped is not None:
                continue
            if raw.level == 1:
                top = None
            if raw.summary:
                summary = self.summary(raw)
                if summary is not None:
                    top = summary
                    drafts.append(summary)
                continue
            if top is not None:
                phase = top
            elif loose is not None:
                phase = loose
            else:
                phase = loose = self.loose_phase(drafts, raws)
                drafts.append(loose)
            item = self.item(raw, phase.key, phase.start)
            raw_links.extend(self.links(raw))
            if item is not None:
                items[raw.uid] = item
                phase.item_uids.append(raw.uid)
        return drafts, items, raw_links

    def summary(self, raw: _RawTask) -> _PhaseDraft | None:
        """A summary task at the top level is a phase; one inside a phase is left out (its
        tasks are kept), and so are links into a summary."""
        if self.children(raw.element, "PredecessorLink"):
            self.notes.append(
                Message(
                    N_("%(task)s: the links into a summary task were dropped"),
                    task=self.where(raw.uid),
                )
            )
        if raw.level == 1:
            return self.phase(raw)
        raw.skipped = "summary"
        self.notes.append(
            Message(
                N_(
                    "%(task)s is a summary task inside a phase: its tasks were kept, "
                    "the summary was not"
                ),
                task=self.where(raw.uid),
            )
        )
        return None

    def loose_phase(self, drafts: list[_PhaseDraft], raws: list[_RawTask]) -> _PhaseDraft:
        """The phase of the tasks outside any summary, named after the project; keyed t0
        unless a phase or a task already is."""
        taken = {d.key for d in drafts} | {f"t{r.uid}" for r in raws}
        key = "t0" if "t0" not in taken else "project"
        return _PhaseDraft(None, key, self.name, None, None, None)

    def project_start(self, items: dict[int, ItemData]) -> dt.date | None:
        """The project's StartDate, else its tasks' earliest day (with a note); None (with an
        error) when there is neither."""
        if self.start is not None:
            return self.start
        starts = [d for i in items.values() for d in (i.early_start, i.actual_start) if d]
        if not starts:
            self.errors.append((_PROJECT, Message(N_("the project has no StartDate"))))
            return None
        self.start = min(starts)
        self.notes.append(
            Message(N_("the project has no StartDate: %(day)s is used"), day=self.start)
        )
        return self.start

    def resolve_links(
        self, raw_links: list[_RawLink], by_uid: dict[int, _RawTask], items: dict[int, ItemData]
    ) -> list[tuple[int, LinkData]]:
        durations = {uid: item.duration for uid, item in items.items()}
        out: list[tuple[int, LinkData]] = []
        for link in raw_links:
            where = self.where(link.successor_uid)
            pred = by_uid.get(link.predecessor_uid)
            if pred is None:
                self.errors.append(
                    (
                        where,
                        Message(
                            N_("the predecessor UID %(uid)s is not a task of the file"),
                            uid=link.predecessor_uid,
                        ),
                    )
                )
                continue
            if pred.skipped is not None or pred.summary and pred.uid not in items:
                why = _SKIPPED["summary" if pred.summary else pred.skipped or "summary"]
                self.notes.append(
                    Message(
                        N_("%(task)s: the link from UID %(uid)s (%(why)s) was dropped"),
                        task=where,
                        uid=pred.uid,
                        why=why,
                    )
                )
                continue
            if link.predecessor_uid not in items or link.successor_uid not in items:
                continue  # an error about that task is already listed
            lag, unit, amount = self.lag(link, durations)
            data = LinkData(
                items[pred.uid].key, items[link.successor_uid].key, link.type, lag, unit, amount
            )
            out.append((link.successor_uid, data))
        return out

    def phases(
        self, drafts: list[_PhaseDraft], items: dict[int, ItemData]
    ) -> tuple[PhaseData, ...]:
        assert self.start is not None
        used: set[int] = set()
        for draft in drafts:
            if draft.ordinal is not None:
                used.add(draft.ordinal)
        following = max(used) + 1 if used else 1
        out: list[PhaseData] = []
        for draft in drafts:
            ordinal = draft.ordinal
            if ordinal is None:
                ordinal = following
                following += 1
            days = [
                d
                for uid in draft.item_uids
                for d in (
                    items[uid].early_start,
                    items[uid].early_finish,
                    items[uid].actual_start,
                    items[uid].actual_finish,
                )
                if d is not None
            ]
            if draft.start is not None:
                start = draft.start
            elif draft.uid in self.open_phases:
                start = min([self.start, *days])
            else:
                start = min(days) if days else self.start
            end = draft.end or (max(days) if days else start)
            out.append(
                PhaseData(draft.key, draft.name, ordinal, start, max(start, end), draft.alt_name)
            )
        return tuple(out)


# -- errors of the whole plan, named by task ----------------------------------------------------

#: Why a task was not imported (:attr:`_RawTask.skipped`), for the note on a link to it.
_SKIPPED: Final = {
    "summary": Message(N_("a summary task")),
    "blank row": Message(N_("a blank row")),
    "project summary": Message(N_("the project summary")),
    "inactive": Message(N_("an inactive task")),
}

_ELEMENT_OF: Final = {
    "key": "Planner key",
    "name": "Name",
    "ordinal": "Planner phase ordinal",
    "start": "Start",
    "end": "Finish",
    "phase_key": "phase",
    "kind": "Milestone",
    "duration": "Duration",
    "workstream": "Workstream",
    "owner": "Owner",
    "percent_complete": "PercentComplete",
    "actual_start": "ActualStart",
    "actual_finish": "ActualFinish",
    "constraint_type": "ConstraintType",
    "constraint_date": "ConstraintDate",
    "early_start": "Start",
    "early_finish": "Finish",
    "baseline_start": "Baseline Start",
    "baseline_finish": "Baseline Finish",
    "predecessor": "PredecessorLink",
    "successor": "PredecessorLink",
    "type": "PredecessorLink Type",
    "lag": "LinkLag",
}


@dataclass(frozen=True)
class _Built:
    """A plan read from a file, with the UID each phase, item and link came from."""

    plan: PlanData
    phase_uids: list[int | None]
    item_uids: list[int]
    link_uids: list[int]

    names: dict[int, str] = field(default_factory=dict)  # task UID → Name

    def task(self, uid: int) -> Message:
        return task_where(uid, self.names.get(uid, ""))

    def locate(self, problem: Problem) -> tuple[str, str]:
        """A problem of the plan as (task, message), in the file's terms; tasks are named by
        UID and name."""
        element = _ELEMENT_OF.get(problem.field, problem.field)
        message = (
            Message(N_("%(element)s: %(problem)s"), element=element, problem=problem.message)
            if element
            else problem.message
        )
        index = problem.index
        if problem.section == "items" and index is not None:
            return self.task(self.item_uids[index]), message
        if problem.section == "phases" and index is not None:
            uid = self.phase_uids[index]
            return (_PROJECT if uid is None else self.task(uid)), message
        if problem.section == "links" and index is not None:
            return self.task(self.link_uids[index]), message
        if problem.section == "links":
            uids = dict(zip((i.key for i in self.plan.items), self.item_uids, strict=True))
            cycle = find_cycle(self.plan.links) or []
            steps = " → ".join(str(self.task(uids[k])) for k in [*cycle, *cycle[:1]])
            # the sentence of every cycle refusal (planner/messages/dependencies.py)
            return _TASKS, Message(N_("dependency cycle: %(cycle)s"), cycle=steps)
        if problem.section == "calendar":
            return _CALENDAR, problem.message
        return _PROJECT, message


def read_with_notes(data: bytes) -> MspdiImport:
    """Read an MSPDI file: the plan, and notes on what was adapted; ImportFormatError if bad.

    Examples:
        >>> from planner.interop.mspdi.write import write
        >>> d = dt.date(2024, 3, 4)
        >>> plan = PlanData("P", d, phases=[PhaseData("p", "Phase", 1, d, d)],
        ...                 items=[ItemData("m", "Go-live", "p", "milestone", 0)])
        >>> read_with_notes(write(plan)).notes
        ()
    """
    root = parse(data, "MS Project XML")
    if local_name(root.tag) != "Project" or root.tag.startswith("{") and NAMESPACE not in root.tag:
        message = Message(
            N_("this is not an MS Project XML file (the root is <%(root)s>)"),
            root=local_name(root.tag),
        )
        raise import_error([("file", message)])
    reader = _Reader(root)
    built = reader.plan()
    if built is None or reader.errors:
        raise import_error(reader.errors, "the MS Project file")
    errors = [built.locate(problem) for problem in problems(built.plan)]
    if errors:
        raise import_error(errors, "the MS Project file")
    return MspdiImport(normalised(built.plan), tuple(reader.notes))


def read(data: bytes) -> PlanData:
    """Read an MSPDI file into a plan (see :func:`read_with_notes` for what was adapted)."""
    return read_with_notes(data).plan
