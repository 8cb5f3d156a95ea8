"""Every example in planner/'s docstrings still holds, module by module.

The examples are the first thing a reader copies. Only a handful of modules had a test of
their own running them, so examples elsewhere went stale unnoticed (a message that became a
code, a name the example never imported); this one test runs them all and, when one breaks,
names its module.

An example of a refusal shows the error's coded problems, not ``str(error)``: the words
depend on whether planner.explain_text has installed the wording (tests/conftest.py imports
it; ``pytest --doctest-modules planner/interop`` does not), so only the codes hold everywhere.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from typing import NoReturn

import pytest

import planner

# planner.ops.wsgi makes the app when imported (create_app() with the settings in the
# environment, then gc.freeze() of the whole process): importing it would build an app the
# test never asked for and freeze the test process's objects. It has no examples.
SKIPPED = frozenset({"planner.ops.wsgi"})


def _unimportable(package: str) -> NoReturn:
    # walk_packages skips a package it cannot import, and with it every module inside: that
    # would quietly test fewer modules, so it fails instead (called while the error is handled)
    raise ImportError(f"{package} cannot be imported: its modules' examples would go unchecked")


def _module_names() -> list[str]:
    """The package and every module under it (walking imports the packages, not the modules)."""
    walked = pkgutil.walk_packages(planner.__path__, "planner.", onerror=_unimportable)
    return sorted({"planner", *(info.name for info in walked)} - SKIPPED)


@pytest.mark.parametrize("name", _module_names())
def test_the_examples_of_every_module_hold(name: str) -> None:
    module = importlib.import_module(name)
    # ELLIPSIS: `pytest --doctest-modules` allows it by default, so an example may rely on it.
    # verbose=False, else testmod reads pytest's own -v in sys.argv and prints every example.
    # exclude_empty: a docstring without examples is no test (as under --doctest-modules); run
    # anyway, each one re-stats every source file read so far, which doubled this test's time
    result = doctest.testmod(
        module, optionflags=doctest.ELLIPSIS, verbose=False, exclude_empty=True
    )
    # the failing examples, expected and got, are in the captured stdout (testmod's report)
    assert result.failed == 0, f"{name}: {result.failed} of {result.attempted} examples failed"
