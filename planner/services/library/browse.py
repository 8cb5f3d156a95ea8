"""The library page: installed playbooks as entries to filter, their versions, the programs on one,
and two versions compared.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

import planner.models.library  # noqa: F401  (registers the library tables)
from planner.domain.errors import NotFoundError
from planner.domain.explain import Explanation
from planner.domain.playbook import (
    Playbook,
    PlaybookError,
    Text,
)
from planner.domain.playbook_diff import (
    SECTIONS,
    Change,
    PlaybookDiff,
    describe,
    diff_playbooks,
)
from planner.extensions import db
from planner.models import (
    Program,
)
from planner.models.library import PlaybookUpload
from planner.services.playbooks import (
    ORIGINS,
    InstalledPlaybook,
    find_installed,
    installed_playbooks,
)

# --------------------------------------------------------------------------- browsing


@dataclass(frozen=True)
class LibraryEntry:
    """One installed playbook version as the library lists it."""

    installed: InstalledPlaybook
    title: str
    description: str
    latest: bool

    @property
    def playbook(self) -> Playbook:
        return self.installed.playbook

    @property
    def id(self) -> str:
        return self.playbook.id

    @property
    def version(self) -> str:
        return self.playbook.version

    @property
    def origin(self) -> str:
        return self.installed.origin

    @property
    def author(self) -> str:
        return self.playbook.author or ""

    @property
    def phase_count(self) -> int:
        return len(self.playbook.phases)

    @property
    def task_count(self) -> int:
        return self.playbook.task_count

    @property
    def milestone_count(self) -> int:
        return self.playbook.milestone_count

    @property
    def risk_count(self) -> int:
        return len(self.playbook.risks)

    @property
    def metric_count(self) -> int:
        return len(self.playbook.metrics)

    @property
    def indicator_count(self) -> int:
        model = self.playbook.maturity
        return sum(len(c.indicators) for c in model.categories) if model else 0

    @property
    def source_name(self) -> str:
        """The file name, or "upload #n"."""
        path = self.installed.path
        return path.name if path is not None else f"upload #{self.installed.upload_id}"


def text_of(text: Text | None, lang: str) -> str:
    """A playbook text in ``lang``, falling back to the other language; "" for none."""
    return text.get(lang) if text is not None else ""


@dataclass(frozen=True)
class LibraryFilters:
    """Search and filters of the library page, each a query argument."""

    q: str = ""
    origin: str = ""
    author: str = ""
    latest: bool = False

    @classmethod
    def from_args(cls, args: Mapping[str, Any]) -> LibraryFilters:
        origin = str(args.get("origin") or "")
        return cls(
            q=str(args.get("q") or "").strip()[:200],
            origin=origin if origin in ORIGINS else "",
            author=str(args.get("author") or "").strip()[:200],
            latest=str(args.get("latest") or "") in ("1", "on", "true", "yes"),
        )

    @property
    def active(self) -> bool:
        return bool(self.q or self.origin or self.author or self.latest)

    def matches(self, entry: LibraryEntry) -> bool:
        if self.origin and entry.origin != self.origin:
            return False
        if self.author and entry.author != self.author:
            return False
        if self.latest and not entry.latest:
            return False
        if self.q:
            pb = entry.playbook
            haystack = " ".join(
                part or ""
                for part in (
                    pb.id,
                    pb.version,
                    pb.title.en,
                    pb.title.zh,
                    pb.description.en if pb.description else None,
                    pb.description.zh if pb.description else None,
                    pb.author,
                )
            ).casefold()
            return all(word in haystack for word in self.q.casefold().split())
        return True


@dataclass(frozen=True)
class Library:
    entries: list[LibraryEntry]  # those that match the filters
    total: int
    authors: list[str]
    errors: list[PlaybookError]


def _entries(installed: Sequence[InstalledPlaybook], lang: str) -> list[LibraryEntry]:
    newest: dict[str, str] = {}
    for item in installed:  # sorted by id, then version: the last one is the newest
        newest[item.playbook.id] = item.playbook.version
    return [
        LibraryEntry(
            item,
            text_of(item.playbook.title, lang),
            text_of(item.playbook.description, lang),
            newest[item.playbook.id] == item.playbook.version,
        )
        for item in installed
    ]


def library(filters: LibraryFilters, lang: str) -> Library:
    """Every installed playbook version, filtered; and the files or uploads that fail."""
    installed, errors = installed_playbooks()
    entries = _entries(installed, lang)
    authors = sorted({e.author for e in entries if e.author})
    return Library([e for e in entries if filters.matches(e)], len(entries), authors, errors)


def entry(playbook_id: str, version: str, lang: str) -> LibraryEntry:
    """One installed version (raises NotFoundError)."""
    installed = find_installed(playbook_id, version)
    versions = versions_of(playbook_id, lang)
    latest = versions[0].version == installed.playbook.version
    return LibraryEntry(
        installed,
        text_of(installed.playbook.title, lang),
        text_of(installed.playbook.description, lang),
        latest,
    )


def versions_of(playbook_id: str, lang: str) -> list[LibraryEntry]:
    """Every installed version of a playbook, newest first (raises NotFoundError)."""
    installed = [i for i in installed_playbooks()[0] if i.playbook.id == playbook_id]
    if not installed:
        raise NotFoundError.of("", "library.not_installed", playbook=playbook_id)
    return list(reversed(_entries(installed, lang)))


def source_text(item: InstalledPlaybook) -> str:
    """The YAML of an installed playbook: the file, or the upload exactly as sent."""
    if item.path is not None:
        return item.path.read_text(encoding="utf-8")
    upload = db.session.get(PlaybookUpload, item.upload_id)
    if upload is None:
        raise NotFoundError.of("", "row.not_found")
    return upload.source


@dataclass(frozen=True)
class ProgramOnPlaybook:
    id: int
    name: str
    client: str
    version: str


def programs_on(playbook_id: str, program_ids: Iterable[int]) -> list[ProgramOnPlaybook]:
    """Of the given programs (those the user may read), the ones on this playbook."""
    ids = list(program_ids)
    if not ids:
        return []
    rows = db.session.execute(
        select(Program.id, Program.name, Program.client, Program.playbook_version)
        .where(Program.playbook_id == playbook_id, Program.id.in_(ids))
        .order_by(Program.name)
    )
    return [ProgramOnPlaybook(*row) for row in rows]


# --------------------------------------------------------------------------- diff


@dataclass(frozen=True)
class DiffSection:
    section: str
    lines: list[tuple[Change, Explanation]]
    counts: dict[str, int]


def compare(playbook_id: str, old_version: str, new_version: str) -> PlaybookDiff:
    """The structural diff between two installed versions of one playbook."""
    old = find_installed(playbook_id, old_version).playbook
    new = find_installed(playbook_id, new_version).playbook
    return diff_playbooks(old, new)


def diff_sections(diff: PlaybookDiff) -> list[DiffSection]:
    """The changes grouped by section (in the diff's order), each with its explanation (worded
    by the page, in the reader's language)."""
    summary = diff.summary()
    out = []
    for section in SECTIONS:
        changes = [c for c in diff.changes if c.section == section]
        if changes:
            out.append(
                DiffSection(
                    section,
                    [(c, describe(c)) for c in changes],
                    {kind: count for kind, count in summary[section].items()},
                )
            )
    return out
