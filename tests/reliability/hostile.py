"""Hostile inputs shared by the reliability tests."""

from __future__ import annotations

import io
import zipfile

XSS = '<script>alert("xss")</script>'
XSS_ATTR = '"><img src=x onerror=alert(1)>'
XSS_MARKERS = ("<script>alert(", "<img src=x onerror=")

XXE_FILE = b"""<?xml version="1.0"?>
<!DOCTYPE Project [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Project xmlns="http://schemas.microsoft.com/project"><Name>&xxe;</Name></Project>"""

XXE_URL = b"""<?xml version="1.0"?>
<!DOCTYPE Project [<!ENTITY xxe SYSTEM "http://127.0.0.1:1/secret">]>
<Project xmlns="http://schemas.microsoft.com/project"><Name>&xxe;</Name></Project>"""

XXE_PARAMETER = b"""<?xml version="1.0"?>
<!DOCTYPE Project [<!ENTITY % remote SYSTEM "http://127.0.0.1:1/evil.dtd"> %remote;]>
<Project xmlns="http://schemas.microsoft.com/project"><Name>x</Name></Project>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE Project SYSTEM "http://127.0.0.1:1/project.dtd">
<Project xmlns="http://schemas.microsoft.com/project"><Name>x</Name></Project>"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<Project xmlns="http://schemas.microsoft.com/project"><Name>&lol9;</Name></Project>"""

HOSTILE_XML = {
    "xxe-file": XXE_FILE,
    "xxe-url": XXE_URL,
    "xxe-parameter-entity": XXE_PARAMETER,
    "external-dtd": EXTERNAL_DTD,
    "billion-laughs": BILLION_LAUGHS,
}

YAML_PYTHON_TAG = """id: evil
version: "1"
title: !!python/object/apply:os.system ["touch /tmp/planner-yaml-pwned"]
"""
YAML_CUSTOM_TAG = """id: evil
version: "1"
title: !include /etc/passwd
"""
YAML_ALIAS_BOMB = """a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""
YAML_MERGE_BOMB = """base: &base {id: x}
id: evil
version: "1"
<<: *base
"""

HOSTILE_YAML = {
    "python-tag": YAML_PYTHON_TAG,
    "custom-tag": YAML_CUSTOM_TAG,
    "alias-bomb": YAML_ALIAS_BOMB,
    "merge-alias": YAML_MERGE_BOMB,
}

FORMULAS = (
    '=HYPERLINK("http://evil.example","click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
)


def zip_bomb_xlsx(unpacked_mb: int = 120) -> bytes:
    """A file that looks like an .xlsx (it has xl/workbook.xml) and unpacks to a lot."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook/>')
        chunk = b" " * (1024 * 1024)
        with archive.open("xl/sharedStrings.xml", "w") as member:
            member.write(b'<?xml version="1.0"?><sst>')
            for _ in range(unpacked_mb):
                member.write(chunk)
            member.write(b"</sst>")
    return buffer.getvalue()


def many_parts_xlsx(parts: int = 5000) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        for n in range(parts):
            archive.writestr(f"xl/p{n}.xml", "")
    return buffer.getvalue()
