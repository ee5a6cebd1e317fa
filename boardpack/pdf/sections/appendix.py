"""The appendix: every activity (or totals per partner), further attention items, sources, data quality, glossary."""

from __future__ import annotations

from reportlab.platypus import CondPageBreak, Flowable

from ...model import CHANGES, STATUSES
from ...summary_model import ActivityRow
from ..flowables import MeasuredParagraph, data_table, heading_block, para, spacer
from ..markup import CHANGE_WORDS, esc, shorten, uk_date
from ..wording import CHANGE_MEANINGS, STATUS_MEANINGS, TERMS
from .attention import attention_table
from .common import MESSAGE_LIMIT, PackParts, h1, h2, h3, history_sentences
from .cover import appendix_titles
from ..flowables import status_chip
from .tables import full_activity_table, gaps_table, partner_totals_table, quality_table, sources_table
from ..styles import FRAME_HEIGHT


def _gaps(parts: PackParts) -> list[tuple[ActivityRow, str]]:
    """Activities with no due date and no budget, and commentary unchanged since the previous period."""
    found = []
    for a in parts.summary.activities:
        missing = [what for what, absent in (("due date", a.due_date is None and a.revised_due_date is None),
                                             ("budget", a.budget is None)) if absent]
        if len(missing) == 2:
            found.append((a, "No due date and no budget"))
        if a.commentary_unchanged:
            found.append((a, f"Commentary unchanged since {parts.summary.previous.label}"))
    return found


def _read_from(summary, partner: str) -> str:
    """"from the history (run 3), " when the previous period's row came from the history."""
    used = summary.history_run(partner, summary.previous)
    return f"from the history (run {used.run}), first " if used else ""


def _glossary(parts: PackParts) -> list[Flowable]:
    s = parts.styles
    story: list[Flowable] = [h3("RAG statuses", s)]
    rows = [[MeasuredParagraph(status_chip(st, s), s.cell), para(STATUS_MEANINGS[st], s.cell)] for st in STATUSES]
    story.append(data_table(["Status", "Meaning"], rows, (0.24, 0.76), s))
    story += heading_block(h3("Changes since the previous period", s),
                           para("A move is written previous → current, with ▲ for better and ▼ for worse: "
                                "Amber → Red ▼.", s.small), room=120)
    rows = [[para(CHANGE_WORDS[c], s.cell_bold), para(CHANGE_MEANINGS[c], s.cell)] for c in CHANGES]
    story.append(data_table(["Change", "Meaning"], rows, (0.24, 0.76), s))
    fill = {"last_day": uk_date(parts.summary.as_at_last_day), "as_at": parts.summary.as_at.label}
    rows = [[para(term, s.cell_bold), para(meaning.format(**fill), s.cell)] for term, meaning in TERMS]
    story += heading_block(h3("Terms", s), data_table(["Term", "Meaning"], rows, (0.24, 0.76), s), room=100)
    return story


def appendix_section(parts: PackParts) -> list[Flowable]:
    s, summary = parts.styles, parts.summary
    titles = dict((key, title) for title, key in appendix_titles(parts))
    story: list[Flowable] = [CondPageBreak(FRAME_HEIGHT * 0.4), h1("Appendix", "appendix", s)]

    if parts.full_appendix_table:
        intro = (f"Every activity as at {summary.as_at.label}, in partner and area order, with its latest "
                 "commentary; money in pounds and pence.")
        table = full_activity_table(parts) if summary.activities else para("No activities.", s.note)
    else:
        intro = (f"{len(summary.activities):,} activities are more than this pack lists "
                 f"(the template's [pack] appendix_activities is {parts.config.pack.appendix_activities}): "
                 "totals per partner follow, and summary.xlsx, beside this pack, lists every activity.")
        table = partner_totals_table(parts)
    story += heading_block(h2(titles["appendix-activities"], "appendix-activities", s), para(intro, s.small),
                           room=200)
    story.append(table)

    overflow = parts.places.attention_overflow
    if overflow:
        first = parts.places.attention_in_body + 1
        cap = parts.config.pack.appendix_activities
        shown = overflow[:cap]
        last = first + len(shown) - 1
        note = f"Needs attention items {first} to {last}, continuing the ranking of the section in the body."
        if len(overflow) > len(shown):
            note += (f" The other {len(overflow) - len(shown):,} are in the Needs attention sheet of "
                     "summary.xlsx, beside this pack.")
        story += heading_block(h2(titles["appendix-attention"], "appendix-attention", s), para(note, s.small),
                               room=200)
        story.append(attention_table(shown, first, parts))

    story += heading_block(h2(titles["appendix-sources"], "appendix-sources", s),
                           para("The files read. A file's SHA-256 checksum changes whenever the file changes.",
                                s.small), room=200)
    if parts.sources or parts.skipped:
        story.append(sources_table(parts))
    else:
        story.append(para("No source files were listed.", s.note))
    history = history_sentences(parts)
    if history:
        story.append(spacer(4))
        story.append(para(" ".join(history) + " Each successful run records the rows it read from the "
                          "spreadsheets in the history, a database kept beside the packs, so that later packs "
                          "can compare with quarters the spreadsheets no longer hold.", s.small))

    story += heading_block(h2(titles["appendix-quality"], "appendix-quality", s),
                           para("Warnings found while reading the spreadsheets, and gaps in what they say. None "
                                "stopped the pack, but each should be put right at its source.", s.small),
                           room=200)
    if summary.warnings:
        story.append(quality_table(parts))
    else:
        story.append(para("No warnings: every row read was complete and consistent.", s.body))
    cap = parts.config.pack.appendix_activities
    gaps = _gaps(parts)
    if gaps:
        story += heading_block(h3("Gaps and stale commentary", s), room=100)
        story.append(gaps_table(gaps[:cap], parts))
        if len(gaps) > cap:
            story.append(para(f"… and {len(gaps) - cap:,} more; the Activities sheet of summary.xlsx shows "
                              "every due date, budget and commentary.", s.note))
    missing = summary.missing_activities
    if missing:
        story += heading_block(h3(f"Reported in {summary.previous.label}, missing from {summary.as_at.label}", s),
                               room=80)
        story += [MeasuredParagraph(esc(f"{m.activity} ({parts.shorts.get(m.partner, m.partner)}), "
                                        f"{m.previous_status} in {summary.previous.label}; "
                                        + _read_from(summary, m.partner) + f"read from {m.file}"
                                        + (f" › {m.sheet}" if m.sheet else "") + f" › row {m.row}"),
                                    s.bullet, bulletText="•") for m in missing[:cap]]
        if len(missing) > cap:
            story.append(para(f"… and {len(missing) - cap:,} more, listed under missing_activities in "
                              "summary.json.", s.note))
    if parts.notes:
        story += heading_block(h3("Notes from reading the inputs", s), room=80)
        story += [MeasuredParagraph(esc(shorten(note, MESSAGE_LIMIT, " …")), s.bullet, bulletText="•")
                  for note in parts.notes]

    story += heading_block(h2(titles["appendix-glossary"], "appendix-glossary", s), room=200)
    story += _glossary(parts)
    return story
