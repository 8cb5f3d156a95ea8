"""The rules a plan's data must keep, as coded problems a reader places on its file; a
cycle among the links; a file's refusal; the plan in its canonical order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from types import MappingProxyType
from typing import NamedTuple

from planner.domain.cycles import find_cycle as find_key_cycle
from planner.domain.errors import (
    DependencyCycleError,
    ImportFormatError,
    ValidationError,
    word,
)
from planner.domain.errors import Problem as CodedProblem
from planner.domain.lags import LAG_UNITS
from planner.interop.plandata.data import (
    CONSTRAINT_TYPES,
    FORBIDDEN_CHARACTERS,
    ITEM_KINDS,
    LINK_TYPES,
    MAX_DURATION,
    MAX_ITEM_NAME,
    MAX_KEY,
    MAX_LAG,
    MAX_OWNER,
    MAX_PHASE_NAME,
    MAX_PLAN_NAME,
    MAX_WORKSTREAM,
    ItemData,
    LinkData,
    PhaseData,
    PlanData,
)

# --------------------------------------------------------------------------------------------
# problems


class Problem(NamedTuple):
    """One broken rule: where (``section`` and ``index`` into it), which field, what is wrong
    (``code`` and its ``params``, worded by planner/messages/plandata.py when read).

    ``section`` is ``plan``, ``calendar``, ``phases``, ``items`` or ``links``; ``index`` is
    None for the plan and the calendar.
    """

    section: str
    index: int | None  # type: ignore[assignment]  # a field named like tuple.index, read by callers
    field: str
    code: str
    params: Mapping[str, object] = MappingProxyType({})

    @property
    def message(self) -> str:
        """The rule worded in the current language (English outside a request)."""
        return word(self.coded())

    def coded(self) -> CodedProblem:
        """As the errors' coded problem, on :attr:`path`."""
        return CodedProblem(self.path, self.code, self.params)

    @property
    def path(self) -> str:
        """E.g. ``items[3].duration`` or ``calendar.holidays``.

        Examples:
            >>> Problem("items", 3, "duration", "x").path, Problem("plan", None, "name", "x").path
            ('items[3].duration', 'name')
        """
        if self.section == "plan":
            return self.field
        where = self.section if self.index is None else f"{self.section}[{self.index}]"
        return f"{where}.{self.field}" if self.field else where


def _is_date(value: object) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


Coded = tuple[str, dict[str, object]]


def _text_problem(value: object, limit: int, required: bool) -> Coded | None:
    if value is None:
        return ("plandata.empty", {}) if required else None
    if not isinstance(value, str):
        return "plandata.not_text", {"value": repr(value)}
    if required and not value.strip():
        return "plandata.empty", {}
    if len(value) > limit:
        return "plandata.too_long", {"max": limit, "length": len(value)}
    bad = FORBIDDEN_CHARACTERS.search(value)
    if bad:
        return "plandata.control_character", {"code": f"U+{ord(bad.group()):04X}"}
    return None


def _plan_problems(plan: PlanData) -> list[Problem]:
    out: list[Problem] = []
    problem = _text_problem(plan.name, MAX_PLAN_NAME, required=True)
    if problem:
        out.append(Problem("plan", None, "name", *problem))
    if not _is_date(plan.start):
        out.append(
            Problem("plan", None, "start", "plandata.not_a_date", {"value": repr(plan.start)})
        )
    if plan.status_date is not None and not _is_date(plan.status_date):
        value = repr(plan.status_date)
        out.append(Problem("plan", None, "status_date", "plandata.not_a_date", {"value": value}))
    try:
        plan.calendar.to_work_calendar()
    except ValidationError as exc:
        out.extend(Problem("calendar", None, p.field, p.code, p.params) for p in exc.problems)
        out.extend(
            Problem("calendar", None, path, "plandata.as_given", {"text": msg})
            for path, msg in exc.errors[: len(exc.errors) - len(exc.problems)]
        )
    return out


