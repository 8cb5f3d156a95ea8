"""Messages of the safe XML reader (planner/interop/safe_xml.py): files refused before they
are read (too big, not XML, a DTD or entities, not well-formed). ``what`` names the format
expected (a product's name, such as "MS Project XML")."""

from __future__ import annotations

from flask_babel import gettext

from planner.messages import Message

MESSAGES: dict[str, Message] = {
    "xml.too_big": lambda r, w: gettext("the file is larger than %(max)s MB", **w),
    "xml.binary": lambda r, w: gettext(
        "this is a binary file (such as an .mpp project), not %(what)s: in MS Project use "
        "File › Save As › XML",
        **w,
    ),
    "xml.zip": lambda r, w: gettext(
        "this is a zip file (such as an .xlsx workbook), not %(what)s", **w
    ),
    "xml.empty": lambda r, w: gettext("the file is empty"),
    "xml.doctype": lambda r, w: gettext(
        "the file has a document type declaration (DOCTYPE); XML files with a DTD or "
        "entities are refused for safety"
    ),
    "xml.entity": lambda r, w: gettext(
        "the file declares the entity %(name)s; entities are refused for safety", **w
    ),
    "xml.external": lambda r, w: gettext(
        "the file refers to an external resource; this is refused for safety"
    ),
    "xml.not_well_formed": lambda r, w: gettext(
        "this is not well-formed %(what)s (%(reason)s)", **w
    ),
}
