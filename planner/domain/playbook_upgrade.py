"""Plan the upgrade of a running program to a newer version of its playbook.

The service describes the program as plain data (:class:`ProgramSnapshot`: its work items,
dependencies, risks, metrics and gate criteria, each with where it came from and whether the
program changed it) and passes the playbook version the program was built from and the new
one. :func:`plan_upgrade` returns what would happen (:class:`UpgradePlan`): the automatic
actions and the conflicts for the program lead. :func:`apply_decisions` turns the lead's
answers into the final list of actions, which the service applies in one transaction.

Rules
=====

Things are matched by key: work items, risks and metrics by their key, dependencies by
predecessor and successor (``"pred → succ"``), gate criteria by phase and the key of
:func:`~planner.domain.playbook_diff.gate_criterion_key`. For each thing, ``old`` is its
value in the program's playbook version, ``new`` in the new version, ``program`` in the
program.

1. **Changed automatically** only what came from the playbook (``from_playbook``) and the
   program has not edited (``edited`` False): a field whose playbook value changed is
   *updated* to the new value; a thing the new version no longer has is *removed*.
2. **Edited by the program**: each field whose playbook value changed is a **conflict**
   (program value, old and new playbook value), unless the program already has the new
   value. Fields the playbook did not change are left alone.
3. **Removed from the playbook** but the program has progress on it (a work item started
   or with percent complete, a metric with readings, a manual gate criterion judged), has
   edited it, or a dependency the program added itself joins it: a **conflict**, never
   automatic. (A dependency whose predecessor or successor is removed automatically goes
   with it, edited or not.)
4. **Added by the program** (``from_playbook`` False): *kept*, always. If the new version
   brings a thing with the same key, that is a conflict (take the playbook's version, or
   keep the program's).
5. **New in the playbook**: *added*. A work item or gate criterion only into a phase the
   program has (otherwise *skipped*: an upgrade never adds phases). A new work item that
   depends on an item of the old version the program has since removed is a conflict
   (take it: it is added without that link). A new dependency is added when both its ends
   are in the program after the upgrade and it closes no cycle with the program's
   dependencies; otherwise it is skipped.
6. **Removed by the program** (in both versions, not in the program) and changed in the
   playbook: *skipped*; the upgrade does not bring it back.
8. **Closed phases are never reopened.** A phase is closed when its gate date has passed
   or its gate has a recorded decision (``ProgramSnapshot.closed_phases``). A work item or
   gate criterion the new version adds to a closed phase is a **conflict**
   (``phase_closed``): the lead either skips it (``keep_program``) or adds it to the
   current phase, the first phase that is not closed (``take_new``; for a gate criterion:
   to that phase's gate). With no open phase left it is *skipped*. Updates and removals of
   work items and gate criteria of a closed phase are *skipped* (``phase_closed_unchanged``):
   the phase stays as it was decided, and so do a metric's targets for closed phases
   (``closed_ordinals``; the targets of open phases are upgraded as usual). A new
   dependency that joins a work item the lead is asked about is part of that question:
   added with it, never on its own.
7. Work items are compared on kind, phase, name (English and Chinese), duration,
   workstream and owner role; dependencies on type and lag; risks on title, likelihood,
   impact, response and mitigation (English and Chinese); metrics on their per-phase
   targets only (a metric's name, unit, direction and baseline are not upgraded: its
   readings were taken in those terms); gate criteria on their milestones, band or Chinese
   text. Phases themselves (names, goals, windows) are not changed by an upgrade.

An *add* action lists the compared fields; the service takes everything else (deliverable,
description, category, cause …) from the new playbook's item with that key. Removing a work
item removes its dependencies too; :func:`apply_decisions` lists those removals explicitly.

Each action and conflict carries a ``code`` (e.g. ``"edited_in_program"``) and the
``details`` its reason needs; the reason is worded in the reader's language when read
(``reason``: planner/messages/playbook_upgrade.py, codes ``upgrade.<code>``). A
conflict's ``id`` is stable (section, key and field; for a gate criterion also its phase)
and is what the lead's decision refers to: ``"take_new"`` or ``"keep_program"``.

Examples:
    >>> from planner.domain.playbook import parse_playbook
    >>> text = '''
    ... id: tiny
    ... version: "{v}"
    ... title: Tiny
    ... phases:
    ...   - ordinal: 1
    ...     key: pilot
    ...     name: Pilot
    ...     tasks:
    ...       - {{key: design, name: Design, duration: {d}}}
    ...       - {{key: training, name: Training, duration: {d}}}
    ... '''
    >>> old = parse_playbook(text.format(v="1.0", d=5))
    >>> new = parse_playbook(text.format(v="1.1", d=8))
    >>> program = ProgramSnapshot(items={
    ...     "design": ProgramItem(key="design", phase_key="pilot", name="Design", duration=5,
    ...                           from_playbook=True, edited=False),
    ...     "training": ProgramItem(key="training", phase_key="pilot", name="Training",
    ...                             duration=6, from_playbook=True, edited=True)})
    >>> plan = plan_upgrade(program, old, new)
    >>> [(a.op, a.key, a.fields) for a in plan.actions]
    [('update', 'design', {'duration': (5, 8)})]
    >>> [(c.id, c.program_value, c.old_playbook_value, c.new_playbook_value)
    ...  for c in plan.conflicts]
    [('task:training:duration', 6, 5, 8)]
    >>> final = apply_decisions(plan, {"task:training:duration": "keep_program"})
    >>> [(a.op, a.key, a.code) for a in final]
    [('update', 'design', 'unchanged_in_program'), ('keep', 'training', 'kept_by_lead')]
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Final, Literal

import networkx as nx

from planner.domain.cycles import closing_cycle, cycle_text, find_cycle
from planner.domain.errors import DependencyCycleError, Problem, ValidationError, word
from planner.domain.playbook import Playbook, Task, Text
from planner.domain.playbook_diff import keyed_gate, link_key, split_link_key
from planner.domain.playbook_rows import criterion_row

Op = Literal["add", "update", "remove", "keep", "skip"]
UpgradeSection = Literal["task", "milestone", "dependency", "risk", "metric", "gate"]
Decision = Literal["take_new", "keep_program"]
Value = str | int | float | Mapping[int, float] | None

SECTION_ORDER: Final[tuple[UpgradeSection, ...]] = (
    "task",
    "milestone",
    "dependency",
    "risk",
    "metric",
    "gate",
)
DECISIONS: Final[tuple[Decision, ...]] = ("take_new", "keep_program")

# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True, kw_only=True)
class ProgramItem:
    """A work item of the program; ``duration`` is 0 for a milestone."""

    key: str
    phase_key: str
    name: str
    duration: int
    workstream: str | None = None
    owner_role: str | None = None
    from_playbook: bool
    edited: bool
    kind: Literal["task", "milestone"] = "task"
    name_zh: str | None = None
    has_progress: bool = False


@dataclass(frozen=True, kw_only=True)
class ProgramLink:
    """A dependency of the program, predecessor → successor."""

    predecessor: str
    successor: str
    type: str = "FS"
    lag: int = 0
    from_playbook: bool
    edited: bool


@dataclass(frozen=True, kw_only=True)
class ProgramRisk:
    """A risk of the program's register (``edited`` covers status changes and reviews)."""

    key: str
    title: str
    likelihood: int
    impact: int
    mitigation: str | None = None
    from_playbook: bool
    edited: bool
    response: str = "mitigate"
    title_zh: str | None = None
    mitigation_zh: str | None = None


