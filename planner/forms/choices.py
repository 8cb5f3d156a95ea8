"""Options of select, radio and checkbox fields, in the form WTForms prefers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

try:  # WTForms 3.3 deprecates (value, label) tuples in favour of SelectChoice
    from wtforms.fields.choices import SelectChoice
except ImportError:  # pragma: no cover - older WTForms

    def SelectChoice(value: str, label: Any) -> Any:  # noqa: N802
        return (value, label)


def choices(pairs: Iterable[tuple[object, object]]) -> list[Any]:
    """Options from ``(value, label)`` pairs; values are sent as text (``coerce`` turns
    them back into numbers where a field needs it)."""
    return [SelectChoice(str(value), label) for value, label in pairs]
