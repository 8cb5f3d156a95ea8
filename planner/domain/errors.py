"""One exception tree for the whole planner; views and the API map it to messages and 4xx."""

from __future__ import annotations


class PlannerError(Exception):
    """Base of every error the planner raises on purpose."""


class ValidationError(PlannerError):
    """Input that breaks a rule; ``errors`` holds ``(path, message)`` pairs a person can act on."""

    def __init__(self, message: str, errors: list[tuple[str, str]] | None = None) -> None:
        super().__init__(message)
        self.errors: list[tuple[str, str]] = errors or []


class DependencyCycleError(ValidationError):
    """A dependency that would close a cycle; ``cycle`` names the item keys in order."""

    def __init__(self, cycle: list[str]) -> None:
        self.cycle = list(cycle)
        names = " → ".join([*self.cycle, self.cycle[0]]) if self.cycle else "?"
        super().__init__(f"dependency cycle: {names}")


class ConflictError(PlannerError):
    """Someone else changed the row since the form or request was built."""


class ImportFormatError(ValidationError):
    """A file that cannot be imported; nothing was written."""


class NotFoundError(PlannerError):
    """The thing asked for does not exist (or is not visible to the caller)."""
