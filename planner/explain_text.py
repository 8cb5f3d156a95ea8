"""The domain's explanations in words, in the reader's language: the one place that does it.

The domain says why with :class:`~planner.domain.explain.Explanation` values (a code and its
parameters, no words). :func:`render` turns one — or a compound reason, several clauses —
into a sentence through Flask-Babel: each code has its message here, with ``%(name)s``
placeholders, and every parameter is formatted for the current locale (dates with
:func:`planner.i18n.format_day`, numbers with the locale's signs, risk bands with the scale's
labels, RAG colours and areas with translated words).

It runs wherever Flask-Babel does: in a request (the reader's language), under
``flask_babel.force_locale`` (the pack, a stored record), and outside any app (English).
Names of items, metrics and risks arrive already in the reader's language (the services
pick them); this module never looks at rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Final

from flask import has_request_context
from flask_babel import force_locale, get_locale, gettext, ngettext

from planner.domain.errors import PlannerError, Problem, install_wording
from planner.domain.explain import (
    CLAUSES,
    Days,
    Explanation,
    Quantity,
    Quoted,
    Reason,
    Term,
    clauses,
)
from planner.explain_words import (
    area_word,
    band_label,
    clause_separator,
    format_date,
    format_days,
    format_number,
    format_quantity,
    format_value,
    join_list,
    list_separator,
    quoted,
    rag_word,
)
from planner.interop.messages import Message as FileMessage
from planner.interop.messages import localize
from planner.messages import Message, Params, Words, catalogue

#: the words of parameters come from planner.explain_words; importers may take them here
__all__ = [
    "KNOWN_CODES",
    "area_word",
    "band_label",
    "clause_separator",
    "format_date",
    "format_days",
    "format_number",
    "format_quantity",
    "format_value",
    "join_list",
    "known_codes",
    "list_separator",
    "problem_pairs",
    "quoted",
    "rag_word",
    "render",
    "render_english",
    "renderer",
    "stored_summary",
    "word_problem",
]

# --------------------------------------------------------------------------- messages
# One entry a code. A message gets the raw parameters (to choose a plural or a variant) and
# the formatted ones (to fill the placeholders). Every text is a literal so that
# `make messages` finds it.


def _gate_risk_above(raw: Params, words: Words) -> str:
    return ngettext(
        "%(count)s open risk rated above %(band)s: %(risks)s",
        "%(count)s open risks rated above %(band)s: %(risks)s",
        _int(raw.get("count")),
        **words,
    )


def _gate_risk_none_above(raw: Params, words: Words) -> str:
    return ngettext(
        "%(count)s open risk, none rated above %(band)s",
        "%(count)s open risks, none rated above %(band)s",
        _int(raw.get("count")),
        **words,
    )


def _risks_rated_band(raw: Params, words: Words) -> str:
    return ngettext(
        "%(count)s open risk rated %(band)s",
        "%(count)s open risks rated %(band)s",
        _int(raw.get("count")),
        **words,
    )


def _metrics_all_on_target(raw: Params, words: Words) -> str:
    return ngettext(
        "%(count)s metric on target",
        "all %(count)s metrics on target",
        _int(raw.get("count")),
        **words,
    )


def _risk_rated(raw: Params, words: Words) -> str:
    if raw.get("title"):
        return gettext('%(key)s "%(title)s" (%(band)s)', **words)
    return gettext("%(key)s (%(band)s)", **words)


def _risk_unknown_band(raw: Params, words: Words) -> str:
    if raw.get("title"):
        return gettext('%(key)s "%(title)s" (unknown band %(band)s)', **words)
    return gettext("%(key)s (unknown band %(band)s)", **words)


def _manual_confirmed(raw: Params, words: Words) -> str:
    if raw.get("evidence"):
        return gettext("%(text)s: confirmed (evidence: %(evidence)s)", **words)
    return gettext("%(text)s: confirmed (no evidence recorded)", **words)


def _manual_not_met(raw: Params, words: Words) -> str:
    if raw.get("evidence"):
        return gettext("%(text)s: recorded as not met (evidence: %(evidence)s)", **words)
    return gettext("%(text)s: recorded as not met (no evidence recorded)", **words)


def _benefits_nothing_due(raw: Params, words: Words) -> str:
    if raw.get("go_live"):
        return gettext(
            "no benefit is due yet: the case expects the first after go-live on %(go_live)s",
            **words,
        )
    return gettext("no benefit is due yet: no go-live has passed and no value is expected")


def _clauses(raw: Params, words: Words) -> str:
    return words.get("clauses", "")


_MESSAGES: Final[dict[str, Message]] = {
    CLAUSES: _clauses,
    # a criterion, as a line of the gate
    "criterion.metric": lambda r, w: gettext("%(name)s reaches its phase target", **w),
    "criterion.milestones": lambda r, w: gettext("Milestones done: %(names)s", **w),
    "criterion.risk": lambda r, w: gettext("No open risk rated above %(band)s", **w),
    "criterion.manual": lambda r, w: w.get("text", ""),
    "criterion.benefits": lambda r, w: gettext("%(text)s (judged from the benefits case)", **w),
    # the gate as a whole
    "gate.summary": lambda r, w: gettext(
        "%(met)s of %(total)s criteria met, %(at_risk)s at risk, %(not_met)s not met", **w
    ),
    "gate.outlook_summary": lambda r, w: gettext(
        "%(met)s of %(total)s criteria met, %(on_track)s on track, %(at_risk)s at risk, "
        "%(off_track)s off track",
        **w,
    ),
    "gate.no_criteria": lambda r, w: gettext(
        "this gate has no criteria yet; add criteria before it can pass"
    ),
    # a metric criterion
    "gate.metric.unknown": lambda r, w: gettext("unknown metric %(key)s", **w),
    "gate.metric.no_target": lambda r, w: gettext("%(name)s has no target for this phase", **w),
    "gate.metric.no_reading": lambda r, w: gettext(
        "%(name)s has no reading yet (target %(target)s)", **w
    ),
    "gate.metric.phase_not_started": lambda r, w: gettext(
        "%(name)s: its phase has not started; nothing is due yet (target %(target)s)", **w
    ),
    "gate.metric.no_reading_yet": lambda r, w: gettext(
        "%(name)s has no reading yet in this phase (target %(target)s)", **w
    ),
    "gate.metric.on_path": lambda r, w: gettext(
        "%(name)s is %(latest)s, on its glide path (%(path)s then) to the target of %(target)s",
        **w,
    ),
    "gate.metric.near_path": lambda r, w: gettext(
        "%(name)s is %(latest)s, a little below its glide path (%(path)s then) to the target "
        "of %(target)s",
        **w,
    ),
    "gate.metric.behind_path_forecast_reaches": lambda r, w: gettext(
        "%(name)s is %(latest)s, behind its glide path (%(path)s then), but the forecast at "
        "the gate (%(forecast)s) reaches the target of %(target)s",
        **w,
    ),
    "gate.metric.behind_path_forecast_reaches_no_value": lambda r, w: gettext(
        "%(name)s is %(latest)s, behind its glide path (%(path)s then), but the forecast at "
        "the gate reaches the target of %(target)s",
        **w,
    ),
    "gate.metric.behind_path": lambda r, w: gettext(
        "%(name)s is %(latest)s, behind its glide path (%(path)s then) to the target of "
        "%(target)s; not enough data for a forecast",
        **w,
    ),
    "gate.metric.behind_path_forecast_short": lambda r, w: gettext(
        "%(name)s is %(latest)s, behind its glide path (%(path)s then), and the forecast at "
        "the gate (%(forecast)s) falls short of the target of %(target)s",
        **w,
    ),
    "gate.metric.reached": lambda r, w: gettext(
        "%(name)s is %(latest)s, reaching the target of %(target)s", **w
    ),
    "gate.metric.short_gate_passed": lambda r, w: gettext(
        "%(name)s is %(latest)s, short of the target of %(target)s; "
        "the gate on %(gate)s has passed",
        **w,
    ),
    "gate.metric.short_forecast_reaches": lambda r, w: gettext(
        "%(name)s is %(latest)s, short of the target of %(target)s, "
        "but the forecast at the gate (%(forecast)s) reaches it",
        **w,
    ),
    "gate.metric.short_forecast_reaches_no_value": lambda r, w: gettext(
        "%(name)s is %(latest)s, short of the target of %(target)s, "
        "but the forecast at the gate reaches it",
        **w,
    ),
    "gate.metric.amber_before_gate": lambda r, w: gettext(
        "%(name)s is %(latest)s, short of the target of %(target)s but within the amber "
        "band, %(days)s before the gate on %(gate)s",
        **w,
    ),
    "gate.metric.amber_gate_today": lambda r, w: gettext(
        "%(name)s is %(latest)s, short of the target of %(target)s but within the amber "
        "band, and the gate is today",
        **w,
    ),
    "gate.metric.short_no_forecast": lambda r, w: gettext(
        "%(name)s is %(latest)s, short of the target of %(target)s and there are too few "
        "readings for a forecast",
        **w,
    ),
    "gate.metric.short_forecast_short": lambda r, w: gettext(
        "%(name)s is %(latest)s, short of the target of %(target)s and the forecast at the "
        "gate (%(forecast)s) falls short too",
        **w,
    ),
    "gate.metric.short_forecast_short_no_value": lambda r, w: gettext(
        "%(name)s is %(latest)s, short of the target of %(target)s and the forecast at the "
        "gate falls short too",
        **w,
    ),
    # a milestones criterion
    "gate.milestones.none_listed": lambda r, w: gettext(
        "no milestones are listed for this criterion"
    ),
    "gate.milestones.unknown": lambda r, w: gettext("unknown milestone %(keys)s", **w),
    "gate.milestones.not_done_by_gate": lambda r, w: gettext(
        "not done by the gate on %(gate)s: %(names)s", **w
    ),
    "gate.milestones.late": lambda r, w: gettext(
        "forecast after the gate on %(gate)s: %(items)s", **w
    ),
    "gate.milestones.unscheduled": lambda r, w: gettext(
        "not done and not scheduled: %(names)s", **w
    ),
    "gate.milestones.pending": lambda r, w: gettext(
        "not done yet, forecast by the gate on %(gate)s: %(items)s", **w
    ),
    "gate.milestones.done": lambda r, w: gettext("done: %(names)s", **w),
    "milestone.forecast": lambda r, w: gettext("%(name)s (forecast %(forecast)s)", **w),
    "milestone.forecast_late": lambda r, w: gettext(
        "%(name)s (forecast %(forecast)s, %(days)s late)", **w
    ),
    # a risk criterion
    "gate.risk.unknown_band": lambda r, w: gettext(
        "unknown band %(band)s; expected one of %(known)s", **w
    ),
    "gate.risk.above": _gate_risk_above,
    "gate.risk.none_above": _gate_risk_none_above,
    "risk.rated": _risk_rated,
    "risk.unknown_band": _risk_unknown_band,
    # a manual criterion
    "gate.manual.pending": lambda r, w: gettext("%(text)s: pending", **w),
    "gate.manual.confirmed": _manual_confirmed,
    "gate.manual.not_met": _manual_not_met,
    # the benefit review, judged from the benefits case
    "gate.benefits.no_case": lambda r, w: gettext(
        "no benefits case: define the program's benefits and their readings"
    ),
    "gate.benefits.nothing_due": _benefits_nothing_due,
    "gate.benefits.no_readings": lambda r, w: gettext(
        "no benefit has a reading after its go-live: the case expects %(expected)s by now",
        **w,
    ),
    "gate.benefits.realised": lambda r, w: gettext(
        "%(realised)s realised against %(expected)s the case expects by now (%(share)s; "
        "%(required)s needed), %(measured)s of %(count)s benefits measured since go-live",
        **w,
    ),
    "gate.benefits.short": lambda r, w: gettext(
        "only %(realised)s realised against %(expected)s the case expects by now "
        "(%(share)s; %(required)s needed), %(measured)s of %(count)s benefits measured "
        "since go-live",
        **w,
    ),
    # a phase's RAG, area by area
    "rag.area": lambda r, w: gettext("%(area)s: %(rag)s, %(reason)s", **w),
    "schedule.on_time": lambda r, w: gettext("no milestone slips and the phase fits its window"),
    "schedule.late": lambda r, w: gettext("%(problems)s (tolerance %(tolerance)s)", **w),
    "schedule.milestone_late": lambda r, w: gettext("%(name)s %(days)s late", **w),
    "schedule.overrun": lambda r, w: gettext("the phase overruns its window by %(days)s", **w),
    "metrics.none_expected": lambda r, w: gettext("no metric has a target in this phase"),
    "metrics.none_tracked": lambda r, w: gettext(
        "no metrics are tracked, so nothing shows adoption"
    ),
    "metrics.all_on_target": _metrics_all_on_target,
    "metrics.red": lambda r, w: gettext("red: %(names)s", **w),
    "metrics.amber": lambda r, w: gettext("amber: %(names)s", **w),
    "metrics.no_status": lambda r, w: gettext("no status yet: %(names)s", **w),
    "metrics.phase_not_started": lambda r, w: gettext(
        "the phase has not started; no reading is judged yet"
    ),
    "risks.none_from": lambda r, w: gettext("no open risk rated %(band)s or above", **w),
    "risks.rated": lambda r, w: w.get("groups", ""),
    "risks.rated_band": _risks_rated_band,
    "risks.phase_closed": lambda r, w: gettext(
        "phase closed; open risks count against the current phase"
    ),
    # a metric's status rule
    "rule.higher": lambda r, w: gettext(
        "green at or above %(target)s; amber from %(bound)s to below %(target)s "
        "(%(within)s); red below %(bound)s",
        **w,
    ),
    "rule.lower": lambda r, w: gettext(
        "green at or below %(target)s; amber above %(target)s up to %(bound)s "
        "(%(within)s); red above %(bound)s",
        **w,
    ),
    "rule.higher_no_band": lambda r, w: gettext(
        "green at or above %(target)s; red below %(target)s (no amber band: %(why)s)", **w
    ),
    "rule.lower_no_band": lambda r, w: gettext(
        "green at or below %(target)s; red above %(target)s (no amber band: %(why)s)", **w
    ),
    "rule.no_band.zero_tolerance": lambda r, w: gettext("tolerance is 0"),
    "rule.no_band.zero_target": lambda r, w: gettext("target is 0 and there is no baseline"),
    "rule.within_target": lambda r, w: gettext("within %(tolerance)s of target", **w),
    "rule.within_gap": lambda r, w: gettext(
        "within %(tolerance)s of the gap between the baseline %(baseline)s and the target", **w
    ),
    # a metric's status
    "metric.no_such_phase": lambda r, w: gettext(
        "there is no phase %(phase)s; no target to judge by", **w
    ),
    "metric.not_started": lambda r, w: gettext(
        "no phase has started by %(day)s; no target to judge by", **w
    ),
    "metric.phase_not_started": lambda r, w: gettext(
        "phase %(phase)s starts on %(start)s; nothing to judge yet", **w
    ),
    "metric.on_path": lambda r, w: gettext(
        "latest %(value)s on %(day)s against the glide path's %(path)s that day (phase "
        "%(phase)s target %(target)s at the gate on %(gate)s): %(status)s (%(rule)s)",
        **w,
    ),
    "metric.not_enough_data": lambda r, w: gettext(
        "not enough data for a forecast (readings on %(days)s days needed)", **w
    ),
    "metric.forecast_band": lambda r, w: gettext(
        "forecast %(value)s (likely %(low)s to %(high)s) at the gate on %(gate)s: %(status)s",
        **w,
    ),
    "metric.no_target": lambda r, w: gettext(
        "no target is set for phase %(phase)s or any earlier phase", **w
    ),
    "metric.no_reading": lambda r, w: gettext(
        "no reading yet; phase %(phase)s target %(target)s", **w
    ),
    "metric.latest": lambda r, w: gettext(
        "latest %(value)s on %(day)s against the phase %(phase)s target of %(target)s: "
        "%(status)s (%(rule)s)",
        **w,
    ),
    "metric.gate_passed": lambda r, w: gettext("the gate on %(gate)s has passed", **w),
    "metric.too_few_readings": lambda r, w: gettext(
        "too few readings for a forecast (need two days)"
    ),
    "metric.forecast": lambda r, w: gettext(
        "forecast %(value)s at the gate on %(gate)s: %(status)s", **w
    ),
}

#: Codes the renderer has words for here (a test checks the domain uses no other); the
#: feature catalogues of ``planner/messages/`` add theirs (:func:`known_codes`).
KNOWN_CODES: Final = frozenset(_MESSAGES)


def known_codes() -> frozenset[str]:
    """Every code with words: this module's and the feature catalogues'."""
    return KNOWN_CODES | frozenset(catalogue())


def _int(value: object) -> int:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0


def _word(value: object, bands: Mapping[str, str] | None) -> str:
    """One parameter, formatted for the reader."""
    if isinstance(value, Explanation):
        return _sentence(value, bands)
    if isinstance(value, tuple):
        return list_separator().join(_word(v, bands) for v in value)
    if isinstance(value, Quantity):
        return format_quantity(value.value, value.unit)
    if isinstance(value, Days):
        return format_days(value.count)
    if isinstance(value, Term):
        if value.vocabulary == "band":
            return band_label(value.value, bands)
        if value.vocabulary == "rag":
            return rag_word(value.value)
        return area_word(value.value)
    if isinstance(value, Quoted):
        return quoted(value.text)
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return format_number(value)
    return "" if value is None else str(value)


def _sentence(explanation: Explanation, bands: Mapping[str, str] | None) -> str:
    if explanation.code == CLAUSES:
        parts = explanation.params.get("clauses", ())
        if isinstance(parts, tuple):
            return clause_separator().join(_word(p, bands) for p in parts)
    message = _MESSAGES.get(explanation.code) or catalogue().get(explanation.code)
    if message is None:
        # a code without words is a bug; show the code rather than nothing
        return explanation.code
    words = {name: _word(value, bands) for name, value in explanation.params.items()}
    return message(explanation.params, words)


# --------------------------------------------------------------------------- entry points


def render(reason: Reason | None, *, bands: Mapping[str, str] | None = None) -> str:
    """A reason as a sentence in the current language (its clauses joined).

    ``bands`` maps risk band names to the labels of the program's scale in that language
    (``ScaleInfo.band_labels``); without it the default band names are translated.
    """
    if reason is None:
        return ""
    try:
        return clause_separator().join(_sentence(e, bands) for e in clauses(reason))
    except RuntimeError:
        if has_request_context():
            raise
        # an app without a request and no language forced (a CLI command, a test): the
        # locale selector needs a request, so English, as outside any app
        with force_locale("en"):
            return clause_separator().join(_sentence(e, bands) for e in clauses(reason))


def renderer(bands: Mapping[str, str] | None = None) -> Callable[[Reason | None], str]:
    """:func:`render` with the program's band labels, for a template (``explain(reason)``)."""

    def explain(reason: Reason | None) -> str:
        return render(reason, bands=bands)

    return explain


