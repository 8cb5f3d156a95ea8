"""The installed playbooks: shipped ones, those in PLANNER_PLAYBOOK_DIRS, and uploaded ones.

Files are read once per change of the directories (their names and modification times),
and each file is parsed once per content: the parsed playbook is kept in the instance
folder by the file's checksum (``cache/playbooks``), so a new process — ``planner demo``, a
gunicorn worker — reads it back instead of parsing the YAML again. Uploaded playbooks live
in the database (:class:`~planner.models.library.PlaybookUpload`) and are parsed once per
checksum. A file wins over an upload with the same id and version
(the upload page refuses such an upload, but a directory can gain the file later).
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Literal

from flask import current_app
from sqlalchemy import inspect, select

import planner.domain.playbook as playbook_domain
import planner.domain.yaml_fast as yaml_fast
import planner.models.library  # noqa: F401  (registers the library tables)
from planner.config import SHIPPED_PLAYBOOKS
from planner.domain.errors import NotFoundError
from planner.domain.playbook import (
    Playbook,
    PlaybookError,
    discover_playbooks,
    load_playbook,
    parse_playbook,
    version_key,
)
from planner.extensions import db
from planner.models.library import PlaybookUpload

log = logging.getLogger(__name__)
Origin = Literal["shipped", "directory", "upload"]
ORIGINS: tuple[Origin, ...] = ("shipped", "directory", "upload")


@dataclass(frozen=True)
class InstalledPlaybook:
    """One installed playbook version and where it comes from.

    ``path`` is the file for shipped and directory playbooks, None for uploads.
    """

    path: Path | None
    playbook: Playbook
    origin: Origin = "shipped"
    upload_id: int | None = None
    sha256: str | None = None
    uploaded_by: str | None = None
    uploaded_at: datetime | None = None

    @property
    def ref(self) -> str:
        return f"{self.playbook.id}@{self.playbook.version}"

    @property
    def location(self) -> str:
        """Where it comes from, for a person: the file, or who uploaded it."""
        if self.path is not None:
            return str(self.path)
        return f"upload #{self.upload_id} by {self.uploaded_by}"


Signature = tuple[tuple[str, float], ...]
_cache: dict[Signature, tuple[list[InstalledPlaybook], list[PlaybookError]]] = {}
_parsed_uploads: dict[str, Playbook] = {}  # sha256 → playbook
_upload_errors: dict[str, PlaybookError] = {}  # sha256 → why it no longer loads
_tables_seen: set[str] = set()  # database URLs known to have the upload table


def _signature(dirs: list[Path]) -> Signature:
    files: list[tuple[str, float]] = []
    for directory in dirs:
        if directory.is_dir():
            files.extend((str(f), f.stat().st_mtime) for f in sorted(directory.glob("*.y*ml")))
    return tuple(files)


def _origin_of(path: Path) -> Origin:
    try:
        shipped = path.resolve().parent == SHIPPED_PLAYBOOKS.resolve()
    except OSError:
        shipped = False
    return "shipped" if shipped else "directory"


@cache
def _parser_version() -> str:
    """What a parsed playbook depends on besides its text: the parser's code and libraries
    (the model and rules, the reader of libyaml's nodes, ruamel, PyYAML's libyaml, pydantic)."""
    import pydantic
    import ruamel.yaml

    try:
        import yaml

        libyaml = getattr(yaml, "__version__", "?")
    except ImportError:
        libyaml = "none"
    material = Path(playbook_domain.__file__).read_bytes()
    material += Path(yaml_fast.__file__).read_bytes()
    material += f"{ruamel.yaml.__version__} {libyaml} {pydantic.VERSION}".encode()
    return hashlib.sha256(material).hexdigest()[:16]


def parsed_cache_dir() -> Path | None:
    """Where parsed playbooks are kept (None: not kept, as in tests unless asked)."""
    setting = current_app.config.get("PLANNER_PLAYBOOK_CACHE")
    if setting is False or (setting is None and current_app.testing):
        return None
    if isinstance(setting, str | Path):
        return Path(setting)
    return Path(current_app.instance_path) / "cache" / "playbooks"


def load_by_checksum(path: Path, folder: Path | None) -> Playbook:
    """The file's playbook, parsed once per content (kept in ``folder``) and validated."""
    if folder is None:
        return load_playbook(path)
    try:
        content = path.read_bytes()
    except OSError:
        return load_playbook(path)  # which words the error
    key = hashlib.sha256(content + _parser_version().encode()).hexdigest()
    kept = folder / f"{key}.pickle"
    try:
        # written below, in the instance folder (as the file cache's entries are)
        found = pickle.loads(kept.read_bytes())  # noqa: S301  # nosec B301
        if isinstance(found, Playbook):
            return found
    except FileNotFoundError:
        pass
    except Exception as exc:  # noqa: BLE001 - a damaged entry is parsed again
        log.warning("parsed playbook %s unreadable (%s): parsing", kept.name, type(exc).__name__)
    playbook = load_playbook(path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, delete=False, suffix=".tmp") as out:
            out.write(pickle.dumps(playbook, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(out.name, kept)  # readers see a whole file or none
    except OSError as exc:
        log.warning("parsed playbook not kept (%s)", type(exc).__name__)
    return playbook


def file_playbooks() -> tuple[list[InstalledPlaybook], list[PlaybookError]]:
    """The playbooks of the shipped directory and PLANNER_PLAYBOOK_DIRS (cached)."""
    dirs: list[Path] = [Path(d) for d in current_app.config["PLAYBOOK_DIRS"]]
    signature = _signature(dirs)
    if signature not in _cache:
        folder = parsed_cache_dir()
        found, errors = discover_playbooks(dirs, lambda path: load_by_checksum(path, folder))
        installed = [InstalledPlaybook(path, pb, _origin_of(path)) for path, pb in found]
        _cache.clear()
        _cache[signature] = (installed, errors)
    return _cache[signature]


def _has_upload_table() -> bool:
    # before the database is migrated (e.g. `planner playbook list` on a new install) there
    # are no uploads; only a positive answer is cached, so a later migration is seen
    url = str(db.engine.url)
    if url not in _tables_seen:
        if not inspect(db.engine).has_table(PlaybookUpload.__tablename__):
            return False
        _tables_seen.add(url)
    return True


def uploaded_playbooks() -> tuple[list[InstalledPlaybook], list[PlaybookError]]:
    """The playbooks stored in the database: one small query, each source parsed once."""
    if not _has_upload_table():
        return [], []
    # a caller may be half-way through its own changes: reading the library never flushes them
    with db.session.no_autoflush:
        return _uploaded()


def _uploaded() -> tuple[list[InstalledPlaybook], list[PlaybookError]]:
    rows = db.session.execute(
        select(
            PlaybookUpload.id,
            PlaybookUpload.sha256,
            PlaybookUpload.uploaded_by,
            PlaybookUpload.uploaded_at,
        ).order_by(PlaybookUpload.id)
    ).all()
    known = _parsed_uploads.keys() | _upload_errors.keys()
    missing = [row.id for row in rows if row.sha256 not in known]
    if missing:
        sources = db.session.execute(
            select(PlaybookUpload.id, PlaybookUpload.sha256, PlaybookUpload.source).where(
                PlaybookUpload.id.in_(missing)
            )
        ).all()
        for row in sources:
            try:
                _parsed_uploads[row.sha256] = parse_playbook(row.source, source=f"upload #{row.id}")
            except PlaybookError as exc:  # the rules tightened since it was uploaded
                _upload_errors[row.sha256] = exc
    installed = [
        InstalledPlaybook(
            None,
            _parsed_uploads[row.sha256],
            "upload",
            upload_id=row.id,
            sha256=row.sha256,
            uploaded_by=row.uploaded_by,
            uploaded_at=row.uploaded_at,
        )
        for row in rows
        if row.sha256 in _parsed_uploads
    ]
    errors = [_upload_errors[row.sha256] for row in rows if row.sha256 in _upload_errors]
    return installed, errors


def installed_playbooks() -> tuple[list[InstalledPlaybook], list[PlaybookError]]:
    """Every valid playbook (sorted by id, then version) and the errors of invalid ones."""
    files, file_errors = file_playbooks()
    uploads, upload_errors = uploaded_playbooks()
    return _merged(files, uploads), [*file_errors, *upload_errors]


def _merged(
    files: list[InstalledPlaybook], uploads: list[InstalledPlaybook]
) -> list[InstalledPlaybook]:
    """The files and the uploads no file has the id and version of, by id then version (a
    stable sort: equal versions keep the files' order, files before uploads)."""
    taken = {item.ref for item in files}
    return sorted(
        [*files, *(u for u in uploads if u.ref not in taken)],
        key=lambda i: (i.playbook.id, version_key(i.playbook.version)),
    )


_version_key = version_key  # the earlier private name


def find_installed(playbook_id: str, version: str | None = None) -> InstalledPlaybook:
    """The installed playbook with this id (the newest version unless one is named)."""
    files = file_playbooks()[0]
    if version is not None:
        # a file wins over an upload with the same id and version, so a file that has them
        # is the answer without reading the uploads (a query each time: programs ask for
        # their playbook dozens of times a page, and the demo's set-up 57 times); of several
        # such files, the last, as in the sorted list below
        exact = [i for i in files if i.playbook.id == playbook_id and i.playbook.version == version]
        if exact:
            return exact[-1]
    installed = _merged(files, uploaded_playbooks()[0])
    matches = [i for i in installed if i.playbook.id == playbook_id]
    if version is not None:
        matches = [i for i in matches if i.playbook.version == version]
    if not matches:
        wanted = f"{playbook_id}@{version}" if version else playbook_id
        raise NotFoundError.of("", "library.not_installed", playbook=wanted)
    return matches[-1]


def get_playbook(playbook_id: str, version: str | None = None) -> Playbook:
    """The playbook with this id (the newest version unless one is named)."""
    return find_installed(playbook_id, version).playbook
