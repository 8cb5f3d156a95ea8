"""The steering pack's money slide and workload slide (issue 23): budget, actual and
forecast per phase with earned value and the benefits case; who is over capacity in the
coming weeks and which items cause it. Texts in the reader's language (the caller forces
the pack's locale); numbers written the same way in both languages."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from planner.explain_text import render
from planner.interop.pack_data import RAG_FILL, TableSlide
from planner.models import Program
from planner.services.benefits import Review
from planner.services.money_cards import has_money, money_card
from planner.services.workload import build_workload

WORKLOAD_WEEKS = 8
MAX_ROWS = 10


def _amount(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def _ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _phase(ordinal: int, kind: str) -> str:
    return _("Diagnosis") if kind == "diagnosis" else _("Phase %(n)d", n=ordinal)


def money_slide(program: Program, today: date) -> TableSlide | None:
    card = money_card(program, today)
    if card is None:
        return None
    g, cur, case = card.cost.program, card.currency, card.case
    ev = g.ev
    lines = [
        _("Budget %(b)s · actual %(a)s · forecast at completion %(f)s (%(cur)s)",
          b=_amount(g.budget), a=_amount(g.actual), f=_amount(g.forecast), cur=cur),
        _("Earned value: SPI %(spi)s · CPI %(cpi)s · EAC of the labour %(eac)s",
          spi=_ratio(ev.spi if ev else None), cpi=_ratio(ev.cpi if ev else None),
          eac=_amount(ev.eac if ev else None)),
    ]  # fmt: skip
    if case is not None:
        payback = (
            _("%(n)s months", n=f"{case.payback_months:.1f}")
            if case.payback_months is not None
            else _("not within the horizon")
        )
        lines.append(
            _("Benefits case: ROI %(roi)s · NPV %(npv)s at %(rate)s · payback %(payback)s",
              roi="—" if case.roi is None else f"{case.roi:.0%}", npv=_amount(case.npv),
              rate=f"{case.discount_rate:.0%}", payback=payback)
        )  # fmt: skip
        lines.append(
            _("Realised to date %(r)s against %(c)s expected by the case",
              r=_amount(case.realised_to_date), c=_amount(case.case_to_date))
        )  # fmt: skip
        if card.review is not None:
            lines.append(benefit_review_line(card.review))
    rows: list[tuple[str, ...]] = []
    fills: dict[tuple[int, int], str] = {}
    groups = [(_phase(phase.ordinal, phase.kind), group) for phase, group in card.cost.phases]
    groups += [
        (_("Workstream %(name)s", name=name), group) for name, group in card.cost.workstreams
    ]
    for index, (label, group) in enumerate(groups):
        rows.append((
            label, _amount(group.budget), _amount(group.planned),
            _amount(group.actual), _amount(group.forecast),
            _ratio(group.ev.cpi if group.ev else None),
        ))  # fmt: skip
        if group.over_budget:
            fills[(index, 4)] = RAG_FILL["red"]
    header = (_("Phase"), _("Budget"), _("Planned"), _("Actual"), _("Forecast at completion"),
              "CPI")  # fmt: skip
    return TableSlide(
        _("Budget, cost and benefits"), tuple(lines), header, tuple(rows),
        (1.4, 1, 1, 1, 1.4, 0.6), fills,
    )  # fmt: skip


def benefit_review_line(review: Review) -> str:
    """The benefit review as its gate judges it (the domain's rule), for the slide."""
    words = {
        "met": _("met"),
        "on_track": _("on track"),
        "at_risk": _("at risk"),
        "not_met": _("not met"),
    }
    return _(
        "Benefit review (gate of %(phase)s): %(outcome)s, %(reason)s",
        phase=_phase(review.phase.ordinal, review.phase.kind),
        outcome=words[review.outcome],
        reason=render(review.reason),
    )


def workload_slide(program: Program, today: date, lang: str) -> TableSlide | None:
    view = build_workload([program], today=today, weeks_before=0, weeks_after=WORKLOAD_WEEKS,
                          lang=lang)  # fmt: skip
    if not view.people:
        return None
    rows: list[tuple[str, ...]] = []
    fills: dict[tuple[int, int], str] = {}
    for person in view.people[:MAX_ROWS]:
        over = [c for c in person.cells if c.over]
        peak = max(over or person.cells, key=lambda c: c.hours - c.capacity if over else c.hours)
        causes = sorted({label for c in over for label, _h in c.causes})
        if over:
            fills[(len(rows), 2)] = RAG_FILL["red"]
        rows.append((
            person.name, person.team or "—",
            f"{peak.hours:.0f} / {peak.capacity:.0f}",
            ", ".join(f"{c.week:%m-%d}" for c in over) or "—",
            "; ".join(causes) or "—",
        ))  # fmt: skip
    overloaded = len(view.overloaded_people)
    lines = (
        _("People over capacity in the next %(w)d weeks: %(n)d.", n=overloaded, w=WORKLOAD_WEEKS)
        if overloaded
        else _("Nobody is over capacity in the next %(w)d weeks.", w=WORKLOAD_WEEKS),
    )
    header = (_("Person"), _("Team"), _("Peak week (h / capacity)"), _("Weeks over"),
              _("Items causing it"))  # fmt: skip
    return TableSlide(_("Workload"), lines, header, tuple(rows), (1.2, 1.2, 1.1, 1, 2.6), fills)


def money_slides(program: Program, today: date, lang: str) -> tuple[TableSlide, ...]:
    """The slides this area adds to the pack (none for a program without money data)."""
    if not has_money(program):  # nothing planned, spent or expected: no slides, no queries
        return ()
    found = [money_slide(program, today), workload_slide(program, today, lang)]
    return tuple(s for s in found if s is not None)
