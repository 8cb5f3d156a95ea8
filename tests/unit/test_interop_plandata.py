"""The plan as plain data: normalisation of text, the rules of problems(), canonical order.

Also home of the hypothesis strategy ``plans()`` used by the round-trip properties of the
file formats (MSPDI, CSV, .xlsx).
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.domain.errors import DependencyCycleError, ValidationError
from planner.interop.plandata import (
    CalendarData,
    ItemData,
    LinkData,
    PhaseData,
    PlanData,
    find_cycle,
    import_error,
    normalised,
    problems,
    validate,
)

D = dt.date
START = D(2024, 9, 2)  # a Monday
P1 = PhaseData("p1", "Phase 1", 1, START, D(2024, 12, 10))


def plan_of(*items: ItemData, links: tuple[LinkData, ...] = (), **kw: object) -> PlanData:
    return PlanData("Plan", START, phases=(P1,), items=items, links=links, **kw)


def paths(plan: PlanData) -> list[tuple[str, str]]:
    return [(p.path, p.message) for p in problems(plan)]


# -- the strategy shared by the round-trip properties -------------------------------------

_ALPHABET = "abcXYZ 09-_=+@'\"<>&;,.:/\\%中文阶段里程碑\t"
texts = st.text(_ALPHABET, min_size=1, max_size=12).filter(lambda s: s.strip() != "")
keys = st.text("abcdefgh-_0123", min_size=1, max_size=6)
days = st.dates(D(2024, 1, 1), D(2025, 12, 31))
maybe_day = st.none() | days


@st.composite
def calendars(draw: st.DrawFn) -> CalendarData:
    workdays = draw(st.frozensets(st.integers(0, 6), min_size=1))
    holidays = draw(st.frozensets(days, max_size=6))
    extra = draw(st.frozensets(days, max_size=3)) - holidays
    return CalendarData(workdays, holidays, extra)


@st.composite
def plans(draw: st.DrawFn, max_items: int = 8) -> PlanData:
    """A sound plan in canonical order; links only go from earlier to later items (no cycle)."""
    phase_keys = draw(st.lists(keys, min_size=1, max_size=4, unique=True))
    ordinals = draw(
        st.lists(st.integers(0, 9), min_size=len(phase_keys), max_size=len(phase_keys), unique=True)
    )
    phases = []
    for key, ordinal in zip(phase_keys, ordinals, strict=True):
        start = draw(days)
        end = start + dt.timedelta(days=draw(st.integers(0, 120)))
        # names sometimes repeat, or equal another phase's key
        name = draw(st.sampled_from(phase_keys) | st.just("Phase") | texts)
        phases.append(PhaseData(key, name, ordinal, start, end))
    item_keys = draw(st.lists(keys, max_size=max_items, unique=True))
    items = []
    for key in item_keys:
        kind = draw(st.sampled_from(["task", "milestone"]))
        duration = 0 if kind == "milestone" else draw(st.integers(1, 5000))
        actual_start = draw(maybe_day)
        actual_finish = None
        if actual_start is not None and draw(st.booleans()):
            actual_finish = actual_start + dt.timedelta(days=draw(st.integers(0, 30)))
        constraint = draw(st.sampled_from([None, "SNET", "FNLT"]))
        items.append(
            ItemData(
                key=key,
                name=draw(texts),
                phase_key=draw(st.sampled_from(phase_keys)),
                kind=kind,
                duration=duration,
                workstream=draw(st.none() | texts),
                owner=draw(st.none() | texts),
                percent_complete=draw(st.integers(0, 100)),
                actual_start=actual_start,
                actual_finish=actual_finish,
                constraint_type=constraint,
                constraint_date=draw(days) if constraint else None,
                early_start=draw(maybe_day),
                early_finish=draw(maybe_day),
                baseline_start=draw(maybe_day),
                baseline_finish=draw(maybe_day),
            )
        )
    pairs = [(i, j) for i in range(len(items)) for j in range(i + 1, len(items))]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=10)) if pairs else []
    links = [
        LinkData(
            items[i].key,
            items[j].key,
            draw(st.sampled_from(["FS", "SS", "FF", "SF"])),
            draw(st.integers(-2000, 2000)),
        )
        for i, j in chosen
    ]
    plan = PlanData(draw(texts), draw(days), draw(calendars()), phases, items, links)
    assert problems(plan) == [], problems(plan)
    return normalised(plan)


# -- text normalisation -------------------------------------------------------------------


def test_text_is_stripped_and_kept_on_one_line() -> None:
    item = ItemData("  k1 ", " Design\tand\r\nbuild  ", " p1", workstream="  ", owner=" 王伟 ")
    assert (item.key, item.name, item.phase_key) == ("k1", "Design and build", "p1")
    assert item.workstream is None  # blank optional text is no text
    assert item.owner == "王伟"
    assert PlanData("  P ", START).name == "P"
    assert LinkData(" a", "b ").predecessor == "a"


def test_sequences_and_sets_are_stored_as_tuples_and_frozensets() -> None:
    plan = PlanData("P", START, CalendarData([0, 1], [D(2024, 10, 1)], []), [P1], [], [])
    assert isinstance(plan.phases, tuple) and isinstance(plan.calendar.workdays, frozenset)
    assert plan == PlanData("P", START, CalendarData(frozenset({0, 1}), {D(2024, 10, 1)}), (P1,))


# -- problems -----------------------------------------------------------------------------


def test_a_sound_plan_has_no_problem() -> None:
    plan = plan_of(
        ItemData("a", "A", "p1", duration=3, constraint_type="SNET", constraint_date=START),
        ItemData("m", "M", "p1", "milestone", 0, actual_start=START, actual_finish=START),
        links=(LinkData("a", "m", "FF", -2),),
    )
    assert problems(plan) == []
    validate(plan)


@pytest.mark.parametrize(
    ("item", "path", "message"),
    [
        (ItemData("", "A", "p1"), "items[0].key", "must not be empty"),
        (ItemData("a", " ", "p1"), "items[0].name", "must not be empty"),
        (ItemData("a", "A", "zz"), "items[0].phase_key", "no phase has the key 'zz'"),
        (
            ItemData("a", "A", "p1", "phase", 1),
            "items[0].kind",
            'expected "task" or "milestone", got \'phase\'',
        ),
        (
            ItemData("a", "A", "p1", "milestone", 2),
            "items[0].duration",
            "a milestone has a duration of 0, got 2",
        ),
        (
            ItemData("a", "A", "p1", "task", 0),
            "items[0].duration",
            "a task lasts at least 1 working day (make it a milestone instead)",
        ),
        (
            ItemData("a", "A", "p1", "task", 5001),
            "items[0].duration",
            "must be at most 5000 working days, got 5001",
        ),
        (
            ItemData("a", "A", "p1", "task", 2.5),
            "items[0].duration",
            "expected a whole number of working days ≥ 0, got 2.5",
        ),
        (
            ItemData("a", "A", "p1", percent_complete=101),
            "items[0].percent_complete",
            "expected a whole number from 0 to 100, got 101",
        ),
        (
            ItemData("a", "A", "p1", actual_finish=START),
            "items[0].actual_start",
            "an item with an actual finish needs an actual start",
        ),
        (
            ItemData("a", "A", "p1", actual_start=D(2024, 9, 5), actual_finish=D(2024, 9, 4)),
            "items[0].actual_finish",
            "2024-09-04 is before the actual start 2024-09-05",
        ),
        (
            ItemData("a", "A", "p1", constraint_type="SNET"),
            "items[0].constraint_date",
            "a SNET constraint needs a date",
        ),
        (
            ItemData("a", "A", "p1", constraint_date=START),
            "items[0].constraint_type",
            "a constraint date needs a constraint type (SNET or FNLT)",
        ),
        (
            ItemData("a", "A", "p1", constraint_type="MSO", constraint_date=START),
            "items[0].constraint_type",
            'expected "SNET", "FNLT" or none, got \'MSO\'',
        ),
        (
            ItemData("a", "A" * 301, "p1"),
            "items[0].name",
            "must be at most 300 characters, got 301",
        ),
        (
            ItemData("a", "bell\x07", "p1"),
            "items[0].name",
            "must not contain the control character U+0007",
        ),
        (
            ItemData("a", "A", "p1", early_start=dt.datetime(2024, 9, 2, 8)),
            "items[0].early_start",
            "expected a date, got datetime.datetime(2024, 9, 2, 8, 0)",
        ),
    ],
)
def test_item_problems(item: ItemData, path: str, message: str) -> None:
    assert paths(plan_of(item)) == [(path, message)]


@pytest.mark.parametrize(
    ("link", "path", "message"),
    [
        (LinkData("a", "zz"), "links[0].successor", "no work item has the key 'zz'"),
        (LinkData("a", "a"), "links[0].successor", "a depends on itself"),
        (LinkData("a", "b", "XX"), "links[0].type", "expected FS, SS, FF or SF, got 'XX'"),
        (
            LinkData("a", "b", "FS", 2001),
            "links[0].lag",
            "expected a whole number of working days from -2000 to 2000, got 2001",
        ),
    ],
)
def test_link_problems(link: LinkData, path: str, message: str) -> None:
    plan = plan_of(ItemData("a", "A", "p1"), ItemData("b", "B", "p1"), links=(link,))
    assert paths(plan) == [(path, message)]


def test_duplicates_are_problems() -> None:
    plan = PlanData(
        "P",
        START,
        phases=(P1, PhaseData("p1", "Again", 1, START, START)),
        items=(ItemData("a", "A", "p1"), ItemData("a", "B", "p1")),
        links=(LinkData("a", "a"),),
    )
    assert paths(plan) == [
        ("phases[1].key", '"p1" is used by another phase'),
        ("phases[1].ordinal", "1 is used by another phase"),
        ("items[1].key", '"a" is used by another item'),
        ("links[0].successor", "a depends on itself"),
    ]
    twice = plan_of(
        ItemData("a", "A", "p1"),
        ItemData("b", "B", "p1"),
        links=(LinkData("a", "b"), LinkData("a", "b", "SS")),
    )
    assert paths(twice) == [("links[1].successor", "a → b is listed twice")]


def test_plan_phase_and_calendar_problems() -> None:
    plan = PlanData(
        "",
        START,
        CalendarData(frozenset(), {D(2024, 10, 1)}, {D(2024, 10, 1)}),
        phases=(PhaseData("p", "P", -1, D(2024, 9, 5), D(2024, 9, 4)),),
    )
    assert paths(plan) == [
        ("name", "must not be empty"),
        ("calendar.workdays", "a working calendar needs at least one working weekday"),
        ("calendar.extra_workdays", "also listed as holidays: 2024-10-01"),
        ("phases[0].ordinal", "expected a whole number ≥ 0, got -1"),
        ("phases[0].end", "2024-09-04 is before the start 2024-09-05"),
    ]


def test_a_cycle_is_named_and_raised_as_dependency_cycle_error() -> None:
    items = [ItemData(k, k.upper(), "p1") for k in "abc"]
    links = (LinkData("b", "c"), LinkData("c", "a"), LinkData("a", "b"))
    assert find_cycle(links) == ["a", "b", "c"]  # rotated to start at the smallest key
    with pytest.raises(DependencyCycleError) as caught:
        validate(plan_of(*items, links=links))
    assert caught.value.cycle == ["a", "b", "c"]
    assert str(caught.value) == "dependency cycle: a → b → c → a"


def test_validate_lists_every_problem() -> None:
    plan = plan_of(ItemData("a", "", "p1", duration=-1))
    with pytest.raises(ValidationError) as caught:
        validate(plan)
    assert [(p.field, p.code) for p in caught.value.problems] == [
        ("items[0].name", "plandata.empty"),
        ("items[0].duration", "plandata.duration_invalid"),
    ]
    assert [path for path, _ in caught.value.errors] == ["items[0].name", "items[0].duration"]


def test_import_error_counts_the_other_problems() -> None:
    assert str(import_error([("row 2", "x")])) == "the file cannot be imported: row 2: x"
    error = import_error([("a", "x"), ("b", "y"), ("c", "z")], "the MS Project file")
    assert str(error) == "the MS Project file cannot be imported: a: x (and 2 more problems)"
    assert error.errors == [("a", "x"), ("b", "y"), ("c", "z")]


def test_normalised_orders_phases_items_and_links() -> None:
    p2 = PhaseData("p2", "Phase 2", 2, START, START)
    p0 = PhaseData("p0", "Diagnosis", 0, START, START)
    items = (
        ItemData("x", "X", "p2"),
        ItemData("y", "Y", "p1"),
        ItemData("z", "Z", "p0"),
        ItemData("w", "W", "p2"),
    )
    links = (LinkData("z", "w"), LinkData("z", "x"), LinkData("x", "w"), LinkData("z", "y"))
    plan = normalised(PlanData("P", START, phases=(p2, P1, p0), items=items, links=links))
    assert [p.key for p in plan.phases] == ["p0", "p1", "p2"]
    assert [i.key for i in plan.items] == ["z", "y", "x", "w"]  # by phase, stable within one
    # by successor in item order (y, x, w), stable for the same successor
    assert [(lk.predecessor, lk.successor) for lk in plan.links] == [
        ("z", "y"),
        ("z", "x"),
        ("z", "w"),
        ("x", "w"),
    ]
    assert normalised(plan) == plan


@settings(max_examples=60, deadline=None)
@given(plans())
def test_generated_plans_are_sound_and_canonical(plan: PlanData) -> None:
    assert problems(plan) == []
    assert normalised(plan) == plan
