"""The playbook library (planner/services/library/): uploads refused, versions not found."""

from __future__ import annotations

from flask_babel import gettext

from planner.messages import Message

MESSAGES: dict[str, Message] = {
    "library.not_installed": lambda r, w: gettext(
        "No installed playbook is called “%(playbook)s”.", **w
    ),
    "library.too_large": lambda r, w: gettext(
        "The file is larger than %(max_kb)s KB.", max_kb=r["max_kb"]
    ),
    "library.reserved_id": lambda r, w: gettext(
        "The id “%(id)s” is taken by the library itself: choose another.", **w
    ),
    "library.shipped": lambda r, w: gettext(
        "%(ref)s is shipped with the planner (%(file)s); an upload cannot replace it: give the "
        "playbook a new version number.",
        **w,
    ),
    "library.installed_file": lambda r, w: gettext(
        "%(ref)s is installed (%(file)s); an upload cannot replace it: give the playbook a new "
        "version number.",
        **w,
    ),
    "library.other_content": lambda r, w: gettext(
        "%(ref)s is already installed with other content (uploaded by %(who)s on %(day)s); give "
        "the playbook a new version number.",
        **w,
    ),
    "library.just_installed": lambda r, w: gettext(
        "%(ref)s was installed by someone else just now.", **w
    ),
    "library.current_gone": lambda r, w: gettext(
        "The program's playbook %(ref)s is no longer installed: the upgrade cannot tell what the "
        "program changed.",
        **w,
    ),
    "library.no_newer": lambda r, w: gettext(
        "No installed version of %(playbook)s is newer than %(version)s.", **w
    ),
    "library.not_newer": lambda r, w: gettext(
        "“%(target)s” is not an installed version of %(playbook)s newer than %(version)s.", **w
    ),
    "library.whole_number": lambda r, w: gettext("Give a whole number."),
    # a gate criterion of a previewed playbook
    "library.criterion.metric_target": lambda r, w: gettext(
        "“%(name)s” meets its phase target", **w
    ),
    "library.criterion.milestones_done": lambda r, w: gettext("milestones done: %(names)s", **w),
    "library.criterion.max_risk_band": lambda r, w: gettext(
        "no open risk rated above “%(band)s”", **w
    ),
    "library.criterion.manual": lambda r, w: str(r.get("text", "")),
    "library.criterion.benefits": lambda r, w: gettext(
        "%(text)s (judged from the benefits case)", text=str(r.get("text", ""))
    ),
}