@dataclass(frozen=True, kw_only=True)
class ProgramMetric:
    """A metric of the program with its per-phase targets (phase ordinal → target)."""

    key: str
    targets: Mapping[int, float]
    from_playbook: bool
    edited: bool
    has_readings: bool = False


@dataclass(frozen=True, kw_only=True)
class ProgramGateCriterion:
    """A gate criterion of one of the program's phases, stored as the models store it."""

    phase_key: str
    kind: Literal["metric_target", "milestones_done", "max_risk_band", "manual"]
    reference: str = ""  # metric key, space-separated milestone keys, or band
    text: str = ""
    text_zh: str | None = None
    from_playbook: bool
    edited: bool
    judged: bool = False  # a manual criterion whose outcome has been recorded

    @property
    def key(self) -> str:
        """The same key :func:`~planner.domain.playbook_diff.gate_criterion_key` gives."""
        if self.kind == "metric_target":
            return f"metric_target:{self.reference}"
        if self.kind == "manual":
            return f"manual:{self.text or self.text_zh or ''}"
        return self.kind


@dataclass(frozen=True, kw_only=True)
class ProgramSnapshot:
    """The program as the upgrade sees it. ``phases`` defaults to the items' phases."""

    items: Mapping[str, ProgramItem]
    links: Collection[ProgramLink] = ()
    risks: Mapping[str, ProgramRisk] = field(default_factory=dict)
    metrics: Mapping[str, ProgramMetric] = field(default_factory=dict)
    gate_criteria: Sequence[ProgramGateCriterion] = ()
    phases: Collection[str] | None = None
    #: phases whose gate date has passed or whose gate has a decision, in phase order
    closed_phases: Collection[str] = ()
    #: the first phase that is not closed (where a closed phase's additions may go)
    current_phase: str | None = None
    #: the ordinals of the closed phases (their metric targets stay as they are)
    closed_ordinals: Collection[int] = ()

    def phase_keys(self) -> set[str]:
        """The program's phase keys."""
        if self.phases is not None:
            return set(self.phases)
        return {item.phase_key for item in self.items.values()}


# --------------------------------------------------------------------------- outputs


