"""A structural diff of two playbooks (usually two versions of one), readable by a person.

Every part of a playbook that has a key is matched by that key; what has no key gets one:

- **phase**, **task**, **milestone**, **risk**, **metric**, **indicator**: their own ``key``
  (work item keys are unique across the whole playbook, so a task that moves to another
  phase is *changed* with the field ``phase``, not removed and added; a task that becomes a
  milestone is removed as a task and added as a milestone).
- **dependency**: ``"pred → succ"`` (see :func:`link_key`); its phase is the successor's.
- **gate** criterion, within its phase (``Change.phase``): ``metric_target:<metric>``,
  ``milestones_done``, ``max_risk_band``, or ``manual:<English text>`` (see
  :func:`gate_criterion_key`); a second criterion with the same key gets ``#2`` and so on.
  So a new band or milestone list is a *change*, a new metric or manual text an addition.
- **playbook**: the playbook's own fields (title, description, author, working days, risk
  scale, maturity scale, levels, level weights and categories) under the playbook id; the
  id and version are what is being compared and are never reported.

Items inside an added or removed phase are listed one by one, and so are the dependencies
of an added or removed item: the diff is complete, the summary counts everything.

Values are kept as short strings: a text in English (``old``/``new``) and in Chinese
(``old_zh``/``new_zh``), numbers without a needless ``.0``, lists joined with ``", "``, a
dependency as ``"SS+2"`` (type, then the lag when it is not 0). An added item's ``new`` is
its name (or title, or the criterion), a removed item's ``old`` likewise.

Examples:
    >>> from planner.domain.playbook import parse_playbook
    >>> text = '''
    ... id: tiny
    ... version: "{version}"
    ... title: Tiny
    ... phases:
    ...   - ordinal: 1
    ...     key: pilot
    ...     name: Pilot
    ...     tasks:
    ...       - {{key: pilot-training, name: Pilot training, duration: {days}}}
    ... '''
    >>> old = parse_playbook(text.format(version="1.0", days=5))
    >>> new = parse_playbook(text.format(version="1.1", days=8))
    >>> diff = diff_playbooks(old, new)
    >>> [(c.kind, c.section, c.key, c.field, c.old, c.new) for c in diff.changes]
    [('changed', 'task', 'pilot-training', 'duration', '5', '8')]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Final, Literal, TypeVar

from pydantic import BaseModel

from planner.domain.explain import Explanation
from planner.domain.playbook import (
    Dependency,
    GateCriterion,
    Indicator,
    ManualCriterion,
    MaxRiskBandCriterion,
    MetricTargetCriterion,
    Milestone,
    MilestonesDoneCriterion,
    Playbook,
    Task,
    Text,
)

T = TypeVar("T")
WorkItem = Task | Milestone
ChangeKind = Literal["added", "removed", "changed"]
Section = Literal[
    "playbook", "phase", "task", "milestone", "dependency", "gate", "risk", "metric", "indicator"
]

#: Sections in the order the diff lists them.
SECTIONS: Final[tuple[Section, ...]] = (
    "playbook",
    "phase",
    "task",
    "milestone",
    "dependency",
    "gate",
    "risk",
    "metric",
    "indicator",
)
KINDS: Final[tuple[ChangeKind, ...]] = ("added", "removed", "changed")
LINK_SEPARATOR: Final = " → "


@dataclass(frozen=True)
class Change:
    """One difference: an item added or removed, or one field of an item changed."""

    kind: ChangeKind
    section: Section
    key: str
    field: str | None = None
    old: str | None = None
    new: str | None = None
    phase: str | None = None
    old_zh: str | None = None
    new_zh: str | None = None


@dataclass(frozen=True)
class PlaybookDiff:
    """Every change from ``old_version`` to ``new_version``, in :data:`SECTIONS` order."""

    playbook_id: str
    old_version: str
    new_version: str
    changes: tuple[Change, ...]

    @property
    def is_empty(self) -> bool:
        """True when the two playbooks have the same structure and content."""
        return not self.changes

    def summary(self) -> dict[Section, dict[ChangeKind, int]]:
        """Counts per section and kind, every section and kind present (zeros included)."""
        counts: dict[Section, dict[ChangeKind, int]] = {
            section: dict.fromkeys(KINDS, 0) for section in SECTIONS
        }
        for change in self.changes:
            counts[change.section][change.kind] += 1
        return counts

    def explanations(self) -> list[Explanation]:
        """Every change as an explanation to word (see :func:`describe`)."""
        return [describe(change) for change in self.changes]


# --------------------------------------------------------------------------- keys


def link_key(predecessor: str, successor: str) -> str:
    """The key of a dependency, e.g. ``"sfa-uat → sales-training"``.

    Examples:
        >>> link_key("a", "b"), split_link_key(link_key("a", "b"))
        ('a → b', ('a', 'b'))
    """
    return f"{predecessor}{LINK_SEPARATOR}{successor}"


def split_link_key(key: str) -> tuple[str, str]:
    """The predecessor and successor keys of a dependency key made by :func:`link_key`."""
    predecessor, _, successor = key.partition(LINK_SEPARATOR)
    return predecessor, successor


def gate_criterion_key(criterion: GateCriterion) -> str:
    """The identity of a gate criterion within its phase (see the module notes).

    Examples:
        >>> gate_criterion_key(MetricTargetCriterion(kind="metric_target", metric="nps"))
        'metric_target:nps'
        >>> gate_criterion_key(MaxRiskBandCriterion(kind="max_risk_band", band="high"))
        'max_risk_band'
    """
    if isinstance(criterion, MetricTargetCriterion):
        return f"metric_target:{criterion.metric}"
    if isinstance(criterion, ManualCriterion):
        return f"manual:{criterion.text.en or criterion.text.zh}"
    return criterion.kind


def keyed_gate(criteria: Sequence[GateCriterion]) -> dict[str, GateCriterion]:
    """A phase's gate criteria by key, in order; repeated keys get ``#2``, ``#3`` …"""
    out: dict[str, GateCriterion] = {}
    for criterion in criteria:
        base = gate_criterion_key(criterion)
        key, n = base, 1
        while key in out:
            n += 1
            key = f"{base}#{n}"
        out[key] = criterion
    return out


