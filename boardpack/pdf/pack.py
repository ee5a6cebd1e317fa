"""render_pack: Summary + charts + template + cover options -> the board pack's PDF bytes.

Pure: reads nothing but the font files (shipped with matplotlib) and, when the
template names one, the logo; writes nothing. The same inputs give the same
bytes (reportlab's invariant mode, dates from the meeting date, no random ids).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from reportlab.platypus import Flowable, Image, KeepTogether

from ..config import Config
from ..formats import uk_date
from ..model import Chart, CoverOptions, SourceFile
from ..narrative import render_narrative
from ..pack_text import resolve_cover, running_text
from ..paper import places
from ..summary_model import Summary
from .chart_form import ChartForm
from .document import Metadata, PackDocument, RunningText
from .flowables import ChartFlowable, para
from .fonts import characters_without_glyph, register_fonts
from .markup import clip, plain
from .sections import (
    PackParts,
    PlacedChart,
    appendix_section,
    areas_section,
    attention_section,
    contents_section,
    cover_section,
    decisions_section,
    executive_section,
    partners_section,
)
from .styles import FRAME_HEIGHT, FRAME_WIDTH, build_styles

CM = 28.3465

# The sections of the pack that hold charts, and the tallest a chart may be drawn
# in each; wider charts are scaled to the frame width. Charts of other sections
# are for officers' slides only.
CHART_MAX_HEIGHT = {"executive": 20 * CM, "areas": 20 * CM}
PACK_CHART_SECTIONS = tuple(CHART_MAX_HEIGHT)  # the only charts the pack and its HTML companion print


@dataclass(frozen=True)
class RenderedPack:
    """The board pack as PDF bytes, with what a caller wants to say about it."""

    pdf: bytes = field(repr=False)
    page_count: int
    layout_passes: int


def place_charts(charts: Iterable[Chart], styles) -> dict[str, tuple[PlacedChart, ...]]:
    """Each chart read once and sized for its section, grouped by section in the given order.

    Charts are placed as vectors from their PDF; a chart without a readable PDF
    falls back to its 300 dpi PNG at the same size, so one odd chart never stops a pack.
    """
    placed: dict[str, list[PlacedChart]] = {}
    for chart in charts:
        if chart.section not in CHART_MAX_HEIGHT:
            continue
        max_height = min(CHART_MAX_HEIGHT[chart.section], FRAME_HEIGHT * 0.8)
        caption = para(chart.caption, styles.caption)
        # The chart's PDF is the chart alone: its title is said here, once, as its heading.
        heading = para(chart.title, styles.chart_title)
        try:
            flowable: Flowable = ChartFlowable(
                ChartForm(chart.name, chart.pdf), FRAME_WIDTH, max_height, caption, heading
            )
        except ValueError:
            flowable = KeepTogether([heading, _png_chart(chart, max_height), caption])
        placed.setdefault(chart.section, []).append(PlacedChart(chart, flowable))
    return {section: tuple(items) for section, items in placed.items()}


def _png_chart(chart: Chart, max_height: float) -> Image:
    png, width_in, height_in = chart.slide_picture()  # the chart alone: the heading says its title
    width = FRAME_WIDTH
    height = width * height_in / width_in
    if height > max_height:
        width, height = width * max_height / height, max_height
    image = Image(io.BytesIO(png), width=width, height=height)
    image.hAlign = "CENTER"
    return image


def _logo(config: Config) -> Flowable | None:
    """The template's [branding] logo, at most 4 cm wide and 2.2 cm tall; None when there is none."""
    logo = config.branding.logo
    if logo is None:
        return None
    scale = min(4 * CM / logo.width, 2.2 * CM / logo.height)
    image = Image(io.BytesIO(logo.data), width=logo.width * scale, height=logo.height * scale)
    image.hAlign = "RIGHT"
    return image


def _missing_glyphs_note(summary: Summary, config: Config, sources: tuple[SourceFile, ...], fonts) -> tuple[str, ...]:
    """A note naming the characters (emoji, Chinese, …) the pack's font cannot show, if any."""
    texts = [
        summary.to_json(),
        *(e.name for e in (*config.partners.entries, *config.areas.entries)),
        *(s.name for s in sources),
    ]
    missing = characters_without_glyph(texts, fonts)
    if not missing:
        return ()
    shown = " ".join(f"{c} (U+{ord(c):04X})" for c in missing[:20]) + (" …" if len(missing) > 20 else "")
    return (
        f"{len(missing)} character(s) in the inputs cannot be shown in the pack's font and print as "
        f"empty boxes: {shown}. They are kept as typed in summary.xlsx and summary.json.",
    )


def render_pack(
    summary: Summary,
    charts: tuple[Chart, ...],
    config: Config,
    cover: CoverOptions,
    sources: tuple[SourceFile, ...],
    notes: tuple[str, ...] = (),
    skipped: tuple[tuple[str, str], ...] = (),
) -> RenderedPack:
    """The board pack as PDF bytes, with its page count.

    ``charts`` are placed by their ``section`` ("executive", "partner:<short>",
    "area:<short>", "areas", "appendix"), in the order given. ``notes`` are
    things staff should know about the inputs; they print in the data quality
    appendix. ``skipped`` (file name, why) lists files in the inputs folder that
    were not read; they print with the data sources. Raises TemplateError when a narrative
    text uses a placeholder the summary does not have (load_config checked the rest of the template).
    """
    fonts = register_fonts()
    styles = build_styles(config, fonts)
    where = places(summary, config)
    details = resolve_cover(config, cover, decisions_sought=bool(where.decisions))
    narrative = render_narrative(
        summary,
        config,
        meeting_date=details.meeting_date,
        paper_title=details.title,
        purpose=details.purpose,
        where=where,
    )
    notes = tuple(notes) + _missing_glyphs_note(summary, config, sources, fonts)
    parts = PackParts(
        summary=summary,
        config=config,
        styles=styles,
        narrative=narrative,
        cover=details,
        places=where,
        charts=place_charts(charts, styles),
        sources=tuple(sources),
        notes=tuple(plain(n) for n in notes),
        skipped=tuple(skipped),
    )

    as_at = summary.as_at.label
    meeting = details.meeting_date
    words = running_text(details, summary)
    running = RunningText(header_left=words.header_left, header_right=words.header_right, footer_left=words.footer_left)
    partner_names = ", ".join(p.short_name for p in summary.partners)
    meta = Metadata(
        title=words.document_title,
        author=clip(config.organisation, 200),
        subject=f"{details.board} paper for the meeting of {uk_date(meeting)}: progress of the "
        f"international strategy as at {as_at}",
        keywords=f"board pack, international strategy, RAG, {as_at}, {partner_names}",
        creator="boardpack",
        created=meeting,
    )
    logo = _logo(config)
    buffer = io.BytesIO()
    document = PackDocument(buffer, styles, running, meta)
    total_passes = document.multiBuild(_story(parts, logo), maxPasses=6)
    return RenderedPack(pdf=buffer.getvalue(), page_count=document.page_count, layout_passes=total_passes)


def _story(parts: PackParts, logo: Flowable | None) -> list[Flowable]:
    return [
        *cover_section(parts, logo),
        *contents_section(parts),
        *executive_section(parts),
        *decisions_section(parts),
        *attention_section(parts),
        *partners_section(parts),
        *areas_section(parts),
        *appendix_section(parts),
    ]
