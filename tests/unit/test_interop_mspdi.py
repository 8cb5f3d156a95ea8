"""MS Project XML (MSPDI): writing, reading real-looking files, refusing unsafe or bad ones."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import replace
from pathlib import Path
from xml.etree.ElementTree import Element

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.domain.errors import ImportFormatError, ValidationError
from planner.domain.lags import lag_working_days
from planner.interop import mspdi
from planner.interop.messages import localize
from planner.interop.plandata import (
    CalendarData,
    ItemData,
    LinkData,
    PhaseData,
    PlanData,
    normalised,
)
from planner.interop.safe_xml import parse
from tests.unit.test_interop_plandata import plans

D = dt.date
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "mspdi"
NS = {"p": mspdi.NAMESPACE}


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def document(tasks: str, header: str = "", calendars: str = "") -> bytes:
    """A small MSPDI file around some <Task> elements."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Project xmlns="http://schemas.microsoft.com/project">'
        "<Title>T</Title><StartDate>2024-09-02T08:00:00</StartDate>"
        f"{header}{calendars}<Tasks>{tasks}</Tasks></Project>"
    ).encode()


def task(uid: int, name: str = "", level: int = 1, body: str = "") -> str:
    name = name or f"Task {uid}"
    return (
        f"<Task><UID>{uid}</UID><ID>{uid}</ID><Name>{name}</Name>"
        f"<OutlineLevel>{level}</OutlineLevel>{body}</Task>"
    )


def errors_of(data: bytes) -> list[tuple[str, str]]:
    with pytest.raises(ImportFormatError) as caught:
        mspdi.read(data)
    return caught.value.errors


# --------------------------------------------------------------------------------------------
# writing

FULL = PlanData(
    "CRM 推广 – Acme & Co <East>",
    D(2024, 9, 2),
    CalendarData(
        frozenset({0, 1, 2, 3, 4}),
        frozenset({D(2024, 10, d) for d in range(1, 8)} | {D(2025, 1, 1)}),
        frozenset({D(2024, 9, 29), D(2024, 10, 12)}),
    ),
    phases=(
        PhaseData("diagnosis", "Diagnosis 诊断", 0, D(2024, 9, 2), D(2024, 9, 20)),
        PhaseData("phase-1", "Phase 1", 1, D(2024, 9, 23), D(2024, 12, 31)),
        PhaseData("phase-2", "Phase 2 (empty)", 2, D(2025, 1, 2), D(2025, 4, 11)),
    ),
    items=(
        ItemData(
            "interviews",
            "Stakeholder interviews",
            "diagnosis",
            "task",
            10,
            "Change management",
            "王伟",
            100,
            D(2024, 9, 2),
            D(2024, 9, 13),
            early_start=D(2024, 9, 2),
            early_finish=D(2024, 9, 13),
            baseline_start=D(2024, 9, 2),
            baseline_finish=D(2024, 9, 13),
        ),
        ItemData(
            "signoff",
            "Diagnosis sign-off",
            "diagnosis",
            "milestone",
            0,
            early_start=D(2024, 9, 13),
            early_finish=D(2024, 9, 13),
        ),  # fmt: skip
        ItemData(
            "cleanse",
            "Cleanse master data",
            "phase-1",
            "task",
            15,
            "Data migration",
            percent_complete=40,
            actual_start=D(2024, 9, 23),
            constraint_type="SNET",
            constraint_date=D(2024, 9, 23),
        ),
        ItemData(
            "config",
            "Configure sales automation",
            "phase-1",
            "task",
            20,
            constraint_type="FNLT",
            constraint_date=D(2024, 11, 29),
        ),  # fmt: skip
        ItemData("golive", "Go-live", "phase-1", "milestone", 0, baseline_finish=D(2024, 12, 13)),
    ),
    links=(
        LinkData("interviews", "signoff", "FS", 0),
        LinkData("signoff", "cleanse", "FS", -1),
        LinkData("cleanse", "config", "SS", 2),
        LinkData("cleanse", "golive", "FF", 0),
        LinkData("config", "golive", "SF", 3),
    ),
)


def written() -> Element:
    return parse(mspdi.write(FULL))


def test_round_trip_of_a_full_plan_is_lossless() -> None:
    assert mspdi.read(mspdi.write(FULL)) == FULL
    assert mspdi.read_with_notes(mspdi.write(FULL)).notes == ()


def test_the_file_is_utf8_mspdi_without_doctype() -> None:
    data = mspdi.write(FULL)
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Project')
    assert b"<!DOCTYPE" not in data
    assert "CRM 推广 – Acme &amp; Co &lt;East&gt;".encode() in data
    root = written()
    assert root.tag == "{http://schemas.microsoft.com/project}Project"
    assert root.findtext("p:SaveVersion", namespaces=NS) == "14"
    assert root.findtext("p:MinutesPerDay", namespaces=NS) == "480"
    assert root.findtext("p:CalendarUID", namespaces=NS) == "1"


def tasks_by_name(root: Element) -> dict[str, Element]:
    return {t.findtext("p:Name", namespaces=NS) or "": t for t in root.iterfind(".//p:Task", NS)}


def test_phases_are_summary_tasks_with_items_beneath() -> None:
    tasks = list(written().iterfind(".//p:Task", NS))
    outline = [
        (
            t.findtext("p:ID", namespaces=NS),
            t.findtext("p:OutlineNumber", namespaces=NS),
            t.findtext("p:OutlineLevel", namespaces=NS),
            t.findtext("p:Summary", namespaces=NS),
        )
        for t in tasks
    ]
    assert outline == [
        ("0", "0", "0", "1"),  # the project summary task
        ("1", "1", "1", "1"),  # Diagnosis
        ("2", "1.1", "2", "0"),
        ("3", "1.2", "2", "0"),
        ("4", "2", "1", "1"),  # Phase 1
        ("5", "2.1", "2", "0"),
        ("6", "2.2", "2", "0"),
        ("7", "2.3", "2", "0"),
        ("8", "3", "1", "1"),  # Phase 2, no items
    ]


