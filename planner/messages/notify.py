"""Words of notifications (each event's reason), comments, attachments and webhooks."""

from __future__ import annotations

from flask_babel import gettext, ngettext

from planner.messages import Message, Params, Words


def _n(raw: Params) -> int:
    value = raw.get("days")
    return int(value) if isinstance(value, int | float) else 0


def _owner_note(raw: Params, words: Words) -> str:
    """Why a lead gets an owner's reminder: the owner has no account in the program."""
    if raw.get("as_lead"):
        if raw.get("owner"):
            return " " + gettext(
                "Its owner, %(owner)s, has no account in this program: you lead it.", **words
            )
        return " " + gettext("It has no owner: you lead the program.")
    return " " + gettext("You are its owner.")


def _item_starts(raw: Params, w: Words) -> str:
    text = ngettext(
        "%(name)s starts in %(num)s day (%(day)s).",
        "%(name)s starts in %(num)s days (%(day)s).",
        _n(raw),
        **w,
    )
    return text + _owner_note(raw, w)


def _item_late(raw: Params, w: Words) -> str:
    text = ngettext(
        "%(name)s is late: it was due to finish %(day)s (%(num)s day ago).",
        "%(name)s is late: it was due to finish %(day)s (%(num)s days ago).",
        _n(raw),
        **w,
    )
    return text + _owner_note(raw, w)


def _action_due(raw: Params, w: Words) -> str:
    return gettext("Risk action %(name)s is due %(day)s.", **w) + _owner_note(raw, w)


def _action_overdue(raw: Params, w: Words) -> str:
    return gettext("Risk action %(name)s is overdue: it was due %(day)s.", **w) + _owner_note(
        raw, w
    )


def _review_due(raw: Params, w: Words) -> str:
    return gettext("Risk %(name)s is due for review %(day)s.", **w) + _owner_note(raw, w)


def _review_overdue(raw: Params, w: Words) -> str:
    return gettext("The review of risk %(name)s is overdue since %(day)s.", **w) + _owner_note(
        raw, w
    )


def _gate_soon(raw: Params, w: Words) -> str:
    return ngettext(
        "The gate of %(name)s is in %(num)s day (%(day)s); outlook: %(outlook)s.",
        "The gate of %(name)s is in %(num)s days (%(day)s); outlook: %(outlook)s.",
        _n(raw),
        **w,
    )


def _risk_score(raw: Params, w: Words) -> str:
    return gettext("Risk %(name)s changed score from %(old)s to %(new)s.", **w) + _owner_note(
        raw, w
    )


def _metric_red(raw: Params, w: Words) -> str:
    return gettext("Metric %(name)s turned Red (reading of %(day)s).", **w) + _owner_note(raw, w)


MESSAGES: dict[str, Message] = {
    # each event's reason, worded when read
    "notify.event.item_starts": _item_starts,
    "notify.event.item_late": _item_late,
    "notify.event.action_due": _action_due,
    "notify.event.action_overdue": _action_overdue,
    "notify.event.review_due": _review_due,
    "notify.event.review_overdue": _review_overdue,
    "notify.event.gate_soon": _gate_soon,
    "notify.event.gate_outlook": lambda r, w: gettext(
        "The outlook of the gate of %(name)s (%(day)s) changed from %(before)s to %(outlook)s.",
        **w,
    ),
    "notify.event.metric_red": _metric_red,
    "notify.event.risk_score": _risk_score,
    "notify.event.mentioned": lambda r, w: gettext(
        "%(author)s mentioned you in a comment on %(name)s.", **w
    ),
    "notify.event.decision": lambda r, w: gettext("Decision recorded: %(name)s.", **w),
    "notify.event.scenario_applied": lambda r, w: gettext(
        "%(by)s applied the scenario %(name)s to the plan.", **w
    ),
    # refusals
    "comment.html": lambda r, w: gettext(
        "HTML is not allowed in comments: write Markdown (**bold**, *italic*, lists, links)."
    ),
    "comment.mention_unknown": lambda r, w: gettext(
        "@%(handle)s is not a member of this program: only members can be mentioned.", **w
    ),
    "comment.not_author": lambda r, w: gettext("Only its author can change or delete a comment."),
    "attachment.empty": lambda r, w: gettext("The file is empty."),
    "attachment.too_large": lambda r, w: gettext(
        "The file is larger than the limit of %(max_mb)s MB.", **w
    ),
    "attachment.type_refused": lambda r, w: gettext(
        "%(name)s is not a kind of file kept as evidence (PDF, Office documents, images and "
        "plain text are; programs and scripts never are).",
        **w,
    ),
    "attachment.no_file": lambda r, w: gettext("Choose a file to upload."),
    "webhook.url_invalid": lambda r, w: gettext(
        "Enter the robot's full https:// address as the chat tool shows it."
    ),
    "webhook.url_credentials": lambda r, w: gettext(
        "The address must not contain a user name or password."
    ),
    "webhook.address_refused": lambda r, w: gettext(
        "%(host)s cannot be reached from here or is an internal address (loopback, private, "
        "link-local): webhooks only go to public addresses.",
        **w,
    ),
    # a delivery that failed, as the webhook keeps it (planner/services/webhooks.py)
    "webhook.unresolved": lambda r, w: gettext("cannot resolve %(host)s: %(detail)s", **w),
    "webhook.address_not_allowed": lambda r, w: gettext("address not allowed: %(addresses)s", **w),
    "webhook.https_only": lambda r, w: gettext("only https is allowed"),
    "webhook.network": lambda r, w: gettext("the connection failed: %(detail)s", **w),
    "webhook.http_status": lambda r, w: gettext("the receiver answered HTTP %(status)s", **w),
    "webhook.robot_refused": lambda r, w: gettext(
        "the robot refused the message: %(errcode)s %(errmsg)s", **w
    ),
    "notify.token_invalid": lambda r, w: gettext(
        "This link is not valid any more: sign in to change your notification settings."
    ),
}
