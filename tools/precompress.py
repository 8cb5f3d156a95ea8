"""Write ``<file>.br`` and ``<file>.gz`` beside the large vendored assets (best settings).

Run after updating a bundle in static/vendor: ``python tools/precompress.py``. The app
serves these instead of compressing the bundle itself (brotli's best quality takes seconds);
a precompressed file older than its source is ignored.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import brotli

VENDOR = Path(__file__).resolve().parent.parent / "static" / "vendor"


def main() -> None:
    for source in sorted(VENDOR.glob("*.js")):
        body = source.read_bytes()
        (source.parent / f"{source.name}.br").write_bytes(brotli.compress(body, quality=11))
        (source.parent / f"{source.name}.gz").write_bytes(gzip.compress(body, 9, mtime=0))
        print(f"{source.name}: {len(body):,} bytes, precompressed")


if __name__ == "__main__":
    main()