def gate_criterion_value(criterion: GateCriterion) -> str:
    """What a criterion checks, as a short string: metric, milestones, band or text."""
    if isinstance(criterion, MetricTargetCriterion):
        return criterion.metric
    if isinstance(criterion, MilestonesDoneCriterion):
        return ", ".join(criterion.milestones)
    if isinstance(criterion, MaxRiskBandCriterion):
        return criterion.band
    return criterion.text.en or criterion.text.zh or ""


def dependency_text(dep: Dependency) -> str:
    """``"FS"``, ``"SS+2"``, ``"FS-5"``: the type, then the lag when it is not 0.

    Examples:
        >>> dependency_text(Dependency(key="a", type="SS", lag=2))
        'SS+2'
    """
    return dep.type if dep.lag == 0 else f"{dep.type}{dep.lag:+d}"


# --------------------------------------------------------------------------- values


def format_value(value: object) -> str | None:
    """A field value as the short string a :class:`Change` carries (English for texts).

    Examples:
        >>> format_value(70.0), format_value(1.5), format_value(True), format_value(["a", "b"])
        ('70', '1.5', 'true', 'a, b')
    """
    if value is None:
        return None
    if isinstance(value, Text):
        return value.en or value.zh
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, list | tuple):
        return ", ".join(str(format_value(v)) for v in value)
    return str(value)


def _zh(value: object) -> str | None:
    return (value.zh or value.en) if isinstance(value, Text) else None


class _Collector:
    def __init__(self) -> None:
        self.changes: list[Change] = []

    def added(self, section: Section, key: str, new: object, phase: str | None = None) -> None:
        self.changes.append(
            Change("added", section, key, None, None, format_value(new), phase, None, _zh(new))
        )

    def removed(self, section: Section, key: str, old: object, phase: str | None = None) -> None:
        self.changes.append(
            Change("removed", section, key, None, format_value(old), None, phase, _zh(old), None)
        )

    def changed(
        self,
        section: Section,
        key: str,
        field: str,
        old: object,
        new: object,
        phase: str | None = None,
    ) -> None:
        if old == new:
            return
        self.changes.append(
            Change(
                "changed",
                section,
                key,
                field,
                format_value(old),
                format_value(new),
                phase,
                _zh(old),
                _zh(new),
            )
        )

    def fields(
        self,
        section: Section,
        key: str,
        old: BaseModel,
        new: BaseModel,
        names: Iterable[str],
        phase: str | None = None,
    ) -> None:
        for name in names:
            self.changed(section, key, name, getattr(old, name), getattr(new, name), phase)


