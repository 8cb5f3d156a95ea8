"""Demo content for people, workload and money (issue 23).

The cast of the plan (``planner.demodata.plan.PEOPLE``) becomes the people directory: the
playbook roles are named, the risk owners written "title + name" are the same humans, and
each gets a team, a weekly capacity and a rate (CNY; the external CRM consultant bills in
EUR at the program's exchange rate). Owners work on their items (half days by default);
hours were logged on the work done; the program has a budget and fixed costs (licences,
the configurator, middleware), and a benefits case whose metrics have readings since the
phase-1 go-live of the sales foundation.

One real over-allocation: Chen Jie (sales operations) supports legacy quoting while running
the configurator's user acceptance test full time; legacy quoting support has free float,
so the leveling suggestion moves it after the test, and nothing else moves.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from planner.demodata.plan import LEAD, PEOPLE
from planner.domain.workload import week_of
from planner.extensions import db
from planner.models import (
    Assignment,
    EffortLog,
    Membership,
    MoneySettings,
    Person,
    Program,
    User,
)
from planner.services import benefits as benefit_service
from planner.services import money as money_service
from planner.services.people import list_people, merge_people, rename_owners

CONSULTANT_EMAIL = "chen.jing@consulting.example"
# name: (role, team, weekly hours, own hourly rate or None for the role's, currency)
ROSTER: dict[str, tuple[str, str, float, float | None, str | None]] = {
    "Liu Yang": ("sponsor", "Management", 8.0, None, None),
    "Wang Fang": ("project lead", "PMO", 40.0, None, None),
    "Chen Jing": ("consultant", "Consulting (external)", 32.0, 1100.0, "CNY"),
    "Anna Keller": ("crm consultant", "Consulting (external)", 40.0, 140.0, "EUR"),
    "Sun Hao": ("data steward", "IT", 40.0, None, None),
    "Sun Mei": ("business analyst", "Sales operations", 40.0, None, None),
    "Chen Jie": ("sales ops manager", "Sales operations", 40.0, None, None),
    "Li Wei": ("sales director", "Sales", 8.0, None, None),
    "Zhou Min": ("change manager", "HR", 20.0, None, None),
    "Lin Xiu": ("trainer", "HR", 32.0, None, None),
    "Huang Tao": ("integration architect", "IT", 40.0, None, None),
    "Xu Na": ("marketing manager", "Marketing", 24.0, None, None),
    "Gao Peng": ("service manager", "Service", 40.0, None, None),
    "Ma Jun": ("operations manager", "Operations", 24.0, None, None),
    "Zhao Qiang": ("IT manager", "IT", 8.0, None, None),
    "Zhou Lan": ("finance controller", "Finance", 4.0, None, None),
    "Zhang Min": ("product owner", "Sales operations", 16.0, None, None),
    "Ma Li": ("HR business partner", "HR", 8.0, None, None),
}
ROLE_RATES = {  # CNY an hour, internal staff at cost
    "sponsor": 900.0,
    "project lead": 420.0,
    "data steward": 300.0,
    "business analyst": 320.0,
    "change manager": 350.0,
    "sales ops manager": 320.0,
    "trainer": 260.0,
    "integration architect": 450.0,
    "marketing manager": 330.0,
    "service manager": 330.0,
    "operations manager": 330.0,
    "sales director": 400.0,
}
# hours a working day on an item (the owner's share), where not half a day
HOURS_A_DAY = {
    "configurator-uat": 8.0,
    "legacy-quoting-support": 6.0,
    "junk-order-review": 2.0,
    "configurator-build": 5.0,
    "order-validation": 3.0,
    "data-quality-campaign": 3.0,
    "product-catalogue": 3.0,
}
DEFAULT_HOURS_A_DAY = 4.0
# the sponsor chairs and decides: an hour a day on the sponsor's items
ROLE_HOURS_A_DAY = {"sponsor": 1.0, "sales manager": 1.0}
# the external consultant beside the owner on the method's own work
CONSULTANT_ON = {"diagnosis-plan", "roadmap", "p1-mobilise", "sfa-requirements", "p2-plan"}


def populate(program: Program, today: date) -> None:
    settings = MoneySettings(
        program_id=program.id,
        currency="CNY",
        fx_rates={"EUR": 7.8},
        discount_rate=0.08,
        horizon_months=36,
    )
    db.session.add(settings)
    db.session.flush()
    _name_people(program)
    _roster(program)
    if not program.playbook_id.startswith("crm-four"):
        return
    for role, rate in ROLE_RATES.items():
        money_service.set_role_rate(program, {"role": role, "hourly_rate": rate, "currency": "CNY"})
    _assign(program)
    _log_effort(program, today)
    _budget_and_costs(program, today)
    _benefits(program, today)


def _name_people(program: Program) -> None:
    """Playbook roles get their person; "Programme sponsor Liu Yang" is Liu Yang."""
    people = {p.name: p for p in list_people(program)}
    merges: list[tuple[Person, Person]] = []
    for person in list(people.values()):
        if person.kind == "role":
            name = PEOPLE.get(person.role.lower())
            if name is None:
                continue
            if name in people:
                merges.append((person, people[name]))
            else:
                person.name, person.kind = name, "stakeholder"
                people[name] = person
    merge_people(program, merges)  # all at once: a query per kind of row, not per role
    db.session.flush()
    people = {p.name: p for p in list_people(program)}
    merges = []
    for name, person in people.items():
        words = name.split()
        if len(words) > 2:
            short, title = " ".join(words[-2:]), " ".join(words[:-2])
            # the roster's word for the role when it has one (else one change more to show)
            title = ROSTER[short][0] if short in ROSTER else title
            if short in people:
                people[short].role = people[short].role or title
                merges.append((person, people[short]))
            else:
                person.name, person.role = short, person.role or title
                db.session.flush()
                rename_owners(person)  # "IT manager Zhao Qiang" owns as "Zhao Qiang"
    merge_people(program, merges)
    db.session.flush()


def _roster(program: Program) -> None:
    lead = db.session.scalars(
        select(User.id)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.program_id == program.id, Membership.role == "lead")
    ).first()
    people = {p.name: p for p in list_people(program)}
    if "Chen Jing" not in people:
        people["Chen Jing"] = Person(program_id=program.id, name="Chen Jing")
        db.session.add(people["Chen Jing"])
    for name, person in people.items():
        role, team, hours, rate, currency = ROSTER.get(name, (person.role, "", 40.0, None, None))
        person.role, person.team, person.capacity_hours = role, team, hours
        person.hourly_rate, person.currency = rate, currency
        if name == "Chen Jing":
            person.email = CONSULTANT_EMAIL
        if name == LEAD and lead is not None:
            person.user_id, person.kind = lead, "member"
    db.session.flush()
    sun_hao = people.get("Sun Hao")
    if sun_hao is not None:  # a week of leave at the year's end
        from planner.services.people import add_day_off

        start = week_of(program.start_date + timedelta(days=175))
        add_day_off(sun_hao, start, start + timedelta(days=4), "annual leave")


def _assign(program: Program) -> None:
    people = {p.name: p for p in list_people(program)}
    consultant = people["Chen Jing"]
    for item in program.work_items:
        if item.kind != "task":
            continue
        owner = people.get(item.owner or "")
        if owner is not None:
            default = ROLE_HOURS_A_DAY.get((item.owner_role or "").lower(), DEFAULT_HOURS_A_DAY)
            hours = HOURS_A_DAY.get(item.key, default) * item.duration_days
            db.session.add(
                Assignment(
                    program_id=program.id,
                    work_item_id=item.id,
                    person_id=owner.id,
                    planned_hours=hours,
                )
            )
        if item.key in CONSULTANT_ON and owner is not consultant:
            db.session.add(
                Assignment(
                    program_id=program.id,
                    work_item_id=item.id,
                    person_id=consultant.id,
                    planned_hours=2.0 * item.duration_days,
                )
            )
    db.session.flush()


def _log_effort(program: Program, today: date) -> None:
    """Hours per week on the work done: what was planned, a tenth more where it slipped."""
    items = {i.id: i for i in program.work_items}
    assignments = db.session.scalars(select(Assignment).where(Assignment.program_id == program.id))
    for assignment in assignments:
        item = items[assignment.work_item_id]
        if item.actual_start is None or item.actual_start >= today:
            continue
        end = min(item.actual_finish or today, today - timedelta(days=1))
        weeks = sorted(
            {
                week_of(item.actual_start + timedelta(days=d))
                for d in range((end - item.actual_start).days + 1)
            }
        )
        done = assignment.planned_hours * item.percent_complete / 100
        factor = (
            1.1
            if item.actual_finish
            and item.early_finish
            and item.actual_finish > (item.late_finish or item.actual_finish)
            else 1.0
        )
        total = round(done * factor * (1.08 if item.workstream == "data-migration" else 1.0))
        for index, week in enumerate(weeks):
            share = total / len(weeks)
            hours = min(60.0, round(share + (1 if index % 2 else -1) * min(2.0, share / 10), 1))
            db.session.add(
                EffortLog(
                    program_id=program.id,
                    person_id=assignment.person_id,
                    work_item_id=item.id,
                    week=week,
                    hours=max(0.0, hours),
                    note="",
                )
            )
    db.session.flush()


def _budget_and_costs(program: Program, today: date) -> None:
    phases = {p.ordinal: p for p in program.phases}
    for ordinal, amount in {0: 190_000, 1: 800_000, 2: 760_000, 3: 420_000, 4: 600_000}.items():
        money_service.set_budget(program, {"phase": ordinal, "amount": amount})
    money_service.set_budget(program, {"amount": 2_900_000})
    costs = [
        (1, "licence", "planned", 480_000, "CNY", 5, "CRM subscriptions, 120 users, year 1"),
        (1, "licence", "invoice", 480_000, "CNY", 10, "CRM subscriptions, 120 users, year 1"),
        (1, "training", "planned", 36_000, "CNY", 60, "Training rooms and materials"),
        (1, "training", "invoice", 41_500, "CNY", 64, "Training rooms and materials"),
        (2, "licence", "planned", 260_000, "CNY", 3, "Configurator licence"),
        (2, "services", "planned", 18_000, "EUR", 20, "Configurator vendor: rules workshop"),
        (2, "services", "invoice", 18_000, "EUR", 18, "Configurator vendor: rules workshop"),
        (3, "hardware", "planned", 150_000, "CNY", 10, "Integration middleware and servers"),
        (4, "licence", "planned", 390_000, "CNY", 5, "CRM subscriptions, roll-out users"),
    ]
    for ordinal, category, kind, amount, currency, offset, note in costs:
        day = phases[ordinal].window_start + timedelta(days=offset)
        if kind == "invoice" and day > today:
            continue
        money_service.add_cost(
            program,
            {
                "phase": ordinal,
                "category": category,
                "kind": kind,
                "amount": amount,
                "currency": currency,
                "day": day,
                "note": note,
            },
        )


BENEFITS = (
    # key, metric, baseline, target, annual value (CNY), go-live phase, ramp months
    ("forecast-accuracy", "forecast-accuracy", 60.0, 80.0, 450_000, 1, 12),
    ("retention", "retention-rate", 80.0, 85.0, 1_200_000, 1, 18),
    ("revenue-per-rep", "", 410.0, 460.0, 900_000, 1, 12),
    ("junk-order-rate", "junk-order-rate", 15.2, 5.0, 500_000, 2, 6),
    ("cost-to-serve", "", 520.0, 440.0, 300_000, 3, 12),
)
# revenue per rep (k CNY a month) read from the ERP after the sales foundation went live
REVENUE_PER_REP = ((-20, 414.0, "October, first month on the CRM"), (-2, 421.0, "November"))


def _benefits(program: Program, today: date) -> None:
    for key, metric, baseline, target, value, phase, ramp in BENEFITS:
        benefit_service.create_benefit(
            program,
            {
                "key": key,
                "metric": metric,
                "baseline": baseline,
                "target": target,
                "annual_value": value,
                "go_live_phase": phase,
                "ramp_months": ramp,
            },
        )
    revenue = next(b for b in benefit_service.list_benefits(program) if b.key == "revenue-per-rep")
    for offset, reading, note in REVENUE_PER_REP:
        benefit_service.add_benefit_reading(revenue, today + timedelta(days=offset), reading, note)
    db.session.flush()


def over_allocated_item() -> str:
    """The item whose delay the leveling suggestion should propose (tests read it)."""
    return "legacy-quoting-support"


__all__ = ["over_allocated_item", "populate"]
