"""The steering-committee pack: the deck and the PDF of a program in mid-rollout."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE

from planner.services import risks as risk_service
from planner.services.playbooks import get_playbook
from planner.services.programs import create_program
from tests.conftest import FROZEN_TODAY
from tests.integration.exchange_support import (
    count_queries,
    demo_program,
)

#: the pages judge on today: a frozen one (the `today` fixture of tests/conftest.py)
pytestmark = pytest.mark.usefixtures("today")
TODAY = FROZEN_TODAY


@pytest.fixture()
def program(db):
    return demo_program(db, TODAY)


def titles(deck) -> list[str]:
    out = []
    for slide in deck.slides:
        title = slide.shapes.title
        out.append(title.text_frame.text if title is not None else "")
    return out


def all_text(deck) -> str:
    parts = []
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts.extend(cell.text for row in shape.table.rows for cell in row.cells)
    return "\n".join(parts)


def test_the_deck_has_every_part_and_a_native_chart(client, program) -> None:
    response = client.get(f"/programs/{program.id}/exchange/pack.pptx")
    assert response.status_code == 200
    assert response.mimetype.endswith("presentationml.presentation")
    assert response.headers["Content-Disposition"].endswith('.pptx"')
    deck = Presentation(io.BytesIO(response.data))
    assert len(deck.slides) >= 7
    # the program has had steering reviews: what moved since the latest comes first
    assert titles(deck)[1].startswith("Since the review of")
    assert titles(deck)[2:8] == [
        "Phase timeline and RAG",
        "Gantt chart",
        "Milestones due and slipped",
        "Top risks",
        "Metrics against targets",
        "Gate status",
    ]
    text = all_text(deck)
    assert "Northwind — CRM rollout" in text  # the title slide
    assert "Steering committee pack" in text
    assert "Heat map of open risks (residual)" in text
    assert "Decisions requested" in text
    for phase in program.phases:
        assert phase.name in text
    charts = [s.chart for slide in deck.slides for s in slide.shapes if s.has_chart]
    assert charts
    # one small chart per unit: every metric of a chart has the unit in its title
    unit_of = {m.name: m.unit for m in program.metrics}
    units = [chart.chart_title.text_frame.text for chart in charts]
    assert len(set(units)) == len(units)
    for chart, unit in zip(charts, units, strict=True):
        assert chart.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
        assert [s.name for s in chart.plots[0].series] == ["Latest", "Target"]
        assert {unit_of[name] or "#" for name in chart.plots[0].categories} == {unit}
    assert sum(len(list(chart.plots[0].categories)) for chart in charts) >= 3
    # every run of every slide carries an East Asian typeface (Font.name sets only Latin)
    ns = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
    runs = [run for slide in deck.slides for run in slide._element.iterfind(".//a:r", ns)]
    assert runs
    assert all(
        run.find("a:rPr/a:ea", ns) is not None
        and run.find("a:rPr/a:ea", ns).get("typeface") == "Noto Sans CJK SC"
        for run in runs
    )


def test_the_deck_follows_the_chosen_language(client, program) -> None:
    client.post("/language", data={"lang": "zh_Hans_CN", "next": "/"})
    deck = Presentation(io.BytesIO(client.get(f"/programs/{program.id}/exchange/pack.pptx").data))
    text = all_text(deck)
    for phase in program.phases:
        assert phase.name_zh and phase.name_zh in text
    slide_xml = deck.slides[1].part.blob
    assert b'lang="zh-CN"' in slide_xml
    assert b'typeface="Noto Sans CJK SC"' in slide_xml


def test_the_gantt_slide_is_the_gantt_pages_chart(client, program, tmp_path) -> None:
    deck = Presentation(io.BytesIO(client.get(f"/programs/{program.id}/exchange/pack.pptx").data))
    slide = deck.slides[titles(deck).index("Gantt chart")]
    pictures = [shape for shape in slide.shapes if shape.shape_type == 13]  # picture
    assert len(pictures) == 1
    image = pictures[0].image
    assert image.content_type == "image/png" and image.size[0] >= 2000  # sharp when projected
    assert pictures[0].left + pictures[0].width <= deck.slide_width
    assert "work items" in all_text(deck)
    data = client.get(f"/programs/{program.id}/exchange/pack.pdf").data
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    page = next(p for p in text.split("\f") if "Gantt chart" in p)
    for phase in program.phases:  # the chart is vector text in the PDF: names searchable
        assert phase.name[:20] in page
    assert "Today" in page and "Critical" in page


def pdf_info(data: bytes, tmp_path: Path, tool: str = "pdfinfo") -> str:
    path = tmp_path / "pack.pdf"
    path.write_bytes(data)
    return subprocess.run([tool, str(path)], capture_output=True, text=True, check=True).stdout


def test_the_pdf_has_the_same_parts(client, program, tmp_path) -> None:
    response = client.get(f"/programs/{program.id}/exchange/pack.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    pages = int(re.search(r"Pages:\s+(\d+)", pdf_info(response.data, tmp_path))[1])
    assert pages >= 6


def test_the_chinese_pdf_embeds_a_cjk_font(client, program, tmp_path) -> None:
    client.post("/language", data={"lang": "zh_Hans_CN", "next": "/"})
    data = client.get(f"/programs/{program.id}/exchange/pack.pdf").data
    fonts = pdf_info(data, tmp_path, "pdffonts")
    assert "Noto-Sans-CJK-SC" in fonts
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    assert program.phases[1].name_zh in text.replace(" ", "")


def test_readers_get_the_pack_outsiders_do_not(login_as, program) -> None:
    steering = login_as("steering", program)
    assert steering.get(f"/programs/{program.id}/exchange/pack.pptx").status_code == 200
    outsider = login_as("outsider")
    assert outsider.get(f"/programs/{program.id}/exchange/pack.pdf").status_code == 404


def test_the_pack_needs_the_same_queries_for_a_bigger_program(client, db, program) -> None:
    small = create_program(
        get_playbook("small-business-quick-start"),
        name="Small",
        client="Small Co",
        start_date=TODAY - timedelta(days=20),
    )
    # both have had a steering review (the pack compares the program with the latest one)
    risk_service.open_review(small, {"held_on": TODAY - timedelta(days=5)})
    db.session.commit()
    counts = []
    for pid in (small.id, program.id):
        client.get(f"/programs/{pid}/exchange/pack.pptx")  # schedules what went stale
        with count_queries(db) as statements:
            assert client.get(f"/programs/{pid}/exchange/pack.pptx").status_code == 200
        counts.append(len(statements))
    assert counts[1] <= counts[0] + 2  # the big one has a baseline and decisions, not per-row
