"""Messages of a playbook diff (planner/domain/playbook_diff.py): each change as a sentence.

The domain gives the change itself (``playbook.change``); the sentence is built here, in the
reader's language, from the English or the Chinese texts the change carries.
"""

from __future__ import annotations

from typing import Final

from flask_babel import LazyString, get_locale, gettext, lazy_pgettext

from planner.domain.playbook_diff import (
    QUOTED_FIELDS,
    VOCABULARY_FIELDS,
    Change,
    dependency_parts,
)
from planner.messages import Message, Params, Words

_NOUNS: Final[dict[str, LazyString]] = {
    "playbook": lazy_pgettext("playbook diff", "Playbook"),
    "phase": lazy_pgettext("playbook diff", "Phase"),
    "task": lazy_pgettext("playbook diff", "Task"),
    "milestone": lazy_pgettext("playbook diff", "Milestone"),
    "dependency": lazy_pgettext("playbook diff", "Dependency"),
    "gate": lazy_pgettext("playbook diff", "Gate criterion"),
    "risk": lazy_pgettext("playbook diff", "Risk"),
    "metric": lazy_pgettext("playbook diff", "Metric"),
    "indicator": lazy_pgettext("playbook diff", "Indicator"),
}
_FIELD_LABELS: Final[dict[str, LazyString]] = {
    "title": lazy_pgettext("playbook diff field", "title"),
    "description": lazy_pgettext("playbook diff field", "description"),
    "author": lazy_pgettext("playbook diff field", "author"),
    "workdays": lazy_pgettext("playbook diff field", "working days"),
    "risk_scale": lazy_pgettext("playbook diff field", "risk scale"),
    "maturity_scale": lazy_pgettext("playbook diff field", "maturity scale"),
    "maturity_levels": lazy_pgettext("playbook diff field", "maturity levels"),
    "level_weights": lazy_pgettext("playbook diff field", "interview level weights"),
    "maturity_categories": lazy_pgettext("playbook diff field", "maturity categories"),
    "ordinal": lazy_pgettext("playbook diff field", "ordinal"),
    "kind": lazy_pgettext("playbook diff field", "kind"),
    "name": lazy_pgettext("playbook diff field", "name"),
    "goal": lazy_pgettext("playbook diff field", "goal"),
    "result": lazy_pgettext("playbook diff field", "result"),
    "length_days": lazy_pgettext("playbook diff field", "length"),
    "workstream": lazy_pgettext("playbook diff field", "workstream"),
    "duration": lazy_pgettext("playbook diff field", "duration"),
    "owner_role": lazy_pgettext("playbook diff field", "owner role"),
    "deliverable": lazy_pgettext("playbook diff field", "deliverable"),
    "type": lazy_pgettext("playbook diff field", "type"),
    "lag": lazy_pgettext("playbook diff field", "lag"),
    "milestones": lazy_pgettext("playbook diff field", "milestones"),
    "band": lazy_pgettext("playbook diff field", "highest risk band allowed"),
    "text": lazy_pgettext("playbook diff field", "text"),
    "category": lazy_pgettext("playbook diff field", "category"),
    "cause": lazy_pgettext("playbook diff field", "cause"),
    "effect": lazy_pgettext("playbook diff field", "effect"),
    "likelihood": lazy_pgettext("playbook diff field", "likelihood"),
    "impact": lazy_pgettext("playbook diff field", "impact"),
    "response": lazy_pgettext("playbook diff field", "response"),
    "mitigation": lazy_pgettext("playbook diff field", "mitigation"),
    "unit": lazy_pgettext("playbook diff field", "unit"),
    "direction": lazy_pgettext("playbook diff field", "direction"),
    "baseline": lazy_pgettext("playbook diff field", "baseline"),
    "glide_text": lazy_pgettext("playbook diff field", "glide path"),
    "amber_tolerance": lazy_pgettext("playbook diff field", "amber tolerance"),
    "data_source": lazy_pgettext("playbook diff field", "data source"),
    "weight": lazy_pgettext("playbook diff field", "weight"),
    "critical": lazy_pgettext("playbook diff field", "critical"),
    "suggested_action": lazy_pgettext("playbook diff field", "suggested action"),
    "horizon": lazy_pgettext("playbook diff field", "horizon"),
}
_UNITS: Final[dict[str, LazyString]] = {
    "duration": lazy_pgettext("playbook diff unit", "working days"),
    "lag": lazy_pgettext("playbook diff unit", "working days"),
    "length_days": lazy_pgettext("playbook diff unit", "calendar days"),
}
_VALUES: Final[dict[str, LazyString]] = {
    "true": lazy_pgettext("playbook diff value", "true"),
    "false": lazy_pgettext("playbook diff value", "false"),
    "higher": lazy_pgettext("playbook diff value", "higher"),
    "lower": lazy_pgettext("playbook diff value", "lower"),
    "tactical": lazy_pgettext("playbook diff value", "tactical"),
    "strategic": lazy_pgettext("playbook diff value", "strategic"),
    "avoid": lazy_pgettext("playbook diff value", "avoid"),
    "mitigate": lazy_pgettext("playbook diff value", "mitigate"),
    "transfer": lazy_pgettext("playbook diff value", "transfer"),
    "accept": lazy_pgettext("playbook diff value", "accept"),
    "escalate": lazy_pgettext("playbook diff value", "escalate"),
    "diagnosis": lazy_pgettext("playbook diff value", "diagnosis"),
    "phase": lazy_pgettext("playbook diff value", "phase"),
}


