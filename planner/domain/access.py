"""Who may do what in a program: roles and the capabilities they carry.

Examples:
    >>> allows("steering", "decide"), allows("steering", "edit"), allows("lead", "manage")
    (True, False, True)
"""

from __future__ import annotations

from typing import Final, Literal

Capability = Literal["read", "edit", "decide", "manage"]
ROLES: Final = ("lead", "member", "steering", "viewer")
CAPABILITIES: Final[dict[str, frozenset[str]]] = {
    # lead: everything in the program, including members and share links
    "lead": frozenset({"read", "edit", "decide", "manage"}),
    # member: edits plan, readings, risks; no members, no program deletion, no decisions
    "member": frozenset({"read", "edit"}),
    # steering: reads everything, records gate and review decisions, comments
    "steering": frozenset({"read", "decide"}),
    "viewer": frozenset({"read"}),
}


def allows(role: str | None, capability: str) -> bool:
    """Whether a member with ``role`` has ``capability`` (unknown role: nothing)."""
    return capability in CAPABILITIES.get(role or "", frozenset())
