"""The rules for a risk's fields as a form, file or request gives them: what is required,
how long text may be, which levels, responses, statuses and dates are allowed.

Pure: the caller looks up what needs the database (the proximity phase, the review cadence)
and refuses with every problem at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, Final

from planner.domain.errors import Problem, ValidationError
from planner.domain.risk import RESPONSE_STRATEGIES, STATUSES, check_level

MAX_LENGTHS: Final[Mapping[str, int]] = {
    "title": 300,
    "title_zh": 300,
    "category": 64,
    "owner": 120,
    "action_title": 300,
    "action_owner": 120,
    "review_title": 200,
}
TEXT_FIELDS: Final[tuple[str, ...]] = (
    "description",
    "description_zh",
    "cause",
    "cause_zh",
    "effect",
    "effect_zh",
    "mitigation",
    "mitigation_zh",
    "contingency",
    "trigger",
    "issue_note",
    "residual_reason",
)
#: likelihood and impact fields, and whether they may be left empty
_LEVELS: Final[tuple[tuple[str, bool], ...]] = (
    ("likelihood", False),
    ("impact", False),
    ("residual_likelihood", True),
    ("residual_impact", True),
)
_DATES: Final[tuple[str, ...]] = ("proximity_date", "review_date", "occurred_on")


def check_risk_fields(
    data: Mapping[str, Any], *, partial: bool = False
) -> tuple[dict[str, Any], list[Problem]]:
    """The fields of ``data`` cleaned, and the problems found (none: all good).

    Without ``partial`` a missing title, category, level or response is checked as empty;
    with it (an update from a file) only the fields present are.

    Examples:
        >>> clean, problems = check_risk_fields({"title": " Late data ", "likelihood": "3",
        ...     "impact": 2, "response": "accept"})
        >>> clean["title"], clean["likelihood"], clean["response"], problems
        ('Late data', 3, 'accept', [])
        >>> [p.code for p in check_risk_fields({"status": "gone"}, partial=True)[1]]
        ['risk.status_unknown']
    """
    clean: dict[str, Any] = {}
    problems: list[Problem] = []

    def present(name: str) -> bool:
        return name in data or not partial

    _texts(data, present, clean, problems)
    for name, optional in _LEVELS:
        if present(name):
            clean[name] = _level(data.get(name), name, problems, optional)
    if present("response"):
        clean["response"] = _choice(
            data.get("response") or "mitigate", "response", RESPONSE_STRATEGIES, problems
        )
    if "status" in data:
        clean["status"] = _choice(data.get("status") or "open", "status", STATUSES, problems)
    for name in _DATES:
        if name in data:
            value = data.get(name)
            if value is not None and not isinstance(value, dt.date):
                problems.append(Problem(name, "field.not_a_date"))
            clean[name] = value
    return clean, problems


def _texts(
    data: Mapping[str, Any],
    present: Callable[[str], bool],
    clean: dict[str, Any],
    problems: list[Problem],
) -> None:
    """The title (required), short texts and long texts; then their lengths."""
    if present("title"):
        title = (data.get("title") or "").strip()
        if not title:
            problems.append(Problem("title", "risk.title_required"))
        clean["title"] = title
    for name in ("title_zh", "owner"):
        if present(name) and name in data:
            clean[name] = (data.get(name) or "").strip() or None
    if present("category"):
        clean["category"] = (data.get("category") or "").strip()
    for name in TEXT_FIELDS:
        if name in data:
            value = data.get(name)
            # an English text is "" when empty, a Chinese one None (shown in English then)
            clean[name] = (value or "") if not name.endswith("_zh") else (value or None)
    for name, limit in MAX_LENGTHS.items():
        value = clean.get(name)
        if isinstance(value, str) and len(value) > limit:
            problems.append(Problem(name, "field.too_long", {"max": str(limit)}))


def _level(value: Any, path: str, problems: list[Problem], optional: bool) -> int | None:
    """A level 1–5, also typed as digits; ``None`` for an empty optional one or a bad one."""
    if optional and value in (None, ""):
        return None
    candidate = value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        candidate = int(value.strip())
    try:
        return check_level(candidate, path)
    except ValidationError as exc:
        problems.extend(exc.problems)
        return None


def _choice(value: Any, name: str, known: tuple[str, ...], problems: list[Problem]) -> Any:
    if value not in known:
        # as the messages expect them: a status quoted, a response bare
        shown = f'"{value}"' if name == "status" else value
        problems.append(
            Problem(name, f"risk.{name}_unknown", {"value": shown, "known": ", ".join(known)})
        )
    return value
