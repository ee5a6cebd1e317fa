"""The cover (its fields, summary, recommendations and implications), the running header and
footer, and the contents."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..config import Config
from ..formats import plain, uk_date
from ..model import CoverOptions
from ..narrative import IMPLICATIONS, NOT_STATED, Narrative
from ..paper import Places
from ..summary_model import GroupSummary, Summary
from ..wording import PURPOSES
from .printed import COVER_TEXT_LIMIT, NAME_LIMIT, NONE, SHORT_NAME_LIMIT, clip, shorten


@dataclass(frozen=True)
class CoverDetails:
    """The cover's fields, resolved from the template and command-line options (plain text)."""

    organisation: str
    board: str
    title: str
    paper_reference: str
    agenda_item: str
    meeting_date: dt.date
    presented_by: str
    author: str
    purpose: str  # information, discussion or decision
    classification: str


def resolve_cover(config: Config, options: CoverOptions, decisions_sought: bool = False) -> CoverDetails:
    """The cover's fields: command-line options first, then the template's [cover], then defaults.

    Any decision sought in the as-at period makes the purpose "decision" unless
    ``--purpose`` says otherwise. The template's fields were checked by load_config.
    """
    cover = config.cover
    purpose = (options.purpose or ("decision" if decisions_sought else "") or cover.purpose).strip().lower()
    if options.meeting_date is None:  # the pipeline gives the default date before rendering
        raise ValueError("the cover needs a meeting date")
    if purpose not in PURPOSES:  # only an option can be wrong here: the command line offers no other
        raise ValueError(f"purpose must be information, discussion or decision, not {purpose!r}")

    def chosen(option: str | None, setting: str) -> str:
        return plain(option).strip() if option else plain(setting).strip()

    return CoverDetails(
        organisation=config.organisation,
        board=config.board,
        title=plain(options.title).strip() if options.title else (plain(cover.title).strip() or config.report_title),
        paper_reference=chosen(options.paper_ref, cover.paper_reference),
        agenda_item=plain(cover.agenda_item).strip(),
        meeting_date=options.meeting_date,
        presented_by=chosen(options.presented_by, cover.presented_by),
        author=plain(cover.author).strip(),
        purpose=purpose,
        classification=chosen(options.classification, cover.classification) or "Open",
    )


@dataclass(frozen=True)
class RunningText:
    """What runs along every page but the cover: the PDF's header and footer, the HTML's banner and footer."""

    document_title: str  # the PDF's title metadata, the HTML's <title>
    header_left: str
    header_right: str
    footer_left: str


def running_text(details: CoverDetails, summary: Summary) -> RunningText:
    title = clip(details.title, 200)
    as_at = summary.as_at.label
    return RunningText(
        document_title=f"{title}, as at {as_at}",
        header_left=f"{title} · as at {as_at}",
        header_right=f"Classification: {details.classification}",
        footer_left=" · ".join(
            x for x in (f"{details.board}, {uk_date(details.meeting_date)}", details.paper_reference) if x
        ),
    )


def cover_heading(details: CoverDetails) -> tuple[str, str, str]:
    """(organisation, board, title) as the cover prints them."""
    return clip(details.organisation, 200), clip(details.board, 200), shorten(details.title, 300, " …")


def reporting_period(summary: Summary) -> str:
    return f"{summary.as_at.label} (to {uk_date(summary.as_at_last_day)})"


def cover_fields(details: CoverDetails, summary: Summary) -> tuple[tuple[str, str], ...]:
    """(label, value) of each field of the cover's grid, in reading order; "–" for an empty one."""

    def value(text: str) -> str:
        return shorten(text, 300, " …") or NONE

    return tuple(
        (label, value(text))
        for label, text in (
            ("Meeting", details.board),
            ("Meeting date", uk_date(details.meeting_date)),
            ("Paper reference", details.paper_reference),
            ("Agenda item", details.agenda_item),
            ("Purpose", PURPOSES.get(details.purpose, details.purpose)),
            ("Classification", details.classification),
            ("Presented by", details.presented_by),
            ("Author", details.author),
            ("Reporting period", reporting_period(summary)),
        )
    )


def cover_summary(narrative: Narrative) -> tuple[str, ...]:
    """The cover's summary, as paragraphs."""
    return tuple(p for p in shorten(narrative.summary, 3000, " …").split("\n\n") if p.strip())


def recommendations_heading(narrative: Narrative) -> str:
    return "Recommendation" + ("s" if len(narrative.recommendations) > 1 else "")


def recommendations(narrative: Narrative) -> tuple[str, ...]:
    return tuple(shorten(text, COVER_TEXT_LIMIT, " …") for text in narrative.recommendations)


NO_RECOMMENDATIONS = "None."


@dataclass(frozen=True)
class Implication:
    label: str
    text: str
    stated: bool  # False: the template says nothing, and the text is "Not stated"


def implications(narrative: Narrative) -> tuple[Implication, ...]:
    return tuple(
        Implication(
            label,
            shorten(narrative.implications[key], COVER_TEXT_LIMIT, " …"),
            narrative.implications[key] != NOT_STATED,
        )
        for key, label in IMPLICATIONS
    )


# --------------------------------------------------------------------------- contents


@dataclass(frozen=True)
class ContentsEntry:
    level: int  # 0 a section, 1 a part of one
    text: str
    key: str  # the PDF's bookmark, the HTML's id


def partner_key(index: int) -> str:
    return f"partner-{index + 1}"


def group_title(group: GroupSummary) -> str:
    """ "European Students' Union (ESU)"; the name alone when the short name is the same."""
    name = clip(group.name, NAME_LIMIT)
    short = clip(group.short_name, SHORT_NAME_LIMIT)
    return name if short.casefold() == name.casefold() else f"{name} ({short})"


def full_appendix_table(summary: Summary, config: Config) -> bool:
    """Whether the appendix lists every activity, or only totals per partner."""
    return len(summary.activities) <= config.pack.appendix_activities


def appendix_titles(summary: Summary, places: Places, config: Config) -> tuple[tuple[str, str], ...]:
    """(title, key) of each appendix part, numbered A1, A2, … in the order they print."""
    names = [
        (
            "Full activity table" if full_appendix_table(summary, config) else "Activities by partner",
            "appendix-activities",
        )
    ]
    if places.attention_overflow:
        names.append(("Further items needing attention", "appendix-attention"))
    names += [
        ("Data sources", "appendix-sources"),
        ("Data quality notes", "appendix-quality"),
        ("Glossary", "appendix-glossary"),
    ]
    return tuple((f"A{i} {title}", key) for i, (title, key) in enumerate(names, start=1))


def contents(summary: Summary, places: Places, config: Config) -> tuple[ContentsEntry, ...]:
    """The contents: every section and part, in the order they print (the cover and contents excepted)."""
    lines = [ContentsEntry(0, "Executive summary", "executive")]
    if places.decisions:
        lines.append(ContentsEntry(0, "Decisions for the Board", "decisions"))
    lines += [ContentsEntry(0, "Needs attention", "attention"), ContentsEntry(0, "Partners", "partners")]
    lines += [ContentsEntry(1, group_title(p), partner_key(i)) for i, p in enumerate(summary.partners)]
    lines += [ContentsEntry(0, "Strategic areas", "areas"), ContentsEntry(0, "Appendix", "appendix")]
    lines += [ContentsEntry(1, title, key) for title, key in appendix_titles(summary, places, config)]
    return tuple(lines)
