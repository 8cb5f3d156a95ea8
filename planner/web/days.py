"""The words for a day outside the range the planner handles (``planner.domain.days``)."""

from __future__ import annotations

from flask_babel import gettext as _

from planner.domain.days import FIRST_DAY, LAST_DAY
from planner.i18n import format_day


def out_of_range_message(text: str) -> str:
    """The refusal of ``text`` (a day out of range), in the reader's language."""
    return _(
        "“%(value)s” is outside the dates the planner handles (%(first)s to %(last)s).",
        value=text.strip()[:40],
        first=format_day(FIRST_DAY),
        last=format_day(LAST_DAY),
    )