def test_durations_milestones_constraints_and_progress() -> None:
    tasks = tasks_by_name(written())

    def field(name: str, tag: str) -> str | None:
        return tasks[name].findtext(f"p:{tag}", namespaces=NS)

    # 10 days × 8 h = 80 h; 15 × 8 = 120 h; a milestone has no duration
    assert field("Stakeholder interviews", "Duration") == "PT80H0M0S"
    assert field("Cleanse master data", "Duration") == "PT120H0M0S"
    assert field("Go-live", "Duration") == "PT0H0M0S"
    assert field("Go-live", "Milestone") == "1"
    assert field("Cleanse master data", "Milestone") == "0"
    assert field("Cleanse master data", "ConstraintType") == "4"
    assert field("Cleanse master data", "ConstraintDate") == "2024-09-23T08:00:00"
    # the planner's FNLT shows negative float and never moves the task: MS Project's deadline
    assert field("Configure sales automation", "Deadline") == "2024-11-29T17:00:00"
    # not started and in phase 1 (no early dates known): its window holds it back, written as
    # start-no-earlier-than the window start and marked so that reading drops it again
    assert field("Configure sales automation", "ConstraintType") == "4"
    assert field("Configure sales automation", "ConstraintDate") == "2024-09-23T08:00:00"
    assert field("Go-live", "ConstraintType") == "4"
    assert field("Go-live", "Deadline") is None
    # started: the window no longer matters, only its own constraint is written
    assert field("Stakeholder interviews", "ConstraintType") == "0"
    # 40 % of 120 h done
    assert field("Cleanse master data", "ActualDuration") == "PT48H0M0S"
    assert field("Cleanse master data", "RemainingDuration") == "PT72H0M0S"
    assert field("Stakeholder interviews", "ActualDuration") == "PT80H0M0S"
    assert field("Stakeholder interviews", "RemainingDuration") == "PT0H0M0S"
    assert field("Configure sales automation", "ActualDuration") == "PT0H0M0S"
    assert field("Configure sales automation", "RemainingDuration") == "PT160H0M0S"
    assert field("Cleanse master data", "PercentComplete") == "40"
    assert field("Stakeholder interviews", "ActualStart") == "2024-09-02T08:00:00"
    assert field("Stakeholder interviews", "ActualFinish") == "2024-09-13T17:00:00"
    assert field("Stakeholder interviews", "Start") == "2024-09-02T08:00:00"
    assert field("Stakeholder interviews", "Finish") == "2024-09-13T17:00:00"
    assert field("Cleanse master data", "Start") is None  # no early dates known
    # a phase's Start and Finish are its window; 15 working days from 2 to 20 September
    assert field("Diagnosis 诊断", "Start") == "2024-09-02T08:00:00"
    assert field("Diagnosis 诊断", "Finish") == "2024-09-20T17:00:00"
    assert field("Diagnosis 诊断", "Duration") == "PT120H0M0S"
    baseline = tasks["Stakeholder interviews"].find("p:Baseline", NS)
    assert baseline is not None
    assert [(c.tag.split("}")[1], c.text) for c in baseline] == [
        ("Number", "0"),
        ("Start", "2024-09-02T08:00:00"),
        ("Finish", "2024-09-13T17:00:00"),
    ]


def test_links_carry_type_codes_and_lags_in_tenths_of_minutes() -> None:
    tasks = tasks_by_name(written())
    uid = {name: t.findtext("p:UID", namespaces=NS) for name, t in tasks.items()}

    def links(name: str) -> list[tuple[str | None, ...]]:
        return [
            tuple(
                link.findtext(f"p:{tag}", namespaces=NS)
                for tag in ("PredecessorUID", "Type", "LinkLag", "LagFormat")
            )
            for link in tasks[name].iterfind("p:PredecessorLink", NS)
        ]

    # 1 working day = 480 min = 4800 tenths; Type 0 FF, 1 FS, 2 SF, 3 SS
    assert links("Cleanse master data") == [(uid["Diagnosis sign-off"], "1", "-4800", "7")]
    assert links("Configure sales automation") == [(uid["Cleanse master data"], "3", "9600", "7")]
    assert links("Go-live") == [
        (uid["Cleanse master data"], "0", "0", "7"),
        (uid["Configure sales automation"], "2", "14400", "7"),
    ]


def test_calendar_weekdays_and_holidays_as_exceptions() -> None:
    calendar = written().find("p:Calendars/p:Calendar", NS)
    assert calendar is not None
    working = [
        (w.findtext("p:DayType", namespaces=NS), w.findtext("p:DayWorking", namespaces=NS))
        for w in calendar.iterfind("p:WeekDays/p:WeekDay", NS)
    ]
    # DayType 1 = Sunday … 7 = Saturday
    assert working == [
        ("1", "0"),
        ("2", "1"),
        ("3", "1"),
        ("4", "1"),
        ("5", "1"),
        ("6", "1"),
        ("7", "0"),
    ]
    exceptions = [
        (
            e.findtext("p:TimePeriod/p:FromDate", namespaces=NS),
            e.findtext("p:TimePeriod/p:ToDate", namespaces=NS),
            e.findtext("p:DayWorking", namespaces=NS),
        )
        for e in calendar.iterfind("p:Exceptions/p:Exception", NS)
    ]
    assert exceptions == [  # consecutive days merged: 1–7 October is one exception
        ("2024-09-29T00:00:00", "2024-09-29T23:59:00", "1"),
        ("2024-10-01T00:00:00", "2024-10-07T23:59:00", "0"),
        ("2024-10-12T00:00:00", "2024-10-12T23:59:00", "1"),
        ("2025-01-01T00:00:00", "2025-01-01T23:59:00", "0"),
    ]


def test_keys_workstreams_and_owners_go_into_aliased_custom_fields() -> None:
    root = written()
    aliases = {
        d.findtext("p:FieldID", namespaces=NS): d.findtext("p:Alias", namespaces=NS)
        for d in root.iterfind("p:ExtendedAttributes/p:ExtendedAttribute", NS)
    }
    assert aliases["188743731"] == "Planner key"  # Text1
    assert aliases["188743734"] == "Workstream"  # Text2
    assert aliases["188743737"] == "Owner"  # Text3
    values = {
        a.findtext("p:FieldID", namespaces=NS): a.findtext("p:Value", namespaces=NS)
        for a in tasks_by_name(root)["Stakeholder interviews"].iterfind("p:ExtendedAttribute", NS)
    }
    assert values == {
        "188743731": "interviews",
        "188743734": "Change management",
        "188743737": "王伟",
    }


