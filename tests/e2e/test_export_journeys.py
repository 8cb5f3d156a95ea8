"""Exports in a real browser: the plan (from the exchange page) and the risk register, as files
a user opens in Excel, with headers in the interface's language."""

from __future__ import annotations

import csv
import io
import re

from openpyxl import load_workbook

CJK = re.compile(r"[\u4e00-\u9fff]")


def _header_language_ok(lang: str, header: list[str]) -> bool:
    """Chinese headers in the Chinese interface, no Chinese in the English one."""
    text = " ".join(h for h in header if h)
    return bool(CJK.search(text)) if lang == "zh" else not CJK.search(text)


def _check_csv(path, lang: str, must_contain: str) -> list[str]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{path.name}: no UTF-8 byte-order mark (Excel)"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) > 1, f"{path.name}: no data rows"
    assert any(must_contain in cell for row in rows[1:] for cell in row), must_contain
    assert _header_language_ok(lang, rows[0]), f"{path.name} header in {lang}: {rows[0]}"
    return rows[0]


def _check_xlsx(path, lang: str, must_contain: str) -> list[str]:
    book = load_workbook(path, read_only=True)
    try:
        rows = [
            [str(c) if c is not None else "" for c in row]
            for row in book.worksheets[0].iter_rows(values_only=True)
        ]
    finally:
        book.close()
    header_at = next(i for i, row in enumerate(rows) if sum(1 for c in row if c) >= 3)
    header = rows[header_at]
    assert any(must_contain in cell for row in rows[header_at + 1 :] for cell in row), must_contain
    assert _header_language_ok(lang, header), f"{path.name} header in {lang}: {header}"
    return header


def test_export_the_risk_register_and_the_plan(journey) -> None:
    page = journey.page
    journey.sign_in("lead")
    program_id = journey.open_program()

    journey.goto(f"/programs/{program_id}/risks")
    first_key = page.locator("main table tbody tr td").first.inner_text().strip()
    journey.shot("register")
    xlsx = journey.download(page.locator("a[href$='/risks/export.xlsx']"))
    _check_xlsx(xlsx, journey.lang, first_key)
    csv_file = journey.download(page.locator("a[href$='/risks/export.csv']"))
    _check_csv(csv_file, journey.lang, first_key)

    # the plan: the exchange page offers it as MS Project XML, Excel and CSV
    journey.goto(f"/programs/{program_id}/exchange")
    journey.shot("exchange")
    plan_xlsx = journey.download(page.locator("a[href$='/exchange/plan.xlsx']"))
    _check_xlsx(plan_xlsx, journey.lang, "project-closed")
    plan_csv = journey.download(page.locator("a[href$='/exchange/plan.csv']"))
    _check_csv(plan_csv, journey.lang, "project-closed")
    mspdi = journey.download(page.locator("a[href$='/exchange/plan.xml']"))
    text = mspdi.read_text(encoding="utf-8")
    assert "http://schemas.microsoft.com/project" in text and "<Task>" in text
    journey.check_page()
