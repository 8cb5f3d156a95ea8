"""Where a page may send the browser after an action: one check for every ``next`` value.

Browsers drop tab, CR and LF from a URL before following it, so ``/\t/evil.example/`` is
``//evil.example/`` to them: a scheme-relative link to another host. The check therefore
runs on the value as the browser will read it — control and invisible format characters
removed first — and accepts only a path on this site.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from flask import url_for

#: Longer ``next`` values are not something this app ever builds.
MAX_NEXT_LENGTH = 2000

# Cc: control characters (tab, CR, LF, NUL, DEL…); Cf: invisible format characters (zero
# width spaces, direction marks); Zl/Zp: line and paragraph separators
_INVISIBLE = frozenset({"Cc", "Cf", "Zl", "Zp"})


def local_path(target: str | None) -> str | None:
    """``target`` as a path on this site, or None when it could lead anywhere else.

    Examples:
        >>> local_path("/programs/1?tab=risks")
        '/programs/1?tab=risks'
        >>> local_path("/\\t/evil.example/") is None
        True
        >>> local_path("https://evil.example/") is None
        True
    """
    if not target or len(target) > MAX_NEXT_LENGTH:
        return None
    cleaned = "".join(ch for ch in target if unicodedata.category(ch) not in _INVISIBLE)
    cleaned = cleaned.strip()
    # browsers read a backslash as a slash in http URLs: "/\\host" is "//host"
    if not cleaned.startswith("/") or cleaned.startswith("//") or "\\" in cleaned:
        return None
    parts = urlsplit(cleaned)
    if parts.scheme or parts.netloc:
        return None
    return cleaned


def safe_next(target: str | None, fallback: str | None = None) -> str:
    """Where to go after an action: ``target`` if it is a local path, else ``fallback``
    (the programs list when none is given)."""
    return local_path(target) or fallback or url_for("programs.index")