def test_an_unsound_plan_is_not_written() -> None:
    bad = PlanData("P", D(2024, 9, 2), phases=FULL.phases, items=(ItemData("a", "", "diagnosis"),))
    with pytest.raises(ValidationError):
        mspdi.write(bad)


def test_the_written_order_is_canonical() -> None:
    # phases by ordinal, items grouped by phase (keeping their order within one), links by
    # successor: whatever order they come in
    shuffled = PlanData(
        FULL.name,
        FULL.start,
        FULL.calendar,
        tuple(reversed(FULL.phases)),
        FULL.items[2:] + FULL.items[:2],
        FULL.links[3:] + FULL.links[:3],
    )
    assert mspdi.write(shuffled) == mspdi.write(FULL)
    assert mspdi.read(mspdi.write(shuffled)) == normalised(shuffled) == FULL


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_round_trip_property(plan: PlanData) -> None:
    assert mspdi.read(mspdi.write(plan)) == plan


@st.composite
def semantic_plans(draw: st.DrawFn) -> PlanData:
    """Plans with what MS Project needs more than a plan: a status date (holding items back
    as start-no-earlier-than or finish-no-earlier-than), both languages, named calendar
    exceptions and lags in weeks, percent and elapsed days."""
    plan = draw(plans())
    language = draw(st.sampled_from(["en", "zh"]))
    status = draw(st.none() | st.dates(plan.start, plan.start + dt.timedelta(days=400)))
    items = tuple(
        replace(i, alt_name=draw(st.none() | st.sampled_from(["名称", "Other name"])))
        for i in plan.items
    )
    durations = {i.key: i.duration for i in items}
    workdays = len(plan.calendar.workdays)
    links = []
    for link in plan.links:
        unit = draw(st.sampled_from(["d", "w", "pct", "ed"]))
        if unit == "d":
            links.append(link)
            continue
        amount = draw(st.integers(-3, 40) if unit != "pct" else st.integers(-100, 300))
        days = lag_working_days(unit, amount, 0, durations[link.predecessor], workdays)
        if abs(days) <= 2000:
            links.append(replace(link, lag=days, lag_unit=unit, lag_amount=amount))
        else:
            links.append(link)
    exceptions = sorted(plan.calendar.holidays | plan.calendar.extra_workdays)
    names = {d: draw(st.sampled_from(["", "国庆节", "Make-up day"])) for d in exceptions}
    calendar = replace(plan.calendar, names=names)
    phases = tuple(replace(p, alt_name=draw(st.none() | st.just("阶段"))) for p in plan.phases)
    return replace(
        plan,
        calendar=calendar,
        phases=phases,
        items=items,
        links=tuple(links),
        status_date=status,
        language=language,
    )


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(semantic_plans())
def test_round_trip_keeps_status_date_languages_names_and_lag_units(plan: PlanData) -> None:
    assert mspdi.read(mspdi.write(plan)) == plan


# --------------------------------------------------------------------------------------------
# reading files written by MS Project and ProjectLibre


