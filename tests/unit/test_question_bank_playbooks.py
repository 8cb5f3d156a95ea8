"""The shipped playbooks: a bilingual question for every level of every CMM-E indicator,
module adoption tiers as data (80/50/30 %), and the seed fixes of issue 24."""

from __future__ import annotations

import pytest

from planner.config import SHIPPED_PLAYBOOKS
from planner.domain.playbook import load_playbook, parse_playbook

LEVELS = ("senior", "middle", "front_line")


@pytest.mark.parametrize("name", ["crm-four-100-days.yaml", "crm-four-100-days-v1.1.yaml"])
def test_all_64_indicators_have_questions_in_both_languages(name: str) -> None:
    playbook = load_playbook(SHIPPED_PLAYBOOKS / name)
    indicators = [i for c in playbook.maturity.categories for i in c.indicators]  # type: ignore[union-attr]
    assert len(indicators) == 64
    for indicator in indicators:
        assert indicator.questions is not None, indicator.key
        for level in LEVELS:
            questions = getattr(indicator.questions, level)
            assert questions, (indicator.key, level)
            assert all(q.en and q.zh and q.en[-1] in "?." for q in questions), indicator.key


def test_small_business_questions_cover_its_indicators() -> None:
    playbook = load_playbook(SHIPPED_PLAYBOOKS / "small-business-quick-start.yaml")
    indicators = [i for c in playbook.maturity.categories for i in c.indicators]  # type: ignore[union-attr]
    assert indicators and all(i.questions and i.questions.front_line for i in indicators)


@pytest.mark.parametrize("name", sorted(p.name for p in SHIPPED_PLAYBOOKS.glob("*.yaml")))
def test_adoption_tiers_are_data(name: str) -> None:
    adoption = load_playbook(SHIPPED_PLAYBOOKS / name).adoption
    assert adoption is not None
    assert [(t.key, t.min_share) for t in adoption.tiers] == [
        ("core", 80),
        ("common", 50),
        ("specialist", 30),
    ]
    core = {m.key for m in adoption.modules if m.tier == "core"}
    assert core == {"contacts", "opportunities", "calendar"}  # seed 000: over 80 %


def test_small_business_keeps_roi_and_system_evaluation() -> None:
    keys = [
        r.key for r in load_playbook(SHIPPED_PLAYBOOKS / "small-business-quick-start.yaml").risks
    ]
    assert "determining-roi" in keys and "evaluating-system-and-tools" in keys


@pytest.mark.parametrize("name", ["crm-four-100-days.yaml", "crm-four-100-days-v1.1.yaml"])
def test_upward_migration_targets_follow_seed_001(name: str) -> None:
    metric = next(
        m for m in load_playbook(SHIPPED_PLAYBOOKS / name).metrics if m.key == "upward-migration"
    )
    assert metric.targets == {3: 2, 4: 3}  # a 2–3 % net upward migration


def _with_adoption(block: str) -> str:
    text = (SHIPPED_PLAYBOOKS / "small-business-quick-start.yaml").read_text(encoding="utf-8")
    return text[: text.index("\nadoption:")] + "\n" + block


def test_a_module_naming_an_unknown_tier_is_refused() -> None:
    block = """adoption:
  tiers:
    - {key: core, min_share: 80, label: {en: Core}}
  modules:
    - {key: contacts, tier: gold, name: {en: Contacts}}
"""
    with pytest.raises(Exception) as caught:
        parse_playbook(_with_adoption(block))
    assert "unknown_tier" in {i.code for i in caught.value.issues}  # type: ignore[attr-defined]


def test_the_trainers_item_must_exist() -> None:
    block = """adoption:
  tiers:
    - {key: core, min_share: 80, label: {en: Core}}
  modules:
    - {key: contacts, tier: core, name: {en: Contacts}}
  train_the_trainers: no-such-item
"""
    with pytest.raises(Exception) as caught:
        parse_playbook(_with_adoption(block))
    assert "unknown_task" in {i.code for i in caught.value.issues}  # type: ignore[attr-defined]
