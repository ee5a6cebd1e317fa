"""Drawn charts kept between runs, keyed by what the chart shows, never by time.

Staff re-run the pack after each corrected cell; most charts then show exactly
what they showed before. A chart's key is a hash of its spec (every number,
label and word it draws) plus the drawing code's version, so a changed input
redraws exactly the charts whose content changed.

Entries are plain files (PNG, SVG, PDF and a small JSON of sizes), never pickles, so
a cache folder cannot run code. Each entry is written to a temporary name and
renamed into place, so a run killed mid-write leaves no half entry.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class CachedImage:
    """The drawn part of a chart: everything else comes from its spec."""

    png: bytes
    svg: bytes
    pdf: bytes
    width_in: float
    height_in: float


def chart_key(spec: object, version: str) -> str:
    """A stable hash of everything the chart draws."""
    # Specs are frozen dataclasses of str, numbers and tuples: pickling them is
    # deterministic for equal content (the pickle is hashed, never loaded).
    return hashlib.sha256(version.encode() + pickle.dumps(spec, protocol=5)).hexdigest()


class ChartCache:
    """A folder of drawn charts; missing or damaged entries are simply redrawn."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def get(self, key: str) -> CachedImage | None:
        base = self.folder / key[:2] / key
        try:
            sizes = json.loads(base.with_suffix(".json").read_text(encoding="utf-8"))
            return CachedImage(*(base.with_suffix(suffix).read_bytes() for suffix in (".png", ".svg", ".pdf")),
                               float(sizes["width_in"]), float(sizes["height_in"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, image: CachedImage) -> None:
        """Store an entry; a cache that cannot be written only costs speed, never the run."""
        base = self.folder / key[:2] / key
        sizes = json.dumps({"width_in": image.width_in, "height_in": image.height_in}).encode()
        try:
            base.parent.mkdir(parents=True, exist_ok=True)
            # The JSON goes last: an entry counts only once all four files exist.
            for suffix, data in ((".png", image.png), (".svg", image.svg), (".pdf", image.pdf), (".json", sizes)):
                handle, temporary = tempfile.mkstemp(dir=base.parent, prefix=".tmp-")
                try:
                    with os.fdopen(handle, "wb") as stream:
                        stream.write(data)
                    os.replace(temporary, base.with_suffix(suffix))
                finally:  # interrupted or failed: leave no temporary file behind
                    if os.path.exists(temporary):
                        os.unlink(temporary)
        except OSError:
            pass
