"""Which language a page's interface text is in: English left in the Chinese interface, Chinese
left in the English one, and message ids or format placeholders shown as they are.

Every visible text counts — navigation, headings, labels, table headers, buttons, cells,
messages, chart titles and axes (plotly draws them as SVG text) — plus the accessible names a
screen reader reads out (``aria-label``, ``title``, ``placeholder``, ``alt``). Text inside
``code``/``kbd`` (item keys, file names) is never interface text, nor is a ``textarea``'s
content (the value of a form field, like an ``input``'s value).

What may stay in the other language, and nothing else:
- user data and demo data: names of programs, clients, people and accounts, item keys, e-mail
  addresses, numbers, dates (``DataStrings`` collects the data strings a journey knows of);
- playbook content the playbook gives in one language only (``playbook_strings``);
- a short, explicit allow-list of product names (``ALLOWED_IN_ZH``).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path

# what the browser collects: every visible text (grouped by the element that holds it, charts'
# SVG text included) and the accessible names a screen reader reads out
NAME_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")

COLLECT_JS = """
(attributes) => {
  const skip = "code, kbd, samp, pre, script, style, template, datalist, noscript, .modebar, "
    + "[data-lang-check=skip]";
  const texts = [];
  const visible = (el) => el.checkVisibility ? el.checkVisibility() : !!el.getClientRects().length;
  const owners = new Map();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const parent = node.parentElement;
    if (!parent || !node.nodeValue.trim() || parent.closest(skip)) continue;
    // a textarea's text is its value (what the user typed or the data saved), like an
    // input's value: data, never interface text (its label and placeholder still count)
    if (parent.closest("textarea")) continue;
    if (!owners.has(parent)) owners.set(parent, []);
    owners.get(parent).push(node.nodeValue);
  }
  for (const [el, parts] of owners) {
    if (!visible(el)) continue;
    texts.push([describe(el), parts.join(" ").replace(/\\s+/g, " ").trim()]);
  }
  for (const el of document.querySelectorAll(attributes.map((a) => "[" + a + "]").join(","))) {
    if (el.closest(skip)) continue;
    for (const name of attributes) {
      const value = (el.getAttribute(name) || "").trim();
      if (value) texts.push([describe(el) + "[" + name + "]", value]);
    }
  }
  return texts;
  function describe(el) {
    let out = el.tagName.toLowerCase();
    if (el.id) out += "#" + el.id;
    const layout = /^(col|row|g|m|p|mb|mt|ms|me|px|py|d|gap|fw|fs|text)-/;
    const classes = [...el.classList].filter((c) => !layout.test(c));
    if (classes.length) out += "." + classes.slice(0, 3).join(".");
    const holder = el.closest("[id]");
    if (holder && holder !== el) out = "#" + holder.id + " " + out;
    return out;
  }
}
"""

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# two or more English words in a row (a word: two or more ASCII letters, maybe an apostrophe)
ENGLISH_RUN = re.compile(r"\b[A-Za-z][A-Za-z'’]+(?:[ \t]*[,/&]?[ \t]+[A-Za-z][A-Za-z'’]*)+\b")
# a message id or a format placeholder shown as it is
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfr]|\{\{|\}\}|\b[a-z]+(?:_[a-z]+)+\b")

# data that is never interface text, whatever the language
DATA_PATTERNS = (
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),  # e-mail addresses
    re.compile(r"https?://\S+"),  # links
    re.compile(r"\b[\w.]+(?:[-_@][\w.]+)+\b"),  # keys: crm-four-100-days@1.0, act-cd-03
    re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),  # dates
    re.compile(r"[+-]?\d+(?:[.,]\d+)*\s*%?"),  # numbers
)

# English allowed in the Chinese interface: product and file-format names only
ALLOWED_IN_ZH = frozenset(
    {
        "MS Project",
        "Microsoft Project",
        "Excel",
        "PowerPoint",
        "CMM-E",
        "OpenAPI",
    }
)
# Chinese allowed in the English interface: the language selector names its language
ALLOWED_IN_EN = frozenset({"简体中文"})


@dataclass
class DataStrings:
    """Strings that are data, not interface: demo data, what the journey typed, playbook text."""

    strings: set[str] = field(default_factory=set)

    def add(self, *values: str) -> None:
        for value in values:
            value = " ".join(value.split())
            if value:
                self.strings.add(value)

    _pattern: re.Pattern[str] | None = None
    _compiled_for: int = -1

    def strip(self, text: str) -> str:
        """``text`` with every known data string cut out (whole words only, longest first)."""
        if self._compiled_for != len(self.strings):
            values = sorted(self.strings, key=len, reverse=True)
            alternatives = "|".join(re.escape(v) for v in values if len(v) > 1)
            self._pattern = (
                re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)") if alternatives else None
            )
            self._compiled_for = len(self.strings)
        if self._pattern is not None:
            text = self._pattern.sub(" ", text)
        for pattern in DATA_PATTERNS:
            text = pattern.sub(" ", text)
        return text


@dataclass(frozen=True)
class Finding:
    page: str
    element: str
    text: str
    problem: str

    def __str__(self) -> str:
        return f"{self.page} {self.element}: {self.problem} — in “{self.text[:100]}”"


def judge(
    page: str, lang: str, texts: Iterable[tuple[str, str]], data: DataStrings
) -> list[Finding]:
    """Findings for the interface texts of one page shown in ``lang`` ('en' or 'zh')."""
    findings: list[Finding] = []
    seen: set[str] = set()
    for element, text in texts:
        text = " ".join(text.split())
        if not text or text in seen:
            continue
        seen.add(text)
        placeholders = [p for p in PLACEHOLDER.findall(text) if not _is_data(p, data)]
        if placeholders:
            problem = "message id or placeholder shown: " + ", ".join(map(repr, placeholders))
            findings.append(Finding(page, element, text, problem))
        rest = data.strip(text)
        if lang == "zh":
            for allowed in ALLOWED_IN_ZH:
                rest = rest.replace(allowed, " ")
            runs = ENGLISH_RUN.findall(rest)
            what = "English in the Chinese interface"
        else:
            for allowed in ALLOWED_IN_EN:
                rest = rest.replace(allowed, " ")
            runs = CJK_RUN.findall(rest)
            what = "Chinese in the English interface"
        if runs:
            findings.append(Finding(page, element, text, f"{what}: " + ", ".join(map(repr, runs))))
    return findings


def _is_data(value: str, data: DataStrings) -> bool:
    return any(value in s for s in data.strings)


def collect(page) -> list[tuple[str, str]]:
    """(element, text) of every interface text on the page."""
    return [tuple(pair) for pair in page.evaluate(COLLECT_JS, list(NAME_ATTRIBUTES))]


def playbook_strings(folder: Path) -> tuple[set[str], set[str]]:
    """(English-only, Chinese-only) texts of the shipped playbooks: content with no translation.

    Such content may show in the other language's interface (the fallback); content the
    playbook gives in both languages may not.
    """
    from ruamel.yaml import YAML

    english_only: set[str] = set()
    chinese_only: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            keys = set(node)
            if keys and keys <= {"en", "zh"} and all(isinstance(node[k], str) for k in keys):
                en, zh = node.get("en") or "", node.get("zh") or ""
                if en and not zh:
                    english_only.add(" ".join(en.split()))
                if zh and not en:
                    chinese_only.add(" ".join(zh.split()))
                return
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, str) and not CJK.search(node):
            english_only.add(" ".join(node.split()))  # a plain field: a unit, an owner's role

    yaml = YAML(typ="safe")
    for path in sorted(folder.glob("*.yaml")):
        walk(yaml.load(path.read_text(encoding="utf-8")))
    return english_only, chinese_only


def demo_strings(paths: Iterable[Path], interface: Collection[str] = ()) -> set[str]:
    """The texts the demo loader writes (its string literals): demo data, not interface.

    A text of several lines counts line by line too (attendees, one a line, are shown joined
    by commas), except a line that is also an interface message (``interface``: the
    catalogue's message ids), which must still be translated wherever the interface shows it.
    """
    import ast

    found: set[str] = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = " ".join(node.value.split())
                if len(text) > 2 and " " in text:
                    found.add(text)
                lines = [" ".join(line.split()) for line in node.value.splitlines()]
                if len(lines) > 1:
                    found.update(x for x in lines if len(x) > 2 and x not in interface)
                if "{}" in text:
                    # a template the loader fills with the demo's own data (risks_story's
                    # Reading: "Duplicate rate down to {}%; keep the campaign running."):
                    # its parts are demo text, as an f-string's are below
                    found.update(_literal_parts(text.split("{}")))
            elif isinstance(node, ast.JoinedStr):
                # an f-string quoting the demo's own data ("Duplicate rate down to {…}%;
                # keep the campaign running."): its literal parts are demo text too, without
                # the punctuation that joins them to the values
                found.update(
                    _literal_parts(
                        part.value
                        for part in node.values
                        if isinstance(part, ast.Constant) and isinstance(part.value, str)
                    )
                )
    return found


def _literal_parts(parts: Iterable[str]) -> set[str]:
    """The literal parts of a text filled with values, without the punctuation that joins
    them to the values."""
    stripped = (" ".join(part.split()).strip(" %;:,.()") for part in parts)
    return {text for text in stripped if len(text) > 2 and " " in text}


def interface_messages(catalogue: Path) -> set[str]:
    """The message ids of a gettext catalogue (.po), whitespace normalised."""
    from babel.messages.pofile import read_po

    with catalogue.open("rb") as handle:
        messages = read_po(handle)
    found: set[str] = set()
    for message in messages:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        found.update(" ".join(str(i).split()) for i in ids if i)
    return found
