"""The domain layer stays plain Python: importing it loads neither Flask nor SQLAlchemy."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import planner.domain


def test_domain_imports_neither_flask_nor_sqlalchemy() -> None:
    modules = [f"planner.domain.{m.name}" for m in pkgutil.iter_modules(planner.domain.__path__)]
    assert "planner.domain.playbook" in modules
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'flask', 'sqlalchemy'})\n"
        + "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
