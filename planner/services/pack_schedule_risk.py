"""The steering pack's schedule risk slide: each gate ahead, its chance, P80 and drivers.

Called by :func:`planner.services.pack.build_pack` while the pack's language is in force, so
every word comes out in that language; names of items and risks in that language too.
"""

from __future__ import annotations

from datetime import date

from babel import numbers as babel_numbers
from flask_babel import gettext as _

from planner.domain.errors import ValidationError
from planner.explain_text import join_list
from planner.i18n import format_day
from planner.interop.pack_data import RAG_FILL, TableSlide
from planner.models import Program
from planner.services import schedule_risk as service


def _rag(probability: float) -> str:
    return "green" if probability >= 0.8 else ("amber" if probability >= 0.5 else "red")


def schedule_risk_slide(program: Program, today: date, lang: str) -> TableSlide | None:
    """None when nothing is simulated (an empty plan) or no gate lies ahead."""
    try:
        analysis = service.analyse(program, today)
    except ValidationError:
        return None
    names = service.item_names(program, lang)
    phases = {p.key: p for p in program.phases}
    locale = "zh_Hans_CN" if lang == "zh" else "en"
    rows, rags = [], []
    for g in analysis.gates:
        phase = phases.get(g.phase or "")
        if phase is None or g.gate is None or g.gate < today or g.probability is None:
            continue
        label = phase.name_zh if lang == "zh" and phase.name_zh else phase.name
        rows.append(
            (
                label,
                format_day(g.gate),
                format_day(g.deterministic),
                format_day(g.percentiles[80]),
                str(babel_numbers.format_percent(round(g.probability, 2), locale=locale)),
                join_list([names.get(d.key, d.key) for d in g.drivers[:3]]) or "—",
            )
        )
        rags.append(_rag(g.probability))
    if not rows:
        return None
    return TableSlide(
        title=_("Schedule risk: the chance of meeting each gate"),
        header=(
            _("Phase"),
            _("Gate"),
            _("Planned finish"),
            "P80",
            _("Chance of meeting the gate"),
            _("Top drivers"),
        ),
        rows=tuple(rows),
        widths=(2.6, 1.5, 1.6, 1.5, 1.5, 3.6),
        fills={(i, 4): RAG_FILL[rag] for i, rag in enumerate(rags)},
        note=_(
            "%(n)s runs of the plan with each item’s duration range and the linked risks’ "
            "delays; P80: the date by which 80 %% of the runs finished.",
            n=str(babel_numbers.format_decimal(analysis.iterations, locale=locale)),
        ),
    )
