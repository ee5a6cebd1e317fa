"""Drawn charts kept between runs, keyed by what the chart shows, never by time.

Staff re-run the pack after each corrected cell; most charts then show exactly
what they showed before. A chart's key is a hash of its spec (every number,
label and word it draws) plus the drawing code's version, so a changed input
redraws exactly the charts whose content changed.

Entries are plain files (the PNGs, SVG, PDF and a small JSON of sizes), never pickles, so
a cache folder cannot run code. Each entry is written to a temporary name and
renamed into place, so a run killed mid-write leaves no half entry.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

from .spec import DrawnImages

__all__ = ["ChartCache", "chart_key"]


# The files of an entry besides its JSON of sizes, by field.
_FILES = (
    ("png", ".png"),
    ("svg", ".svg"),
    ("pdf", ".pdf"),
    ("slide_png", ".slide.png"),
    ("wide_png", ".wide.png"),
    ("transparent_png", ".transparent.png"),
)
_SIZES = ("width_in", "height_in", "slide_width_in", "slide_height_in")


def chart_key(spec: object, version: str) -> str:
    """A stable hash of everything the chart draws."""
    # Specs are frozen dataclasses of str, numbers and tuples: pickling them is
    # deterministic for equal content (the pickle is hashed, never loaded).
    return hashlib.sha256(version.encode() + pickle.dumps(spec, protocol=5)).hexdigest()


class ChartCache:
    """A folder of drawn charts; missing or damaged entries are simply redrawn."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def get(self, key: str) -> DrawnImages | None:
        base = self.folder / key[:2] / key
        try:
            sizes = json.loads((base.parent / (base.name + ".json")).read_text(encoding="utf-8"))
            fields: dict[str, Any] = {
                name: (base.parent / (base.name + suffix)).read_bytes() for name, suffix in _FILES
            }
            fields.update((name, float(sizes[name])) for name in _SIZES)
            return DrawnImages(**fields)
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, image: DrawnImages) -> None:
        """Store an entry; a cache that cannot be written only costs speed, never the run."""
        base = self.folder / key[:2] / key
        sizes = json.dumps({name: getattr(image, name) for name in _SIZES}).encode()
        try:
            base.parent.mkdir(parents=True, exist_ok=True)
            # The JSON goes last: an entry counts only once all its files exist.
            for suffix, data in (*((suffix, getattr(image, name)) for name, suffix in _FILES), (".json", sizes)):
                handle, temporary = tempfile.mkstemp(dir=base.parent, prefix=".tmp-")
                try:
                    with os.fdopen(handle, "wb") as stream:
                        stream.write(data)
                    os.replace(temporary, base.parent / (base.name + suffix))
                finally:  # interrupted or failed: leave no temporary file behind
                    if os.path.exists(temporary):
                        os.unlink(temporary)
        except OSError:
            pass
