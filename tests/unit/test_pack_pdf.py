"""The PDF side of the pack: SVG charts drawn here, and WeasyPrint kept off the network."""

from __future__ import annotations

import datetime as dt
import re
import socket
import subprocess
import threading
from xml.etree import ElementTree

from planner.interop.pack_data import RAG_FILL, MetricRow
from planner.interop.pdf_pack import html_to_pdf, metrics_svg, timeline_svg
from tests.unit.pack_sample import sample_pack

SVG = "{http://www.w3.org/2000/svg}"


def test_the_timeline_is_valid_svg_with_a_bar_per_phase_and_today() -> None:
    pack = sample_pack()
    today = f"今天 {pack.format_day(pack.day)}"
    svg = timeline_svg(pack.phases, pack.timeline_start, pack.timeline_end, pack.day, today)
    root = ElementTree.fromstring(svg)
    rects = root.findall(f"{SVG}rect")
    assert [r.get("fill") for r in rects] == [f"#{RAG_FILL[p.rag]}" for p in pack.phases]
    widths = [float(r.get("width", 0)) for r in rects]
    assert abs(sum(widths) - 1000) < 1  # the phases tile the program's span
    assert root.find(f"{SVG}line") is not None  # today
    assert "今天 2026年6月4日" in "".join(t.text or "" for t in root.iter(f"{SVG}text"))


def test_today_outside_the_program_draws_no_line() -> None:
    pack = sample_pack()
    svg = timeline_svg(
        pack.phases, pack.timeline_start, pack.timeline_end, dt.date(2030, 1, 1), "x"
    )
    assert ElementTree.fromstring(svg).find(f"{SVG}line") is None


def test_the_metrics_chart_has_two_bars_per_charted_metric_and_escapes_text() -> None:
    pack = sample_pack()
    rows = [*pack.metrics, pack.metrics[0].__class__("<b>&", "", 1.0, 2.0, "1", "2", "red", "")]
    root = ElementTree.fromstring(metrics_svg(rows, "Latest", "Target"))
    bars = [r for r in root.findall(f"{SVG}rect") if float(r.get("height", 0)) == 16]
    assert len(bars) == 2 * 3  # the metric without a reading is left out
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "<b>&" in texts and "Latest" in texts and "Target" in texts


def test_each_unit_has_its_own_chart_and_names_are_wrapped_not_cut() -> None:
    long_name = "Opportunities logged per sales representative per week in the CRM"
    rows = [
        MetricRow("Active users", "%", 54.0, 70.0, "54%", "70%", "amber", "Amber"),
        MetricRow(long_name, "per week", 2.5, 4.0, "2.5", "4", "red", "Red"),
        MetricRow("数据完整率", "%", 80.0, 90.0, "80%", "90%", "green", "Green"),
    ]
    root = ElementTree.fromstring(metrics_svg(rows, "Latest", "Target", width=300))
    texts = [t.text or "" for t in root.iter(f"{SVG}text")]
    headings = [t.text for t in root.iter(f"{SVG}text") if t.get("font-weight") == "bold"]
    assert headings == ["%", "per week"]
    # the long name is on several lines, every word kept, no ellipsis
    assert not any(long_name == t for t in texts)
    joined = " ".join(texts)
    assert all(word in joined for word in long_name.split()) and "…" not in joined
    # each panel scales to its own largest value: the % panel's 90 and the per-week panel's
    # 4 are both full width (bars: active users, 数据完整率, then the per-week metric)
    bars = [r for r in root.findall(f"{SVG}rect") if float(r.get("height", 0)) == 16]
    widths = [round(float(b.get("width", 0))) for b in bars]
    assert widths[3] == widths[5] == max(widths) > widths[1]


def test_html_becomes_pdf_with_chinese(tmp_path) -> None:
    data = html_to_pdf(
        "<html><body style=\"font-family: 'Noto Sans CJK SC'\"><h1>指导委员会</h1>"
        "<section style='page-break-after: always'>1</section><section>2</section></body></html>"
    )
    assert data.startswith(b"%PDF-")
    path = tmp_path / "x.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert re.search(r"Pages:\s+2\b", info.stdout)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    assert "Noto-Sans-CJK-SC" in fonts.stdout  # the CJK font is embedded


def test_nothing_is_fetched_from_the_network() -> None:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.1)
    port = server.getsockname()[1]
    connections: list[object] = []
    done = threading.Event()

    def accept() -> None:  # answers nothing; records every connection until the PDF is made
        while not done.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            connections.append(conn)
            conn.close()

    thread = threading.Thread(target=accept)
    thread.start()
    html = (
        f'<html><head><link rel="stylesheet" href="http://127.0.0.1:{port}/x.css"></head>'
        f'<body><img src="http://127.0.0.1:{port}/x.png">'
        '<img src="data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22/%3E">'
        "</body></html>"
    )
    try:
        data = html_to_pdf(html)
    finally:
        done.set()
        thread.join()
        server.close()
    assert data.startswith(b"%PDF-")
    assert connections == []
