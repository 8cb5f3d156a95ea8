"""Risk register use cases: load rows, score and compare them with planner.domain.risk, save.

Views call one function here per request; every change goes through the ORM so the audit
trail records it. Invalid input raises :class:`~planner.domain.errors.ValidationError` with
``(field, message)`` pairs before anything is changed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload

import planner.models.review  # noqa: F401  (registers the review tables until models/__init__ does)
from planner.charts.risks import BandStyle, TrendPoint, band_styles
from planner.domain.errors import ImportFormatError, NotFoundError, Problem, ValidationError
from planner.domain.ids import as_id
from planner.domain.risk import (
    DEFAULT_SCALE,
    RESPONSE_STRATEGIES,
    STATUSES,
    ActionSnapshot,
    Band,
    ReviewDiff,
    RiskScale,
    RiskSnapshot,
    band_matrix,
    changed_since,
    check_level,
    check_transition,
    exposure_trend,
    heat_map,
    register_filter,
    sort_risks,
    top_risks,
)
from planner.explain_text import band_label
from planner.extensions import db
from planner.interop import risks as risk_files
from planner.models.audit import AuditEvent
from planner.models.plan import Phase, WorkItem
from planner.models.program import Program
from planner.models.review import (
    REVIEW_DECISIONS,
    ReviewDecision,
    RiskReviewEntry,
    SteeringReview,
)
from planner.models.risk import (
    RISK_CHILD_ENTITIES,
    RISK_LABEL_SEPARATOR,
    Risk,
    RiskAction,
    RiskPhaseLink,
    RiskWorkItemLink,
)
from planner.services import keys as key_counters
from planner.services import risk_cadence
from planner.services.concurrency import check_version
from planner.services.playbooks import get_playbook
from planner.services.review_pulse import PlanSinceReview, plan_since, record_pulse

KEY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
MAX_LENGTHS = {
    "title": 300,
    "title_zh": 300,
    "category": 64,
    "owner": 120,
    "action_title": 300,
    "action_owner": 120,
    "review_title": 200,
}
TEXT_FIELDS = (
    "description",
    "description_zh",
    "cause",
    "cause_zh",
    "effect",
    "effect_zh",
    "mitigation",
    "mitigation_zh",
    "contingency",
    "trigger",
    "issue_note",
    "residual_reason",
)
TOP_RISKS = 10


def _fail(errors: list[tuple[str, str]], summary: str = "") -> None:
    if errors:
        message = "; ".join(f"{path}: {msg}" if path else msg for path, msg in errors)
        raise ValidationError(f"{summary}{message}", errors)


# --------------------------------------------------------------------------- scale


@dataclass(frozen=True)
class ScaleInfo:
    """The program's risk scale in one language: domain scale, band labels and styles."""

    scale: RiskScale
    band_labels: Mapping[str, str]
    styles: Mapping[str, BandStyle]

    @property
    def band_names(self) -> tuple[str, ...]:
        return self.scale.band_names

    def label(self, band: str) -> str:
        return self.band_labels.get(band, band)

    def css(self, band: str) -> str:
        style = self.styles.get(band)
        return style.css if style else ""

    def band_of(self, score: int) -> str:
        return self.scale.band_for(score)

    @property
    def colours(self) -> dict[str, str]:
        return {name: style.fill for name, style in self.styles.items()}

    def likelihood_label(self, level: int | None) -> str:
        return self.scale.likelihood_levels[level - 1] if level else ""

    def impact_label(self, level: int | None) -> str:
        return self.scale.impact_levels[level - 1] if level else ""


DEFAULT_LIKELIHOOD_LABELS = (
    _l("Rare"),
    _l("Unlikely"),
    _l("Possible"),
    _l("Likely"),
    _l("Almost certain"),
)
DEFAULT_IMPACT_LABELS = (
    _l("Insignificant"),
    _l("Minor"),
    _l("Moderate"),
    _l("Major"),
    _l("Severe"),
)


def scale_for(program: Program, lang: str = "en") -> ScaleInfo:
    """The scale of the program's playbook (labels in ``lang``); the default when absent."""
    try:
        playbook = get_playbook(program.playbook_id, program.playbook_version)
        pb_scale = playbook.risk_scale
    except NotFoundError:
        pb_scale = None
    if pb_scale is None:
        # the playbook is gone: the default scale, worded in the reader's language
        scale = RiskScale(
            likelihood_levels=tuple(str(label) for label in DEFAULT_LIKELIHOOD_LABELS),
            impact_levels=tuple(str(label) for label in DEFAULT_IMPACT_LABELS),
            bands=DEFAULT_SCALE.bands,
        )
        labels = {name: band_label(name) for name in scale.band_names}
    else:
        scale = RiskScale(
            likelihood_levels=tuple(t.get(lang) for t in pb_scale.likelihood_labels),
            impact_levels=tuple(t.get(lang) for t in pb_scale.impact_labels),
            bands=tuple(Band(b.name, b.min_score, b.max_score) for b in pb_scale.bands),
        )
        labels = {b.name: b.label.get(lang) for b in pb_scale.bands}
    return ScaleInfo(scale, labels, band_styles(scale.band_names))


# --------------------------------------------------------------------------- loading


def _risk_query(program_id: int) -> Any:
    return (
        select(Risk)
        .where(Risk.program_id == program_id)
        .options(
            selectinload(Risk.actions),
            selectinload(Risk.item_links)
            .joinedload(RiskWorkItemLink.work_item)
            .joinedload(WorkItem.phase),
            selectinload(Risk.phase_links).joinedload(RiskPhaseLink.phase),
            joinedload(Risk.proximity_phase),
        )
        .order_by(Risk.id)
    )