@dataclass(frozen=True)
class UpgradeAction:
    """One step: add, update, remove, keep (nothing changes, said explicitly) or skip.

    ``fields`` maps a field to ``(program value, new value)``; for a dependency the key is
    ``"pred → succ"``, for a gate criterion ``phase`` names the phase.
    """

    op: Op
    section: UpgradeSection
    key: str
    fields: dict[str, tuple[Value, Value]] = field(default_factory=dict)
    phase: str | None = None
    code: str = ""
    details: Mapping[str, str] = field(default_factory=dict)

    @property
    def reason(self) -> str:
        """Why, in the language of the moment it is read (see :func:`reason_problem`)."""
        return word(reason_problem(self.code, self.details)) if self.code else ""


@dataclass(frozen=True)
class Conflict:
    """A change the lead decides: take the new playbook's value or keep the program's."""

    section: UpgradeSection
    key: str
    field: str | None
    program_value: Value
    old_playbook_value: Value
    new_playbook_value: Value
    phase: str | None = None
    code: str = ""
    details: Mapping[str, str] = dataclasses.field(default_factory=dict)
    take_new: tuple[UpgradeAction, ...] = ()

    @property
    def reason(self) -> str:
        """Why the lead decides, in the language of the moment it is read."""
        return word(reason_problem(self.code, self.details)) if self.code else ""

    @property
    def id(self) -> str:
        """Stable id, e.g. ``"task:pilot-training:duration"``; a gate's includes its phase."""
        phase = self.phase if self.section == "gate" else None
        parts = [self.section, phase, self.key, self.field]
        return ":".join(p for p in parts if p)


@dataclass(frozen=True)
class UpgradePlan:
    """What an upgrade would do: automatic actions, and conflicts for the lead."""

    playbook_id: str
    from_version: str
    to_version: str
    actions: list[UpgradeAction]
    conflicts: list[Conflict]
    program_items: frozenset[str] = frozenset()
    program_links: frozenset[str] = frozenset()

    def counts(self) -> dict[str, int]:
        """How many actions of each op, and how many conflicts."""
        out = {op: 0 for op in ("add", "update", "remove", "keep", "skip")}
        for action in self.actions:
            out[action.op] += 1
        out["conflicts"] = len(self.conflicts)
        return out


# --------------------------------------------------------------------------- reasons

REASON_CODES: Final[frozenset[str]] = frozenset(
    {
        "unchanged_in_program",
        "new_in_playbook",
        "removed_from_playbook",
        "added_by_program",
        "not_in_playbook",
        "edited_in_program",
        "removed_but_in_progress",
        "removed_but_has_readings",
        "removed_but_judged",
        "removed_but_edited",
        "removed_but_linked",
        "key_taken",
        "missing_predecessor",
        "missing_phase",
        "removed_by_program",
        "missing_end",
        "end_removed",
        "would_close_cycle",
        "phase_closed",
        "phase_closed_skipped",
        "phase_closed_unchanged",
        "kept_by_lead",
        "taken_by_lead",
    }
)
"""Every reason an action or conflict can give (worded as ``upgrade.<code>``, or as a code
shared with other features, :data:`_SHARED_CODES`)."""

_SHARED_CODES: Final[dict[str, str]] = {"would_close_cycle": "dependency.cycle"}
"""Reasons worded by the sentence every feature uses (a cycle: planner/messages/dependencies.py)."""


def reason_problem(code: str, details: Mapping[str, str]) -> Problem:
    """An action's or conflict's reason as a coded problem, worded by the renderer.

    Examples:
        >>> reason_problem("missing_phase", {"phase_key": "rollout"}).code
        'upgrade.missing_phase'
    """
    if code not in REASON_CODES:
        raise ValueError(f"unknown upgrade reason {code!r}")
    return Problem("", _SHARED_CODES.get(code, f"upgrade.{code}"), details)


def _action(
    op: Op,
    section: UpgradeSection,
    key: str,
    code: str,
    fields: dict[str, tuple[Value, Value]] | None = None,
    phase: str | None = None,
    **details: str,
) -> UpgradeAction:
    reason_problem(code, details)  # a known code
    return UpgradeAction(
        op, section, key, dict(fields or {}), phase, code, {"section": section, **details}
    )


def _conflict(
    section: UpgradeSection,
    key: str,
    field_name: str | None,
    values: tuple[Value, Value, Value],
    code: str,
    take_new: Iterable[UpgradeAction],
    phase: str | None = None,
    **details: str,
) -> Conflict:
    reason_problem(code, details)  # a known code
    return Conflict(
        section,
        key,
        field_name,
        *values,
        phase=phase,
        code=code,
        details={"section": section, **details},
        take_new=tuple(_taken(take_new)),
    )


def _taken(actions: Iterable[UpgradeAction]) -> Iterable[UpgradeAction]:
    for action in actions:
        yield replace(action, code="taken_by_lead", details={"section": action.section})


# --------------------------------------------------------------------------- normalised


@dataclass(frozen=True)
class _Thing:
    """A playbook or program thing reduced to its section, phase and compared values."""

    section: UpgradeSection
    values: dict[str, Value]
    phase: str | None = None
    from_playbook: bool = True
    edited: bool = False
    progress: str | None = None  # the removal-conflict code when there is progress
    requires: tuple[str, ...] = ()  # predecessors (new work items)


