"""An area's table slides (money, workload) land in the deck after the gate slides, with
their lines, table and red cells."""

from __future__ import annotations

import io
from dataclasses import replace

from pptx import Presentation

from planner.interop.pack_data import RAG_FILL, TableSlide
from planner.interop.pptx_pack import write_pptx
from tests.unit.pack_sample import sample_pack


def test_table_slides_follow_the_gate_slides() -> None:
    money = TableSlide(
        "预算、成本与效益",
        ("预算 2,900,000 · 实际 1,135,132",),
        ("阶段", "预算", "完工预测"),
        (("第 2 阶段", "760,000", "812,000"),),
        (1, 1, 1),
        {(0, 2): RAG_FILL["red"]},
    )
    pack = replace(sample_pack("zh"), slides=(money, TableSlide("工作负荷", ("无人超出产能。",))))
    deck = Presentation(io.BytesIO(write_pptx(pack)))
    titles = [s.shapes.title.text for s in deck.slides]
    assert titles[-2:] == ["预算、成本与效益", "工作负荷"]
    texts = [
        shape.text_frame.text
        for shape in deck.slides[len(titles) - 2].shapes
        if shape.has_text_frame
    ]
    assert any("2,900,000" in t for t in texts)
    table = next(s.table for s in deck.slides[len(titles) - 2].shapes if s.has_table)
    cell = table.cell(1, 2)
    assert cell.text == "812,000"
    assert str(cell.fill.fore_color.rgb) == RAG_FILL["red"]
