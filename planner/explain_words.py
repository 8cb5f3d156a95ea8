"""The words and formats of an explanation's parameters, in the reader's language: RAG
colours, areas and risk bands as translated words; numbers, dates, values with units, days
and lists as the locale writes them (English outside an app). :mod:`planner.explain_text`
puts them into its sentences; pages and packs use them directly too."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Final

from babel import dates as babel_dates
from babel import numbers as babel_numbers
from flask import has_app_context
from flask_babel import get_locale, ngettext, pgettext

from planner.i18n import LARGEST_PLAIN, format_count, format_day

#: Units shown as a bare number (as in the domain's ``format_value``).
_BARE_UNITS: Final = frozenset({"", "count", "ratio", "number"})


# --------------------------------------------------------------------------- vocabularies


def rag_word(rag: str) -> str:
    """A RAG colour as a word in running text (the badges say "Green" on their own)."""
    words = {
        "green": pgettext("RAG status", "green"),
        "amber": pgettext("RAG status", "amber"),
        "red": pgettext("RAG status", "red"),
    }
    return words.get(rag, rag)


def area_word(area: str) -> str:
    """One of the three areas a phase's RAG rolls up."""
    words = {
        "schedule": pgettext("RAG area", "schedule"),
        "metrics": pgettext("RAG area", "metrics"),
        "risks": pgettext("RAG area", "risks"),
    }
    return words.get(area, area)


def _in_locale(table: Callable[[], dict[str, str]]) -> dict[str, str]:
    """A vocabulary in the reader's language, made once a language: a plan table asks for a
    name on every row, and wording the whole vocabulary each time cost a call per entry."""
    locale = str(get_locale() or "")
    words = _VOCABULARIES.get((table, locale))
    if words is None:
        words = _VOCABULARIES[(table, locale)] = table()
    return words


_VOCABULARIES: dict[tuple[Callable[[], dict[str, str]], str], dict[str, str]] = {}


def workstream_name(key: str | None) -> str:
    """A workstream as the reader sees it: the shipped playbooks' workstreams by their name in
    the reader's language, one a program made up as it was typed (never a code to decode)."""
    if not key:
        return ""
    return _in_locale(_workstream_name_table).get(key, key)


def _workstream_name_table() -> dict[str, str]:
    return {
        "governance": pgettext("workstream", "Governance"),
        "sales-automation": pgettext("workstream", "Sales automation"),
        "data-migration": pgettext("workstream", "Data migration"),
        "integration": pgettext("workstream", "Integration"),
        "training-change": pgettext("workstream", "Training and change"),
    }


def owner_name(owner: str | None) -> str:
    """An owner as the reader sees it: a role of the shipped playbooks (an item no one has
    taken yet) by its name in the reader's language, a person's name as it is."""
    if not owner:
        return ""
    return _in_locale(_owner_name_table).get(owner, owner)


def _owner_name_table() -> dict[str, str]:
    return {
        "business analyst": pgettext("owner role", "business analyst"),
        "change manager": pgettext("owner role", "change manager"),
        "consultant": pgettext("owner role", "consultant"),
        "crm consultant": pgettext("owner role", "crm consultant"),
        "data steward": pgettext("owner role", "data steward"),
        "general manager": pgettext("owner role", "general manager"),
        "integration architect": pgettext("owner role", "integration architect"),
        "marketing manager": pgettext("owner role", "marketing manager"),
        "operations manager": pgettext("owner role", "operations manager"),
        "project lead": pgettext("owner role", "project lead"),
        "sales manager": pgettext("owner role", "sales manager"),
        "sales ops manager": pgettext("owner role", "sales ops manager"),
        "service manager": pgettext("owner role", "service manager"),
        "sponsor": pgettext("owner role", "sponsor"),
        "trainer": pgettext("owner role", "trainer"),
    }


def risk_category_name(key: str | None) -> str:
    """A risk's category as the reader sees it: the shipped playbooks' categories by their name
    in the reader's language, one a program made up as it was typed."""
    if not key:
        return ""
    return _in_locale(_risk_category_name_table).get(key, key)


