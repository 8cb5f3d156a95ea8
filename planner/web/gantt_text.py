"""The Gantt page's words for its script (static/js/gantt*.js), in the reader's language."""

from __future__ import annotations

from flask_babel import gettext as _


def gantt_text() -> dict[str, str]:
    """Labels and announcements; ``%(name)s``-style holes are filled by the script."""
    return {
        "name": _("Work item"),
        "owner": _("Owner"),
        "duration": _("Duration"),
        "start": _("Start"),
        "finish": _("Finish"),
        "float": _("Float"),
        "wd": _("wd"),
        "day": _("Day"),
        "week": _("Week"),
        "month": _("Month"),
        "quarter": _("Q%(q)s"),
        "noWorkstream": _("(no workstream)"),
        "collapse": _("Collapse"),
        "expand": _("Expand"),
        "collapsed": _("Collapsed."),
        "expanded": _("Expanded."),
        "openHeading": _("open heading"),
        "closedHeading": _("closed heading"),
        "zoomed": _("Zoom: %(zoom)s."),
        "fitted": _("Phase %(phase)s fills the view."),
        "resetDone": _("View reset."),
        "selected": _("%(key)s %(name)s: %(start)s to %(finish)s."),
        "notFound": _("No work item matches “%(q)s”."),
        "exported": _("The PNG of this view was saved."),
        "loadFailed": _("The Gantt data could not be loaded."),
        "saving": _("Saving…"),
        "refused": _("Refused."),
        "nothingChanged": _("Nothing was changed."),
        "nothingToUndo": _("Nothing to undo."),
        "undone": _("Last edit undone"),
        "movedTo": _("%(name)s to start no earlier than %(date)s"),
        "durationTo": _("%(name)s now lasts %(n)s working days"),
        "linked": _("Dependency %(from)s → %(to)s (%(type)s) added"),
        "unlinked": _("Dependency %(from)s → %(to)s removed"),
        "linkSelected": _("Dependency %(from)s → %(to)s (%(type)s) selected: Delete removes it."),
        "linkNoTarget": _("Drop on another bar to add a dependency."),
        "chooseType": _("Choose the type of the new dependency."),
        "cancelled": _("Cancelled."),
        "noLinks": _("This item has no dependencies."),
        "finishShift": _("Program finish %(n)s wd."),
        "moveMode": _(
            "Move: Left and Right change the start (Shift: a week), Enter saves, Escape cancels."
        ),
        "stretchMode": _(
            "Duration: Left and Right change the finish, Enter saves, Escape cancels."
        ),
        "linkMode": _(
            "Dependency: Up and Down choose the successor, Enter confirms, Escape cancels."
        ),
        "linkTo": _("Successor: %(key)s %(name)s."),
        "milestoneNoDuration": _("A milestone has no duration."),
        "startedNoMove": _("This item has started: record its progress in its page instead."),
    }
