"""The catalogue of message codes, one module a feature, worded once for every reader.

Each module here defines ``MESSAGES: dict[str, Message]``: a code (``"raid.issue.unknown_link"``)
and a function of the raw parameters and the parameters formatted for the reader's locale that
returns the sentence through Flask-Babel (every text a literal, so `make messages` finds it).
:mod:`planner.explain_text` merges them with its own; a code defined twice is refused when the
catalogue is built (a test builds it), so features cannot silently word a code two ways.

Codes come from the domain (explanations), services and interop (:class:`planner.domain.errors.
Problem`); nothing outside a renderer writes a user-facing sentence.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping
from functools import cache

Params = Mapping[str, object]  # as the domain gave them
Words = dict[str, str]  # formatted for the reader
Message = Callable[[Params, Words], str]


@cache
def catalogue() -> dict[str, Message]:
    """Every feature module's messages, merged; a code worded twice is an error."""
    merged: dict[str, Message] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for code, message in getattr(module, "MESSAGES", {}).items():
            if code in merged:
                raise RuntimeError(f"message code {code!r} is worded twice ({info.name})")
            merged[code] = message
    return merged
