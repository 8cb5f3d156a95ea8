"""How a program's rows store what a playbook says: a text's two columns and a gate criterion.

A program keeps a text of the playbook as an English column (the Chinese when the playbook
gives no English, so a row always has a name) and a Chinese column (None when not given).

A program's gate criterion row keeps one ``reference`` whatever the criterion's kind: the
metric's key (``metric_target``), the milestones' keys separated by spaces
(``milestones_done``), the band no open risk may be rated above (``max_risk_band``), or who
judges a ``manual`` criterion ("" a person, ``benefits_case`` the benefit review). Only a
manual criterion has a text. Creating a program, importing a plan with a playbook, upgrading
a program to a playbook's new version and planning that upgrade all read a criterion here.
"""

from __future__ import annotations

from typing import NamedTuple

from planner.domain.playbook import (
    GateCriterion,
    MaxRiskBandCriterion,
    MetricTargetCriterion,
    MilestonesDoneCriterion,
    Text,
)


def en_column(text: Text | None) -> str:
    """The English column of a playbook text: its English, else its Chinese, else "".

    Examples:
        >>> en_column(Text(en="Kick-off", zh="启动")), en_column(Text(zh="启动")), en_column(None)
        ('Kick-off', '启动', '')
    """
    return (text.en or text.zh or "") if text else ""


def zh_column(text: Text | None) -> str | None:
    """The Chinese column of a playbook text (None when it has none).

    Examples:
        >>> zh_column(Text(en="Kick-off", zh="启动")), zh_column(Text(en="Kick-off"))
        ('启动', None)
    """
    return text.zh if text else None


class CriterionRow(NamedTuple):
    """A gate criterion as a program's row stores it (besides its kind and position)."""

    reference: str
    text: Text | None  # a manual criterion's; None for the others


def criterion_row(criterion: GateCriterion) -> CriterionRow:
    """The ``reference`` and text a program's gate criterion row keeps for ``criterion``.

    Examples:
        >>> criterion_row(MilestonesDoneCriterion(kind="milestones_done", milestones=["a", "b"]))
        CriterionRow(reference='a b', text=None)
        >>> criterion_row(MaxRiskBandCriterion(kind="max_risk_band", band="high")).reference
        'high'
    """
    if isinstance(criterion, MetricTargetCriterion):
        return CriterionRow(criterion.metric, None)
    if isinstance(criterion, MilestonesDoneCriterion):
        return CriterionRow(" ".join(criterion.milestones), None)
    if isinstance(criterion, MaxRiskBandCriterion):
        return CriterionRow(criterion.band, None)
    return CriterionRow(criterion.reference, criterion.text)  # who judges it: "" a person
