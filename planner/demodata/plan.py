"""Demo content for the plan area: people, holidays, believable progress and two baselines.

As of ``today``: what was planned at kick-off is kept as a baseline; the work that should be
over happened (a few items ran a few days long), the diagnosis's end is a second baseline,
work under way has progress, and in the four-100-day playbook a scope change to the
configurator makes phase 2 overrun its window while phase 3 still holds — so the critical
path runs through the overrunning phase. Then the plan is rescheduled.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta

from planner.domain.holiday_sets import CN_MAINLAND
from planner.domain.schedule import ItemSchedule
from planner.extensions import db
from planner.models import Program, WorkItem
from planner.services.holiday_sets import apply_holiday_set
from planner.services.plan import record_baseline
from planner.services.replan import replan_program
from planner.services.scheduling import compute, load_network, program_calendar, reschedule

# one cast across the demo (plan owners, risk owners, review attendees, gate decisions,
# interviews): Liu Yang is the sponsor and general manager who chairs the steering
# committee, Li Wei the sales director, Wang Fang the project lead
PEOPLE = {
    "consultant": "Chen Jing",
    "sponsor": "Liu Yang",
    "project lead": "Wang Fang",
    "data steward": "Sun Hao",
    "business analyst": "Sun Mei",
    "change manager": "Zhou Min",
    "crm consultant": "Anna Keller",
    "sales ops manager": "Chen Jie",
    "trainer": "Lin Xiu",
    "integration architect": "Huang Tao",
    "marketing manager": "Xu Na",
    "service manager": "Gao Peng",
    "operations manager": "Ma Jun",
    "general manager": "Liu Yang",
    "sales manager": "Li Wei",
}
LEAD = "Wang Fang"

# working days each item ran longer than planned
SLIPS = {
    "staff-briefing": 1,
    "data-systems-inventory": 2,
    "interviews-front-line": 1,
    "data-profiling": 2,
    "sfa-configuration": 3,
    "training-design": 2,
    "contact-migration": 2,
    "quoting-requirements": 2,
    "product-catalogue": 3,
}
SCOPE_CHANGE_ITEM = "configurator-build"


def populate(program: Program, today: date) -> None:
    """Give the demo program believable plan content as of ``today``."""
    _people(program)
    _holidays(program)
    db.session.flush()
    if program.start_date >= today:
        reschedule(program, today)
        return
    network = load_network(program)
    items = network.items
    with db.session.no_autoflush:
        planned = compute(network, today=program.start_date).items
    record_baseline(
        program,
        "Kick-off plan",
        _dates(items, planned),
        taken_at=datetime.combine(program.start_date, time(17, 30)),
        taken_by=LEAD,
        status_date=program.start_date,
    )
    history, slips = _history(program, items, today)
    diagnosis = program.phases[0]
    after_diagnosis = diagnosis.window_end + timedelta(days=1)
    if after_diagnosis < today:
        # the diagnosis is over: its items are done as they happened, then the roadmap baseline
        for item in items:
            if item.phase_id == diagnosis.id:
                _done(item, history[item.key])
        # the roadmap is agreed when the diagnosis's last item is done: a holiday in the
        # diagnosis (Spring Festival) can push that past the window's end
        finished = [
            i.actual_finish for i in items if i.phase_id == diagnosis.id and i.actual_finish
        ]
        agreed_on = max([after_diagnosis, *(day + timedelta(days=1) for day in finished)])
        with db.session.no_autoflush:
            agreed = compute(network, today=agreed_on).items
        record_baseline(
            program,
            f"End of {diagnosis.name}"[:200],
            _dates(items, agreed),
            taken_at=datetime.combine(agreed_on, time(9, 15)),
            taken_by=LEAD,
            status_date=agreed_on,
        )
    for item in items:
        _progress(item, history[item.key], today, program, slips.get(item.key, 0))
    _scope_change(program, network, today)
    program.status = "active"
    reschedule(program, today)


def _people(program: Program) -> None:
    for item in program.work_items:
        if item.owner is None and item.owner_role:
            item.owner = PEOPLE.get(item.owner_role.lower(), item.owner_role.title())


DIAGNOSIS_WEEKS = 5


def _holidays(program: Program) -> None:
    """Mainland China's public holidays and make-up working days over the program's span
    (Spring Festival, a week of National Day, …): the holiday set a client in China picks.
    A diagnosis with a holiday in it then takes five weeks instead of four (the lead's replan
    at kick-off: the interviews do not fit four weeks with a holiday in them)."""
    apply_holiday_set(program, CN_MAINLAND)
    diagnosis = next((p for p in program.phases if p.kind == "diagnosis"), None)
    if diagnosis is None:
        return
    off = {e.day for e in program.calendar_exceptions if not e.working}
    holiday_inside = any(diagnosis.window_start <= day <= diagnosis.window_end for day in off)
    days = (diagnosis.window_end - diagnosis.window_start).days + 1
    # only a diagnosis counted in weeks (the four-100-days method's 1–8); the quick start's
    # ten-day diagnosis is not
    in_weeks = days % 7 == 0 and days < 7 * DIAGNOSIS_WEEKS
    if holiday_inside and in_weeks:
        replan_program(
            program, start_date=None, diagnosis_weeks=DIAGNOSIS_WEEKS, version=program.version
        )


def _history(
    program: Program, items: list[WorkItem], today: date
) -> tuple[Mapping[str, ItemSchedule], dict[str, int]]:
    """When each item happened (or would have, from kick-off) with the days it ran long.

    Slips are dropped again in a phase that is over if they would have made it overrun
    (holidays can eat a short phase's slack): the demo's one overrun is the current phase.
    """
    planned = {item.key: item.duration_days for item in items}
    past = {p.key: p.id for p in program.phases if p.window_end < today}
    excused: set[int] = set()
    for _attempt in range(len(past) + 1):
        slips = {
            item.key: SLIPS.get(item.key, 0)
            for item in items
            if planned[item.key] and item.phase_id not in excused
        }
        for item in items:
            item.duration_days = planned[item.key] + slips.get(item.key, 0)
        with db.session.no_autoflush:
            result = compute(load_network(program), today=program.start_date)
        overrun = {past[o.phase] for o in result.overruns if o.phase in past} - excused
        if not overrun:
            break
        excused |= overrun
    for item in items:
        item.duration_days = planned[item.key]
    return result.items, slips


def _done(item: WorkItem, happened: ItemSchedule) -> None:
    item.actual_start = happened.early_start
    item.actual_finish = happened.early_finish
    item.percent_complete = 100


def _progress(
    item: WorkItem, happened: ItemSchedule, today: date, program: Program, slip: int
) -> None:
    if item.actual_finish is not None:
        return
    if happened.early_finish < today:
        _done(item, happened)
    elif happened.early_start < today and not item.is_milestone:
        item.actual_start = happened.early_start
        calendar = program_calendar(program)
        elapsed = max(1, calendar.workdays_between(happened.early_start, today))
        length = item.duration_days + slip
        share = min(0.9, elapsed / max(1, length))
        item.percent_complete = max(5, min(90, int(round(share * 20)) * 5))


def _scope_change(program: Program, network, today: date) -> None:
    """Grow the configurator so phase 2, and only phase 2 of those ahead, overruns its window."""
    item = next((i for i in network.items if i.key == SCOPE_CHANGE_ITEM), None)
    if item is None or item.actual_finish is not None:
        return
    phase_key = item.phase.key
    ahead = {p.key for p in program.phases if p.window_end >= today}
    base = item.duration_days
    best = None
    with db.session.no_autoflush:
        for extra in range(0, 31):
            item.duration_days = base + extra
            overruns = {o.phase for o in compute(network, today=today).overruns} & ahead
            if overruns == {phase_key}:
                best = extra
            elif best is not None:
                break
    item.duration_days = base + (best if best is not None else 10)


def _dates(
    items: list[WorkItem], computed: Mapping[str, ItemSchedule]
) -> dict[str, tuple[date, date, int]]:
    return {
        item.key: (
            computed[item.key].early_start,
            computed[item.key].early_finish,
            item.duration_days,
        )
        for item in items
    }
