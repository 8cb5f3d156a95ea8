"""The iCalendar feed of milestones and gate reviews: stable UIDs, all-day dates, Chinese text."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar

from planner.domain.errors import ValidationError
from planner.interop.ical import CalendarEvent, event_uid, write_calendar

D = dt.date
AT = dt.datetime(2024, 10, 1, 9, 30, tzinfo=dt.UTC)
LONG_TITLE = "第一阶段门评审 Phase 1 gate review — 销售自动化、数据迁移与培训的准备情况 " * 2
EVENTS = [
    CalendarEvent(
        "gate-1",
        "gate",
        LONG_TITLE.strip(),
        D(2024, 12, 13),
        "决策：继续 / 有条件继续 / 停止\nDecision requested: go / no-go",
        "https://planner.example/programs/acme/gates/1",
    ),
    CalendarEvent("milestone-golive", "milestone", "上线 Go-live", D(2024, 10, 22)),
    CalendarEvent("milestone-kickoff", "milestone", "Kick-off", D(2024, 9, 2)),
]


#: the words of each kind of event, as the caller gives them in the subscriber's language
CATEGORIES = {"milestone": "里程碑", "gate": "阶段关口评审"}


def parsed(data: bytes) -> Calendar:
    return Calendar.from_ical(data)


def test_events_parse_back_with_uids_dates_and_text() -> None:
    calendar = parsed(
        write_calendar(
            "Acme 华东 CRM 推广", "acme-2024", EVENTS, generated_at=AT, categories=CATEGORIES
        )
    )
    assert str(calendar["X-WR-CALNAME"]) == "Acme 华东 CRM 推广"
    assert str(calendar["VERSION"]) == "2.0"
    events = list(calendar.walk("VEVENT"))
    # in date order: kick-off 2 Sep, go-live 22 Oct, gate 13 Dec
    assert [str(e["UID"]) for e in events] == [
        "milestone-kickoff@acme-2024.crm-rollout-planner",
        "milestone-golive@acme-2024.crm-rollout-planner",
        "gate-1@acme-2024.crm-rollout-planner",
    ]
    assert [(e.decoded("DTSTART"), e.decoded("DTEND")) for e in events] == [
        (D(2024, 9, 2), D(2024, 9, 3)),  # all-day: the end is the next day, exclusive
        (D(2024, 10, 22), D(2024, 10, 23)),
        (D(2024, 12, 13), D(2024, 12, 14)),
    ]
    gate = events[2]
    assert str(gate["SUMMARY"]) == LONG_TITLE.strip()
    assert str(gate["DESCRIPTION"]) == EVENTS[0].description
    assert str(gate["URL"]) == EVENTS[0].url
    assert gate["CATEGORIES"].cats == ["阶段关口评审"]
    assert events[1]["CATEGORIES"].cats == ["里程碑"]
    assert str(events[1]["SUMMARY"]) == "上线 Go-live"
    assert "DESCRIPTION" not in events[1] and "URL" not in events[1]
    assert all(str(e["TRANSP"]) == "TRANSPARENT" for e in events)


def test_all_day_values_and_folded_utf8_lines() -> None:
    data = write_calendar("Acme", "acme", EVENTS, generated_at=AT, categories=CATEGORIES)
    assert b"DTSTART;VALUE=DATE:20241213\r\n" in data
    assert b"DTEND;VALUE=DATE:20241214\r\n" in data
    lines = data.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75  # folded at 75 octets
    data.decode("utf-8")  # a fold never cuts a character in two
    assert data.endswith(b"END:VCALENDAR\r\n")


def test_two_writes_give_the_same_uids_and_bytes() -> None:
    first = write_calendar("Acme", "acme", EVENTS, generated_at=AT, categories=CATEGORIES)
    again = write_calendar(
        "Acme", "acme", list(reversed(EVENTS)), generated_at=AT, categories=CATEGORIES
    )
    assert first == again  # reproducible, whatever the order of the events
    moved = [EVENTS[0], CalendarEvent("milestone-golive", "milestone", "上线", D(2024, 11, 5))]
    later = write_calendar(
        "Acme", "acme", moved, generated_at=AT + dt.timedelta(days=1), categories=CATEGORIES
    )
    uids = {str(e["UID"]): e for e in parsed(later).walk("VEVENT")}
    assert set(uids) <= {str(e["UID"]) for e in parsed(first).walk("VEVENT")}
    # the moved milestone keeps its UID: a subscribed calendar moves it
    assert uids["milestone-golive@acme.crm-rollout-planner"].decoded("DTSTART") == D(2024, 11, 5)


def test_dtstamp_comes_from_generated_at_in_utc() -> None:
    beijing = dt.timezone(dt.timedelta(hours=8))
    data = write_calendar(
        "Acme",
        "acme",
        EVENTS[:1],
        generated_at=dt.datetime(2024, 10, 1, 17, 30, 12, 999, beijing),
        categories=CATEGORIES,
    )
    assert b"DTSTAMP:20241001T093012Z\r\n" in data  # 17:30 in Beijing is 09:30 UTC
    naive = write_calendar(
        "Acme", "acme", EVENTS[:1], generated_at=dt.datetime(2024, 10, 1, 9), categories=CATEGORIES
    )
    assert b"DTSTAMP:20241001T090000Z\r\n" in naive  # a naive time is taken as UTC


def test_feed_properties() -> None:
    calendar = parsed(write_calendar("Acme", "acme", [], generated_at=AT, categories=CATEGORIES))
    assert str(calendar["PRODID"]) == "-//CRM Rollout Planner//Calendar feed//EN"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert calendar.decoded("REFRESH-INTERVAL") == dt.timedelta(hours=1)
    assert list(calendar.walk("VEVENT")) == []


@pytest.mark.parametrize(
    ("uid_key", "program_key", "uid"),
    [
        ("m-1", "acme", "m-1@acme.crm-rollout-planner"),
        ("gate 1", "acme", "gate%201@acme.crm-rollout-planner"),
        ("里程碑", "华东", "%E9%87%8C%E7%A8%8B%E7%A2%91@%E5%8D%8E%E4%B8%9C.crm-rollout-planner"),
        ("a@b", "x.y", "a%40b@x.y.crm-rollout-planner"),
    ],
)
def test_event_uids(uid_key: str, program_key: str, uid: str) -> None:
    assert event_uid(uid_key, program_key) == uid


@pytest.mark.parametrize(
    ("events", "path", "code"),
    [
        ([CalendarEvent("", "gate", "G", D(2024, 9, 2))], "events[0].uid_key", "field.required"),
        ([EVENTS[1], EVENTS[1]], "events[1].uid_key", "calendar.feed.uid_taken"),
        ([CalendarEvent("k", "risk", "R", D(2024, 9, 2))], "events[0].kind", "field.not_a_choice"),
        ([CalendarEvent("k", "gate", " ", D(2024, 9, 2))], "events[0].title", "field.required"),
        (
            [CalendarEvent("k", "gate", "G", dt.datetime(2024, 9, 2))],
            "events[0].day",
            "calendar.not_a_date",
        ),
    ],
)
def test_bad_events_are_refused_with_coded_problems(
    events: list[CalendarEvent], path: str, code: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        write_calendar("Acme", "acme", events, generated_at=AT, categories=CATEGORIES)
    assert [(p.field, p.code) for p in caught.value.problems] == [(path, code)]


def test_a_kind_without_its_category_word_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        write_calendar("Acme", "acme", EVENTS, generated_at=AT, categories={"gate": "Gate"})
    assert [(p.field, p.code) for p in caught.value.problems] == [
        ("categories.milestone", "field.required")
    ]
