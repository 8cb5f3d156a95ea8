"""The demo reads in Chinese wherever the data can: every demo record whose model keeps a
Chinese twin of a text (a ``<field>_zh`` column, shown by planner.i18n.localized on Chinese
pages) has that twin filled, so a Chinese page shows no English demo text it could avoid."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from planner.demo import load_demo
from planner.extensions import db
from planner.models import Program, Risk
from planner.models.plan import WorkItem

DEMO_DAY = date(2026, 11, 30)
HAN = re.compile(r"[\u4e00-\u9fff]")


def twins() -> list[tuple[type, str]]:
    """(model, field) for every text with a ``_zh`` twin, found from the mapped tables."""
    found = []
    for mapper in db.Model.registry.mappers:
        columns = set(mapper.columns.keys())
        found += [
            (mapper.class_, c[:-3]) for c in columns if c.endswith("_zh") and c[:-3] in columns
        ]
    return found


def test_every_demo_text_with_a_chinese_twin_has_its_chinese(db) -> None:  # type: ignore[no-untyped-def]
    load_demo(DEMO_DAY)
    pairs = twins()
    assert (Risk, "title") in pairs and (WorkItem, "deliverable") in pairs  # the finder works
    missing = []
    for model, field in pairs:
        for row in db.session.scalars(select(model)):
            text, zh = getattr(row, field), getattr(row, f"{field}_zh")
            if text and not (zh and HAN.search(zh)):
                missing.append(f"{model.__name__}.{field} {getattr(row, 'id', '')}: {text[:60]}")
    assert missing == []


def test_the_late_risks_read_in_chinese_on_a_chinese_page(db, login_as) -> None:  # type: ignore[no-untyped-def]
    load_demo(DEMO_DAY)
    program = db.session.scalars(select(Program).where(Program.name.startswith("Northwind"))).one()
    viewer = login_as("viewer", program)
    page = viewer.get(
        f"/programs/{program.id}/risks", headers={"Accept-Language": "zh-CN"}
    ).get_data(as_text=True)
    for key in ("R-11", "R-12"):
        risk = next(r for r in program.risks if r.key == key)
        assert risk.title_zh and risk.title_zh in page
        assert risk.title not in page
