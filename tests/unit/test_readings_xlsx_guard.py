"""The readings import refuses a zip bomb or a non-zip before openpyxl opens it."""

from __future__ import annotations

import io
import zipfile

import pytest

from planner.domain.errors import ImportFormatError
from planner.interop import readings


def _bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (120 * 1024 * 1024))
    return buffer.getvalue()


@pytest.mark.parametrize("data", [_bomb(), b"not a zip at all"])
def test_bad_containers_are_refused_before_opening(data: bytes) -> None:
    with pytest.raises(ImportFormatError):
        list(readings._xlsx_rows(data))