def test_ms_project_2019_file() -> None:
    result = mspdi.read_with_notes(fixture("ms_project_2019.xml"))
    # 1–7 Oct National Day (a range), the fourth Thursday of November 2024 (Type 3),
    # New Year's Day yearly for two occurrences (Type 2); make-up Sunday 29 Sep, Saturday 12 Oct.
    # The resource calendar of 王伟 (annual leave) is not the project calendar.
    national_day = {D(2024, 10, d): "国庆节 National Day" for d in range(1, 8)}
    calendar = CalendarData(
        frozenset({0, 1, 2, 3, 4}),
        frozenset(
            {D(2024, 10, d) for d in range(1, 8)} | {D(2024, 11, 28), D(2025, 1, 1), D(2026, 1, 1)}
        ),
        frozenset({D(2024, 9, 29), D(2024, 10, 12)}),
        {  # exception names are kept
            **national_day,
            D(2024, 9, 29): "调休上班 (make-up day)",
            D(2024, 10, 12): "调休上班 (make-up day)",
            D(2024, 11, 28): "Company day (fourth Thursday of November)",
            D(2025, 1, 1): "元旦 New Year's Day",
            D(2026, 1, 1): "元旦 New Year's Day",
        },
    )
    expected = PlanData(
        "CRM Rollout – Acme 华东区",  # the Title, not the file Name
        D(2024, 9, 2),
        calendar,
        phases=(
            # no planner fields: keys t<UID>, ordinals in file order; a summary's computed
            # Start is not a window start (it would hold the tasks back like a constraint):
            # the windows open at the project start and end at the summary's Finish
            PhaseData("t1", "Diagnosis", 1, D(2024, 9, 2), D(2024, 9, 20)),
            PhaseData("t5", "Phase 1 – Foundation 第一阶段", 2, D(2024, 9, 2), D(2024, 12, 13)),
        ),
        items=(
            ItemData(
                "t2",
                "Stakeholder interviews (高层访谈)",
                "t1",
                "task",
                10,  # PT80H0M0S / 8 h
                "Change management",  # Text5, aliased "Workstream"; Text1 "Region" is ignored
                None,  # the resource assignment is not an owner
                100,
                D(2024, 9, 2),
                D(2024, 9, 13),
                early_start=D(2024, 9, 2),
                early_finish=D(2024, 9, 13),
                baseline_start=D(2024, 9, 2),  # baseline 0, not baseline 1
                baseline_finish=D(2024, 9, 13),
            ),
            ItemData(
                "t3",
                "Maturity assessment report",
                "t1",
                "task",
                5,
                "Analytics",
                percent_complete=40,
                actual_start=D(2024, 9, 4),
                early_start=D(2024, 9, 4),
                early_finish=D(2024, 9, 10),
            ),  # fmt: skip
            ItemData(
                "t4",
                "Diagnosis sign-off",
                "t1",
                "milestone",
                0,
                early_start=D(2024, 9, 13),
                early_finish=D(2024, 9, 13),
                baseline_start=D(2024, 9, 13),
                baseline_finish=D(2024, 9, 13),
            ),  # fmt: skip
            # beneath the dropped summary "Data migration" (OutlineLevel 3), kept in the phase
            ItemData(
                "t7",
                "Cleanse customer master data",
                "t5",
                "task",
                15,
                "Data migration",
                percent_complete=15,
                actual_start=D(2024, 9, 16),
                constraint_type="SNET",
                constraint_date=D(2024, 9, 16),
                early_start=D(2024, 9, 16),
                early_finish=D(2024, 10, 8),
                baseline_start=D(2024, 9, 16),
                baseline_finish=D(2024, 10, 4),
            ),  # fmt: skip
            ItemData(
                "t8",
                "Load opportunities",
                "t5",
                "task",
                5,  # PT36H0M0S = 4.5 days, rounded half away from zero
                "Data migration",
                early_start=D(2024, 10, 11),
                early_finish=D(2024, 10, 17),
            ),  # fmt: skip
            ItemData(
                "t9",
                "Sales automation configuration",
                "t5",
                "task",
                20,
                "Sales automation",
                constraint_type="FNLT",
                constraint_date=D(2024, 11, 29),
                early_start=D(2024, 9, 16),
                early_finish=D(2024, 10, 18),
            ),  # fmt: skip
            ItemData(
                "t10",
                "Train the trainers",
                "t5",
                "task",
                3,
                "Training",
                constraint_type="SNET",  # "must start on" (2) becomes SNET
                constraint_date=D(2024, 11, 4),
                early_start=D(2024, 11, 4),
                early_finish=D(2024, 11, 6),
            ),  # fmt: skip
            ItemData(
                "t11",
                "Go-live Phase 1 上线",
                "t5",
                "milestone",
                0,
                constraint_type="FNLT",
                constraint_date=D(2024, 12, 13),
                early_start=D(2024, 10, 22),
                early_finish=D(2024, 10, 22),
            ),  # fmt: skip
        ),
        links=(
            LinkData("t2", "t3", "SS", 2),  # 9600 tenths of a minute = 2 × 480 min
            LinkData("t2", "t4", "FS", 0),
            LinkData("t3", "t4", "FF", 0),
            LinkData("t4", "t7", "FS", -1),  # -4800: a lead of one day
            # 2 elapsed days (LagFormat 8) kept as such; × 5/7 = 1.43 → 1 working day
            LinkData("t7", "t8", "FS", 1, "ed", 2),
            LinkData("t7", "t9", "SS", 0),
            LinkData("t9", "t10", "SF", 0),
            LinkData("t8", "t11", "FS", 0),
            LinkData("t9", "t11", "FS", 2, "pct", 10),  # 10 % (LagFormat 19) of 20 days
            # the link from the summary task UID 6 is dropped
        ),
        # StatusDate 2024-09-30T17:00 is the end of that day: remaining work from 1 October
        status_date=D(2024, 10, 1),
    )
    assert result.plan == expected
    assert result.notes == (
        'Task UID 6 "Data migration" is a summary task inside a phase: its tasks were kept, '
        "the summary was not",
        'Task UID 8 "Load opportunities": a duration of 4.5 working days became 5 days',
        'Task UID 10 "Train the trainers": the constraint "must start on" became SNET 2024-11-04',
        'Task UID 11 "Go-live Phase 1 上线": the link from UID 6 (a summary task) was dropped',
    )


def test_projectlibre_file() -> None:
    result = mspdi.read_with_notes(fixture("projectlibre.xml"))
    # old-style exceptions (WeekDay DayType 0): 1–5 May off, Sunday 27 April worked
    calendar = CalendarData(
        frozenset({0, 1, 2, 3, 4}),
        frozenset({D(2025, 5, d) for d in range(1, 6)}),
        frozenset({D(2025, 4, 27)}),
    )
    expected = PlanData(
        "销售试点",  # no Title: the Name
        D(2025, 4, 21),
        calendar,
        phases=(
            # tasks without a summary go into a phase named after the project; its window
            # spans their dates (21 April – 12 May)
            PhaseData("t0", "销售试点", 1, D(2025, 4, 21), D(2025, 5, 12)),
            # "Pilot" has no <Summary> element: it is a summary because tasks are beneath it
            PhaseData("t3", "Pilot 试点", 2, D(2025, 4, 21), D(2025, 5, 12)),  # open
        ),
        items=(
            ItemData(
                "t1",
                "Kick-off 启动会",
                "t0",
                "milestone",
                0,
                percent_complete=100,
                actual_start=D(2025, 4, 21),
                actual_finish=D(2025, 4, 21),
                early_start=D(2025, 4, 21),
                early_finish=D(2025, 4, 21),
            ),  # fmt: skip
            ItemData(
                "t2",
                "Configure pipeline stages",
                "t0",
                "task",
                3,
                percent_complete=100,
                actual_start=D(2025, 4, 21),
                actual_finish=D(2025, 4, 23),
                early_start=D(2025, 4, 21),
                early_finish=D(2025, 4, 23),
            ),  # fmt: skip
            ItemData(
                "t7",
                "Roll-out decision 推广决策",
                "t0",
                "milestone",
                0,
                early_start=D(2025, 5, 12),
                early_finish=D(2025, 5, 12),
            ),  # fmt: skip
            ItemData(
                "t4",
                "Train pilot team",
                "t3",
                "task",
                1,  # PT4H0M0S = half a day: rounded to 1
                percent_complete=100,
                actual_start=D(2025, 4, 25),
                actual_finish=D(2025, 4, 25),
                early_start=D(2025, 4, 25),
                early_finish=D(2025, 4, 25),
            ),  # fmt: skip
            ItemData(
                "t5",
                "Pilot running",
                "t3",
                "task",
                10,
                percent_complete=30,
                actual_start=D(2025, 4, 25),
                early_start=D(2025, 4, 25),
                early_finish=D(2025, 5, 12),
            ),  # fmt: skip
            ItemData(
                "t6",
                "Pilot review",
                "t3",
                "milestone",
                0,
                early_start=D(2025, 5, 12),
                early_finish=D(2025, 5, 12),
            ),  # fmt: skip
        ),
        links=(
            LinkData("t1", "t2", "FS", 0),
            LinkData("t6", "t7", "FS", 0),
            LinkData("t2", "t4", "FS", 1),  # 4800 tenths of a minute
            LinkData("t4", "t5", "SS", 0),
            LinkData("t5", "t6", "FS", 0),
        ),
    )
    assert result.plan == expected
    assert result.notes == (
        'Task UID 4 "Train pilot team": a duration of 0.5 working days became 1 day',
    )


