"""Language choice: English and Simplified Chinese."""

from __future__ import annotations

import functools
import math
from datetime import date, datetime

from flask import Flask, request, session
from flask_babel import format_date, format_decimal, format_scientific, get_locale
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from planner.extensions import babel

# from here on numbers are written 1E15: plain digits would be unreadable, and babel's
# decimal patterns fail from about 10^27
LARGEST_PLAIN = 1e15

SUPPORTED = ("en", "zh_Hans_CN")


def language_from_header(header: str) -> str:
    """Pick a supported locale from an Accept-Language header (parsed by werkzeug, in the
    order of its qualities; zh, zh-CN, zh-Hans and zh-SG are one language here).

    >>> language_from_header("zh-CN,zh;q=0.9,en;q=0.8")
    'zh_Hans_CN'
    >>> language_from_header("fr-FR, en;q=0.5")
    'en'
    >>> language_from_header("en;q=0.4, zh")
    'zh_Hans_CN'
    """
    for tag, quality in parse_accept_header(header, LanguageAccept):
        tag = tag.lower()
        if quality <= 0:
            continue
        if tag == "zh" or tag.startswith(("zh-cn", "zh-hans", "zh-sg", "zh_")):
            return "zh_Hans_CN"
        if tag == "en" or tag.startswith("en-"):
            return "en"
    return "en"


def select_locale() -> str:
    """The session's choice, else the signed-in user's saved one, else the browser's.

    Asked hundreds of times by a page (every translated or localized text), so the answer
    is kept for the rest of the request.
    """
    # on the request, not on g: g outlives the request where an app context was already open
    known = request.environ.get("planner.locale")
    if known is None:
        known = request.environ["planner.locale"] = _choose_locale()
    return str(known)


def _choose_locale() -> str:
    chosen = session.get("lang")
    if chosen in SUPPORTED:
        return str(chosen)
    from flask_login import current_user

    saved = getattr(current_user, "lang", None) if current_user else None
    if saved in SUPPORTED:
        return str(saved)
    return language_from_header(request.headers.get("Accept-Language", ""))


def content_lang() -> str:
    """'zh' or 'en': which variant of playbook content to show."""
    return "zh" if select_locale().startswith("zh") else "en"


def localized(obj: object, field: str) -> str:
    """The ``field`` of ``obj`` in the chosen language, falling back to the other one."""
    english = getattr(obj, field, None) or ""
    chinese = getattr(obj, f"{field}_zh", None) or ""
    if content_lang() == "zh":
        return chinese or english
    return english or chinese


def format_day(day: date | datetime | None, style: str = "medium") -> str:
    """A calendar day as the chosen locale writes it: ``Mar 5, 2026`` / ``2026年3月5日``.

    For people only: form values, URLs, data blocks and files keep ISO dates.
    """
    if day is None:
        return ""
    if isinstance(day, datetime):
        day = day.date()
    return _day_text(day, style, str(get_locale() or ""))


@functools.lru_cache(maxsize=8192)
def _day_text(day: date, style: str, _locale: str) -> str:
    # a plan table words thousands of dates over a few hundred distinct days: each day is
    # worded once per locale and style (flask_babel's format_date reads the request's locale)
    return str(format_date(day, style))


def format_count(number: float | int | None) -> str:
    """A number with the locale's grouping and decimal signs (``12,345.5``).

    Never raises: a number too large for a decimal pattern (babel fails from about 10^27)
    is written in scientific notation (``1E27``), one that is not finite as ``∞``/``NaN``.
    """
    if number is None:
        return ""
    if not math.isfinite(number):
        return "NaN" if math.isnan(number) else ("-∞" if number < 0 else "∞")
    if abs(number) >= LARGEST_PLAIN:
        return str(format_scientific(number, format="0.###E0"))
    return str(format_decimal(number, format="#,##0.####"))


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals["localized"] = localized
    app.jinja_env.globals["current_lang"] = select_locale
    app.jinja_env.globals["format_day"] = format_day
    app.jinja_env.globals["format_count"] = format_count
    # codes of the method shown by their names, in the reader's language (imported here:
    # planner.explain_words builds on this module)
    from planner.explain_words import owner_name, risk_category_name, workstream_name

    app.jinja_env.globals["workstream_name"] = workstream_name
    app.jinja_env.globals["risk_category_name"] = risk_category_name
    app.jinja_env.globals["owner_name"] = owner_name
