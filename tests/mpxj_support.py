"""MPXJ (the Java library behind ProjectLibre and many other tools) as an independent reader
and MS-Project-compatible scheduler of our MSPDI files, through JPype.

:func:`mpxj_jvm` starts the Java VM once per test session (JPype cannot restart one). Where
Java or the ``mpxj``/``JPype1`` packages are missing the tests that use it are skipped with
the reason; in CI (``CI=true``) they fail instead, since CI installs both.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest


def missing() -> str | None:
    """Why MPXJ cannot run here, or None."""
    if shutil.which("java") is None:
        return "no Java runtime on PATH (apt-get install default-jre-headless)"
    try:
        import jpype  # noqa: F401
        import mpxj  # noqa: F401
    except ImportError as exc:
        return f"the Python package {exc.name} is missing (pip install mpxj JPype1)"
    return None


@pytest.fixture(scope="session")
def mpxj_jvm() -> Iterator[None]:
    """A running Java VM with MPXJ's jars on the class path."""
    why = missing()
    if why is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the MPXJ cross-checks: {why}")
        pytest.skip(why)
    import jpype
    import mpxj  # noqa: F401  (adds MPXJ's jars to JPype's class path)

    if not jpype.isJVMStarted():
        jpype.startJVM()
    yield


def read_project(data: bytes) -> Any:
    """The MSPDI file as MPXJ's ProjectFile."""
    from java.io import ByteArrayInputStream
    from org.mpxj.reader import UniversalProjectReader

    return UniversalProjectReader().read(ByteArrayInputStream(data))


def write_mspdi(project: Any) -> bytes:
    """MPXJ's own MSPDI of a ProjectFile."""
    from java.io import ByteArrayOutputStream
    from org.mpxj.mspdi import MSPDIWriter

    out = ByteArrayOutputStream()
    MSPDIWriter().write(project, out)
    return bytes(out.toByteArray())


def schedule_like_ms_project(project: Any) -> None:
    """Reschedule with ``org.mpxj.cpm.MicrosoftScheduler`` from the project's start date."""
    from org.mpxj.cpm import MicrosoftScheduler

    MicrosoftScheduler().schedule(project, project.getProjectProperties().getStartDate())


def day(value: Any) -> dt.date | None:
    """A Java LocalDate or LocalDateTime as a date."""
    if value is None:
        return None
    return dt.date.fromisoformat(str(value)[:10])


def custom(project: Any, task: Any, alias: str) -> Any:
    """A task's value of the custom field with this alias (None when unset)."""
    from org.mpxj import FieldTypeClass

    field = project.getCustomFields().getFieldTypeByAlias(FieldTypeClass.TASK, alias)
    return None if field is None else task.get(field)


def work_tasks(project: Any) -> list[Any]:
    """The tasks that are not summaries, in file order."""
    return [t for t in project.getTasks() if not t.getSummary()]
