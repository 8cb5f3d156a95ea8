"""Plans in and out as files (planner/services/exchange.py): refused uploads and updates."""

from __future__ import annotations

from flask_babel import gettext

from planner.messages import Message

MESSAGES: dict[str, Message] = {
    "exchange.too_large": lambda r, w: gettext("The file is larger than %(mb)s MB.", mb=r["mb"]),
    "exchange.unknown_format": lambda r, w: gettext(
        "Expected an MS Project XML file (.xml), a .csv or an .xlsx file."
    ),
    "exchange.nothing_to_import": lambda r, w: gettext(
        "The file has no phase and no task to import."
    ),
    "exchange.choose_phase": lambda r, w: gettext("Choose one of this program's phases."),
    "exchange.no_items": lambda r, w: gettext("The file has no work item to import."),
    "update.bad_key": lambda r, w: gettext(
        "A new row's key may hold only letters, digits, “.”, “_” and “-” (at most 64)."
    ),
    "update.not_a_table": lambda r, w: gettext(
        "Only a .csv or .xlsx file updates the plan (an MS Project file can make a new "
        "program or be added to a phase)."
    ),
}
