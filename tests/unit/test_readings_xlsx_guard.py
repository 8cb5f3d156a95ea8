"""The readings import refuses a zip bomb or a non-zip before openpyxl opens it."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

import pytest

from planner.domain.errors import ImportFormatError
from planner.interop import readings


def _bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (120 * 1024 * 1024))
    return buffer.getvalue()


# made by the test, not at collection: a zip carries the time it was made (test ids built
# from it differed between pytest-xdist's workers, which then refused to run anything), and
# compressing 120 MB in every worker's collection slowed every run
@pytest.mark.parametrize(
    "make", [_bomb, lambda: b"not a zip at all"], ids=["zip-bomb", "not-a-zip"]
)
def test_bad_containers_are_refused_before_opening(make: Callable[[], bytes]) -> None:
    with pytest.raises(ImportFormatError):
        list(readings._xlsx_rows(make()))
