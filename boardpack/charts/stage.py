"""The chart stage: specs reused from the cache, the rest drawn in a pool of worker processes.

:func:`draw_charts` builds the specs (:mod:`.builders`), looks each up in a
:class:`~boardpack.charts.cache.ChartCache` and draws the rest. This module
never imports matplotlib itself; :mod:`boardpack.charts.draw` is imported only
when a chart must be drawn (then before the workers start, so on Linux, where
they fork, they start with it), so a run whose charts all come from the cache
skips matplotlib's import altogether. Elsewhere (Windows, macOS) the workers
are spawned: each imports the drawing code itself and draws the same bytes (a
test compares them). Workers return only the drawn images; the
:class:`~boardpack.model.Chart` of each spec is put together here.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
import multiprocessing
import os
import signal
import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..config import Config
from ..model import Chart
from ..summary_model import Summary
from .builders import chart_specs
from .cache import ChartCache, chart_key
from .native import native_chart
from .spec import ChartSpec, DrawnImages

__all__ = ["ChartSet", "chart_of", "draw_charts", "drawing_version", "pool_start_method", "render_chart"]


@dataclass(frozen=True)
class ChartSet:
    """Every chart of a run, and which were drawn now or reused from the cache."""

    charts: tuple[Chart, ...]
    drawn: tuple[str, ...]
    reused: tuple[str, ...]


def drawing_version() -> str:
    """Changes whenever the drawing code, its style, the spec's shape or matplotlib changes,
    so stale charts are redrawn."""
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256(importlib.metadata.version("matplotlib").encode())  # without importing it
    for path in (here / "spec.py", here / "style.py", *sorted((here / "draw").glob("*.py"))):
        digest.update(path.relative_to(here).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def draw_charts(
    summary: Summary, config: Config, *, cache: ChartCache | None = None, workers: int | None = None, bare: bool = False
) -> ChartSet:
    """Every chart of the pack: reused from ``cache`` when its content is unchanged, else drawn.

    ``workers`` is the number of drawing processes (default: one per core;
    1 draws in this process). ``bare`` draws the officers' PNG and SVG without
    title, subtitle and source line.
    """
    specs = chart_specs(summary, config, bare=bare)
    version = drawing_version() if cache is not None else ""
    images: dict[int, DrawnImages] = {}
    keys: dict[int, str] = {}
    if cache is not None:
        for index, spec in enumerate(specs):
            keys[index] = chart_key(spec, version)
            found = cache.get(keys[index])
            if found is not None:
                images[index] = found
    reused = [i for i in range(len(specs)) if i in images]
    missing = [i for i in range(len(specs)) if i not in images]
    drawn = dict(zip(missing, _draw_all([specs[i] for i in missing], workers), strict=True))
    if cache is not None:
        for index, image in drawn.items():
            cache.put(keys[index], image)
    images.update(drawn)
    charts = tuple(chart_of(spec, images[i]) for i, spec in enumerate(specs))
    return ChartSet(charts, tuple(specs[i].name for i in missing), tuple(specs[i].name for i in reused))


def chart_of(spec: ChartSpec, images: DrawnImages) -> Chart:
    """The :class:`Chart` of a spec, with its drawn images (PNGs, SVG, PDF and sizes)."""
    return Chart(
        name=spec.name,
        section=spec.section,
        title=spec.title,
        caption=spec.caption,
        alt_text=spec.alt_text,
        data=spec.frame(),
        subtitle=spec.subtitle,
        source=spec.source,
        native=native_chart(spec),
        **dataclasses.asdict(images),
    )


def render_chart(spec: ChartSpec) -> Chart:
    """One spec drawn in this process, as a :class:`Chart` (tests and benchmarks)."""
    from .draw import draw_images  # matplotlib

    return chart_of(spec, draw_images(spec))


def _draw_all(specs: Sequence[ChartSpec], workers: int | None) -> list[DrawnImages]:
    """Draw specs in worker processes; a pool only pays off for more than a couple of charts."""
    if not specs:
        return []  # every chart came from the cache
    from .draw import draw_images  # matplotlib, imported before the workers fork

    workers = min(workers or os.cpu_count() or 1, len(specs))
    if workers <= 1 or len(specs) <= 2:
        return [draw_images(spec) for spec in specs]
    context = multiprocessing.get_context(pool_start_method())
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_ignore_ctrl_c)
    try:
        return list(pool.map(draw_images, specs, chunksize=1))
    except BaseException:  # Ctrl-C included: drop the charts not started, then let it through
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    finally:
        pool.shutdown(wait=True)


def pool_start_method() -> str:
    """How the drawing workers start: "fork" on Linux, where workers then start with matplotlib
    already imported, "spawn" everywhere else (Windows has no fork; macOS's is unsafe once its
    system libraries are loaded), which works on every platform."""
    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        return "fork"
    return "spawn"


def _ignore_ctrl_c() -> None:
    """In a drawing worker: Ctrl-C is the main process's to handle, so a worker never dies mid-chart."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
