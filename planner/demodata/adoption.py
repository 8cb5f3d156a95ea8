"""Demo content of the adoption area: teams and regions, the user → team lookup, an imported
usage log of the last eight weeks (generated: ``planner.demodata.usage_log``), and the
training sessions.

Northwind (150 days in, phase 2): the sales foundation went live in phase 1, so contacts,
opportunities and the calendar are used widely — except by the South sales team, which
lost its change champion and whose opportunity use is falling (the lagging team and module
the dashboard names; it matches the risk "ensuring proper use"). The key-account team leads.
Overall, about 77 % of users are active, as the metrics' story has it.

Company A (20 days in): its three departments (seed 004: sales 8, service 7, admin 3 work
stations), two weeks of log since phase 1 began, and the first training sessions.
"""

from __future__ import annotations

import io
from datetime import date, timedelta

from planner.demodata.usage_log import TeamProfile, write_usage_log
from planner.domain.usage_log import PRESETS, monday
from planner.models import Program
from planner.services import adoption as service
from planner.services import training, usage_import

# key, English, Chinese, region, profile (users, active share, module shares, ramp)
NORTHWIND: tuple[tuple[str, str, str, str, TeamProfile], ...] = (
    (
        "east-sales",
        "East sales",
        "华东销售部",
        "east",
        TeamProfile(
            "east-sales",
            24,
            0.86,
            {
                "contacts": 0.88,
                "opportunities": 0.84,
                "calendar": 0.82,
                "email": 0.62,
                "call-reports": 0.55,
                "sales-analysis": 0.48,
                "proposals": 0.36,
                "order-entry": 0.3,
                "customer-support": 0.05,
            },
        ),
    ),
    (
        "north-sales",
        "North sales",
        "华北销售部",
        "north",
        TeamProfile(
            "north-sales",
            22,
            0.8,
            {
                "contacts": 0.82,
                "opportunities": 0.78,
                "calendar": 0.74,
                "email": 0.55,
                "call-reports": 0.5,
                "sales-analysis": 0.42,
                "proposals": 0.3,
                "order-entry": 0.26,
                "customer-support": 0.05,
            },
        ),
    ),
    (
        "south-sales",
        "South sales",
        "华南销售部",
        "south",
        TeamProfile(
            "south-sales",
            20,
            0.62,
            {
                "contacts": 0.7,
                "opportunities": 0.44,
                "calendar": 0.6,
                "email": 0.42,
                "call-reports": 0.3,
                "sales-analysis": 0.22,
                "proposals": 0.12,
                "order-entry": 0.1,
                "customer-support": 0.03,
            },
            ramp=-0.12,
        ),
    ),
    (
        "key-accounts",
        "Key accounts",
        "大客户部",
        "east",
        TeamProfile(
            "key-accounts",
            10,
            0.92,
            {
                "contacts": 0.92,
                "opportunities": 0.9,
                "calendar": 0.88,
                "email": 0.72,
                "call-reports": 0.52,
                "sales-analysis": 0.64,
                "proposals": 0.56,
                "order-entry": 0.4,
                "customer-support": 0.1,
            },
        ),
    ),
    (
        "service",
        "Customer service",
        "客户服务部",
        "north",
        TeamProfile(
            "service",
            18,
            0.72,
            {
                "contacts": 0.8,
                "opportunities": 0.58,
                "calendar": 0.66,
                "email": 0.6,
                "call-reports": 0.62,
                "sales-analysis": 0.3,
                "proposals": 0.05,
                "order-entry": 0.2,
                "customer-support": 0.42,
            },
        ),
    ),
)
REGIONS = (
    ("east", "East China", "华东"),
    ("north", "North China", "华北"),
    ("south", "South China", "华南"),
)
COMPANY_A: tuple[tuple[str, str, str, str, TeamProfile], ...] = (
    (
        "sales",
        "Marketing and sales",
        "市场销售部",
        "",
        TeamProfile(
            "sales",
            8,
            0.5,
            {
                "contacts": 0.5,
                "opportunities": 0.38,
                "calendar": 0.3,
                "email": 0.25,
                "sales-analysis": 0.12,
            },
            ramp=0.4,
        ),
    ),
    (
        "service",
        "Customer service",
        "客户服务部",
        "",
        TeamProfile(
            "service",
            7,
            0.3,
            {"contacts": 0.3, "customer-support": 0.2, "calendar": 0.15},
            ramp=0.4,
        ),
    ),
    (
        "admin",
        "Administration and finance",
        "行政财务部",
        "",
        TeamProfile("admin", 3, 0.34, {"contacts": 0.34}, ramp=0.3),
    ),
)
# team, module, days from today, title, trainer, invited, attended
TRAINING = {
    "crm-four-100-days": (
        ("east-sales", "contacts", -112, "Contacts and accounts", "Chen Jie", 24, 23),
        ("north-sales", "contacts", -111, "Contacts and accounts", "Chen Jie", 22, 20),
        ("south-sales", "contacts", -110, "Contacts and accounts", "Chen Jie", 20, 15),
        ("key-accounts", "contacts", -109, "Contacts and accounts", "Chen Jie", 10, 10),
        ("east-sales", "opportunities", -98, "Opportunities and the pipeline", "Li Wei", 24, 22),
        ("north-sales", "opportunities", -97, "Opportunities and the pipeline", "Li Wei", 22, 19),
        ("south-sales", "opportunities", -96, "Opportunities and the pipeline", "Li Wei", 20, 11),
        ("key-accounts", "opportunities", -95, "Opportunities and the pipeline", "Li Wei", 10, 9),
        ("service", "contacts", -90, "Contacts for service staff", "Chen Jie", 18, 16),
        ("east-sales", "calendar", -84, "Calendar and visit planning", "Chen Jie", 24, 21),
        ("south-sales", "calendar", -83, "Calendar and visit planning", "Chen Jie", 20, 12),
        ("south-sales", "opportunities", -12, "Opportunities: refresher", "Li Wei", 20, 9),
    ),
    "small-business-quick-start": (
        ("sales", "contacts", -8, "Customers and prospects", "Vendor consultant", 8, 8),
        ("service", "customer-support", -6, "Service records", "Vendor consultant", 7, 6),
        ("admin", "contacts", -5, "Customer base data", "Vendor consultant", 3, 2),
    ),
}
WEEKS = {"crm-four-100-days": 8, "small-business-quick-start": 2}