def load_risks(program_id: int) -> list[Risk]:
    """Every risk of the program with its actions and links (a fixed number of queries)."""
    return list(db.session.scalars(_risk_query(program_id)).unique())


def get_risk(program_id: int, risk_id: int) -> Risk:
    risk = db.session.scalars(_risk_query(program_id).where(Risk.id == risk_id)).unique().first()
    if risk is None:
        raise NotFoundError("no such risk in this program")
    return risk


def program_phases(program_id: int) -> list[Phase]:
    return list(
        db.session.scalars(
            select(Phase).where(Phase.program_id == program_id).order_by(Phase.ordinal)
        )
    )


def program_work_items(program_id: int) -> list[WorkItem]:
    return list(
        db.session.scalars(
            select(WorkItem)
            .where(WorkItem.program_id == program_id)
            .options(joinedload(WorkItem.phase))
            .order_by(WorkItem.position, WorkItem.id)
        )
    )


def threatened_phase_keys(risk: Risk) -> tuple[str, ...]:
    """Phases the risk is linked to, directly or through a linked work item."""
    keys = [link.phase.key for link in risk.phase_links]
    keys += [link.work_item.phase.key for link in risk.item_links]
    return tuple(dict.fromkeys(keys))


def snapshot_of(risk: Risk) -> RiskSnapshot:
    """The domain view of a risk row (actions and links must be loaded)."""
    return RiskSnapshot(
        key=risk.key,
        title=risk.title,
        status=risk.status,
        category=risk.category or None,
        owner=risk.owner or None,
        inherent_likelihood=risk.likelihood,
        inherent_impact=risk.impact,
        residual_likelihood=risk.residual_likelihood,
        residual_impact=risk.residual_impact,
        review_date=risk.review_date,
        actions=tuple(ActionSnapshot(a.title, a.owner, a.due_date, a.done) for a in risk.actions),
        phase=risk.proximity_phase.key if risk.proximity_phase else None,
        threatened_phases=threatened_phase_keys(risk),
    )


def on_critical_path(risk: Risk) -> bool:
    return any(link.work_item.is_critical for link in risk.item_links)


# --------------------------------------------------------------------------- register


OVERDUE_CHOICES = ("any", "review", "action", "none")


@dataclass
class RegisterQuery:
    """The register table's filters and sort, as given in the page's query string."""

    status: tuple[str, ...] = ()
    band: tuple[str, ...] = ()
    owner: tuple[str, ...] = ()
    phase: tuple[str, ...] = ()
    category: tuple[str, ...] = ()
    overdue: str = ""
    cell: tuple[int, int, str] | None = None
    sort: str = "residual_score"
    descending: bool = True

    @classmethod
    def from_args(cls, args: Any) -> RegisterQuery:
        """Read a Werkzeug MultiDict (or a plain mapping of lists); bad values are kept and
        refused later by :func:`register_view` with a clear message."""

        def many(name: str) -> tuple[str, ...]:
            values = args.getlist(name) if hasattr(args, "getlist") else args.get(name, [])
            return tuple(v for v in values if v)

        def one(name: str, default: str = "") -> str:
            value = args.get(name, default)
            return value if isinstance(value, str) else default

        cell = None
        raw_cell = one("cell")
        if raw_cell:
            parts = raw_cell.split("-")
            if len(parts) == 3 and parts[0].isdigit() and parts[1].isdigit():
                cell = (int(parts[0]), int(parts[1]), parts[2])
            else:
                cell = (0, 0, raw_cell)
        return cls(
            status=many("status"),
            band=many("band"),
            owner=many("owner"),
            phase=many("phase"),
            category=many("category"),
            overdue=one("overdue"),
            cell=cell,
            sort=one("sort", "residual_score") or "residual_score",
            descending=one("dir", "desc") != "asc",
        )

    @property
    def is_filtered(self) -> bool:
        return bool(self.status or self.band or self.owner or self.phase or self.category) or bool(
            self.overdue or self.cell
        )

    def args(self, **changes: Any) -> dict[str, Any]:
        """Query-string arguments of this query with ``changes`` (None removes one)."""
        current: dict[str, Any] = {
            "status": list(self.status),
            "band": list(self.band),
            "owner": list(self.owner),
            "phase": list(self.phase),
            "category": list(self.category),
            "overdue": self.overdue,
            "cell": f"{self.cell[0]}-{self.cell[1]}-{self.cell[2]}" if self.cell else "",
            "sort": self.sort,
            "dir": "desc" if self.descending else "asc",
        }
        current.update(changes)
        return {k: v for k, v in current.items() if v not in (None, "", [])}


@dataclass
class RegisterRow:
    risk: Risk
    snap: RiskSnapshot
    inherent_band: str
    residual_band: str
    critical: bool
    overdue_review: bool
    overdue_actions: int


@dataclass
class RegisterView:
    rows: list[RegisterRow]
    total: int
    open_count: int
    heat_inherent: list[list[int]]
    heat_residual: list[list[int]]
    cell_bands: list[list[str]]
    owners: list[str]
    categories: list[str]
    phases: list[Phase]
    errors: list[tuple[str, str]] = field(default_factory=list)


