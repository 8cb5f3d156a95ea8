"""Messages of people, workload and money (issue 23)."""

from __future__ import annotations

from flask_babel import gettext

from planner.messages import Message

MESSAGES: dict[str, Message] = {
    "money.negative": lambda r, w: gettext("Enter zero or more: %(value)s is negative.", **w),
    "money.capacity_range": lambda r, w: gettext(
        "Weekly capacity is at most 168 hours (the hours in a week)."
    ),
    "money.week_hours_range": lambda r, w: gettext("Hours in one week are from 0 to 168."),
    "money.unknown_person": lambda r, w: gettext(
        "%(value)s is not in this program's people directory.", **w
    ),
    "money.currency_code": lambda r, w: gettext(
        "%(value)s is not a currency code: use three letters such as CNY.", **w
    ),
    "money.currency_without_rate": lambda r, w: gettext(
        "%(currency)s is not the program's currency (%(program)s) and has no exchange rate: "
        "add a rate in the money settings first.",
        **w,
    ),
    "money.rate_positive": lambda r, w: gettext("An exchange rate must be more than zero."),
    "money.person_has_effort": lambda r, w: gettext(
        "This person has logged effort: keep them in the directory."
    ),
    "money.days_ordered": lambda r, w: gettext("The last day cannot be before the first day."),
    "money.timesheet_empty": lambda r, w: gettext("The timesheet file is empty."),
    "money.timesheet_columns": lambda r, w: gettext(
        "The timesheet needs the columns person, item, week and hours (missing: %(columns)s).",
        **w,
    ),
    "money.timesheet_unreadable": lambda r, w: gettext(
        "The timesheet is not a readable CSV or .xlsx file."
    ),
    "money.benefit_no_change": lambda r, w: gettext(
        "The target must differ from the baseline: the benefit is measured by the way from"
        " one to the other."
    ),
    "money.leveling.none": lambda r, w: gettext(
        "No over-allocation can be removed by delaying items within their free float."
    ),
}
