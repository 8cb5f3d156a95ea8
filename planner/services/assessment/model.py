"""An assessment's maturity model: the playbook's model in one language, with the
assessment's own indicator settings (weight, criticality) in place of the playbook's."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import planner.models.assessment  # noqa: F401  (registers the tables until models/__init__ does)
from planner.domain import maturity as m
from planner.domain.errors import NotFoundError, ValidationError
from planner.domain.playbook import MaturityModel as PlaybookMaturity
from planner.domain.playbook import Text
from planner.models.assessment import (
    Assessment,
    AssessmentIndicator,
)
from planner.models.program import Program
from planner.services.playbooks import get_playbook

# --------------------------------------------------------------------------- the model


@dataclass(frozen=True)
class ModelView:
    """The maturity model in one language, with what the domain model does not carry."""

    model: m.MaturityModel
    lang: str
    descriptions: Mapping[str, str]
    scale_labels: Mapping[int, str]
    level_weights: Mapping[str, float]

    @property
    def categories(self) -> tuple[m.Category, ...]:
        return self.model.categories

    def category(self, key: str) -> m.Category:
        for category in self.model.categories:
            if category.key == key:
                return category
        raise NotFoundError.of("", "row.not_found")

    def category_name(self, key: str) -> str:
        for category in self.model.categories:
            if category.key == key:
                return category.name
        return key

    def name(self, key: str) -> str:
        if self.model.has_indicator(key):
            return self.model.indicator(key).name
        return key


def playbook_maturity(program: Program) -> PlaybookMaturity:
    """The maturity model of the program's playbook; ValidationError when it has none."""
    playbook = get_playbook(program.playbook_id, program.playbook_version)
    if playbook.maturity is None:
        raise ValidationError.of("playbook", "assessment.no_model")
    return playbook.maturity


def _text(text: Text | None, lang: str) -> str | None:
    return text.get(lang) if text is not None else None


@dataclass(frozen=True)
class IndicatorSetting:
    """An indicator's settings in one assessment (what the settings page edits)."""

    weight: float
    critical: bool
    target: float | None = None
    benchmark: float | None = None
    competitor: float | None = None


def domain_model(
    pb: PlaybookMaturity,
    lang: str,
    settings: Sequence[AssessmentIndicator] | None = None,
) -> ModelView:
    """Convert the playbook's model to the domain's in ``lang`` ("en" or "zh").

    With ``settings`` (an assessment's snapshot, in position order) the indicators, their
    weights and criticality come from the snapshot; names and actions from the playbook.
    """
    names: dict[str, tuple[str, str | None, str | None, str | None]] = {}
    category_names: dict[str, str] = {}
    descriptions: dict[str, str] = {}
    playbook_indicators: dict[str, tuple[str, float, bool]] = {}
    for pb_category in pb.categories:
        category_names[pb_category.key] = pb_category.name.get(lang)
        for ind in pb_category.indicators:
            names[ind.key] = (
                ind.name.get(lang),
                _text(ind.suggested_action, lang),
                ind.horizon,
                _text(ind.description, lang),
            )
            playbook_indicators[ind.key] = (pb_category.key, ind.weight, ind.critical)
            if ind.description is not None:
                descriptions[ind.key] = ind.description.get(lang)

    rows: list[tuple[str, str, float, bool]]
    if settings is None:
        rows = [(k, c, w, crit) for k, (c, w, crit) in playbook_indicators.items()]
    else:
        rows = [(s.key, s.category, s.weight, s.critical) for s in settings]
    categories = _categories([c.key for c in pb.categories], category_names, names, rows)
    scale = {int(score): label.get(lang) for score, label in pb.scale.items()}
    weights: dict[str, float] = {level: w for level, w in pb.level_weights.items()}
    model = m.MaturityModel(
        categories=categories,
        levels=tuple(m.MaturityLevel(lv.name.get(lang), lv.min_score) for lv in pb.levels),
        scale_labels=scale,
        level_weights=weights,
    )
    return ModelView(model, lang, descriptions, scale, dict(weights))


def _categories(
    playbook_order: list[str],
    category_names: dict[str, str],
    names: dict[str, tuple[str, str | None, str | None, str | None]],
    rows: list[tuple[str, str, float, bool]],
) -> tuple[m.Category, ...]:
    """The categories with their indicators, in the playbook's order (then the snapshot's
    categories the playbook no longer has); an indicator it lacks is named by its key."""
    by_category: dict[str, list[m.Indicator]] = {}
    for key, category, weight, critical in rows:
        name, action, horizon, _desc = names.get(key, (key, None, None, None))
        by_category.setdefault(category, []).append(
            m.Indicator(
                key=key,
                category=category,
                name=name,
                weight=weight,
                critical=critical,
                suggested_action=action,
                horizon=horizon,  # type: ignore[arg-type]  # the horizon values come from the model's Literal
            )
        )
    order = playbook_order + [c for c in by_category if c not in category_names]
    return tuple(
        m.Category(key, category_names.get(key, key), tuple(by_category[key]))
        for key in order
        if key in by_category
    )


def model_for(assessment: Assessment, lang: str) -> ModelView:
    """The assessment's model (its indicator snapshot) in ``lang``."""
    return domain_model(playbook_maturity(assessment.program), lang, assessment.indicators)
