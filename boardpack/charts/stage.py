"""The chart stage: specs reused from the cache, the rest drawn in a pool of worker processes.

:func:`start_charts` builds the specs (:mod:`.builders`), looks each up in a
:class:`~boardpack.charts.cache.ChartCache` and hands the rest to a
:class:`ChartPool`, returning at once: the run goes on (the workbook, the PDF)
while the workers draw, and waits only for the charts it needs next
(:meth:`PendingCharts.charts`). The pool can be started before the inputs are
read (:func:`boardpack.pipeline.build_pack` does), so that the workers import
matplotlib while the main process reads and checks the spreadsheets. The main
process never imports matplotlib when it has a pool; without one
(:func:`draw_charts` with ``workers=1``, or two charts or fewer) it draws them
itself. On Linux the workers fork; elsewhere (Windows, macOS) they are spawned
and draw the same bytes (a test compares them). Workers return only the drawn
images; the :class:`~boardpack.model.Chart` of each spec is put together here.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
import multiprocessing
import os
import signal
import sys
from collections.abc import Collection
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from ..config import Config
from ..model import Chart
from ..summary_model import Summary
from .builders import chart_specs
from .cache import ChartCache, chart_key
from .native import native_chart
from .spec import ChartSpec, DrawnImages

__all__ = [
    "ChartPool",
    "ChartSet",
    "PendingCharts",
    "chart_of",
    "draw_charts",
    "drawing_version",
    "pool_start_method",
    "render_chart",
    "start_charts",
]


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


class ChartPool:
    """Drawing processes, one per core unless ``workers`` says otherwise, started when first
    needed or at once with :meth:`start`; a context manager that stops them. Left by an
    exception (bad inputs, Ctrl-C), it stops them at once: no chart of a failed run is
    wanted, and a run that fails while the workers still import matplotlib does not wait."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or os.cpu_count() or 1
        self._pool: ProcessPoolExecutor | None = None
        self._processes: list[multiprocessing.process.BaseProcess] = []

    def start(self) -> ChartPool:
        """Start the workers now, each importing the drawing code (matplotlib) as it starts,
        so that the import overlaps whatever the run does before its first chart."""
        if self._pool is None and self.workers > 1:
            context = multiprocessing.get_context(pool_start_method())
            before = set(multiprocessing.active_children())
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=context, initializer=_start_worker)
            for _ in range(self.workers):  # workers start on the first tasks; these are all they do
                self._pool.submit(_ready)
            self._processes = [p for p in multiprocessing.active_children() if p not in before]
        return self

    @property
    def started(self) -> bool:
        return self._pool is not None

    def submit(self, spec: ChartSpec) -> Future[DrawnImages]:
        self.start()
        if self._pool is None:  # one worker: this process draws
            from .draw import draw_images  # matplotlib

            done: Future[DrawnImages] = Future()
            done.set_result(draw_images(spec))
            return done
        return self._pool.submit(_draw_in_worker, spec)

    def __enter__(self) -> ChartPool:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._pool is not None:
            if kind is None:
                self._pool.shutdown(wait=True)
            else:
                self._pool.shutdown(wait=False, cancel_futures=True)
                for process in self._processes:
                    process.terminate()  # SIGTERM: a worker ends quietly, mid-chart or mid-import
                for process in self._processes:
                    process.join()
            self._pool, self._processes = None, []


