"""``N_``: marks API texts for the translation catalogue without translating them.

The OpenAPI document (openapi.json) stays English for programs; the docs page translates
these same texts when it draws them (planner/api/docs.py). ``make messages`` extracts them
with ``-k N_``. Its own module because problems.py, core.py and schemas.py all use it and
core.py imports problems.py.
"""

from __future__ import annotations


def N_(text: str) -> str:  # noqa: N802 (the conventional gettext marker name)
    """``text`` unchanged: only marks it for extraction."""
    return text
