"""A Content-Security-Policy without 'unsafe-inline' styles (finding 11 of issue 18)."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest

from planner.web.csp import plotly_js_path, plotly_style_hashes, plotly_text_styles

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# laid out by WeasyPrint into a PDF, never served to a browser under the CSP
# never served as pages: the PDF pack and the parts it includes, and the digest e-mail (mail
# clients need inline styles)
PDF_ONLY = {
    "exchange/pack_pdf.html",
    "exchange/_pack_adoption.html",
    "exchange/_pack_raid.html",
    "notify/digest.html",
}
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)


def _sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _style_src(csp: str) -> list[str]:
    (directive,) = [d.strip() for d in csp.split(";") if d.strip().startswith("style-src")]
    return directive.split()[1:]


def test_style_src_has_no_unsafe_inline(anonymous_client) -> None:
    sources = _style_src(anonymous_client.get("/login").headers["Content-Security-Policy"])
    assert "'unsafe-inline'" not in sources
    assert sources[0] == "'self'"
    # besides 'self': only hashes of exact texts (and the switch that lets hashes cover
    # plotly's style attributes)
    assert all(s.startswith("'sha256-") for s in sources if s not in ("'self'", "'unsafe-hashes'"))


def test_allowed_hashes_are_exactly_plotlys_styles(anonymous_client) -> None:
    sources = _style_src(anonymous_client.get("/login").headers["Content-Security-Policy"])
    hashes = {s for s in sources if s.startswith("'sha256-")}
    expected = {_sha(""), *(_sha(t) for t in plotly_text_styles())}
    source = plotly_js_path().read_text(encoding="utf-8", errors="replace")
    start = source.find(".maplibregl-map{")
    if start >= 0:  # the map stylesheet plotly writes as a <style> text
        expected.add(_sha(source[start : source.find("'", start)]))
    assert (
        hashes == expected == set(plotly_style_hashes()) | {_sha(t) for t in plotly_text_styles()}
    )


@pytest.mark.parametrize(
    "template",
    sorted(
        str(p.relative_to(TEMPLATES))
        for p in TEMPLATES.rglob("*.html")
        if str(p.relative_to(TEMPLATES)) not in PDF_ONLY
    ),
)
def test_no_template_carries_an_inline_style(template: str) -> None:
    text = (TEMPLATES / template).read_text(encoding="utf-8")
    assert not INLINE_STYLE.search(text), f"{template}: use a CSS class or a data-* size"


def test_sizes_arrive_as_data_attributes(client, db) -> None:
    from datetime import date

    from planner.services.playbooks import get_playbook
    from planner.services.programs import create_program

    program = create_program(
        get_playbook("small-business-quick-start"), name="P", client="C", start_date=date.today()
    )
    db.session.commit()
    page = client.get(f"/programs/{program.id}").get_data(as_text=True)
    assert 'data-width="' in page and "style=" not in page
    assert "/static/js/layout.js" in page
