"""Messages of the file readers as codes with parameters, worded where they are shown.

A :class:`Message` is a ``str`` (its English wording, so logs, tests and every caller that
joins messages keep working) that also carries its template — an English msgid of the
translation catalogue — and its parameters. The web layer words it in the reader's language
with :func:`localize`. Parameters may be messages themselves (a task named inside a
sentence); other values are shown as they are (names, keys and numbers from the file).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["Message", "N_", "localize"]


def N_(text: str) -> str:  # noqa: N802 (the conventional gettext marker; `make messages` -k N_)
    """Mark a template for the catalogue; translated when shown, not here."""
    return text


class Message(str):
    """English text with the template and parameters it was made of.

    >>> m = Message("task UID %(uid)s “%(name)s”", uid=2, name="Kick-off")
    >>> str(m), m.template, m.params["uid"]
    ('task UID 2 “Kick-off”', 'task UID %(uid)s “%(name)s”', 2)
    >>> localize(m, lambda t: t.replace("task", "任务"))
    '任务 UID 2 “Kick-off”'
    """

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, **params: Any) -> Message:
        obj = super().__new__(cls, template % params if params else template)
        obj.template = template
        obj.params = params
        return obj

    def __reduce__(self) -> tuple[Any, ...]:  # pickled (e.g. cached) as plain text
        return (str, (str(self),))


def localize(text: object, translate: Callable[[str], str]) -> str:
    """``text`` in the reader's language when it is a :class:`Message`, else as it is."""
    if not isinstance(text, Message):
        return str(text)
    params = {key: localize(value, translate) if isinstance(value, Message) else value
              for key, value in text.params.items()}  # fmt: skip
    template = translate(text.template)
    try:
        return template % params if params else template
    except (KeyError, TypeError, ValueError):  # a broken translation: English, never a crash
        return str(text)
