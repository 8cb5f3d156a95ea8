"""Messages of a gate's refusals: a decision the rules do not allow, a criterion that cannot
be saved (planner/domain/gates.py, planner/services/gates.py)."""

from __future__ import annotations

from flask_babel import gettext, ngettext

from planner.messages import Message, Params, Words


def _justification(raw: Params, words: Words) -> str:
    count = raw.get("count")
    return ngettext(
        "a go while %(num)d criterion is not met needs a written justification "
        "(not met: %(names)s)",
        "a go while %(num)d criteria are not met needs a written justification "
        "(not met: %(names)s)",
        count if isinstance(count, int) else 0,
        names=words.get("names", ""),
    )


MESSAGES: dict[str, Message] = {
    # a decision
    "gate.decision.no_criteria": lambda r, w: gettext(
        "this gate has no criteria; add criteria before recording a decision"
    ),
    "gate.decision.kind": lambda r, w: gettext(
        'expected go, conditional_go or no_go, got "%(value)s"', **w
    ),
    "gate.decision.who": lambda r, w: gettext("say who decided"),
    "gate.decision.justification": _justification,
    "gate.decision.conditions": lambda r, w: gettext("a conditional go needs its conditions"),
    "gate.decision.due_missing": lambda r, w: gettext(
        "a conditional go needs a due date for its conditions"
    ),
    "gate.decision.due_before": lambda r, w: gettext(
        "the due date %(due)s is before the decision (%(day)s)", **w
    ),
    "gate.decision.replan": lambda r, w: gettext("a no-go needs a replan note: what happens next"),
    "gate.decision.future": lambda r, w: gettext(
        "a decision is recorded once taken: %(day)s at the latest", **w
    ),
    # a criterion
    "gate.criterion.metric": lambda r, w: gettext(
        'choose one of the program\'s metrics, got "%(value)s"', **w
    ),
    "gate.criterion.no_milestone": lambda r, w: gettext("choose at least one milestone"),
    "gate.criterion.band": lambda r, w: gettext('choose one of %(known)s, got "%(value)s"', **w),
    "gate.criterion.text": lambda r, w: gettext(
        "say what must be true, e.g. “the sponsor signs the gate”"
    ),
    "gate.criterion.source": lambda r, w: gettext('choose one of %(known)s, got "%(value)s"', **w),
    "gate.criterion.url": lambda r, w: gettext("a link must start with http:// or https://"),
    "gate.criterion.keys_too_long": lambda r, w: gettext(
        "at most %(max)s characters of milestone keys in all", **w
    ),
}