def render_english(reason: Reason | None) -> str:
    """A reason in English whoever reads: for what is stored (a decision's record)."""
    with force_locale("en"):
        return render(reason)


_STORED_SUMMARY = re.compile(
    r"^(?P<met>\d+) of (?P<total>\d+) criteria met, (?P<at_risk>\d+) at risk, "
    r"(?P<not_met>\d+) not met$"
)
_STORED_OUTLOOK = re.compile(
    r"^(?P<met>\d+) of (?P<total>\d+) criteria met, (?P<on_track>\d+) on track, "
    r"(?P<at_risk>\d+) at risk, (?P<off_track>\d+) off track$"
)


def stored_summary(text: str) -> str:
    """A decision's recorded gate summary (stored in English, see :func:`render_english`)
    in the current language; a text in any other form is shown as it was stored."""
    found = _STORED_SUMMARY.match(text.strip())
    if found is not None:
        counts = {name: int(value) for name, value in found.groupdict().items()}
        return render(Explanation("gate.summary", counts))
    found = _STORED_OUTLOOK.match(text.strip())
    if found is not None:
        counts = {name: int(value) for name, value in found.groupdict().items()}
        return render(Explanation("gate.outlook_summary", counts))
    with force_locale("en"):
        no_criteria = render(Explanation("gate.no_criteria"))
    if text.strip() == no_criteria:
        return render(Explanation("gate.no_criteria"))
    return text