def _en(text: Text | None) -> str | None:
    return None if text is None else text.en


def _zh(text: Text | None) -> str | None:
    return None if text is None else text.zh


def _playbook_items(pb: Playbook) -> dict[str, _Thing]:
    out: dict[str, _Thing] = {}
    for phase, item in pb.work_items():
        is_task = isinstance(item, Task)
        out[item.key] = _Thing(
            "task" if is_task else "milestone",
            {
                "kind": "task" if is_task else "milestone",
                "phase_key": phase.key,
                "name": _en(item.name),
                "name_zh": _zh(item.name),
                "duration": item.duration if isinstance(item, Task) else 0,
                "workstream": item.workstream,
                "owner_role": item.owner_role,
            },
            phase=phase.key,
            requires=tuple(dep.key for dep in item.depends_on),
        )
    return out


def _program_items(program: ProgramSnapshot) -> dict[str, _Thing]:
    return {
        key: _Thing(
            item.kind,
            {
                "kind": item.kind,
                "phase_key": item.phase_key,
                "name": item.name,
                "name_zh": item.name_zh,
                "duration": item.duration,
                "workstream": item.workstream,
                "owner_role": item.owner_role,
            },
            phase=item.phase_key,
            from_playbook=item.from_playbook,
            edited=item.edited,
            progress="removed_but_in_progress" if item.has_progress else None,
        )
        for key, item in program.items.items()
    }


def _playbook_links(pb: Playbook) -> dict[str, _Thing]:
    return {
        link_key(dep.key, item.key): _Thing(
            "dependency", {"type": dep.type, "lag": dep.lag}, phase=phase.key
        )
        for phase, item in pb.work_items()
        for dep in item.depends_on
    }


def _program_links(program: ProgramSnapshot) -> dict[str, _Thing]:
    phase_of = {key: item.phase_key for key, item in program.items.items()}
    return {
        link_key(link.predecessor, link.successor): _Thing(
            "dependency",
            {"type": link.type, "lag": link.lag},
            phase=phase_of.get(link.successor),
            from_playbook=link.from_playbook,
            edited=link.edited,
        )
        for link in program.links
    }


def _playbook_risks(pb: Playbook) -> dict[str, _Thing]:
    return {
        risk.key: _Thing(
            "risk",
            {
                "title": _en(risk.title),
                "title_zh": _zh(risk.title),
                "likelihood": risk.likelihood,
                "impact": risk.impact,
                "response": risk.response,
                "mitigation": _en(risk.mitigation),
                "mitigation_zh": _zh(risk.mitigation),
            },
        )
        for risk in pb.risks
    }


def _program_risks(program: ProgramSnapshot) -> dict[str, _Thing]:
    return {
        key: _Thing(
            "risk",
            {
                "title": risk.title,
                "title_zh": risk.title_zh,
                "likelihood": risk.likelihood,
                "impact": risk.impact,
                "response": risk.response,
                "mitigation": risk.mitigation,
                "mitigation_zh": risk.mitigation_zh,
            },
            from_playbook=risk.from_playbook,
            edited=risk.edited,
        )
        for key, risk in program.risks.items()
    }


def _playbook_metrics(pb: Playbook) -> dict[str, _Thing]:
    return {m.key: _Thing("metric", {"targets": dict(m.targets)}) for m in pb.metrics}


def _program_metrics(program: ProgramSnapshot) -> dict[str, _Thing]:
    return {
        key: _Thing(
            "metric",
            {"targets": dict(metric.targets)},
            from_playbook=metric.from_playbook,
            edited=metric.edited,
            progress="removed_but_has_readings" if metric.has_readings else None,
        )
        for key, metric in program.metrics.items()
    }


def _gate_id(phase: str, key: str) -> str:
    return f"{phase}\x1f{key}"


def _playbook_gates(pb: Playbook) -> dict[str, _Thing]:
    out: dict[str, _Thing] = {}
    for phase in pb.phases:
        for key, criterion in keyed_gate(phase.gate).items():
            reference, text = criterion_row(criterion)
            out[_gate_id(phase.key, key)] = _Thing(
                "gate",
                {
                    "kind": criterion.kind,
                    "reference": reference,
                    "text": _en(text) or "",
                    "text_zh": _zh(text),
                },
                phase=phase.key,
            )
    return out


def _program_gates(program: ProgramSnapshot) -> dict[str, _Thing]:
    out: dict[str, _Thing] = {}
    for criterion in program.gate_criteria:
        key, n = criterion.key, 1
        while _gate_id(criterion.phase_key, key) in out:
            n += 1
            key = f"{criterion.key}#{n}"
        out[_gate_id(criterion.phase_key, key)] = _Thing(
            "gate",
            {
                "kind": criterion.kind,
                "reference": criterion.reference,
                "text": criterion.text,
                "text_zh": criterion.text_zh,
            },
            phase=criterion.phase_key,
            from_playbook=criterion.from_playbook,
            edited=criterion.edited,
            progress="removed_but_judged" if criterion.judged else None,
        )
    return out


