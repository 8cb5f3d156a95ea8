#!/usr/bin/env python3
"""Forbidden constructs, checked on the syntax tree of every Python file given.

Rules:

F001  ``yaml.load`` / ``yaml.unsafe_load`` / ``yaml.full_load`` / ``YAML(typ="unsafe")``:
      playbooks are read with ruamel.yaml's round-trip loader after their tags and aliases
      are checked (planner/domain/playbook.py).
F002  parsing XML with the standard library (``xml.dom``, ``xml.sax``, ``xml.parsers``,
      ``xml.etree`` ``parse``/``fromstring``/``XML``/``iterparse``/``XMLParser``…) or lxml:
      every XML file goes through planner/interop/safe_xml.py (defusedxml, no DTDs).
      Building and writing XML with ``Element``/``SubElement``/``tostring`` is fine.
F003  ``debug=True`` in a call, or assigning True to ``debug``/``DEBUG``: the debugger runs
      code typed into a browser.
F004  CSV writing (``csv.writer``/``csv.DictWriter``) in a module that does not use
      ``neutralise`` from planner/interop/neutralise.py: spreadsheet formula injection.

A line may carry ``# forbidden: allow F00N <reason>`` when a use is safe.

Run: ``python tools/check_forbidden.py planner`` (exit 1 and one line per finding if any).
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

XML_MODULES = ("xml.dom", "xml.sax", "xml.parsers")
ETREE_MODULES = (
    "xml.etree.ElementTree",
    "xml.etree.cElementTree",
    "xml.etree",
    "lxml.etree",
    "lxml.objectify",
    "lxml.html",
)
ETREE_PARSERS = {"parse", "fromstring", "XML", "iterparse", "XMLParser", "XMLPullParser",
                 "fromstringlist", "XMLID", "TreeBuilder"}  # fmt: skip
YAML_LOADERS = {"load", "load_all", "unsafe_load", "unsafe_load_all", "full_load",
                "full_load_all"}  # fmt: skip
ALLOWED_XML_FILES = ("planner/interop/safe_xml.py",)
ALLOW = re.compile(r"#\s*forbidden:\s*allow\s+(F\d{3})")


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.rule} {self.message}"


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base else node.attr
    return ""


class _Checker(ast.NodeVisitor):
    def __init__(self, path: str) -> None:
        self.path = path
        self.findings: list[Finding] = []
        self.aliases: dict[str, str] = {}  # local name → module or module.attribute
        self.csv_writers: list[int] = []
        self.uses_neutralise = False
        self.xml_allowed = path.replace("\\", "/").endswith(ALLOWED_XML_FILES)

    def add(self, node: ast.AST, rule: str, message: str) -> None:
        self.findings.append(Finding(self.path, getattr(node, "lineno", 0), rule, message))

    # imports -------------------------------------------------------------------------
    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.aliases[alias.asname or alias.name.split(".")[0]] = (
                alias.name if alias.asname else alias.name.split(".")[0]
            )
            if alias.name.startswith(XML_MODULES) and not self.xml_allowed:
                self.add(node, "F002", f"import {alias.name}: parse XML with safe_xml.parse")
        self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        for alias in node.names:
            local = alias.asname or alias.name
            self.aliases[local] = f"{module}.{alias.name}"
            if module.startswith(XML_MODULES) and not self.xml_allowed:
                self.add(node, "F002", f"from {module} import {alias.name}: use safe_xml.parse")
            if module in ETREE_MODULES and alias.name in ETREE_PARSERS and not self.xml_allowed:
                self.add(node, "F002", f"{alias.name} from {module}: use safe_xml.parse")
            if module == "yaml" and alias.name in YAML_LOADERS:
                self.add(node, "F001", f"yaml.{alias.name}: playbooks use parse_playbook")
            if alias.name == "neutralise" and module.endswith("neutralise"):
                self.uses_neutralise = True
        self.generic_visit(node)

    # calls ---------------------------------------------------------------------------
    def _resolve(self, dotted: str) -> str:
        head, _, rest = dotted.partition(".")
        base = self.aliases.get(head, head)
        return f"{base}.{rest}" if rest else base

    def visit_Call(self, node: ast.Call) -> None:
        name = self._resolve(_dotted(node.func))
        module, _, attr = name.rpartition(".")
        if module in ("yaml", "ruamel.yaml") and attr in YAML_LOADERS:
            self.add(node, "F001", f"{name}(): playbooks use parse_playbook")
        if attr == "YAML" or name.endswith("ruamel.yaml.YAML"):
            for keyword in node.keywords:
                if (
                    keyword.arg == "typ"
                    and isinstance(keyword.value, ast.Constant)
                    and keyword.value.value in ("unsafe", "full")
                ):
                    self.add(node, "F001", f'YAML(typ="{keyword.value.value}") constructs objects')
        if not self.xml_allowed and (
            (module in ETREE_MODULES and attr in ETREE_PARSERS) or module.startswith(XML_MODULES)
        ):
            self.add(node, "F002", f"{name}(): parse XML with safe_xml.parse")
        for keyword in node.keywords:
            if (
                keyword.arg == "debug"
                and isinstance(keyword.value, ast.Constant)
                and keyword.value.value is True
            ):
                self.add(node, "F003", f"{name or 'call'}(debug=True)")
        if name in ("csv.writer", "csv.DictWriter"):
            self.csv_writers.append(node.lineno)
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        if node.id == "neutralise" and self.aliases.get("neutralise", "").endswith("neutralise"):
            self.uses_neutralise = True
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr == "neutralise" and "neutralise" in self._resolve(_dotted(node.value)):
            self.uses_neutralise = True
        self.generic_visit(node)

    def _true_assignment(
        self, targets: Iterable[ast.AST], value: ast.AST | None, node: ast.AST
    ) -> None:
        if not (isinstance(value, ast.Constant) and value.value is True):
            return
        for target in targets:
            name = _dotted(target).rsplit(".", 1)[-1]
            if name in ("debug", "DEBUG"):
                self.add(node, "F003", f"{_dotted(target)} = True")

    def visit_Assign(self, node: ast.Assign) -> None:
        self._true_assignment(node.targets, node.value, node)
        for target in node.targets:
            if (
                isinstance(target, ast.Subscript)
                and isinstance(target.slice, ast.Constant)
                and target.slice.value == "DEBUG"
                and isinstance(node.value, ast.Constant)
                and node.value.value is True
            ):
                self.add(node, "F003", '["DEBUG"] = True')
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self._true_assignment([node.target], node.value, node)
        self.generic_visit(node)

    def finish(self) -> list[Finding]:
        if self.csv_writers and not self.uses_neutralise:
            for line in self.csv_writers:
                self.findings.append(
                    Finding(
                        self.path,
                        line,
                        "F004",
                        "CSV written without planner.interop.neutralise.neutralise",
                    )
                )
        return self.findings


def check_source(source: str, path: str = "<string>") -> list[Finding]:
    """Findings in one file's text (an ``allow`` comment on the line silences one rule)."""
    tree = ast.parse(source, filename=path)
    checker = _Checker(path)
    checker.visit(tree)
    lines = source.splitlines()
    kept = []
    for finding in checker.finish():
        text = lines[finding.line - 1] if 0 < finding.line <= len(lines) else ""
        allowed = ALLOW.search(text)
        if allowed and allowed.group(1) == finding.rule:
            continue
        kept.append(finding)
    return kept


def python_files(paths: Iterable[str]) -> Iterator[Path]:
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.py") if ".venv" not in p.parts)
        elif path.suffix == ".py":
            yield path


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    findings = []
    for file in python_files(args or ["planner"]):
        findings.extend(check_source(file.read_text(encoding="utf-8"), str(file)))
    for finding in findings:
        print(finding)
    if findings:
        print(f"{len(findings)} forbidden construct(s)", file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
