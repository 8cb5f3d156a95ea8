"""A playbook uploaded into the library: checked, stored once by its checksum, refused when its id
and version exist with other content.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import PurePath

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

import planner.models.library  # noqa: F401  (registers the library tables)
from planner.domain.errors import ConflictError, ValidationError
from planner.domain.playbook import (
    Playbook,
    PlaybookError,
    issue,
    parse_playbook,
)
from planner.extensions import db
from planner.models.library import PlaybookUpload
from planner.services.playbooks import (
    file_playbooks,
)

MAX_UPLOAD_BYTES = 1024 * 1024
"""Largest playbook the upload page accepts (the shipped ones are about 110 KB)."""


# --------------------------------------------------------------------------- upload


class UploadTooLarge(ValidationError):
    """The file is over :data:`MAX_UPLOAD_BYTES` (the page answers 413)."""


class UploadRefused(ConflictError):
    """The id and version are taken by another playbook (the page answers 409)."""


@dataclass(frozen=True)
class UploadResult:
    playbook: Playbook
    upload: PlaybookUpload
    already_installed: bool


#: Ids that would clash with the library's own addresses (/playbooks/upload).
RESERVED_IDS = frozenset({"upload"})
_SAFE_NAME = re.compile(r"[^A-Za-z0-9_.@+-]+")


def _clean_filename(filename: str) -> str:
    name = PurePath(filename.replace("\\", "/")).name
    return _SAFE_NAME.sub("_", name)[:200] or "playbook.yaml"


def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def upload_playbook(data: bytes, filename: str, uploaded_by: str) -> UploadResult:
    """Validate a playbook file exactly as ``planner playbook validate`` does and install it.

    Raises :class:`UploadTooLarge`, :class:`~planner.domain.playbook.PlaybookError` (every
    problem with its line) or :class:`UploadRefused`; then nothing is written. The same file
    sent twice is installed once (``already_installed``).
    """
    name = _clean_filename(filename)
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadTooLarge.of("file", "library.too_large", max_kb=MAX_UPLOAD_BYTES // 1024)
    if not data:
        raise PlaybookError([issue(name, None, "", "file_empty")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PlaybookError([issue(name, None, "", "not_utf8", offset=exc.start)]) from None
    playbook = parse_playbook(text, source=name)
    digest = checksum(data)
    ref = f"{playbook.id}@{playbook.version}"
    if playbook.id in RESERVED_IDS:
        raise UploadRefused.of("file", "library.reserved_id", id=playbook.id)
    for item in file_playbooks()[0]:
        if item.ref == ref:
            code = "library.shipped" if item.origin == "shipped" else "library.installed_file"
            file = item.path.name if item.path else ""
            raise UploadRefused.of("file", code, ref=ref, file=file)
    existing = db.session.scalar(
        select(PlaybookUpload).where(
            PlaybookUpload.playbook_id == playbook.id, PlaybookUpload.version == playbook.version
        )
    )
    if existing is not None:
        if existing.sha256 == digest:
            return UploadResult(playbook, existing, True)
        raise UploadRefused.of(
            "file",
            "library.other_content",
            ref=ref,
            who=existing.uploaded_by,
            day=existing.uploaded_at.date(),
        )
    upload = PlaybookUpload(
        playbook_id=playbook.id,
        version=playbook.version,
        source=text,
        sha256=digest,
        size_bytes=len(data),
        filename=name,
        uploaded_by=uploaded_by,
    )
    db.session.add(upload)
    try:
        db.session.flush()
    except IntegrityError:  # someone installed the same id and version a moment ago
        db.session.rollback()
        raise UploadRefused.of("file", "library.just_installed", ref=ref) from None
    return UploadResult(playbook, upload, False)
