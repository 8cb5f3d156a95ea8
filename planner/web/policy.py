"""Every route's permission, in one table, enforced before each request.

A route missing from :data:`POLICY` is refused (fail closed) and the permission test fails.
Requirements: ``public`` (anyone), ``signed_in``, ``admin`` (site administrators),
``consultant`` (site consultants and administrators), and the
program capabilities ``read``/``edit``/``decide``/``manage`` (see planner.domain.access),
which need a ``program_id`` in the URL. A user who is not a member of the program gets 404,
not 403, so a program's existence is not revealed. Site administrators may do everything.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from flask import Flask, abort, g, redirect, request, session, url_for
from flask_login import current_user

from planner.api.policy import API_POLICY
from planner.domain.access import allows
from planner.extensions import db
from planner.models import Membership, Program, ShareLink

Rule = str | dict[str, str]

# endpoint → requirement (for every method) or {method: requirement}
POLICY: dict[str, Rule] = {
    "static": "public",
    "bootstrap.static": "public",
    "plotly_js": "public",
    "programs.set_language": "public",
    "auth.login": "public",
    "auth.logout": "public",
    "share.open": "public",
    "ops.healthz": "public",
    "auth.change_password": "signed_in",
    "programs.index": "signed_in",
    "programs.new": "signed_in",
    "programs.overview": "read",
    "programs.delete": "manage",
    "members.index": {"GET": "read", "POST": "manage"},
    "members.update": "manage",
    "members.remove": "manage",
    "members.share_links": {"GET": "manage", "POST": "manage"},
    "members.revoke_link": "manage",
    "history.index": "read",
    "admin.users": {"GET": "admin", "POST": "admin"},
    "admin.user_update": "admin",
    "admin.user_sign_out": "admin",
    "dashboard.portfolio": "signed_in",
    "dashboard.show": "read",
    # risk register and steering reviews
    "risks.register": "read",
    "risks.detail": "read",
    "risks.export_xlsx": "read",
    "risks.export_csv": "read",
    "risks.review": "read",
    "risks.new": "edit",
    "risks.edit": "edit",
    "risks.import_register": "edit",
    "risks.set_status": "edit",
    "risks.add_action": "edit",
    "risks.toggle_action": "edit",
    "risks.delete_action": "edit",
    "risks.link_item": "edit",
    "risks.unlink_item": "edit",
    "risks.link_phase": "edit",
    "risks.unlink_phase": "edit",
    "risks.reviews": {"GET": "read", "POST": "decide"},
    "risks.edit_review": "decide",
    "risks.refresh_snapshot": "decide",
    "risks.decide": "decide",
    # adoption by team, region and module; usage logs; training; interview guides
    "adoption.matrix": "read",
    "adoption.usage": {"GET": "read", "POST": "edit"},
    "adoption.teams": {"GET": "read", "POST": "manage"},
    "adoption.lookup": "manage",
    "adoption.value_delete": "manage",
    "adoption.training": {"GET": "read", "POST": "edit"},
    "adoption.training_delete": "edit",
    "adoption.training_import": "edit",
    "adoption.cells": {"GET": "read", "POST": "edit"},
    "question_bank.guide": {"GET": "read", "POST": "edit"},
    # adoption metrics
    "metrics.index": "read",
    "metrics.detail": "read",
    "metrics.export_readings": "read",
    "metrics.add_reading": "edit",
    "metrics.edit_reading": "edit",
    "metrics.delete_reading": "edit",
    "metrics.import_readings": "edit",
    "metrics.new": "manage",
    "metrics.edit": "manage",
    "metrics.settings": "manage",
    # phase gates
    "gates.index": "read",
    "gates.show": "read",
    "gates.new_criterion": "manage",
    "gates.edit_criterion": "manage",
    "gates.delete_criterion": "manage",
    "gates.decide": "decide",
    # maturity assessment
    "assessment.index": "read",
    "assessment.show": "read",
    "assessment.results": "read",
    "assessment.report": "read",
    "assessment.export": "read",
    "assessment.compare": "read",
    "assessment.actions": "read",
    "assessment.score_start": "read",
    "assessment.new": {"GET": "read", "POST": "edit"},
    "assessment.edit": {"GET": "read", "POST": "edit"},
    "assessment.settings": {"GET": "read", "POST": "edit"},
    "assessment.score": {"GET": "read", "POST": "edit"},
    "assessment.interview_new": {"GET": "read", "POST": "edit"},
    "assessment.interview_edit": {"GET": "read", "POST": "edit"},
    "assessment.action_edit": {"GET": "read", "POST": "edit"},
    "assessment.interview_delete": "edit",
    "assessment.actions_propose": "edit",
    "assessment.action_status": "edit",
    "assessment.actions_to_plan": "edit",
    "assessment.delete": "manage",
    # the plan
    "plan.gantt": "read",
    "gantt.data": "read",
    "gantt.edit": "edit",
    "plan.table": "read",
    "plan.phases": "read",
    "plan.item": "read",
    "plan.item_new": "edit",
    "plan.item_key_suggestion": "edit",
    "plan.item_edit": "edit",
    "plan.item_progress": "edit",
    "plan.item_move": "edit",
    "plan.item_delete": "edit",
    "plan.dependency_new": "edit",
    "plan.dependency_add": "edit",
    "plan.dependency_delete": "edit",
    "plan.baseline_delete": "edit",
    "plan.calendar_day_delete": "edit",
    "plan.status_date": "edit",
    "plan.baselines": {"GET": "read", "POST": "edit"},
    "plan.calendar": {"GET": "read", "POST": "edit"},
    # replanning, holiday sets and what-if scenarios
    "replan.replan": {"GET": "read", "POST": "manage"},
    "replan.holiday_set": "edit",
    # RAID log: issues, actions, decisions, change requests (steering decides on changes)
    "raid.index": "read",
    "raid.issue": "read",
    "raid.issue_new": "edit",
    "raid.issue_edit": "edit",
    "raid.issue_status": "edit",
    "raid.risk_to_issue": "edit",
    "raid.risk_reviewed": "edit",
    "raid.action_add": "edit",
    "raid.action_done": "edit",
    "raid.action": {"GET": "read", "POST": "edit"},
    "raid.decision_new": "decide",
    "raid.decision": "read",
    "raid.change_new": "edit",
    "raid.change": "read",
    "raid.change_decide": "decide",
    "raid.change_update": "edit",
    "raid.export_xlsx": "read",
    "raid.import_xlsx": "edit",
    "scenarios.index": {"GET": "read", "POST": "edit"},
    "scenarios.show": "read",
    "scenarios.edit_item": "edit",
    "scenarios.add_link": "edit",
    "scenarios.remove_link": "edit",
    "scenarios.apply": "edit",
    "scenarios.discard": "edit",
    # schedule risk analysis (Monte Carlo)
    "schedule_risk.index": "read",
    "schedule_risk.export": "read",
    "schedule_risk.save_range": "edit",
    "schedule_risk.delete_range": "edit",
    "schedule_risk.save_item_range": "edit",
    "schedule_risk.save_risk_delay": "edit",
    # the playbook library
    "library.index": "signed_in",
    "library.versions": "signed_in",
    "library.diff": "signed_in",
    "library.preview": "signed_in",
    "library.source": "signed_in",
    "library.upload": "consultant",
    "library.upgrade": {"GET": "read", "POST": "manage"},
    "library.lessons": "read",
    # file exchange, the calendar feed (its token decides: anything wrong is 404) and the pack
    "exchange.index": "read",
    "exchange.export_mspdi": "read",
    "exchange.export_csv": "read",
    "exchange.export_xlsx": "read",
    "exchange.pack_pptx": "read",
    "exchange.pack_pdf": "read",
    "exchange.save_playbook": "read",
    "exchange.import_into_phase": "edit",
    "exchange.update_preview": "edit",
    "exchange.update_apply": "edit",
    "exchange.import_program": "signed_in",
    "exchange.account_feed": "signed_in",
    "exchange.feed": "public",
    "tokens.index": "signed_in",
    "tokens.revoke": "signed_in",
    # notifications (the bell, preferences; the digest's signed links need no sign-in; a
    # program's chat webhooks are the lead's), comments and attachments (writers checked in
    # the view: members and steering, not viewers; an attachment's uploader or a lead deletes)
    "notify.index": "signed_in",
    "notify.open_one": "signed_in",
    "notify.mark": "signed_in",
    "notify.preferences": {"GET": "signed_in", "POST": "signed_in"},
    "notify.token_preferences": {"GET": "public", "POST": "public"},
    "notify.unsubscribe": {"GET": "public", "POST": "public"},
    "notify.program_settings": {"GET": "manage", "POST": "manage"},
    "notify.webhook_delete": "manage",
    "discussion.comment_add": "read",
    "discussion.comment_edit": "read",
    "discussion.attachment_add": "read",
    "discussion.attachment_get": "read",
    "discussion.attachment_delete": "read",
    "discussion.mentionable": "read",
    # people, workload and money (issue 23); the leveling scenario is the lead's
    "people.directory": {"GET": "read", "POST": "edit"},
    "people.person": {"GET": "read", "POST": "edit"},
    "people.days_off": "edit",
    "people.merge": "manage",
    "people.workload": "read",
    "people.level": "manage",
    "people.portfolio_workload": "signed_in",
    "people.across": "signed_in",
    "money.costs": {"GET": "read", "POST": "edit"},
    "money.effort": {"GET": "read", "POST": "edit"},
    "money.benefits": {"GET": "read", "POST": "edit"},
    "money.benefit_reading": "edit",
    "money.export_xlsx": "read",
    # the JSON API: each operation declares its requirement beside its route
    **API_POLICY,
}

# what a guest holding a valid share link may open (GET only)
SHARE_ENDPOINTS = frozenset(
    {"dashboard.show", "risks.reviews", "risks.review", "risks.review_show", "share.open"}
)


def requirement_for(endpoint: str, method: str) -> str | None:
    rule = POLICY.get(endpoint)
    if rule is None:
        return None
    if isinstance(rule, str):
        return rule
    if method in ("HEAD", "OPTIONS"):
        method = "GET"
    return rule.get(method)


def membership_role(program_id: int) -> str | None:
    if not current_user.is_authenticated:
        return None
    if current_user.is_admin:
        return "lead"
    cache: dict[int, str | None] = g.setdefault("roles", {})
    if program_id not in cache:
        cache[program_id] = db.session.scalar(
            db.select(Membership.role).where(
                Membership.user_id == current_user.id, Membership.program_id == program_id
            )
        )
    return cache[program_id]


def can(capability: str, program_id: int) -> bool:
    """For templates: show a control only to those who may use it."""
    if g.get("share_program_id") is not None:
        return False
    return allows(membership_role(program_id), capability)


def _share_grants(program_id: int | None) -> bool:
    grant = session.get("share")
    if not grant or program_id is None or grant.get("program_id") != program_id:
        return False
    link = db.session.get(ShareLink, grant.get("link_id"))
    now = datetime.now(UTC).replace(tzinfo=None)
    if link is None or link.program_id != program_id or not link.is_valid(now):
        session.pop("share", None)
        return False
    return True


# the requirements of the site as a whole: who may, among those signed in
SITE_REQUIREMENTS: dict[str, Callable[[Any], bool]] = {
    "signed_in": lambda user: True,
    "admin": lambda user: bool(user.is_admin),
    "consultant": lambda user: bool(user.is_admin or user.is_consultant),
}


def enforce() -> Any:
    # g can outlive a request (an app context held open around several); start afresh
    # (Flask-Login caches the user there as _login_user)
    for cached in ("roles", "share_program_id", "_login_user"):
        g.pop(cached, None)
    endpoint = request.endpoint
    if endpoint is None:
        return None  # no route matched: the 404 handler answers
    requirement = requirement_for(endpoint, request.method)
    if requirement is None:
        abort(403)
    if requirement == "public" or request.method == "OPTIONS":
        return None
    program_id = (request.view_args or {}).get("program_id")
    if not current_user.is_authenticated:
        return _guest(endpoint, requirement, program_id)
    if requirement in SITE_REQUIREMENTS:
        if not SITE_REQUIREMENTS[requirement](current_user):
            abort(403)
        return None
    _check_member(requirement, program_id)
    return None


def _guest(endpoint: str, requirement: str, program_id: int | None) -> Any:
    """Someone not signed in: a valid share link opens what it shares (reading only);
    everything else asks for a sign-in (the API answers 401)."""
    if (
        requirement == "read"
        and request.method in ("GET", "HEAD")
        and endpoint in SHARE_ENDPOINTS
        and _share_grants(program_id)
    ):
        g.share_program_id = program_id
        return None
    if request.path.startswith("/api/"):
        abort(401)
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def _check_member(requirement: str, program_id: int | None) -> None:
    """A program capability: refused (aborts) unless the user's role in the program has it;
    a program the user is no member of (or that does not exist) is 404."""
    if program_id is None:
        abort(403)
    role = membership_role(program_id)
    if role is None or (current_user.is_admin and db.session.get(Program, program_id) is None):
        abort(404)
    if not allows(role, requirement):
        abort(403)


def init_app(app: Flask) -> None:
    app.before_request(enforce)
    app.jinja_env.globals["can"] = can
