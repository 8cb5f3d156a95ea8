"""The installed playbooks: shipped ones and those in PLANNER_PLAYBOOK_DIRS."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from planner.domain.errors import NotFoundError
from planner.domain.playbook import Playbook, PlaybookError, discover_playbooks


@dataclass(frozen=True)
class InstalledPlaybook:
    path: Path
    playbook: Playbook

    @property
    def ref(self) -> str:
        return f"{self.playbook.id}@{self.playbook.version}"


Signature = tuple[tuple[str, float], ...]
_cache: dict[Signature, tuple[list[InstalledPlaybook], list[PlaybookError]]] = {}


def _signature(dirs: list[Path]) -> Signature:
    files = []
    for directory in dirs:
        if directory.is_dir():
            files.extend((str(f), f.stat().st_mtime) for f in sorted(directory.glob("*.y*ml")))
    return tuple(files)


def installed_playbooks() -> tuple[list[InstalledPlaybook], list[PlaybookError]]:
    """Every valid playbook (sorted by id, then version) and the errors of invalid files."""
    dirs: list[Path] = [Path(d) for d in current_app.config["PLAYBOOK_DIRS"]]
    signature = _signature(dirs)
    if signature not in _cache:
        found, errors = discover_playbooks(dirs)
        installed = sorted(
            (InstalledPlaybook(path, pb) for path, pb in found),
            key=lambda i: (i.playbook.id, _version_key(i.playbook.version)),
        )
        _cache.clear()
        _cache[signature] = (installed, errors)
    return _cache[signature]


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def get_playbook(playbook_id: str, version: str | None = None) -> Playbook:
    """The playbook with this id (the newest version unless one is named)."""
    matches = [i for i in installed_playbooks()[0] if i.playbook.id == playbook_id]
    if version is not None:
        matches = [i for i in matches if i.playbook.version == version]
    if not matches:
        wanted = f"{playbook_id}@{version}" if version else playbook_id
        raise NotFoundError(f'no installed playbook "{wanted}"')
    return matches[-1].playbook
