"""Fewer bytes over the wire: compressed responses and assets with versioned, long-lived URLs.

In the app (not only behind nginx), so ``planner demo`` and gunicorn on their own benefit:

* **Responses** (HTML, JSON, JavaScript, CSS, SVG, plain text) are compressed when the
  browser accepts it: brotli where the ``brotli`` wheel is installed, else gzip. Small
  bodies, streamed responses and responses already encoded are left alone.
* **Assets** (``/static/…`` and the plotly bundles) are compressed once per file version
  and kept in memory (brotli at its best quality: done once, read many times).
* **Versioned URLs**: ``url_for("static", filename=…)`` gets ``?v=<digest of the file>``;
  a versioned request is cached by the browser for a year (``immutable``), so a returning
  reader asks for nothing until the file changes — and then its URL changes.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, current_app, request
from werkzeug.security import safe_join

try:
    import brotli
except ImportError:  # pragma: no cover - brotli is a dependency; gzip still works
    brotli = None

COMPRESSIBLE = (
    "text/html",
    "text/css",
    "text/plain",
    "text/csv",
    "text/javascript",
    "application/javascript",
    "application/json",
    "application/problem+json",
    "application/xml",
    "image/svg+xml",
)
MIN_SIZE = 512
YEAR_S = 365 * 24 * 3600
UNVERSIONED_S = 3600
# dynamic bodies: fast settings (a 200 KB page in ~2 ms); assets: good, once per file
# version (quality 9: 0.4 s for a 1.2 MB bundle; 11 takes 8 s, so large files ship it
# precompressed)
DYNAMIC_BROTLI_QUALITY = 4
DYNAMIC_GZIP_LEVEL = 6
ASSET_BROTLI_QUALITY = 9


def chosen_encoding(accept_encoding: str) -> str | None:
    """``br`` or ``gzip`` (in that order of preference) when the client accepts it."""
    accepted = {
        part.split(";")[0].strip().lower()
        for part in accept_encoding.split(",")
        if not part.strip().endswith(";q=0")
    }
    if brotli is not None and "br" in accepted:
        return "br"
    if "gzip" in accepted:
        return "gzip"
    return None


def compress(body: bytes, encoding: str, *, best: bool = False) -> bytes:
    if encoding == "br":
        quality = ASSET_BROTLI_QUALITY if best else DYNAMIC_BROTLI_QUALITY
        return brotli.compress(body, quality=quality)  # type: ignore[union-attr]  # brotli is None only when not installed; encoding br is offered only then
    return gzip.compress(body, compresslevel=9 if best else DYNAMIC_GZIP_LEVEL, mtime=0)


def _compressible(mimetype: str | None) -> bool:
    return bool(mimetype) and any(mimetype.startswith(kind) for kind in COMPRESSIBLE)  # type: ignore[union-attr]  # bool(mimetype) checked it is a str


def compress_response(response: Response) -> Response:
    """``after_request``: compress a dynamic body the client accepts compressed."""
    if (
        response.direct_passthrough
        or response.is_streamed
        or "Content-Encoding" in response.headers
        or response.status_code < 200
        or response.status_code in (204, 206, 304)
        or not _compressible(response.mimetype)
    ):
        return response
    encoding = chosen_encoding(request.headers.get("Accept-Encoding", ""))
    response.vary.add("Accept-Encoding")
    if encoding is None:
        return response
    body = response.get_data()
    if len(body) < MIN_SIZE:
        return response
    response.set_data(compress(body, encoding))
    response.headers["Content-Encoding"] = encoding
    if response.headers.get("ETag"):
        # a compressed body is another representation: keep validators distinct
        etag, weak = response.get_etag()
        response.set_etag(f"{etag}-{encoding}", weak=bool(weak))
    return response


# --------------------------------------------------------------------------------------------
# assets


class _AssetCache:
    """File → (digest, {encoding: bytes}), refreshed when the file's mtime or size changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[Path, tuple[tuple[float, int], str, dict[str, bytes]]] = {}

    def _entry(self, path: Path) -> tuple[tuple[float, int], str, dict[str, bytes]]:
        stat = path.stat()
        stamp = (stat.st_mtime, stat.st_size)
        with self._lock:
            found = self._entries.get(path)
        if found is not None and found[0] == stamp:
            return found
        body = path.read_bytes()
        digest = hashlib.sha256(body).hexdigest()[:12]
        entry = (stamp, digest, {"identity": body})
        with self._lock:
            self._entries[path] = entry
        return entry

    def digest(self, path: Path) -> str:
        return self._entry(path)[1]

    def body(self, path: Path, encoding: str) -> tuple[str, bytes]:
        _stamp, digest, bodies = self._entry(path)
        if encoding not in bodies:
            bodies[encoding] = _precompressed(path, encoding, bodies["identity"]) or compress(
                bodies["identity"], encoding, best=True
            )
        return digest, bodies[encoding]