def register_view(
    program: Program, query: RegisterQuery, info: ScaleInfo, today: date
) -> RegisterView:
    """The register table (filtered and sorted) and both heat maps of every open risk."""
    risks = load_risks(program.id)
    snaps = {risk.id: snapshot_of(risk) for risk in risks}
    everything = list(snaps.values())
    scale = info.scale
    errors: list[tuple[str, str]] = []
    overdue: bool | str | None = {
        "": None,
        "any": True,
        "none": False,
        "review": "review",
        "action": "action",
    }.get(query.overdue, query.overdue)
    try:
        kept = register_filter(
            everything,
            status=query.status or None,
            band=query.band or None,
            owner=query.owner or None,
            phase=query.phase or None,
            category=query.category or None,
            overdue=overdue,  # type: ignore[arg-type]  # the query's parser gives only the Literal's values
            cell=query.cell,  # type: ignore[arg-type]  # the query's parser gives only valid cells
            as_of=today,
            scale=scale,
        )
    except ValidationError as exc:
        errors.extend(exc.errors or [("", str(exc))])
        kept = everything
    try:
        ordered = sort_risks(kept, query.sort, query.descending, scale)
    except ValidationError as exc:
        errors.extend(exc.errors or [("", str(exc))])
        ordered = sort_risks(kept, "residual_score", True, scale)
    by_key = {risk.key: risk for risk in risks}
    rows = [
        RegisterRow(
            risk=by_key[snap.key],
            snap=snap,
            inherent_band=snap.band("inherent", scale),
            residual_band=snap.band("residual", scale),
            critical=on_critical_path(by_key[snap.key]),
            overdue_review=snap.overdue_review(today),
            overdue_actions=len(snap.overdue_actions(today)),
        )
        for snap in ordered
    ]
    return RegisterView(
        rows=rows,
        total=len(risks),
        open_count=sum(1 for s in everything if s.is_open),
        heat_inherent=heat_map(everything, "inherent"),
        heat_residual=heat_map(everything, "residual"),
        cell_bands=band_matrix(scale),
        owners=sorted({r.owner for r in risks if r.owner}, key=str.casefold),
        categories=sorted({r.category for r in risks if r.category}, key=str.casefold),
        phases=program_phases(program.id),
        errors=errors,
    )


# --------------------------------------------------------------------------- risk edits


RISK_FIELDS = (
    "title",
    "title_zh",
    "description",
    "description_zh",
    "category",
    "cause",
    "cause_zh",
    "effect",
    "effect_zh",
    "owner",
    "likelihood",
    "impact",
    "residual_likelihood",
    "residual_impact",
    "response",
    "mitigation",
    "mitigation_zh",
    "contingency",
    "trigger",
    "proximity_date",
    "proximity_phase_id",
    "review_date",
    "status",
    "occurred_on",
    "issue_note",
    "review_cadence_days",
    "residual_reason",
    "rank",
)


def _level(value: Any, path: str, errors: list[tuple[str, str]], optional: bool) -> int | None:
    if optional and value in (None, ""):
        return None
    candidate = value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        candidate = int(value.strip())
    try:
        return check_level(candidate, path)
    except ValidationError as exc:
        errors.extend(exc.errors)
        return None


def clean_risk_data(
    program_id: int, data: Mapping[str, Any], *, partial: bool = False
) -> dict[str, Any]:
    """Check the fields a form or file gives for a risk; return them cleaned, or raise.

    With ``partial`` only the fields present are checked (an update from a file).
    """
    errors: list[tuple[str, str]] = []
    clean: dict[str, Any] = {}

    def present(name: str) -> bool:
        return name in data or not partial

    if present("title"):
        title = (data.get("title") or "").strip()
        if not title:
            errors.append(("title", "a risk needs a title"))
        clean["title"] = title
    for name in ("title_zh", "owner"):
        if present(name) and name in data:
            clean[name] = (data.get(name) or "").strip() or None
    if present("category"):
        clean["category"] = (data.get("category") or "").strip()
    for name in TEXT_FIELDS:
        if name in data:
            value = data.get(name)
            clean[name] = (value or "") if not name.endswith("_zh") else (value or None)
    for name, limit in MAX_LENGTHS.items():
        value = clean.get(name)
        if isinstance(value, str) and len(value) > limit:
            errors.append((name, f"at most {limit} characters, got {len(value)}"))
    for name, optional in (
        ("likelihood", False),
        ("impact", False),
        ("residual_likelihood", True),
        ("residual_impact", True),
    ):
        if present(name):
            clean[name] = _level(data.get(name), name, errors, optional)
    if present("response"):
        response = data.get("response") or "mitigate"
        if response not in RESPONSE_STRATEGIES:
            errors.append(
                (
                    "response",
                    f'unknown response "{response}"; expected one of '
                    f"{', '.join(RESPONSE_STRATEGIES)}",
                )
            )
        clean["response"] = response
    if "status" in data:
        status = data.get("status") or "open"
        if status not in STATUSES:
            errors.append(
                ("status", f'unknown status "{status}"; expected one of {", ".join(STATUSES)}')
            )
        clean["status"] = status
    for name in ("proximity_date", "review_date", "occurred_on"):
        if name in data:
            value = data.get(name)
            if value is not None and not isinstance(value, date):
                errors.append((name, f"expected a date, got {value!r}"))
            clean[name] = value
    if "proximity_phase_id" in data:
        phase_id = data.get("proximity_phase_id")
        if phase_id in (None, "", 0, "0"):
            clean["proximity_phase_id"] = None
        else:
            pid = as_id(phase_id)
            phase = db.session.get(Phase, pid) if pid is not None else None
            if phase is None or phase.program_id != program_id:
                errors.append(("proximity_phase_id", "expected a phase of this program"))
            else:
                clean["proximity_phase_id"] = phase.id
    if "rank" in data:
        clean["rank"] = data.get("rank")
    if "review_cadence_days" in data:
        clean["review_cadence_days"] = risk_cadence.clean_cadence(data.get("review_cadence_days"))
    _fail(errors)
    return clean


