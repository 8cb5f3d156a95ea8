"""A program's history: the audit trail, filtered."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask import Blueprint, abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from planner.domain.days import DayOutOfRange, NotADay, parse_day
from planner.services import history as history_service
from planner.services.programs import get_program
from planner.web.assessment import LEVEL_LABELS
from planner.web.days import out_of_range_message

bp = Blueprint("history", __name__)
PAGE_SIZE = 200

# the audit trail stores what changed as codes (the model's entity name, the column); the page
# shows them in the reader's language; a code missing here is shown as it is
ENTITY_NAMES = {
    "program": _l("program"),
    "uncertaintyrange": _l("uncertainty range"),
    # people, workload and money
    "person": _l("person"),
    "person_day_off": _l("day off"),
    "assignment": _l("assignment"),
    "effort_log": _l("logged effort"),
    "role_rate": _l("role rate"),
    "money_settings": _l("money settings"),
    "cost_entry": _l("cost"),
    "budget_line": _l("budget line"),
    "benefit": _l("benefit"),
    "benefit_reading": _l("benefit reading"),
    # adoption
    "cellreading": _l("reading by team, region or module"),
    "celltarget": _l("target by team, region or module"),
    "dimensionvalue": _l("team, region or module"),
    "userteam": _l("CRM user's team"),
    "usageimport": _l("usage log import"),
    "usagemapping": _l("usage log columns"),
    "trainingsession": _l("training session"),
    "interviewanswer": _l("interview answer"),
    "user": _l("user"),
    "membership": _l("membership"),
    "sharelink": _l("share link"),
    "api_token": _l("API token"),
    "feed_token": _l("calendar feed"),
    "phase": _l("phase"),
    "workitem": _l("work item"),
    "dependency": _l("dependency"),
    "baseline": _l("baseline"),
    "calendar_day": _l("calendar day"),
    "risk": _l("risk"),
    "risk_action": _l("action"),
    "issue": _l("issue"),
    "issue_link": _l("link of an issue"),
    "decision": _l("decision"),
    "change_request": _l("change request"),
    "risk_item_link": _l("link between a risk and a work item"),
    "risk_phase_link": _l("link between a risk and a phase"),
    "steering_review": _l("steering review"),
    "review_decision": _l("review decision"),
    "metric": _l("metric"),
    "metrictarget": _l("metric target"),
    "metricreading": _l("metric reading"),
    "statussettings": _l("status rules"),
    "gatecriterion": _l("gate criterion"),
    "gatedecision": _l("gate decision"),
    "assessment": _l("assessment"),
    "assessment_indicator": _l("assessment indicator"),
    "interview": _l("interview"),
    "interview_score": _l("interview score"),
    "action_item": _l("assessment action"),
    "comment": _l("comment"),
    "attachment": _l("attachment"),
    "webhook": _l("chat webhook"),
}
FIELD_NAMES = {
    # the schedule risk analysis' fields
    "schedule_delay_days": _l("Delay (working days)"),
    "schedule_delay_pct": _l("Delay (percent of each item)"),
    "probability_pct": _l("Probability (%)"),
    "residual_delay_days": _l("Delay once mitigated (days)"),
    "duration_optimistic": _l("Optimistic (days)"),
    "duration_pessimistic": _l("Pessimistic (days)"),
    "duration_shape": _l("Distribution"),
    "scope": _l("Applies to"),
    "scope_key": _l("Phase or workstream"),
    "low_pct": _l("Low end (%)"),
    "high_pct": _l("High end (%)"),
    "correlation": _l("Correlation"),
    # the RAID log's fields
    "severity": _l("Severity"),
    "raised_on": _l("Raised on"),
    "resolved_on": _l("Resolved on"),
    "resolution": _l("Resolution"),
    "source_risk_id": _l("From risk"),
    "program_id": _l("Program"),
    "issue_id": _l("Issue"),
    "review_id": _l("Steering review"),
    "gate_phase_id": _l("Gate"),
    "risk_id": _l("Risk"),
    "rationale": _l("Why"),
    "options": _l("Options considered"),
    "change_request_id": _l("Change request"),
    "requester": _l("Requester"),
    "requested_on": _l("Requested on"),
    "days": _l("Days"),
    "new_date": _l("Milestone's new date"),
    "scenario_id": _l("What-if scenario"),
    "review_cadence_days": _l("Review every (days)"),
    "last_reviewed_on": _l("Last reviewed"),
    "residual_reason": _l("Why the residual score is above the inherent one"),
    "actual_finish": _l("Actual finish"),
    "actual_start": _l("Actual start"),
    "amber_tolerance": _l("Amber tolerance"),
    "attendees": _l("Attendees"),
    "baseline": _l("Baseline"),
    "benchmark": _l("Benchmark"),
    "categories": _l("Categories"),
    "category": _l("Category"),
    "cause": _l("Cause"),
    "client": _l("Client"),
    "competitor": _l("Competitor"),
    "completed_on": _l("Completed"),
    "conditions": _l("Conditions"),
    "constraint_date": _l("Constraint date"),
    "constraint_type": _l("Constraint"),
    "contingency": _l("Contingency"),
    "critical": _l("Critical"),
    "data_source": _l("Data source"),
    "day": _l("Date"),
    "decided_by": _l("Decided by"),
    "decided_on": _l("Decided on"),
    "decision": _l("Decision"),
    "deliverable": _l("Deliverable"),
    "deliverable_zh": _l("Deliverable (Chinese)"),
    "description": _l("Description"),
    "description_zh": _l("Description (Chinese)"),
    "direction": _l("Direction"),
    "done": _l("Done"),
    "done_on": _l("Done on"),
    "due": _l("Due"),
    "due_date": _l("Due"),
    "duration_days": _l("Duration (days)"),
    "duration_minutes": _l("Duration (minutes)"),
    "effect": _l("Effect"),
    "evidence": _l("Evidence"),
    "evidence_url": _l("Evidence link"),
    "expires_at": _l("Expires"),
    "goal": _l("Goal"),
    "goal_zh": _l("Goal (Chinese)"),
    "held_on": _l("Date"),
    "horizon": _l("Horizon"),
    "impact": _l("Impact"),
    "indicator_key": _l("Indicator"),
    "interviewee": _l("Interviewee"),
    "issue_note": _l("Issue note"),
    "justification": _l("Justification"),
    "key": _l("Key"),
    "kind": _l("Type"),
    "label": _l("Label"),
    "lag_days": _l("Lag"),
    "length_days": _l("Length (days)"),
    "level": _l("Level"),
    "likelihood": _l("Likelihood"),
    "met": _l("Met"),
    "mitigation": _l("Mitigation"),
    "mitigation_zh": _l("Mitigation (Chinese)"),
    "cause_zh": _l("Cause (Chinese)"),
    "effect_zh": _l("Effect (Chinese)"),
    "name": _l("Name"),
    "name_zh": _l("Name (Chinese)"),
    "note": _l("Note"),
    "notes": _l("Notes"),
    "occurred_on": _l("Occurred on"),
    "owner": _l("Owner"),
    "owner_role": _l("Owner role"),
    "percent_complete": _l("Percent complete"),
    "phase_id": _l("Phase"),
    "phase_ordinal": _l("Phase"),
    "playbook_id": _l("Playbook"),
    "playbook_version": _l("Playbook version"),
    "position": _l("Position"),
    "predecessor_id": _l("Predecessor"),
    "priority": _l("Priority"),
    "proximity_date": _l("Proximity date"),
    "proximity_phase_id": _l("Proximity phase"),
    "rank": _l("Rank"),
    "recorded_at": _l("Recorded at"),
    "recorded_by": _l("Recorded by"),
    "reference": _l("Reference"),
    "replan": _l("Replan"),
    "residual_impact": _l("Residual impact"),
    "residual_likelihood": _l("Residual likelihood"),
    "response": _l("Response"),
    "result": _l("Result"),
    "result_zh": _l("Result (Chinese)"),
    "revoked_at": _l("Revoked"),
    "body": _l("Comment"),
    "edited_at": _l("Edited"),
    "active": _l("Active"),
    "lang": _l("Language"),
    "role": _l("Role"),
    "schedule_tolerance_days": _l("Schedule tolerance (days)"),
    "score": _l("Score"),
    "start_date": _l("Start date"),
    "started_on": _l("Started"),
    "status": _l("Status"),
    "status_date": _l("Status date"),
    "successor_id": _l("Successor"),
    "taken_at": _l("Taken at"),
    "taken_by": _l("Taken by"),
    "target": _l("Target"),
    "text": _l("Criterion"),
    "text_zh": _l("Criterion (Chinese)"),
    "title": _l("Title"),
    "title_zh": _l("Title (Chinese)"),
    "trigger": _l("Trigger"),
    "type": _l("Type"),
    "unit": _l("Unit"),
    "user_id": _l("User"),
    "value": _l("Value"),
    "weight": _l("Weight"),
    "window_end": _l("Window end"),
    "window_start": _l("Window start"),
    "work_item_id": _l("Work item"),
    "workdays": _l("Working days"),
    "working": _l("Working day"),
    "workstream": _l("Workstream"),
    # people, effort and money (issue 23)
    "team": _l("Team"),
    "email": _l("E-mail"),
    "capacity_hours": _l("Hours a week"),
    "hourly_rate": _l("Hourly rate"),
    "currency": _l("Currency"),
    "person_id": _l("Person"),
    "planned_hours": _l("Planned hours"),
    "hours": _l("Hours"),
    "week": _l("Week"),
    "amount": _l("Amount"),
    "annual_value": _l("Value a year at target"),
    "go_live_phase": _l("Realised after the go-live of"),
    "ramp_months": _l("Months to full realisation"),
    "fx_rates": _l("Exchange rates"),
    "discount_rate": _l("Discount rate (a year)"),
    "horizon_months": _l("Horizon (months)"),
}
# stored labels that carry a code or an English word (planner/models/assessment.py writes
# them): an interview's ends with its level, "Wu Hao (front_line)"; an interview score's
# starts with its interview, "interview 12 · cd-07". Other labels are names, keys and dates.
INTERVIEW_LEVEL = re.compile(r"\((senior|middle|front_line)\)$")
SCORE_OF_INTERVIEW = re.compile(r"^interview (\d+) · ")


def entity_label(entity: str, label: str) -> str:
    """The stored label of what changed, with the codes it carries in the reader's language."""
    if entity == "interview":
        return INTERVIEW_LEVEL.sub(lambda m: f"({LEVEL_LABELS[m.group(1)]})", label)
    if entity == "interview_score":
        return SCORE_OF_INTERVIEW.sub(lambda m: _("interview %(n)s", n=m.group(1)) + " · ", label)
    return label


