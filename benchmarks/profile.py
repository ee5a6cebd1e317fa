"""Profile one stage of a run with pyinstrument: where the time of the PDF or the charts goes.

    make profile PROFILE="--scale medium5"              # a whole cold run
    make profile PROFILE="--scale medium --stage pdf"
    .venv/bin/python benchmarks/profile.py --scale large --stage pdf --output profile.txt

``--stage run`` (the default) profiles a whole cold ``build_pack`` (what ``generate``
does) into a new temporary folder, so nothing is cached; the charts are drawn by
worker processes there, so the tree shows the main process waiting for them.
Otherwise it loads, checks and summarises the scale's inputs (as benchmarks/run.py does),
then profiles the chosen stage alone: ``pdf`` (render_pack, charts taken from a
chart cache kept in benchmarks/data/<scale>/.profile-cache, so only the first
profile of a scale draws them) or ``charts`` (every chart drawn in this
process, one after another, so the profile sees inside the drawing). Prints
pyinstrument's call tree; the stage's plain time is on stderr.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--scale", default="medium", choices=("sample", "small", "medium5", "medium", "large"))
    parser.add_argument("--stage", default="run", choices=("run", "pdf", "charts"))
    parser.add_argument("--output", type=Path, help="write the call tree here instead of stdout")
    args = parser.parse_args(argv)

    from boardpack.charts import chart_specs, draw_charts, render_chart
    from boardpack.charts.cache import ChartCache
    from boardpack.config import load_config
    from boardpack.model import CoverOptions
    from boardpack.pdf import render_pack
    from boardpack.pipeline import default_meeting_date, validate_inputs
    from boardpack.summarise import summarise

    if args.scale == "sample":
        inputs, config, cache = HERE.parent / "inputs", load_config(), HERE / "data" / "sample-profile-cache"
    else:
        import make_data

        folder = make_data.ensure(args.scale)
        inputs, config, cache = folder / "inputs", load_config(folder / "template.toml"), folder / ".profile-cache"
    if args.stage == "run":
        import tempfile

        from boardpack.pipeline import build_pack

        scratch = tempfile.TemporaryDirectory(prefix="boardpack-profile-")

        def stage():
            return build_pack(inputs, Path(scratch.name) / "reports", config, history=False)

        return _profile(args, stage)
    validated = validate_inputs(inputs, config)
    summary = summarise(validated, config)

    if args.stage == "pdf":
        charts = draw_charts(summary, config, cache=ChartCache(cache)).charts
        cover = CoverOptions(meeting_date=default_meeting_date(validated.as_at, config))

        def stage():
            return render_pack(
                summary, charts, config, cover, validated.sources, notes=validated.notes, skipped=validated.skipped
            )
    else:
        specs = chart_specs(summary, config)

        def stage():
            return [render_chart(spec) for spec in specs]

    _profile(args, stage)


def _profile(args, stage) -> None:
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.005)
    started = time.perf_counter()
    profiler.start()
    stage()
    profiler.stop()
    print(f"{args.scale} {args.stage}: {time.perf_counter() - started:.1f} s under the profiler", file=sys.stderr)
    text = profiler.output_text(unicode=True, color=False)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        print(text)


if __name__ == "__main__":
    main(sys.argv[1:])
