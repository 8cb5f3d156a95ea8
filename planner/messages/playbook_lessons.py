"""Messages of lessons learned (planner/domain/playbook_lessons.py): each lesson proposed (what
to change and why), lessons that do not fit the playbook, and the new version's number."""

from __future__ import annotations

from flask_babel import get_locale, gettext, ngettext

from planner.messages import Message, Params, Words


def _chinese() -> bool:
    """Whether the reader reads Chinese (then the program's Chinese names are shown)."""
    locale = get_locale()
    return locale is not None and locale.language == "zh"


def _named(raw: Params, field: str) -> str:
    """A name the program gave in both languages, in the reader's (English when no Chinese)."""
    chinese = raw.get(f"{field}_zh") if _chinese() else None
    return str(chinese or raw.get(field) or "")


def _details(raw: Params, words: Words) -> str:
    """An added item's name, length and predecessors, as the lesson lists them."""
    details = [f'"{_named(raw, "name")}"']
    days = raw.get("days")
    if isinstance(days, int) and days > 0:
        details.append(ngettext("%(num)d working day", "%(num)d working days", days))
    if raw.get("after"):
        details.append(gettext("after %(keys)s", keys=words["after"]))
    return ("，" if _chinese() else ", ").join(details)


def _add_task(raw: Params, words: Words) -> str:
    values = {**words, "details": _details(raw, words)}
    if raw.get("left_out"):
        return gettext(
            'Add task "%(key)s" to phase "%(phase)s" (%(details)s): the program added it. '
            "Its link from %(left_out)s is left out: not in the playbook.",
            **values,
        )
    return gettext(
        'Add task "%(key)s" to phase "%(phase)s" (%(details)s): the program added it.', **values
    )


def _add_milestone(raw: Params, words: Words) -> str:
    values = {**words, "details": _details(raw, words)}
    if raw.get("left_out"):
        return gettext(
            'Add milestone "%(key)s" to phase "%(phase)s" (%(details)s): the program added it. '
            "Its link from %(left_out)s is left out: not in the playbook.",
            **values,
        )
    return gettext(
        'Add milestone "%(key)s" to phase "%(phase)s" (%(details)s): the program added it.',
        **values,
    )


def _add_risk(raw: Params, words: Words) -> str:
    return gettext(
        'Add risk "%(key)s" ("%(title)s", likelihood %(likelihood)s, impact %(impact)s): it '
        "occurred in the program and the playbook does not list it.",
        **{**words, "title": _named(raw, "title")},
    )


MESSAGES: dict[str, Message] = {
    "lessons.add_task": _add_task,
    "lessons.add_milestone": _add_milestone,
    "lessons.lengthen_task": lambda r, w: gettext(
        'Lengthen task "%(key)s" from %(planned)s to %(proposed)s working days: it took '
        "%(took)s (%(over)s%% over).",
        **w,
    ),
    "lessons.raise_risk": lambda r, w: gettext(
        'Raise the likelihood of risk "%(key)s" from %(before)s to %(after)s: it occurred in '
        "the program.",
        **w,
    ),
    "lessons.add_risk": _add_risk,
    "lessons.adjust_target": lambda r, w: gettext(
        'Adjust the phase-%(phase)s target of metric "%(key)s" from %(target)s to '
        "%(proposed)s: the program reached %(actual)s against %(target)s (halfway towards the "
        "actual; review it).",
        **w,
    ),
    "lessons.threshold_negative": lambda r, w: gettext(
        "The duration threshold cannot be negative, got %(got)s.", **w
    ),
    "lessons.whole_number": lambda r, w: gettext("Expected a whole number %(min)s–%(max)s.", **w),
    "lessons.no_task": lambda r, w: gettext("The playbook has no task “%(key)s”.", **w),
    "lessons.no_risk": lambda r, w: gettext("The playbook has no risk “%(key)s”.", **w),
    "lessons.no_metric": lambda r, w: gettext("The playbook has no metric “%(key)s”.", **w),
    "lessons.no_phase": lambda r, w: gettext("The playbook has no phase “%(key)s”.", **w),
    "lessons.unknown_kind": lambda r, w: gettext("Unknown kind of lesson “%(kind)s”.", **w),
    "lessons.phase_ordinal": lambda r, w: gettext("Expected a phase number."),
    "lessons.number": lambda r, w: gettext("Expected a number."),
    "lessons.predecessors": lambda r, w: gettext("Expected a list of predecessors."),
    "lessons.predecessor": lambda r, w: gettext(
        "Expected a work item key, or a key with a link type and a lag."
    ),
    "lessons.version_format": lambda r, w: gettext(
        "“%(version)s” is not a version number: use numbers separated by dots, e.g. 1.1.", **w
    ),
    "lessons.version_not_newer": lambda r, w: gettext(
        "Version %(version)s is not newer than %(current)s: choose a version after %(current)s.",
        **w,
    ),
}
