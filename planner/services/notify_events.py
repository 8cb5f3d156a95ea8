"""The events other areas raise: call these after flushing the change (the view commits both
together). The daily reminders are found by planner/services/notify_scan.py.

For areas built elsewhere, :func:`notify_decision_recorded` takes plain values, so the RAID
log's decisions connect with one call, e.g. ``notify_decision_recorded(program.id,
decision.title, link, key=f"raid:{decision.key}", decided_by=decision.owner,
actor_id=current_user.id)``.
"""

from __future__ import annotations

from planner.extensions import db
from planner.models import (
    Decision,
    GateDecision,
    Phase,
    Program,
    ReviewDecision,
    Risk,
    Scenario,
    SteeringReview,
    User,
)
from planner.services.notify import announce, link_to, members, owners, record


def _program_name(program_id: int) -> str:
    program = db.session.get(Program, program_id)
    return program.name if program is not None else ""


def notify_mentioned(
    users: list[User],
    program_id: int,
    author: str,
    subject: tuple[str, str | None],
    link: str,
    comment_id: int,
) -> None:
    """``subject`` is the name of what was commented on, in English and Chinese."""
    params = {
        "author": author,
        "name": subject[0],
        "name_zh": subject[1],
        "program": _program_name(program_id),
    }
    record(users, program_id, "mentioned", params, link, f"mentioned:comment:{comment_id}")
    # the program's chat hears of it too (once per comment, whoever was mentioned)
    from planner.services.notify import queue_webhooks

    queue_webhooks(program_id, "mentioned", params, link, f"mentioned:comment:{comment_id}")


def notify_decision_recorded(
    program_id: int,
    title: str,
    link: str,
    *,
    title_zh: str | None = None,
    decided_by: str = "",
    key: str,
    actor_id: int | None = None,
) -> None:
    """A decision was recorded (a gate decision, a steering review's, the RAID log's): every
    lead, member and steering member hears of it, except who recorded it. ``key`` names the
    decision uniquely in the program (``gate:12``, ``raid:D-3``)."""
    params = {
        "name": title,
        "name_zh": title_zh,
        "by": decided_by,
        "program": _program_name(program_id),
    }
    announce(
        members(program_id),
        program_id,
        "decision",
        params,
        link,
        f"decision:{key}",
        skip_user_id=actor_id,
    )


def notify_scenario_applied(
    program_id: int, scenario_id: int, name: str, actor: str, actor_id: int | None = None
) -> None:
    params = {"name": name, "by": actor, "program": _program_name(program_id)}
    link = link_to("plan.gantt", program_id=program_id)
    key = f"scenario:{scenario_id}"
    announce(members(program_id), program_id, "scenario_applied", params, link, key,
             skip_user_id=actor_id)  # fmt: skip


def notify_risk_score_changed(risk: Risk, old: int, new: int, actor_id: int | None = None) -> None:
    """The owner of a risk (or the leads, when its owner has no account) hears of a new score."""
    if old == new:
        return
    people, matched = owners(risk.program_id, risk.owner)
    params = {
        "name": f"{risk.key} {risk.title}",
        "name_zh": f"{risk.key} {risk.title_zh}" if risk.title_zh else None,
        "old": old,
        "new": new,
        "owner": risk.owner or "",
        "as_lead": not matched,
        "program": _program_name(risk.program_id),
    }
    link = link_to("risks.detail", program_id=risk.program_id, risk_id=risk.id)
    key = f"risk_score:{risk.id}:{risk.version}:{new}"
    announce(people, risk.program_id, "risk_score", params, link, key, skip_user_id=actor_id)


# --------------------------------------------------------------------------- one-line hooks
# for the views of other areas: called after the change is flushed, before the commit

Actor = object  # the signed-in user (flask_login's current_user proxy)


def gate_decision_recorded(
    program_id: int, phase: Phase, decision: GateDecision, actor: Actor
) -> None:
    link = link_to("gates.show", program_id=program_id, ordinal=phase.ordinal)
    notify_decision_recorded(program_id, phase.name, link, title_zh=phase.name_zh,
                             decided_by=decision.decided_by, key=f"gate:{decision.id}",
                             actor_id=getattr(actor, "id", None))  # fmt: skip


def review_decision_recorded(
    program_id: int, review: SteeringReview, decision: ReviewDecision, actor: Actor
) -> None:
    risk = decision.risk
    link = link_to("risks.review", program_id=program_id, review_id=review.id)
    title = f"{risk.key} {risk.title}"
    title_zh = f"{risk.key} {risk.title_zh}" if risk.title_zh else None
    notify_decision_recorded(program_id, title, link, title_zh=title_zh,
                             key=f"review:{decision.id}",
                             actor_id=getattr(actor, "id", None))  # fmt: skip


def risk_rescored(risk: Risk, old_score: int, actor: Actor) -> None:
    notify_risk_score_changed(risk, old_score, risk.residual_score, getattr(actor, "id", None))


def scenario_applied(program_id: int, scenario: Scenario, actor: Actor) -> None:
    name = getattr(actor, "display_name", "") or ""
    notify_scenario_applied(
        program_id, scenario.id, scenario.name, name, getattr(actor, "id", None)
    )


def raid_decision_recorded(decision: Decision, actor: Actor) -> None:
    """A decision logged in the RAID log (a listener of ``services.raid.record_decision``,
    registered by the web layer with the signed-in person)."""
    link = link_to("raid.decision", program_id=decision.program_id, decision_id=decision.id)
    notify_decision_recorded(decision.program_id, f"{decision.key} {decision.title}", link,
                             decided_by=decision.decided_by, key=f"raid:{decision.key}",
                             actor_id=getattr(actor, "id", None))  # fmt: skip
