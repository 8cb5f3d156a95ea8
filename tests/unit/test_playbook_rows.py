"""How a program's rows store a playbook's texts and gate criteria (domain/playbook_rows)."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter

from planner.domain.playbook import GateCriterion, Text
from planner.domain.playbook_rows import CriterionRow, criterion_row, en_column, zh_column

_CRITERION = TypeAdapter(GateCriterion)


@pytest.mark.parametrize(
    ("given", "row"),
    [
        ({"kind": "metric_target", "metric": "adoption"}, CriterionRow("adoption", None)),
        (
            {"kind": "milestones_done", "milestones": ["go_live", "sign_off"]},
            CriterionRow("go_live sign_off", None),
        ),
        ({"kind": "max_risk_band", "band": "medium"}, CriterionRow("medium", None)),
        (
            {"kind": "manual", "text": {"en": "Sponsor agrees", "zh": "发起人同意"}},
            CriterionRow("", Text(en="Sponsor agrees", zh="发起人同意")),
        ),
        (
            {"kind": "manual", "text": "Benefits realised", "source": "benefits_case"},
            CriterionRow("benefits_case", Text(en="Benefits realised")),
        ),
    ],
)
def test_each_kind_of_criterion_has_its_reference(
    given: dict[str, object], row: CriterionRow
) -> None:
    assert criterion_row(_CRITERION.validate_python(given)) == row


def test_a_text_without_english_fills_the_english_column_with_its_chinese() -> None:
    assert (en_column(Text(zh="启动")), zh_column(Text(zh="启动"))) == ("启动", "启动")
    assert (en_column(Text(en="Kick-off")), zh_column(Text(en="Kick-off"))) == ("Kick-off", None)
    assert (en_column(None), zh_column(None)) == ("", None)
