"""Messages of a playbook upgrade (planner/domain/playbook_upgrade.py): why each action is
taken or each conflict asked, and the refusals of the lead's decisions."""

from __future__ import annotations

from flask_babel import gettext

from planner.messages import Message, Params


def _section(raw: Params) -> str:
    """The kind of thing an action is about, as a noun in a sentence."""
    value = str(raw.get("section", ""))
    nouns = {
        "task": gettext("task"),
        "milestone": gettext("milestone"),
        "dependency": gettext("dependency"),
        "risk": gettext("risk"),
        "metric": gettext("metric"),
        "gate": gettext("gate criterion"),
    }
    return nouns.get(value, value)


MESSAGES: dict[str, Message] = {
    # reasons of actions and conflicts
    "upgrade.unchanged_in_program": lambda r, w: gettext(
        "changed in the playbook; the program has not changed it"
    ),
    "upgrade.new_in_playbook": lambda r, w: gettext("new in playbook version %(version)s", **w),
    "upgrade.removed_from_playbook": lambda r, w: gettext(
        "removed from the playbook; the program has not changed it"
    ),
    "upgrade.added_by_program": lambda r, w: gettext("added by the program"),
    "upgrade.not_in_playbook": lambda r, w: gettext("in neither playbook version; left as it is"),
    "upgrade.edited_in_program": lambda r, w: gettext(
        "the program changed it and the playbook changed it too"
    ),
    "upgrade.removed_but_in_progress": lambda r, w: gettext(
        "removed from the playbook, but work on it has started"
    ),
    "upgrade.removed_but_has_readings": lambda r, w: gettext(
        "removed from the playbook, but it has readings"
    ),
    "upgrade.removed_but_judged": lambda r, w: gettext(
        "removed from the playbook, but it has been judged"
    ),
    "upgrade.removed_but_edited": lambda r, w: gettext(
        "removed from the playbook, but the program changed it"
    ),
    "upgrade.removed_but_linked": lambda r, w: gettext(
        "removed from the playbook, but the program's own dependency %(link)s uses it", **w
    ),
    "upgrade.key_taken": lambda r, w: gettext(
        "new in the playbook, but the program already has its own %(section)s with this key",
        section=_section(r),
    ),
    "upgrade.missing_predecessor": lambda r, w: gettext(
        "new in the playbook, but it depends on %(other)s, which the program has removed", **w
    ),
    "upgrade.missing_phase": lambda r, w: gettext(
        'its phase "%(phase_key)s" is not in the program', **w
    ),
    "upgrade.removed_by_program": lambda r, w: gettext(
        "changed in the playbook, but the program has removed it"
    ),
    "upgrade.missing_end": lambda r, w: gettext("%(other)s will not be in the program", **w),
    "upgrade.end_removed": lambda r, w: gettext("%(other)s is removed", **w),
    "upgrade.phase_closed": lambda r, w: gettext(
        'its phase "%(phase_key)s" is closed (its gate has passed or been decided): skip it, '
        'or add it to the current phase "%(current)s"',
        **w,
    ),
    "upgrade.phase_closed_skipped": lambda r, w: gettext(
        'its phase "%(phase_key)s" is closed and no later phase is open', **w
    ),
    "upgrade.phase_closed_unchanged": lambda r, w: gettext(
        'its phase "%(phase_key)s" is closed (its gate has passed or been decided); left as it was',
        **w,
    ),
    "upgrade.kept_by_lead": lambda r, w: gettext("the lead kept the program's version"),
    "upgrade.taken_by_lead": lambda r, w: gettext("the lead took the new playbook's version"),
    # refusals
    "upgrade.other_playbook": lambda r, w: gettext(
        "Cannot upgrade from playbook “%(old)s” to a different playbook “%(new)s”.", **w
    ),
    "upgrade.no_such_conflict": lambda r, w: gettext("No such conflict in this upgrade."),
    "upgrade.bad_decision": lambda r, w: gettext(
        "Take the new value or keep the program's, not “%(decision)s”.", **w
    ),
    "upgrade.undecided": lambda r, w: gettext(
        "Not decided yet: take the new value or keep the program's."
    ),
}