def _precompressed(path: Path, encoding: str, body: bytes) -> bytes | None:
    """``<file>.br`` / ``<file>.gz`` shipped beside a large file (tools/precompress.py), if
    it still holds this file (checked once per process: a checkout does not keep mtimes);
    brotli's best quality takes seconds on a plotly bundle."""
    sibling = path.with_name(path.name + (".br" if encoding == "br" else ".gz"))
    if not sibling.is_file():
        return None
    packed = sibling.read_bytes()
    try:
        unpacked = brotli.decompress(packed) if encoding == "br" else gzip.decompress(packed)  # type: ignore[union-attr]  # br files exist only where brotli is installed
    except Exception:  # noqa: BLE001 - a damaged file is not used
        return None
    return packed if unpacked == body else None


assets = _AssetCache()


def asset_response(path: Path, mimetype: str | None = None) -> Response:
    """A file as a response: compressed if accepted, long-lived when asked by version."""
    if not path.is_file():
        abort(404)
    mimetype = mimetype or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    encoding = "identity"
    if _compressible(mimetype):
        encoding = chosen_encoding(request.headers.get("Accept-Encoding", "")) or "identity"
    digest, body = assets.body(path, encoding)
    response = Response(body, mimetype=mimetype)
    response.set_etag(f"{digest}-{encoding}")
    response.vary.add("Accept-Encoding")
    if encoding != "identity":
        response.headers["Content-Encoding"] = encoding
    if request.args.get("v") == digest:
        response.cache_control.public = True
        response.cache_control.max_age = YEAR_S
        response.cache_control.immutable = True
    else:
        response.cache_control.public = True
        response.cache_control.max_age = UNVERSIONED_S
    return response.make_conditional(request)  # type: ignore[return-value]  # make_conditional returns the same flask Response


def _static_view(folder: str) -> Callable[..., Response]:
    def static(filename: str) -> Response:
        joined = safe_join(folder, filename)
        if joined is None:
            abort(404)
        return asset_response(Path(joined))

    return static


def _static_folders(app: Flask) -> dict[str, str]:
    """Endpoint → folder of the app's static files and of every blueprint's (Bootstrap)."""
    folders = {"static": app.static_folder} if app.static_folder else {}
    for blueprint in app.blueprints.values():
        if blueprint.static_folder:
            folders[f"{blueprint.name}.static"] = blueprint.static_folder
    return {endpoint: folder for endpoint, folder in folders.items() if folder}


def _digest_in(folder: str | None, filename: str) -> str | None:
    joined = safe_join(folder, filename) if folder else None
    if joined is None or not Path(joined).is_file():
        return None
    return assets.digest(Path(joined))


def static_digest(filename: str) -> str | None:
    return _digest_in(current_app.static_folder, filename)


# endpoint → the one file it serves (e.g. the full plotly bundle inside the plotly package)
FILE_ENDPOINTS: dict[str, Callable[[], Path]] = {}


def _versioned(endpoint: str, values: dict[str, Any]) -> None:
    if "v" in values:
        return
    folder = current_app.config.get("PLANNER_STATIC_FOLDERS", {}).get(endpoint)
    if folder is not None and "filename" in values:
        digest = _digest_in(folder, values["filename"])
        if digest is not None:
            values["v"] = digest
    elif endpoint in FILE_ENDPOINTS:
        path = FILE_ENDPOINTS[endpoint]()
        if path.is_file():
            values["v"] = assets.digest(path)


def init_app(app: Flask) -> None:
    folders = _static_folders(app)
    app.config["PLANNER_STATIC_FOLDERS"] = folders
    for endpoint, folder in folders.items():
        if endpoint in app.view_functions:
            app.view_functions[endpoint] = _static_view(folder)
    app.url_defaults(_versioned)
    app.after_request(compress_response)
