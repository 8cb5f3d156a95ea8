"""The accessibility basics, checked by axe-core (npm `axe-core`, installed by `npm ci`).

axe runs inside the page. The app's Content-Security-Policy (`script-src 'self'`) refuses
injected script tags, so the source is evaluated through the DevTools protocol
(`page.evaluate`), which the policy does not govern; the app's own policy stays as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"

# the basics: labels on form controls, alt text, heading order, contrast (status badges
# included), names of buttons and selects
RULES = ("label", "image-alt", "heading-order", "color-contrast", "button-name", "select-name")

RUN_JS = """
async (rules) => {
  const result = await axe.run(document, {
    runOnly: { type: "rule", values: rules },
    resultTypes: ["violations"],
  });
  return result.violations.map((v) => ({
    rule: v.id,
    impact: v.impact,
    nodes: v.nodes.map((n) => ({
      target: n.target.join(" "),
      html: n.html,
      summary: n.failureSummary,
      data: (n.any.concat(n.all, n.none).find((c) => c.data) || {}).data || null,
    })),
  }));
}
"""


@dataclass(frozen=True)
class Violation:
    page: str
    rule: str
    impact: str
    element: str  # the element's opening tag
    target: str  # a CSS selector of the first such element
    detail: str
    count: int

    def __str__(self) -> str:
        times = f" ×{self.count}" if self.count > 1 else ""
        where = f"{self.element} at {self.target}"
        return f"{self.page} {self.rule} ({self.impact}){times}: {where} — {self.detail}"


@cache
def axe_source() -> str:
    if not AXE_JS.exists():
        raise AssertionError(
            f"axe-core is missing ({AXE_JS.relative_to(ROOT)}): run `npm ci` at the repository root"
        )
    return AXE_JS.read_text(encoding="utf-8")


def check(page, where: str) -> list[Violation]:
    """The violations of the basic rules on the page as it stands, grouped by kind of element."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    found: dict[tuple[str, str, str], list[dict]] = {}
    impacts: dict[str, str] = {}
    for violation in page.evaluate(RUN_JS, list(RULES)):
        impacts[violation["rule"]] = violation["impact"] or ""
        for node in violation["nodes"]:
            tag = _opening_tag(node["html"])
            detail = _detail(violation["rule"], node)
            found.setdefault((violation["rule"], _shape(tag), detail), []).append(node)
    return [
        Violation(
            where,
            rule,
            impacts[rule],
            _opening_tag(nodes[0]["html"]),
            nodes[0]["target"],
            detail,
            len(nodes),
        )
        for (rule, _tag, detail), nodes in found.items()
    ]


def _opening_tag(html: str) -> str:
    end = html.find(">")
    return html[: end + 1] if end >= 0 else html[:160]


def _shape(tag: str) -> str:
    """An element's kind, for grouping: its tag with the attribute values that vary dropped."""
    import re

    return re.sub(
        r'\s(id|for|href|value|name|aria-labelledby|aria-describedby|data-[\w-]+)="[^"]*"', "", tag
    )


def _detail(rule: str, node: dict) -> str:
    data = node.get("data") or {}
    if rule == "color-contrast" and isinstance(data, dict) and "contrastRatio" in data:
        colours = f"{data.get('fgColor')} on {data.get('bgColor')}"
        font = f"{data.get('fontSize')} {data.get('fontWeight')}"
        needed = data.get("expectedContrastRatio")
        return f"contrast {data['contrastRatio']} ({colours}, {font}), needs {needed}"
    summary = " ".join((node.get("summary") or "").split())
    return summary.removeprefix("Fix any of the following: ").removeprefix(
        "Fix all of the following: "
    )[:200]
