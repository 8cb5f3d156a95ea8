"""Demo content for the risks area: owners, residual assessments, actions, links, and three
steering reviews with changes between them (so the review page and the trend have content).

The register is walked through its history: set the state as it stood at a review, open the
review (which snapshots the register), then change it the way the weeks after would have.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from planner.extensions import db
from planner.models import Program
from planner.models.risk import Risk, RiskAction
from planner.services import risks as service


def _at(day: date) -> datetime:
    return datetime.combine(day, time(9, 30))


def _set(risk: Risk, **values: Any) -> None:
    for name, value in values.items():
        setattr(risk, name, value)


def _action(risk: Risk, title: str, owner: str, due: date, done_on: date | None = None) -> None:
    risk.actions.append(
        RiskAction(
            title=title, owner=owner, due_date=due, done=done_on is not None, done_on=done_on
        )
    )


def _review(program: Program, day: date, title: str, attendees: str, notes: str) -> Any:
    db.session.flush()
    review = service.open_review(
        program, {"held_on": day, "title": title, "attendees": attendees, "notes": notes}
    )
    review.snapshot_taken_at = _at(day)
    return review


def _decide(review: Any, risk: Risk, decision: str, note: str) -> None:
    service.record_decision(review, risk.id, decision, note)


def _reading(program: Program, key: str, day: date) -> float | None:
    """The metric's latest reading on or before ``day`` (the demo's notes quote the data)."""
    metric = next((m for m in program.metrics if m.key == key), None)
    seen = [r for r in (metric.readings if metric else []) if r.day <= day]
    return max(seen, key=lambda r: r.day).value if seen else None


def _quoted(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}".rstrip("0").rstrip(".")


def _link(risk: Risk, items: dict[str, Any], phases: dict[str, Any], *keys: str) -> None:
    for key in keys:
        if key in items:
            service.link_work_item(risk, items[key].id)
        elif key in phases:
            service.link_phase(risk, phases[key].id)


def _ensure_schedule(program: Program, today: date) -> None:
    """Linked work items show their float: compute the schedule if the plan left none."""
    if all(item.total_float is None for item in program.work_items):
        try:
            from planner.services.scheduling import reschedule
        except ImportError:  # pragma: no cover - the plan area ships the scheduler
            return
        reschedule(program, today)
        db.session.flush()


def populate(program: Program, today: date) -> None:
    """Give the demo program believable risks content as of ``today``."""
    risks = {risk.key: risk for risk in service.load_risks(program.id)}
    if "resistance-to-change" not in risks:
        return
    _ensure_schedule(program, today)
    db.session.expire_all()
    risks = {risk.key: risk for risk in service.load_risks(program.id)}
    items = {item.key: item for item in service.program_work_items(program.id)}
    phases = {phase.key: phase for phase in service.program_phases(program.id)}
    if "foundation" in phases:
        _northwind(program, today, risks, items, phases)
    else:
        _small_company(program, today, risks, items, phases)


def _northwind(
    program: Program,
    today: date,
    risks: dict[str, Risk],
    items: dict[str, Any],
    phases: dict[str, Any],
) -> None:
    d = lambda days: today + timedelta(days=days)  # noqa: E731 - a short date helper
    change = risks["resistance-to-change"]
    features = risks["defining-system-features"]
    use = risks["ensuring-proper-use"]
    gaps = risks["finding-process-gaps"]
    roi = risks["determining-roi"]
    goals = risks["setting-strategic-goals"]
    data = risks["cleaning-legacy-data"]
    sponsor = risks["winning-executive-support"]
    custom = risks["software-customisation"]
    tools = risks["evaluating-system-and-tools"]

    # ---- the register at the first steering review (end of phase 1's first month)
    owners = {
        change: ("Sales director Li Wei", 3, 3, d(-70)),
        features: ("Product owner Zhang Min", 3, 2, d(-60)),
        use: ("Sales operations lead Chen Jie", 3, 4, d(-60)),
        gaps: ("Process lead Wang Fang", 2, 4, d(-50)),
        roi: ("Finance controller Zhou Lan", 2, 3, d(-40)),
        goals: ("Programme sponsor Liu Yang", 2, 3, d(-60)),
        data: ("Data steward Sun Hao", 3, 3, d(-60)),
        sponsor: ("Programme sponsor Liu Yang", 2, 4, d(-80)),
        custom: ("Solution architect Huang Tao", 2, 3, d(-70)),
        tools: ("IT manager Zhao Qiang", 1, 3, d(-90)),
    }
    for risk, (owner, rl, ri, review_date) in owners.items():
        _set(
            risk,
            owner=owner,
            residual_likelihood=rl,
            residual_impact=ri,
            review_date=review_date,
        )
    _set(
        change,
        status="mitigating",
        trigger="Fewer than 60% of reps log opportunities two weeks after go-live.",
        contingency="Tie the weekly pipeline meeting to CRM data only; coach the lowest users "
        "one to one.",
        proximity_phase_id=phases["foundation"].id,
    )
    _set(
        data,
        status="mitigating",
        trigger="Duplicate rate above 5% in the data-profiling report.",
        contingency="Load only active customers of the last 24 months; clean the rest in waves.",
        proximity_phase_id=phases["foundation"].id,
        proximity_date=phases["foundation"].window_start + timedelta(days=60),
    )
    _set(sponsor, contingency="Escalate to the CEO through the steering committee chair.")
    _set(
        custom,
        trigger="Change requests for custom code exceed 10 in phase 2.",
        contingency="Freeze customisation; use standard quoting with manual approval.",
        proximity_phase_id=phases["second-capability"].id,
    )
    _action(change, "Name a change champion in every sales region", "Li Wei", d(-95), d(-100))
    _action(change, "Publish the 'what changes for me' pack", "Li Wei", d(-80), d(-82))
    _action(data, "Profile the legacy contact database", "Sun Hao", d(-90), d(-91))
    _action(features, "Prioritise requirements with MoSCoW in a workshop", "Zhang Min", d(-88))
    _action(use, "Agree usage KPIs with the sales managers", "Chen Jie", d(-75), d(-76))
    _link(change, items, phases, "change-impact", "sales-training", "foundation")
    _link(data, items, phases, "data-profiling", "contact-migration", "data-quality-campaign")
    _link(features, items, phases, "sfa-requirements", "sfa-design-signed-off")
    _link(use, items, phases, "hypercare", "sales-efficiency-confirmed")
    _link(custom, items, phases, "configurator-build", "second-capability")
    _link(sponsor, items, phases, "p1-gate-review")
    _link(gaps, items, phases, "quoting-requirements", "order-validation")
    _link(roi, items, phases, "benefit-baseline")
    first = _review(
        program,
        d(-84),
        "Steering committee #1",
        "Liu Yang (sponsor, chair)\nLi Wei (sales director)\nZhao Qiang (IT manager)\nProject lead",
        "Foundation phase under way. Agreed to review the register every six weeks.",
    )
    _decide(first, change, "continue", "Champions named; keep the weekly usage report.")
    _decide(first, data, "more_actions", "Profile first, then decide what to migrate.")
    _decide(first, sponsor, "noted", "Sponsor attends every steering committee.")

    # ---- the six weeks after: data gets worse, the sponsor steps in, goals settled
    _set(data, residual_likelihood=4, residual_impact=4, review_date=d(-30))
    _set(change, residual_likelihood=2, residual_impact=3, review_date=d(-20))
    _set(features, status="mitigating", residual_likelihood=2, review_date=d(-25))
    _set(goals, status="closed", review_date=None)
    _set(sponsor, residual_likelihood=1, review_date=d(-14))
    features.actions[0].done = True
    features.actions[0].done_on = d(-60)
    _action(data, "Run the duplicate-merge campaign with the regions", "Sun Hao", d(-35))
    _action(data, "Freeze edits in the legacy contact system", "IT manager Zhao Qiang", d(-50))
    _action(use, "Weekly adoption dashboard to the sales managers", "Chen Jie", d(-30))
    attrition = service.create_risk(
        program,
        {
            "key": "R-11",
            "title": "Key users leave during the pilot",
            "title_zh": "试点期间关键用户流失",
            "description": "Two of the five pilot key users have applied for internal moves.",
            "description_zh": "五名试点关键用户中已有两人申请内部调岗。",
            "category": "people",
            "cause": "Pilot workload on top of a full sales quota.",
            "cause_zh": "试点工作叠加在满额的销售指标之上。",
            "effect": "Pilot feedback stalls; training material has no field owner.",
            "effect_zh": "试点反馈停滞；培训材料没有一线业务负责人。",
            "owner": "HR business partner Ma Li",
            "likelihood": 3,
            "impact": 4,
            "residual_likelihood": 2,
            "residual_impact": 3,
            "response": "mitigate",
            "mitigation": "Relieve key users of 20% of quota for the pilot; name deputies.",
            "mitigation_zh": "试点期间为关键用户减免 20% 的销售指标；为每人指定替补。",
            "review_date": d(-10),
            "proximity_phase_id": phases["second-capability"].id,
        },
    )
    _action(attrition, "Agree quota relief with the sales director", "Ma Li", d(-40), d(-41))
    _action(attrition, "Name a deputy for every key user", "Ma Li", d(-12))
    _link(attrition, items, phases, "quoting-training", "configurator-uat")
    second = _review(
        program,
        d(-42),
        "Steering committee #2",
        "Liu Yang (sponsor, chair)\nLi Wei (sales director)\nZhou Lan (finance controller)\n"
        "Zhao Qiang (IT manager)\nProject lead",
        "Foundation go-live reached. Data quality is now the top concern.",
    )
    _decide(second, data, "escalate", "Sponsor to ask regional heads for clean-up time.")
    _decide(second, goals, "close", "Strategic goals signed off in the roadmap.")
    _decide(second, attrition, "more_actions", "Deputies for every key user by next review.")
    _decide(
        second,
        change,
        "continue",
        f"Active users at {_quoted(_reading(program, 'active-users', d(-42)))}% of licences.",
    )

    # ---- up to the last review: customisation bites, data recovers a little
    _set(custom, status="occurred", occurred_on=d(-15))
    _set(
        custom,
        issue_note="The quoting configurator needed custom pricing rules; two weeks lost. "
        "Handled as issue I-3 with the vendor.",
    )
    _set(data, residual_likelihood=3, review_date=d(-5))
    _set(roi, residual_likelihood=3, residual_impact=4, review_date=d(-3), status="mitigating")
    _set(use, status="mitigating", review_date=d(-4))
    _action(roi, "Measure quote turnaround before and after the configurator", "Zhou Lan", d(-6))
    integration = service.create_risk(
        program,
        {
            "key": "R-12",
            "title": "ERP interface specification arrives late",
            "title_zh": "ERP 接口规格说明交付延迟",
            "description": "The ERP team's release calendar puts our interface after phase 3 "
            "integration testing.",
            "description_zh": "按 ERP 团队的发布日历，我们的接口排在第 3 阶段集成测试之后。",
            "category": "technology",
            "cause": "ERP upgrade project has priority on the same team.",
            "cause_zh": "同一团队的 ERP 升级项目优先。",
            "effect": "Integrated launch slips; order re-keying continues.",
            "effect_zh": "集成上线推迟；订单仍需重复录入。",
            "owner": "Solution architect Huang Tao",
            "likelihood": 4,
            "impact": 4,
            "residual_likelihood": 3,
            "residual_impact": 4,
            "response": "escalate",
            "mitigation": "Ask the sponsor to reserve ERP capacity; agree a file-based interim.",
            "mitigation_zh": "请发起人为本项目预留 ERP 团队的产能；商定基于文件的过渡接口。",
            "contingency": "Keep manual order entry with a daily reconciliation.",
            "trigger": "No signed interface specification four weeks before phase 3.",
            "review_date": d(14),
            "proximity_phase_id": phases["integration"].id,
            "proximity_date": phases["integration"].window_start + timedelta(days=30),
        },
    )
    _action(integration, "Raise ERP capacity at the IT steering board", "Huang Tao", d(10))
    _link(integration, items, phases, "integration-architecture", "erp-interface-build")
    third = _review(
        program,
        d(-7),
        "Steering committee #3",
        "Liu Yang (sponsor, chair)\nLi Wei (sales director)\nZhou Lan (finance controller)\n"
        "Huang Tao (solution architect)\nProject lead",
        "Configurator build running two weeks late (customisation issue). ERP interface is the "
        "new top risk for phase 3.",
    )
    _decide(third, integration, "escalate", "Sponsor raises ERP capacity with the CIO.")
    _decide(third, custom, "noted", "Issue I-3 tracked in the issue log; lessons learnt.")
    _decide(
        third,
        data,
        "continue",
        f"Duplicate rate down to {_quoted(_reading(program, 'duplicate-rate', d(-7)))}%; "
        "keep the campaign running.",
    )
    _decide(third, roi, "more_actions", "Baseline quote turnaround before the next review.")

    # ---- since the last review: one risk down, one reassessed
    _set(change, residual_likelihood=1, review_date=d(30))
    _set(tools, status="closed", review_date=None)
    _set(attrition, residual_likelihood=3, review_date=d(-2))
    db.session.flush()


def _small_company(
    program: Program,
    today: date,
    risks: dict[str, Risk],
    items: dict[str, Any],
    phases: dict[str, Any],
) -> None:
    d = lambda days: today + timedelta(days=days)  # noqa: E731 - a short date helper
    owners = {
        "resistance-to-change": ("Owner-manager", 2, 3),
        "cleaning-legacy-data": ("Office manager", 3, 2),
        "in-house-attempt-failed": ("Owner-manager", 2, 3),
        "ensuring-proper-use": ("Sales lead", 2, 4),
    }
    for key, (owner, rl, ri) in owners.items():
        if key in risks:
            _set(risks[key], owner=owner, residual_likelihood=rl, residual_impact=ri)
    if "cleaning-legacy-data" in risks:
        data = risks["cleaning-legacy-data"]
        _set(data, status="mitigating", review_date=d(7))
        _action(data, "List the spreadsheets that hold customer records", "Office manager", d(-3))
        _link(data, items, phases, "records-inventory", "customer-import")
    first = _review(
        program,
        d(-6),
        "Kick-off review",
        "Owner-manager\nOffice manager\nImplementation partner",
        "First look at the register with the implementation partner.",
    )
    if "resistance-to-change" in risks:
        _decide(first, risks["resistance-to-change"], "continue", "Owner-manager leads by example.")
    db.session.flush()