def next_key(program_id: int) -> str:
    """The key the next risk without one would get (a suggestion: nothing is reserved)."""
    return f"R-{key_counters.peek(program_id, 'risk', _highest_number(program_id))}"


def allocate_key(program_id: int) -> str:
    """A key of the form R-<n> that no concurrent request gets too (``services.keys``)."""
    return f"R-{key_counters.allocate(program_id, 'risk', _highest_number(program_id))}"


def _highest_number(program_id: int) -> int:
    found = db.session.scalars(select(Risk.key).where(Risk.program_id == program_id))
    numbers = [int(m.group(1)) for k in found if (m := re.fullmatch(r"R-(\d{1,9})", k))]
    return max(numbers, default=0)


def _check_key(program_id: int, key: str) -> list[tuple[str, str]]:
    if not KEY_RE.match(key):
        return [("key", "use letters, digits, '.', '_' or '-' (at most 64), e.g. R-11")]
    taken = db.session.scalar(select(Risk.id).where(Risk.program_id == program_id, Risk.key == key))
    if taken is not None:
        return [("key", f'"{key}" is already used by another risk of this program')]
    return []


def _assign(obj: Any, values: Mapping[str, Any]) -> bool:
    """Set only the attributes that differ (so the audit trail lists real changes)."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def create_risk(program: Program, data: Mapping[str, Any]) -> Risk:
    """Add a risk to the register (status open unless another is given)."""
    key = (data.get("key") or "").strip()
    key_errors = _check_key(program.id, key) if key else []
    try:
        clean = clean_risk_data(program.id, data)
    except ValidationError as exc:
        _fail(key_errors + exc.errors)
        raise
    _fail(key_errors)
    # numbered last, once the risk will be saved: from here on the counter row is locked
    # (PostgreSQL) or the database's write lock held (SQLite) until the commit
    key = key or allocate_key(program.id)
    clean.setdefault("status", "open")
    if clean["status"] == "occurred" and not clean.get("occurred_on"):
        clean["occurred_on"] = date.today()
    risk = Risk(program_id=program.id, key=key, **clean)
    risk_cadence.check_residual(risk)
    db.session.add(risk)
    db.session.flush()
    return risk


def update_risk(risk: Risk, data: Mapping[str, Any], version: Any) -> None:
    """Save an edit of a risk; a status change must be an allowed transition."""
    check_version(risk, version)
    clean = clean_risk_data(risk.program_id, data)
    if "status" in clean:
        check_transition(risk.status, clean["status"])
        if clean["status"] == "occurred" and not (clean.get("occurred_on") or risk.occurred_on):
            clean["occurred_on"] = date.today()
    _assign(risk, clean)
    risk_cadence.check_residual(risk)
    db.session.flush()


def change_status(
    risk: Risk, new_status: str, version: Any, note: str = "", on: date | None = None
) -> None:
    """Move a risk to ``new_status`` (close, reopen, start mitigating, mark occurred)."""
    check_version(risk, version)
    check_transition(risk.status, new_status)
    values: dict[str, Any] = {"status": new_status}
    if new_status == "occurred":
        values["occurred_on"] = on or date.today()
        if note.strip():
            values["issue_note"] = note.strip()
    _assign(risk, values)
    db.session.flush()


def risk_history(risk: Risk) -> list[AuditEvent]:
    """Every recorded change of the risk, its actions, links and review decisions; newest first."""
    prefix = f"{risk.key}{RISK_LABEL_SEPARATOR}"
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(
                or_(
                    (AuditEvent.entity == "risk") & (AuditEvent.entity_id == risk.id),
                    AuditEvent.entity.in_(RISK_CHILD_ENTITIES)
                    & (AuditEvent.program_id == risk.program_id)
                    & AuditEvent.entity_label.startswith(prefix, autoescape=True),
                )
            )
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        )
    )


# --------------------------------------------------------------------------- actions


def _clean_action(title: Any, owner: Any, due: Any) -> dict[str, Any]:
    errors: list[tuple[str, str]] = []
    title = (title or "").strip()
    owner = (owner or "").strip() or None
    if not title:
        errors.append(("title", "an action needs a title"))
    elif len(title) > MAX_LENGTHS["action_title"]:
        errors.append(("title", f"at most {MAX_LENGTHS['action_title']} characters"))
    if owner and len(owner) > MAX_LENGTHS["action_owner"]:
        errors.append(("owner", f"at most {MAX_LENGTHS['action_owner']} characters"))
    if due is not None and not isinstance(due, date):
        errors.append(("due_date", f"expected a date, got {due!r}"))
    _fail(errors)
    return {"title": title, "owner": owner, "due_date": due}


def add_action(risk: Risk, title: str, owner: str | None, due: date | None) -> RiskAction:
    if not risk.is_open:
        _fail([("", f"risk {risk.key} is {risk.status}; reopen it before adding actions")])
    action = RiskAction(**_clean_action(title, owner, due))
    risk.actions.append(action)
    db.session.flush()
    return action


def get_action(risk: Risk, action_id: int) -> RiskAction:
    for action in risk.actions:
        if action.id == action_id:
            return action
    raise NotFoundError("no such action on this risk")


def update_action(
    action: RiskAction, title: str, owner: str | None, due: date | None, version: Any
) -> None:
    check_version(action, version)
    _assign(action, _clean_action(title, owner, due))
    db.session.flush()


def set_action_done(action: RiskAction, done: bool, version: Any, today: date) -> None:
    check_version(action, version)
    _assign(action, {"done": done, "done_on": today if done else None})
    db.session.flush()


def delete_action(action: RiskAction, version: Any) -> None:
    check_version(action, version)
    if action.risk is None:  # an action of an issue, a review or a gate: the RAID log's
        raise NotFoundError(problems=[Problem("", "row.not_found")])
    _delete(action, action.risk, "actions")
    db.session.flush()


# --------------------------------------------------------------------------- links


def _delete(row: Any, risk: Risk, collection: str) -> None:
    """Delete a row of a risk so the audit trail records it (an orphan removed from a
    collection is deleted inside the flush, unseen by the trail), then reload the list."""
    db.session.delete(row)
    db.session.flush()
    db.session.expire(risk, [collection])


def link_work_item(risk: Risk, work_item_id: Any) -> RiskWorkItemLink:
    """Record that the risk threatens a work item of the same program."""
    item_id = as_id(work_item_id)
    item = db.session.get(WorkItem, item_id) if item_id is not None else None
    if item is None:
        _fail([("work_item_id", f"no work item #{work_item_id}")])
    assert item is not None
    if item.program_id != risk.program_id:
        _fail(
            [
                (
                    "work_item_id",
                    f"work item #{item.id} belongs to another program; a risk can only be "
                    "linked to work items of its own program",
                )
            ]
        )
    if any(link.work_item_id == item.id for link in risk.item_links):
        _fail([("work_item_id", f"{item.key} is already linked to {risk.key}")])
    link = RiskWorkItemLink(work_item=item)
    risk.item_links.append(link)
    db.session.flush()
    return link


def unlink_work_item(risk: Risk, link_id: int) -> None:
    for link in risk.item_links:
        if link.id == link_id:
            _delete(link, risk, "item_links")
            return
    raise NotFoundError("no such link on this risk")


def link_phase(risk: Risk, phase_id: Any) -> RiskPhaseLink:
    """Record that the risk threatens a phase of the same program."""
    pid = as_id(phase_id)
    phase = db.session.get(Phase, pid) if pid is not None else None
    if phase is None:
        _fail([("phase_id", f"no phase #{phase_id}")])
    assert phase is not None
    if phase.program_id != risk.program_id:
        _fail(
            [
                (
                    "phase_id",
                    f"phase #{phase.id} belongs to another program; a risk can only be "
                    "linked to phases of its own program",
                )
            ]
        )
    if any(link.phase_id == phase.id for link in risk.phase_links):
        _fail([("phase_id", f"{phase.key} is already linked to {risk.key}")])
    link = RiskPhaseLink(phase=phase)
    risk.phase_links.append(link)
    db.session.flush()
    return link


def unlink_phase(risk: Risk, link_id: int) -> None:
    for link in risk.phase_links:
        if link.id == link_id:
            _delete(link, risk, "phase_links")
            return
    raise NotFoundError("no such link on this risk")


# --------------------------------------------------------------------------- reviews


def _entry_from(risk: Risk) -> RiskReviewEntry:
    snap = snapshot_of(risk)
    return RiskReviewEntry(
        risk_id=risk.id,
        key=risk.key,
        title=risk.title,
        title_zh=risk.title_zh,
        status=risk.status,
        category=snap.category,
        owner=snap.owner,
        phase=snap.phase,
        threatened_phases=" ".join(snap.threatened_phases),
        inherent_likelihood=risk.likelihood,
        inherent_impact=risk.impact,
        residual_likelihood=risk.residual_likelihood,
        residual_impact=risk.residual_impact,
        review_date=risk.review_date,
        actions=[
            {
                "title": a.title,
                "owner": a.owner,
                "due": a.due_date.isoformat() if a.due_date else None,
                "done": a.done,
            }
            for a in risk.actions
        ],
    )


def entry_snapshot(entry: RiskReviewEntry) -> RiskSnapshot:
    """The domain view of a risk as the review's snapshot holds it."""
    return RiskSnapshot(
        key=entry.key,
        title=entry.title,
        status=entry.status,
        category=entry.category,
        owner=entry.owner,
        inherent_likelihood=entry.inherent_likelihood,
        inherent_impact=entry.inherent_impact,
        residual_likelihood=entry.residual_likelihood,
        residual_impact=entry.residual_impact,
        review_date=entry.review_date,
        actions=tuple(
            ActionSnapshot(
                a["title"],
                a.get("owner"),
                date.fromisoformat(a["due"]) if a.get("due") else None,
                bool(a.get("done")),
            )
            for a in entry.actions or []
        ),
        phase=entry.phase,
        threatened_phases=tuple(entry.threatened_phases.split()),
    )


