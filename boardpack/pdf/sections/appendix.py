"""The appendix: every activity (or totals per partner), further attention items, sources, data quality, glossary."""

from __future__ import annotations

from reportlab.platypus import CondPageBreak, Flowable

from ... import pack_text as text
from ..data_table import data_table
from ..flowables import MeasuredParagraph, heading_block, para, spacer, status_chip
from ..markup import esc
from ..styles import FRAME_HEIGHT
from .attention import attention_table
from .common import PackParts, h1, h2, h3, history_sentences
from .cover import appendix_titles
from .tables import full_activity_table, gaps_table, partner_totals_table, quality_table, sources_table


def _glossary(parts: PackParts) -> list[Flowable]:
    s = parts.styles
    story: list[Flowable] = [h3(text.STATUSES_HEADING, s)]
    rows = [
        [MeasuredParagraph(status_chip(st, s), s.cell), para(meaning, s.cell)] for st, meaning in text.status_meanings()
    ]
    story.append(data_table(["Status", "Meaning"], rows, (0.24, 0.76), s))
    story += heading_block(h3(text.CHANGES_HEADING, s), para(text.CHANGES_NOTE, s.small), room=120)
    rows = [[para(change, s.cell_bold), para(meaning, s.cell)] for change, meaning in text.change_meanings()]
    story.append(data_table(["Change", "Meaning"], rows, (0.24, 0.76), s))
    rows = [[para(term, s.cell_bold), para(meaning, s.cell)] for term, meaning in text.terms(parts.summary)]
    story += heading_block(h3(text.TERMS_HEADING, s), data_table(["Term", "Meaning"], rows, (0.24, 0.76), s), room=100)
    return story


def appendix_section(parts: PackParts) -> list[Flowable]:
    s, summary = parts.styles, parts.summary
    titles = dict((key, title) for title, key in appendix_titles(parts))
    story: list[Flowable] = [CondPageBreak(FRAME_HEIGHT * 0.4), h1("Appendix", "appendix", s)]

    intro = text.appendix_activities_intro(summary, parts.config)
    if parts.full_appendix_table:
        table = full_activity_table(parts) if summary.activities else para(text.NO_ACTIVITIES, s.note)
    else:
        table = partner_totals_table(parts)
    story += heading_block(h2(titles["appendix-activities"], "appendix-activities", s), para(intro, s.small), room=200)
    story.append(table)

    if parts.places.attention_overflow:
        first, shown, note = text.appendix_attention(parts.places, parts.config)
        story += heading_block(h2(titles["appendix-attention"], "appendix-attention", s), para(note, s.small), room=200)
        story.append(attention_table(shown, first, parts))

    story += heading_block(
        h2(titles["appendix-sources"], "appendix-sources", s), para(text.SOURCES_INTRO, s.small), room=200
    )
    if parts.sources or parts.skipped:
        story.append(sources_table(parts))
    else:
        story.append(para(text.NO_SOURCES, s.note))
    history = history_sentences(parts)
    if history:
        story.append(spacer(4))
        story.append(
            para(
                " ".join(history) + " Each successful run records the rows it read from the "
                "spreadsheets in the history, a database kept beside the packs, so that later packs "
                "can compare with quarters the spreadsheets no longer hold.",
                s.small,
            )
        )

    story += heading_block(
        h2(titles["appendix-quality"], "appendix-quality", s), para(text.QUALITY_INTRO, s.small), room=200
    )
    if summary.warnings:
        story.append(quality_table(parts))
    else:
        story.append(para(text.NO_WARNINGS, s.body))
    cap = parts.config.pack.appendix_activities
    gaps = text.gaps(summary)
    if gaps:
        story += heading_block(h3(text.GAPS_HEADING, s), room=100)
        story.append(gaps_table(gaps[:cap], parts))
        if len(gaps) > cap:
            story.append(para(text.more_gaps(len(gaps) - cap), s.note))
    lines, more = text.missing_lines(summary, parts.shorts, cap)
    if lines:
        story += heading_block(h3(text.missing_heading(summary), s), room=80)
        story += [MeasuredParagraph(esc(line), s.bullet, bulletText="•") for line in lines]
        if more:
            story.append(para(more, s.note))
    if parts.notes:
        story += heading_block(h3(text.NOTES_HEADING, s), room=80)
        story += [MeasuredParagraph(esc(note), s.bullet, bulletText="•") for note in text.notes(parts.notes)]

    story += heading_block(h2(titles["appendix-glossary"], "appendix-glossary", s), room=200)
    story += _glossary(parts)
    return story