# --------------------------------------------------------------------------- planning


class _Planner:
    def __init__(self, program: ProgramSnapshot, old: Playbook, new: Playbook) -> None:
        self.program = program
        self.old = old
        self.new = new
        self.phases = program.phase_keys()
        self.closed = set(program.closed_phases)
        self.actions: list[UpgradeAction] = []
        self.conflicts: list[Conflict] = []
        self.old_items = {item.key for _phase, item in old.work_items()}
        self.own_links = {
            (link.predecessor, link.successor) for link in program.links if not link.from_playbook
        }

    # -- generic rules, shared by every section

    def run(
        self,
        old: dict[str, _Thing],
        new: dict[str, _Thing],
        program: dict[str, _Thing],
    ) -> None:
        order = [*new, *(k for k in old if k not in new)]
        order += [k for k in program if k not in new and k not in old]
        for ident in order:
            o, n, p = old.get(ident), new.get(ident), program.get(ident)
            thing = n or p or o
            assert thing is not None
            section = thing.section
            key = ident.rpartition("\x1f")[2]
            phase = thing.phase
            if p is None:
                self._absent(section, key, phase, o, n)
            elif not p.from_playbook:
                self._program_own(section, key, phase, o, n, p)
            elif n is None:
                if o is not None:
                    self._removed(section, key, phase, p)
                else:
                    self.actions.append(
                        _action("keep", section, key, "not_in_playbook", None, phase)
                    )
            else:
                self._changed(section, key, phase, o, n, p)

    def _absent(
        self,
        section: UpgradeSection,
        key: str,
        phase: str | None,
        o: _Thing | None,
        n: _Thing | None,
    ) -> None:
        if n is None:
            return
        if o is not None:
            if o.values != n.values:
                self.actions.append(
                    _action("skip", section, key, "removed_by_program", None, phase)
                )
            return
        fields = {name: (None, value) for name, value in n.values.items()}
        add = _action(
            "add",
            section,
            key,
            "new_in_playbook",
            fields,  # type: ignore[arg-type]  # dict is invariant: None is a value a field may have
            phase,
            version=self.new.version,
        )
        where = phase if section == "gate" else n.values.get("phase_key")
        if section in {"task", "milestone", "gate"} and where not in self.phases:
            self.actions.append(
                _action("skip", section, key, "missing_phase", fields, phase, phase_key=str(where))  # type: ignore[arg-type]  # as above
            )
            return
        if section in {"task", "milestone", "gate"} and where in self.closed:
            self._into_closed_phase(section, key, phase, str(where), n, add)
            return
        gone = [
            pred for pred in n.requires if pred not in self.program.items and pred in self.old_items
        ]
        if gone:
            self.conflicts.append(
                _conflict(
                    section,
                    key,
                    None,
                    (None, None, str(n.values.get("name"))),
                    "missing_predecessor",
                    [add],
                    phase,
                    other=", ".join(gone),
                )
            )
            return
        self.actions.append(add)

    def _into_closed_phase(
        self,
        section: UpgradeSection,
        key: str,
        phase: str | None,
        closed: str,
        n: _Thing,
        add: UpgradeAction,
    ) -> None:
        """A new thing for a closed phase: the lead skips it or adds it to the current one."""
        current = self.program.current_phase
        if current is None:
            self.actions.append(
                _action(
                    "skip",
                    section,
                    key,
                    "phase_closed_skipped",
                    add.fields,
                    phase,
                    phase_key=closed,
                )
            )
            return
        fields = dict(add.fields)
        if section == "gate":
            # the criterion's phase moves: (closed phase it came for, phase it goes to)
            fields["phase_key"] = (closed, current)
            moved = replace(add, fields=fields, phase=current)
        else:
            fields["phase_key"] = (None, current)
            moved = replace(add, fields=fields, phase=current)
        self.conflicts.append(
            _conflict(
                section,
                key,
                None,
                (None, None, _label(n)),
                "phase_closed",
                [moved],
                phase,
                phase_key=closed,
                current=current,
            )
        )

    def _closed_here(self, section: UpgradeSection, key: str, p: _Thing) -> bool:
        """An item or gate criterion of a closed phase: leave it, say so (rule 8)."""
        if section not in {"task", "milestone", "gate"} or p.phase not in self.closed:
            return False
        self.actions.append(
            _action(
                "skip",
                section,
                key,
                "phase_closed_unchanged",
                None,
                p.phase,
                phase_key=str(p.phase),
            )
        )
        return True

    def _program_own(
        self,
        section: UpgradeSection,
        key: str,
        phase: str | None,
        o: _Thing | None,
        n: _Thing | None,
        p: _Thing,
    ) -> None:
        if n is not None and o is None and n.values != p.values:
            fields = {f: (p.values.get(f), v) for f, v in n.values.items() if p.values.get(f) != v}
            take = _action("update", section, key, "taken_by_lead", fields, phase)
            self.conflicts.append(
                _conflict(
                    section,
                    key,
                    None,
                    (_label(p), None, _label(n)),
                    "key_taken",
                    [take],
                    phase,
                )
            )
            return
        self.actions.append(_action("keep", section, key, "added_by_program", None, phase))

    def _removed(self, section: UpgradeSection, key: str, phase: str | None, p: _Thing) -> None:
        if self._closed_here(section, key, p):
            return
        remove = _action("remove", section, key, "removed_from_playbook", None, phase)
        code, details = None, {}
        if p.progress:
            code = p.progress
        elif p.edited and not self._end_removed(section, key):
            # an edited dependency goes without asking only with an item removed automatically
            code = "removed_but_edited"
        elif section in {"task", "milestone"}:
            linked = sorted(link_key(a, b) for a, b in self.own_links if key in (a, b))
            if linked:
                code, details = "removed_but_linked", {"link": linked[0]}
        if code is None:
            self.actions.append(remove)
            return
        self.conflicts.append(
            _conflict(
                section, key, None, (_label(p), _label(p), None), code, [remove], phase, **details
            )
        )

    def _end_removed(self, section: UpgradeSection, key: str) -> bool:
        """A dependency one of whose ends this plan removes automatically."""
        if section != "dependency":
            return False
        removed = {
            a.key for a in self.actions if a.op == "remove" and a.section in {"task", "milestone"}
        }
        return any(end in removed for end in split_link_key(key))

    def _changed(
        self,
        section: UpgradeSection,
        key: str,
        phase: str | None,
        o: _Thing | None,
        n: _Thing,
        p: _Thing,
    ) -> None:
        if o is not None and o.values == n.values:
            pass  # nothing changed in the playbook: nothing to say, closed or not
        elif self._closed_here(section, key, p):
            return
        auto: dict[str, tuple[Value, Value]] = {}
        for name, new_value in n.values.items():
            old_value = o.values.get(name) if o else None
            program_value = p.values.get(name)
            if name == "targets" and self.program.closed_ordinals:
                new_value = _keep_closed_targets(
                    new_value, program_value, self.program.closed_ordinals
                )
            if (o is not None and new_value == old_value) or program_value == new_value:
                continue
            if name == "phase_key" and new_value not in self.phases:
                self.actions.append(
                    _action(
                        "skip",
                        section,
                        key,
                        "missing_phase",
                        {name: (program_value, new_value)},
                        phase,
                        phase_key=str(new_value),
                    )
                )
                continue
            if not p.edited:
                auto[name] = (program_value, new_value)
                continue
            take = _action(
                "update", section, key, "taken_by_lead", {name: (program_value, new_value)}, phase
            )
            self.conflicts.append(
                _conflict(
                    section,
                    key,
                    name,
                    (program_value, old_value, new_value),
                    "edited_in_program",
                    [take],
                    phase,
                )
            )
        if auto:
            self.actions.append(
                _action("update", section, key, "unchanged_in_program", auto, phase)
            )

    # -- dependencies: ends and cycles

    def attach_links_to_questions(self) -> None:
        """A new link to a work item of a closed phase goes with the lead's answer (rule 8)."""
        asked = {
            c.key: i
            for i, c in enumerate(self.conflicts)
            if c.code == "phase_closed" and c.section in {"task", "milestone"}
        }
        if not asked:
            return
        kept: list[UpgradeAction] = []
        for action in self.actions:
            ends = split_link_key(action.key) if action.section == "dependency" else ()
            index = next((asked[end] for end in ends if end in asked), None)
            if action.op != "add" or index is None:
                kept.append(action)
                continue
            conflict = self.conflicts[index]
            self.conflicts[index] = replace(
                conflict, take_new=(*conflict.take_new, *_taken([action]))
            )
        self.actions = kept

    def check_links(self) -> None:
        """Skip new links whose ends will be missing or that close a cycle."""
        present = self._items_present()
        graph = self._links_kept()
        self.actions = [
            _checked_link(action, present, graph)
            if action.op == "add" and action.section == "dependency"
            else action
            for action in self.actions
        ]

    def _items_present(self) -> set[str]:
        """The work items after the upgrade: the program's less those removed, plus those
        added or waiting for the lead's answer."""
        removed = {a.key for a in self.actions if a.op == "remove" and a.section != "dependency"}
        coming = {
            a.key for a in self.actions if a.op == "add" and a.section in {"task", "milestone"}
        } | {
            c.key
            for c in self.conflicts
            if c.section in {"task", "milestone"}
            and c.code in {"missing_predecessor", "key_taken", "phase_closed"}
        }
        return (set(self.program.items) - removed) | coming

    def _links_kept(self) -> nx.DiGraph[str]:
        """The program's links less those the upgrade removes."""
        graph: nx.DiGraph[str] = nx.DiGraph()
        dropped = {a.key for a in self.actions if a.op == "remove" and a.section == "dependency"}
        for link in self.program.links:
            if link_key(link.predecessor, link.successor) not in dropped:
                graph.add_edge(link.predecessor, link.successor)
        return graph