def _phase_problems(phases: Sequence[PhaseData]) -> list[Problem]:
    out: list[Problem] = []
    keys: dict[str, int] = {}
    ordinals: dict[int, int] = {}
    for i, phase in enumerate(phases):
        problem = _text_problem(phase.key, MAX_KEY, required=True)
        if problem:
            out.append(Problem("phases", i, "key", *problem))
        elif phase.key in keys:
            out.append(Problem("phases", i, "key", "plandata.phase_key_taken", {"key": phase.key}))
        else:
            keys[phase.key] = i
        problem = _text_problem(phase.name, MAX_PHASE_NAME, required=True)
        if problem:
            out.append(Problem("phases", i, "name", *problem))
        if not _is_int(phase.ordinal) or phase.ordinal < 0:
            at_least = {"min": 0, "value": repr(phase.ordinal)}
            out.append(Problem("phases", i, "ordinal", "plandata.whole_at_least", at_least))
        elif phase.ordinal in ordinals:
            taken = {"ordinal": phase.ordinal}
            out.append(Problem("phases", i, "ordinal", "plandata.ordinal_taken", taken))
        else:
            ordinals[phase.ordinal] = i
        dates_ok = True
        for name in ("start", "end"):
            value = getattr(phase, name)
            if not _is_date(value):
                out.append(
                    Problem("phases", i, name, "plandata.not_a_date", {"value": repr(value)})
                )
                dates_ok = False
        if dates_ok and phase.end < phase.start:
            order = {"end": str(phase.end), "start": str(phase.start)}
            out.append(Problem("phases", i, "end", "plandata.end_before_start", order))
    return out


_ITEM_DATES = (
    "actual_start",
    "actual_finish",
    "constraint_date",
    "early_start",
    "early_finish",
    "baseline_start",
    "baseline_finish",
)


_ITEM_TEXTS = (  # field, most characters, required
    ("key", MAX_KEY, True),
    ("name", MAX_ITEM_NAME, True),
    ("name_en", MAX_ITEM_NAME, False),
    ("name_zh", MAX_ITEM_NAME, False),
    ("workstream", MAX_WORKSTREAM, False),
    ("owner", MAX_OWNER, False),
)

_FieldCoded = tuple[str, str, dict[str, object]]
"""A broken rule of one item: the field, the code and its parameters."""


def _item_problems(i: int, item: ItemData, phase_keys: set[str]) -> list[Problem]:
    found: list[_FieldCoded] = [
        *_item_text_problems(item),
        *_item_kind_problems(item, phase_keys),
        *_item_number_problems(item),
        *_item_date_problems(item),
        *_item_constraint_problems(item),
    ]
    return [Problem("items", i, name, code, params) for name, code, params in found]


def _item_text_problems(item: ItemData) -> Iterator[_FieldCoded]:
    for name, limit, required in _ITEM_TEXTS:
        problem = _text_problem(getattr(item, name), limit, required)
        if problem:
            yield name, *problem


def _item_kind_problems(item: ItemData, phase_keys: set[str]) -> Iterator[_FieldCoded]:
    """Its phase and kind known, its duration one its kind can have."""
    if item.phase_key not in phase_keys:
        yield "phase_key", "plandata.unknown_phase", {"key": repr(item.phase_key)}
    if item.kind not in ITEM_KINDS:
        yield "kind", "plandata.kind", {"value": repr(item.kind)}
    duration = item.duration
    if not _is_int(duration) or duration < 0:
        yield "duration", "plandata.duration_invalid", {"value": repr(duration)}
    elif item.kind == "milestone" and duration != 0:
        yield "duration", "plandata.milestone_duration", {"value": duration}
    elif item.kind == "task" and duration == 0:
        yield "duration", "plandata.task_duration_zero", {}
    elif duration > MAX_DURATION:
        yield "duration", "plandata.duration_too_long", {"max": MAX_DURATION, "value": duration}


def _item_number_problems(item: ItemData) -> Iterator[_FieldCoded]:
    if item.version is not None and (not _is_int(item.version) or item.version < 1):
        yield "version", "plandata.whole_at_least", {"min": 1, "value": repr(item.version)}
    pc = item.percent_complete
    if not _is_int(pc) or not 0 <= pc <= 100:
        yield "percent_complete", "plandata.percent_invalid", {"value": repr(pc)}