def test_an_imported_file_exports_and_imports_again_unchanged() -> None:
    for name in ("ms_project_2019.xml", "projectlibre.xml"):
        plan = mspdi.read(fixture(name))
        assert mspdi.read(mspdi.write(plan)) == plan


# --------------------------------------------------------------------------------------------
# malformed and unsafe files


@pytest.mark.parametrize(
    ("name", "where", "message"),
    [
        (
            "doctype.xml",
            "file",
            "the file has a document type declaration (DOCTYPE); XML files with a DTD or "
            "entities are refused for safety",
        ),
        (
            "external_dtd.xml",
            "file",
            "the file has a document type declaration (DOCTYPE); XML files with a DTD or "
            "entities are refused for safety",
        ),
        (
            "external_entity.xml",
            "file",
            "the file has a document type declaration (DOCTYPE); XML files with a DTD or "
            "entities are refused for safety",
        ),
        (
            "billion_laughs.xml",
            "file",
            "the file has a document type declaration (DOCTYPE); XML files with a DTD or "
            "entities are refused for safety",
        ),
        (
            "not_xml.xml",
            "line 1, column 1",
            "this is not well-formed MS Project XML (syntax error)",
        ),
        (
            "missing_predecessor.xml",
            'Task UID 3 "Build"',
            "the predecessor UID 99 is not a task of the file",
        ),
        ("bad_duration.xml", 'Task UID 12 "Build"', 'Duration "P3X" is not a valid duration'),
        (
            "cycle.xml",
            "Tasks",
            'dependency cycle: Task UID 1 "Design" → Task UID 2 "Build" → Task UID 3 "Test" → '
            'Task UID 1 "Design"',
        ),
    ],
)
def test_malformed_files_are_refused_with_the_place_named(
    name: str, where: str, message: str
) -> None:
    started = time.perf_counter()
    assert errors_of(fixture(name)) == [(where, message)]
    assert time.perf_counter() - started < 2  # the billion laughs never expand


def test_the_error_message_names_the_task() -> None:
    with pytest.raises(ImportFormatError) as caught:
        mspdi.read(fixture("bad_duration.xml"))
    assert str(caught.value) == (
        'the MS Project file cannot be imported: Task UID 12 "Build": Duration "P3X" is not a '
        "valid duration"
    )


def test_the_secret_of_an_external_entity_never_shows() -> None:
    with pytest.raises(ImportFormatError) as caught:
        mspdi.read(fixture("external_entity.xml"))
    assert "root:" not in str(caught.value)


def test_a_doctype_hidden_in_utf16_is_refused_too() -> None:
    data = fixture("billion_laughs.xml").decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    assert errors_of(data.encode("utf-16"))[0][0] == "file"


def test_a_binary_mpp_file_gets_advice() -> None:
    assert errors_of(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100) == [
        (
            "file",
            "this is a binary file (such as an .mpp project), not MS Project XML: in MS Project "
            "use File › Save As › XML",
        )
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"<html><body/></html>", "this is not an MS Project XML file (the root is <html>)"),
        (
            b'<Project xmlns="urn:other"><Name>x</Name></Project>',
            "this is not an MS Project XML file (the root is <Project>)",
        ),
    ],
)
def test_files_that_are_not_projects(data: bytes, message: str) -> None:
    assert errors_of(data) == [("file", message)]


def test_every_problem_is_collected_in_one_error() -> None:
    tasks = (
        "<Task><ID>1</ID><Name>No UID</Name></Task>"
        + task(1, "Phase", 1, "<Summary>1</Summary>")
        + task(2, "A", 2, "<Duration>PT8H0M0S</Duration><PercentComplete>150</PercentComplete>")
        + task(2, "Twin", 2, "<Duration>PT8H0M0S</Duration>")
        + "<Task><UID>3</UID><OutlineLevel>2</OutlineLevel><Duration>PT8H</Duration></Task>"
        + task(
            4,
            "B",
            2,
            "<Duration>PT16H0M0S</Duration><ActualStart>2024-09-05T08:00:00</ActualStart>"
            "<ActualFinish>2024-09-04T17:00:00</ActualFinish>"
            "<ConstraintType>4</ConstraintType>",
        )
        + task(5, "C", 2, "<Duration>PT8H0M0S</Duration><Start>someday</Start>")
        + task(
            6,
            "D",
            2,
            "<Duration>PT8H0M0S</Duration>"
            "<PredecessorLink><PredecessorUID>2</PredecessorUID><Type>7</Type></PredecessorLink>",
        )
    )
    assert errors_of(document(tasks)) == [
        ("Task #1", "the task has no UID"),
        ('Task UID 2 "Twin"', "UID 2 is used by two tasks"),
        ('Task UID 2 "A"', "PercentComplete must be 0–100, got 150"),
        ("Task UID 3", "the task has no Name"),
        ('Task UID 4 "B"', "ActualFinish 2024-09-04 is before ActualStart 2024-09-05"),
        ('Task UID 4 "B"', "ConstraintType 4 needs a ConstraintDate"),
        ('Task UID 5 "C"', 'Start "someday" is not a valid date'),
        ('Task UID 6 "D"', "PredecessorLink Type 7 is not 0 (FF), 1 (FS), 2 (SF) or 3 (SS)"),
    ]