def list_reviews(program_id: int) -> list[SteeringReview]:
    """The program's reviews, newest first, with their snapshots."""
    return list(
        db.session.scalars(
            select(SteeringReview)
            .where(SteeringReview.program_id == program_id)
            .options(selectinload(SteeringReview.entries))
            .order_by(SteeringReview.held_on.desc())
        )
    )


def get_review(program_id: int, review_id: int) -> SteeringReview:
    review = db.session.scalars(
        select(SteeringReview)
        .where(SteeringReview.program_id == program_id, SteeringReview.id == review_id)
        .options(
            selectinload(SteeringReview.entries),
            selectinload(SteeringReview.decisions).joinedload(ReviewDecision.risk),
        )
    ).first()
    if review is None:
        raise NotFoundError("no such steering review in this program")
    return review


def _clean_review(program_id: int, data: Mapping[str, Any], review_id: int | None) -> dict:
    errors: list[tuple[str, str]] = []
    held_on = data.get("held_on")
    if not isinstance(held_on, date):
        errors.append(("held_on", "a review needs the date it is held"))
    else:
        clash = db.session.scalar(
            select(SteeringReview.id).where(
                SteeringReview.program_id == program_id,
                SteeringReview.held_on == held_on,
                SteeringReview.id != (review_id or 0),
            )
        )
        if clash is not None:
            errors.append(("held_on", f"there is already a review on {held_on.isoformat()}"))
    title = (data.get("title") or "").strip()
    if len(title) > MAX_LENGTHS["review_title"]:
        errors.append(("title", f"at most {MAX_LENGTHS['review_title']} characters"))
    _fail(errors)
    return {
        "held_on": held_on,
        "title": title,
        "attendees": (data.get("attendees") or "").strip(),
        "notes": data.get("notes") or "",
    }


