"""The events other areas raise (call these after flushing the change; the view commits),
and the daily scan `planner notify send` runs: reminders, gates coming, metrics turned Red.

Hooks for areas built elsewhere: :func:`notify_decision_recorded` takes plain values so the
RAID log's decisions (and the gates' and reviews') connect with one call.
"""

from __future__ import annotations

from planner.extensions import db
from planner.models import Program, Risk, User
from planner.services.notify import announce, link_to, members, owners, record


def _program_name(program_id: int) -> str:
    program = db.session.get(Program, program_id)
    return program.name if program is not None else ""


def notify_mentioned(
    users: list[User], program_id: int, author: str, subject: str, link: str, comment_id: int
) -> None:
    params = {"author": author, "name": subject, "program": _program_name(program_id)}
    record(users, program_id, "mentioned", params, link, f"mentioned:comment:{comment_id}")
    # the program's chat hears of it too (once per comment, whoever was mentioned)
    from planner.services.notify import queue_webhooks

    queue_webhooks(program_id, "mentioned", params, link, f"mentioned:comment:{comment_id}")


def notify_decision_recorded(
    program_id: int,
    title: str,
    link: str,
    *,
    decided_by: str = "",
    key: str,
    actor_id: int | None = None,
) -> None:
    """A decision was recorded (a gate decision, a steering review's, the RAID log's): every
    lead, member and steering member hears of it, except who recorded it. ``key`` names the
    decision uniquely in the program (``gate:12``, ``raid:D-3``)."""
    params = {"name": title, "by": decided_by, "program": _program_name(program_id)}
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
