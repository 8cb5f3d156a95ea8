"""Demo content for the assessment area.

The main demo program gets a completed diagnosis assessment (three interviews per level,
believable scores, targets, industry benchmark and a competitor line), an action plan whose
accepted actions are work items of phase 1, and a re-assessment at the phase-1 gate that
shows movement where the actions were. The small-company program gets a lighter diagnosis.
Scores are generated from a fixed seed, so every demo run shows the same numbers.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from functools import cache

from planner.domain.errors import ValidationError
from planner.models import ActionItem, Assessment, Program, WorkItem
from planner.services import assessment as service

# Where a mid-sized industrial company starting CRM usually stands (0-5), per category.
BASELINE = {
    "customer-strategy": 1.9,
    "customer-processes": 2.2,
    "people-organisation": 2.0,
    "information-technology": 2.7,
    "customer-data": 1.5,
    "customer-management": 2.4,
    "customer-experience": 1.6,
    "customer-performance": 1.4,
}
TARGET = {
    "customer-strategy": 3.5,
    "customer-processes": 3.5,
    "people-organisation": 3.0,
    "information-technology": 3.5,
    "customer-data": 4.0,
    "customer-management": 3.5,
    "customer-experience": 3.0,
    "customer-performance": 3.0,
}
# How each level tends to see things: executives rate strategy higher, the front line rates
# systems and data lower than their managers do.
LEVEL_BIAS = {
    "senior": {"customer-strategy": 0.6, "customer-performance": 0.4, "customer-data": 0.2},
    "middle": {"customer-processes": 0.2},
    "front_line": {
        "information-technology": -0.6,
        "customer-data": -0.5,
        "customer-strategy": -0.4,
    },
}

# (level, interviewee, role, categories covered or () for all, minutes, notes)
MAIN_INTERVIEWS = [
    (
        "senior",
        "Liu Yang",
        "General manager",
        (),
        90,
        "Wants one view of the top 50 accounts; sees CRM as a sales tool first.",
    ),
    (
        "senior",
        "Li Wei",
        "Sales director",
        (),
        75,
        "Forecasts are built in spreadsheets every Friday; pipeline stages differ per region.",
    ),
    (
        "senior",
        "Chen Jie",
        "Chief financial officer",
        ("customer-strategy", "people-organisation", "customer-performance", "customer-data"),
        60,
        "Asks for customer profitability by segment; credit checks are manual.",
    ),
    (
        "middle",
        "Wang Fang",
        "Regional sales manager (East)",
        (
            "customer-strategy",
            "customer-processes",
            "people-organisation",
            "customer-management",
            "customer-performance",
        ),
        80,
        "Leads from trade fairs stay in business-card boxes; hand-off to inside sales is ad hoc.",
    ),
    (
        "middle",
        "Gao Peng",
        "Customer service manager",
        ("customer-processes", "customer-data", "customer-management", "customer-experience"),
        70,
        "Complaints are logged in e-mail folders; no closed-loop review with sales.",
    ),
    (
        "middle",
        "Zhao Qiang",
        "IT manager",
        ("customer-processes", "information-technology", "customer-data"),
        90,
        "ERP holds orders; three customer lists; nightly backup, no restore test.",
    ),
    (
        "front_line",
        "Huang Xin",
        "Sales representative",
        ("customer-processes", "information-technology", "customer-data", "customer-management"),
        60,
        "Keeps contacts on his phone; enters orders twice (ERP and a sheet).",
    ),
    (
        "front_line",
        "Zhou Ting",
        "Service engineer",
        (
            "customer-processes",
            "information-technology",
            "customer-management",
            "customer-experience",
        ),
        60,
        "Visit reports on paper; would like the customer's installed base on a tablet.",
    ),
    (
        "front_line",
        "Wu Hao",
        "Inside sales, order desk",
        (
            "customer-processes",
            "information-technology",
            "customer-data",
            "customer-management",
            "customer-experience",
        ),
        65,
        "Quotes take two days because prices sit in several spreadsheets.",
    ),
]

SMALL_INTERVIEWS = [
    (
        "senior",
        "Ms. Sun",
        "Owner and general manager",
        (),
        75,
        "Wants to stop losing prospects when a salesperson leaves.",
    ),
    ("middle", "Mr. Gao", "Sales lead", (), 70, "Prospects are tracked in a shared spreadsheet."),
    (
        "front_line",
        "Ms. Ma",
        "Sales and service assistant",
        (),
        60,
        "Customer calls are noted in a paper diary.",
    ),
]


def _clamp(value: float, low: float = 0.0, high: float = 5.0) -> float:
    return max(low, min(high, value))


@cache  # asked again for every interview's score: seeding the generator is the costly part
def _true_level(key: str, category: str) -> float:
    """The indicator's 'real' state in the demo company (stable per key)."""
    rng = random.Random(f"true-{key}")
    return _clamp(BASELINE.get(category, 2.0) + rng.uniform(-0.9, 0.9))


