"""Reading money and effort input: numbers, currencies and names checked the same way for
forms, the API and imports; every refusal is a coded Problem naming its field."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from planner.domain.errors import Problem
from planner.domain.numbers import MAX_MAGNITUDE
from planner.extensions import db
from planner.models import MoneySettings, Program

CURRENCY = re.compile(r"^[A-Z]{3}$")
MAX_WEEK_HOURS = 168.0


def number(
    data: Mapping[str, Any],
    field: str,
    problems: list[Problem],
    *,
    low: float = 0.0,
    high: float = MAX_MAGNITUDE,
    required: bool = True,
    code: str = "field.out_of_range",
) -> float | None:
    """``data[field]`` as a finite number in [low, high], or a problem for it."""
    raw = data.get(field)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if required:
            problems.append(Problem(field, "field.required"))
        return None
    try:
        value = float(str(raw).replace(",", "").strip()) if isinstance(raw, str) else float(raw)
    except (TypeError, ValueError):
        problems.append(Problem(field, "field.not_a_number"))
        return None
    if isinstance(raw, bool) or not math.isfinite(value):
        problems.append(Problem(field, "field.not_a_number"))
        return None
    if value < low and low == 0:
        problems.append(Problem(field, "money.negative", {"value": value}))
        return None
    if not low <= value <= high:
        problems.append(Problem(field, code, {"min": low, "max": high}))
        return None
    return value


def text(
    data: Mapping[str, Any],
    field: str,
    problems: list[Problem],
    *,
    limit: int,
    required: bool = False,
) -> str:
    value = str(data.get(field) or "").strip()
    if required and not value:
        problems.append(Problem(field, "field.required"))
    if len(value) > limit:
        problems.append(Problem(field, "field.too_long", {"max": limit}))
    return value[:limit]


def settings_of(program: Program, language: str = "en") -> MoneySettings:
    """The program's money settings, made on first use (CNY for Chinese programs)."""
    settings = db.session.scalars(
        select(MoneySettings).where(MoneySettings.program_id == program.id)
    ).first()
    if settings is None:
        settings = MoneySettings(
            program_id=program.id,
            currency=default_currency(program, language),
            fx_rates={},
            discount_rate=0.08,
            horizon_months=36,
        )
        db.session.add(settings)
        db.session.flush()
    return settings


def default_currency(program: Program, language: str) -> str:
    """CNY for a program in Chinese (its reader's language or its China holiday calendar)."""
    if language.startswith("zh") or (program.holiday_set or "").startswith("cn"):
        return "CNY"
    return "USD"


def currency(
    data: Mapping[str, Any],
    field: str,
    problems: list[Problem],
    settings: MoneySettings,
) -> str:
    """A three-letter code the program can convert: its own, or one with an exchange rate."""
    code = str(data.get(field) or settings.currency).strip().upper()
    if not CURRENCY.match(code):
        problems.append(Problem(field, "money.currency_code", {"value": code}))
        return settings.currency
    if code != settings.currency and code not in (settings.fx_rates or {}):
        problems.append(
            Problem(
                field,
                "money.currency_without_rate",
                {"currency": code, "program": settings.currency},
            )
        )
    return code


def to_program_currency(amount: float, code: str | None, settings: MoneySettings) -> float:
    """``amount`` in ``code`` converted into the program's currency."""
    if not code or code == settings.currency:
        return amount
    return amount * float((settings.fx_rates or {}).get(code, 1.0))
