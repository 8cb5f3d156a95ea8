"""Ids of stored rows as they arrive from forms, query strings and JSON bodies.

Database ids are INTEGER columns (32-bit on PostgreSQL): a larger number sent by a client
(``10**23``) would make the driver raise (SQLite: "Python int too large", PostgreSQL:
"integer out of range") and the request answer 500. ``as_id`` is the one check every edge
applies before an id reaches a query: anything that is not a whole number from 1 to
``MAX_ID`` is no id at all (the caller says "no such …", a 4xx).
"""

from __future__ import annotations

from typing import Final

#: The largest id an INTEGER column holds on every supported database.
MAX_ID: Final = 2**31 - 1


def as_id(value: object) -> int | None:
    """``value`` as an id (an int, or text of digits), or None when it cannot be one.

    Examples:
        >>> as_id(7), as_id(" 42 "), as_id("7.0"), as_id(10**23), as_id("-3"), as_id(True)
        (7, 42, None, None, None, None)
        >>> as_id(None), as_id(""), as_id(2**31 - 1)
        (None, None, 2147483647)
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        text = value.strip()
        if len(text) > 12:  # far beyond MAX_ID; no need to build a huge int
            return None
        number = int(text)
    else:
        return None
    return number if 1 <= number <= MAX_ID else None
