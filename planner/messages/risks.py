"""Messages of the risk register: scoring, the register's filters, edits, links, steering
reviews and the register file (planner/domain/risk.py, planner/services/risks/,
planner/interop/risks/)."""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext

from planner.messages import Message, Params


def _status(value: object) -> str:
    """A risk status as the register's pages name it."""
    from planner.forms.risks import STATUS_LABELS

    return str(STATUS_LABELS.get(str(value), value))


def _known(raw: Params, word: Callable[[str], str]) -> str:
    """The ``known`` values (a ", "-joined list of names) each as the pages name it."""
    from planner.explain_text import join_list

    return join_list(word(v) for v in str(raw.get("known", "")).split(", ") if v)


def _sort_column(name: str) -> str:
    """A column the register sorts by, as its header names it."""
    labels = {
        "key": gettext("Key"),
        "title": gettext("Title"),
        "status": gettext("Status"),
        "category": gettext("Category"),
        "owner": gettext("Owner"),
        "phase": gettext("Phase"),
        "inherent_score": gettext("Inherent score"),
        "residual_score": gettext("Residual score"),
        "inherent_band": gettext("Inherent rating"),
        "residual_band": gettext("Residual rating"),
        "review_date": gettext("Next review"),
    }
    return labels.get(name, name)


def _band(name: str) -> str:
    from planner.explain_text import band_label

    return band_label(name)


def _statuses(raw: Params) -> str:
    allowed = raw.get("allowed", ())
    values = allowed if isinstance(allowed, tuple | list) else (allowed,)
    from planner.explain_text import join_list

    return join_list(f"“{_status(v)}”" for v in values)