def _item_date_problems(item: ItemData) -> Iterator[_FieldCoded]:
    """Dates that are dates; an actual finish only after an actual start."""
    for name in _ITEM_DATES:
        value = getattr(item, name)
        if value is not None and not _is_date(value):
            yield name, "plandata.not_a_date", {"value": repr(value)}
    a_start, a_finish = item.actual_start, item.actual_finish
    if a_finish is not None and a_start is None:
        yield "actual_start", "plandata.finish_without_start", {}
    elif _is_date(a_start) and _is_date(a_finish) and a_finish < a_start:  # type: ignore[operator]  # _is_date checked both are dates
        order: dict[str, object] = {"finish": str(a_finish), "start": str(a_start)}
        yield "actual_finish", "plandata.actual_finish_before_start", order


def _item_constraint_problems(item: ItemData) -> Iterator[_FieldCoded]:
    """A known constraint type, and a constraint type and date together."""
    kind, day = item.constraint_type, item.constraint_date
    if kind is not None and kind not in CONSTRAINT_TYPES:
        yield "constraint_type", "plandata.constraint_type_invalid", {"value": repr(kind)}
    if kind is not None and day is None:
        yield "constraint_date", "plandata.constraint_needs_date", {"type": kind}
    if kind is None and day is not None:
        yield "constraint_type", "plandata.date_needs_constraint", {}


def _link_problems(links: Sequence[LinkData], item_keys: set[str]) -> list[Problem]:
    out: list[Problem] = []
    pairs: set[tuple[str, str]] = set()
    for i, link in enumerate(links):
        ends_ok = True
        for name in ("predecessor", "successor"):
            key = getattr(link, name)
            if key not in item_keys:
                out.append(Problem("links", i, name, "plandata.unknown_item", {"key": repr(key)}))
                ends_ok = False
        if ends_ok and link.predecessor == link.successor:
            itself = {"key": link.successor}
            out.append(Problem("links", i, "successor", "plandata.self_link", itself))
        elif ends_ok:
            pair = (link.predecessor, link.successor)
            if pair in pairs:
                twice = {"predecessor": link.predecessor, "successor": link.successor}
                out.append(Problem("links", i, "successor", "plandata.link_twice", twice))
            pairs.add(pair)
        if link.type not in LINK_TYPES:
            value = {"value": repr(link.type)}
            out.append(Problem("links", i, "type", "plandata.link_type_invalid", value))
        if link.lag_unit not in LAG_UNITS:
            value = {"value": repr(link.lag_unit)}
            out.append(Problem("links", i, "lag_unit", "plandata.lag_unit_invalid", value))
        if not _is_int(link.lag) or not -MAX_LAG <= link.lag <= MAX_LAG:
            lag = {"max": MAX_LAG, "value": repr(link.lag)}
            out.append(Problem("links", i, "lag", "plandata.lag_invalid", lag))
    return out


def find_cycle(links: Iterable[LinkData]) -> list[str] | None:
    """Item keys along one dependency cycle (in link order, from the smallest key), or None
    when there is none (:func:`planner.domain.cycles.find_cycle`).

    Examples:
        >>> find_cycle([LinkData("a", "b"), LinkData("b", "c"), LinkData("c", "a")])
        ['a', 'b', 'c']
        >>> find_cycle([LinkData("a", "b")]) is None
        True
    """
    return find_key_cycle((link.predecessor, link.successor) for link in links)


def problems(plan: PlanData) -> list[Problem]:
    """Every rule the plan breaks; an empty list when it is sound.

    Rules: a name (≤ 200 characters) and a start date; a valid working calendar; phases with
    unique keys (≤ 64 characters) and ordinals (≥ 0), a name, and ``start ≤ end``; items with
    unique keys, a name (≤ 300), a known phase, a kind, a duration (0 for a milestone, 1 to
    :data:`MAX_DURATION` for a task), percent complete 0–100, an actual finish only with an
    actual start and not before it, a constraint type and date together; links between two
    different known items, at most one per pair, of a known type, with a whole lag within
    ±:data:`MAX_LAG`, and no dependency cycle.

    Examples:
        >>> d = dt.date(2024, 3, 4)
        >>> plan = PlanData("P", d, phases=[PhaseData("p", "Phase", 1, d, d)],
        ...                 items=[ItemData("a", "A", "p", "milestone", 2)])
        >>> [(p.path, p.code, dict(p.params)) for p in problems(plan)]
        [('items[0].duration', 'plandata.milestone_duration', {'value': 2})]
    """
    out = _plan_problems(plan)
    out.extend(_phase_problems(plan.phases))
    phase_keys = {p.key for p in plan.phases}
    keys: set[str] = set()
    for i, item in enumerate(plan.items):
        out.extend(_item_problems(i, item, phase_keys))
        if isinstance(item.key, str) and item.key in keys:
            out.append(Problem("items", i, "key", "plandata.item_key_taken", {"key": item.key}))
        keys.add(item.key)
    out.extend(_link_problems(plan.links, keys))
    sound = [
        link
        for link in plan.links
        if link.predecessor in keys
        and link.successor in keys
        and link.predecessor != link.successor
    ]
    cycle = find_cycle(sound)
    if cycle:
        names = " → ".join([*cycle, cycle[0]])
        out.append(Problem("links", None, "", "dependency.cycle", {"cycle": names}))
    return out


