"""Build step: a wheel carries the folders that sit beside the package in a checkout.

``templates/ static/ translations/ playbooks/ migrations/`` stay at the top level of the
repository; ``pip install .`` copies them into ``planner/_shipped/`` and compiles the
Chinese catalogue, so an installed app finds them (``planner.config.PROJECT_ROOT``).
Everything else is in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SHIPPED_FOLDERS = ("templates", "static", "translations", "playbooks", "migrations")
ROOT = Path(__file__).resolve().parent


class BuildWithShippedFolders(build_py):
    """Copy the shipped folders into the built package, and compile the catalogues."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install reads them from the checkout
            return
        target = Path(self.build_lib) / "planner" / "_shipped"
        # a build folder kept from an earlier build may hold files removed since (an old
        # migration would make two heads): start from nothing
        shutil.rmtree(target, ignore_errors=True)
        for name in SHIPPED_FOLDERS:
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(
                    source,
                    target / name,
                    dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.pot"),
                )
        self._compile_catalogues(target / "translations")

    @staticmethod
    def _compile_catalogues(folder: Path) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po_path in folder.glob("*/LC_MESSAGES/*.po"):
            with po_path.open("rb") as handle:
                catalogue = read_po(handle)
            with po_path.with_suffix(".mo").open("wb") as handle:
                write_mo(handle, catalogue, use_fuzzy=True)


setup(cmdclass={"build_py": BuildWithShippedFolders})
