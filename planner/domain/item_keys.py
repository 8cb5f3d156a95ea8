"""A work item's key made from its name (issue 20): readable, short, unique in the program.

Latin words of the name make a slug (``"Pilot the new CRM"`` → ``pilot-new-crm``); a name
without Latin letters (a Chinese name) gets a short prefix and a number (``item-12``): no
transliteration, which would guess readings. Keys follow the plan editor's pattern: letters,
digits, ``.``, ``_``, ``-``, starting with a letter or digit, at most 64 characters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

PREFIX = "item"  # the key of a name without Latin words: item-<n>
MAX_WORDS = 4
MAX_LENGTH = 32  # a slug longer than this is cut at a word boundary
KEY_LIMIT = 64
_WORD = re.compile(r"[a-z0-9]+")
# words that say nothing in a key, left out when the name has others
_FILLER = frozenset(
    "a an and at by for from in into of on or the to with".split(),
)


def slug(name: str) -> str:
    """The Latin words of ``name`` as a lower-case slug; ``""`` if it has none.

    >>> slug("Pilot the new CRM"), slug("Go-live: Wave 2"), slug("Données clés"), slug("上线")
    ('pilot-new-crm', 'go-live-wave-2', 'donnees-cles', '')
    """
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    words = _WORD.findall(ascii_text.lower())
    meaningful = [w for w in words if w not in _FILLER] or words
    kept: list[str] = []
    for word in meaningful[:MAX_WORDS]:
        if kept and len("-".join([*kept, word])) > MAX_LENGTH:
            break
        kept.append(word[:MAX_LENGTH])
    return "-".join(kept)


def unique_key(base: str, taken: Collection[str]) -> str:
    """``base``, or ``base-2``, ``base-3`` … when taken (shortened to fit 64 characters).

    >>> unique_key("pilot", {"pilot", "pilot-2"}), unique_key("pilot", set())
    ('pilot-3', 'pilot')
    """
    lowered = {k.lower() for k in taken}
    if base.lower() not in lowered:
        return base
    n = 2
    while True:
        suffix = f"-{n}"
        candidate = base[: KEY_LIMIT - len(suffix)] + suffix
        if candidate.lower() not in lowered:
            return candidate
        n += 1


def numbered_key(taken: Collection[str], prefix: str = PREFIX) -> str:
    """``<prefix>-<n>`` with ``n`` above every number that key form already uses.

    >>> numbered_key({"item-3", "x"}), numbered_key(set())
    ('item-4', 'item-1')
    """
    pattern = re.compile(rf"^{re.escape(prefix)}-(\d+)$", re.IGNORECASE)
    numbers = [int(m.group(1)) for k in taken if (m := pattern.match(k))]
    return unique_key(f"{prefix}-{max(numbers, default=0) + 1}", taken)


def key_for(name: str, taken: Collection[str]) -> str:
    """The key a new item named ``name`` gets: its slug, else ``item-<n>``; never one taken.

    >>> key_for("Train the sales reps", {"train-sales-reps"}), key_for("培训销售代表", {"item-1"})
    ('train-sales-reps-2', 'item-2')
    """
    base = slug(name)
    return unique_key(base, taken) if base else numbered_key(taken)