def populate(program: Program, today: date) -> None:
    teams = NORTHWIND if program.playbook_id == "crm-four-100-days" else COMPANY_A
    if program.playbook_id not in WEEKS or service.adoption_model(program) is None:
        return
    if program.playbook_id == "crm-four-100-days":
        for key, en, zh in REGIONS:
            service.save_value(program, "region", key, en, zh)
    for key, en, zh, _region, _profile in teams:
        service.save_value(program, "team", key, en, zh)
    service.replace_user_teams(
        program, [(u, key, region) for key, _, _, region, p in teams for u in p.user_names()]
    )
    weeks = WEEKS[program.playbook_id]
    first = monday(today) - timedelta(weeks=weeks)
    text = io.StringIO()
    write_usage_log(text, [t[4] for t in teams], first, weeks, seed=program.id)
    body = io.BytesIO(text.getvalue().encode("utf-8"))
    usage_import.save_mapping(program, "generic", PRESETS["generic"].mapping)
    usage_import.import_usage(
        program, body, f"crm-usage-{first.isoformat()}.csv", PRESETS["generic"].mapping, "generic"
    )
    sessions: list[training.SessionInput] = []
    for team, module, offset, title, trainer, invited, attended in TRAINING[program.playbook_id]:
        day = today + timedelta(days=offset)
        sessions.append(training.SessionInput(team, module, day, title, trainer, invited, attended))
    # all at once: one flush, and the readings written once from every session
    training.add_sessions(program, sessions)
