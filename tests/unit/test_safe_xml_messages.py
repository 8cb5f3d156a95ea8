"""The safe XML reader refuses with codes, worded in the reader's language."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from planner.domain.errors import ImportFormatError
from planner.interop.safe_xml import parse


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "xml.empty"),
        (b"  \n", "xml.empty"),
        (b"PK\x03\x04rest", "xml.zip"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 10, "xml.binary"),
        (b'<!DOCTYPE p [<!ENTITY e "x">]><p>&e;</p>', "xml.doctype"),
        (b"<p><q></p>", "xml.not_well_formed"),
    ],
)
def test_refusals_are_coded(data: bytes, code: str) -> None:
    with pytest.raises(ImportFormatError) as caught:
        parse(data, "MS Project XML")
    assert [p.code for p in caught.value.problems] == [code]


def test_a_broken_file_reads_in_chinese(app) -> None:
    with pytest.raises(ImportFormatError) as caught:
        parse(b"<p>\n<q></p>", "MS Project XML")
    with app.app_context():
        with force_locale("en"):
            assert caught.value.errors == [
                ("line 2, column 6", "this is not well-formed MS Project XML (mismatched tag)")
            ]
        with force_locale("zh_Hans_CN"):
            assert caught.value.errors == [
                ("第 2 行，第 6 列", "这不是格式正确的 MS Project XML（mismatched tag）")
            ]