def _interview_scores(
    interviewee: str,
    level: str,
    categories: tuple[str, ...],
    indicators: list[tuple[str, str]],
    lift: dict[str, float],
) -> dict[str, int | None]:
    """One interview's scores: the true level, the level's bias, a person's noise, a lift."""
    scores: dict[str, int | None] = {}
    for key, category in indicators:
        if categories and category not in categories:
            continue
        rng = random.Random(f"{interviewee}-{key}")
        if rng.random() < 0.06:
            scores[key] = None  # "I can't say": left unscored, never read as 0
            continue
        value = (
            _true_level(key, category)
            + LEVEL_BIAS.get(level, {}).get(category, 0.0)
            + rng.uniform(-0.8, 0.8)
            + lift.get(key, 0.0)
        )
        scores[key] = int(round(_clamp(value)))
    return scores


def _record_interviews(
    assessment,
    people: list[tuple[str, str, str, tuple[str, ...], int, str]],
    first_day: date,
    lift: dict[str, float],
) -> None:
    indicators = [(s.key, s.category) for s in assessment.indicators]
    known = {category for _key, category in indicators}
    planned: list[service.InterviewData] = []
    for index, (level, name, role, categories, minutes, notes) in enumerate(people):
        planned.append(
            service.InterviewData(
                level=level,
                interviewee=name,
                role=role,
                held_on=first_day + timedelta(days=index // 2 + (index // 6) * 2),
                duration_minutes=minutes,
                categories=tuple(c for c in categories if c in known),
                notes=notes,
            )
        )
    # every interview in one write, then every score in one more: the same rows, versions and
    # audit trail as adding and scoring them one by one, in two flushes instead of two each
    interviews = service.add_interviews(assessment, planned)
    service.save_many_scores(
        [
            (
                interview,
                interview.version,
                _interview_scores(
                    data.interviewee, data.level, tuple(data.categories), indicators, lift
                ),
            )
            for interview, data in zip(interviews, planned, strict=True)
        ]
    )


def _set_lines(assessment, competitor: bool) -> None:
    values = {}
    for s in assessment.indicators:
        rng = random.Random(f"lines-{s.key}")
        target = TARGET.get(s.category, 3.5) + (0.5 if s.critical else 0.0)
        benchmark = round(_clamp(BASELINE.get(s.category, 2.0) + 0.9 + rng.uniform(-0.4, 0.4)), 1)
        rival = round(_clamp(BASELINE.get(s.category, 2.0) + 0.5 + rng.uniform(-0.6, 0.6)), 1)
        values[s.key] = service.IndicatorSetting(
            weight=s.weight,
            critical=s.critical,
            target=min(5.0, target),
            benchmark=benchmark,
            competitor=rival if competitor else None,
        )
    service.save_settings(assessment, assessment.version, values)


def _progress(items: list[WorkItem], phase_start: date, today: date) -> None:
    """Record the work done on the action items since phase 1 started (as of ``today``).

    They start a week into the phase, one every five days, and take about as long as planned,
    so each finishes inside the phase window.
    """
    for index, item in enumerate(items):
        start = phase_start + timedelta(days=7 + 5 * index)
        if start >= today:
            continue
        item.actual_start = start
        finish = start + timedelta(days=round(item.duration_days * 1.4))
        if finish >= today:
            item.percent_complete = 50
        else:
            item.actual_finish = finish
            item.percent_complete = 100


# the diagnosis's proposals (by position) the lead accepts, drops, and rewords after the
# feedback workshop (the reworded one is accepted too)
ACCEPTED = (0, 1, 2, 3, 5, 6, 8)
DROPPED = (9,)
REWORDED = 4
REWORDING = (" (pilot with the East region first)", "（先在华东区试点）")
# what 100 days of phase 1 moved, as the re-assessment at its gate sees it: the indicators
# the accepted actions worked on most, the categories phase 1's sales-automation foundation
# touched less, every other indicator a little
LIFT_WORKED_ON = 1.3
LIFT_BY_FOUNDATION = 0.5
FOUNDATION_CATEGORIES = ("customer-management", "customer-data", "customer-processes")
LIFT_ELSEWHERE = 0.15
# not everything improves: the rollout's workload strained cooperation between departments,
# and the competitor benchmarking study was postponed
SETBACKS = {"po-06": -0.9, "ce-07": -0.7, "it-08": -0.6}


def _main(program: Program, today: date) -> None:
    phases = {p.ordinal: p for p in program.phases}
    diagnosis_start = phases[0].window_start + timedelta(days=3)
    diagnosis = service.start_assessment(
        program,
        service.AssessmentData(
            title="CRM maturity diagnosis",
            kind="diagnosis",
            phase_ordinal=0,
            started_on=diagnosis_start,
            status="completed",
            completed_on=min(phases[0].window_end - timedelta(days=5), today),
            notes="Survey plus nine interviews at three levels; feedback workshop held with "
            "the management team.",
        ),
    )
    _set_lines(diagnosis, competitor=True)
    _record_interviews(diagnosis, MAIN_INTERVIEWS, diagnosis_start + timedelta(days=4), {})
    accepted = _decide_proposals(diagnosis)
    if 1 in phases:
        items = service.add_accepted_to_plan(diagnosis, 1)
        _deliverables_in_chinese(diagnosis, items)
        _progress(items, phases[1].window_start, today)
        service.reschedule_if_available(program)
    gate = phases.get(1)
    if gate is not None and gate.window_end < today:
        _reassess(program, diagnosis, gate.window_end, _lift(diagnosis, accepted))


def _decide_proposals(diagnosis: Assessment) -> list[ActionItem]:
    """The lead's answer to the proposed actions; returns the accepted ones."""
    proposals = service.propose_actions(diagnosis, limit=12)
    accepted = []
    for index, action in enumerate(proposals):
        if index in ACCEPTED:
            service.set_action_status(action, action.version, "accepted")
            accepted.append(action)
        elif index in DROPPED:
            service.set_action_status(action, action.version, "dropped")
    if len(proposals) > REWORDED:
        edited = proposals[REWORDED]
        service.update_action(
            edited,
            edited.version,
            service.ActionData(
                title=edited.title + REWORDING[0],
                title_zh=(edited.title_zh or "") + REWORDING[1],
                horizon=edited.horizon,
                priority=edited.priority,
                status="accepted",
            ),
        )
        accepted.append(edited)
    return accepted


def _lift(diagnosis: Assessment, accepted: list[ActionItem]) -> dict[str, float]:
    """How far each indicator moved between the diagnosis and the re-assessment."""
    worked_on = {a.indicator_key for a in accepted}
    lift: dict[str, float] = {}
    for s in diagnosis.indicators:
        if s.key in worked_on:
            lift[s.key] = LIFT_WORKED_ON
        elif s.category in FOUNDATION_CATEGORIES:
            lift[s.key] = LIFT_BY_FOUNDATION
        else:
            lift[s.key] = LIFT_ELSEWHERE
    return {**lift, **SETBACKS}


def _reassess(
    program: Program, diagnosis: Assessment, gate_day: date, lift: dict[str, float]
) -> None:
    """The re-assessment at the phase-1 gate: the same people, shorter interviews."""
    reassessment = service.start_assessment(
        program,
        service.AssessmentData(
            title="Re-assessment at the phase-1 gate",
            kind="reassessment",
            phase_ordinal=1,
            started_on=gate_day - timedelta(days=8),
            status="completed",
            completed_on=gate_day - timedelta(days=1),
            notes="Same interviewees as the diagnosis, shorter interviews.",
        ),
        copy_settings_from=diagnosis,
    )
    shorter = [
        (lv, n, r, c, max(45, mins - 15), "") for lv, n, r, c, mins, _notes in MAIN_INTERVIEWS
    ]
    _record_interviews(reassessment, shorter, gate_day - timedelta(days=7), lift)


def _small(program: Program, today: date) -> None:
    phases = {p.ordinal: p for p in program.phases}
    start = phases[0].window_start + timedelta(days=1)
    done = min(phases[0].window_end, today)
    assessment = service.start_assessment(
        program,
        service.AssessmentData(
            title="Quick maturity check",
            kind="diagnosis",
            phase_ordinal=0,
            started_on=start,
            status="completed" if done > start else "in_progress",
            completed_on=done if done > start else None,
        ),
    )
    _set_lines(assessment, competitor=False)
    _record_interviews(assessment, SMALL_INTERVIEWS, start + timedelta(days=1), {})  # type: ignore[arg-type]  # no interviews of this kind: an empty tuple of names
    service.propose_actions(assessment, limit=6)


def populate(program: Program, today: date) -> None:
    """Give the demo program believable assessment content as of ``today``."""
    try:
        service.playbook_maturity(program)
    except ValidationError:  # a playbook without a maturity model: nothing to assess
        return
    if program.playbook_id == "crm-four-100-days":
        _main(program, today)
    else:
        _small(program, today)


def _deliverables_in_chinese(diagnosis: Assessment, items: list[WorkItem]) -> None:
    """The work items made from the diagnosis's actions get the Chinese deliverable the
    service writes only in English (it names the indicator in the model's words)."""
    names = service.model_for(diagnosis, "zh")
    by_item = {a.work_item_id: a.indicator_key for a in diagnosis.actions if a.work_item_id}
    for item in items:
        key = by_item.get(item.id)
        if key:
            name = names.name(key)
            item.deliverable_zh = f"指标 {key}（{name}）的成熟度改进行动，来自“CRM 成熟度诊断”"
