"""The steering pack's deck (python-pptx): slide size, colours, and the building blocks every
slide uses — a titled slide, styled text, a table coloured by RAG, typefaces for Chinese
(``Font.name`` sets only the Latin typeface, so every run also gets an East Asian one)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from planner.interop.pack_data import (
    EA_FONT,
    LATIN_FONT,
    RAG_FILL,
    RAG_TEXT,
    Pack,
    TableSlide,
)
from planner.interop.text_measure import wrap_to_width

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


def rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def solid_fill(target: Any, colour: RGBColor) -> None:
    """Fill a shape or a table cell with one colour."""
    target.fill.solid()
    target.fill.fore_color.rgb = colour


class Deck:
    """A deck being built: the presentation, its pack, and the building blocks every slide
    uses (a titled slide, styled text, a table, fonts for Chinese)."""

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
                    cell.fill.fore_color.rgb = rgb(fill)
                    colour = rgb(RAG_TEXT.get(_rag_for_fill(fill), "111111"))
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


def _rag_for_fill(fill: str) -> str:
    for name, colour in RAG_FILL.items():
        if colour.lower() == fill.lstrip("#").lower():
            return name
    return "none-light"
