"""Plan file formats, reading an uploaded file by its extension (or first bytes), and the
keys an import makes acceptable and unique."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Final, Literal

import planner.models.baseline  # noqa: F401  (registers the baseline tables)
from planner.domain.errors import ImportFormatError
from planner.interop import mspdi, plan_table
from planner.interop.plandata import (
    PlanData,
)

Format = Literal["mspdi", "csv", "xlsx"]
FORMATS: Final[tuple[Format, ...]] = ("mspdi", "csv", "xlsx")
MEDIA_TYPES: Final[dict[Format, str]] = {
    "mspdi": "application/vnd.ms-project+xml",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXTENSIONS: Final[dict[Format, str]] = {"mspdi": "xml", "csv": "csv", "xlsx": "xlsx"}
IMPORTED_PLAYBOOK_ID: Final = "imported-file"
IMPORTED_PLAYBOOK_VERSION: Final = "0"
DEFAULT_BASELINE_NAME: Final = "Baseline 0 (imported)"
MAX_FILE_BYTES: Final = 10 * 1024 * 1024
KEY_PATTERN: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_KEY_BAD = re.compile(r"[^A-Za-z0-9._-]+")


# --------------------------------------------------------------------------- reading files


@dataclass(frozen=True)
class PlanFile:
    """A plan read from a file, and what the reader adapted to fit the planner."""

    plan: PlanData
    format: Format
    notes: tuple[str, ...] = ()


def detect_format(filename: str, data: bytes) -> Format | None:
    name = filename.lower().strip()
    if name.endswith(".xml"):
        return "mspdi"
    if name.endswith(".csv") or name.endswith(".txt"):
        return "csv"
    if name.endswith(".xlsx"):
        return "xlsx"
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"<"):
        return "mspdi"
    return None


def read_plan_file(
    filename: str,
    data: bytes,
    *,
    start: date | None = None,
    headers: Iterable[plan_table.HeaderLabels] = (),
    lang: str | None = None,
) -> PlanFile:
    """Read an uploaded plan file; ImportFormatError (nothing read) when it is not sound.

    ``start`` is the plan's start for a CSV or .xlsx without dates (an MSPDI file has its own);
    a CSV or .xlsx may head its columns with any of ``headers``' labels.
    """
    if not data:
        raise ImportFormatError.of("file", "readings.empty")
    if len(data) > MAX_FILE_BYTES:
        raise ImportFormatError.of("file", "exchange.too_large", mb=MAX_FILE_BYTES // (1024 * 1024))
    fmt = detect_format(filename, data)
    if fmt is None:
        raise ImportFormatError.of("file", "exchange.unknown_format")
    if fmt == "mspdi":
        result = mspdi.read_with_notes(data)
        return PlanFile(result.plan, fmt, result.notes)
    base = PlanData("Imported plan", start) if start is not None else None
    reader = plan_table.read_csv if fmt == "csv" else plan_table.read_xlsx
    return PlanFile(reader(data, base=base, headers=headers, lang=lang), fmt)


# --------------------------------------------------------------------------- keys


def acceptable_key(key: str) -> str:
    """``key`` as the plan editor accepts it (letters, digits, ``._-``; at most 64 characters).

    >>> acceptable_key("Design & build"), acceptable_key("计划"), acceptable_key("-x")
    ('Design-build', 'item', 'x')
    """
    cleaned = _KEY_BAD.sub("-", key.strip()).strip("-._")[:64].rstrip("-._")
    return cleaned or "item"


def unique_key(key: str, taken: set[str]) -> str:
    """``key`` or, when taken, ``key-2``, ``key-3`` … (shortened to fit 64 characters).

    >>> unique_key("a", {"a", "a-2"}), unique_key("b", {"a"})
    ('a-3', 'b')
    """
    if key not in taken:
        return key
    n = 2
    while True:
        suffix = f"-{n}"
        candidate = key[: 64 - len(suffix)] + suffix
        if candidate not in taken:
            return candidate
        n += 1


def rekey(plan: PlanData, taken: set[str]) -> tuple[PlanData, dict[str, str]]:
    """The plan with item keys the program can take (acceptable and not in ``taken``), and
    ``old → new`` for every key that changed; links follow the new keys."""
    used = set(taken)
    renamed: dict[str, str] = {}
    mapping: dict[str, str] = {}
    for item in plan.items:
        new = item.key if KEY_PATTERN.match(item.key) else acceptable_key(item.key)
        new = unique_key(new, used)
        used.add(new)
        mapping[item.key] = new
        if new != item.key:
            renamed[item.key] = new
    if not renamed:
        return plan, {}
    items = [replace(i, key=mapping[i.key]) for i in plan.items]
    links = [
        replace(link, predecessor=mapping[link.predecessor], successor=mapping[link.successor])
        for link in plan.links
    ]
    return replace(plan, items=tuple(items), links=tuple(links)), renamed
