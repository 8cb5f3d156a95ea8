"""Playbook problems in words, in the reader's language: the one place that words them.

The loader (:mod:`planner.domain.playbook`) says what is wrong as a code and parameters
(:class:`~planner.domain.playbook.PlaybookIssue`); the upload page and the library word
them here through Flask-Babel. Outside a request they come out in English, as the command
line prints them. A code this module does not know falls back to the loader's English.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Final

from flask import has_app_context
from flask_babel import gettext

from planner.domain.playbook import PlaybookIssue
from planner.messages import catalogue

Words = Mapping[str, object]


def _t(message: str, **params: object) -> str:
    if has_app_context():
        return gettext(message, **params)
    return message % params if params else message


# One entry a code; every text a literal so that `make messages` finds it.
MESSAGES: Final[dict[str, Callable[[Words], str]]] = {
    "file_too_large": lambda p: _t("the file is larger than %(limit)s bytes", **p),
    "file_empty": lambda p: _t("the file is empty"),
    "file_unreadable": lambda p: _t("the file cannot be read (%(detail)s)", **p),
    "not_utf8": lambda p: _t("the file is not UTF-8 text (byte %(offset)s is not)", **p),
    "yaml_syntax": lambda p: _t("the YAML cannot be read: %(detail)s", **p),
    "bad_value": lambda p: _t(
        "the value %(value)s cannot be read: it is not a real date or number", **p
    ),
    "control_character": lambda p: _t(
        "the control character %(char)s is not allowed in a playbook", **p
    ),
    "too_deep": lambda p: _t("lists and mappings are nested more than %(limit)s levels deep", **p),
    "alias": lambda p: _t("aliases are not allowed"),
    "tag": lambda p: _t("YAML tag %(tag)s refused", **p),
    "unexpected_node": lambda p: _t("unexpected YAML node"),
    "not_mapping": lambda p: _t("a playbook must be a YAML mapping"),
    "unknown_field": lambda p: _t("unknown field “%(name)s”", **p),
    "missing": lambda p: _t("required field is missing"),
    "key_pattern": lambda p: _t(
        "expected a key of lower-case letters, digits, - and _ (starting with a letter or "
        "digit, at most 64 characters), got %(value)s",
        **p,
    ),
    "version_pattern": lambda p: _t("expected a version like 1.0 or 1.2.3, got %(value)s", **p),
    "pattern": lambda p: _t("does not have the expected form, got %(value)s", **p),
    "expected_integer": lambda p: _t("expected a whole number, got %(value)s", **p),
    "expected_number": lambda p: _t("expected a number, got %(value)s", **p),
    "expected_text": lambda p: _t("expected text, got %(value)s", **p),
    "expected_boolean": lambda p: _t("expected true or false, got %(value)s", **p),
    "expected_list": lambda p: _t("expected a list, got %(value)s", **p),
    "expected_mapping": lambda p: _t("expected a mapping of fields, got %(value)s", **p),
    "too_small": lambda p: _t("must be at least %(limit)s, got %(value)s", **p),
    "too_big": lambda p: _t("must be at most %(limit)s, got %(value)s", **p),
    "too_few": lambda p: _t("needs at least %(limit)s entries", **p),
    "too_many": lambda p: _t("may have at most %(limit)s entries", **p),
    "choice": lambda p: _t("expected one of %(choices)s, got %(value)s", **p),
    "gate_kind": lambda p: _t("expected a gate criterion kind (%(choices)s), got %(value)s", **p),
    "text_empty": lambda p: _t("give the text in English (en) or Chinese (zh)"),
    "band_start": lambda p: _t(
        "band “%(band)s” should start at score %(score)s and end at or after it", **p
    ),
    "bands_cover": lambda p: _t("bands must cover the scores 1 to 25 without gaps or overlaps"),
    "scale_0_to_5": lambda p: _t("the scale must label each score 0 to 5"),
    "levels_ascending": lambda p: _t("levels must be listed with strictly ascending min_score"),
    "unknown_tier": lambda p: _t("module “%(module)s” names an unknown tier", **p),
    "tiers_descending": lambda p: _t("tiers must be listed with strictly descending min_share"),
    "invalid": lambda p: str(p.get("detail", "")),
    "duplicate_item_key": lambda p: _t(
        "duplicate work item key “%(key)s” (first at %(first)s)", **p
    ),
    "duplicate_phase_ordinal": lambda p: _t("duplicate phase ordinal %(ordinal)s", **p),
    "duplicate_phase_key": lambda p: _t("duplicate phase key “%(key)s”", **p),
    "phase_order": lambda p: _t("phases must be listed in ascending ordinal order"),
    "self_dependency": lambda p: _t("“%(key)s” cannot depend on itself", **p),
    "unknown_task": lambda p: _t("unknown task key “%(key)s”", **p),
    "listed_twice": lambda p: _t("“%(key)s” is listed twice", **p),
    "cycle": lambda p: catalogue()["dependency.cycle"](p, {k: str(v) for k, v in p.items()}),
    "duplicate_metric_key": lambda p: _t("duplicate metric key “%(key)s”", **p),
    "duplicate_risk_key": lambda p: _t("duplicate risk key “%(key)s”", **p),
    "target_no_phase": lambda p: _t("no phase with ordinal %(ordinal)s", **p),
    "unknown_metric": lambda p: _t("unknown metric key “%(key)s”", **p),
    "unknown_milestone": lambda p: _t("unknown milestone key “%(key)s”", **p),
    "unknown_band": lambda p: _t("unknown risk band “%(band)s” (one of %(bands)s)", **p),
    "duplicate_indicator_key": lambda p: _t("duplicate indicator key “%(key)s”", **p),
}


def issue_text(issue: PlaybookIssue) -> str:
    """The problem in the reader's language (the loader's English for an unknown code)."""
    words = MESSAGES.get(issue.code)
    if words is None:
        return issue.message
    try:
        return words(issue.values)
    except (KeyError, TypeError, ValueError):
        return issue.message
