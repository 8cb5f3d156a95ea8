"""One exception tree for the whole planner; views and the API map it to messages and 4xx.

The message path: the domain, services and interop say *what* is wrong as coded
:class:`Problem` values (a field, a message code, its parameters) and never word it; the
layer that renders (a page, the API, a CLI command) words each code once, in the reader's
language, through :mod:`planner.explain_text` (whose catalogue is ``planner/messages/``).

An error built from problems words them when it is read: ``exc.errors`` gives
``(field, sentence)`` pairs and ``str(exc)`` one sentence, in the language of the moment they
are read (the request's, or a forced one). The wording function is installed by
:mod:`planner.explain_text` when the app is made; without it (pure domain tests) the code and
its parameters are shown. ``errors=[(field, text)]`` with ready words is the older path, kept
while code moves to problems.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Self


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where (``field``: a form field, an API body path, a
    file's ``line 12``; ``""`` for the input as a whole), what (``code``, worded by the
    renderer) and the values the words need (``params``, as for an explanation)."""

    field: str
    code: str
    params: Mapping[str, object] = dataclasses.field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.code.strip():
            raise ValueError("a problem needs a code")
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    def __hash__(self) -> int:
        return hash((self.field, self.code, tuple(sorted(map(repr, self.params.items())))))


def _plain_words(problem: Problem) -> str:
    """Words outside any app: the code and its parameters (tests of the pure domain)."""
    if not problem.params:
        return problem.code
    values = ", ".join(f"{k}={v}" for k, v in problem.params.items())
    return f"{problem.code} ({values})"


_wording: Callable[[Problem], str] = _plain_words
_placing: Callable[[str], str] = str


def install_wording(
    words: Callable[[Problem], str], place: Callable[[str], str] | None = None
) -> None:
    """Called once by :mod:`planner.explain_text`: how a problem becomes a sentence, and how
    its field (a place in a file, such as ``row 3, column "Title"``) is named."""
    global _wording, _placing
    _wording = words
    if place is not None:
        _placing = place


def word(problem: Problem) -> str:
    """A problem as a sentence in the current language (see :func:`install_wording`)."""
    return _wording(problem)


def place(field: str) -> str:
    """A problem's field as the reader sees it: a place in a file in the current language,
    a form field's name as it is."""
    return _placing(field)


class PlannerError(Exception):
    """Base of every error the planner raises on purpose.

    Raised with ``problems`` (coded), it words them when shown; raised with a plain message
    (the older path), it shows that message.
    """

    def __init__(self, message: str = "", *, problems: Iterable[Problem] = ()) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(message or "; ".join(p.code for p in self.problems))
        self._message = message

    def __str__(self) -> str:
        if self.problems and not self._message:
            return "; ".join(word(p) for p in self.problems)
        return self._message

    @classmethod
    def of(cls, field_name: str, code: str, /, **params: object) -> Self:
        """The error of one problem: ``raise ValidationError.of("name", "item.name_taken",
        name=name)``."""
        return cls(problems=[Problem(field_name, code, params)])


class ValidationError(PlannerError):
    """Input that breaks a rule; ``errors`` holds ``(path, message)`` pairs a person can act
    on (coded problems are worded when ``errors`` is read)."""

    def __init__(
        self,
        message: str = "",
        errors: list[tuple[str, str]] | None = None,
        *,
        problems: Iterable[Problem] = (),
    ) -> None:
        super().__init__(message, problems=problems)
        self._errors: list[tuple[str, str]] = errors or []

    @property
    def errors(self) -> list[tuple[str, str]]:
        return [*self._errors, *((place(p.field), word(p)) for p in self.problems)]

    @errors.setter
    def errors(self, value: list[tuple[str, str]]) -> None:
        self._errors = list(value)


class DependencyCycleError(ValidationError):
    """A dependency that would close a cycle; ``cycle`` names the item keys in order."""

    def __init__(self, cycle: list[str]) -> None:
        self.cycle = list(cycle)
        from planner.domain.cycles import cycle_text  # (networkx: imported on a refusal)

        names = cycle_text(self.cycle)
        # one code, one sentence wherever a cycle is refused (planner/messages/dependencies.py)
        super().__init__(problems=[Problem("", "dependency.cycle", {"cycle": names})])


class ConflictError(PlannerError):
    """Someone else changed the row since the form or request was built."""


class ImportFormatError(ValidationError):
    """A file that cannot be imported; nothing was written."""


class NotFoundError(PlannerError):
    """The thing asked for does not exist (or is not visible to the caller)."""
