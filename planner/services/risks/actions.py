"""A risk's actions and its links to work items and phases."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from planner.domain.errors import NotFoundError, Problem
from planner.domain.ids import as_id
from planner.domain.risk_fields import MAX_LENGTHS
from planner.extensions import db
from planner.models.plan import Phase, WorkItem
from planner.models.risk import (
    Risk,
    RiskAction,
    RiskPhaseLink,
    RiskWorkItemLink,
)
from planner.services.concurrency import check_version
from planner.services.risks.common import assign, refuse

# --------------------------------------------------------------------------- actions


def _clean_action(title: Any, owner: Any, due: Any) -> dict[str, Any]:
    errors: list[Problem] = []
    title = (title or "").strip()
    owner = (owner or "").strip() or None
    if not title:
        errors.append(Problem("title", "risk.action.title_required"))
    elif len(title) > MAX_LENGTHS["action_title"]:
        errors.append(Problem("title", "field.too_long", {"max": str(MAX_LENGTHS["action_title"])}))
    if owner and len(owner) > MAX_LENGTHS["action_owner"]:
        errors.append(Problem("owner", "field.too_long", {"max": str(MAX_LENGTHS["action_owner"])}))
    if due is not None and not isinstance(due, date):
        errors.append(Problem("due_date", "field.not_a_date"))
    refuse(errors)
    return {"title": title, "owner": owner, "due_date": due}


def add_action(risk: Risk, title: str, owner: str | None, due: date | None) -> RiskAction:
    if not risk.is_open:
        refuse([Problem("", "risk.action.risk_closed", {"key": risk.key, "status": risk.status})])
    action = RiskAction(**_clean_action(title, owner, due))
    risk.actions.append(action)
    db.session.flush()
    return action


def get_action(risk: Risk, action_id: int) -> RiskAction:
    for action in risk.actions:
        if action.id == action_id:
            return action
    raise NotFoundError(problems=[Problem("", "row.not_found")])


def update_action(
    action: RiskAction, title: str, owner: str | None, due: date | None, version: Any
) -> None:
    check_version(action, version)
    assign(action, _clean_action(title, owner, due))
    db.session.flush()


def set_action_done(action: RiskAction, done: bool, version: Any, today: date) -> None:
    check_version(action, version)
    assign(action, {"done": done, "done_on": today if done else None})
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


def _item_to_link(risk: Risk, work_item_id: Any, linking: Sequence[WorkItem] = ()) -> WorkItem:
    """The work item to link the risk to, or the refusal (``linking``: items about to be)."""
    item_id = as_id(work_item_id)
    item = db.session.get(WorkItem, item_id) if item_id is not None else None
    if item is None:
        refuse([Problem("work_item_id", "risk.link.no_item", {"id": str(work_item_id)})])
    assert item is not None
    if item.program_id != risk.program_id:
        refuse([Problem("work_item_id", "risk.link.item_elsewhere", {"id": str(item.id)})])
    if any(link.work_item_id == item.id for link in risk.item_links) or item in linking:
        refuse([Problem("work_item_id", "risk.link.twice", {"what": item.key, "risk": risk.key})])
    return item


def _phase_to_link(risk: Risk, phase_id: Any, linking: Sequence[Phase] = ()) -> Phase:
    """The phase to link the risk to, or the refusal (``linking``: phases about to be)."""
    pid = as_id(phase_id)
    phase = db.session.get(Phase, pid) if pid is not None else None
    if phase is None:
        refuse([Problem("phase_id", "risk.link.no_phase", {"id": str(phase_id)})])
    assert phase is not None
    if phase.program_id != risk.program_id:
        refuse([Problem("phase_id", "risk.link.phase_elsewhere", {"id": str(phase.id)})])
    if any(link.phase_id == phase.id for link in risk.phase_links) or phase in linking:
        refuse([Problem("phase_id", "risk.link.twice", {"what": phase.key, "risk": risk.key})])
    return phase


def link_work_item(risk: Risk, work_item_id: Any) -> RiskWorkItemLink:
    """Record that the risk threatens a work item of the same program."""
    (link,) = link_many(risk, work_item_ids=[work_item_id])
    assert isinstance(link, RiskWorkItemLink)
    return link


def unlink_work_item(risk: Risk, link_id: int) -> None:
    for link in risk.item_links:
        if link.id == link_id:
            _delete(link, risk, "item_links")
            return
    raise NotFoundError(problems=[Problem("", "row.not_found")])


def link_phase(risk: Risk, phase_id: Any) -> RiskPhaseLink:
    """Record that the risk threatens a phase of the same program."""
    (link,) = link_many(risk, phase_ids=[phase_id])
    assert isinstance(link, RiskPhaseLink)
    return link


def link_many(
    risk: Risk, work_item_ids: Iterable[Any] = (), phase_ids: Iterable[Any] = ()
) -> list[RiskWorkItemLink | RiskPhaseLink]:
    """:func:`link_work_item` and :func:`link_phase` for several at once, in one write: all
    the links, or none when one is refused (the first refusal, as those word it; an item or
    phase named twice is refused as linked twice)."""
    items: list[WorkItem] = []
    for work_item_id in work_item_ids:
        items.append(_item_to_link(risk, work_item_id, items))
    phases: list[Phase] = []
    for phase_id in phase_ids:
        phases.append(_phase_to_link(risk, phase_id, phases))
    links: list[RiskWorkItemLink | RiskPhaseLink] = []
    for item in items:
        item_link = RiskWorkItemLink(work_item=item)
        risk.item_links.append(item_link)
        links.append(item_link)
    for phase in phases:
        phase_link = RiskPhaseLink(phase=phase)
        risk.phase_links.append(phase_link)
        links.append(phase_link)
    db.session.flush()
    return links


def unlink_phase(risk: Risk, link_id: int) -> None:
    for link in risk.phase_links:
        if link.id == link_id:
            _delete(link, risk, "phase_links")
            return
    raise NotFoundError(problems=[Problem("", "row.not_found")])