def take_snapshot(review: SteeringReview) -> None:
    """Copy the register as it stands now into the review (replacing any earlier copy)."""
    review.entries.clear()
    db.session.flush()
    for risk in load_risks(review.program_id):
        review.entries.append(_entry_from(risk))
    review.snapshot_taken_at = datetime.now(UTC).replace(tzinfo=None)
    record_pulse(review, min(review.held_on, date.today()))
    db.session.flush()


def open_review(program: Program, data: Mapping[str, Any]) -> SteeringReview:
    """Open a steering review: record the meeting and snapshot the register."""
    clean = _clean_review(program.id, data, None)
    review = SteeringReview(program_id=program.id, **clean)
    db.session.add(review)
    db.session.flush()
    take_snapshot(review)
    return review


def update_review(review: SteeringReview, data: Mapping[str, Any], version: Any) -> None:
    check_version(review, version)
    _assign(review, _clean_review(review.program_id, data, review.id))
    db.session.flush()


def refresh_snapshot(review: SteeringReview, version: Any) -> None:
    check_version(review, version)
    take_snapshot(review)


def record_decision(
    review: SteeringReview, risk_id: Any, decision: str, note: str, version: Any = None
) -> ReviewDecision:
    """Record (or change) the committee's decision about one risk at this review."""
    errors: list[tuple[str, str]] = []
    rid = as_id(risk_id)
    risk = db.session.get(Risk, rid) if rid is not None else None
    if risk is None or risk.program_id != review.program_id:
        errors.append(("risk_id", "expected a risk of this program"))
    if decision not in REVIEW_DECISIONS:
        errors.append(
            (
                "decision",
                f'unknown decision "{decision}"; expected one of {", ".join(REVIEW_DECISIONS)}',
            )
        )
    _fail(errors)
    assert risk is not None
    existing = next((d for d in review.decisions if d.risk_id == risk.id), None)
    if existing is not None:
        check_version(existing, version)
        _assign(existing, {"decision": decision, "note": (note or "").strip()})
        db.session.flush()
        return existing
    made = ReviewDecision(risk=risk, decision=decision, note=(note or "").strip())
    review.decisions.append(made)
    risk_cadence.mark_reviewed(risk, review.held_on, keep_later=True)
    db.session.flush()
    return made


def risk_decisions(risk: Risk) -> list[ReviewDecision]:
    """The steering committee's decisions about one risk, newest review first."""
    return list(
        db.session.scalars(
            select(ReviewDecision)
            .join(ReviewDecision.review)
            .where(ReviewDecision.risk_id == risk.id)
            .options(joinedload(ReviewDecision.review))
            .order_by(SteeringReview.held_on.desc())
        )
    )


@dataclass
class ReviewView:
    review: SteeringReview
    previous: SteeringReview | None
    diff: ReviewDiff
    snapshots: list[RiskSnapshot]
    top: list[RiskSnapshot]
    decisions: dict[str, ReviewDecision]
    risk_ids: dict[str, int | None]
    trend: list[TrendPoint]
    entries: dict[str, RiskReviewEntry]
    plan: PlanSinceReview


def _trend(
    reviews: Sequence[SteeringReview],
    info: ScaleInfo,
    extra: Iterable[tuple[date, list[RiskSnapshot]]] = (),
) -> list[TrendPoint]:
    by_date: dict[date, list[RiskSnapshot]] = {
        r.held_on: [entry_snapshot(e) for e in r.entries] for r in reviews
    }
    for day, snaps in extra:
        by_date.setdefault(day, snaps)
    points = exposure_trend(by_date, info.scale)
    return [TrendPoint(p.date.isoformat(), dict(p.counts_by_band), p.total_score) for p in points]