def test_duplicate_planner_keys_are_named_by_task() -> None:
    header = (
        "<ExtendedAttributes><ExtendedAttribute><FieldID>188743731</FieldID>"
        "<FieldName>Text1</FieldName><Alias>Planner key</Alias></ExtendedAttribute>"
        "</ExtendedAttributes>"
    )
    key = "<ExtendedAttribute><FieldID>188743731</FieldID><Value>same</Value></ExtendedAttribute>"
    tasks = task(1, "A", 1, f"<Duration>PT8H0M0S</Duration>{key}") + task(
        2, "B", 1, f"<Duration>PT8H0M0S</Duration>{key}"
    )
    assert errors_of(document(tasks, header)) == [
        ('Task UID 2 "B"', 'Planner key: "same" is used by another item')
    ]


# --------------------------------------------------------------------------------------------
# conversions


def one_item(data: bytes) -> ItemData:
    (item,) = mspdi.read(data).items
    return item


@pytest.mark.parametrize(
    ("duration", "minutes_per_day", "fmt", "days", "kind"),
    [
        ("PT24H0M0S", 480, 7, 3, "task"),  # 24 h / 8 h
        ("PT7H30M0S", 480, 7, 1, "task"),  # 7.5 / 8 = 0.94 → 1
        ("PT12H0M0S", 480, 7, 2, "task"),  # 1.5 → 2 (half away from zero)
        ("PT1H0M0S", 480, 7, 1, "task"),  # 0.125 → 0, but a task keeps at least 1 day
        ("P1DT0H0M0S", 480, 7, 3, "task"),  # P1D is 24 hours
        ("PT0H0M0S", 480, 7, 0, "milestone"),
        ("PT21H0M0S", 420, 7, 3, "task"),  # 7-hour days: 21 / 7
        ("PT336H0M0S", 480, 8, 10, "task"),  # 14 elapsed days × 5/7 working days
        ("PT40H0M0S", 480, 39, 5, "task"),  # estimated days (39) are still work time
    ],
)
def test_durations(duration: str, minutes_per_day: int, fmt: int, days: int, kind: str) -> None:
    body = f"<Duration>{duration}</Duration><DurationFormat>{fmt}</DurationFormat>"
    data = document(task(1, body=body), f"<MinutesPerDay>{minutes_per_day}</MinutesPerDay>")
    item = one_item(data)
    assert (item.duration, item.kind) == (days, kind)


def test_a_milestone_flag_on_a_long_task_keeps_the_task() -> None:
    body = "<Duration>PT16H0M0S</Duration><Milestone>1</Milestone>"
    result = mspdi.read_with_notes(document(task(1, body=body)))
    assert (result.plan.items[0].kind, result.plan.items[0].duration) == ("task", 2)
    assert result.notes == ('Task UID 1 "Task 1": marked as a milestone but lasts 2 days: a task',)


def test_a_missing_duration_comes_from_start_and_finish() -> None:
    # Monday 2 to Friday 6 September: 5 working days
    body = "<Start>2024-09-02T08:00:00</Start><Finish>2024-09-06T17:00:00</Finish>"
    assert one_item(document(task(1, body=body))).duration == 5
    notes = mspdi.read_with_notes(document(task(1, body=body))).notes
    assert notes == (
        'Task UID 1 "Task 1": no Duration; the working days from Start to Finish (5) were used',
    )
    # the note is worded in the reader's language where it is shown
    chinese = {
        "%(task)s: no Duration; the working days from Start to Finish (%(n)s) were used": (
            "%(task)s：没有工期（Duration），采用了从开始到完成的工作日数（%(n)s）"
        ),
        'Task UID %(uid)s "%(name)s"': "任务 UID %(uid)s“%(name)s”",
    }
    assert localize(notes[0], lambda text: chinese.get(text, text)) == (
        "任务 UID 1“Task 1”：没有工期（Duration），采用了从开始到完成的工作日数（5）"
    )
    assert errors_of(document(task(1))) == [('Task UID 1 "Task 1"', "the task has no Duration")]


@pytest.mark.parametrize(
    ("lag", "fmt", "pred_hours", "days", "unit", "amount"),
    [
        (4800, 7, 8, 1, "d", None),  # 480 min × 10
        (-9600, 7, 8, -2, "d", None),
        (2400, 7, 8, 1, "d", None),  # half a day → 1
        (-2400, 7, 8, -1, "d", None),  # half a day of lead → -1
        (4800, 5, 8, 1, "d", None),  # shown in hours, still tenths of a minute
        (201600, 8, 8, 10, "ed", 14),  # 14 elapsed days (14 × 1440 × 10) × 5/7, unit kept
        (100800, 8, 8, 5, "ed", 7),  # a week of elapsed days is 5 working days
        (21600, 8, 8, 1, "d", None),  # 1.5 elapsed days is no whole amount: 1.07 → 1 day
        (50, 19, 32, 2, "pct", 50),  # 50 % of a 4-day predecessor, unit kept
        (48000, 9, 8, 10, "w", 2),  # 2 weeks of 5 × 480 min = 10 working days, unit kept
        (20, 19, 24, 1, "pct", 20),  # 20 % of 3 days = 0.6 → 1
        (0, 7, 8, 0, "d", None),
    ],
)
def test_lags(
    lag: int, fmt: int, pred_hours: int, days: int, unit: str, amount: int | None
) -> None:
    link = (
        f"<PredecessorLink><PredecessorUID>1</PredecessorUID><Type>1</Type>"
        f"<LinkLag>{lag}</LinkLag><LagFormat>{fmt}</LagFormat></PredecessorLink>"
    )
    data = document(
        task(1, body=f"<Duration>PT{pred_hours}H0M0S</Duration>")
        + task(2, body=f"<Duration>PT8H0M0S</Duration>{link}")
    )
    (read,) = mspdi.read(data).links
    assert read == LinkData("t1", "t2", "FS", days, unit, amount)


def test_a_link_without_type_is_finish_to_start() -> None:
    link = "<PredecessorLink><PredecessorUID>1</PredecessorUID></PredecessorLink>"
    data = document(
        task(1, body="<Duration>PT8H</Duration>") + task(2, body=f"<Duration>PT8H</Duration>{link}")
    )
    assert mspdi.read(data).links == (LinkData("t1", "t2", "FS", 0),)


