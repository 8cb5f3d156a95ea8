"""Years the State Council has not published are python-holidays' ``China``, in English and
Chinese, whichever way its class was imported: on its own (a first use, without the
package's other countries) or with them (after something imported ``holidays.countries``)."""

from __future__ import annotations

import subprocess
import sys

import holidays

from planner.domain.holiday_sets import SetDay, _estimated_cn_year

YEARS = (2027, 2031, 2044, 2050)


def _expected(year: int) -> tuple[SetDay, ...]:
    english = holidays.country_holidays("CN", years=year, language="en_US")
    chinese = holidays.country_holidays("CN", years=year, language="zh_CN")
    return tuple(
        SetDay(d, False, f"{english[d]} (estimated)", f"{chinese.get(d, english[d])}（推定）", True)
        for d in sorted(english)
    )


def test_estimated_years_are_the_packages_china() -> None:
    for year in YEARS:
        assert _estimated_cn_year(year) == _expected(year)
        assert all(d.estimated and not d.working for d in _estimated_cn_year(year))


def test_a_first_use_imports_china_alone_and_gives_the_same_days() -> None:
    code = (
        "import sys\n"
        "from planner.domain.holiday_sets import _estimated_cn_year\n"
        f"days = [_estimated_cn_year(y) for y in {YEARS!r}]\n"
        "print('holidays.countries' in sys.modules)\n"
        "import holidays.countries\n"  # the package, imported later, takes the same module
        "print(holidays.countries.China is sys.modules['holidays.countries.china'].China)\n"
        "print(repr(days))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    alone, shared, days = out.stdout.strip().split("\n", 2)
    assert (alone, shared) == ("False", "True")
    assert days == repr([_expected(y) for y in YEARS])
