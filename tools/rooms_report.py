#!/usr/bin/env python3
"""Sizes of the rooms: the figures the "feature-sized modules" budget is held against.

Prints four lists, each with its count beside its budget:

- glue modules over 600 lines (everything in ``planner/`` but the pure algorithms of
  ``planner/domain/``);
- glue functions over 60 lines (same scope);
- functions anywhere in ``planner/`` with a cyclomatic complexity of grade D or worse
  (radon: 21 or more), budget 5;
- views (functions of ``planner/web`` and ``planner/api`` under a ``route``/``get``/
  ``post``/``put``/``patch``/``delete`` decorator) over 30 lines.

Run: ``python tools/rooms_report.py [planner]`` (radon comes with the dev extras).
Exit status 0 always: the figures are for the reader, the budgets are not a gate yet.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

from radon.complexity import cc_rank, cc_visit

MODULE_BUDGET = 600
FUNCTION_BUDGET = 60
VIEW_BUDGET = 30
GRADE_D_BUDGET = 5
VIEW_DECORATORS = {"route", "get", "post", "put", "patch", "delete"}


def _is_glue(path: Path, root: Path) -> bool:
    return "domain" not in path.relative_to(root).parts[:1]


def _functions(tree: ast.AST) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def _length(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    return (node.end_lineno or node.lineno) - first + 1


def _is_view(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(target, ast.Attribute) and target.attr in VIEW_DECORATORS:
            return True
    return False


def report(root: Path) -> list[str]:
    big_modules: list[tuple[int, str]] = []
    long_functions: list[tuple[int, str]] = []
    complex_functions: list[tuple[int, str]] = []
    long_views: list[tuple[int, str]] = []
    for path in sorted(root.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        name = path.as_posix()
        glue = _is_glue(path, root)
        lines = len(text.splitlines())
        if glue and lines > MODULE_BUDGET:
            big_modules.append((lines, name))
        tree = ast.parse(text)
        views = path.relative_to(root).parts[0] in {"web", "api"}
        for node in _functions(tree):
            length = _length(node)
            where = f"{name}:{node.lineno} {node.name}"
            if glue and length > FUNCTION_BUDGET:
                long_functions.append((length, where))
            if views and _is_view(node) and length > VIEW_BUDGET:
                long_views.append((length, where))
        for block in cc_visit(text):
            if cc_rank(block.complexity) in {"D", "E", "F"}:
                complex_functions.append(
                    (block.complexity, f"{name}:{block.lineno} {block.fullname}")
                )
    out: list[str] = []
    for title, rows, budget in (
        (f"glue modules over {MODULE_BUDGET} lines", big_modules, 0),
        (f"glue functions over {FUNCTION_BUDGET} lines", long_functions, 0),
        ("functions of radon grade D or worse (complexity)", complex_functions, GRADE_D_BUDGET),
        (f"views over {VIEW_BUDGET} lines", long_views, 0),
    ):
        out.append(f"{title}: {len(rows)} (budget {budget})")
        out.extend(f"  {size:5d}  {where}" for size, where in sorted(rows, reverse=True))
    return out


def main(argv: list[str]) -> int:
    root = Path(argv[1] if len(argv) > 1 else "planner")
    print("\n".join(report(root)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
