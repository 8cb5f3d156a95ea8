"""The Chinese catalogue is complete: every message translated, nothing the code uses missing,
and every placeholder of a message kept in its translation.

The extraction is the one ``make`` runs (``pybabel extract -F babel.cfg -k _l``), done in
process: the patterns and methods of babel.cfg, Babel's default keywords plus ``_l``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "translations" / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None}
# a printf placeholder with a name: %(name)s, %(n)d, %(share).1f … (never the escape %%)
PLACEHOLDER = re.compile(r"(?<!%)(?:%%)*%\((\w+)\)[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")


@pytest.fixture(scope="module")
def catalogue() -> Catalog:
    with CATALOGUE.open("rb") as handle:
        return read_po(handle, locale="zh_Hans_CN")


def _entries(catalogue: Catalog) -> Iterator[Message]:
    return (message for message in catalogue if message.id)  # not the header


def _ids(message: Message) -> tuple[str, ...]:
    return tuple(message.id) if isinstance(message.id, list | tuple) else (message.id,)


def _strings(message: Message) -> tuple[str, ...]:
    return tuple(message.string) if isinstance(message.string, list | tuple) else (message.string,)


def _label(message: Message) -> str:
    where = ", ".join(f"{path}:{line}" for path, line in message.locations[:3])
    return f"{_ids(message)[0]!r}" + (f" ({where})" if where else "")


def test_every_message_is_translated(catalogue: Catalog) -> None:
    untranslated = [
        _label(m) for m in _entries(catalogue) if not all(s.strip() for s in _strings(m))
    ]
    fuzzy = [_label(m) for m in _entries(catalogue) if m.fuzzy]
    assert not untranslated, f"{len(untranslated)} without a translation:\n" + "\n".join(
        untranslated
    )
    assert not fuzzy, f"{len(fuzzy)} marked fuzzy (to check):\n" + "\n".join(fuzzy)


def _extracted() -> dict[tuple[str, str | None], list[str]]:
    """Every message the code and templates use → where (``path:line``)."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found: dict[tuple[str, str | None], list[str]] = {}
    for path, line, msgid, _comments, context in extract_from_dir(
        str(ROOT),
        method_map,
        options_map,
        keywords=KEYWORDS,
        # only the folders babel.cfg names are worth walking (not node_modules, .venv …)
        directory_filter=lambda d: Path(d).relative_to(ROOT).parts[0] in {"planner", "templates"},
    ):
        singular = msgid[0] if isinstance(msgid, tuple) else msgid
        if singular:
            found.setdefault((singular, context), []).append(f"{path}:{line}")
    return found


def test_the_extraction_finds_nothing_the_catalogue_lacks(catalogue: Catalog) -> None:
    extracted = _extracted()
    assert len(extracted) > 500  # the extraction really ran over the code and templates
    missing = sorted(
        (msgid, context, places)
        for (msgid, context), places in extracted.items()
        if catalogue.get(msgid, context=context) is None
    )
    assert not missing, f"{len(missing)} messages are not in {CATALOGUE.name}:\n" + "\n".join(
        f"{msgid!r}{f' (context {context!r})' if context else ''} at {', '.join(places[:3])}"
        for msgid, context, places in missing
    )


def test_translations_keep_every_placeholder(catalogue: Catalog) -> None:
    problems = []
    for message in _entries(catalogue):
        wanted = {name for text in _ids(message) for name in PLACEHOLDER.findall(text)}
        for text in _strings(message):
            if not text:
                continue  # reported as untranslated
            have = set(PLACEHOLDER.findall(text))
            if wanted - have:
                problems.append(f"{_label(message)} lacks {sorted(wanted - have)}: {text!r}")
            if have - wanted:  # gettext would fail with a KeyError on these
                problems.append(f"{_label(message)} has unknown {sorted(have - wanted)}: {text!r}")
    assert not problems, f"{len(problems)} translations with wrong placeholders:\n" + "\n".join(
        problems
    )


def test_the_placeholder_pattern() -> None:
    text = "%(n)d items, %(share).1f%% done by %(who)s; not %%(escaped)s"
    assert PLACEHOLDER.findall(text) == ["n", "share", "who"]
