"""A risk's edits: checking a form's or file's fields, keys, creating, updating, status."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import or_, select

from planner.domain.errors import Problem, ValidationError
from planner.domain.ids import as_id
from planner.domain.risk import check_transition
from planner.domain.risk_fields import check_risk_fields
from planner.extensions import db
from planner.models.audit import AuditEvent
from planner.models.plan import Phase
from planner.models.program import Program
from planner.models.risk import (
    RISK_CHILD_ENTITIES,
    RISK_LABEL_SEPARATOR,
    Risk,
)
from planner.services import keys as key_counters
from planner.services import risk_cadence
from planner.services.concurrency import check_version
from planner.services.risks.common import KEY_RE, assign, refuse

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


def clean_risk_data(
    program_id: int, data: Mapping[str, Any], *, partial: bool = False
) -> dict[str, Any]:
    """Check the fields a form or file gives for a risk; return them cleaned, or raise.

    With ``partial`` only the fields present are checked (an update from a file). The rules
    are :func:`planner.domain.risk_fields.check_risk_fields`; this adds what needs the
    database: the proximity phase must be the program's.
    """
    clean, errors = check_risk_fields(data, partial=partial)
    if "proximity_phase_id" in data:
        phase_id = data.get("proximity_phase_id")
        if phase_id in (None, "", 0, "0"):
            clean["proximity_phase_id"] = None
        else:
            pid = as_id(phase_id)
            phase = db.session.get(Phase, pid) if pid is not None else None
            if phase is None or phase.program_id != program_id:
                errors.append(Problem("proximity_phase_id", "risk.phase_of_program"))
            else:
                clean["proximity_phase_id"] = phase.id
    if "rank" in data:
        clean["rank"] = data.get("rank")
    if "review_cadence_days" in data:
        clean["review_cadence_days"] = risk_cadence.clean_cadence(data.get("review_cadence_days"))
    refuse(errors)
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


def _check_key(program_id: int, key: str) -> list[Problem]:
    if not KEY_RE.match(key):
        return [Problem("key", "risk.key_pattern")]
    taken = db.session.scalar(select(Risk.id).where(Risk.program_id == program_id, Risk.key == key))
    if taken is not None:
        return [Problem("key", "risk.key_taken", {"key": key})]
    return []


def create_risk(program: Program, data: Mapping[str, Any]) -> Risk:
    """Add a risk to the register (status open unless another is given)."""
    key = (data.get("key") or "").strip()
    key_errors = _check_key(program.id, key) if key else []
    try:
        clean = clean_risk_data(program.id, data)
    except ValidationError as exc:
        refuse([*key_errors, *exc.problems])
        raise
    refuse(key_errors)
    # numbered last, once the risk will be saved: from here on the counter row is locked
    # (PostgreSQL) or the database's write lock held (SQLite) until the commit
    key = key or allocate_key(program.id)
    clean.setdefault("status", "open")
    if clean["status"] == "occurred" and not clean.get("occurred_on"):
        clean["occurred_on"] = date.today()
    # a new risk has no actions or links: adding the first need not ask the database
    risk = Risk(program_id=program.id, key=key, **clean, actions=[], item_links=[], phase_links=[])
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
    assign(risk, clean)
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
    assign(risk, values)
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
