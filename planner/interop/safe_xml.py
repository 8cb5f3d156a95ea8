"""Parse XML from outside safely: no DTD, no entities, no network, a size limit.

Every XML file an importer reads goes through :func:`parse`. It uses defusedxml over the
standard library's expat parser and refuses any document type declaration outright, so
internal entities (the "billion laughs"), external entities (local files, URLs) and external
DTDs never get a chance to expand or load. Problems come back as
:class:`~planner.domain.errors.ImportFormatError` with a message a person can act on.
"""

from __future__ import annotations

from typing import Final
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import fromstring

from planner.domain.errors import ImportFormatError

__all__ = ["MAX_XML_BYTES", "local_name", "parse"]

MAX_XML_BYTES: Final = 50 * 1024 * 1024
"""Largest XML file accepted (50 MiB)."""

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"


def _refuse(where: str, message: str) -> ImportFormatError:
    return ImportFormatError(f"the file cannot be imported: {message}", [(where, message)])


def parse(data: bytes, what: str = "XML") -> Element:
    """The root element of ``data``; ImportFormatError if it is not safe, well-formed XML.

    Examples:
        >>> parse(b"<Project><Name>x</Name></Project>").find("Name").text
        'x'
        >>> parse(b'<!DOCTYPE p [<!ENTITY e "x">]><p>&e;</p>')
        Traceback (most recent call last):
        ...
        planner.domain.errors.ImportFormatError: the file cannot be imported: \
the file has a document type declaration (DOCTYPE); XML files with a DTD or entities are \
refused for safety
    """
    if not isinstance(data, bytes | bytearray):
        raise TypeError("parse() takes the file's bytes")
    if len(data) > MAX_XML_BYTES:
        raise _refuse("file", f"the file is larger than {MAX_XML_BYTES // (1024 * 1024)} MB")
    head = bytes(data[:8])
    if head.startswith(_OLE_MAGIC):
        raise _refuse(
            "file",
            f"this is a binary file (such as an .mpp project), not {what}: "
            "in MS Project use File › Save As › XML",
        )
    if head.startswith(_ZIP_MAGIC):
        raise _refuse("file", f"this is a zip file (such as an .xlsx workbook), not {what}")
    if not bytes(data).strip():
        raise _refuse("file", "the file is empty")
    try:
        return fromstring(bytes(data), forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DTDForbidden:
        raise _refuse(
            "file",
            "the file has a document type declaration (DOCTYPE); "
            "XML files with a DTD or entities are refused for safety",
        ) from None
    except EntitiesForbidden as exc:
        raise _refuse(
            "file", f"the file declares the entity {exc.name!r}; entities are refused for safety"
        ) from None
    except ExternalReferenceForbidden:
        raise _refuse(
            "file", "the file refers to an external resource; this is refused for safety"
        ) from None
    except ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(":", 1)[0]
        raise _refuse(
            f"line {line}, column {column + 1}", f"this is not well-formed {what} ({reason})"
        ) from None


def local_name(tag: str) -> str:
    """A tag without its namespace.

    Examples:
        >>> local_name("{http://schemas.microsoft.com/project}Task"), local_name("Task")
        ('Task', 'Task')
    """
    return tag.rsplit("}", 1)[-1]
