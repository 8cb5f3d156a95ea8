"""Spreadsheet formula injection: neutralise user text on export, restore it on import.

A cell whose text begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return may be
run as a formula by Excel, LibreOffice or Google Sheets when a CSV (or a re-typed cell) is
opened. Every exporter puts user strings through :func:`neutralise`; importers of our own
files call :func:`restore` so that export → import gives back the text exactly.
"""

from __future__ import annotations

from typing import Final

TRIGGERS: Final[tuple[str, ...]] = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet treat a cell as a formula."""

QUOTE: Final = "'"


def needs_neutralising(text: str) -> bool:
    """Say whether ``text`` would start a formula, or looks like neutralised text (quotes,
    however many, before a trigger: each is quoted once more, so that :func:`restore` takes
    exactly one quote off).

    >>> needs_neutralising("=1+1"), needs_neutralising("plain"), needs_neutralising("'=x")
    (True, False, True)
    >>> needs_neutralising("''=x"), needs_neutralising("'quoted")
    (True, False)
    """
    return text.lstrip(QUOTE).startswith(TRIGGERS)


def neutralise(value: object) -> object:
    """Return a string prefixed with ``'`` when it could start a formula; other values as is.

    A string that already starts with ``'`` followed by a trigger is quoted again, so that
    :func:`restore` is an exact inverse.

    >>> neutralise("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> neutralise("-5% adoption"), neutralise("Adoption"), neutralise(-5)
    ("'-5% adoption", 'Adoption', -5)
    >>> neutralise("'=already")
    "''=already"
    """
    if isinstance(value, str) and needs_neutralising(value):
        return QUOTE + value
    return value


def restore(value: object) -> object:
    """Undo :func:`neutralise` on text read back from a spreadsheet.

    >>> restore("'=1+1"), restore("''=x"), restore("'''=x"), restore("'quoted"), restore(3)
    ('=1+1', "'=x", "''=x", "'quoted", 3)
    """
    if isinstance(value, str) and value.startswith(QUOTE) and needs_neutralising(value):
        return value[1:]
    return value
