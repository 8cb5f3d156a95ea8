"""Messages of the RAID log: issues, actions, decisions, change requests, risk cadence."""

from __future__ import annotations

from flask_babel import gettext

from planner.messages import Message

MESSAGES: dict[str, Message] = {
    "raid.issue.skipped_step": lambda r, w: gettext(
        "An issue cannot go from “%(old)s” to “%(new)s”; from here it can go to: %(allowed)s.",
        old=status_word(str(r["old"])),
        new=status_word(str(r["new"])),
        allowed=", ".join(status_word(s) for s in str(r["allowed"]).split(", ") if s),
    ),
    "raid.issue.resolution_needed": lambda r, w: gettext(
        "Say how the issue was resolved before marking it resolved."
    ),
    "raid.action.parent_closed": lambda r, w: gettext(
        "%(key)s is closed: reopen it before adding actions.", **w
    ),
    "raid.risk.residual_reason_needed": lambda r, w: gettext(
        "The residual score (%(residual)s) is above the inherent score (%(inherent)s): "
        "give the reason the response makes the risk worse.",
        **w,
    ),
    "raid.risk.already_occurred": lambda r, w: gettext(
        "%(key)s has already occurred: see the issue it became.", **w
    ),
    "raid.change.not_a_milestone": lambda r, w: gettext(
        "%(key)s is not a milestone: only a milestone can be moved to a date.", **w
    ),
    "raid.change.milestone_has_no_work": lambda r, w: gettext(
        "%(key)s is a milestone: it has no work to add, remove or resize; move it instead.", **w
    ),
    "raid.change.duration_range": lambda r, w: gettext(
        "The change would make the work %(duration)s days long; it must be 1 to %(max)s days.",
        **w,
    ),
    "raid.change.not_pending": lambda r, w: gettext(
        "This change request was already decided or withdrawn (%(status)s): nothing was changed.",
        status=change_status_word(str(r["status"])),
    ),
    "raid.change.steering_only": lambda r, w: gettext(
        "Only the steering committee (or the program lead) approves or rejects change requests."
    ),
    "raid.change.no_analysis": lambda r, w: gettext(
        "This change request has no impact analysis: run it again before approving."
    ),
    "raid.file.unreadable": lambda r, w: gettext("The workbook could not be read."),
    "raid.file.no_sheet": lambda r, w: gettext(
        "The workbook has none of the sheets Issues, Actions, Decisions, Change requests."
    ),
    "raid.file.too_many_rows": lambda r, w: gettext("A sheet has more than %(max)s rows.", **w),
    "raid.file.row_refused": lambda r, w: gettext("This row was refused."),
    "raid.change.stale": lambda r, w: gettext(
        "The live plan changed since the impact of %(key)s was analysed: run the analysis "
        "again, then decide. Nothing was changed.",
        **w,
    ),
}


def status_word(status: str) -> str:
    """An issue's status in the reader's language."""
    words = {
        "open": gettext("Open"),
        "in_progress": gettext("In progress"),
        "resolved": gettext("Resolved"),
        "closed": gettext("Closed"),
    }
    return words.get(status, status)


def change_status_word(status: str) -> str:
    words = {
        "pending": gettext("Pending"),
        "approved": gettext("Approved"),
        "rejected": gettext("Rejected"),
        "withdrawn": gettext("Withdrawn"),
    }
    return words.get(status, status)