def _checked_link(
    action: UpgradeAction, present: Collection[str], graph: nx.DiGraph[str]
) -> UpgradeAction:
    """A new link as it is, or skipped when an end will be missing or it would close a
    cycle in ``graph`` (which it joins when kept)."""
    pred, succ = split_link_key(action.key)
    missing = [k for k in (pred, succ) if k not in present]
    if missing:
        return _action(
            "skip",
            "dependency",
            action.key,
            "missing_end",
            action.fields,
            action.phase,
            other=missing[0],
        )
    cycle = closing_cycle(graph, pred, succ)
    if cycle:
        return _action(
            "skip",
            "dependency",
            action.key,
            "would_close_cycle",
            action.fields,
            action.phase,
            cycle=cycle_text(cycle),
        )
    graph.add_edge(pred, succ)
    return action


def _keep_closed_targets(new: Value, program: Value, closed: Collection[int]) -> Value:
    """The new targets, with the program's own for closed phases (rule 8).

    Examples:
        >>> _keep_closed_targets({1: 8.0, 2: 2.0}, {1: 6.0, 2: 3.0}, [1])
        {1: 6.0, 2: 2.0}
    """
    if not isinstance(new, Mapping) or not isinstance(program, Mapping):
        return new
    merged = {k: v for k, v in new.items() if k not in closed}
    merged.update({k: v for k, v in program.items() if k in closed})
    return dict(sorted(merged.items()))


