"""The rules for a gate's exit criterion as a form or request gives it: its kind, what it
refers to (a metric, milestones, a risk band, or who judges it) and the evidence link.

Pure: the caller gives the references the program knows for the criterion's kind and saves
what :func:`clean_criterion` returns.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from planner.domain.errors import Problem, ValidationError
from planner.domain.explain import Term

CRITERION_KINDS: Final = ("metric_target", "milestones_done", "max_risk_band", "manual")
#: Who judges a manual criterion (stored in ``reference``: "" a person, else the source)
CRITERION_SOURCES: Final = ("person", "benefits_case")
_URL: Final = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)


@dataclass(frozen=True)
class CriterionInput:
    kind: str
    metric: str = ""
    milestones: Sequence[str] = ()
    band: str = ""
    text: str = ""
    text_zh: str | None = None
    met: bool | None = None
    evidence: str = ""
    evidence_url: str | None = None
    #: who judges a manual criterion: "person", or "benefits_case" (the benefit review)
    source: str = "person"


@dataclass(frozen=True)
class CleanCriterion:
    #: the metric key, the milestone keys (space-separated), the band, or who judges it
    reference: str
    evidence_url: str | None
    #: a criterion a person judges: only it carries their judgement and evidence
    manual: bool


def clean_criterion(data: CriterionInput, known: Sequence[str]) -> CleanCriterion:
    """The criterion's reference and link, or refused with every problem at once.

    ``known`` holds what the program has for the kind: its metric keys, its milestone keys,
    or the band names of its risk scale (nothing for a manual criterion).

    Examples:
        >>> clean_criterion(CriterionInput("milestones_done", milestones=["M2", "M1", "M2"]),
        ...     ["M1", "M2"]).reference
        'M2 M1'
        >>> clean_criterion(CriterionInput("manual", text="Sign-off"), ()).manual
        True
    """
    errors: list[Problem] = []
    reference = ""
    if data.kind not in CRITERION_KINDS:
        errors.append(Problem("kind", "field.not_a_choice", {"value": data.kind}))
    elif data.kind == "metric_target":
        if data.metric not in known:
            errors.append(Problem("metric", "gate.criterion.metric", {"value": data.metric}))
        reference = data.metric
    elif data.kind == "milestones_done":
        reference = _milestones(data.milestones, known, errors)
    elif data.kind == "max_risk_band":
        if data.band not in known:
            bands = tuple(Term("band", n) for n in known)
            errors.append(
                Problem("band", "gate.criterion.band", {"value": data.band, "known": bands})
            )
        reference = data.band
    else:
        reference = _judged_by(data, errors)
    url = (data.evidence_url or "").strip() or None
    if url and not _URL.match(url):
        errors.append(Problem("evidence_url", "gate.criterion.url"))
    if errors:
        raise ValidationError(problems=errors)
    return CleanCriterion(reference, url, manual=data.kind == "manual" and reference == "")


def _milestones(wanted: Sequence[str], known: Sequence[str], errors: list[Problem]) -> str:
    chosen = [k for k in dict.fromkeys(wanted) if k]
    if not chosen:
        errors.append(Problem("milestones", "gate.criterion.no_milestone"))
    unknown = [k for k in chosen if k not in known]
    if unknown:
        errors.append(Problem("milestones", "gate.milestones.unknown", {"keys": tuple(unknown)}))
    return " ".join(chosen)


def _judged_by(data: CriterionInput, errors: list[Problem]) -> str:
    """A manual criterion's text is required; its reference is who judges it ("" a person)."""
    if not data.text.strip():
        errors.append(Problem("text", "gate.criterion.text"))
    source = data.source or "person"
    if source not in CRITERION_SOURCES:
        params = {"known": ", ".join(CRITERION_SOURCES), "value": source}
        errors.append(Problem("source", "gate.criterion.source", params))
    return "" if source == "person" else source