def _risk_category_name_table() -> dict[str, str]:
    return {
        "adoption": pgettext("risk category", "Adoption"),
        "data": pgettext("risk category", "Data"),
        "people": pgettext("risk category", "People"),
        "process": pgettext("risk category", "Process"),
        "requirements": pgettext("risk category", "Requirements"),
        "sponsorship": pgettext("risk category", "Sponsorship"),
        "strategy": pgettext("risk category", "Strategy"),
        "technology": pgettext("risk category", "Technology"),
        "value": pgettext("risk category", "Value"),
        "vendor": pgettext("risk category", "Vendor"),
        "other": pgettext("risk category", "Other"),
    }


def band_label(band: str, bands: Mapping[str, str] | None = None) -> str:
    """A risk band's label: the scale's own (``bands``: name → label in the reader's
    language, as the risk pages show it), else the translated default band names, else
    the name as given."""
    if bands:
        label = bands.get(band)
        if label is None:
            label = next((v for k, v in bands.items() if k.casefold() == band.casefold()), None)
        if label:
            return label
    defaults = {
        "low": pgettext("risk band", "low"),
        "medium": pgettext("risk band", "medium"),
        "high": pgettext("risk band", "high"),
        "critical": pgettext("risk band", "critical"),
    }
    translated = defaults.get(band.casefold())
    # an untranslated default keeps the name as written ("Critical" stays "Critical")
    if translated is None or translated == band.casefold():
        return band
    return translated


# --------------------------------------------------------------------------- values


def _zh() -> bool:
    locale = get_locale()
    return locale is not None and locale.language == "zh"


def list_separator() -> str:
    return "、" if _zh() else ", "


def join_list(values: Iterable[str], names: Mapping[str, str] | None = None) -> str:
    """Values joined the locale's way ("a, b" / "a、b"), each by its name when ``names``
    has one (item keys → names in the reader's language)."""
    return list_separator().join((names or {}).get(v, v) for v in values)


def clause_separator() -> str:
    return "；" if _zh() else "; "


def quoted(text: str) -> str:
    return f"“{text}”" if _zh() else f'"{text}"'


def format_number(x: float) -> str:
    """A number with the locale's signs, at most 4 decimals, no trailing zeros."""
    if x == 0:
        x = 0.0  # never "-0"
    number = round(float(x), 4)
    if has_app_context():
        text = format_count(number)
    elif not math.isfinite(number) or abs(number) >= LARGEST_PLAIN:  # as format_count does
        text = f"{number:.4G}".replace("INF", "∞").replace("+", "")
    else:  # no app, no locale: English
        text = babel_numbers.format_decimal(number, format="#,##0.####", locale="en")
    return "0" if text in ("-0", "") else text


def format_date(day: date) -> str:
    """A day as the locale writes it (``planner.i18n.format_day``; English outside an app)."""
    if has_app_context():
        return format_day(day)
    return babel_dates.format_date(day, "medium", locale="en")


def format_value(x: float, unit: str) -> str:
    """A number with its unit for a person: ``60%``, ``1 day`` / ``1 天``, ``1.5 logins/week``.

    The unit is the metric's, as its owner typed it; only "days" is a word of ours.
    """
    n = format_number(x)
    return _with_unit(n, unit)


def format_quantity(x: float, unit: str) -> str:
    """A metric's value in a sentence: two decimals at most, as the metric pages show values
    (a forecast of 0.6351% reads 0.64%), unless that would leave nothing of a small value."""
    shown = round(x, 2)
    return format_value(x if shown == 0 and x != 0 else shown, unit)


def _with_unit(n: str, unit: str) -> str:
    if unit == "%":
        return f"{n}%"
    if unit.strip().lower() in _BARE_UNITS:
        return n
    if unit == "days":
        return ngettext("%(days)s day", "%(days)s days", 1 if n == "1" else 2, days=n)
    return f"{n} {unit}"


def format_days(n: int) -> str:
    return ngettext("%(days)s day", "%(days)s days", n, days=format_number(n))