def _label(thing: _Thing) -> Value:
    """A short value naming a thing in a conflict (its name, title or criterion)."""
    for name in ("name", "title", "reference", "text"):
        value = thing.values.get(name)
        if value:
            return value
    if "type" in thing.values:
        lag = thing.values.get("lag") or 0
        return f"{thing.values['type']}{lag:+d}" if lag else str(thing.values["type"])
    targets = thing.values.get("targets")
    return targets if isinstance(targets, Mapping) else None


def plan_upgrade(program: ProgramSnapshot, old: Playbook, new: Playbook) -> UpgradePlan:
    """What upgrading ``program`` from playbook ``old`` to ``new`` would do (see the rules).

    Raises :class:`ValidationError` when the two playbooks have different ids.

    Examples:
        >>> from planner.domain.playbook import parse_playbook
        >>> pb = parse_playbook(
        ...     "id: a\\nversion: '1'\\ntitle: A\\nphases: [{ordinal: 0, key: p, name: P}]"
        ... )
        >>> plan_upgrade(ProgramSnapshot(items={}), pb, pb).counts()["conflicts"]
        0
    """
    if old.id != new.id:
        raise ValidationError.of("playbook", "upgrade.other_playbook", old=old.id, new=new.id)
    planner = _Planner(program, old, new)
    planner.run(_playbook_items(old), _playbook_items(new), _program_items(program))
    planner.run(_playbook_links(old), _playbook_links(new), _program_links(program))
    planner.run(_playbook_risks(old), _playbook_risks(new), _program_risks(program))
    planner.run(_playbook_metrics(old), _playbook_metrics(new), _program_metrics(program))
    planner.run(_playbook_gates(old), _playbook_gates(new), _program_gates(program))
    planner.check_links()
    planner.attach_links_to_questions()
    conflicts = _unique_ids(planner.conflicts)
    return UpgradePlan(
        new.id,
        old.version,
        new.version,
        _ordered(planner.actions),
        conflicts,
        frozenset(program.items),
        frozenset(link_key(link.predecessor, link.successor) for link in program.links),
    )


def _unique_ids(conflicts: list[Conflict]) -> list[Conflict]:
    seen: set[str] = set()
    out: list[Conflict] = []
    for conflict in _ordered_conflicts(conflicts):
        if conflict.id in seen:  # pragma: no cover - keys are unique per section and phase
            raise AssertionError(f"two conflicts with the id {conflict.id}")
        seen.add(conflict.id)
        out.append(conflict)
    return out


def _ordered(actions: Iterable[UpgradeAction]) -> list[UpgradeAction]:
    return sorted(actions, key=lambda a: SECTION_ORDER.index(a.section))


def _ordered_conflicts(conflicts: Iterable[Conflict]) -> list[Conflict]:
    return sorted(conflicts, key=lambda c: SECTION_ORDER.index(c.section))


# --------------------------------------------------------------------------- decisions


