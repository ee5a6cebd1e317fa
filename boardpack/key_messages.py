"""The executive summary's key messages, written from the data.

Each message says something the figure boxes above it do not: which way the
on-track share is going against the previous period and the rest of the year,
what has been Red for a long time, what was completed, where money is at risk,
what disappeared from the tracker, and whose commentary is missing or stale.
A message that has nothing to say is left out. Activities discussed elsewhere
in the pack are referred to by place (paper.Places.mention), never named a
third time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

__all__ = ["key_messages"]

from .config import Config
from .formats import join_and, money, percent, possessive
from .model import Period
from .paper import Places
from .summary_model import ActivityRow, MoneyFlag, Summary

_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _count(n: int, singular: str, plural_form: str | None = None) -> str:
    """ "two periods", "12 periods": small counts in words, as prose writes them."""
    word = singular if n == 1 else (plural_form or singular + "s")
    return f"{_NUMBER_WORDS[n] if n < len(_NUMBER_WORDS) else f'{n:,}'} {word}"


def _listed(items: Sequence[str], limit: int) -> str:
    """Up to ``limit`` items joined with "and"; past it, "and N more"."""
    if len(items) <= limit:
        return join_and(items)
    return ", ".join(items[:limit]) + f" and {len(items) - limit:,} more"


class _Mentions:
    """Names each activity once across the key messages; later mentions point back to it.

    An activity is already named in its partner's table, so the key messages may
    name it once more at most (and not at all when it is discussed under
    Decisions or Needs attention, which Places.mention handles).
    """

    def __init__(self, places: Places) -> None:
        self.places = places
        self.shorts = places.shorts
        self.named: set[tuple[str, str]] = set()

    def named_already(self, row: ActivityRow) -> bool:
        return (row.partner, row.activity) in self.named

    def __call__(self, row: ActivityRow) -> str:
        key = (row.partner, row.activity)
        if self.places.place(row) is None and key in self.named:
            short = self.shorts.get(row.partner, row.partner)
            return f"{possessive(short)} {row.area[:1].lower() + row.area[1:]} activity named above"
        self.named.add(key)
        return self.places.mention(row)


def _sentence(text: str) -> str:
    """``text`` with a capital first letter, the rest as written."""
    return text[:1].upper() + text[1:]


def _short_period(period: Period, as_at: Period) -> str:
    """ "Q3" within the as-at strategy year, "2024-25 Q4" outside it."""
    return f"Q{period.quarter}" if period.start_year == as_at.start_year else period.label


def share_message(summary: Summary) -> str | None:
    """The on-track share against the previous period and the rest of the strategy year."""
    points = {
        t.period: t.on_track_or_complete_pct
        for t in summary.trend
        if t.on_track_or_complete_pct is not None and t.period <= summary.as_at
    }
    current = summary.totals.on_track_or_complete_pct
    if summary.as_at not in points or len(points) < 2:
        return None
    as_at = summary.as_at
    text = f"{percent(current)} of activities are on track or complete"
    previous = points.get(summary.previous)
    if previous is not None:
        if round(previous) == round(current):
            text += f", level with {summary.previous.label}"
        else:
            direction = "down" if current < previous else "up"
            text += f", {direction} from {percent(previous)} in {summary.previous.label}"
    year = {p: v for p, v in points.items() if p.start_year == as_at.start_year and p != as_at}
    if year:
        lowest, highest = min(year.values()), max(year.values())
        quarters = len(year) + 1
        if round(current) < round(lowest):
            text += f": the lowest of the {quarters} quarters this year"
        elif round(current) > round(highest):
            text += f": the highest of the {quarters} quarters this year"
        elif round(current) < round(highest):
            best = max(year, key=lambda p: (year[p], p))
            text += f"; this year's best was {percent(year[best])} in {_short_period(best, as_at)}"
    return text + "."


def streak_message(summary: Summary, mention: _Mentions, limit: int) -> str | None:
    """Activities Red, or not started, for two periods or more running."""
    streaks = summary.streaks
    if not streaks:
        return None
    parts = [
        f"{mention(a)}, {a.status} since {a.status_since.label if a.status_since else '?'} "
        f"({_count(a.status_periods, 'period')})"
        for a in streaks
    ]
    reds = sum(1 for a in streaks if a.status == "Red")
    waiting = len(streaks) - reds
    what = join_and(
        x
        for x in (
            f"{_count(reds, 'activity', 'activities')} Red" if reds else "",
            f"{_count(waiting, 'activity', 'activities')} not started" if waiting else "",
        )
        if x
    )
    return f"Stuck for two periods or more: {what}. {_sentence(_listed(parts, limit))}."


def completions_message(summary: Summary, mention: _Mentions, limit: int) -> str | None:
    """The activities completed since the previous period, by name (those already named, counted)."""
    done = [a for a in summary.activities if a.change == "completed"]
    if not done or not summary.previous_has_data:
        return None
    # Those not yet named come first, so the limit is spent on news.
    shown = sorted(done, key=mention.named_already)[:limit]
    names = [mention(a) for a in shown]
    more = len(done) - len(shown)
    listed = join_and(names) if not more else ", ".join(names) + f" and {more:,} more"
    return (
        f"{_sentence(_count(len(done), 'activity', 'activities'))} completed since {summary.previous.label}: {listed}."
    )


def _flag_text(flag: MoneyFlag, mention: _Mentions, rows: dict[tuple[str, str], ActivityRow]) -> str:
    row = rows.get((flag.partner, flag.activity))
    who = mention(row) if row else flag.activity
    return f"{who}, {money(flag.spend)} of {money(flag.budget)} ({percent(flag.pct)})"


def money_messages(summary: Summary, mention: _Mentions, config: Config) -> list[str]:
    """Overspends, budgets nearly spent before the work is done, partners far from their budget.

    Each names the first few (the template's completions_named) and counts the rest.
    """
    limit = config.pack.completions_named
    rows = {(a.partner, a.activity): a for a in summary.activities}
    by_kind: dict[str, list[MoneyFlag]] = {}
    for flag in summary.money_flags:
        by_kind.setdefault(flag.kind, []).append(flag)

    def some(flags: list[MoneyFlag], text: Callable[[MoneyFlag], str]) -> str:
        named = [text(f) for f in flags[:limit]]  # only those named are mentioned
        return join_and(named) if len(flags) <= limit else ", ".join(named) + f" and {len(flags) - limit:,} more"

    def activity(flag: MoneyFlag) -> str:
        return _flag_text(flag, mention, rows)

    def partner(flag: MoneyFlag) -> str:
        short = mention.shorts.get(flag.partner, flag.partner)
        return (
            f"{short} {'over' if flag.kind == 'partner_overspend' else 'under'}spent, "
            f"{money(flag.spend)} of {money(flag.budget)} ({percent(flag.pct)})"
        )

    messages = []
    over = by_kind.get("overspent", [])
    if over:
        messages.append(f"Over budget: {some(over, activity)}.")
    near = by_kind.get("near_budget", [])
    if near:
        messages.append(
            f"{percent(config.pack.near_budget_pct)} or more of the budget spent before the work "
            f"is complete: {some(near, activity)}."
        )
    partners = by_kind.get("partner_overspend", []) + by_kind.get("partner_underspend", [])
    if partners:
        messages.append(
            f"More than {percent(config.pack.partner_money_pct)} away from budget: {some(partners, partner)}."
        )
    return messages


def missing_message(summary: Summary, places: Places, limit: int) -> str | None:
    """Activities of the previous period with no row now: they change the base of every comparison.

    Those not complete when last reported matter most (did they end, or fall out
    of the tracker?); completed ones dropping off are expected and only counted.
    """
    missing = summary.missing_activities
    if not missing:
        return None
    previous, as_at = summary.previous.label, summary.as_at.label
    unfinished = [m for m in missing if m.previous_status != "Complete"]
    finished = len(missing) - len(unfinished)
    if not unfinished:
        names = [f"{m.activity} ({places.shorts.get(m.partner, m.partner)})" for m in missing]
        return (
            f"{_sentence(_count(finished, 'activity', 'activities'))} complete in {previous} "
            f"{'is' if finished == 1 else 'are'} no longer reported in {as_at}: {_listed(names, limit)}. "
            f"That is expected once work is done, but comparisons with {previous} leave "
            f"{'it' if finished == 1 else 'them'} out."
        )
    names = [
        f"{m.activity} ({places.shorts.get(m.partner, m.partner)}, {m.previous_status} in {previous})"
        for m in unfinished
    ]
    one = len(unfinished) == 1
    text = (
        f"{_sentence(_count(len(unfinished), 'activity', 'activities'))} not complete in {previous} "
        f"{'has' if one else 'have'} no row in {as_at}: {_listed(names, limit)}. Ask whether "
        f"{'it' if one else 'they'} ended or fell out of the tracker"
    )
    if finished:
        text += (
            f"; {_count(finished, 'more', 'more')} complete in {previous} "
            f"{'is' if finished == 1 else 'are'} no longer reported, as expected"
        )
    return text + "."


def commentary_message(summary: Summary) -> str | None:
    """Red or Amber activities whose lead has said nothing new."""
    flagged = [a for a in summary.activities if a.status in ("Red", "Amber")]
    missing = sum(1 for a in flagged if not a.commentary.strip())
    stale = sum(1 for a in flagged if a.commentary_unchanged)
    if not missing and not stale:
        return None
    parts = []
    if missing:
        parts.append(
            f"{_count(missing, 'Red or Amber activity', 'Red or Amber activities')} "
            f"{'has' if missing == 1 else 'have'} no commentary"
        )
    if stale:
        parts.append(
            f"{_count(stale, 'activity', 'activities')} {'repeats' if stale == 1 else 'repeat'} "
            f"the commentary of {summary.previous.label} word for word"
        )
    return f"{_sentence(join_and(parts))}; each is flagged under Needs attention."


def key_messages(summary: Summary, config: Config, places: Places) -> tuple[str, ...]:
    """Every key message that has something to say, in the order a trustee needs them."""
    limit = config.pack.completions_named
    mention = _Mentions(places)
    writers: list[Callable[[], str | None | list[str]]] = [
        lambda: share_message(summary),
        lambda: streak_message(summary, mention, limit),
        lambda: money_messages(summary, mention, config),
        lambda: missing_message(summary, places, limit),
        lambda: completions_message(summary, mention, limit),
        lambda: commentary_message(summary),
    ]
    messages: list[str] = []
    for write in writers:
        said = write()
        if isinstance(said, list):
            messages += said
        elif said:
            messages.append(said)
    return tuple(messages)
