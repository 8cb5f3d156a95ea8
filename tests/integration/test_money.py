"""People, effort, workload, costs and benefits through the services and pages: owners are
people, bad input is refused with its field named and nothing stored, imports are
all-or-nothing, and the demo's one over-allocation is removed by the leveling suggestion."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from planner.domain.errors import ImportFormatError, ValidationError
from planner.models import Assignment, CostEntry, EffortLog, Person, Program, Risk, WorkItem
from planner.services import effort, money, people
from planner.services.playbooks import get_playbook
from planner.services.programs import create_program

DEMO_DAY = date(2026, 11, 30)


@pytest.fixture()
def program(db):  # type: ignore[no-untyped-def]
    made = create_program(
        get_playbook("crm-four-100-days"), name="M", client="C", start_date=date(2026, 1, 5)
    )
    db.session.commit()
    return made


def _codes(exc: ValidationError) -> set[tuple[str, str]]:
    return {(p.field, p.code) for p in exc.problems}


def test_playbook_roles_become_people_to_name(db, program) -> None:  # type: ignore[no-untyped-def]
    roles = {p.role: p for p in people.list_people(program) if p.kind == "role"}
    assert {"data steward", "sponsor", "consultant"} <= set(roles)
    item = db.session.scalars(
        select(WorkItem).where(WorkItem.program_id == program.id, WorkItem.key == "data-profiling")
    ).one()
    assert item.owner_person_id == roles["data steward"].id and item.owner is None
    sun = people.create_person(program, {"name": "Sun Hao", "capacity_hours": "40"})
    people.merge_person(program, roles["data steward"], sun)
    db.session.commit()
    assert item.owner == "Sun Hao" and item.owner_person_id == sun.id
    assert db.session.get(Person, roles["data steward"].id) is None


def test_owner_text_links_to_a_person_and_follows_a_rename(db, program) -> None:  # type: ignore[no-untyped-def]
    risk = program.risks[0]
    risk.owner = "Zhao Qiang"
    db.session.commit()
    person = db.session.get(Person, risk.owner_person_id)
    assert person is not None and person.name == "Zhao Qiang"
    data = {"name": "Zhao Qiang (IT)", "capacity_hours": "8"}
    people.update_person(program, person, data, person.version)
    db.session.commit()
    assert db.session.get(Risk, risk.id).owner == "Zhao Qiang (IT)"


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({"name": "A", "capacity_hours": "169"}, ("capacity_hours", "money.capacity_range")),
        ({"name": "A", "capacity_hours": "-1"}, ("capacity_hours", "money.negative")),
        ({"name": "A", "capacity_percent": "500"}, ("capacity_percent", "field.out_of_range")),
        ({"name": "A", "hourly_rate": "-5"}, ("hourly_rate", "money.negative")),
        ({"name": "A", "hourly_rate": "100", "currency": "EUR"},
         ("currency", "money.currency_without_rate")),
        ({"name": "", "capacity_hours": "4"}, ("name", "field.required")),
    ],
)  # fmt: skip
def test_bad_person_refused_with_field_nothing_stored(db, program, data, problem) -> None:  # type: ignore[no-untyped-def]
    before = db.session.scalar(select(func.count(Person.id)))
    with pytest.raises(ValidationError) as caught:
        people.create_person(program, data)
    db.session.rollback()
    assert problem in _codes(caught.value)
    assert db.session.scalar(select(func.count(Person.id))) == before


def test_effort_refused_for_unknown_people_and_negative_hours(db, program) -> None:  # type: ignore[no-untyped-def]
    people.create_person(program, {"name": "Ann", "capacity_hours": "40"})
    db.session.commit()
    with pytest.raises(ValidationError) as caught:
        effort.log_effort(program, {"person": "Nobody", "item": "roadmap", "week": "2026-02-02",
                                    "hours": "-3"})  # fmt: skip
    assert {("person", "money.unknown_person"), ("hours", "money.negative")} <= _codes(caught.value)
    with pytest.raises(ValidationError) as caught:
        effort.set_assignment(program, {"person": "Ann", "item": "roadmap", "planned_hours": "-1"})
    assert ("planned_hours", "money.negative") in _codes(caught.value)
    db.session.rollback()
    assert db.session.scalar(select(func.count(EffortLog.id))) == 0
    assert db.session.scalar(select(func.count(Assignment.id))) == 0


def test_timesheet_import_is_all_or_nothing(db, program) -> None:  # type: ignore[no-untyped-def]
    people.create_person(program, {"name": "Ann", "capacity_hours": "40"})
    db.session.commit()
    good = "person,item,week,hours\nAnn,roadmap,2026-02-04,12\nAnn,diagnosis-plan,2026-02-02,6\n"
    bad = good + "Bob,roadmap,2026-02-04,5\nAnn,roadmap,2026-02-11,200\n"
    with pytest.raises(ImportFormatError) as caught:
        effort.import_timesheet(program, bad.encode(), "t.csv")
    db.session.rollback()
    assert {("line 4: person", "money.unknown_person"),
            ("line 5: hours", "money.week_hours_range")} <= _codes(caught.value)  # fmt: skip
    assert db.session.scalar(select(func.count(EffortLog.id))) == 0
    assert effort.import_timesheet(program, good.encode(), "t.csv") == 2
    db.session.commit()
    weeks = set(db.session.scalars(select(EffortLog.week)))
    assert weeks == {date(2026, 2, 2)}  # any day of the week is its Monday


def test_mixed_currency_needs_a_rate(db, program) -> None:  # type: ignore[no-untyped-def]
    cost = {"amount": "1000", "currency": "EUR", "day": "2026-02-02", "kind": "planned"}
    with pytest.raises(ValidationError) as caught:
        money.add_cost(program, cost)
    assert ("currency", "money.currency_without_rate") in _codes(caught.value)
    db.session.rollback()
    assert db.session.scalar(select(func.count(CostEntry.id))) == 0
    settings = money.settings_of(program)
    money.update_settings(
        program,
        {"currency": "CNY", "fx_rates": {"EUR": "7"}, "discount_rate": "8", "horizon_months": "36"},
        settings.version,
    )
    money.add_cost(program, cost)
    db.session.commit()
    report = money.cost_report(program, date(2026, 3, 1))
    assert report.program.planned == pytest.approx(7000)


def test_cost_report_sums_rates_times_hours(db, program) -> None:  # type: ignore[no-untyped-def]
    ann = people.create_person(program, {"name": "Ann", "capacity_hours": "40", "role": "analyst"})
    money.set_role_rate(program, {"role": "analyst", "hourly_rate": "300"})
    effort.set_assignment(program, {"person": "Ann", "item": "roadmap", "planned_hours": "20"})
    effort.log_effort(program, {"person": "Ann", "item": "roadmap", "week": "2026-02-02",
                                "hours": "5"})  # fmt: skip
    db.session.commit()
    report = money.cost_report(program, date(2026, 6, 1))
    assert report.program.ev is not None
    assert (report.program.planned, report.program.actual) == (6000, 1500)
    assert ann.identity.startswith("person:")


@pytest.fixture()
def northwind(db):  # type: ignore[no-untyped-def]
    from tests.integration.demo_copy import load_demo_copy

    load_demo_copy(DEMO_DAY)
    return db.session.scalars(select(Program).where(Program.name.startswith("Northwind"))).one()


def test_demo_has_one_over_allocation_the_leveling_removes(db, northwind) -> None:  # type: ignore[no-untyped-def]
    from planner.demodata.money import over_allocated_item
    from planner.services import workload

    everyone = list(db.session.scalars(select(Program)))
    view = workload.build_workload(everyone, today=DEMO_DAY, weeks_after=52)
    over = view.overloaded_people
    assert [r.name for r in over] == ["Chen Jie"]
    suggestion = workload.suggest_leveling(northwind, [p for p in everyone if p != northwind],
                                           today=DEMO_DAY)  # fmt: skip
    assert suggestion.before > 0 and suggestion.after == 0
    assert [d.item for d in suggestion.delays] == [f"{northwind.id}:{over_allocated_item()}"]
    assert all(0 < d.days <= d.free_float for d in suggestion.delays)
    scenario = workload.leveling_scenario(northwind, suggestion, "Leveling")
    db.session.commit()
    live = {i.key: (i.constraint_type, i.constraint_date) for i in northwind.work_items}
    changed = [
        i["key"]
        for i in scenario.plan["items"]
        if (i["constraint_type"], i["constraint_date"] and date.fromisoformat(i["constraint_date"]))
        != live[i["key"]]
    ]
    assert changed == [over_allocated_item()]


def test_demo_people_are_one_cast(db, northwind) -> None:  # type: ignore[no-untyped-def]
    names = {p.name for p in people.list_people(northwind)}
    assert "Liu Yang" in names and not any(" Liu Yang" in n for n in names)
    assert all(p.kind != "role" for p in people.list_people(northwind))
    sponsor = next(p for p in people.list_people(northwind) if p.name == "Liu Yang")
    assert sponsor.role == "sponsor"


def test_demo_benefits_after_phase_one_go_live(db, northwind) -> None:  # type: ignore[no-untyped-def]
    from planner.services.benefits import benefits_case

    case = benefits_case(northwind, DEMO_DAY)
    assert case.roi is not None and case.roi > 0
    assert case.payback_months is not None
    live = [line for line in case.lines if line.go_live and line.go_live <= DEMO_DAY]
    assert live and all(line.latest is not None for line in live)
    assert case.realised_to_date > 0


@pytest.mark.parametrize("lang", ["en", "zh_Hans_CN"])
def test_pages_render(client, northwind, lang) -> None:  # type: ignore[no-untyped-def]
    client.post("/language", data={"lang": lang})
    pid = northwind.id
    for path in ("people", "workload", "effort", "money", "benefits"):
        response = client.get(f"/programs/{pid}/{path}")
        assert response.status_code == 200, path
        heading = "人员与资金" if lang.startswith("zh") else "People &amp; money"
        assert heading in response.get_data(as_text=True), path
    assert client.get("/workload").status_code == 200
    book = client.get(f"/programs/{pid}/money.xlsx")
    assert book.status_code == 200 and book.data[:2] == b"PK"


def test_capacity_form_names_the_field(client, program) -> None:  # type: ignore[no-untyped-def]
    client.post("/language", data={"lang": "en"})
    response = client.post(
        f"/programs/{program.id}/people", data={"name": "X", "capacity_hours": "200"}
    )
    assert response.status_code == 422
    assert b"at most 168 hours" in response.data


def test_benefit_review_gate_reads_the_case(client, northwind) -> None:  # type: ignore[no-untyped-def]
    client.post("/language", data={"lang": "en"})
    review = client.get(f"/programs/{northwind.id}/gates/4")
    assert review.status_code == 200
    assert b"Benefit review: the benefits case" in review.data
    other = client.get(f"/programs/{northwind.id}/gates/2")
    assert b"Benefit review: the benefits case" not in other.data


def test_timesheet_from_xlsx_and_capacity_in_percent(db, program) -> None:  # type: ignore[no-untyped-def]
    import io

    from openpyxl import Workbook

    half = people.create_person(program, {"name": "Ann", "capacity_percent": "50"})
    assert half.capacity_hours == 20
    book = Workbook()
    sheet = book.active
    sheet.append(["人员", "任务", "周", "工时"])
    sheet.append(["Ann", "roadmap", date(2026, 2, 5), 7.5])
    data = io.BytesIO()
    book.save(data)
    assert effort.import_timesheet(program, data.getvalue(), "hours.xlsx") == 1
    db.session.commit()
    log = db.session.scalars(select(EffortLog)).one()
    assert (log.week, log.hours) == (date(2026, 2, 2), 7.5)


def test_currency_defaults_to_cny_for_chinese_programs(db) -> None:  # type: ignore[no-untyped-def]
    from planner.services.money_input import settings_of

    chinese = create_program(get_playbook("crm-four-100-days"), name="CN", client="C",
                             start_date=date(2026, 1, 5), holiday_set="cn-mainland")  # fmt: skip
    other = create_program(get_playbook("crm-four-100-days"), name="EN", client="C",
                           start_date=date(2026, 1, 5))  # fmt: skip
    assert settings_of(chinese).currency == "CNY"
    assert settings_of(other, "zh_Hans_CN").currency == "CNY"


def test_person_page_merge_and_leveling_through_the_pages(client, db, northwind) -> None:  # type: ignore[no-untyped-def]
    from planner.models import Scenario

    pid = northwind.id
    chen = next(p for p in people.list_people(northwind) if p.name == "Chen Jie")
    assert client.get(f"/programs/{pid}/people/{chen.id}").status_code == 200
    extra = people.create_person(northwind, {"name": "C. Jie", "capacity_hours": "40"})
    db.session.commit()
    merged = client.post(f"/programs/{pid}/people/{extra.id}/merge", data={"merge-into": chen.id})
    assert merged.status_code == 302
    assert db.session.get(Person, extra.id) is None
    level = client.post(f"/programs/{pid}/workload/level")
    assert level.status_code == 302 and "/scenarios/" in level.headers["Location"]
    assert db.session.scalars(select(Scenario).where(Scenario.name.startswith("Leveling"))).one()


def test_only_the_lead_applies_a_leveling_scenario(db, northwind, login_as) -> None:  # type: ignore[no-untyped-def]
    from planner.models import Scenario
    from planner.services import workload

    everyone = list(db.session.scalars(select(Program)))
    others = [p for p in everyone if p != northwind]
    suggestion = workload.suggest_leveling(northwind, others, today=DEMO_DAY)
    scenario = workload.leveling_scenario(northwind, suggestion, "Leveling check")
    db.session.commit()
    url = f"/programs/{northwind.id}/scenarios/{scenario.id}/apply"
    member = login_as("member", northwind)
    refused = member.post(url, data={"version": scenario.version})
    assert refused.status_code == 403
    assert db.session.get(Scenario, scenario.id).status == "open"
    lead = login_as("lead", northwind)
    applied = lead.post(url, data={"version": scenario.version})
    assert applied.status_code in (200, 302, 409)  # 409 only if the live plan moved meanwhile
    assert workload.is_leveling(scenario)