def _matched(
    old: Iterable[tuple[str, T]], new: Iterable[tuple[str, T]]
) -> tuple[list[tuple[str, T]], list[tuple[str, T, T]], list[tuple[str, T]]]:
    """(removed, kept pairs, added), each in document order (old order, then new order)."""
    old_map = dict(old)
    new_map = dict(new)
    removed = [(k, v) for k, v in old_map.items() if k not in new_map]
    kept = [(k, v, new_map[k]) for k, v in old_map.items() if k in new_map]
    added = [(k, v) for k, v in new_map.items() if k not in old_map]
    return removed, kept, added


# --------------------------------------------------------------------------- sections


_PHASE_FIELDS: Final = ("ordinal", "kind", "name", "goal", "result", "length_days")
_ITEM_FIELDS: Final = ("name", "workstream", "owner_role", "deliverable", "description")
_RISK_FIELDS: Final = (
    "title",
    "description",
    "category",
    "cause",
    "effect",
    "likelihood",
    "impact",
    "response",
    "mitigation",
)
_METRIC_FIELDS: Final = (
    "name",
    "unit",
    "direction",
    "baseline",
    "owner_role",
    "data_source",
    "description",
    "glide_text",
    "amber_tolerance",
)
_INDICATOR_FIELDS: Final = (
    "name",
    "description",
    "weight",
    "critical",
    "suggested_action",
    "horizon",
)


def _summaries(pb: Playbook, lang: str) -> dict[str, str | None]:
    """The playbook-wide settings as short strings in ``lang``, by field name."""
    out: dict[str, str | None] = dict.fromkeys(
        ("risk_scale", "maturity_scale", "maturity_levels", "level_weights", "maturity_categories")
    )
    scale = pb.risk_scale
    if scale is not None:
        out["risk_scale"] = "; ".join(
            [
                ", ".join(
                    f"{b.name} ({b.label.get(lang)}) {b.min_score}–{b.max_score}"
                    for b in scale.bands
                ),
                " / ".join(t.get(lang) for t in scale.likelihood_labels),
                " / ".join(t.get(lang) for t in scale.impact_labels),
            ]
        )
    model = pb.maturity
    if model is not None:
        out["maturity_scale"] = ", ".join(
            f"{n} {t.get(lang)}" for n, t in sorted(model.scale.items())
        )
        out["maturity_levels"] = ", ".join(
            f"{level.name.get(lang)} ≥ {format_value(level.min_score)}" for level in model.levels
        )
        out["level_weights"] = ", ".join(
            f"{name} {format_value(w)}" for name, w in model.level_weights.items()
        )
        out["maturity_categories"] = ", ".join(
            f"{c.key} ({c.name.get(lang)})" for c in model.categories
        )
    return out


def _diff_playbook_fields(old: Playbook, new: Playbook, out: _Collector) -> None:
    key = new.id
    out.fields("playbook", key, old, new, ("title", "description", "author"))
    out.changed("playbook", key, "workdays", old.calendar.workdays, new.calendar.workdays)
    old_en, old_zh = _summaries(old, "en"), _summaries(old, "zh")
    new_en, new_zh = _summaries(new, "en"), _summaries(new, "zh")
    for field in old_en:
        if (old_en[field], old_zh[field]) != (new_en[field], new_zh[field]):
            out.changes.append(
                Change(
                    "changed",
                    "playbook",
                    key,
                    field,
                    old_en[field],
                    new_en[field],
                    None,
                    old_zh[field],
                    new_zh[field],
                )
            )


def _diff_phases(old: Playbook, new: Playbook, out: _Collector) -> None:
    removed, kept, added = _matched(
        ((p.key, p) for p in old.phases), ((p.key, p) for p in new.phases)
    )
    for key, phase in removed:
        out.removed("phase", key, phase.name, key)
    for key, o, n in kept:
        out.fields("phase", key, o, n, _PHASE_FIELDS, key)
    for key, phase in added:
        out.added("phase", key, phase.name, key)


