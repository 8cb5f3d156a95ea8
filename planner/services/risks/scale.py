"""The program's risk scale in the reader's language: levels, bands, labels, colours."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from planner.charts.risks import BandStyle, band_styles
from planner.domain.errors import NotFoundError
from planner.domain.risk import (
    DEFAULT_SCALE,
    Band,
    RiskScale,
)
from planner.explain_text import band_label
from planner.models.program import Program
from planner.services.playbooks import get_playbook

# --------------------------------------------------------------------------- scale


@dataclass(frozen=True)
class ScaleInfo:
    """The program's risk scale in one language: domain scale, band labels and styles."""

    scale: RiskScale
    band_labels: Mapping[str, str]
    styles: Mapping[str, BandStyle]

    @property
    def band_names(self) -> tuple[str, ...]:
        return self.scale.band_names

    def label(self, band: str) -> str:
        return self.band_labels.get(band, band)

    def css(self, band: str) -> str:
        style = self.styles.get(band)
        return style.css if style else ""

    def band_of(self, score: int) -> str:
        return self.scale.band_for(score)

    @property
    def colours(self) -> dict[str, str]:
        return {name: style.fill for name, style in self.styles.items()}

    def likelihood_label(self, level: int | None) -> str:
        return self.scale.likelihood_levels[level - 1] if level else ""

    def impact_label(self, level: int | None) -> str:
        return self.scale.impact_levels[level - 1] if level else ""


DEFAULT_LIKELIHOOD_LABELS = (
    _l("Rare"),
    _l("Unlikely"),
    _l("Possible"),
    _l("Likely"),
    _l("Almost certain"),
)
DEFAULT_IMPACT_LABELS = (
    _l("Insignificant"),
    _l("Minor"),
    _l("Moderate"),
    _l("Major"),
    _l("Severe"),
)


def scale_for(program: Program, lang: str = "en") -> ScaleInfo:
    """The scale of the program's playbook (labels in ``lang``); the default when absent."""
    try:
        playbook = get_playbook(program.playbook_id, program.playbook_version)
        pb_scale = playbook.risk_scale
    except NotFoundError:
        pb_scale = None
    if pb_scale is None:
        # the playbook is gone: the default scale, worded in the reader's language
        scale = RiskScale(
            likelihood_levels=tuple(str(label) for label in DEFAULT_LIKELIHOOD_LABELS),
            impact_levels=tuple(str(label) for label in DEFAULT_IMPACT_LABELS),
            bands=DEFAULT_SCALE.bands,
        )
        labels = {name: band_label(name) for name in scale.band_names}
    else:
        scale = RiskScale(
            likelihood_levels=tuple(t.get(lang) for t in pb_scale.likelihood_labels),
            impact_levels=tuple(t.get(lang) for t in pb_scale.impact_labels),
            bands=tuple(Band(b.name, b.min_score, b.max_score) for b in pb_scale.bands),
        )
        labels = {b.name: b.label.get(lang) for b in pb_scale.bands}
    return ScaleInfo(scale, labels, band_styles(scale.band_names))