def validate(plan: PlanData) -> None:
    """Raise ValidationError listing every problem (DependencyCycleError for a lone cycle).

    Examples:
        >>> d = dt.date(2024, 3, 4)
        >>> ph = [PhaseData("p", "Phase", 1, d, d)]
        >>> items = [ItemData("a", "A", "p"), ItemData("b", "B", "p")]
        >>> try:
        ...     validate(PlanData("P", d, phases=ph, items=items,
        ...                       links=[LinkData("a", "b"), LinkData("b", "a")]))
        ... except DependencyCycleError as error:
        ...     error.cycle
        ['a', 'b']
    """
    found = problems(plan)
    if not found:
        return
    if len(found) == 1 and found[0].code == "dependency.cycle":
        cycle = find_cycle(plan.links)
        raise DependencyCycleError(cycle or [])
    # coded only: whoever shows the refusal words it (an English summary here reached the
    # API's Chinese readers as its detail)
    raise ValidationError(problems=[p.coded() for p in found])


def import_error(errors: Sequence[tuple[str, str]], what: str = "the file") -> ImportFormatError:
    """One ImportFormatError for every ``(where, message)`` pair (the first one in the message).

    Examples:
        >>> str(import_error([("row 3", "bad"), ("row 4", "worse")]))
        'the file cannot be imported: row 3: bad (and 1 more problem)'
    """
    first = f"{errors[0][0]}: {errors[0][1]}" if errors else "unknown problem"
    n = len(errors) - 1
    more = f" (and {n} more problem{'s' if n > 1 else ''})" if n > 0 else ""
    return ImportFormatError(f"{what} cannot be imported: {first}{more}", list(errors))


def refusal(problems: Sequence[CodedProblem], what: str = "the file") -> ImportFormatError:
    """One ImportFormatError for every coded problem (worded when read, in the reader's
    language); its own message names the first one, for logs."""
    first = f"{problems[0].field}: {word(problems[0])}" if problems else "unknown problem"
    n = len(problems) - 1
    more = f" (and {n} more problem{'s' if n > 1 else ''})" if n > 0 else ""
    return ImportFormatError(f"{what} cannot be imported: {first}{more}", problems=problems)


def normalised(plan: PlanData) -> PlanData:
    """The same plan in canonical order: phases by ordinal, items grouped by phase in that
    order (keeping their order within a phase), links by successor in item order.

    Examples:
        >>> d = dt.date(2024, 3, 4)
        >>> plan = PlanData("P", d,
        ...     phases=[PhaseData("b", "B", 2, d, d), PhaseData("a", "A", 1, d, d)],
        ...     items=[ItemData("x", "X", "b"), ItemData("y", "Y", "a")],
        ...     links=[LinkData("y", "x"), LinkData("x", "y")])
        >>> n = normalised(plan)
        >>> [p.key for p in n.phases], [i.key for i in n.items]
        (['a', 'b'], ['y', 'x'])
        >>> [(link.predecessor, link.successor) for link in n.links]
        [('x', 'y'), ('y', 'x')]
    """
    phases = tuple(sorted(plan.phases, key=lambda p: p.ordinal))
    rank = {p.key: i for i, p in enumerate(phases)}
    order = sorted(range(len(plan.items)), key=lambda i: rank.get(plan.items[i].phase_key, 1 << 30))
    items = tuple(plan.items[i] for i in order)
    position = {item.key: i for i, item in enumerate(items)}
    links = tuple(sorted(plan.links, key=lambda link: position.get(link.successor, 1 << 30)))
    return replace(plan, phases=phases, items=items, links=links)