def _work_items(pb: Playbook, tasks: bool) -> list[tuple[str, tuple[str, WorkItem]]]:
    return [
        (item.key, (phase.key, item))
        for phase, item in pb.work_items()
        if isinstance(item, Task) == tasks
    ]


def _diff_items(old: Playbook, new: Playbook, out: _Collector) -> None:
    pairs: tuple[tuple[Section, bool], ...] = (("task", True), ("milestone", False))
    for section, tasks in pairs:
        names = (*_ITEM_FIELDS[:2], "duration", *_ITEM_FIELDS[2:]) if tasks else _ITEM_FIELDS
        removed, kept, added = _matched(_work_items(old, tasks), _work_items(new, tasks))
        for key, (phase_key, item) in removed:
            out.removed(section, key, item.name, phase_key)
        for key, (old_phase, o), (new_phase, n) in kept:
            out.changed(section, key, "phase", old_phase, new_phase, new_phase)
            out.fields(section, key, o, n, names, new_phase)
        for key, (phase_key, item) in added:
            out.added(section, key, item.name, phase_key)


def _links(pb: Playbook) -> list[tuple[str, tuple[str, Dependency]]]:
    return [
        (link_key(dep.key, item.key), (phase.key, dep))
        for phase, item in pb.work_items()
        for dep in item.depends_on
    ]


def _diff_dependencies(old: Playbook, new: Playbook, out: _Collector) -> None:
    removed, kept, added = _matched(_links(old), _links(new))
    for key, (phase_key, dep) in removed:
        out.removed("dependency", key, dependency_text(dep), phase_key)
    for key, (_, o), (phase_key, n) in kept:
        out.fields("dependency", key, o, n, ("type", "lag"), phase_key)
    for key, (phase_key, dep) in added:
        out.added("dependency", key, dependency_text(dep), phase_key)


def _criterion_value(criterion: GateCriterion) -> object:
    if isinstance(criterion, ManualCriterion):
        return criterion.text
    return gate_criterion_value(criterion)


def _diff_gates(old: Playbook, new: Playbook, out: _Collector) -> None:
    old_phases = {p.key: p for p in old.phases}
    new_phases = {p.key: p for p in new.phases}
    order = [*old_phases, *(k for k in new_phases if k not in old_phases)]
    for phase_key in order:
        old_gate = keyed_gate(old_phases[phase_key].gate) if phase_key in old_phases else {}
        new_gate = keyed_gate(new_phases[phase_key].gate) if phase_key in new_phases else {}
        removed, kept, added = _matched(old_gate.items(), new_gate.items())
        for key, criterion in removed:
            out.removed("gate", key, _criterion_value(criterion), phase_key)
        for key, o, n in kept:
            if isinstance(o, MilestonesDoneCriterion) and isinstance(n, MilestonesDoneCriterion):
                out.changed("gate", key, "milestones", o.milestones, n.milestones, phase_key)
            elif isinstance(o, MaxRiskBandCriterion) and isinstance(n, MaxRiskBandCriterion):
                out.changed("gate", key, "band", o.band, n.band, phase_key)
            elif isinstance(o, ManualCriterion) and isinstance(n, ManualCriterion):
                out.changed("gate", key, "text", o.text, n.text, phase_key)
                out.changed("gate", key, "source", o.source, n.source, phase_key)
        for key, criterion in added:
            out.added("gate", key, _criterion_value(criterion), phase_key)


def _diff_risks(old: Playbook, new: Playbook, out: _Collector) -> None:
    removed, kept, added = _matched(
        ((r.key, r) for r in old.risks), ((r.key, r) for r in new.risks)
    )
    for key, risk in removed:
        out.removed("risk", key, risk.title)
    for key, o, n in kept:
        out.fields("risk", key, o, n, _RISK_FIELDS)
    for key, risk in added:
        out.added("risk", key, risk.title)


