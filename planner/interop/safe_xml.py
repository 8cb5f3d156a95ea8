"""Parse XML from outside safely: no DTD, no entities, no network, a size limit.

Every XML file an importer reads goes through :func:`parse`. It uses defusedxml over the
standard library's expat parser and refuses any document type declaration outright, so
internal entities (the "billion laughs"), external entities (local files, URLs) and external
DTDs never get a chance to expand or load. Problems come back as
:class:`~planner.domain.errors.ImportFormatError` with a coded problem a person can act on
(``xml.*``, worded in the reader's language by planner/messages/safe_xml.py).
"""

from __future__ import annotations

from typing import Final
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import fromstring

from planner.domain.errors import ImportFormatError, Problem
from planner.interop.messages import N_, Message

__all__ = ["MAX_XML_BYTES", "local_name", "parse"]

MAX_XML_BYTES: Final = 50 * 1024 * 1024
"""Largest XML file accepted (50 MiB)."""

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"


def _refuse(where: str, code: str, **params: object) -> ImportFormatError:
    return ImportFormatError(problems=[Problem(where, code, params)])


def parse(data: bytes, what: str = "XML") -> Element:
    """The root element of ``data``; ImportFormatError if it is not safe, well-formed XML.

    ``what`` names the format expected (a product's name, such as "MS Project XML").

    Examples:
        >>> parse(b"<Project><Name>x</Name></Project>").find("Name").text
        'x'
        >>> try:
        ...     parse(b'<!DOCTYPE p [<!ENTITY e "x">]><p>&e;</p>')
        ... except ImportFormatError as error:
        ...     for p in error.problems:
        ...         print(f"{p.field}: {p.code} {dict(p.params)}")
        file: xml.doctype {}
    """
    if not isinstance(data, bytes | bytearray):
        raise TypeError("parse() takes the file's bytes")
    if len(data) > MAX_XML_BYTES:
        raise _refuse("file", "xml.too_big", max=str(MAX_XML_BYTES // (1024 * 1024)))
    head = bytes(data[:8])
    if head.startswith(_OLE_MAGIC):
        raise _refuse("file", "xml.binary", what=what)
    if head.startswith(_ZIP_MAGIC):
        raise _refuse("file", "xml.zip", what=what)
    if not bytes(data).strip():
        raise _refuse("file", "xml.empty")
    try:
        return fromstring(bytes(data), forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DTDForbidden:
        raise _refuse("file", "xml.doctype") from None
    except EntitiesForbidden as exc:
        raise _refuse("file", "xml.entity", name=repr(exc.name)) from None
    except ExternalReferenceForbidden:
        raise _refuse("file", "xml.external") from None
    except ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(":", 1)[0]
        where = Message(N_("line %(line)s, column %(column)s"), line=line, column=column + 1)
        raise _refuse(where, "xml.not_well_formed", what=what, reason=reason) from None


def local_name(tag: str) -> str:
    """A tag without its namespace.

    Examples:
        >>> local_name("{http://schemas.microsoft.com/project}Task"), local_name("Task")
        ('Task', 'Task')
    """
    return tag.rsplit("}", 1)[-1]
