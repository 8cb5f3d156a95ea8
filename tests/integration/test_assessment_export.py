"""The .xlsx export of all scores."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from planner.services import assessment as service
from tests.integration.assessment_support import interview, make_program, start, url


def test_export_has_every_score_and_keeps_user_text_as_text(client, db) -> None:
    program = make_program(db)
    assessment = start(db, program)
    service.save_settings(
        assessment,
        assessment.version,
        {"cs-01": service.IndicatorSetting(weight=1.5, critical=True, target=4, benchmark=3)},
    )
    interview(db, assessment, "senior", '=HYPERLINK("http://evil.example","x")', {"cs-01": 3})
    interview(
        db,
        assessment,
        "front_line",
        "Huang Xin",
        {"cs-01": 1, "cs-02": None},
        role="@SUM(A1)",
        notes="-2 points since last year",
    )
    response = client.get(url(program, assessment, "/export.xlsx"))
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert "attachment" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Summary", "Indicators", "Interviews", "Scores", "Actions"]

    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row[0]}
    assert summary["Interviews"] == 2
    assert summary["Maturity level"] == "Repeatable"  # (1.2*3 + 0.8*1) / 2 = 2.2

    indicators = book["Indicators"]
    header = [c.value for c in indicators[1]]
    rows = {
        r[1]: dict(zip(header, r, strict=True))
        for r in indicators.iter_rows(min_row=2, values_only=True)
    }
    assert len(rows) == 64
    assert rows["cs-01"]["Current"] == 2.2 and rows["cs-01"]["Target"] == 4
    assert rows["cs-01"]["Weighted gap"] == 2.7  # 1.5 × (4 − 2.2): critical, weighted once
    assert rows["cs-02"]["Current"] is None  # missing stays empty, never 0

    scores = book["Scores"]
    assert scores.max_row == 65 and scores.max_column == 4
    cs02 = [c.value for c in scores[3]]
    assert cs02[0] == "cs-02" and cs02[2:] == [None, None]

    interviews = book["Interviews"]
    cells = {
        c.value: c
        for row in interviews.iter_rows(min_row=2)
        for c in row
        if isinstance(c.value, str)
    }
    formulas = [
        c for row in book.worksheets for r in row.iter_rows() for c in r if c.data_type == "f"
    ]
    assert formulas == []  # nothing a user typed becomes a live formula
    assert '\'=HYPERLINK("http://evil.example","x")' in cells
    assert "'@SUM(A1)" in cells and "'-2 points since last year" in cells


def test_export_without_interviews_says_so(client, db) -> None:
    program = make_program(db)
    assessment = start(db, program)
    response = client.get(url(program, assessment, "/export.xlsx"))
    book = load_workbook(io.BytesIO(response.data))
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row[0]}
    assert "no interviews" in summary["Note"]
    assert "Maturity level" not in summary
