"""Budget and cost: rates per person or role, fixed costs and invoices, the planned cost of
the schedule, the actual cost of logged effort and invoices, per phase and workstream
budget / planned / actual / forecast at completion, and earned value.

Every amount is in the program's currency (others are converted with the program's
exchange rates; a currency without a rate is refused when entered). Planned value follows
the first baseline's dates (the kick-off plan: the performance measurement baseline) and the
live schedule for items added since.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select

from planner.domain.days import NotADay, parse_day
from planner.domain.errors import Problem, ValidationError
from planner.domain.evm import EarnedValue, ItemValue, earned_value
from planner.extensions import db
from planner.models import (
    Assignment,
    Baseline,
    BaselineItem,
    BudgetLine,
    CostEntry,
    EffortLog,
    MoneySettings,
    Person,
    Phase,
    Program,
    RoleRate,
    WorkItem,
)
from planner.models.money import COST_CATEGORIES, COST_KINDS
from planner.services.concurrency import check_version
from planner.services.money_input import currency, number, settings_of, text, to_program_currency
from planner.services.plan import workstreams
from planner.services.scheduling import status_date_of

# --------------------------------------------------------------------------- input


def update_settings(program: Program, data: Mapping[str, Any], version: Any) -> MoneySettings:
    """Currency, exchange rates (``fx_rates`` as {code: rate}), discount rate (%), horizon."""
    settings = settings_of(program)
    check_version(settings, version)
    problems: list[Problem] = []
    code = str(data.get("currency") or settings.currency).strip().upper()
    rates: dict[str, float] = {}
    for raw_code, raw_rate in dict(data.get("fx_rates") or {}).items():
        other = str(raw_code).strip().upper()
        value = number({"rate": raw_rate}, "rate", [], low=0.0)
        if len(other) != 3 or not other.isalpha():
            problems.append(Problem("fx_rates", "money.currency_code", {"value": other}))
        elif value is None or value <= 0:
            problems.append(Problem(f"fx_rates.{other}", "money.rate_positive"))
        else:
            rates[other] = value
    if len(code) != 3 or not code.isalpha():
        problems.append(Problem("currency", "money.currency_code", {"value": code}))
    rate = number(data, "discount_rate", problems, high=100.0)
    horizon = number(data, "horizon_months", problems, low=1.0, high=240.0)
    if problems:
        raise ValidationError(problems=problems)
    used = _currencies_in_use(program) - {code} - set(rates)
    if used:
        raise ValidationError(
            problems=[
                Problem(
                    "currency",
                    "money.currency_without_rate",
                    {"currency": sorted(used)[0], "program": code},
                )
            ]
        )
    settings.currency = code
    settings.fx_rates = rates
    settings.discount_rate = (rate or 0) / 100
    settings.horizon_months = int(horizon or 36)
    db.session.flush()
    return settings


def _currencies_in_use(program: Program) -> set[str]:
    found: set[str] = set()
    for model in (CostEntry, RoleRate, Person):
        found |= {
            c
            for c in db.session.scalars(
                select(model.currency).where(model.program_id == program.id).distinct()
            )
            if c
        }
    return found


def set_role_rate(program: Program, data: Mapping[str, Any]) -> RoleRate:
    problems: list[Problem] = []
    role = text(data, "role", problems, limit=120, required=True)
    rate = number(data, "hourly_rate", problems)
    code = currency(data, "currency", problems, settings_of(program))
    if problems:
        raise ValidationError(problems=problems)
    row = db.session.scalars(
        select(RoleRate).where(RoleRate.program_id == program.id, RoleRate.role == role)
    ).first()
    if row is None:
        row = RoleRate(program_id=program.id, role=role, hourly_rate=rate, currency=code)
        db.session.add(row)
    else:
        row.hourly_rate, row.currency = float(rate or 0), code
    db.session.flush()
    return row


def add_cost(program: Program, data: Mapping[str, Any]) -> CostEntry:
    """A fixed cost (planned) or an invoice (actual) on an item, a phase or a workstream."""
    problems: list[Problem] = []
    amount = number(data, "amount", problems)
    code = currency(data, "currency", problems, settings_of(program))
    kind = str(data.get("kind") or "planned")
    if kind not in COST_KINDS:
        problems.append(Problem("kind", "field.not_a_choice", {"value": kind}))
    category = str(data.get("category") or "other")
    if category not in COST_CATEGORIES:
        problems.append(Problem("category", "field.not_a_choice", {"value": category}))
    day = _day(data, problems)
    item_id, phase_id = _target(program, data, problems)
    note = text(data, "note", problems, limit=2000)
    workstream = _workstream(program, data, problems)
    if problems:
        raise ValidationError(problems=problems)
    entry = CostEntry(
        program_id=program.id,
        phase_id=phase_id,
        work_item_id=item_id,
        workstream=workstream,
        kind=kind,
        category=category,
        amount=amount,
        currency=code,
        day=day,
        note=note,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def _day(data: Mapping[str, Any], problems: list[Problem]) -> date:
    raw = data.get("day")
    if isinstance(raw, date):
        return raw
    try:
        return parse_day(str(raw or ""))
    except (NotADay, ValueError):
        problems.append(Problem("day", "field.not_a_date"))
        return date.min


def _target(
    program: Program, data: Mapping[str, Any], problems: list[Problem]
) -> tuple[int | None, int | None]:
    item_key = str(data.get("item") or "").strip()
    phase_raw = data.get("phase")
    item_id = phase_id = None
    if item_key:
        item = db.session.scalars(
            select(WorkItem).where(WorkItem.program_id == program.id, WorkItem.key == item_key)
        ).first()
        if item is None:
            problems.append(Problem("item", "field.unknown_reference", {"value": item_key}))
        else:
            item_id, phase_id = item.id, item.phase_id
    if phase_raw not in (None, "") and phase_id is None:
        phase = db.session.scalars(
            select(Phase).where(Phase.program_id == program.id, Phase.ordinal == _int(phase_raw))
        ).first()
        if phase is None:
            problems.append(Problem("phase", "field.unknown_reference", {"value": phase_raw}))
        else:
            phase_id = phase.id
    return item_id, phase_id


def _workstream(program: Program, data: Mapping[str, Any], problems: list[Problem]) -> str | None:
    """One of the program's workstreams (those its items name), or None; an unknown one is
    refused, else its money would land where no report shows it."""
    name = text(data, "workstream", problems, limit=64) or None
    if name is not None:
        if name not in workstreams(program):
            problems.append(Problem("workstream", "field.unknown_reference", {"value": name}))
    return name


def _int(raw: Any) -> int:
    try:
        return int(str(raw))
    except ValueError:
        return -1


def set_budget(program: Program, data: Mapping[str, Any]) -> BudgetLine:
    """The budget of a phase (``phase`` ordinal), a workstream, or the program (neither)."""
    problems: list[Problem] = []
    amount = number(data, "amount", problems)
    _item, phase_id = _target(program, {"phase": data.get("phase")}, problems)
    workstream = _workstream(program, data, problems)
    if problems:
        raise ValidationError(problems=problems)
    line = db.session.scalars(
        select(BudgetLine).where(
            BudgetLine.program_id == program.id,
            BudgetLine.phase_id.is_(None) if phase_id is None else BudgetLine.phase_id == phase_id,
            BudgetLine.workstream.is_(None)
            if workstream is None
            else BudgetLine.workstream == workstream,
        )
    ).first()
    if line is None:
        line = BudgetLine(
            program_id=program.id, phase_id=phase_id, workstream=workstream, amount=amount
        )
        db.session.add(line)
    else:
        line.amount = float(amount or 0)
    db.session.flush()
    return line


# --------------------------------------------------------------------------- figures


@dataclass
class Group:
    """Budget, planned, actual and forecast of a phase, a workstream or the program."""

    label: str
    budget: float | None = None
    items: list[ItemValue] = field(default_factory=list)
    fixed_planned: float = 0.0
    invoiced: float = 0.0
    ev: EarnedValue | None = None

    @property
    def planned(self) -> float:
        return (self.ev.bac if self.ev else 0.0) + self.fixed_planned

    @property
    def actual(self) -> float:
        return (self.ev.ac if self.ev else 0.0) + self.invoiced

    @property
    def forecast(self) -> float:
        """Estimate at completion: labour at the cost performance so far, plus fixed costs
        (at least what was already invoiced)."""
        labour = self.ev.eac if self.ev else 0.0
        return labour + max(self.fixed_planned, self.invoiced)

    @property
    def over_budget(self) -> bool:
        return self.budget is not None and self.forecast > self.budget + 0.005


@dataclass
class CostReport:
    currency: str
    status: date
    program: Group
    phases: list[tuple[Phase, Group]]
    workstreams: list[tuple[str, Group]]
    monthly_cost: dict[date, float]  # planned cost per month (first day), for ROI


def _rates(program: Program, settings: MoneySettings) -> dict[int, float]:
    """Hourly cost per person id: their own rate, else their role's rate, else 0."""
    roles = {
        r.role.lower(): to_program_currency(r.hourly_rate, r.currency, settings)
        for r in db.session.scalars(select(RoleRate).where(RoleRate.program_id == program.id))
    }
    rates = {}
    for person in db.session.scalars(select(Person).where(Person.program_id == program.id)):
        if person.hourly_rate is not None:
            rates[person.id] = to_program_currency(person.hourly_rate, person.currency, settings)
        else:
            rates[person.id] = roles.get(person.role.lower(), 0.0)
    return rates


