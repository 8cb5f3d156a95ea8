"""Public-holiday sets for a program's working calendar, from maintained PyPI packages.

``cn-mainland`` — mainland China:

* years the State Council has published (each November for the next year): its statutory
  holidays **and** its make-up working days (调休, weekend days worked instead), from the
  ``chinesecalendar`` package (github.com/LKI/chinese-calendar, updated every year from the
  State Council's notices);
* later years, not published yet: the statutory holidays as the law fixes them (Spring
  Festival, National Day, … on their lunar or solar dates, moved off weekends), from the
  ``holidays`` package (python-holidays, ``China``), marked *estimated*, without make-up
  working days — none exist until the notice is published. Upgrading ``chinesecalendar``
  and applying the set again brings in the published arrangement.

Only days that change a calendar are returned: a holiday on one of its working weekdays, a
make-up working day on one of its days off. Names are given in English and Chinese.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib.util import module_from_spec, spec_from_file_location
from pathlib import Path
from threading import Lock
from typing import Any

CN_MAINLAND = "cn-mainland"
HOLIDAY_SETS: tuple[str, ...] = (CN_MAINLAND,)


@dataclass(frozen=True)
class SetDay:
    """A day of a holiday set: a holiday (``working`` False) or a make-up working day."""

    day: date
    working: bool
    name_en: str
    name_zh: str
    estimated: bool = False

    @property
    def label(self) -> str:
        """One name for a calendar row (which holds one text): both languages, Chinese
        first (see :func:`name_in`)."""
        return f"{self.name_zh}{LABEL_SEPARATOR}{self.name_en}"


LABEL_SEPARATOR = " · "


def name_in(label: str, lang: str) -> str:
    """A set day's stored label in one language (``zh`` or else English); a name someone
    typed (no separator, or no Chinese before it) is returned as it is."""
    zh, sep, en = label.partition(LABEL_SEPARATOR)
    if not sep or not any("\u4e00" <= ch <= "\u9fff" for ch in zh):
        return label
    return zh if lang == "zh" else en


class UnknownHolidaySet(ValueError):
    """No holiday set by that name."""


def holiday_set_days(set_id: str, years: Iterable[int], workdays: frozenset[int]) -> list[SetDay]:
    """The days of ``set_id`` in ``years`` that change a calendar working on ``workdays``
    (weekday numbers, Monday=0), in date order."""
    if set_id != CN_MAINLAND:
        raise UnknownHolidaySet(set_id)
    days: list[SetDay] = []
    for year in sorted(set(years)):
        published = _published_cn_year(year)
        days.extend(published if published is not None else _estimated_cn_year(year))
    return [
        d
        for d in days
        if (d.working and d.day.weekday() not in workdays)
        or (not d.working and d.day.weekday() in workdays)
    ]


def published_years(set_id: str) -> tuple[int, int]:
    """The first and last year of ``set_id`` with the official arrangement (make-up days)."""
    if set_id != CN_MAINLAND:
        raise UnknownHolidaySet(set_id)
    import chinese_calendar

    years = sorted({d.year for d in chinese_calendar.holidays})
    return years[0], years[-1]


@cache
def _published_cn_year(year: int) -> tuple[SetDay, ...] | None:
    import chinese_calendar

    names = {h.value: h.chinese for h in chinese_calendar.Holiday}
    off = [(d, n) for d, n in chinese_calendar.holidays.items() if d.year == year]
    if not off:
        return None
    worked = [(d, n) for d, n in chinese_calendar.workdays.items() if d.year == year]
    days = [SetDay(d, False, name, names.get(name, name)) for d, name in off]
    days += [
        SetDay(d, True, f"{name} (make-up working day)", f"{names.get(name, name)}（调休上班）")
        for d, name in worked
    ]
    return tuple(sorted(days, key=lambda d: d.day))


@cache
def _estimated_cn_year(year: int) -> tuple[SetDay, ...]:
    china = _china_holidays()
    english = china(years=year, language="en_US")
    chinese = china(years=year, language="zh_CN")
    return tuple(
        SetDay(
            day,
            False,
            f"{english[day]} (estimated)",
            f"{chinese.get(day, english[day])}（推定）",
            estimated=True,
        )
        for day in sorted(english)
    )


_CHINA_MODULE = "holidays.countries.china"
_china_lock = Lock()


def _china_holidays() -> Any:
    """python-holidays' ``China`` class, its module imported on its own.

    ``holidays.China`` imports the ``holidays.countries`` package, whose ``__init__``
    imports every country the package knows (some 250 modules): most of the time a first
    estimated year takes, for one country. The module is registered under its own name, so
    an import of the package later finds it and uses it. Should the package's layout change
    (no such file), the class comes the usual way."""
    import holidays

    with _china_lock:
        module = sys.modules.get(_CHINA_MODULE)
        if module is None:
            path = Path(holidays.__file__).parent / "countries" / "china.py"
            spec = spec_from_file_location(_CHINA_MODULE, path)
            if not path.is_file() or spec is None or spec.loader is None:
                return holidays.China
            module = module_from_spec(spec)
            sys.modules[_CHINA_MODULE] = module
            try:
                spec.loader.exec_module(module)
            except BaseException:
                del sys.modules[_CHINA_MODULE]
                raise
    return module.China