# --------------------------------------------------------------------------- problems


def word_problem(problem: Problem) -> str:
    """A coded problem (see :class:`planner.domain.errors.Problem`) as a sentence in the
    current language."""
    return render(Explanation(problem.code, problem.params))


def word_place(field: str) -> str:
    """A problem's field for the reader: a place in a file (``row 3, column "Title"``, an
    :class:`~planner.interop.messages.Message`) in the current language; a form field's or
    an API body's path as it is."""
    if not isinstance(field, FileMessage):
        return field
    if has_request_context():
        return localize(field, gettext)
    with force_locale(_forced_or_english()):
        return localize(field, gettext)


def _forced_or_english() -> str:
    """The language forced on this app context (``force_locale``), else English."""
    try:
        locale = get_locale()
    except RuntimeError:  # an app without a request and no language forced
        return "en"
    return str(locale) if locale is not None else "en"


def problem_pairs(error: PlannerError) -> list[tuple[str, str]]:
    """``(field, sentence)`` for each problem of an error, in the current language; an error
    of the older path (ready words) gives its message once."""
    if error.problems:
        return [(word_place(p.field), word_problem(p)) for p in error.problems]
    pairs = list(getattr(error, "errors", []) or [])
    return pairs or [("", str(error))]


install_wording(word_problem, word_place)