def apply_decisions(plan: UpgradePlan, decisions: Mapping[str, str]) -> list[UpgradeAction]:
    """The final actions once the lead has decided every conflict.

    ``decisions`` maps each conflict id to ``"take_new"`` or ``"keep_program"``. Raises
    :class:`ValidationError` naming every undecided or unknown conflict and every bad
    decision, and :class:`DependencyCycleError` if the result would have a cycle.

    The result: the plan's actions, then for each conflict either its ``take_new`` actions
    or a *keep*; updates of one thing merged into one action; a dependency whose end is
    not in the program afterwards skipped (when new) or removed (when the program has it).

    Examples:
        >>> plan = UpgradePlan("a", "1", "2", [], [])
        >>> apply_decisions(plan, {})
        []
        >>> try:
        ...     apply_decisions(plan, {"task:x": "take_new"})
        ... except ValidationError as error:
        ...     for p in error.problems:
        ...         print(f"{p.field}: {p.code} {dict(p.params)}")
        task:x: upgrade.no_such_conflict {}
    """
    errors: list[Problem] = []
    known = {c.id for c in plan.conflicts}
    for conflict_id, decision in decisions.items():
        if conflict_id not in known:
            errors.append(Problem(conflict_id, "upgrade.no_such_conflict"))
        elif decision not in DECISIONS:
            errors.append(Problem(conflict_id, "upgrade.bad_decision", {"decision": decision}))
    for conflict in plan.conflicts:
        if conflict.id not in decisions:
            errors.append(Problem(conflict.id, "upgrade.undecided"))
    if errors:
        raise ValidationError(problems=errors)

    actions = list(plan.actions)
    for conflict in plan.conflicts:
        if decisions[conflict.id] == "take_new":
            actions.extend(conflict.take_new)
        else:
            actions.append(
                _action(
                    "keep", conflict.section, conflict.key, "kept_by_lead", None, conflict.phase
                )
            )
    actions = _merge(actions)
    actions = _settle_links(plan, actions)
    return _ordered(actions)


def _merge(actions: list[UpgradeAction]) -> list[UpgradeAction]:
    """One update and one keep per thing (fields merged); no keep where the thing changes."""
    out: list[UpgradeAction] = []
    index: dict[tuple[str, str | None, str, str], int] = {}
    for action in actions:
        ident = (action.section, action.phase, action.key, action.op)
        if action.op in {"update", "keep"} and ident in index:
            first = out[index[ident]]
            out[index[ident]] = replace(first, fields={**first.fields, **action.fields})
            continue
        index.setdefault(ident, len(out))
        out.append(action)
    changing = {(a.section, a.phase, a.key) for a in out if a.op in {"update", "remove", "add"}}
    return [
        a
        for a in out
        if not (
            a.op == "keep" and a.code == "kept_by_lead" and (a.section, a.phase, a.key) in changing
        )
    ]


def _settle_links(plan: UpgradePlan, actions: list[UpgradeAction]) -> list[UpgradeAction]:
    """The actions with every link to a work item no longer there skipped (a new link) or
    removed (the program's); raises :class:`DependencyCycleError` if the links left close a
    cycle."""
    items = _items_after(plan.program_items, actions)
    links = set(plan.program_links)
    out: list[UpgradeAction] = []
    handled: set[str] = set()
    for action in actions:
        if action.op == "remove":
            handled.add(action.key)
            links.discard(action.key)
        if action.section != "dependency" or action.op in {"skip", "remove"}:
            out.append(action)
            continue
        handled.add(action.key)
        settled = _settled_link(action, items, plan.program_links)
        out.append(settled)
        if settled.op == "add":
            links.add(action.key)
        elif settled.op == "remove":
            links.discard(action.key)
    out += _ends_removed(plan.program_links - handled, items, links)
    cycle = find_cycle(split_link_key(key) for key in links)
    if cycle:
        raise DependencyCycleError(cycle)
    return out


def _items_after(program_items: Collection[str], actions: list[UpgradeAction]) -> set[str]:
    """The program's work items once the actions are done."""
    items = set(program_items)
    for action in actions:
        if action.section in {"task", "milestone"}:
            if action.op == "remove":
                items.discard(action.key)
            elif action.op == "add":
                items.add(action.key)
    return items


def _missing_end(key: str, items: Collection[str]) -> str | None:
    """The first end of link ``key`` that is not among ``items``, or None."""
    return next((k for k in split_link_key(key) if k not in items), None)


def _settled_link(
    action: UpgradeAction, items: Collection[str], program_links: Collection[str]
) -> UpgradeAction:
    """A link action as it is when both its ends are there; else the program's link
    removed, or a new one skipped."""
    missing = _missing_end(action.key, items)
    if missing is None:
        return action
    if action.key in program_links:
        return _action(
            "remove", "dependency", action.key, "end_removed", None, action.phase, other=missing
        )
    return _action(
        "skip",
        "dependency",
        action.key,
        "missing_end",
        action.fields,
        action.phase,
        other=missing,
    )


def _ends_removed(
    untouched: Collection[str], items: Collection[str], links: set[str]
) -> list[UpgradeAction]:
    """Removals of the program's links no action touched whose end is gone (taken out of
    ``links``), by key."""
    out: list[UpgradeAction] = []
    for key in sorted(untouched):
        missing = _missing_end(key, items)
        if missing is not None:
            out.append(
                _action("remove", "dependency", key, "end_removed", None, None, other=missing)
            )
            links.discard(key)
    return out