def shown_actor(actor: str) -> str:
    """Who made a change; "system" (a change outside a request: the demo loader, a command)
    in the reader's language."""
    return _("system") if actor == "system" else actor


def shown_value(value: str | None) -> str:
    """A stored old or new value as the reader reads it (yes/no rather than true/false)."""
    if value is None:
        return ""
    words = {"true": _("yes"), "false": _("no"), **_status_words()}
    return words.get(value, value)


def _status_words() -> dict[str, str]:
    """Stored states of the RAID log's issues and change requests, as words."""
    return {
        "in_progress": _("In progress"),
        "resolved": _("Resolved"),
        "approved": _("Approved"),
        "rejected": _("Rejected"),
        "withdrawn": _("Withdrawn"),
    }


def _day(value: str | None) -> date | None:
    """A filter's day; text that is no day is ignored (as before), a day outside the range
    the planner handles is refused (400) rather than overflowing the query's date sums."""
    try:
        return parse_day(value) if value else None
    except DayOutOfRange:
        abort(400, description=out_of_range_message(value or ""))
    except NotADay:
        return None


def _filters(args: MultiDict[str, str]) -> dict[str, str]:
    """The filters as typed (the form shows them again)."""
    return {name: args.get(name, "") for name in ("entity", "actor", "action", "since", "until")}


def _wording() -> dict[str, Any]:
    """What the template needs to show stored codes in the reader's language."""
    return {
        "entity_names": ENTITY_NAMES,
        "field_names": FIELD_NAMES,
        "entity_label": entity_label,
        "shown_value": shown_value,
        "shown_actor": shown_actor,
    }


@bp.get("/programs/<int:program_id>/history")
def index(program_id: int) -> ResponseReturnValue:
    program = get_program(program_id)
    filters = _filters(request.args)
    wanted = history_service.EventFilter(
        entity=filters["entity"],
        actor=filters["actor"],
        action=filters["action"],
        since=_day(filters["since"]),
        until=_day(filters["until"]),
    )
    entities, actors = history_service.facets(program)
    return render_template(
        "history/index.html",
        program=program,
        events=history_service.events(program, wanted, PAGE_SIZE),
        entities=entities,
        actors=actors,
        filters=filters,
        page_size=PAGE_SIZE,
        **_wording(),
    )
