"""Demo content for the RAID log, told with the rest of the demo's story and cast.

Northwind: the configurator needed custom pricing rules (the risk "software customisation"
occurred 15 days ago: it is issue I-3, as the risk's note and the third review say). The
scope change the plan carries on the configurator build went through change control as
CR-1, approved by the sponsor; its impact (phase 2's gate moved by the working days added)
is kept with it. CR-2, an interim file interface to the ERP (the new top risk R-12), waits
for steering with its impact analysed on today's plan. Decisions, actions on issues, the
last review and the phase 2 gate complete the log.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from planner.demodata.plan import LEAD, PEOPLE, SCOPE_CHANGE_ITEM
from planner.domain.change_cost import ChangeCost, PhaseCost
from planner.extensions import db
from planner.models import Issue, Program, Risk, WorkItem
from planner.services import change_requests as changes
from planner.services import raid
from planner.services import scenarios as what_if
from planner.services.playbooks import get_playbook

SPONSOR = PEOPLE["sponsor"]
PENDING_ITEM = "erp-interface-build"
PENDING_DAYS = 5


def populate(program: Program, today: date) -> None:
    risks = {r.key: r for r in program.risks}
    if "software-customisation" not in risks or not program.phases:
        return
    if any(p.key == "second-capability" for p in program.phases):
        _northwind(program, today, risks)


def _items(program: Program) -> dict[str, WorkItem]:
    return {i.key: i for i in program.work_items}


def _issue(program: Program, raised: date, data: dict[str, Any]) -> Issue:
    issue = raid.create_issue(program, data, raised)
    return issue


def _northwind(program: Program, today: date, risks: dict[str, Risk]) -> None:
    d = lambda days: today + timedelta(days=days)  # noqa: E731 - a short date helper
    custom = risks["software-customisation"]
    data = risks["cleaning-legacy-data"]
    change = risks["resistance-to-change"]
    _reasons(risks)
    one = _issue(
        program,
        d(-40),
        {
            "title": "Two regions still keep opportunities in spreadsheets",
            "description": "North and West log fewer than half their opportunities in the CRM.",
            "severity": "medium",
            "owner": PEOPLE["sales manager"],
            "due_date": d(-5),
            "risks": [change.key],
            "phases": ["foundation"],
        },
    )
    raid.move_issue(one, "in_progress", one.version, "", d(-35))
    two = _issue(
        program,
        d(-60),
        {
            "title": "Duplicate contacts block the migration of region East",
            "severity": "high",
            "owner": PEOPLE["data steward"],
            "due_date": d(-45),
            "risks": [data.key],
            "items": ["contact-migration"],
        },
    )
    raid.move_issue(two, "in_progress", two.version, "", d(-58))
    raid.move_issue(
        two, "resolved", two.version, "Merged 3,400 duplicates with the regions.", d(-46)
    )
    raid.move_issue(two, "closed", two.version, "", d(-44))
    three = _issue(
        program,
        custom.occurred_on or d(-15),
        {
            "title": "Configurator needs custom pricing rules",
            "description": custom.issue_note,
            "severity": "high",
            "owner": PEOPLE["integration architect"],
            "due_date": d(20),
            "risks": [custom.key],
            "items": [SCOPE_CHANGE_ITEM],
            "phases": ["second-capability"],
        },
    )
    three.source_risk = custom
    raid.move_issue(three, "in_progress", three.version, "", d(-14))
    # read once for the actions and the decisions: nothing here adds a review
    reviews = sorted(program_reviews(program), key=lambda r: r.held_on)
    _actions(program, today, three, one, reviews)
    _approved_change(program, today, three)
    _decisions(program, today, three, reviews)
    _pending_change(program, today, risks)
    db.session.flush()


def _reasons(risks: dict[str, Risk]) -> None:
    """Residual ratings above the inherent ones say why (the register asks for it)."""
    texts = {
        "cleaning-legacy-data": "Profiling found three times the duplicates assumed at kick-off.",
        "determining-roi": "No quote-turnaround baseline yet: the benefit case cannot be shown.",
    }
    for key, text in texts.items():
        risk = risks.get(key)
        if risk is not None and risk.residual_score > risk.score and not risk.residual_reason:
            risk.residual_reason = text


def _actions(program: Program, today: date, three: Issue, one: Issue, reviews: list[Any]) -> None:
    d = lambda days: today + timedelta(days=days)  # noqa: E731
    raid.add_action(
        program,
        "issue",
        three.id,
        {
            "title": "Agree the pricing-rule scope with the vendor",
            "owner": "Huang Tao",
            "due_date": d(-3),
        },
    )
    raid.add_action(
        program,
        "issue",
        three.id,
        {
            "title": "Test pricing rules with three real quotes",
            "owner": "Chen Jie",
            "due_date": d(10),
        },
    )
    raid.add_action(
        program,
        "issue",
        one.id,
        {
            "title": "Pipeline meeting from CRM data only in North and West",
            "owner": "Li Wei",
            "due_date": d(-8),
        },
    )
    if reviews:
        minutes = raid.add_action(
            program,
            "review",
            reviews[-1].id,
            {
                "title": "Send the minutes and the updated register",
                "owner": LEAD,
                "due_date": reviews[-1].held_on + timedelta(days=2),
            },
        )
        raid.set_action_done(
            minutes, True, minutes.version, reviews[-1].held_on + timedelta(days=1)
        )
    gate = next(p for p in program.phases if p.key == "second-capability")
    raid.add_action(
        program,
        "gate",
        gate.id,
        {
            "title": "Collect the junk-order evidence for the phase 2 gate",
            "owner": "Chen Jie",
            "due_date": d(12),
        },
    )


def program_reviews(program: Program) -> list[Any]:
    from planner.services.risks import list_reviews

    return list_reviews(program.id)


def _approved_change(program: Program, today: date, three: Issue) -> Any:
    """CR-1: the configurator's scope change the live plan carries, approved 14 days ago;
    its impact is what the change did: the plan without it, compared with the plan now."""
    d = lambda days: today + timedelta(days=days)  # noqa: E731
    item = _items(program)[SCOPE_CHANGE_ITEM]
    added = item.duration_days - _playbook_duration(program, SCOPE_CHANGE_ITEM, item)
    if added <= 0:
        return None
    change = changes.create_change(
        program,
        {
            "title": "Custom pricing rules in the quoting configurator",
            "kind": "add_work",
            "work_item": SCOPE_CHANGE_ITEM,
            "days": added,
            "requester": PEOPLE["sales manager"],
            "justification": "Standard quoting cannot price bundles; issue I-3.",
        },
        d(-15),
    )
    # the change is already in the live plan: analyse the plan without it, and turn round
    without = what_if.create_scenario(program, f"{change.key}: before")
    what_if.edit_scenario_item(
        without,
        item.key,
        duration=item.duration_days - added,
        constraint_type=item.constraint_type,
        constraint_date=item.constraint_date,
        version=without.version,
    )
    impact = changes.impact_of(program, _as_pending(change, without), today)
    assert impact is not None
    change.impact = _reversed(impact).to_json()
    db.session.delete(without)
    if change.scenario is not None:
        db.session.delete(change.scenario)
    change.scenario = None
    change.status = "approved"
    raid.record_decision(
        program,
        {
            "title": f"{change.key}: {change.title}",
            "rationale": "Bundles are a third of quotes; without the rules the configurator "
            "cannot go live. Phase 2 gate accepted later.",
            "options": "Approve the custom rules\nStandard quoting with manual approval\n"
            "Defer bundles to phase 3",
            "decided_by": SPONSOR,
            "decided_on": d(-14),
            "change_request": change,
            "issue": three.id,
        },
        today,
    )
    return change


def _as_pending(change: Any, scenario: Any) -> Any:
    change.scenario = scenario
    return change


def _reversed(impact: changes.Impact) -> changes.Impact:
    gates = [
        changes.GateMove(
            g.phase, g.gate, g.new_finish, g.live_finish, -g.shift, g.live_over, live_over=g.over
        )
        for g in impact.gates
    ]
    return changes.Impact(
        gates,
        impact.new_finish,
        impact.live_finish,
        -impact.finish_shift,
        impact.items_moved,
        impact.risks,
        cost=_reversed_cost(impact.cost),
        priced=impact.priced,
    )


def _reversed_cost(cost: ChangeCost | None) -> ChangeCost | None:
    if cost is None:
        return None
    return ChangeCost(cost.currency, tuple(PhaseCost(p.phase, p.new, p.live) for p in cost.phases))


def _playbook_duration(program: Program, key: str, item: WorkItem) -> int:
    playbook = get_playbook(program.playbook_id, program.playbook_version)
    for phase in playbook.phases:
        for task in phase.tasks:
            if task.key == key:
                return task.duration
    return item.duration_days


def _decisions(program: Program, today: date, three: Issue, reviews: list[Any]) -> None:
    d = lambda days: today + timedelta(days=days)  # noqa: E731
    raid.record_decision(
        program,
        {
            "title": "Review the risk register every six weeks at the steering committee",
            "rationale": "Monthly was too often for the committee; quarterly too late for phase 1.",
            "options": "Monthly\nEvery six weeks\nQuarterly",
            "decided_by": SPONSOR,
            "decided_on": reviews[0].held_on if reviews else d(-84),
            "review": reviews[0].id if reviews else None,
        },
        today,
    )
    raid.record_decision(
        program,
        {
            "title": "Freeze customisation beyond the pricing rules until the phase 2 gate",
            "rationale": "Custom code is the risk that occurred; no more of it this phase.",
            "options": "Freeze\nCase-by-case approval",
            "decided_by": SPONSOR,
            "decided_on": reviews[-1].held_on if reviews else d(-7),
            "review": reviews[-1].id if reviews else None,
            "issue": three.id,
        },
        today,
    )


def _pending_change(program: Program, today: date, risks: dict[str, Risk]) -> None:
    if PENDING_ITEM not in _items(program):
        return
    changes.create_change(
        program,
        {
            "title": "Interim file interface to the ERP",
            "kind": "add_work",
            "work_item": PENDING_ITEM,
            "days": PENDING_DAYS,
            "requester": PEOPLE["integration architect"],
            "justification": "The ERP team cannot deliver the real-time interface before "
            "phase 3 testing (risk R-12); a nightly file keeps orders flowing.",
        },
        today - timedelta(days=2),
    )