def hourly_rates(program: Program) -> dict[int, float]:
    """Hourly cost per person id in the program's currency (own rate, else role's, else 0)."""
    return _rates(program, settings_of(program))


def _planned_dates(program: Program) -> dict[int, tuple[date, date]]:
    first = db.session.scalars(
        select(Baseline).where(Baseline.program_id == program.id).order_by(Baseline.taken_at)
    ).first()
    if first is None:
        return {}
    rows = db.session.scalars(select(BaselineItem).where(BaselineItem.baseline_id == first.id))
    return {r.work_item_id: (r.start, r.finish) for r in rows if r.work_item_id is not None}


def _budgets(
    program: Program, whole: Group, by_phase: dict[int, Group], by_stream: dict[str, Group]
) -> None:
    """Put each budget line on its group: the program's, a phase's or a workstream's."""
    for line in db.session.scalars(select(BudgetLine).where(BudgetLine.program_id == program.id)):
        if line.phase_id is None and line.workstream is None:
            whole.budget = line.amount
        elif line.phase_id in by_phase and line.workstream is None:
            by_phase[line.phase_id].budget = line.amount
        elif line.workstream is not None and line.phase_id is None:
            by_stream[line.workstream].budget = line.amount


def cost_report(program: Program, today: date | None = None) -> CostReport:
    settings = settings_of(program)
    status = status_date_of(program, today)
    items = {
        i.id: i
        for i in db.session.scalars(select(WorkItem).where(WorkItem.program_id == program.id))
    }
    phases = sorted(program.phases, key=lambda p: p.ordinal)
    groups = _Groups(Group("program"), {p.id: Group(p.key) for p in phases})
    _add_work(program, _rates(program, settings), items, groups)
    for entry in db.session.scalars(select(CostEntry).where(CostEntry.program_id == program.id)):
        amount = to_program_currency(entry.amount, entry.currency, settings)
        groups.add_entry(entry, amount, items)
    _budgets(program, groups.program, groups.by_phase, groups.by_stream)
    for group in [groups.program, *groups.by_phase.values(), *groups.by_stream.values()]:
        group.ev = earned_value(group.items, status)
    if groups.program.budget is None and any(g.budget for g in groups.by_phase.values()):
        groups.program.budget = sum(g.budget or 0 for g in groups.by_phase.values())
    return CostReport(
        settings.currency,
        status,
        groups.program,
        [(p, groups.by_phase[p.id]) for p in phases],
        sorted(((k, g) for k, g in groups.by_stream.items() if k), key=lambda kv: kv[0]),
        dict(sorted(groups.monthly.items())),
    )


