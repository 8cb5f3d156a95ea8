"""The playbook's maturity model converted to the domain's, in English and Chinese."""

from __future__ import annotations

import pytest

from planner.config import SHIPPED_PLAYBOOKS
from planner.domain.errors import ValidationError
from planner.domain.playbook import load_playbook
from planner.services.assessment import domain_model


@pytest.fixture(scope="module")
def maturity():
    model = load_playbook(SHIPPED_PLAYBOOKS / "crm-four-100-days.yaml").maturity
    assert model is not None
    return model


def test_the_cmm_e_model_has_64_indicators_in_8_categories(maturity) -> None:
    view = domain_model(maturity, "en")
    assert len(view.model.categories) == 8
    assert len(view.model.indicators) == 64
    assert [lv.name for lv in view.model.levels] == [
        "Initial",
        "Repeatable",
        "Defined",
        "Managed",
        "Optimising",
    ]
    assert view.scale_labels[0] == "None" and view.scale_labels[5] == "Fully implemented"
    cs01 = view.model.indicator("cs-01")
    pb = maturity.categories[0].indicators[0]
    assert (cs01.weight, cs01.critical, cs01.horizon) == (pb.weight, pb.critical, pb.horizon)
    assert pb.critical and cs01.effective_weight == pb.weight  # the playbook's weight, once
    assert cs01.suggested_action == pb.suggested_action.get("en")
    assert view.descriptions["cs-01"].startswith("A complete")


def test_chinese_names_come_from_the_playbook(maturity) -> None:
    view = domain_model(maturity, "zh")
    assert view.category_name("customer-strategy") == "客户战略"
    assert view.model.levels[0].name == "原始级"
    assert view.model.indicator("cs-01").name == "客户管理总体规划"
    assert view.scale_labels[3] == "部分实施"


class _Row:
    def __init__(self, key: str, category: str, weight: float, critical: bool) -> None:
        self.key, self.category, self.weight, self.critical = key, category, weight, critical


def test_an_assessments_snapshot_overrides_weights(maturity) -> None:
    rows = [_Row("cs-01", "customer-strategy", 0.5, False), _Row("cd-01", "customer-data", 3, True)]
    view = domain_model(maturity, "en", rows)
    assert [i.key for i in view.model.indicators] == ["cs-01", "cd-01"]
    assert view.model.indicator("cs-01").effective_weight == 0.5
    assert view.model.indicator("cd-01").effective_weight == 3
    with pytest.raises(ValidationError) as caught:
        domain_model(maturity, "en", [_Row("cs-01", "customer-strategy", -1, False)])
    assert [p.code for p in caught.value.problems] == ["maturity.indicator.weight_negative"]