def test_a_link_to_another_project_is_dropped_with_a_note() -> None:
    link = (
        "<PredecessorLink><PredecessorUID>1</PredecessorUID><CrossProject>1</CrossProject>"
        "<CrossProjectName>other.mpp\\5</CrossProjectName></PredecessorLink>"
    )
    result = mspdi.read_with_notes(document(task(2, body=f"<Duration>PT8H</Duration>{link}")))
    assert result.plan.links == ()
    assert result.notes == ('Task UID 2 "Task 2": a link to another project was dropped',)


@pytest.mark.parametrize(
    ("code", "expected", "notes"),
    [
        (0, (None, None), ()),
        (
            1,
            (None, None),
            ('Task UID 1 "Task 1": the constraint "as late as possible" was dropped',),
        ),
        (
            2,
            ("SNET", D(2024, 9, 9)),
            ('Task UID 1 "Task 1": the constraint "must start on" became SNET 2024-09-09',),
        ),
        (
            3,
            ("FNLT", D(2024, 9, 9)),
            ('Task UID 1 "Task 1": the constraint "must finish on" became FNLT 2024-09-09',),
        ),
        (4, ("SNET", D(2024, 9, 9)), ()),
        (
            5,
            (None, None),
            ('Task UID 1 "Task 1": the constraint "start no later than" was dropped',),
        ),
        (
            6,
            (None, None),
            ('Task UID 1 "Task 1": the constraint "finish no earlier than" was dropped',),
        ),
        (7, ("FNLT", D(2024, 9, 9)), ()),
    ],
)
def test_constraints(
    code: int, expected: tuple[str | None, dt.date | None], notes: tuple[str, ...]
) -> None:
    body = (
        f"<Duration>PT8H0M0S</Duration><ConstraintType>{code}</ConstraintType>"
        "<ConstraintDate>2024-09-09T08:00:00</ConstraintDate>"
    )
    result = mspdi.read_with_notes(document(task(1, body=body)))
    item = result.plan.items[0]
    assert (item.constraint_type, item.constraint_date) == expected
    assert result.notes == notes


def test_a_malformed_constraint_type_is_reported_once() -> None:
    body = (
        "<Duration>PT8H0M0S</Duration><ConstraintType>x</ConstraintType>"
        "<ConstraintDate>2024-09-09T08:00:00</ConstraintDate>"
    )
    assert errors_of(document(task(1, body=body))) == [
        ('Task UID 1 "Task 1"', 'ConstraintType "x" is not a number')
    ]


@pytest.mark.parametrize("code", ["2.5", "4.01", "-0.5"])
def test_a_fractional_code_is_refused_not_rounded(code: str) -> None:
    body = (
        f"<Duration>PT8H0M0S</Duration><ConstraintType>{code}</ConstraintType>"
        "<ConstraintDate>2024-09-09T08:00:00</ConstraintDate>"
    )
    assert errors_of(document(task(1, body=body))) == [
        ('Task UID 1 "Task 1"', f'ConstraintType "{code}" is not a whole number')
    ]


def test_a_whole_number_written_with_decimals_is_read() -> None:
    body = (
        "<Duration>PT8H0M0S</Duration><ConstraintType>4.0</ConstraintType>"
        "<ConstraintDate>2024-09-09T08:00:00</ConstraintDate>"
        "<PercentComplete>33.4</PercentComplete>"
    )
    item = mspdi.read_with_notes(document(task(1, body=body))).plan.items[0]
    # a code written "4.0" is 4 (start no earlier than); a quantity is rounded
    assert (item.constraint_type, item.constraint_date) == ("SNET", D(2024, 9, 9))
    assert item.percent_complete == 33


def test_a_deadline_is_a_finish_no_later_than_unless_the_task_has_another_constraint() -> None:
    deadline = "<Duration>PT8H0M0S</Duration><Deadline>2024-09-20T17:00:00</Deadline>"
    alone = mspdi.read_with_notes(document(task(1, body=deadline)))
    item = alone.plan.items[0]
    assert (item.constraint_type, item.constraint_date, alone.notes) == ("FNLT", D(2024, 9, 20), ())
    snet = "<ConstraintType>4</ConstraintType><ConstraintDate>2024-09-09T08:00:00</ConstraintDate>"
    result = mspdi.read_with_notes(document(task(1, body=deadline + snet)))
    item = result.plan.items[0]
    assert (item.constraint_type, item.constraint_date) == ("SNET", D(2024, 9, 9))
    assert result.notes == (
        'Task UID 1 "Task 1": the deadline 2024-09-20 was dropped (the task keeps its SNET '
        "2024-09-09 constraint)",
    )
    # a coded note, worded in the reader's language where it is shown
    chinese = {
        "%(task)s: the deadline %(deadline)s was dropped (the task keeps its %(type)s %(day)s "
        "constraint)": "%(task)s：截止日期 %(deadline)s 已舍弃（任务保留其 %(type)s %(day)s 限制）",
        'Task UID %(uid)s "%(name)s"': "任务 UID %(uid)s“%(name)s”",
    }
    assert localize(result.notes[0], lambda text: chinese.get(text, text)) == (
        "任务 UID 1“Task 1”：截止日期 2024-09-20 已舍弃（任务保留其 SNET 2024-09-09 限制）"
    )


def test_an_actual_finish_without_start_takes_the_start_from_the_duration() -> None:
    # 3 days finishing Wednesday 11 September started Monday 9 September
    body = "<Duration>PT24H0M0S</Duration><ActualFinish>2024-09-11T17:00:00</ActualFinish>"
    result = mspdi.read_with_notes(document(task(1, body=body)))
    assert result.plan.items[0].actual_start == D(2024, 9, 9)
    assert result.notes == (
        'Task UID 1 "Task 1": no ActualStart; 2024-09-09 taken from the duration',
    )


def test_blank_inactive_and_external_tasks_are_skipped() -> None:
    tasks = (
        "<Task><UID>1</UID><ID>1</ID><IsNull>1</IsNull></Task>"
        + task(2, "Off", 1, "<Active>0</Active><Duration>PT8H</Duration>")
        + task(3, "Elsewhere", 1, "<ExternalTask>1</ExternalTask><Duration>PT8H</Duration>")
        + task(4, "Kept", 1, "<Duration>PT8H</Duration>")
    )
    result = mspdi.read_with_notes(document(tasks))
    assert [i.name for i in result.plan.items] == ["Kept"]
    assert result.notes == ('Task UID 2 "Off" is inactive',)