def review_view(review: SteeringReview, info: ScaleInfo) -> ReviewView:
    """What changed since the previous review, the top risks and the trend up to this one."""
    reviews = list_reviews(review.program_id)
    earlier = [r for r in reviews if r.held_on < review.held_on]
    previous = earlier[0] if earlier else None
    snaps = [entry_snapshot(e) for e in review.entries]
    before = [entry_snapshot(e) for e in previous.entries] if previous else []
    diff = changed_since(before, snaps, review.held_on, info.scale)
    upto = [r for r in reviews if r.held_on <= review.held_on]
    return ReviewView(
        review=review,
        previous=previous,
        diff=diff,
        snapshots=snaps,
        top=top_risks(snaps, TOP_RISKS, "residual"),
        decisions={d.risk.key: d for d in review.decisions if d.risk is not None},
        risk_ids={e.key: e.risk_id for e in review.entries},
        trend=_trend(upto, info),
        entries={e.key: e for e in [*(previous.entries if previous else []), *review.entries]},
        plan=plan_since(review, previous),
    )


def reviews_trend(
    program_id: int, reviews: Sequence[SteeringReview], info: ScaleInfo, today: date
) -> list[TrendPoint]:
    """Exposure at every review, plus today's register when it is newer than the last one."""
    extra: list[tuple[date, list[RiskSnapshot]]] = []
    if not reviews or max(r.held_on for r in reviews) < today:
        extra.append((today, [snapshot_of(r) for r in load_risks(program_id)]))
    return _trend(reviews, info, extra)


# --------------------------------------------------------------------------- files


def record_of(risk: Risk) -> risk_files.RiskRecord:
    """A risk row as the register file holds it."""
    return risk_files.RiskRecord(
        key=risk.key,
        title=risk.title,
        likelihood=risk.likelihood,
        impact=risk.impact,
        category=risk.category or "",
        owner=risk.owner,
        status=risk.status,
        response=risk.response,
        mitigation=risk.mitigation or "",
        residual_likelihood=risk.residual_likelihood,
        residual_impact=risk.residual_impact,
        contingency=risk.contingency or "",
        trigger=risk.trigger or "",
        proximity_date=risk.proximity_date,
        proximity_phase=risk.proximity_phase.key if risk.proximity_phase else None,
        review_date=risk.review_date,
        threatened_phases=tuple(link.phase.key for link in risk.phase_links),
        threatened_work_items=tuple(link.work_item.key for link in risk.item_links),
        description=risk.description or "",
        cause=risk.cause or "",
        effect=risk.effect or "",
        occurred_on=risk.occurred_on,
        issue_note=risk.issue_note or "",
        rank=risk.rank,
        title_zh=risk.title_zh,
        description_zh=risk.description_zh,
        mitigation_zh=risk.mitigation_zh,
        cause_zh=risk.cause_zh,
        effect_zh=risk.effect_zh,
        actions=tuple(
            risk_files.ActionRecord(a.title, a.owner, a.due_date, a.done)
            for a in sorted(risk.actions, key=lambda a: a.id or 0)
        ),
    )


def register_records(program_id: int) -> list[risk_files.RiskRecord]:
    risks = sorted(load_risks(program_id), key=lambda r: (r.rank is None, r.rank or 0, r.id))
    return [record_of(risk) for risk in risks]


def export_xlsx(program: Program, info: ScaleInfo, today: date, lang: str = "en") -> bytes:
    return risk_files.write_xlsx(
        register_records(program.id),
        title=f"{program.name} ({program.client})",
        scale=info.scale,
        band_labels=info.band_labels,
        band_colours=info.colours,
        as_of=today,
        lang=lang,
    )


def export_csv(program: Program, info: ScaleInfo, today: date, lang: str = "en") -> bytes:
    return risk_files.write_csv(
        register_records(program.id),
        scale=info.scale,
        band_labels=info.band_labels,
        as_of=today,
        lang=lang,
    )


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    ignored_columns: tuple[str, ...] = ()


_FILE_FIELD_TO_RISK = {
    "title": "title",
    "category": "category",
    "owner": "owner",
    "status": "status",
    "likelihood": "likelihood",
    "impact": "impact",
    "response": "response",
    "mitigation": "mitigation",
    "residual_likelihood": "residual_likelihood",
    "residual_impact": "residual_impact",
    "contingency": "contingency",
    "trigger": "trigger",
    "proximity_date": "proximity_date",
    "review_date": "review_date",
    "description": "description",
    "cause": "cause",
    "effect": "effect",
    "occurred_on": "occurred_on",
    "issue_note": "issue_note",
    "rank": "rank",
    "title_zh": "title_zh",
    "description_zh": "description_zh",
    "mitigation_zh": "mitigation_zh",
    "cause_zh": "cause_zh",
    "effect_zh": "effect_zh",
}


