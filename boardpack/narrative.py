"""The template's narrative text, filled in from the summary through a sandboxed Jinja2.

Staff write the cover summary, the recommendations, the implications and the
key messages in the template's ``[narrative]`` section, with placeholders such
as ``{{ totals.red }}`` or ``{{ totals.spend | money }}``. This module turns
those strings into plain text:

* templates run in :class:`jinja2.sandbox.SandboxedEnvironment` (never
  ``eval``), with ``StrictUndefined`` so a misspelt placeholder is an error
  that names the setting, not a silent blank;
* the context holds plain data only (dicts, lists, numbers, text), built here
  from the :class:`~boardpack.summary_model.Summary`;
* the result is plain text; whoever prints it (the PDF) must escape it.

docs/templates.md lists every placeholder and filter, with examples.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from .config import Config
from .errors import TemplateError
from .formats import join_and, money, number, percent, uk_date
from .formats import plural as formats_plural
from .key_messages import key_messages
from .paper import Places, places
from .summary_model import ActivityRow, GroupSummary, Summary, Totals
from .template_sections import DEFAULT_NARRATIVE, IMPLICATIONS

__all__ = [
    "DEFAULT_NARRATIVE",
    "IMPLICATIONS",
    "Narrative",
    "build_context",
    "render_narrative",
    "render_text",
    "uk_date",
    "money",
    "percent",
    "NOT_STATED",
]

# What the cover prints for an implication the template leaves empty.
NOT_STATED = "Not stated"


def plural(count: Any, singular: str, plural_form: str | None = None, bare: bool = False) -> str:
    """The template filter: ``3 | plural('activity', 'activities')`` -> "3 activities" (formats.plural);
    ``bare=true`` drops the number; a count that is not a number is printed as it is."""
    if not isinstance(count, (int, float)) or isinstance(count, bool):
        word = plural_form if plural_form is not None else singular + "s"
        return word if bare else f"{count} {word}"
    text = formats_plural(count, singular, plural_form)
    return text.split(" ", 1)[1] if bare else text


# --------------------------------------------------------------------------- context

_MOVE_ARROWS = {"improved": "▲", "worsened": "▼", "completed": "✔", "new": "✚", "unchanged": "="}


def move_text(previous: str | None, status: str, change: str) -> str:
    """'Amber → Red ▼' for a move, 'new ✚' for a new activity, 'Green =' when unchanged."""
    arrow = _MOVE_ARROWS.get(change, "")
    if previous is None:
        return f"new {arrow}".strip()
    if previous == status:
        return f"{status} {arrow}".strip()
    return f"{previous} → {status} {arrow}".strip()


def _totals(totals: Totals, summary: Summary | None = None) -> dict[str, Any]:
    by_status, changes = totals.by_status, totals.changes
    data = {
        "activities": totals.activities,
        "red": by_status.get("Red", 0),
        "amber": by_status.get("Amber", 0),
        "green": by_status.get("Green", 0),
        "complete": by_status.get("Complete", 0),
        "not_started": by_status.get("Not started", 0),
        "on_track": by_status.get("Green", 0) + by_status.get("Complete", 0),
        "on_track_pct": totals.on_track_or_complete_pct,
        "overdue": totals.overdue,
        "budget": totals.budget,
        "spend": totals.spend,
        "spend_pct": totals.spend_pct_of_budget,
        "mean_progress": totals.mean_progress,
        **{name: changes.get(name, 0) for name in ("new", "completed", "improved", "worsened", "unchanged")},
    }
    if summary is not None:
        data["needs_attention"] = len(summary.exceptions)
        data["missing_commentary"] = len(summary.missing_commentary)
        data["decisions"] = len(summary.decisions)
        decided = {(a.partner, a.activity) for a in summary.decisions}
        data["attention_only"] = sum(1 for a in summary.exceptions if (a.partner, a.activity) not in decided)
        kinds = [f.kind for f in summary.money_flags]
        data["overspent"] = kinds.count("overspent")
        data["near_budget"] = kinds.count("near_budget")
        previous = next((t.on_track_or_complete_pct for t in summary.trend if t.period == summary.previous), None)
        data["previous_on_track_pct"] = previous
    return data


def _group(group: GroupSummary, kind: str, summary: Summary) -> dict[str, Any]:
    if kind == "partner":
        rows = [a for a in summary.activities if a.partner == group.name]
    else:
        rows = [a for a in summary.activities if a.area == group.name]
    attention = [a for a in rows if a.needs_attention]
    return {
        "kind": kind,
        "name": group.name,
        "short_name": group.short_name,
        "description": group.description,
        **_totals(group),
        "needs_attention": len(attention),
        "missing_commentary": sum(1 for a in rows if a.status in ("Red", "Amber") and not a.commentary.strip()),
    }


def _item(row: ActivityRow, shorts: Mapping[str, str]) -> dict[str, Any]:
    partner_short = shorts.get(row.partner, row.partner)
    move = move_text(row.previous_status, row.status, row.change)
    return {
        "activity": row.activity,
        "partner": row.partner,
        "partner_short": partner_short,
        "area": row.area,
        "area_short": shorts.get(row.area, row.area),
        "status": row.status,
        "previous_status": row.previous_status,
        "change": row.change,
        "move": move,
        "overdue": row.overdue,
        "lead": row.lead,
        "due_date": uk_date(row.due_date),
        "progress": row.progress,
        "budget": row.budget,
        "spend": row.spend,
        "commentary": row.commentary,
        "label": f"{row.activity} ({partner_short})",
        "label_with_move": f"{row.activity} ({partner_short}, {move})",
    }


def build_context(
    summary: Summary,
    config: Config,
    *,
    meeting_date: dt.date,
    paper_title: str,
    purpose: str,
    where: Places | None = None,
) -> dict[str, Any]:
    """The placeholders a narrative template may use (docs/templates.md lists them)."""
    where = where or places(summary, config)
    shorts = where.shorts
    items = [{**_item(a, shorts), "mention": where.mention(a)} for a in summary.activities]
    by_name = {(a.partner, a.activity): i for a, i in zip(summary.activities, items, strict=True)}

    def pick(rows: Iterable[ActivityRow]) -> list[dict[str, Any]]:
        return [by_name[(r.partner, r.activity)] for r in rows]

    partners = [_group(g, "partner", summary) for g in summary.partners]
    areas = [_group(g, "area", summary) for g in summary.areas]
    return {
        "organisation": config.organisation,
        "board": config.board,
        "report_title": config.report_title,
        "paper_title": paper_title,
        "purpose": purpose,
        "meeting_date": uk_date(meeting_date),
        "as_at": summary.as_at.label,
        "as_at_end": uk_date(summary.as_at_last_day),
        "previous": summary.previous.label,
        "previous_has_data": summary.previous_has_data,
        "totals": _totals(summary.totals, summary),
        "partners": partners,
        "areas": areas,
        "partner": {g["short_name"]: g for g in partners},
        "area": {g["short_name"]: g for g in areas},
        "activities": items,
        "attention": pick(summary.exceptions),
        "red": [i for i in items if i["status"] == "Red"],
        "amber": [i for i in items if i["status"] == "Amber"],
        "overdue": [i for i in items if i["overdue"]],
        "worsened": [i for i in items if i["change"] == "worsened"],
        "improved": [i for i in items if i["change"] == "improved"],
        "completed": [i for i in items if i["change"] == "completed"],
        "new": [i for i in items if i["change"] == "new"],
        "missing_commentary": pick(summary.missing_commentary),
        "decisions": [
            {**by_name[(r.partner, r.activity)], "ref": where.decision_ref(r), "ask": r.decision}
            for r in where.decisions
        ],
        "overspent": [
            i for i in items if i["budget"] is not None and i["spend"] is not None and i["spend"] > i["budget"]
        ],
    }


# --------------------------------------------------------------------------- rendering


def _environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters.update(
        {
            "money": money,
            "percent": percent,
            "number": number,
            "plural": plural,
            "join_and": join_and,
            "uk_date": uk_date,
        }
    )
    return env


_BLANK_LINES = re.compile(r"\n\s*\n")
_SPACES = re.compile(r"[ \t\r\n\u00a0]+")


def render_text(source: str, context: Mapping[str, Any], where: str, env: SandboxedEnvironment | None = None) -> str:
    """One template string -> plain text; paragraphs separated by one blank line.

    Raises TemplateError naming ``where`` (e.g. ``[narrative] summary``) when the
    text has a mistake, uses a placeholder that does not exist, or tries
    something the sandbox forbids.
    """
    env = env or _environment()
    try:
        text = env.from_string(source).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{where}: line {exc.lineno}: {exc.message}") from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"{where}: {exc.message} (see docs/templates.md for the placeholders)") from None
    except jinja2.TemplateError as exc:  # sandbox SecurityError included
        raise TemplateError(f"{where}: {exc}") from None
    except (TypeError, ValueError, ArithmeticError, AttributeError) as exc:
        raise TemplateError(f"{where}: {exc}") from None
    paragraphs = [_SPACES.sub(" ", p).strip() for p in _BLANK_LINES.split(text)]
    return "\n\n".join(p for p in paragraphs if p)


@dataclass(frozen=True)
class Narrative:
    """The filled-in narrative of one pack: plain text, not yet escaped.

    ``implications`` maps each key of :data:`IMPLICATIONS` to its text, "Not
    stated" where the template gives nothing. ``recommendations`` end with one
    per decision sought; ``key_messages`` start with those written from the data. ``group_summaries`` maps "partner:<name>"
    and "area:<name>" to the sentence shown under each section heading.
    """

    summary: str
    recommendations: tuple[str, ...]
    key_messages: tuple[str, ...]
    implications: Mapping[str, str]
    group_summaries: Mapping[str, str]


def unstated_implications(config: Config) -> tuple[str, ...]:
    """The implications the template leaves empty (the cover prints "Not stated" for them)."""
    return tuple(key for key, _label in IMPLICATIONS if not config.narrative.implications[key].strip())


def decision_recommendation(ask: str, ref: str, partner_short: str) -> str:
    """Staff's ask as a recommendation: "The Board is asked to approve … (D1, ACUI)."

    An ask that already begins "The Board is asked to" is kept as it is; a
    capitalised first word is lowered ("Approve" -> "approve"), an acronym kept.
    """
    text = " ".join(ask.split()).rstrip(".")
    lead = "The Board is asked to "
    if text.casefold().startswith(lead.casefold()):
        text = text[len(lead) :]
    elif text[:2].istitle() and not text[:2].isupper():
        text = text[:1].lower() + text[1:]
    return f"{lead}{text} ({ref}, {partner_short})."


def render_narrative(
    summary: Summary,
    config: Config,
    *,
    meeting_date: dt.date,
    paper_title: str,
    purpose: str,
    where: Places | None = None,
) -> Narrative:
    """Fill in every narrative text of the template from the summary (load_config checked its settings)."""
    settings = config.narrative
    where = where or places(summary, config)
    context = build_context(
        summary, config, meeting_date=meeting_date, paper_title=paper_title, purpose=purpose, where=where
    )
    env = _environment()

    def many(key: str, texts: tuple[str, ...]) -> tuple[str, ...]:
        rendered = (render_text(t, context, f"[narrative] {key} (item {n})", env) for n, t in enumerate(texts, start=1))
        return tuple(t for t in rendered if t)

    implications = {
        key: render_text(settings.implications[key], context, f"[narrative.implications] {key}", env) or NOT_STATED
        for key, _label in IMPLICATIONS
    }
    groups = {}
    for kind, collection in (("partner", context["partners"]), ("area", context["areas"])):
        for group in collection:
            groups[f"{kind}:{group['name']}"] = render_text(
                settings.group_summary, {**context, "group": group}, "[narrative] group_summary", env
            )

    messages = key_messages(summary, config, where) if settings.messages_from_data else ()
    asks = tuple(
        decision_recommendation(r.decision, where.decision_ref(r) or "", where.shorts.get(r.partner, r.partner))
        for r in where.decisions
    )
    return Narrative(
        summary=render_text(settings.summary, context, "[narrative] summary", env),
        recommendations=many("recommendations", settings.recommendations) + asks,
        key_messages=messages + many("key_messages", settings.key_messages),
        implications=implications,
        group_summaries=groups,
    )