MESSAGES: dict[str, Message] = {
    # scoring and the scale (planner/domain/risk.py)
    "risk.level": lambda r, w: gettext("expected 1–5, got %(value)s", **w),
    "risk.which": lambda r, w: gettext('expected "inherent" or "residual", got %(value)s', **w),
    "risk.key_twice": lambda r, w: gettext('duplicate risk key "%(key)s"', **w),
    "risk.key_missing": lambda r, w: gettext("expected a risk key, got %(value)s", **w),
    "risk.scale.label_count": lambda r, w: gettext("expected %(count)s labels, got %(got)s", **w),
    "risk.scale.label": lambda r, w: gettext("expected a label, got %(value)s", **w),
    "risk.scale.no_band": lambda r, w: gettext("expected at least one band covering scores 1–25"),
    "risk.scale.band_name": lambda r, w: gettext("expected a band name, got %(value)s", **w),
    "risk.scale.band_twice": lambda r, w: gettext('duplicate band name "%(name)s"', **w),
    "risk.scale.first_min": lambda r, w: gettext(
        "expected 1 (the lowest band must start at 1), got %(got)s", **w
    ),
    "risk.scale.gap": lambda r, w: gettext(
        'expected %(expected)s (right after "%(previous)s" ends at %(end)s), got %(got)s', **w
    ),
    "risk.scale.max_below_min": lambda r, w: gettext(
        "must not be below the band's lowest score %(min)s, got %(got)s", **w
    ),
    "risk.scale.last_max": lambda r, w: gettext(
        "expected 25 (the highest band must end at 25), got %(got)s", **w
    ),
    "risk.score": lambda r, w: gettext("expected a whole number 1–25, got %(value)s", **w),
    "risk.band_unknown": lambda r, w: gettext(
        "unknown band %(value)s; expected one of %(known)s",
        value=w["value"],
        known=_known(r, _band),
    ),
    "risk.count": lambda r, w: gettext("expected a whole number 0 or more, got %(value)s", **w),
    # statuses
    "risk.status_unknown": lambda r, w: gettext(
        "unknown status %(value)s; expected one of %(known)s",
        value=w["value"],
        known=_known(r, _status),
    ),
    "risk.transition": lambda r, w: gettext(
        "a risk cannot go from “%(old)s” to “%(new)s”; from “%(old)s” it can go to %(allowed)s",
        old=_status(r["old"]),
        new=_status(r["new"]),
        allowed=_statuses(r),
    ),
    "risk.transition_reopen": lambda r, w: gettext(
        "a risk cannot go from “%(old)s” to “%(new)s”: reopen it first",
        old=_status(r["old"]),
        new=_status(r["new"]),
    ),
    # the register's filters and sort (a query string)
    "risk.filter.empty": lambda r, w: gettext("expected at least one value"),
    "risk.filter.as_of": lambda r, w: gettext(
        "a day is needed to filter on overdue reviews or actions"
    ),
    "risk.filter.overdue": lambda r, w: gettext(
        'expected true, false, "review" or "action", got %(value)s', **w
    ),
    "risk.filter.cell": lambda r, w: gettext(
        "expected (likelihood, impact, which), got %(value)s", **w
    ),
    "risk.sort_unknown": lambda r, w: gettext(
        "unknown column %(value)s; expected one of %(known)s",
        value=w["value"],
        known=_known(r, _sort_column),
    ),
    # a risk's edits
    "risk.title_required": lambda r, w: gettext("a risk needs a title"),
    "risk.response_unknown": lambda r, w: gettext(
        'unknown response "%(value)s"; expected one of %(known)s', **w
    ),
    "risk.phase_of_program": lambda r, w: gettext("expected a phase of this program"),
    "risk.key_pattern": lambda r, w: gettext(
        "use letters, digits, '.', '_' or '-' (at most 64), e.g. R-11"
    ),
    "risk.key_taken": lambda r, w: gettext(
        '"%(key)s" is already used by another risk of this program', **w
    ),
    "risk.no_phase": lambda r, w: gettext('no phase "%(key)s" in this program', **w),
    "risk.no_item": lambda r, w: gettext('no work item "%(key)s" in this program', **w),
    # actions and links
    "risk.action.title_required": lambda r, w: gettext("an action needs a title"),
    "risk.action.risk_closed": lambda r, w: gettext(
        "risk %(key)s is %(status)s: reopen it before adding actions",
        key=w["key"],
        status=_status(r["status"]),
    ),
    "risk.link.no_item": lambda r, w: gettext("no work item #%(id)s", **w),
    "risk.link.item_elsewhere": lambda r, w: gettext(
        "work item #%(id)s belongs to another program; a risk can only be linked to work "
        "items of its own program",
        **w,
    ),
    "risk.link.no_phase": lambda r, w: gettext("no phase #%(id)s", **w),
    "risk.link.phase_elsewhere": lambda r, w: gettext(
        "phase #%(id)s belongs to another program; a risk can only be linked to phases of "
        "its own program",
        **w,
    ),
    "risk.link.twice": lambda r, w: gettext("%(what)s is already linked to %(risk)s", **w),
    # steering reviews
    "risk.review.date_required": lambda r, w: gettext("a review needs the date it is held"),
    "risk.review.date_taken": lambda r, w: gettext("there is already a review on %(day)s", **w),
    "risk.decision.risk_of_program": lambda r, w: gettext("expected a risk of this program"),
    "risk.decision.unknown": lambda r, w: gettext(
        'unknown decision "%(value)s"; expected one of %(known)s', **w
    ),
    # the register file (.xlsx, .csv)
    "risk.file.text_empty": lambda r, w: gettext("expected some text, got an empty cell"),
    "risk.file.key_empty": lambda r, w: gettext(
        "expected a risk key such as R-11, got an empty cell"
    ),
    "risk.file.key_pattern": lambda r, w: gettext(
        "expected a key of letters, digits, '.', '_' or '-' (at most 64), got %(value)s", **w
    ),
    "risk.file.level_empty": lambda r, w: gettext("expected 1–5, got an empty cell"),
    "risk.file.date": lambda r, w: gettext("expected a date like 2026-05-31, got %(value)s", **w),
    "risk.file.choice": lambda r, w: gettext("expected one of %(known)s, got %(value)s", **w),
    "risk.file.rank": lambda r, w: gettext("expected a whole number 1 or more, got %(value)s", **w),
    "risk.file.yes_no": lambda r, w: gettext("expected yes or no, got %(value)s", **w),
    "risk.file.too_big": lambda r, w: gettext(
        "the file is %(size)s bytes; at most %(max)s are accepted", **w
    ),
    "risk.file.not_zip": lambda r, w: gettext(
        "this is not an .xlsx workbook (not a valid zip file)"
    ),
    "risk.file.not_xlsx": lambda r, w: gettext("this is not an .xlsx workbook (%(error)s)", **w),
    "risk.file.parts": lambda r, w: gettext(
        "the workbook holds %(parts)s parts; at most %(max)s", **w
    ),
    "risk.file.unpacks": lambda r, w: gettext(
        "the workbook unpacks to %(size)s bytes; at most %(max)s are accepted", **w
    ),
    "risk.file.zip_not_xlsx": lambda r, w: gettext(
        "this zip file is not an .xlsx workbook (no xl/workbook.xml)"
    ),
    "risk.file.bad_utf8": lambda r, w: gettext(
        "the CSV file starts as UTF-8 but byte %(byte)s is not UTF-8: save it again as CSV UTF-8",
        **w,
    ),
    "risk.file.bad_csv": lambda r, w: gettext("line %(line)s: not valid CSV (%(error)s)", **w),
    "risk.file.no_header": lambda r, w: gettext(
        "no header row found in the register: the first %(rows)s rows need %(names)s", **w
    ),
    "risk.file.no_header_sheet": lambda r, w: gettext(
        "no header row found: the first %(rows)s rows need %(names)s", **w
    ),
    "risk.file.kind": lambda r, w: gettext('expected an .xlsx or .csv file, got "%(name)s"', **w),
    "risk.file.key_twice": lambda r, w: gettext(
        'duplicate key "%(key)s" (also on row %(row)s)', **w
    ),
    "risk.file.no_risks": lambda r, w: gettext("the register has a header row but no risks"),
    "risk.file.action_no_risk": lambda r, w: gettext(
        'no risk "%(key)s" on the register sheet', **w
    ),
    "risk.file.unreadable": lambda r, w: gettext("the workbook could not be read (%(error)s)", **w),
    "risk.file.sheet_unreadable": lambda r, w: gettext(
        "a sheet could not be read (%(error)s)", **w
    ),
}
