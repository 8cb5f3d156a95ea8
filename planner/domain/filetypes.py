"""What a file is, read from its bytes (never from its name), and whether it may be kept.

Evidence is documents, spreadsheets, slides, images and text. Programs and scripts are
refused whatever their name says; so is anything whose bytes match no known kind.
"""

from __future__ import annotations

import io
import re
import zipfile

from planner.domain.errors import ValidationError

# names that run when opened, whatever the bytes look like
_RUNNABLE_SUFFIXES = frozenset(
    {
        "exe", "dll", "com", "bat", "cmd", "msi", "scr", "ps1", "vbs", "js", "jar", "sh",
        "app", "apk", "html", "htm", "svg", "xhtml", "hta", "lnk", "reg", "py", "php",
    }
)  # fmt: skip
_EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe")
_OFFICE = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
_MARKUP = re.compile(rb"<\s*(html|script|svg|iframe|body|!doctype)", re.IGNORECASE)


def sniff(data: bytes) -> str | None:
    """The content type the bytes are, or None for a kind not kept."""
    head = data[:16]
    if head.startswith(_EXECUTABLE_MAGIC) or head.startswith(b"#!"):
        return None
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"PK\x03\x04"):
        return _office_type(data)
    return _text_type(data)


def _office_type(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None  # a plain zip may carry anything: not kept
    for prefix, content_type in _OFFICE.items():
        if any(name.startswith(prefix) for name in names):
            return content_type
    return None


def _text_type(data: bytes) -> str | None:
    if b"\x00" in data[:4096]:
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if _MARKUP.search(data[:4096]):
        return None  # a web page or script saved as .txt
    return "text/plain"


def check_upload(filename: str, data: bytes, max_bytes: int) -> str:
    """The checked content type of an upload, or a coded refusal."""
    if not data:
        raise ValidationError.of("file", "attachment.empty")
    if len(data) > max_bytes:
        raise ValidationError.of("file", "attachment.too_large", max_mb=round(max_bytes / 2**20, 1))
    suffix = filename.rsplit(".", 1)[-1].casefold() if "." in filename else ""
    content_type = sniff(data)
    if suffix in _RUNNABLE_SUFFIXES or content_type is None:
        raise ValidationError.of("file", "attachment.type_refused", name=filename)
    return content_type


def safe_filename(name: str) -> str:
    """A name fit for a Content-Disposition header and a listing (no path, no controls)."""
    base = re.split(r"[\\/]", name)[-1]
    cleaned = "".join(ch for ch in base if ch.isprintable() and ch not in '"<>|:*?').strip(". ")
    return cleaned[:200] or "attachment"