def _chinese() -> bool:
    """Whether the reader reads Chinese (then the change's Chinese texts are shown)."""
    locale = get_locale()
    return locale is not None and locale.language == "zh"


def _value(change: Change, which: str, zh: bool) -> str:
    raw = change.old if which == "old" else change.new
    raw_zh = change.old_zh if which == "old" else change.new_zh
    text = (raw_zh or raw) if zh else raw
    if text is None:
        return gettext("(none)")
    field = change.field or ""
    if field in QUOTED_FIELDS:
        return f'"{text}"'
    if field in VOCABULARY_FIELDS and text in _VALUES:
        return str(_VALUES[text])
    return text


def _criterion_phrase(key: str, value: str | None) -> str:
    kind = key.partition(":")[0].partition("#")[0]
    value = value or ""
    if kind == "metric_target":
        return gettext('metric "%(value)s" meets its target', value=value)
    if kind == "milestones_done":
        from planner.explain_text import join_list

        return gettext("milestones done: %(value)s", value=join_list(value.split(", ")))
    if kind == "max_risk_band":
        return gettext('no open risk above "%(value)s"', value=value)
    return f'"{value}"'


def _dependency_phrase(value: str | None) -> str:
    parts = dependency_parts(value)
    if parts is None:
        return value or ""
    kind, lag = parts
    if not lag:
        return kind
    if lag > 0:
        return gettext("%(kind)s, lag %(days)s working days", kind=kind, days=lag)
    return gettext("%(kind)s, lead %(days)s working days", kind=kind, days=-lag)


def _changed(subject: str, change: Change, zh: bool) -> str:
    field = change.field or ""
    if field == "phase":
        return gettext(
            '%(subject)s: moved from phase "%(old)s" to phase "%(new)s"',
            subject=subject,
            old=change.old,
            new=change.new,
        )
    if field == "category" and change.section == "indicator":
        return gettext(
            '%(subject)s: moved from category "%(old)s" to category "%(new)s"',
            subject=subject,
            old=change.old,
            new=change.new,
        )
    label = str(_FIELD_LABELS.get(field, field))
    if field == "target":
        label = gettext('target for phase "%(phase)s"', phase=change.phase)
    # a text whose English is unchanged changed only in Chinese: show the Chinese
    zh_only = not zh and change.old == change.new and change.old_zh != change.new_zh
    if zh_only:
        label = gettext("%(label)s (Chinese)", label=label)
    old = _value(change, "old", zh or zh_only)
    new = _value(change, "new", zh or zh_only)
    unit = _UNITS.get(field)
    if unit is not None and change.new is not None:
        new = gettext("%(value)s %(unit)s", value=new, unit=str(unit))
    return gettext(
        "%(subject)s: %(label)s %(old)s → %(new)s", subject=subject, label=label, old=old, new=new
    )


def _added_or_removed(subject: str, change: Change, zh: bool) -> str:
    added = change.kind == "added"
    value = change.new if added else change.old
    value_zh = change.new_zh if added else change.old_zh
    phase = change.phase
    if change.section == "dependency":
        detail = _dependency_phrase(value)
        if added and phase:
            return gettext(
                '%(subject)s added in phase "%(phase)s" (%(detail)s)',
                subject=subject,
                phase=phase,
                detail=detail,
            )
        if added:
            return gettext("%(subject)s added (%(detail)s)", subject=subject, detail=detail)
        if phase:
            return gettext(
                '%(subject)s removed in phase "%(phase)s" (%(detail)s)',
                subject=subject,
                phase=phase,
                detail=detail,
            )
        return gettext("%(subject)s removed (%(detail)s)", subject=subject, detail=detail)
    in_phase = bool(phase) and change.section in {"task", "milestone"}
    if added and in_phase:
        sentence = gettext('%(subject)s added to phase "%(phase)s"', subject=subject, phase=phase)
    elif added:
        sentence = gettext("%(subject)s added", subject=subject)
    elif in_phase:
        sentence = gettext(
            '%(subject)s removed from phase "%(phase)s"', subject=subject, phase=phase
        )
    else:
        sentence = gettext("%(subject)s removed", subject=subject)
    shown = (value_zh or value) if zh else value
    if not shown:
        return sentence
    return gettext("%(sentence)s: %(value)s", sentence=sentence, value=shown)


def change_sentence(change: Change) -> str:
    """One change as a sentence in the current language."""
    zh = _chinese()
    if change.section == "gate":
        subject = gettext('Gate of phase "%(phase)s"', phase=change.phase)
        if change.kind == "changed":
            return _changed(subject, change, zh)
        added = change.kind == "added"
        value = change.new if added else change.old
        value_zh = change.new_zh if added else change.old_zh
        phrase = _criterion_phrase(change.key, (value_zh or value) if zh else value)
        if added:
            return gettext(
                "%(subject)s: criterion added: %(phrase)s", subject=subject, phrase=phrase
            )
        return gettext("%(subject)s: criterion removed: %(phrase)s", subject=subject, phrase=phrase)
    subject = f'{_NOUNS[change.section]} "{change.key}"'
    if change.kind == "changed":
        return _changed(subject, change, zh)
    return _added_or_removed(subject, change, zh)


def _change(raw: Params, words: Words) -> str:
    change = raw.get("change")
    return change_sentence(change) if isinstance(change, Change) else ""


MESSAGES: dict[str, Message] = {"playbook.change": _change}
