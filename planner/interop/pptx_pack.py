"""The steering-committee pack as an editable PowerPoint deck (python-pptx).

Six or seven slides, 16:9, everything native and editable (text boxes, tables, shapes, one chart):

1. title: the program, the client, the date and the overall RAG;
2. phase timeline and RAG: one bar per phase (coloured by its RAG, today marked) over a
   table of each phase's window, progress and schedule / metrics / risks RAG;
3. milestones due in the coming weeks and milestones that slipped;
4. top risks beside the 5×5 heat map (a table whose cells are coloured by rating band);
5. metrics against their targets: a native clustered bar chart (latest vs target) and a
   table with each metric's status;
6. gate status and the decisions requested of the committee;
7. the next gate's criteria with their outcome and reason (when it has criteria).

Chinese: ``Font.name`` sets only the Latin typeface, so every run (and the chart's text)
also gets an East Asian typeface (``a:ea``, :data:`~planner.interop.pack_data.EA_FONT`)
and the language tag of the pack; the theme's fonts get the same East Asian typeface.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any, Final

from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from planner.interop.pack_data import (
    EA_FONT,
    LATIN_FONT,
    RAG_FILL,
    RAG_TEXT,
    MilestoneRow,
    Pack,
    TableSlide,
    rag_of,
)
from planner.interop.pptx_adoption import add_adoption_slide
from planner.interop.text_measure import text_width, wrap_to_width

__all__ = ["SLIDE_HEIGHT", "SLIDE_WIDTH", "write_pptx"]

SLIDE_WIDTH: Final = Inches(13.333)
SLIDE_HEIGHT: Final = Inches(7.5)
MARGIN: Final = Inches(0.5)
NAVY: Final = RGBColor(0x1F, 0x4E, 0x79)
GREY: Final = RGBColor(0x44, 0x44, 0x44)
LIGHT: Final = RGBColor(0xF1, 0xF4, 0xF8)
WHITE: Final = RGBColor(0xFF, 0xFF, 0xFF)
MAX_ROWS: Final = 8
TABLE_PT: Final = 12  # the smallest text in a table
MAX_CHARTS: Final = 4  # small charts on the metrics slide (one per unit)
_LATIN_NEXT: Final = ("a:ea", "a:cs", "a:sym", "a:hlinkClick", "a:hlinkMouseOver", "a:rtl")
_EA_NEXT: Final = ("a:cs", "a:sym", "a:hlinkClick", "a:hlinkMouseOver", "a:rtl", "a:extLst")


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


class _Deck:
    def __init__(self, pack: Pack) -> None:
        self.pack = pack
        self.lang_tag = "zh-CN" if pack.lang == "zh" else "en-US"
        self.prs = Presentation()
        self.prs.slide_width = SLIDE_WIDTH
        self.prs.slide_height = SLIDE_HEIGHT
        self._theme_fonts()

    # ------------------------------------------------------------------ fonts

    def fonts(self, rpr: Any) -> None:
        """Latin and East Asian typefaces and the language on one run's properties."""
        for tag, face, successors in (
            ("a:latin", LATIN_FONT, _LATIN_NEXT + ("a:extLst",)),
            ("a:ea", EA_FONT, _EA_NEXT),
        ):
            element = rpr.find(qn(tag))
            if element is None:
                element = rpr.makeelement(qn(tag), {})
                rpr.insert_element_before(element, *successors)
            element.set("typeface", face)
        rpr.set("lang", self.lang_tag)
        if self.pack.lang == "zh":
            rpr.set("altLang", "en-US")

    def _theme_fonts(self) -> None:
        """The theme's major and minor fonts with the East Asian typeface too."""
        master = self.prs.slide_masters[0]
        theme_part = master.part.part_related_by(RT.THEME)
        root = etree.fromstring(theme_part.blob)  # forbidden: allow F002 python-pptx own theme
        ns = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
        for ea in root.iterfind(".//a:fontScheme/*/a:ea", ns):
            ea.set("typeface", EA_FONT)
        for latin in root.iterfind(".//a:fontScheme/*/a:latin", ns):
            latin.set("typeface", LATIN_FONT)
        theme_part._blob = etree.tostring(
            root, xml_declaration=True, encoding="UTF-8", standalone=True
        )

    def style(
        self,
        paragraph: Any,
        text: str,
        size: float = 14,
        bold: bool = False,
        colour: RGBColor | None = None,
        align: Any = None,
    ) -> None:
        paragraph.text = ""
        run = paragraph.add_run()
        run.text = text
        font = run.font
        font.size = Pt(size)
        font.bold = bold
        font.color.rgb = colour or GREY
        self.fonts(run._r.get_or_add_rPr())
        if align is not None:
            paragraph.alignment = align

    # ------------------------------------------------------------------ building blocks

    def slide(self, title: str) -> Any:
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[5])  # title only
        heading = slide.shapes.title
        heading.left, heading.top = MARGIN, Inches(0.3)
        heading.width, heading.height = SLIDE_WIDTH - 2 * MARGIN, Inches(0.8)
        frame = heading.text_frame
        frame.word_wrap = True
        self.style(frame.paragraphs[0], title, 28, True, NAVY, PP_ALIGN.LEFT)
        self.footer(slide)
        return slide

    def footer(self, slide: Any) -> None:
        text = f"{self.pack.program} · {self.pack.format_day(self.pack.day)}"
        self.text(slide, text, MARGIN, SLIDE_HEIGHT - Inches(0.45), Inches(8), Inches(0.3), 10)

    def text(
        self,
        slide: Any,
        text: str | Sequence[str],
        left: int,
        top: int,
        width: int,
        height: int,
        size: float = 14,
        bold: bool = False,
        colour: RGBColor | None = None,
        bullets: bool = False,
    ) -> Any:
        box = slide.shapes.add_textbox(left, top, width, height)
        frame = box.text_frame
        frame.word_wrap = True
        lines = [text] if isinstance(text, str) else list(text)
        for i, line in enumerate(lines or [""]):
            paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            self.style(paragraph, f"• {line}" if bullets else line, size, bold, colour)
            if bullets:
                paragraph.space_after = Pt(6)
        return box

    def table(
        self,
        slide: Any,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        left: int,
        top: int,
        width: int,
        widths: Sequence[float],
        size: float = TABLE_PT,
        fills: dict[tuple[int, int], str] | None = None,
    ) -> Any:
        """A native table; ``fills`` colours cells by (row, column) of ``rows`` (hex).

        Text is never smaller than ``TABLE_PT``: a board reads the pack on a wall screen."""
        size = max(size, TABLE_PT)
        n_rows = len(rows) + 1
        total = sum(widths)
        column_widths = [int(width * share / total) for share in widths]
        # each row as tall as its most wrapped cell, measured in the pack's font, so that
        # what follows the table can be placed below it and no row is cut
        heights = [
            self._row_height([str(v) for v in row], column_widths, size) for row in [header, *rows]
        ]
        shape = slide.shapes.add_table(n_rows, len(header), left, top, width, sum(heights))
        table = shape.table
        for c, column_width in enumerate(column_widths):
            table.columns[c].width = Emu(column_width)
        for r, row_height in enumerate(heights):
            table.rows[r].height = Emu(row_height)
        for c, name in enumerate(header):
            cell = table.cell(0, c)
            cell.fill.solid()
            cell.fill.fore_color.rgb = NAVY
            self.style(cell.text_frame.paragraphs[0], name, size, True, WHITE)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                cell = table.cell(r, c)
                cell.vertical_anchor = MSO_ANCHOR.MIDDLE
                fill = (fills or {}).get((r - 1, c))
                cell.fill.solid()
                if fill:
                    cell.fill.fore_color.rgb = _rgb(fill)
                    colour = _rgb(RAG_TEXT.get(_rag_for_fill(fill), "111111"))
                else:
                    cell.fill.fore_color.rgb = WHITE if r % 2 else LIGHT
                    colour = GREY
                self.style(cell.text_frame.paragraphs[0], str(value), size, False, colour)
        return shape

    @staticmethod
    def _row_height(cells: Sequence[str], widths: Sequence[int], size: float) -> int:
        """A table row's height in EMU: the most wrapped cell's lines at ``size`` points
        (a cell's text frame has 0.1 inch of margin left and right, 0.05 top and bottom)."""
        lines = 1
        for text, width in zip(cells, widths, strict=True):
            # 15 % to spare: bold headers, and the Latin face that stands in for Arial
            usable = max((width / Inches(1) * 72 - 14.4) * 0.85, size)
            lines = max(lines, len(wrap_to_width(text, size, usable, max_lines=99)))
        return int(Pt(size * 1.2 * lines + 7.2))

    # ------------------------------------------------------------------ slides

    def table_slide(self, extra: TableSlide) -> None:
        """An area's slide: its lines as bullets, then its table."""
        slide = self.slide(extra.title)
        top = Inches(1.2)
        if extra.lines:
            self.text(slide, list(extra.lines), MARGIN, top, SLIDE_WIDTH - 2 * MARGIN,
                      Inches(0.4) * len(extra.lines), 14, bullets=True)  # fmt: skip
            top += Inches(0.42) * len(extra.lines)
        if extra.header:
            widths = extra.widths or tuple(1.0 for _ in extra.header)
            width = SLIDE_WIDTH - 2 * MARGIN
            fills = dict(extra.fills)
            shape = self.table(
                slide, extra.header, extra.rows, MARGIN, top, width, widths, fills=fills
            )
            top += shape.height + Inches(0.15)
        if extra.note:
            self.text(slide, extra.note, MARGIN, top, SLIDE_WIDTH - 2 * MARGIN, Inches(0.8), 12)

    def title_slide(self) -> None:
        """The "Title Slide" layout: the program in the title placeholder (what outlines,
        screen readers and slide sorters read), the pack's title and subtitle below it."""
        pack = self.pack
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[0])  # title slide
        band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, Inches(2.1), SLIDE_WIDTH, Inches(2.6))
        band.fill.solid()
        band.fill.fore_color.rgb = NAVY
        band.line.fill.background()
        # the band goes behind the placeholders
        tree = slide.shapes._spTree
        tree.remove(band._element)
        tree.insert(2, band._element)
        heading = slide.shapes.title
        heading.left, heading.top = MARGIN, Inches(2.8)
        heading.width, heading.height = SLIDE_WIDTH - 2 * MARGIN, Inches(1.1)
        heading.text_frame.word_wrap = True
        self.style(heading.text_frame.paragraphs[0], pack.program, 36, True, WHITE, PP_ALIGN.LEFT)
        subtitle = slide.placeholders[1]
        subtitle.left, subtitle.top = MARGIN, Inches(3.9)
        subtitle.width, subtitle.height = SLIDE_WIDTH - 2 * MARGIN, Inches(0.7)
        self.style(
            subtitle.text_frame.paragraphs[0], pack.subtitle, 18, False, WHITE, PP_ALIGN.LEFT
        )
        self.text(
            slide,
            pack.title,
            MARGIN,
            Inches(2.25),
            SLIDE_WIDTH - 2 * MARGIN,
            Inches(0.6),
            20,
            False,
            WHITE,
        )
        rag = rag_of(pack.headline_rag)
        badge = slide.shapes.add_shape(
            MSO_SHAPE.ROUNDED_RECTANGLE, MARGIN, Inches(5.2), Inches(3.2), Inches(0.8)
        )
        badge.fill.solid()
        badge.fill.fore_color.rgb = _rgb(RAG_FILL[rag])
        badge.line.fill.background()
        self.style(
            badge.text_frame.paragraphs[0],
            pack.headline_label,
            20,
            True,
            _rgb(RAG_TEXT[rag]),
            PP_ALIGN.CENTER,
        )
        self.text(
            slide,
            pack.headline_text,
            MARGIN + Inches(3.5),
            Inches(5.2),
            Inches(8.5),
            Inches(1.2),
            14,
        )

    def since_slide(self) -> None:
        """What moved since the latest steering review (only when there was one)."""
        pack = self.pack
        if not pack.since_title:
            return
        slide = self.slide(pack.since_title)
        self.text(
            slide,
            list(pack.since[:12]),
            MARGIN,
            Inches(1.3),
            SLIDE_WIDTH - 2 * MARGIN,
            SLIDE_HEIGHT - Inches(2.0),
            16,
            bullets=True,
        )

    def timeline_slide(self) -> None:
        pack = self.pack
        slide = self.slide(pack.label("timeline_title"))
        left, top = MARGIN, Inches(1.3)
        width = SLIDE_WIDTH - 2 * MARGIN
        span = max((pack.timeline_end - pack.timeline_start).days + 1, 1)

        def x(day: dt.date) -> int:
            offset = min(max((day - pack.timeline_start).days, 0), span)
            return int(left + width * offset / span)

        for phase in pack.phases:
            start, end = x(phase.start), x(phase.end + dt.timedelta(days=1))
            bar = slide.shapes.add_shape(
                MSO_SHAPE.RECTANGLE, start, top, max(end - start, Inches(0.2)), Inches(0.75)
            )
            rag = rag_of(phase.rag)
            bar.fill.solid()
            bar.fill.fore_color.rgb = _rgb(RAG_FILL[rag])
            bar.line.color.rgb = WHITE
            frame = bar.text_frame
            frame.word_wrap = True
            inches = (end - start) / Inches(1)
            label = next(
                (
                    t
                    for t in (phase.bar_label, phase.short)
                    if t and text_width(t, 12) < inches * 66
                ),
                "",
            )  # measured in points (72 a inch, less the frame's margins); else the table names it
            self.style(frame.paragraphs[0], label, 12, True, _rgb(RAG_TEXT[rag]), PP_ALIGN.CENTER)
        if pack.timeline_start <= pack.day <= pack.timeline_end:
            line = slide.shapes.add_connector(
                MSO_CONNECTOR.STRAIGHT,
                x(pack.day),
                top - Inches(0.15),
                x(pack.day),
                top + Inches(0.9),
            )
            line.line.color.rgb = RGBColor(0x11, 0x11, 0x11)
            line.line.width = Pt(2.5)
            self.text(
                slide,
                f"{pack.label('today')} {pack.format_day(pack.day)}",
                x(pack.day) - Inches(0.9),
                top + Inches(0.9),
                Inches(1.8),
                Inches(0.3),
                10,
            )
        header = [
            pack.label("phase"),
            pack.label("window"),
            pack.label("state"),
            pack.label("progress"),
            pack.label("schedule"),
            pack.label("metrics"),
            pack.label("risks"),
            pack.label("overall"),
        ]
        rows, fills = [], {}
        rag_names = {k: pack.label(f"rag_{k}") for k in RAG_FILL}
        for r, phase in enumerate(pack.phases):
            rows.append(
                [
                    phase.label,
                    f"{pack.format_day(phase.start)} – {pack.format_day(phase.end)}",
                    phase.state_label,
                    f"{phase.progress:.0f}%",
                    rag_names[rag_of(phase.schedule_rag)],
                    rag_names[rag_of(phase.metrics_rag)],
                    rag_names[rag_of(phase.risks_rag)],
                    phase.rag_label,
                ]
            )
            for c, value in (
                (4, phase.schedule_rag),
                (5, phase.metrics_rag),
                (6, phase.risks_rag),
                (7, phase.rag),
            ):
                fills[(r, c)] = RAG_FILL[rag_of(value)]
        shape = self.table(
            slide,
            header,
            rows,
            left,
            Inches(2.5),
            width,
            [3.4, 2.4, 1.2, 1.2, 1.3, 1.3, 1.2, 1.2],
            12,
            fills,
        )
        current = next((p for p in pack.phases if p.state == "current"), None)
        if current is not None and current.reasons:
            # below the table's measured height, above the footer
            top = shape.top + shape.height + Inches(0.15)
            self.text(
                slide,
                list(current.reasons)[:3],
                left,
                top,
                width,
                max(SLIDE_HEIGHT - Inches(0.5) - top, Inches(0.4)),
                11,
                bullets=True,
            )

    def gantt_slide(self) -> None:
        """The Gantt page's chart as a picture (drawn by planner.charts.gantt_render)."""
        gantt = self.pack.gantt
        if gantt is None:
            return
        from planner.charts.gantt_render import to_png

        slide = self.slide(gantt.title)
        scene = gantt.scene
        top, bottom = Inches(1.15), SLIDE_HEIGHT - Inches(0.95)
        width = SLIDE_WIDTH - 2 * MARGIN
        height = int(width * scene.height / scene.width)
        if height > bottom - top:  # a tall chart: fit the height, keep the proportions
            height = bottom - top
            width = int(height * scene.width / scene.height)
        picture = slide.shapes.add_picture(
            io.BytesIO(to_png(scene, scale=2)), MARGIN, top, width, height
        )
        picture.name = gantt.title
        note_top = top + height + Inches(0.08)
        self.text(slide, gantt.note, MARGIN, note_top, SLIDE_WIDTH - 2 * MARGIN, Inches(0.4), 11)

    def milestones_slide(self) -> None:
        pack = self.pack
        slide = self.slide(pack.label("milestones_title"))
        half = (SLIDE_WIDTH - 2 * MARGIN - Inches(0.3)) // 2
        left2 = MARGIN + half + Inches(0.3)
        self.text(
            slide, pack.label("due_title"), MARGIN, Inches(1.2), half, Inches(0.4), 16, True, NAVY
        )
        self.text(
            slide,
            pack.label("slipped_title"),
            left2,
            Inches(1.2),
            half,
            Inches(0.4),
            16,
            True,
            NAVY,
        )
        self._milestone_table(slide, pack.due[:MAX_ROWS], MARGIN, half, slipped=False)
        self._milestone_table(slide, pack.slipped[:MAX_ROWS], left2, half, slipped=True)

    def _milestone_table(
        self, slide: Any, rows: Sequence[MilestoneRow], left: int, width: int, slipped: bool
    ) -> None:
        pack = self.pack
        top = Inches(1.7)
        if not rows:
            self.text(slide, pack.label("none"), left, top, width, Inches(0.4), 12)
            return
        if slipped:
            header = [
                pack.label("milestone"),
                pack.label("forecast"),
                pack.label("baseline"),
                pack.label("slip_days"),
            ]
            body = [
                [
                    f"{m.name} ({m.phase})",
                    pack.format_day(m.forecast),
                    pack.format_day(m.baseline),
                    _slip(m),
                ]
                for m in rows
            ]
            fills = {(r, 3): RAG_FILL["red"] for r in range(len(body))}
            self.table(slide, header, body, left, top, width, [4.2, 1.5, 1.5, 1.3], 10, fills)
        else:
            header = [pack.label("milestone"), pack.label("phase"), pack.label("forecast")]
            body = [[m.name, m.phase, pack.format_day(m.forecast)] for m in rows]
            self.table(slide, header, body, left, top, width, [4.2, 2.3, 1.5], 10)

    def risks_slide(self) -> None:
        pack = self.pack
        slide = self.slide(pack.label("risks_title"))
        left_width = Inches(6.8)
        if pack.risks:
            header = [
                pack.label("risk"),
                pack.label("l_x_i"),
                pack.label("band"),
                pack.label("response"),
            ]
            body = [
                [
                    f"{r.key} {r.title}",
                    f"{r.likelihood}×{r.impact} = {r.score}",
                    r.band_label,
                    r.response,
                ]
                for r in pack.risks
            ]
            fills = {(i, 2): r.band_fill for i, r in enumerate(pack.risks)}
            self.table(
                slide,
                header,
                body,
                MARGIN,
                Inches(1.3),
                left_width,
                [3.8, 1.5, 1.1, 1.3],
                10,
                fills,
            )
        else:
            self.text(
                slide, pack.label("no_open_risks"), MARGIN, Inches(1.3), left_width, Inches(0.4)
            )
        self.text(
            slide,
            pack.label("open_risks_count"),
            MARGIN,
            Inches(6.4),
            left_width,
            Inches(0.4),
            11,
        )
        heat = pack.heat
        if heat is None:
            return
        left = MARGIN + left_width + Inches(0.3)
        cell = Inches(0.72)
        label_w = Inches(1.5)
        self.text(
            slide, pack.label("heat_map"), left, Inches(1.2), Inches(5), Inches(0.4), 14, True, NAVY
        )
        top = Inches(1.7)
        shape = slide.shapes.add_table(6, 6, left, top, label_w + cell * 5, Inches(0.62) * 6)
        table = shape.table
        table.columns[0].width = label_w
        for c in range(1, 6):
            table.columns[c].width = cell
        for r in range(6):
            table.rows[r].height = Inches(0.62)
        corner = table.cell(5, 0)
        corner.fill.solid()
        corner.fill.fore_color.rgb = WHITE
        self.style(
            corner.text_frame.paragraphs[0],
            f"{pack.label('likelihood')} ↑ / {pack.label('impact')} →",
            TABLE_PT,
        )
        for row in range(5):
            likelihood = 5 - row  # top row = almost certain
            label = table.cell(row, 0)
            label.fill.solid()
            label.fill.fore_color.rgb = WHITE
            self.style(
                label.text_frame.paragraphs[0],
                f"{likelihood} {heat.likelihood_labels[likelihood - 1]}",
                TABLE_PT,
            )
            for impact in range(1, 6):
                target = table.cell(row, impact)
                target.fill.solid()
                target.fill.fore_color.rgb = _rgb(heat.fills[likelihood - 1][impact - 1])
                target.vertical_anchor = MSO_ANCHOR.MIDDLE
                count = heat.counts[likelihood - 1][impact - 1]
                self.style(
                    target.text_frame.paragraphs[0],
                    str(count) if count else "",
                    14,
                    True,
                    RGBColor(0x11, 0x11, 0x11),
                    PP_ALIGN.CENTER,
                )
        for impact in range(1, 6):
            label = table.cell(5, impact)
            label.fill.solid()
            label.fill.fore_color.rgb = WHITE
            # the number only: impact words do not fit a cell at a readable size; the
            # caption below the map names them
            self.style(
                label.text_frame.paragraphs[0], str(impact), TABLE_PT, True, align=PP_ALIGN.CENTER
            )
        caption_top = top + Inches(0.62) * 6 + Inches(0.1)
        self.text(
            slide,
            f"{pack.label('impact')}: "
            + " · ".join(f"{i} {name}" for i, name in enumerate(heat.impact_labels, start=1)),
            left,
            caption_top,
            label_w + cell * 5,
            Inches(0.6),
            TABLE_PT,
        )
        legend_top = caption_top + Inches(0.7)
        for i, (name, fill) in enumerate(heat.legend):
            swatch = slide.shapes.add_shape(
                MSO_SHAPE.RECTANGLE, left + Inches(1.2) * i, legend_top, Inches(1.1), Inches(0.32)
            )
            swatch.fill.solid()
            swatch.fill.fore_color.rgb = _rgb(fill)
            swatch.line.color.rgb = RGBColor(0x88, 0x88, 0x88)
            self.style(
                swatch.text_frame.paragraphs[0],
                name,
                10,
                True,
                RGBColor(0x11, 0x11, 0x11),
                PP_ALIGN.CENTER,
            )

    def metrics_slide(self) -> None:
        pack = self.pack
        slide = self.slide(pack.label("metrics_title"))
        charted = pack.charted_metrics
        chart_width = Inches(7.2)
        groups: dict[str, list[Any]] = {}
        for metric in charted:
            groups.setdefault(metric.unit, []).append(metric)
        units = list(groups.items())[:MAX_CHARTS]
        if units:
            # one small chart per unit: a percentage never shares an axis with "per week"
            columns = 1 if len(units) == 1 else 2
            rows_of_charts = (len(units) + columns - 1) // columns
            cell_w = chart_width // columns
            cell_h = Inches(5.6) // rows_of_charts
            for i, (unit, metrics) in enumerate(units):
                left = MARGIN + cell_w * (i % columns)
                top = Inches(1.2) + cell_h * (i // columns)
                self._metric_chart(slide, unit, metrics, left, top, cell_w, cell_h)
        else:
            self.text(
                slide, pack.label("no_readings"), MARGIN, Inches(1.3), chart_width, Inches(0.5)
            )
        left = MARGIN + chart_width + Inches(0.3)
        width = SLIDE_WIDTH - left - MARGIN
        rows = pack.metrics[:10]
        if rows:
            header = [
                pack.label("metric"),
                pack.label("latest"),
                pack.label("target"),
                pack.label("status"),
            ]
            body = [[m.name, m.latest_text, m.target_text, m.rag_label] for m in rows]
            fills = {(i, 3): RAG_FILL[rag_of(m.rag)] for i, m in enumerate(rows)}
            self.table(
                slide, header, body, left, Inches(1.3), width, [2.6, 1.0, 1.0, 1.0], 12, fills
            )

    def _metric_chart(
        self,
        slide: Any,
        unit: str,
        metrics: Sequence[Any],
        left: int,
        top: int,
        width: int,
        height: int,
    ) -> None:
        """A native clustered bar chart of one unit's metrics: latest beside target."""
        pack = self.pack
        data = CategoryChartData()
        data.categories = [m.name for m in metrics]
        data.add_series(pack.label("latest"), [m.latest for m in metrics])
        data.add_series(pack.label("target"), [m.target for m in metrics])
        frame = slide.shapes.add_chart(
            XL_CHART_TYPE.BAR_CLUSTERED, left, top, width - Inches(0.1), height - Inches(0.1), data
        )
        chart = frame.chart
        chart.has_title = True
        chart.chart_title.text_frame.text = unit or "#"
        title_run = chart.chart_title.text_frame.paragraphs[0].runs[0]
        title_run.font.size = Pt(14)
        title_run.font.bold = True
        self.fonts(title_run._r.get_or_add_rPr())
        chart.has_legend = True
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.font.size = Pt(12)
        self.fonts(chart.font._rPr)
        plot = chart.plots[0]
        plot.has_data_labels = True
        plot.data_labels.font.size = Pt(11)
        plot.data_labels.number_format = "0.##"
        plot.data_labels.number_format_is_linked = False
        for series, colour in zip(plot.series, ("1F4E79", "B0BEC5"), strict=True):
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = _rgb(colour)
        chart.category_axis.reverse_order = True
        chart.value_axis.has_major_gridlines = True
        chart.value_axis.minimum_scale = 0

    def gates_slide(self) -> None:
        pack = self.pack
        slide = self.slide(pack.label("gates_title"))
        width = SLIDE_WIDTH - 2 * MARGIN
        header = [
            pack.label("gate"),
            pack.label("date"),
            pack.label("evaluation"),
            pack.label("criteria"),
            pack.label("decision"),
        ]
        body = [
            [g.label, pack.format_day(g.day), g.overall_label, g.summary, g.decision or "—"]
            for g in pack.gates
        ]
        fills = {(i, 2): RAG_FILL[rag_of(g.overall)] for i, g in enumerate(pack.gates)}
        shape = self.table(
            slide, header, body, MARGIN, Inches(1.2), width, [3.0, 1.3, 1.3, 3.6, 2.6], 12, fills
        )
        top = shape.top + shape.height + Inches(0.3)
        self.text(
            slide, pack.label("decisions_title"), MARGIN, top, width, Inches(0.4), 16, True, NAVY
        )
        decisions = list(pack.decisions) or [pack.label("no_decisions")]
        if pack.evidence:  # the gates' evidence files (planner/services/pack_notify.py)
            decisions += [f"{pack.extra.get('evidence_title', '')}: {e}" for e in pack.evidence]
        self.text(
            slide,
            decisions[:8],
            MARGIN,
            top + Inches(0.45),
            width,
            SLIDE_HEIGHT - top - Inches(1.0),
            13,
            bullets=bool(pack.decisions or pack.evidence),
        )

    def criteria_slide(self) -> None:
        """The next gate's criteria, each with its outcome and the reason."""
        pack = self.pack
        gate = next((g for g in pack.gates if g.upcoming and g.criteria), None)
        if gate is None:
            return
        slide = self.slide(f"{gate.label} — {pack.label('criteria')}")
        header = [pack.label("criteria"), pack.label("evaluation"), pack.label("reason")]
        rows = gate.criteria[:MAX_ROWS]
        body = [[c.text, c.outcome_label, c.reason] for c in rows]
        fills = {(i, 1): RAG_FILL[rag_of(c.outcome)] for i, c in enumerate(rows)}
        width = SLIDE_WIDTH - 2 * MARGIN
        self.table(slide, header, body, MARGIN, Inches(1.2), width, [4.2, 1.2, 6.9], 10, fills)

    def build(self) -> bytes:
        self.title_slide()
        self.since_slide()
        self.timeline_slide()
        self.gantt_slide()
        self.milestones_slide()
        self.risks_slide()
        self.metrics_slide()
        if self.pack.adoption is not None:
            add_adoption_slide(self, self.pack.adoption)
        self.gates_slide()
        self.criteria_slide()
        for extra in self.pack.slides:  # the areas' slides: money and workload (issue 23)
            self.table_slide(extra)
        if self.pack.raid is not None:
            from planner.interop.pptx_raid import add_raid_slide

            add_raid_slide(self, self.pack.raid)
        out = io.BytesIO()
        self.prs.save(out)
        return out.getvalue()


def _rag_for_fill(fill: str) -> str:
    for name, colour in RAG_FILL.items():
        if colour.lower() == fill.lstrip("#").lower():
            return name
    return "none-light"


def _slip(row: MilestoneRow) -> str:
    days = row.slip_days if row.slip_days is not None else row.past_phase_end
    return f"+{days}" if days is not None else "—"


def write_pptx(pack: Pack) -> bytes:
    """The pack as a .pptx file (six slides; see the module notes)."""
    return _Deck(pack).build()
