"""Explanations as data: what the domain says about a result, without the words.

The domain judges (a gate criterion, a metric's status, a phase's RAG) and says *why* with an
:class:`Explanation`: a message code and its parameters. It never writes the sentence: the
reader's language is not the domain's business. One renderer outside the domain
(``planner.explain_text``) turns each code into a translated message and formats every
parameter for the reader's locale.

Parameters are plain values or one of the small typed values below, so that the renderer
knows how to show them:

- ``date`` → the locale's date; ``int``/``float`` → the locale's number; ``str`` → as is
  (names, keys and texts people typed are data, already in the reader's language);
- :class:`Quantity` → a number with its metric's unit (``60%``, ``3 days``);
- :class:`Days` → a count of days (``1 day``, ``3 days``);
- :class:`Term` → a word of a closed vocabulary: a RAG colour, a risk band, an area;
- :class:`Quoted` → a key or name as typed, quoted (an unknown reference);
- an :class:`Explanation` → a nested explanation (rendered in place);
- a ``tuple`` of any of these → a list, joined the locale's way.

A compound reason — several things wrong at once — is a tuple of explanations
(:data:`Reason`), rendered as one sentence of clauses.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final, TypeAlias

#: The code of several clauses made one explanation (see :func:`as_one`).
CLAUSES: Final = "clauses"

#: Vocabularies a :class:`Term` may come from.
VOCABULARIES: Final[frozenset[str]] = frozenset({"rag", "band", "area"})


@dataclass(frozen=True)
class Explanation:
    """A message code and its parameters; the renderer holds the words.

    ``params`` is copied into a read-only mapping, so an explanation cannot change after it is
    built (and compares equal to one built from an equal ``dict``).

    Examples:
        >>> e = Explanation("gate.metric.no_target", {"name": "Active users"})
        >>> e.code, e.params["name"]
        ('gate.metric.no_target', 'Active users')
        >>> e == Explanation("gate.metric.no_target", {"name": "Active users"})
        True
    """

    code: str
    params: Mapping[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        """Freeze ``params``; refuse an empty code (a renderer could only show nothing)."""
        if not self.code.strip():
            raise ValueError("an explanation needs a code")
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    def __hash__(self) -> int:
        """Hash by code only: explanations are compared far more often than hashed."""
        return hash(self.code)

    def __reduce__(self) -> tuple[type[Explanation], tuple[str, dict[str, object]]]:
        """Pickled as its code and a plain dict (a read-only mapping cannot be pickled), so
        results holding explanations can be cached (planner/ops/cache.py)."""
        return (Explanation, (self.code, dict(self.params)))


#: One explanation, or several clauses that together say why.
Reason: TypeAlias = Explanation | tuple[Explanation, ...]


@dataclass(frozen=True)
class Quantity:
    """A metric's value with the metric's unit (``%``, ``days``, ``logins/week``, none).

    Examples:
        >>> Quantity(60.0, "%").unit
        '%'
    """

    value: float
    unit: str = ""


@dataclass(frozen=True)
class Days:
    """A number of calendar days (shown as "1 day" / "3 days" in the reader's language).

    Examples:
        >>> Days(3).count
        3
    """

    count: int


@dataclass(frozen=True)
class Term:
    """A word of a closed vocabulary (see :data:`VOCABULARIES`): the renderer translates it.

    A risk band is the band's name in the playbook's scale (``high``); the renderer shows
    the scale's label for it, and the name itself when the scale does not know it.

    Examples:
        >>> Term("rag", "amber").value
        'amber'
    """

    vocabulary: str
    value: str

    def __post_init__(self) -> None:
        """Refuse a vocabulary the renderer has no words for."""
        if self.vocabulary not in VOCABULARIES:
            raise ValueError(f'unknown vocabulary "{self.vocabulary}"')


@dataclass(frozen=True)
class Quoted:
    """A key or name exactly as given, shown in quotes (something the domain did not know).

    Examples:
        >>> Quoted("nps").text
        'nps'
    """

    text: str


def clauses(reason: Reason) -> tuple[Explanation, ...]:
    """The explanations of a reason, one or several.

    Examples:
        >>> len(clauses(Explanation("a"))), len(clauses((Explanation("a"), Explanation("b"))))
        (1, 2)
    """
    return (reason,) if isinstance(reason, Explanation) else tuple(reason)


def codes(reason: Reason) -> tuple[str, ...]:
    """The codes of a reason's explanations, in order (what a machine reads).

    Examples:
        >>> codes((Explanation("gate.milestones.unknown"), Explanation("gate.milestones.late")))
        ('gate.milestones.unknown', 'gate.milestones.late')
    """
    return tuple(e.code for e in clauses(reason))


def as_one(reason: Reason) -> Explanation:
    """A reason as one explanation: several clauses become one ``clauses`` explanation (its
    ``clauses`` parameter), so that a reason can be a parameter of another.

    Examples:
        >>> as_one(Explanation("a")).code, as_one((Explanation("a"), Explanation("b"))).code
        ('a', 'clauses')
        >>> as_one((Explanation("a"),)).code
        'a'
    """
    parts = clauses(reason)
    if len(parts) == 1:
        return parts[0]
    return Explanation(CLAUSES, {"clauses": parts})
