"""The steering pack's evidence files: each gate's attachments, one line a file, in the
pack's language (its content for planner/interop/pptx_pack.py and the PDF template)."""

from __future__ import annotations

from flask_babel import gettext as _

from planner.models import Program
from planner.services.discussion import evidence_files

MAX_LINES = 12


def evidence_lines(program: Program, lang: str) -> tuple[str, ...]:
    """``Gate 1 · Foundation: signoff.pdf (12.5 KB, SHA-256 1a2b3c4d5e6f…)`` per file."""
    phases = {p.id: p for p in program.phases}
    files = evidence_files(program.id, list(phases))
    lines: list[str] = []
    for phase_id, rows in sorted(files.items(), key=lambda kv: phases[kv[0]].ordinal):
        phase = phases[phase_id]
        name = (phase.name_zh or phase.name) if lang == "zh" else phase.name
        gate = _("Gate %(n)d · %(phase)s", n=phase.ordinal, phase=name)
        for row in rows:
            size = f"{row.size / 1024:.1f} KB"
            lines.append(f"{gate}: {row.filename} ({size}, SHA-256 {row.sha256[:12]}…)")
    return tuple(lines[:MAX_LINES])


def evidence_title() -> str:
    return _("Evidence files")