def import_register(
    program: Program, filename: str, data: bytes, *, replace: bool = False, today: date
) -> ImportResult:
    """Import a register file into the program: all or nothing.

    Risks are matched by key: a known key updates that risk, a new key adds one; with
    ``replace`` the risks the file does not list are deleted. Columns the file lacks leave
    those fields alone. Every problem is reported at once as ``row N, column "X": …``;
    on any problem nothing is changed.
    """
    register, file_errors = risk_files.parse_register(filename, data)
    existing = {risk.key: risk for risk in load_risks(program.id)}
    phases = {phase.key: phase for phase in program_phases(program.id)}
    items = {item.key: item for item in program_work_items(program.id)}
    errors: list[tuple[str, str]] = list(file_errors)
    plans: list[tuple[risk_files.ImportedRow, dict[str, Any]]] = []
    for row in register.rows:
        values = row.values
        if "key" not in values:
            continue
        risk = existing.get(row.key)
        fields = {
            _FILE_FIELD_TO_RISK[name]: value
            for name, value in values.items()
            if name in _FILE_FIELD_TO_RISK
        }
        if "proximity_phase" in values:
            key = values["proximity_phase"]
            if key and key not in phases:
                errors.append(
                    (register.cell(row.row, "proximity_phase"), f'no phase "{key}" in this program')
                )
            fields["proximity_phase_id"] = phases[key].id if key in phases else None
        for name, known, what in (
            ("threatened_phases", phases, "phase"),
            ("threatened_work_items", items, "work item"),
        ):
            for key in values.get(name, ()):
                if key not in known:
                    errors.append(
                        (register.cell(row.row, name), f'no {what} "{key}" in this program')
                    )
        if risk is not None and "status" in fields:
            try:
                check_transition(risk.status, fields["status"])
            except ValidationError as exc:
                errors.extend((register.cell(row.row, "status"), m) for _p, m in exc.errors)
        try:
            clean_risk_data(program.id, fields, partial=True)
        except ValidationError as exc:
            for path, message in exc.errors:
                column = {"proximity_phase_id": "proximity_phase"}.get(path, path)
                errors.append((register.cell(row.row, column), message))
        plans.append((row, fields))
    if register.actions is not None:
        for imported in register.actions:
            action = imported.action
            if len(action.title) > MAX_LENGTHS["action_title"]:
                errors.append(
                    (
                        f'sheet {risk_files.ACTIONS_SHEET}, row {imported.row}, column "Action"',
                        f"at most {MAX_LENGTHS['action_title']} characters",
                    )
                )
            if action.owner and len(action.owner) > MAX_LENGTHS["action_owner"]:
                errors.append(
                    (
                        f'sheet {risk_files.ACTIONS_SHEET}, row {imported.row}, column "Owner"',
                        f"at most {MAX_LENGTHS['action_owner']} characters",
                    )
                )
    if errors:
        errors.sort(key=risk_files.error_order)
        raise ImportFormatError("; ".join(f"{path}: {message}" for path, message in errors), errors)

    result = ImportResult(ignored_columns=register.ignored_headers)
    actions_by_key: dict[str, list[risk_files.ActionRecord]] = {}
    for imported in register.actions or ():
        actions_by_key.setdefault(imported.risk_key, []).append(imported.action)
    listed = {row.key for row, _fields in plans}
    for row, fields in plans:
        risk = existing.get(row.key)
        clean = clean_risk_data(program.id, fields, partial=True)
        if risk is None:
            clean.setdefault("status", "open")
            risk = Risk(program_id=program.id, key=row.key, **clean)
            db.session.add(risk)
            db.session.flush()
            result.created.append(risk.key)
            changed = True
        else:
            changed = _assign(risk, clean)
        if "threatened_phases" in row.values:
            changed |= _sync_phase_links(risk, [phases[k] for k in row.values["threatened_phases"]])
        if "threatened_work_items" in row.values:
            changed |= _sync_item_links(
                risk, [items[k] for k in row.values["threatened_work_items"]]
            )
        if register.actions is not None:
            changed |= _sync_actions(risk, actions_by_key.get(risk.key, []), today)
        if risk.key not in result.created:
            (result.updated if changed else result.unchanged).append(risk.key)
    if replace:
        for key, risk in existing.items():
            if key not in listed:
                db.session.delete(risk)
                result.removed.append(key)
    db.session.flush()
    return result


def _sync_phase_links(risk: Risk, wanted: list[Phase]) -> bool:
    wanted_ids = {p.id for p in wanted}
    changed = False
    for link in list(risk.phase_links):
        if link.phase_id not in wanted_ids:
            db.session.delete(link)
            changed = True
    have = {link.phase_id for link in risk.phase_links}
    for phase in wanted:
        if phase.id not in have:
            risk.phase_links.append(RiskPhaseLink(phase=phase))
            have.add(phase.id)
            changed = True
    return changed


def _sync_item_links(risk: Risk, wanted: list[WorkItem]) -> bool:
    wanted_ids = {i.id for i in wanted}
    changed = False
    for link in list(risk.item_links):
        if link.work_item_id not in wanted_ids:
            db.session.delete(link)
            changed = True
    have = {link.work_item_id for link in risk.item_links}
    for item in wanted:
        if item.id not in have:
            risk.item_links.append(RiskWorkItemLink(work_item=item))
            have.add(item.id)
            changed = True
    return changed


def _sync_actions(risk: Risk, wanted: list[risk_files.ActionRecord], today: date) -> bool:
    """Make the risk's actions those of the file: matched by title, updated, added, removed."""
    changed = False
    remaining = sorted(risk.actions, key=lambda a: a.id or 0)
    matched: list[tuple[RiskAction | None, risk_files.ActionRecord]] = []
    for record in wanted:
        found = next((a for a in remaining if a.title == record.title), None)
        if found is not None:
            remaining.remove(found)
        matched.append((found, record))
    for action in remaining:
        db.session.delete(action)
        changed = True
    for action, record in matched:
        values = {"owner": record.owner, "due_date": record.due, "done": record.done}
        if action is None:
            risk.actions.append(
                RiskAction(title=record.title, done_on=today if record.done else None, **values)
            )
            changed = True
        else:
            if action.done != record.done:
                values["done_on"] = today if record.done else None
            changed |= _assign(action, values)
    return changed