@dataclass(frozen=True)
class PendingCharts:
    """The charts of a run, some reused, the rest being drawn; each waited for only when asked for."""

    specs: tuple[ChartSpec, ...]
    reused: dict[int, DrawnImages]
    drawing: dict[int, Future[DrawnImages]]
    cache: ChartCache | None
    keys: dict[int, str]

    def charts(self, sections: Collection[str] | None = None) -> tuple[Chart, ...]:
        """The charts of ``sections`` (all by default), in the pack's order, once they are drawn."""
        return tuple(
            chart_of(spec, self._images(i))
            for i, spec in enumerate(self.specs)
            if sections is None or spec.section in sections
        )

    def result(self) -> ChartSet:
        """Every chart, once all are drawn (and kept in the cache), and which were drawn now or reused."""
        charts = self.charts()
        if self.cache is not None:
            for index, future in self.drawing.items():
                self.cache.put(self.keys[index], future.result())
        return ChartSet(
            charts,
            tuple(self.specs[i].name for i in sorted(self.drawing)),
            tuple(self.specs[i].name for i in sorted(self.reused)),
        )

    def _images(self, index: int) -> DrawnImages:
        return self.reused[index] if index in self.reused else self.drawing[index].result()


def start_charts(
    summary: Summary,
    config: Config,
    pool: ChartPool,
    *,
    cache: ChartCache | None = None,
    bare: bool = False,
    first: Collection[str] = (),
) -> PendingCharts:
    """Every chart of the pack, reused from ``cache`` when its content is unchanged, else handed to
    ``pool`` to draw: the charts of the sections in ``first`` before the others; returns at once.

    ``bare`` draws the officers' PNG and SVG without title, subtitle and source line.
    """
    return _start(tuple(chart_specs(summary, config, bare=bare)), pool, cache, first)


def _start(
    specs: tuple[ChartSpec, ...], pool: ChartPool, cache: ChartCache | None, first: Collection[str] = ()
) -> PendingCharts:
    version = drawing_version() if cache is not None else ""
    reused: dict[int, DrawnImages] = {}
    keys: dict[int, str] = {}
    if cache is not None:
        for index, spec in enumerate(specs):
            keys[index] = chart_key(spec, version)
            found = cache.get(keys[index])
            if found is not None:
                reused[index] = found
    order = sorted((i for i in range(len(specs)) if i not in reused), key=lambda i: specs[i].section not in first)
    drawing = {i: pool.submit(specs[i]) for i in order}
    return PendingCharts(specs, reused, drawing, cache, keys)


def draw_charts(
    summary: Summary, config: Config, *, cache: ChartCache | None = None, workers: int | None = None, bare: bool = False
) -> ChartSet:
    """Every chart of the pack, waited for: :func:`start_charts` with a pool of its own.

    ``workers`` is the number of drawing processes (default: one per core;
    1 draws in this process, as does a pool for two charts or fewer).
    """
    specs = tuple(chart_specs(summary, config, bare=bare))
    with ChartPool(1 if len(specs) <= 2 else workers) as pool:
        return _start(specs, pool, cache).result()


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


def _start_worker() -> None:
    """In a drawing worker, as it starts: Ctrl-C is the main process's to handle, so a worker
    never dies mid-chart; then the drawing code (matplotlib) is imported, once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _return_large_blocks()
    from . import draw  # noqa: F401


def _return_large_blocks() -> None:
    """Have glibc map every block of 1 MiB or more on its own, so that each picture's memory
    goes back to the system when the picture goes. Otherwise, once the first picture is
    freed, glibc keeps blocks of up to 32 MiB in the heap, and a worker stays near the size
    of the largest chart it drew (10,000 rows, 5 partners: the two workers' peak 354 MB
    with the default, 332 MB with this). Elsewhere (not glibc) nothing changes."""
    import ctypes
    import ctypes.util

    m_mmap_threshold = -3  # glibc's malloc.h
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(m_mmap_threshold, 1 << 20)
    except (OSError, AttributeError):
        pass


def _ready() -> None:
    """The task that starts a worker (its initializer does the work)."""


def _draw_in_worker(spec: ChartSpec) -> DrawnImages:
    from .draw import draw_images  # imported already, as the worker started

    return draw_images(spec)


def pool_start_method() -> str:
    """How the drawing workers start: "fork" on Linux, where workers then start with matplotlib
    already imported, "spawn" everywhere else (Windows has no fork; macOS's is unsafe once its
    system libraries are loaded), which works on every platform."""
    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        return "fork"
    return "spawn"