@dataclass
class _Groups:
    """The groups a cost report adds up: the program, each phase, each workstream ("" none),
    and the planned cost by month."""

    program: Group
    by_phase: dict[int, Group]
    by_stream: defaultdict[str, Group] = field(
        default_factory=lambda: defaultdict(lambda: Group(""))
    )
    monthly: defaultdict[date, float] = field(default_factory=lambda: defaultdict(float))

    def add_item(self, item: WorkItem, value: ItemValue) -> None:
        for group in (
            self.program,
            self.by_phase[item.phase_id],
            self.by_stream[item.workstream or ""],
        ):
            group.items.append(value)
        self.monthly[date(value.start.year, value.start.month, 1)] += value.budget

    def add_entry(self, entry: CostEntry, amount: float, items: dict[int, WorkItem]) -> None:
        """A fixed cost or an invoice, on the program, its workstream (its item's) and phase."""
        item = items.get(entry.work_item_id) if entry.work_item_id is not None else None
        stream = item.workstream if item is not None else entry.workstream
        groups = [self.program, self.by_stream[stream or ""]]
        if entry.phase_id in self.by_phase:
            groups.append(self.by_phase[entry.phase_id])
        for group in groups:
            if entry.kind == "invoice":
                group.invoiced += amount
            else:
                group.fixed_planned += amount
        if entry.kind == "planned":
            self.monthly[date(entry.day.year, entry.day.month, 1)] += amount


def _add_work(
    program: Program, rates: dict[int, float], items: dict[int, WorkItem], groups: _Groups
) -> None:
    """Each item with planned or logged hours, costed at the people's rates, on its groups
    over its baseline dates (else its scheduled ones)."""
    baseline = _planned_dates(program)
    budget: defaultdict[int, float] = defaultdict(float)
    actual: defaultdict[int, float] = defaultdict(float)
    for a in db.session.scalars(select(Assignment).where(Assignment.program_id == program.id)):
        budget[a.work_item_id] += a.planned_hours * rates.get(a.person_id, 0.0)
    for log in db.session.scalars(select(EffortLog).where(EffortLog.program_id == program.id)):
        actual[log.work_item_id] += log.hours * rates.get(log.person_id, 0.0)
    for item_id, item in items.items():
        if item_id not in budget and item_id not in actual:
            continue
        start, finish = baseline.get(item_id) or (item.early_start, item.early_finish)
        if start is None or finish is None:
            continue
        value = ItemValue(budget[item_id], start, finish, item.percent_complete, actual[item_id])
        groups.add_item(item, value)


def cost_entries(program: Program) -> list[CostEntry]:
    return list(
        db.session.scalars(
            select(CostEntry).where(CostEntry.program_id == program.id).order_by(CostEntry.day)
        )
    )


def role_rates(program: Program) -> list[RoleRate]:
    return list(
        db.session.scalars(
            select(RoleRate).where(RoleRate.program_id == program.id).order_by(RoleRate.role)
        )
    )
