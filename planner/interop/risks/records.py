"""The register file's records: what a row and an action hold, and where a cell is."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from planner.domain.risk import (
    RiskSnapshot,
)
from planner.interop.messages import N_, Message

MAX_FILE_BYTES: Final = 5 * 1024 * 1024
"""Largest upload read at all (the register of a program is a few hundred kB at most)."""
MAX_UNPACKED_BYTES: Final = 50 * 1024 * 1024
"""Largest total unpacked size of an .xlsx (a zip bomb is refused before it is opened)."""
MAX_ZIP_ENTRIES: Final = 500
MAX_ROWS: Final = 5000
HEADER_SEARCH_ROWS: Final = 10

REGISTER_SHEET: Final = "Register"
HEAT_MAP_SHEET: Final = "Heat map"
ACTIONS_SHEET: Final = "Actions"


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class ActionRecord:
    """A mitigation action as written to, or read from, the Actions sheet."""

    title: str
    owner: str | None = None
    due: dt.date | None = None
    done: bool = False


@dataclass(frozen=True)
class RiskRecord:
    """One risk of the register as a file holds it (codes, keys and dates; no ids)."""

    key: str
    title: str
    likelihood: int
    impact: int
    category: str = ""
    owner: str | None = None
    status: str = "open"
    response: str = "mitigate"
    mitigation: str = ""
    residual_likelihood: int | None = None
    residual_impact: int | None = None
    contingency: str = ""
    trigger: str = ""
    proximity_date: dt.date | None = None
    proximity_phase: str | None = None
    review_date: dt.date | None = None
    threatened_phases: tuple[str, ...] = ()
    threatened_work_items: tuple[str, ...] = ()
    description: str = ""
    cause: str = ""
    effect: str = ""
    occurred_on: dt.date | None = None
    issue_note: str = ""
    rank: int | None = None
    title_zh: str | None = None
    description_zh: str | None = None
    mitigation_zh: str | None = None
    cause_zh: str | None = None
    effect_zh: str | None = None
    actions: tuple[ActionRecord, ...] = ()

    def snapshot(self) -> RiskSnapshot:
        """The domain view of this record (for scores, bands and the heat map)."""
        return RiskSnapshot(
            key=self.key,
            title=self.title,
            status=self.status,
            category=self.category or None,
            owner=self.owner,
            inherent_likelihood=self.likelihood,
            inherent_impact=self.impact,
            residual_likelihood=self.residual_likelihood,
            residual_impact=self.residual_impact,
            review_date=self.review_date,
        )


@dataclass(frozen=True)
class ImportedRow:
    """A register row read from a file: only the columns the file has, already parsed."""

    row: int
    values: Mapping[str, Any]

    @property
    def key(self) -> str:
        return str(self.values["key"])


@dataclass(frozen=True)
class ImportedAction:
    row: int
    risk_key: str
    action: ActionRecord


@dataclass(frozen=True)
class ImportedRegister:
    """A whole file, checked cell by cell; program-dependent checks are the caller's."""

    rows: tuple[ImportedRow, ...]
    # None when the file has no Actions sheet (a CSV never has): leave actions alone
    actions: tuple[ImportedAction, ...] | None
    # attribute → the header as the file spells it (for messages about later checks)
    headers: Mapping[str, str] = field(default_factory=dict)
    ignored_headers: tuple[str, ...] = ()

    def cell(self, row: int, attribute: str) -> str:
        """Where a cell is, worded where it is shown: ``row 14, column "Likelihood"``."""
        return cell_at(row, self.headers.get(attribute, attribute))


def cell_at(row: int, column: str, sheet: str | None = None) -> str:
    """Where a cell is (a :class:`~planner.interop.messages.Message`, worded on display)."""
    if sheet is None:
        return Message(N_('row %(row)s, column "%(column)s"'), row=row, column=column)
    return Message(
        N_('sheet %(sheet)s, row %(row)s, column "%(column)s"'),
        sheet=sheet,
        row=row,
        column=column,
    )