def test_tasks_are_read_in_id_order() -> None:
    tasks = task(20, "Second", 1, "<Duration>PT8H</Duration>").replace("<ID>20</ID>", "<ID>2</ID>")
    tasks += task(10, "First", 1, "<Duration>PT8H</Duration>").replace("<ID>10</ID>", "<ID>1</ID>")
    assert [i.name for i in mspdi.read(document(tasks)).items] == ["First", "Second"]


def test_a_file_without_namespace_is_read() -> None:
    data = (
        b"<Project><Name>Plain.xml</Name><StartDate>2024-09-02T08:00:00</StartDate><Tasks>"
        b"<Task><UID>1</UID><Name>A</Name><OutlineLevel>1</OutlineLevel>"
        b"<Duration>PT8H0M0S</Duration></Task></Tasks></Project>"
    )
    plan = mspdi.read(data)
    assert plan.name == "Plain"  # the file name without .xml
    assert plan.phases == (PhaseData("t0", "Plain", 1, D(2024, 9, 2), D(2024, 9, 2)),)


def test_a_missing_start_date_comes_from_the_tasks() -> None:
    data = (
        b'<Project xmlns="http://schemas.microsoft.com/project"><Tasks>'
        b"<Task><UID>1</UID><Name>A</Name><Duration>PT8H</Duration>"
        b"<Start>2024-09-04T08:00:00</Start></Task></Tasks></Project>"
    )
    result = mspdi.read_with_notes(data)
    assert result.plan.start == D(2024, 9, 4)
    assert result.notes == ("the project has no StartDate: 2024-09-04 is used",)


# --------------------------------------------------------------------------------------------
# calendars


def calendar_of(calendars: str, header: str = "<CalendarUID>2</CalendarUID>") -> CalendarData:
    data = document(
        task(1, body="<Duration>PT8H</Duration>"), header, f"<Calendars>{calendars}</Calendars>"
    )
    return mspdi.read(data).calendar


def weekday(day_type: int, working: int) -> str:
    return f"<WeekDay><DayType>{day_type}</DayType><DayWorking>{working}</DayWorking></WeekDay>"


def exception(first: str, last: str, working: int = 0, extra: str = "", kind: int = 1) -> str:
    return (
        f"<Exception><TimePeriod><FromDate>{first}T00:00:00</FromDate>"
        f"<ToDate>{last}T23:59:00</ToDate></TimePeriod><Type>{kind}</Type>{extra}"
        f"<DayWorking>{working}</DayWorking></Exception>"
    )


def test_a_derived_calendar_inherits_from_its_base() -> None:
    base = (
        "<Calendar><UID>1</UID><Name>Standard</Name><IsBaseCalendar>1</IsBaseCalendar>"
        f"<WeekDays>{weekday(1, 0)}{weekday(7, 0)}</WeekDays>"
        f"<Exceptions>{exception('2024-10-01', '2024-10-03')}</Exceptions></Calendar>"
    )
    derived = (
        "<Calendar><UID>2</UID><Name>Six-day week</Name><IsBaseCalendar>0</IsBaseCalendar>"
        f"<BaseCalendarUID>1</BaseCalendarUID><WeekDays>{weekday(7, 1)}</WeekDays>"
        f"<Exceptions>{exception('2024-10-03', '2024-10-03', 1)}</Exceptions></Calendar>"
    )
    # Saturday works in the derived calendar; its 3 October overrides the base's holiday
    assert calendar_of(base + derived) == CalendarData(
        frozenset({0, 1, 2, 3, 4, 5}),
        frozenset({D(2024, 10, 1), D(2024, 10, 2)}),
        frozenset({D(2024, 10, 3)}),
    )


def test_recurring_exceptions() -> None:
    weekly = exception(
        "2024-09-01", "2024-09-30", extra="<Period>2</Period><DaysOfWeek>4</DaysOfWeek>", kind=6
    )  # every other week on Tuesday (bit 2: Sunday = bit 0)
    monthly = exception("2024-09-01", "2024-11-30", extra="<MonthDay>15</MonthDay>", kind=4)
    last_friday = exception(
        "2024-09-01",
        "2024-10-31",
        extra="<MonthItem>8</MonthItem><MonthPosition>4</MonthPosition>",
        kind=5,
    )
    limited = exception(
        "2024-12-01",
        "2024-12-31",
        extra="<EnteredByOccurrences>1</EnteredByOccurrences><Occurrences>3</Occurrences>",
    )
    calendar = (
        f"<Calendar><UID>2</UID><Name>Standard</Name><Exceptions>{weekly}{monthly}"
        f"{last_friday}{limited}</Exceptions></Calendar>"
    )
    assert calendar_of(calendar).holidays == {
        D(2024, 9, 3), D(2024, 9, 17),  # Tuesdays of weeks 0 and 2 from 1 September
        D(2024, 9, 15), D(2024, 10, 15), D(2024, 11, 15),
        D(2024, 9, 27), D(2024, 10, 25),  # last Fridays
        D(2024, 12, 1), D(2024, 12, 2), D(2024, 12, 3),  # three occurrences
    }  # fmt: skip


def test_an_unsupported_recurrence_is_an_error() -> None:
    calendar = (
        "<Calendar><UID>2</UID><Name>Odd</Name><Exceptions>"
        f"{exception('2024-09-01', '2024-09-30', kind=7)}</Exceptions></Calendar>"
    )
    data = document(
        task(1, body="<Duration>PT8H</Duration>"),
        "<CalendarUID>2</CalendarUID>",
        f"<Calendars>{calendar}</Calendars>",
    )
    assert errors_of(data) == [('Calendar "Odd"', "calendar exception Type 7 is not supported")]


def test_no_calendar_means_monday_to_friday() -> None:
    assert (
        mspdi.read(document(task(1, body="<Duration>PT8H</Duration>"))).calendar == CalendarData()
    )
