"""Usage-log files (CSV in UTF-8 with or without BOM, or GB18030; or .xlsx), read as a
stream: the header, then ``(line, values)`` rows one at a time, so a file of a million rows
never sits in memory. ``checksum`` identifies a file by its bytes (SHA-256)."""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import IO

from planner.domain.errors import ImportFormatError, Problem

_XLSX_MAGIC = b"PK\x03\x04"
_CHUNK = 1 << 20


@dataclass
class UsageFile:
    """An open usage file: its header and a one-pass iterator over its data rows (``line``
    as a spreadsheet numbers it: the header is line 1)."""

    header: list[str]
    rows: Iterator[tuple[int, Sequence[object]]]


def checksum(stream: IO[bytes]) -> str:
    """SHA-256 of the whole stream, read in chunks; the stream is rewound afterwards."""
    stream.seek(0)
    digest = hashlib.sha256()
    while chunk := stream.read(_CHUNK):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def peek_header(stream: IO[bytes], filename: str) -> list[str]:
    """The header row only (for the mapping page); the stream is rewound afterwards."""
    opened = open_usage(stream, filename)
    header = opened.header
    stream.seek(0)
    return header


def open_usage(stream: IO[bytes], filename: str) -> UsageFile:
    """Open a usage file as a stream of rows; refuse what is not CSV or .xlsx."""
    stream.seek(0)
    head = stream.read(_CHUNK)
    stream.seek(0)
    if head.startswith(_XLSX_MAGIC) or filename.lower().endswith(".xlsx"):
        return _open_xlsx(stream)
    if b"\x00" in head[:4096]:
        raise ImportFormatError(problems=_problem("adoption.usage.not_a_table"))
    text = io.TextIOWrapper(stream, encoding=_encoding(head), newline="")
    reader = csv.reader(text, _dialect(head))
    header = next(reader, None)
    if not header:
        raise ImportFormatError(problems=_problem("adoption.usage.empty"))
    return UsageFile([h.strip().lstrip("\ufeff") for h in header], _numbered(reader))


def _numbered(reader: Iterator[list[str]]) -> Iterator[tuple[int, Sequence[object]]]:
    for line, values in enumerate(reader, start=2):
        if values:
            yield line, values


def _encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the chunk's end
            return "gb18030"
    return "utf-8"


def _dialect(head: bytes) -> type[csv.Dialect]:
    first = head.split(b"\n", 1)[0]
    if first.count(b";") > first.count(b",") and first.count(b";") > first.count(b"\t"):
        return _Semicolon
    if first.count(b"\t") > first.count(b","):
        return csv.excel_tab
    return csv.excel


class _Semicolon(csv.excel):
    delimiter = ";"


def _open_xlsx(stream: IO[bytes]) -> UsageFile:
    from openpyxl import load_workbook  # heavy; only for xlsx files

    try:
        book = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ImportFormatError(problems=_problem("adoption.usage.not_a_table")) from exc
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    first = next(rows, None)
    if not first or not any(first):
        raise ImportFormatError(problems=_problem("adoption.usage.empty"))
    header = [str(h or "").strip() for h in first]

    def data() -> Iterator[tuple[int, Sequence[object]]]:
        for line, values in enumerate(rows, start=2):
            if values and any(v is not None and v != "" for v in values):
                yield line, values
        book.close()

    return UsageFile(header, data())


def _problem(code: str) -> list[Problem]:
    return [Problem("file", code)]
