"""The playbook library: browse, preview, upload, compare versions, upgrade programs, lessons.

The rules live in the pure modules (:mod:`planner.domain.playbook` for loading and checking,
:mod:`~planner.domain.playbook_diff`, :mod:`~planner.domain.playbook_upgrade`,
:mod:`~planner.domain.playbook_lessons`, :mod:`~planner.domain.playbook_writer`); this module
reads rows, turns them into the plain data those modules take, and writes the result.

Where a program's things came from, and whether the program edited them
=======================================================================

The upgrade needs, for every work item, dependency, risk, metric and gate criterion of the
program, two yes/no answers. Both are read from the audit trail (``AuditEvent``), never from
a second bookkeeping:

* **From the playbook**: its key is in the playbook version the program is on (a dependency
  by ``"pred → succ"``, a gate criterion by its phase and criterion key) *and* its row was
  created with the program (the run of "create" events of the program that starts with the
  program's own "create" event and ends at the program's first "update" or "delete" event)
  or by an earlier upgrade. A row a person deleted and created again with the same key is the
  program's own. (A program with no "create" event in the trail — created before the trail
  existed — counts the key alone.)
* **Edited**: the trail holds an "update" of one of the fields the playbook gave the row
  (:data:`EDIT_FIELDS`: a work item's name, kind, phase, duration, workstream, owner role and
  deliverable; a dependency's type and lag; a risk's title, description, category, cause,
  effect, likelihood, impact, response and mitigation; a metric's name, unit, direction and
  baseline, or any change to its per-phase targets; a gate criterion's kind, reference and
  text), made by anyone but an upgrade (the audit rows an upgrade wrote are recorded in
  :class:`~planner.models.library.PlaybookUpgrade` and skipped). **Work that has started**
  (an actual start or some percent complete) counts as edited too: the program has lived
  it, so the upgrade never re-plans it by itself; the lead decides. Otherwise running the
  program — assigning people, reviewing, re-rating and closing risks (the residual
  assessment, the status), taking readings, judging criteria — is not editing the method:
  those rows still follow the playbook. Progress also matters where the domain asks for it:
  a started item, a metric with readings or a judged criterion is never removed by itself.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import PurePath
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

import planner.models.library  # noqa: F401  (registers the library tables)
from planner.domain.calendar import WorkCalendar
from planner.domain.errors import ConflictError, NotFoundError, ValidationError
from planner.domain.playbook import (
    WEEKDAYS,
    ManualCriterion,
    MaxRiskBandCriterion,
    MetricTargetCriterion,
    MilestonesDoneCriterion,
    Playbook,
    PlaybookError,
    Task,
    Text,
    issue,
    parse_playbook,
)
from planner.domain.playbook import GateCriterion as PlaybookCriterion
from planner.domain.playbook_diff import (
    SECTIONS,
    Change,
    PlaybookDiff,
    describe,
    diff_playbooks,
    keyed_gate,
    link_key,
    split_link_key,
)
from planner.domain.playbook_lessons import (
    AddedTask,
    Lesson,
    MissedMetric,
    OccurredRisk,
    ProgramOutcome,
    apply_lessons,
    propose_lessons,
)
from planner.domain.playbook_upgrade import (
    Conflict,
    ProgramGateCriterion,
    ProgramItem,
    ProgramLink,
    ProgramMetric,
    ProgramRisk,
    ProgramSnapshot,
    UpgradeAction,
    UpgradePlan,
    apply_decisions,
    plan_upgrade,
)
from planner.domain.playbook_writer import dump_playbook
from planner.domain.schedule import Activity, Link, PhaseWindow, schedule
from planner.extensions import db
from planner.models import (
    AuditEvent,
    Dependency,
    GateCriterion,
    Metric,
    MetricReading,
    MetricTarget,
    Phase,
    Program,
    Risk,
    WorkItem,
)
from planner.models.gate import GateDecision
from planner.models.library import PlaybookUpgrade, PlaybookUpload
from planner.models.risk import RiskWorkItemLink
from planner.services.concurrency import check_version
from planner.services.playbooks import (
    ORIGINS,
    InstalledPlaybook,
    file_playbooks,
    find_installed,
    installed_playbooks,
    version_key,
)
from planner.services.programs import metric_from_playbook, phase_windows, risk_from_playbook
from planner.services.scheduling import program_calendar, reschedule

MAX_UPLOAD_BYTES = 1024 * 1024
"""Largest playbook the upload page accepts (the shipped ones are about 110 KB)."""


# --------------------------------------------------------------------------- browsing


@dataclass(frozen=True)
class LibraryEntry:
    """One installed playbook version as the library lists it."""

    installed: InstalledPlaybook
    title: str
    description: str
    latest: bool

    @property
    def playbook(self) -> Playbook:
        return self.installed.playbook

    @property
    def id(self) -> str:
        return self.playbook.id

    @property
    def version(self) -> str:
        return self.playbook.version

    @property
    def origin(self) -> str:
        return self.installed.origin

    @property
    def author(self) -> str:
        return self.playbook.author or ""

    @property
    def phase_count(self) -> int:
        return len(self.playbook.phases)

    @property
    def task_count(self) -> int:
        return self.playbook.task_count

    @property
    def milestone_count(self) -> int:
        return self.playbook.milestone_count

    @property
    def risk_count(self) -> int:
        return len(self.playbook.risks)

    @property
    def metric_count(self) -> int:
        return len(self.playbook.metrics)

    @property
    def indicator_count(self) -> int:
        model = self.playbook.maturity
        return sum(len(c.indicators) for c in model.categories) if model else 0

    @property
    def source_name(self) -> str:
        """The file name, or "upload #n"."""
        path = self.installed.path
        return path.name if path is not None else f"upload #{self.installed.upload_id}"


def text_of(text: Text | None, lang: str) -> str:
    """A playbook text in ``lang``, falling back to the other language; "" for none."""
    return text.get(lang) if text is not None else ""


@dataclass(frozen=True)
class LibraryFilters:
    """Search and filters of the library page, each a query argument."""

    q: str = ""
    origin: str = ""
    author: str = ""
    latest: bool = False

    @classmethod
    def from_args(cls, args: Mapping[str, Any]) -> LibraryFilters:
        origin = str(args.get("origin") or "")
        return cls(
            q=str(args.get("q") or "").strip()[:200],
            origin=origin if origin in ORIGINS else "",
            author=str(args.get("author") or "").strip()[:200],
            latest=str(args.get("latest") or "") in ("1", "on", "true", "yes"),
        )

    @property
    def active(self) -> bool:
        return bool(self.q or self.origin or self.author or self.latest)

    def matches(self, entry: LibraryEntry) -> bool:
        if self.origin and entry.origin != self.origin:
            return False
        if self.author and entry.author != self.author:
            return False
        if self.latest and not entry.latest:
            return False
        if self.q:
            pb = entry.playbook
            haystack = " ".join(
                part or ""
                for part in (
                    pb.id,
                    pb.version,
                    pb.title.en,
                    pb.title.zh,
                    pb.description.en if pb.description else None,
                    pb.description.zh if pb.description else None,
                    pb.author,
                )
            ).casefold()
            return all(word in haystack for word in self.q.casefold().split())
        return True


@dataclass(frozen=True)
class Library:
    entries: list[LibraryEntry]  # those that match the filters
    total: int
    authors: list[str]
    errors: list[PlaybookError]


def _entries(installed: Sequence[InstalledPlaybook], lang: str) -> list[LibraryEntry]:
    newest: dict[str, str] = {}
    for item in installed:  # sorted by id, then version: the last one is the newest
        newest[item.playbook.id] = item.playbook.version
    return [
        LibraryEntry(
            item,
            text_of(item.playbook.title, lang),
            text_of(item.playbook.description, lang),
            newest[item.playbook.id] == item.playbook.version,
        )
        for item in installed
    ]


def library(filters: LibraryFilters, lang: str) -> Library:
    """Every installed playbook version, filtered; and the files or uploads that fail."""
    installed, errors = installed_playbooks()
    entries = _entries(installed, lang)
    authors = sorted({e.author for e in entries if e.author})
    return Library([e for e in entries if filters.matches(e)], len(entries), authors, errors)


def entry(playbook_id: str, version: str, lang: str) -> LibraryEntry:
    """One installed version (raises NotFoundError)."""
    installed = find_installed(playbook_id, version)
    versions = versions_of(playbook_id, lang)
    latest = versions[0].version == installed.playbook.version
    return LibraryEntry(
        installed,
        text_of(installed.playbook.title, lang),
        text_of(installed.playbook.description, lang),
        latest,
    )


def versions_of(playbook_id: str, lang: str) -> list[LibraryEntry]:
    """Every installed version of a playbook, newest first (raises NotFoundError)."""
    installed = [i for i in installed_playbooks()[0] if i.playbook.id == playbook_id]
    if not installed:
        raise NotFoundError(f'no installed playbook "{playbook_id}"')
    return list(reversed(_entries(installed, lang)))


def source_text(item: InstalledPlaybook) -> str:
    """The YAML of an installed playbook: the file, or the upload exactly as sent."""
    if item.path is not None:
        return item.path.read_text(encoding="utf-8")
    upload = db.session.get(PlaybookUpload, item.upload_id)
    if upload is None:
        raise NotFoundError("the upload is gone")
    return upload.source


@dataclass(frozen=True)
class ProgramOnPlaybook:
    id: int
    name: str
    client: str
    version: str


def programs_on(playbook_id: str, program_ids: Iterable[int]) -> list[ProgramOnPlaybook]:
    """Of the given programs (those the user may read), the ones on this playbook."""
    ids = list(program_ids)
    if not ids:
        return []
    rows = db.session.execute(
        select(Program.id, Program.name, Program.client, Program.playbook_version)
        .where(Program.playbook_id == playbook_id, Program.id.in_(ids))
        .order_by(Program.name)
    )
    return [ProgramOnPlaybook(*row) for row in rows]


# --------------------------------------------------------------------------- diff


@dataclass(frozen=True)
class DiffSection:
    section: str
    lines: list[tuple[Change, str]]
    counts: dict[str, int]


def compare(playbook_id: str, old_version: str, new_version: str) -> PlaybookDiff:
    """The structural diff between two installed versions of one playbook."""
    old = find_installed(playbook_id, old_version).playbook
    new = find_installed(playbook_id, new_version).playbook
    return diff_playbooks(old, new)


def diff_sections(diff: PlaybookDiff, lang: str) -> list[DiffSection]:
    """The changes grouped by section (in the diff's order), each as a sentence in ``lang``."""
    summary = diff.summary()
    out = []
    for section in SECTIONS:
        changes = [c for c in diff.changes if c.section == section]
        if changes:
            out.append(
                DiffSection(
                    section,
                    [(c, describe(c, lang)) for c in changes],
                    {kind: count for kind, count in summary[section].items()},
                )
            )
    return out


# --------------------------------------------------------------------------- preview


@dataclass(slots=True)
class PreviewRow:
    """A playbook work item scheduled from a start date (what the Gantt builder reads)."""

    id: int
    key: str
    name: str
    kind: str
    phase_key: str
    workstream: str | None
    owner: str | None
    duration: int
    early_start: date | None
    early_finish: date | None
    total_float: int | None
    free_float: int | None
    critical: bool
    predecessors: list[str]
    percent: int = 0
    status: str = "not_started"
    baseline_start: date | None = None
    baseline_finish: date | None = None
    finish_variance: int | None = None
    ordinal: int = 0
    position: int = 0


@dataclass(frozen=True, slots=True)
class PreviewLink:
    predecessor_id: int
    successor_id: int
    type: str
    lag: int
    critical: bool


@dataclass(frozen=True)
class CriterionView:
    kind: str
    text: str  # what it checks, in the chosen language


@dataclass
class PreviewPhase:
    key: str
    name: str
    kind: str
    ordinal: int
    window_start: date
    window_end: date
    length_days: int
    goal: str
    result: str
    gate: list[CriterionView]
    tasks: int
    milestones: int
    finish: date | None = None
    overrun_days: int = 0


@dataclass(frozen=True)
class Preview:
    playbook: Playbook
    start: date
    finish: date
    phases: list[PreviewPhase]
    rows: list[PreviewRow]
    links: list[PreviewLink]
    critical_count: int


def next_monday(today: date) -> date:
    """The Monday after ``today`` (a week on when today is a Monday)."""
    return today + timedelta(days=7 - today.weekday())


def playbook_calendar(playbook: Playbook) -> WorkCalendar:
    return WorkCalendar(workdays=frozenset(WEEKDAYS.index(d) for d in playbook.calendar.workdays))


def criterion_text(
    criterion: PlaybookCriterion,
    lang: str,
    metric_names: Mapping[str, str],
    item_names: Mapping[str, str] | None = None,
) -> str:
    """What a gate criterion checks, as a person reads it, with names rather than keys."""
    zh = lang == "zh"
    if isinstance(criterion, MetricTargetCriterion):
        name = metric_names.get(criterion.metric, criterion.metric)
        return f"指标“{name}”达到本阶段目标" if zh else f"“{name}” meets its phase target"
    if isinstance(criterion, MilestonesDoneCriterion):
        names = [(item_names or {}).get(key, key) for key in criterion.milestones]
        done = ("、" if zh else "; ").join(names)
        return f"里程碑完成：{done}" if zh else f"milestones done: {done}"
    if isinstance(criterion, MaxRiskBandCriterion):
        band = criterion.band
        return f"没有高于“{band}”的未关闭风险" if zh else f"no open risk rated above “{band}”"
    assert isinstance(criterion, ManualCriterion)
    return criterion.text.get(lang)


def preview(playbook: Playbook, start: date, lang: str) -> Preview:
    """The playbook's plan scheduled from ``start`` with the programs' scheduler (no rows)."""
    windows = phase_windows(playbook, start)
    activities: list[Activity] = []
    links: list[Link] = []
    for phase, (window_start, _end) in zip(playbook.phases, windows, strict=True):
        for item in [*phase.tasks, *phase.milestones]:
            duration = item.duration if isinstance(item, Task) else 0
            activities.append(Activity(item.key, duration, phase.key, window_start))
            links.extend(Link(d.key, item.key, d.type, d.lag) for d in item.depends_on)
    result = schedule(
        activities,
        links,
        playbook_calendar(playbook),
        start=start,
        phase_windows=[
            PhaseWindow(p.key, s, e) for p, (s, e) in zip(playbook.phases, windows, strict=True)
        ],
    )
    overruns = {o.phase: o.days_over for o in result.overruns}
    metric_names = {m.key: text_of(m.name, lang) for m in playbook.metrics}
    item_names = {item.key: text_of(item.name, lang) for _phase, item in playbook.work_items()}
    ids: dict[str, int] = {}
    rows: list[PreviewRow] = []
    phases: list[PreviewPhase] = []
    position = 0
    for phase, (window_start, window_end) in zip(playbook.phases, windows, strict=True):
        phase_rows = []
        for item in [*phase.tasks, *phase.milestones]:
            computed = result.items[item.key]
            position += 1
            ids[item.key] = position
            is_task = isinstance(item, Task)
            phase_rows.append(
                PreviewRow(
                    id=position,
                    key=item.key,
                    name=text_of(item.name, lang),
                    kind="task" if is_task else "milestone",
                    phase_key=phase.key,
                    workstream=item.workstream,
                    owner=item.owner_role,
                    duration=item.duration if isinstance(item, Task) else 0,
                    early_start=computed.early_start,
                    early_finish=computed.early_finish,
                    total_float=computed.total_float,
                    free_float=computed.free_float,
                    critical=computed.critical,
                    predecessors=[
                        d.key + ("" if d.type == "FS" and not d.lag else f" {d.type}{d.lag:+d}")
                        for d in item.depends_on
                    ],
                    ordinal=phase.ordinal,
                    position=position,
                )
            )
        phase_rows.sort(key=lambda r: (r.workstream or "", r.early_start or start, r.position))
        rows.extend(phase_rows)
        finishes = [r.early_finish for r in phase_rows if r.early_finish]
        phases.append(
            PreviewPhase(
                key=phase.key,
                name=text_of(phase.name, lang),
                kind=phase.kind,
                ordinal=phase.ordinal,
                window_start=window_start,
                window_end=window_end,
                length_days=phase.length_days,
                goal=text_of(phase.goal, lang),
                result=text_of(phase.result, lang),
                gate=[
                    CriterionView(c.kind, criterion_text(c, lang, metric_names, item_names))
                    for c in phase.gate
                ],
                tasks=len(phase.tasks),
                milestones=len(phase.milestones),
                finish=max(finishes) if finishes else None,
                overrun_days=overruns.get(phase.key, 0),
            )
        )
    by_key = {row.key: row for row in rows}
    preview_links = [
        PreviewLink(
            ids[link.predecessor],
            ids[link.successor],
            link.type,
            link.lag,
            by_key[link.predecessor].critical and by_key[link.successor].critical,
        )
        for link in links
    ]
    return Preview(
        playbook,
        start,
        result.finish,
        phases,
        rows,
        preview_links,
        sum(1 for r in rows if r.critical),
    )


# --------------------------------------------------------------------------- upload


class UploadTooLarge(ValidationError):
    """The file is over :data:`MAX_UPLOAD_BYTES` (the page answers 413)."""


class UploadRefused(ConflictError):
    """The id and version are taken by another playbook (the page answers 409)."""


@dataclass(frozen=True)
class UploadResult:
    playbook: Playbook
    upload: PlaybookUpload
    already_installed: bool


#: Ids that would clash with the library's own addresses (/playbooks/upload).
RESERVED_IDS = frozenset({"upload"})
_SAFE_NAME = re.compile(r"[^A-Za-z0-9_.@+-]+")


def _clean_filename(filename: str) -> str:
    name = PurePath(filename.replace("\\", "/")).name
    return _SAFE_NAME.sub("_", name)[:200] or "playbook.yaml"


def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def upload_playbook(data: bytes, filename: str, uploaded_by: str) -> UploadResult:
    """Validate a playbook file exactly as ``planner playbook validate`` does and install it.

    Raises :class:`UploadTooLarge`, :class:`~planner.domain.playbook.PlaybookError` (every
    problem with its line) or :class:`UploadRefused`; then nothing is written. The same file
    sent twice is installed once (``already_installed``).
    """
    name = _clean_filename(filename)
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadTooLarge(
            f"the file is larger than {MAX_UPLOAD_BYTES // 1024} KB",
            [("file", f"{len(data)} bytes; at most {MAX_UPLOAD_BYTES} are accepted")],
        )
    if not data:
        raise PlaybookError([issue(name, None, "", "file_empty")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PlaybookError([issue(name, None, "", "not_utf8", offset=exc.start)]) from None
    playbook = parse_playbook(text, source=name)
    digest = checksum(data)
    ref = f"{playbook.id}@{playbook.version}"
    if playbook.id in RESERVED_IDS:
        raise UploadRefused(
            f'the id "{playbook.id}" is taken by the library itself: choose another'
        )
    for item in file_playbooks()[0]:
        if item.ref == ref:
            where = "shipped with the planner" if item.origin == "shipped" else "installed"
            raise UploadRefused(
                f"{ref} is {where} ({item.path.name if item.path else ''}); an upload cannot "
                "replace it: give the playbook a new version number"
            )
    existing = db.session.scalar(
        select(PlaybookUpload).where(
            PlaybookUpload.playbook_id == playbook.id, PlaybookUpload.version == playbook.version
        )
    )
    if existing is not None:
        if existing.sha256 == digest:
            return UploadResult(playbook, existing, True)
        raise UploadRefused(
            f"{ref} is already installed with other content (uploaded by "
            f"{existing.uploaded_by} on {existing.uploaded_at:%Y-%m-%d}); "
            "give the playbook a new version number"
        )
    upload = PlaybookUpload(
        playbook_id=playbook.id,
        version=playbook.version,
        source=text,
        sha256=digest,
        size_bytes=len(data),
        filename=name,
        uploaded_by=uploaded_by,
    )
    db.session.add(upload)
    try:
        db.session.flush()
    except IntegrityError:  # someone installed the same id and version a moment ago
        db.session.rollback()
        raise UploadRefused(f"{ref} was installed by someone else just now") from None
    return UploadResult(playbook, upload, False)


# --------------------------------------------------------------------------- provenance

#: The fields of each audited row that the playbook gives it: an update of one is an edit.
EDIT_FIELDS: dict[str, frozenset[str]] = {
    "workitem": frozenset(
        {
            "kind",
            "name",
            "name_zh",
            "phase_id",
            "duration_days",
            "workstream",
            "owner_role",
            "deliverable",
            "deliverable_zh",
        }
    ),
    "dependency": frozenset({"type", "lag_days", "predecessor_id", "successor_id"}),
    "risk": frozenset(
        {
            "title",
            "title_zh",
            "description",
            "description_zh",
            "category",
            "cause",
            "effect",
            "likelihood",
            "impact",
            "response",
            "mitigation",
            "mitigation_zh",
        }
    ),
    "metric": frozenset(
        {"name", "name_zh", "unit", "direction", "baseline", "description", "description_zh"}
    ),
    "gatecriterion": frozenset({"kind", "reference", "text", "text_zh", "phase_id"}),
}
_TARGET_ENTITY = "metrictarget"
_TRACKED = (*EDIT_FIELDS, _TARGET_ENTITY)


@dataclass(frozen=True)
class Provenance:
    """What the audit trail says about a program's rows (see the module notes)."""

    created: frozenset[tuple[str, int]]  # (entity, id) made with the program or by an upgrade
    edited: frozenset[tuple[str, int]]
    edited_targets: frozenset[str]  # metric keys whose targets a person changed
    has_trail: bool

    def from_playbook(self, entity: str, row_id: int, key_in_playbook: bool) -> bool:
        if not key_in_playbook:
            return False
        return (entity, row_id) in self.created if self.has_trail else True

    def is_edited(self, entity: str, row_id: int) -> bool:
        return (entity, row_id) in self.edited


def provenance(program: Program) -> Provenance:
    """Read the program's trail once: creation run, upgrades, and edits of playbook fields."""
    upgrades = db.session.execute(
        select(PlaybookUpgrade.first_audit_id, PlaybookUpgrade.last_audit_id).where(
            PlaybookUpgrade.program_id == program.id
        )
    ).all()
    ranges = [(a, b) for a, b in upgrades if a is not None and b is not None]

    def by_upgrade(event_id: int) -> bool:
        return any(a <= event_id <= b for a, b in ranges)

    start = db.session.scalar(
        select(func.min(AuditEvent.id)).where(
            AuditEvent.program_id == program.id,
            AuditEvent.entity == "program",
            AuditEvent.entity_id == program.id,
            AuditEvent.action == "create",
        )
    )
    end = None
    if start is not None:
        end = db.session.scalar(
            select(func.min(AuditEvent.id)).where(
                AuditEvent.program_id == program.id,
                AuditEvent.id > start,
                AuditEvent.action != "create",
            )
        )
    events = db.session.execute(
        select(
            AuditEvent.id,
            AuditEvent.action,
            AuditEvent.entity,
            AuditEvent.entity_id,
            AuditEvent.entity_label,
            AuditEvent.field,
        )
        .where(AuditEvent.program_id == program.id, AuditEvent.entity.in_(_TRACKED))
        .order_by(AuditEvent.id)
    ).all()
    created: set[tuple[str, int]] = set()
    edited: set[tuple[str, int]] = set()
    edited_targets: set[str] = set()
    for event in events:
        in_creation = start is not None and event.id >= start and (end is None or event.id < end)
        upgraded = by_upgrade(event.id)
        if event.entity == _TARGET_ENTITY:
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
            and event.field in EDIT_FIELDS.get(event.entity, frozenset())
        ):
            edited.add(ident)
    return Provenance(
        frozenset(created), frozenset(edited), frozenset(edited_targets), start is not None
    )


# --------------------------------------------------------------------------- snapshot


@dataclass
class ProgramRows:
    """A program's plan, register and gates, loaded in a fixed number of queries."""

    program: Program
    phases: dict[str, Phase]
    items: dict[str, WorkItem]
    links: dict[str, Dependency]  # by "pred → succ"
    risks: dict[str, Risk]
    metrics: dict[str, Metric]
    gates: dict[tuple[str, str], GateCriterion]  # (phase key, criterion key)
    readings: set[int]  # metric ids with readings


def _gate_key(row: GateCriterion) -> str:
    return ProgramGateCriterion(
        phase_key="",
        kind=row.kind,  # type: ignore[arg-type]  # the column's check constraint allows only the Literal's values
        reference=row.reference,
        text=row.text,
        text_zh=row.text_zh,
        from_playbook=False,
        edited=False,
    ).key


def load_rows(program: Program) -> ProgramRows:
    phases = list(db.session.scalars(select(Phase).where(Phase.program_id == program.id)))
    phase_by_id = {p.id: p for p in phases}
    items = list(
        db.session.scalars(
            select(WorkItem)
            .where(WorkItem.program_id == program.id)
            .order_by(WorkItem.position, WorkItem.id)
        )
    )
    item_by_id = {i.id: i for i in items}
    deps = list(db.session.scalars(select(Dependency).where(Dependency.program_id == program.id)))
    risks = list(
        db.session.scalars(select(Risk).where(Risk.program_id == program.id).order_by(Risk.id))
    )
    metrics = list(
        db.session.scalars(
            select(Metric).where(Metric.program_id == program.id).order_by(Metric.id)
        )
    )
    targets = list(
        db.session.scalars(select(MetricTarget).join(Metric).where(Metric.program_id == program.id))
    )
    by_metric: dict[int, list[MetricTarget]] = {}
    for target in targets:
        by_metric.setdefault(target.metric_id, []).append(target)
    for metric in metrics:
        # fill the relationship from the one query (no lazy load per metric)
        set_committed_value(
            metric, "targets", sorted(by_metric.get(metric.id, []), key=lambda t: t.phase_ordinal)
        )
    criteria = list(
        db.session.scalars(
            select(GateCriterion)
            .join(Phase)
            .where(Phase.program_id == program.id)
            .order_by(GateCriterion.phase_id, GateCriterion.position, GateCriterion.id)
        )
    )
    readings = set(
        db.session.scalars(
            select(MetricReading.metric_id)
            .join(Metric)
            .where(Metric.program_id == program.id)
            .distinct()
        )
    )
    gates: dict[tuple[str, str], GateCriterion] = {}
    for row in criteria:
        phase_key = phase_by_id[row.phase_id].key
        base = _gate_key(row)
        key, n = base, 1
        while (phase_key, key) in gates:
            n += 1
            key = f"{base}#{n}"
        gates[(phase_key, key)] = row
    links = {}
    for dep in deps:
        pred, succ = item_by_id.get(dep.predecessor_id), item_by_id.get(dep.successor_id)
        if pred is not None and succ is not None:
            links[link_key(pred.key, succ.key)] = dep
    return ProgramRows(
        program,
        {p.key: p for p in phases},
        {i.key: i for i in items},
        links,
        {r.key: r for r in risks},
        {m.key: m for m in metrics},
        gates,
        readings,
    )


def _playbook_gate_keys(playbook: Playbook) -> set[tuple[str, str]]:
    return {(p.key, key) for p in playbook.phases for key in keyed_gate(p.gate)}


def started(item: WorkItem) -> bool:
    """Work has begun on the item: it has an actual start or some percent complete."""
    return item.percent_complete > 0 or item.actual_start is not None


def closed_phases(rows: ProgramRows, today: date) -> tuple[list[str], str | None]:
    """The program's closed phases (gate date passed, or a decision recorded at the gate),
    in order, and the first phase that is not closed (None when every one is)."""
    decided = set(
        db.session.scalars(
            select(GateDecision.phase_id).where(GateDecision.program_id == rows.program.id)
        )
    )
    ordered = sorted(rows.phases.values(), key=lambda p: p.ordinal)
    closed = [p.key for p in ordered if p.window_end < today or p.id in decided]
    current = next((p.key for p in ordered if p.key not in closed), None)
    return closed, current


def snapshot(
    rows: ProgramRows, old: Playbook, trail: Provenance, today: date | None = None
) -> ProgramSnapshot:
    """The program as the upgrade planner sees it (see the module notes for the two flags);
    with ``today``, also which phases are closed (an upgrade never reopens them)."""
    phase_key_of = {p.id: p.key for p in rows.phases.values()}
    old_items = {item.key for _phase, item in old.work_items()}
    old_links = {
        link_key(d.key, item.key) for _phase, item in old.work_items() for d in item.depends_on
    }
    old_risks = {r.key for r in old.risks}
    old_metrics = {m.key for m in old.metrics}
    old_gates = _playbook_gate_keys(old)
    items = {
        key: ProgramItem(
            key=key,
            phase_key=phase_key_of[item.phase_id],
            name=item.name,
            name_zh=item.name_zh,
            duration=item.duration_days,
            workstream=item.workstream,
            owner_role=item.owner_role,
            kind="milestone" if item.kind == "milestone" else "task",
            from_playbook=trail.from_playbook("workitem", item.id, key in old_items),
            edited=trail.is_edited("workitem", item.id) or started(item),
            has_progress=started(item),
        )
        for key, item in rows.items.items()
    }
    links = []
    for key, dep in rows.links.items():
        pred, succ = split_link_key(key)
        links.append(
            ProgramLink(
                predecessor=pred,
                successor=succ,
                type=dep.type,
                lag=dep.lag_days,
                from_playbook=trail.from_playbook("dependency", dep.id, key in old_links),
                edited=trail.is_edited("dependency", dep.id),
            )
        )
    risks = {
        key: ProgramRisk(
            key=key,
            title=risk.title,
            title_zh=risk.title_zh,
            likelihood=risk.likelihood,
            impact=risk.impact,
            response=risk.response,
            mitigation=risk.mitigation or None,
            mitigation_zh=risk.mitigation_zh,
            from_playbook=trail.from_playbook("risk", risk.id, key in old_risks),
            edited=trail.is_edited("risk", risk.id),
        )
        for key, risk in rows.risks.items()
    }
    metrics = {
        key: ProgramMetric(
            key=key,
            targets={t.phase_ordinal: t.target for t in metric.targets},
            from_playbook=trail.from_playbook("metric", metric.id, key in old_metrics),
            edited=trail.is_edited("metric", metric.id) or key in trail.edited_targets,
            has_readings=metric.id in rows.readings,
        )
        for key, metric in rows.metrics.items()
    }
    gates = [
        ProgramGateCriterion(
            phase_key=phase_key,
            kind=row.kind,  # type: ignore[arg-type]  # the column's check constraint allows only the Literal's values
            reference=row.reference,
            text=row.text,
            text_zh=row.text_zh,
            from_playbook=trail.from_playbook(
                "gatecriterion", row.id, (phase_key, key) in old_gates
            ),
            edited=trail.is_edited("gatecriterion", row.id),
            judged=row.met is not None,
        )
        for (phase_key, key), row in rows.gates.items()
    ]
    closed, current = closed_phases(rows, today) if today is not None else ([], None)
    closed_ordinals = [rows.phases[key].ordinal for key in closed]
    return ProgramSnapshot(
        items=items,
        links=links,
        risks=risks,
        metrics=metrics,
        gate_criteria=gates,
        phases=set(rows.phases),
        closed_phases=closed,
        current_phase=current,
        closed_ordinals=closed_ordinals,
    )


# --------------------------------------------------------------------------- upgrade


@dataclass(frozen=True)
class UpgradeContext:
    program: Program
    old: Playbook
    new: Playbook
    plan: UpgradePlan
    newer_versions: list[str]
    history: list[PlaybookUpgrade]
    started: frozenset[str] = frozenset()  # keys of work items under way or done

    @property
    def is_noop(self) -> bool:
        return not self.plan.conflicts and all(a.op in ("keep", "skip") for a in self.plan.actions)


def newer_versions(program: Program) -> list[str]:
    """Installed versions of the program's playbook newer than the one it is on, newest first."""
    current = version_key(program.playbook_version)
    return [
        i.playbook.version
        for i in reversed(installed_playbooks()[0])
        if i.playbook.id == program.playbook_id and version_key(i.playbook.version) > current
    ]


def upgrade_history(program: Program) -> list[PlaybookUpgrade]:
    return list(
        db.session.scalars(
            select(PlaybookUpgrade)
            .where(PlaybookUpgrade.program_id == program.id)
            .order_by(PlaybookUpgrade.id.desc())
        )
    )


def _current_playbook(program: Program) -> Playbook:
    try:
        return find_installed(program.playbook_id, program.playbook_version).playbook
    except NotFoundError:
        raise NotFoundError(
            f"the program's playbook {program.playbook_id}@{program.playbook_version} is no "
            "longer installed: the upgrade cannot tell what the program changed"
        ) from None


def upgrade_context(
    program: Program, to_version: str | None, today: date | None = None
) -> UpgradeContext:
    """What upgrading the program to ``to_version`` (default: the newest) would do on
    ``today`` (default: the real today; it decides which phases are closed).

    Raises NotFoundError when there is no newer version or the current one is not installed.
    """
    versions = newer_versions(program)
    if not versions:
        raise NotFoundError(
            f"no installed version of {program.playbook_id} is newer than "
            f"{program.playbook_version}"
        )
    target = to_version or versions[0]
    if target not in versions:
        raise NotFoundError(
            f'"{target}" is not an installed version of {program.playbook_id} newer than '
            f"{program.playbook_version}"
        )
    old = _current_playbook(program)
    new = find_installed(program.playbook_id, target).playbook
    rows = load_rows(program)
    plan = plan_upgrade(snapshot(rows, old, provenance(program), today or date.today()), old, new)
    under_way = frozenset(key for key, item in rows.items.items() if started(item))
    return UpgradeContext(program, old, new, plan, versions, upgrade_history(program), under_way)


def conflict_token(conflict: Conflict) -> str:
    """A form-safe, stable name for a conflict (its id hashed)."""
    return "c_" + hashlib.sha1(conflict.id.encode("utf-8"), usedforsecurity=False).hexdigest()[:16]


_ITEM_COLUMNS = {
    "name": "name",
    "name_zh": "name_zh",
    "duration": "duration_days",
    "workstream": "workstream",
    "owner_role": "owner_role",
    "kind": "kind",
}
_RISK_COLUMNS = ("title", "title_zh", "likelihood", "impact", "response", "mitigation")


def _en(text: Text | None) -> str:
    return (text.en or text.zh or "") if text else ""


def _zh(text: Text | None) -> str | None:
    return text.zh if text else None


class _Applier:
    """Writes the final actions to the rows (all in the caller's transaction)."""

    def __init__(self, rows: ProgramRows, new: Playbook) -> None:
        self.rows = rows
        self.new = new
        self.new_items = {item.key: (phase, item) for phase, item in new.work_items()}
        self.new_risks = {r.key: r for r in new.risks}
        self.new_metrics = {m.key: m for m in new.metrics}
        self.new_gates = {
            (p.key, key): c for p in new.phases for key, c in keyed_gate(p.gate).items()
        }
        self.counts = {"add": 0, "update": 0, "remove": 0}

    def run(self, actions: Sequence[UpgradeAction]) -> None:
        def of(section: Iterable[str], op: str) -> list[UpgradeAction]:
            return [a for a in actions if a.section in section and a.op == op]

        items = ("task", "milestone")
        for action in of(("dependency",), "remove"):
            self._remove_link(action)
        db.session.flush()
        for action in of(items, "remove"):
            self._remove_item(action)
        db.session.flush()
        for action in of(items, "update"):
            self._update_item(action)
        for action in of(items, "add"):
            self._add_item(action)
        db.session.flush()
        for action in of(("dependency",), "update"):
            self._update_link(action)
        for action in of(("dependency",), "add"):
            self._add_link(action)
        for op in ("remove", "update", "add"):
            for action in of(("risk",), op):
                getattr(self, f"_{op}_risk")(action)
            for action in of(("metric",), op):
                getattr(self, f"_{op}_metric")(action)
            for action in of(("gate",), op):
                getattr(self, f"_{op}_gate")(action)
        for action in actions:
            if action.op in self.counts:
                self.counts[action.op] += 1

    # -- work items

    def _remove_item(self, action: UpgradeAction) -> None:
        item = self.rows.items.pop(action.key)
        for link in db.session.scalars(
            select(RiskWorkItemLink).where(RiskWorkItemLink.work_item_id == item.id)
        ):
            db.session.delete(link)
        db.session.delete(item)

    def _update_item(self, action: UpgradeAction) -> None:
        item = self.rows.items[action.key]
        for name, (_old, new) in action.fields.items():
            if name == "phase_key":
                item.phase = self.rows.phases[str(new)]
            elif name in _ITEM_COLUMNS:
                value = (
                    new
                    if new is not None or name in ("name_zh", "workstream", "owner_role")
                    else ""
                )
                setattr(item, _ITEM_COLUMNS[name], value)
        # a kind and a duration decided apart must still agree (milestones last 0 days)
        if item.kind == "milestone":
            item.duration_days = 0
        elif item.duration_days == 0:
            found = self.new_items.get(item.key)
            item.duration_days = found[1].duration if found and isinstance(found[1], Task) else 1
        if not item.name:
            item.name = item.name_zh or item.key

    def _add_item(self, action: UpgradeAction) -> None:
        phase_pb, pb_item = self.new_items[action.key]
        # a closed phase's new item the lead put into the current phase goes there
        into = action.fields.get("phase_key", (None, phase_pb.key))[1]
        phase = self.rows.phases.get(str(into)) or self.rows.phases[phase_pb.key]
        is_task = isinstance(pb_item, Task)
        position = max((i.position for i in self.rows.items.values()), default=0) + 1
        item = WorkItem(
            program_id=self.rows.program.id,
            key=pb_item.key,
            kind="task" if is_task else "milestone",
            name=_en(pb_item.name) or pb_item.key,
            name_zh=_zh(pb_item.name),
            workstream=pb_item.workstream,
            duration_days=pb_item.duration if isinstance(pb_item, Task) else 0,
            owner_role=pb_item.owner_role,
            deliverable=_en(pb_item.deliverable) or None,
            deliverable_zh=_zh(pb_item.deliverable),
            position=position,
        )
        item.phase_id = phase.id
        db.session.add(item)
        self.rows.items[item.key] = item

    # -- dependencies

    def _remove_link(self, action: UpgradeAction) -> None:
        dep = self.rows.links.pop(action.key, None)
        if dep is not None:
            db.session.delete(dep)

    def _update_link(self, action: UpgradeAction) -> None:
        dep = self.rows.links[action.key]
        for name, (_old, new) in action.fields.items():
            if name == "type":
                dep.type = str(new)
            elif name == "lag":
                dep.lag_days = int(new or 0)  # type: ignore[arg-type]  # a lag change carries a number

    def _add_link(self, action: UpgradeAction) -> None:
        pred, succ = split_link_key(action.key)
        _phase, pb_item = self.new_items[succ]
        spec = next(d for d in pb_item.depends_on if d.key == pred)
        dep = Dependency(
            program_id=self.rows.program.id,
            # the rows themselves, not only their ids: the audit label names their keys
            predecessor=self.rows.items[pred],
            successor=self.rows.items[succ],
            type=spec.type,
            lag_days=spec.lag,
        )
        db.session.add(dep)
        self.rows.links[action.key] = dep

    # -- risks

    def _remove_risk(self, action: UpgradeAction) -> None:
        db.session.delete(self.rows.risks.pop(action.key))

    def _update_risk(self, action: UpgradeAction) -> None:
        risk = self.rows.risks[action.key]
        for name, (_old, new) in action.fields.items():
            if name == "mitigation_zh":
                risk.mitigation_zh = None if new is None else str(new)
            elif name in _RISK_COLUMNS:
                value = new if new is not None or name == "title_zh" else ""
                setattr(risk, name, value)
        if not risk.title:
            risk.title = risk.title_zh or risk.key

    def _add_risk(self, action: UpgradeAction) -> None:
        pb_risk = self.new_risks[action.key]
        rank = max((r.rank or 0 for r in self.rows.risks.values()), default=0) + 1
        risk = risk_from_playbook(pb_risk, rank)
        risk.program_id = self.rows.program.id
        db.session.add(risk)
        self.rows.risks[risk.key] = risk

    # -- metrics

    def _remove_metric(self, action: UpgradeAction) -> None:
        db.session.delete(self.rows.metrics.pop(action.key))

    def _update_metric(self, action: UpgradeAction) -> None:
        metric = self.rows.metrics[action.key]
        wanted = action.fields.get("targets", (None, None))[1]
        if not isinstance(wanted, Mapping):
            return
        by_ordinal = {t.phase_ordinal: t for t in metric.targets}
        for ordinal, value in wanted.items():
            if ordinal in by_ordinal:
                by_ordinal[ordinal].target = float(value)
            else:
                metric.targets.append(MetricTarget(phase_ordinal=ordinal, target=float(value)))
        for ordinal, target in by_ordinal.items():
            if ordinal not in wanted:
                metric.targets.remove(target)

    def _add_metric(self, action: UpgradeAction) -> None:
        pb_metric = self.new_metrics[action.key]
        metric = metric_from_playbook(pb_metric)
        metric.program_id = self.rows.program.id
        db.session.add(metric)
        self.rows.metrics[metric.key] = metric

    # -- gate criteria

    def _gate(self, action: UpgradeAction) -> tuple[str, str]:
        return (action.phase or "", action.key)

    def _remove_gate(self, action: UpgradeAction) -> None:
        db.session.delete(self.rows.gates.pop(self._gate(action)))

    def _update_gate(self, action: UpgradeAction) -> None:
        row = self.rows.gates[self._gate(action)]
        for name, (_old, new) in action.fields.items():
            if name == "reference":
                row.reference = str(new or "")
            elif name == "text":
                row.text = str(new or "")
            elif name == "text_zh":
                row.text_zh = None if new is None else str(new)

    def _add_gate(self, action: UpgradeAction) -> None:
        ident = self._gate(action)
        moved = action.fields.get("phase_key")
        # a closed phase's new criterion the lead put on the current phase's gate
        source = (str(moved[0]), action.key) if moved and moved[0] else ident
        criterion = self.new_gates[source]
        phase = self.rows.phases[ident[0]]
        if ident in self.rows.gates:  # that gate has it already
            return
        siblings = [g for (p, _k), g in self.rows.gates.items() if p == phase.key]
        reference = ""
        if isinstance(criterion, MetricTargetCriterion):
            reference = criterion.metric
        elif isinstance(criterion, MilestonesDoneCriterion):
            reference = " ".join(criterion.milestones)
        elif isinstance(criterion, MaxRiskBandCriterion):
            reference = criterion.band
        text = criterion.text if isinstance(criterion, ManualCriterion) else None
        position = max((g.position for g in siblings), default=-1) + 1
        row = GateCriterion(
            phase_id=phase.id,
            kind=criterion.kind,
            reference=reference,
            text=_en(text),
            text_zh=_zh(text),
            position=position,
        )
        db.session.add(row)
        self.rows.gates[ident] = row


def apply_upgrade(
    program: Program,
    to_version: str,
    decisions: Mapping[str, str],
    *,
    version: int | str | None,
    actor: str,
    today: date | None = None,
) -> PlaybookUpgrade:
    """Upgrade the program to ``to_version`` with the lead's decisions; one transaction.

    The plan is computed afresh (what the lead saw may have changed: then an undecided
    conflict is refused). Raises ValidationError (undecided or unknown conflicts, a cycle),
    StaleEditError (the program changed since the page was opened) or NotFoundError; the
    caller rolls back. Every row change is in the audit trail; the caller commits.
    """
    check_version(program, version)
    context = upgrade_context(program, to_version, today)
    actions = apply_decisions(context.plan, decisions)
    rows = load_rows(program)
    before = db.session.scalar(select(func.max(AuditEvent.id))) or 0
    applier = _Applier(rows, context.new)
    applier.run(actions)
    program.playbook_version = context.new.version
    db.session.flush()
    reschedule(program)
    db.session.flush()
    first, last = db.session.execute(
        select(func.min(AuditEvent.id), func.max(AuditEvent.id)).where(
            AuditEvent.program_id == program.id, AuditEvent.id > before
        )
    ).one()
    counts = applier.counts
    record = PlaybookUpgrade(
        program_id=program.id,
        playbook_id=program.playbook_id,
        from_version=context.old.version,
        to_version=context.new.version,
        applied_by=actor,
        summary=(
            f"added {counts['add']}, updated {counts['update']}, removed {counts['remove']}, "
            f"{len(context.plan.conflicts)} conflict(s) decided"
        ),
        first_audit_id=first,
        last_audit_id=last,
    )
    db.session.add(record)
    db.session.flush()
    return record


# --------------------------------------------------------------------------- lessons


def _inclusive_workdays(calendar: WorkCalendar, start: date, finish: date) -> int:
    """Working days from ``start`` to ``finish``, both counted (a Mon–Fri task takes 5)."""
    return calendar.workdays_between(start, finish + timedelta(days=1))


def outcome(program: Program, playbook: Playbook, today: date) -> ProgramOutcome:
    """What happened in the program, as the lessons module reads it.

    * tasks added: work items whose key the playbook version does not have;
    * actual durations: of tasks with an actual start and finish, the working days from the
      one to the other, both counted (the convention of planned durations);
    * risks that occurred: status "occurred" (or an occurred date);
    * metrics that missed: for each phase whose window has ended, the last reading on or
      before the window's end against the program's target for that phase.
    """
    rows = load_rows(program)
    calendar = program_calendar(program)
    phase_key_of = {p.id: p.key for p in rows.phases.values()}
    known = {item.key for _phase, item in playbook.work_items()}
    preds: dict[str, list[tuple[str, str, int]]] = {}
    for key, dep in rows.links.items():
        pred, succ = split_link_key(key)
        preds.setdefault(succ, []).append((pred, dep.type, dep.lag_days))
    added = [
        AddedTask(
            key=item.key,
            name=item.name,
            name_zh=item.name_zh,
            phase_key=phase_key_of[item.phase_id],
            duration=0 if item.kind == "milestone" else item.duration_days,
            workstream=item.workstream,
            owner_role=item.owner_role,
            depends_on=tuple(
                p if (t, lag) == ("FS", 0) else (p, t, lag) for p, t, lag in preds.get(item.key, [])
            ),
        )
        for item in rows.items.values()
        if item.key not in known
    ]
    durations = {
        item.key: float(_inclusive_workdays(calendar, item.actual_start, item.actual_finish))
        for item in rows.items.values()
        if item.kind == "task" and item.actual_start and item.actual_finish
    }
    occurred = [
        OccurredRisk(
            key=risk.key,
            title=risk.title,
            title_zh=risk.title_zh,
            likelihood=risk.likelihood,
            impact=risk.impact,
            category=risk.category,
            mitigation=risk.mitigation or None,
            mitigation_zh=risk.mitigation_zh,
        )
        for risk in rows.risks.values()
        if risk.status == "occurred" or risk.occurred_on is not None
    ]
    ended = {p.ordinal: p.window_end for p in rows.phases.values() if p.window_end < today}
    readings = db.session.execute(
        select(MetricReading.metric_id, MetricReading.day, MetricReading.value)
        .join(Metric)
        .where(Metric.program_id == program.id)
        .order_by(MetricReading.metric_id, MetricReading.day)
    ).all()
    by_metric: dict[int, list[tuple[date, float]]] = {}
    for metric_id, day, value in readings:
        by_metric.setdefault(metric_id, []).append((day, value))
    missed = []
    for metric in rows.metrics.values():
        for target in metric.targets:
            end = ended.get(target.phase_ordinal)
            if end is None:
                continue
            before = [v for d, v in by_metric.get(metric.id, []) if d <= end]
            if not before:
                continue
            actual = before[-1]
            short = (
                actual < target.target if metric.direction == "higher" else actual > target.target
            )
            if short:
                missed.append(
                    MissedMetric(
                        key=metric.key,
                        phase=target.phase_ordinal,
                        target=target.target,
                        actual=actual,
                    )
                )
    return ProgramOutcome(
        added_tasks=added,
        actual_durations=durations,
        occurred_risks=occurred,
        missed_metrics=missed,
    )


#: The patch value a consultant may edit on each kind of lesson, and its bounds.
EDITABLE: dict[str, tuple[str, float, float, bool]] = {
    "add_task": ("duration", 0, 1000, True),
    "lengthen_task": ("duration", 1, 1000, True),
    "raise_risk": ("likelihood", 1, 5, True),
    "add_risk": ("likelihood", 1, 5, True),
    "adjust_target": ("target", -1e12, 1e12, False),
}


def lesson_token(lesson: Lesson) -> str:
    return "l_" + hashlib.sha1(lesson.id.encode("utf-8"), usedforsecurity=False).hexdigest()[:16]


def editable_value(lesson: Lesson) -> object:
    name = EDITABLE[lesson.kind][0]
    return lesson.patch.get(name)


@dataclass(frozen=True)
class LessonsContext:
    program: Program
    playbook: Playbook
    lessons: list[Lesson]
    suggested_version: str


def suggest_version(playbook_id: str, base: str) -> str:
    """The next version number after every installed one of this playbook (and ``base``)."""
    versions = [
        i.playbook.version for i in installed_playbooks()[0] if i.playbook.id == playbook_id
    ]
    newest = max([base, *versions], key=version_key)
    parts = newest.split(".")
    if len(parts) == 1:
        return f"{parts[0]}.1"
    parts[-1] = str(int(parts[-1]) + 1)
    return ".".join(parts)


def lessons_context(program: Program, today: date) -> LessonsContext:
    playbook = _current_playbook(program)
    lessons = propose_lessons(playbook, outcome(program, playbook, today))
    return LessonsContext(
        program, playbook, lessons, suggest_version(playbook.id, playbook.version)
    )


def chosen_lessons(
    lessons: Sequence[Lesson], chosen: Mapping[str, bool], values: Mapping[str, str]
) -> list[Lesson]:
    """The lessons the consultant kept, with the edited values (by :func:`lesson_token`)."""
    out: list[Lesson] = []
    errors: list[tuple[str, str]] = []
    for lesson in lessons:
        token = lesson_token(lesson)
        if not chosen.get(token):
            continue
        raw = (values.get(token) or "").strip()
        name, low, high, whole = EDITABLE[lesson.kind]
        if raw:
            try:
                number = float(raw)
            except ValueError:
                errors.append((token, f'"{raw}" is not a number'))
                continue
            if whole and not number.is_integer():
                errors.append((token, "give a whole number"))
                continue
            if not low <= number <= high:
                errors.append((token, f"give a number from {low:g} to {high:g}"))
                continue
            lesson = replace(lesson, patch={**lesson.patch, name: int(number) if whole else number})
        out.append(lesson)
    if errors:
        raise ValidationError("some values do not fit", errors)
    return out


def lessons_playbook(
    context: LessonsContext, lessons: Sequence[Lesson], new_version: str
) -> tuple[Playbook, str]:
    """The new version with the lessons applied, and its YAML (which loads back equal)."""
    new = apply_lessons(context.playbook, lessons, new_version.strip())
    header = (
        f"{new.id} {new.version}: {context.playbook.version} with {len(lessons)} lesson(s) "
        f"carried back from program #{context.program.id}.\n"
        "Review it, edit it, then upload it to the library."
    )
    text = dump_playbook(new, header=header)
    parse_playbook(text, source=f"{new.id}-{new.version}.yaml")  # what the library will load
    return new, text