def _diff_metrics(old: Playbook, new: Playbook, out: _Collector) -> None:
    phase_of = {p.ordinal: p.key for p in old.phases} | {p.ordinal: p.key for p in new.phases}
    removed, kept, added = _matched(
        ((m.key, m) for m in old.metrics), ((m.key, m) for m in new.metrics)
    )
    for key, metric in removed:
        out.removed("metric", key, metric.name)
    for key, o, n in kept:
        out.fields("metric", key, o, n, _METRIC_FIELDS)
        for ordinal in sorted(set(o.targets) | set(n.targets)):
            out.changed(
                "metric",
                key,
                "target",
                o.targets.get(ordinal),
                n.targets.get(ordinal),
                phase_of.get(ordinal, str(ordinal)),
            )
    for key, metric in added:
        out.added("metric", key, metric.name)


def _indicators(pb: Playbook) -> list[tuple[str, tuple[str, Indicator]]]:
    if pb.maturity is None:
        return []
    return [(i.key, (c.key, i)) for c in pb.maturity.categories for i in c.indicators]


def _diff_indicators(old: Playbook, new: Playbook, out: _Collector) -> None:
    removed, kept, added = _matched(_indicators(old), _indicators(new))
    for key, (_, indicator) in removed:
        out.removed("indicator", key, indicator.name)
    for key, (old_cat, o), (new_cat, n) in kept:
        out.changed("indicator", key, "category", old_cat, new_cat)
        out.fields("indicator", key, o, n, _INDICATOR_FIELDS)
    for key, (_, indicator) in added:
        out.added("indicator", key, indicator.name)


_SECTION_DIFFS: Final[tuple[Callable[[Playbook, Playbook, _Collector], None], ...]] = (
    _diff_playbook_fields,
    _diff_phases,
    _diff_items,
    _diff_dependencies,
    _diff_gates,
    _diff_risks,
    _diff_metrics,
    _diff_indicators,
)


def diff_playbooks(old: Playbook, new: Playbook) -> PlaybookDiff:
    """Every structural and content difference from ``old`` to ``new`` (see the module notes).

    Examples:
        >>> from planner.domain.playbook import parse_playbook
        >>> pb = parse_playbook(
        ...     "id: a\\nversion: '1'\\ntitle: A\\nphases: [{ordinal: 0, key: p, name: P}]"
        ... )
        >>> diff_playbooks(pb, pb).is_empty
        True
    """
    out = _Collector()
    for section_diff in _SECTION_DIFFS:
        section_diff(old, new, out)
    return PlaybookDiff(new.id, old.version, new.version, tuple(out.changes))


# --------------------------------------------------------------------------- sentences

#: Fields whose values are free text, shown in quotes.
QUOTED_FIELDS: Final = frozenset(
    {
        "title",
        "description",
        "author",
        "name",
        "goal",
        "result",
        "workstream",
        "owner_role",
        "deliverable",
        "text",
        "category",
        "cause",
        "effect",
        "mitigation",
        "unit",
        "data_source",
        "suggested_action",
        "band",
    }
)
#: Fields whose values are words of a closed vocabulary (``higher``, ``strategic`` …),
#: translated where they are shown.
VOCABULARY_FIELDS: Final = frozenset({"critical", "direction", "horizon", "response", "kind"})

_DEPENDENCY_TEXT = re.compile(r"^(FS|SS|FF|SF)([+-]\d+)?$")


def dependency_parts(value: str | None) -> tuple[str, int] | None:
    """A dependency's value (``"SS+2"``) as its type and lag, or None for another text.

    Examples:
        >>> dependency_parts("FS-5"), dependency_parts("SS"), dependency_parts("?")
        (('FS', -5), ('SS', 0), None)
    """
    match = _DEPENDENCY_TEXT.match(value or "")
    if not match:
        return None
    return match.group(1), int(match.group(2) or 0)


def describe(change: Change) -> Explanation:
    """What a change says, without the words: the renderer (``planner.explain_text`` with
    ``planner/messages/playbook_diff.py``) makes it one sentence in the reader's language,
    taking the Chinese texts of the change (``old_zh``, ``new_zh``) for a Chinese reader.

    Examples:
        >>> describe(Change("changed", "task", "x", "phase", "a", "b", "b")).code
        'playbook.change'
    """
    return Explanation("playbook.change", {"change": change})
