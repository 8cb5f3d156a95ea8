"""The steering pack's "since the last review" page: what moved between the latest steering
review and the day of the pack (plan, gates, metrics, decisions, risks), worded in the
pack's language."""

from __future__ import annotations

from datetime import date
from typing import Final

from flask_babel import gettext as _

from planner.domain.review_pulse import MetricChange, Move, PulseChanges
from planner.explain_text import format_value
from planner.i18n import format_day
from planner.models.metric import Metric
from planner.models.plan import Phase, WorkItem
from planner.services.review_pulse import since_last_review

MAX_LINES_PER_KIND: Final = 5


def _name(obj: object | None, lang: str, fallback: str) -> str:
    if obj is None:
        return fallback
    english = getattr(obj, "name", None) or ""
    chinese = getattr(obj, "name_zh", None) or ""
    return ((chinese or english) if lang == "zh" else (english or chinese)) or fallback


def _verdict(code: str | None) -> str:
    words = {
        "pass": _("Pass"),
        "at_risk": _("At risk"),
        "fail": _("Fail"),
        "on_track": _("On track"),
        "off_track": _("Off track"),
    }
    return words.get(code or "", "—")


def _rag(code: str | None) -> str:
    words = {"green": _("Green"), "amber": _("Amber"), "red": _("Red")}
    return words.get(code or "", _("No status"))


def _decision(kind: str) -> str:
    return {"go": _("Go"), "conditional_go": _("Conditional go"), "no_go": _("No-go")}.get(
        kind, kind
    )


def _moved(label: str, move: Move) -> str:
    return _(
        "%(what)s: %(before)s → %(after)s (%(n)+d working days)",
        what=label,
        before=format_day(move.before),
        after=format_day(move.after),
        n=move.workdays,
    )


def since_lines(
    program_id: int,
    today: date,
    lang: str,
    items: dict[str, WorkItem],
    phases: dict[int, Phase],
    metrics: dict[str, Metric],
) -> tuple[str, tuple[str, ...]]:
    """The page's heading and lines; ("", ()) when the program has had no review yet."""
    since = since_last_review(program_id, today)
    if since is None:
        return "", ()
    title = _("Since the review of %(day)s", day=format_day(since.review.held_on))
    lines: list[str] = []
    if since.changes is None:
        lines.append(
            _("The plan was not recorded with that review: only decisions and risks are compared.")
        )
    else:
        lines.extend(_plan_lines(since.changes, lang, items, phases, metrics))
    by_id = {phase.id: phase for phase in phases.values()}
    for decision in since.decisions:
        lines.append(
            _(
                "Gate decision on %(day)s for %(phase)s: %(kind)s",
                day=format_day(decision.decided_on),
                phase=_name(by_id.get(decision.phase_id), lang, "?"),
                kind=_decision(decision.kind),
            )
        )
    lines.append(
        _("Risks: %(new)d new, %(closed)d closed", new=since.new_risks, closed=since.closed_risks)
    )
    return title, tuple(lines)


def _plan_lines(
    changes: PulseChanges,
    lang: str,
    items: dict[str, WorkItem],
    phases: dict[int, Phase],
    metrics: dict[str, Metric],
) -> list[str]:
    """What moved in the plan and the metrics: finish, milestones, gate outlooks, the
    critical path, metrics (at most :data:`MAX_LINES_PER_KIND` of a kind)."""
    lines: list[str] = []
    if changes.finish is not None:
        lines.append(_moved(_("Forecast finish"), changes.finish))
    for move in changes.milestones_moved[:MAX_LINES_PER_KIND]:
        lines.append(_moved(_name(items.get(move.key), lang, move.key), move))
    for ordinal, before, after in changes.gate_outlooks:
        phase = phases.get(ordinal)
        lines.append(
            _(
                "Gate of %(phase)s: %(before)s → %(after)s",
                phase=_name(phase, lang, str(ordinal)),
                before=_verdict(before),
                after=_verdict(after),
            )
        )
    if changes.became_critical:
        names = [_name(items.get(k), lang, k) for k in changes.became_critical]
        shown = names[:MAX_LINES_PER_KIND]
        more = len(names) - len(shown)
        joined = ("、" if lang == "zh" else ", ").join(shown)
        lines.append(
            _("Became critical: %(names)s", names=joined)
            + (" " + _("and %(n)d more", n=more) if more else "")
        )
    for change in changes.metrics[:MAX_LINES_PER_KIND]:
        lines.append(_metric_line(change, metrics.get(change.key), lang))
    return lines


def _metric_line(change: MetricChange, metric: Metric | None, lang: str) -> str:
    unit = metric.unit if metric else ""
    before = change.before
    return _(
        "%(metric)s: %(before)s → %(after)s (%(rag_before)s → %(rag_after)s)",
        metric=_name(metric, lang, change.key),
        before=format_value(before.value, unit) if before and before.value is not None else "—",
        after=format_value(change.after.value or 0.0, unit),
        rag_before=_rag(before.status if before else None),
        rag_after=_rag(change.after.status),
    )
