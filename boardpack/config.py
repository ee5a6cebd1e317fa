"""The template (TOML) read into a frozen configuration.

Everything staff may change without code lives in the template: names, colours,
cover defaults, the partner and area registry, extra header aliases, limits and
narrative text. It is read once, when a run starts, never at import time, and
checked as it is read: every section becomes typed, frozen fields and every
mistake a TemplateError naming the section and setting, so later stages trust
what they are given (only narrative placeholders wait for the summary).
"""

from __future__ import annotations

import difflib
import importlib.resources
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from types import MappingProxyType

from .errors import TemplateError
from .schema import TABLES
from .template_sections import (
    Branding,
    Cover,
    NarrativeTexts,
    parse_branding,
    parse_cover,
    parse_narrative,
)
from .text import clean_text, match_key

# Where a run looks for its template when none is given, after --template:
LOCAL_TEMPLATE = Path("templates") / "board_report.toml"  # under the current folder, if it is there
PACKAGED_TEMPLATE = "board_report.toml"  # then the default that ships inside boardpack (package data)


def packaged_template() -> Path:
    """The default template shipped inside the package, found with importlib.resources."""
    resource = importlib.resources.files("boardpack") / "templates" / PACKAGED_TEMPLATE
    return Path(str(resource))


def find_template(given: str | Path | None = None) -> Path:
    """The template a run uses: ``given``, else templates/board_report.toml under the current
    folder when there is one, else the packaged default."""
    if given is not None:
        return Path(given)
    if LOCAL_TEMPLATE.is_file():
        return LOCAL_TEMPLATE
    return packaged_template()


@dataclass(frozen=True)
class RegistryEntry:
    """A partner or strategic area the template knows about."""

    name: str
    short_name: str
    aliases: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class Registry:
    """The partners (or areas) of the template, found by name, short name or alias."""

    kind: str  # "partner" or "area", for messages
    entries: tuple[RegistryEntry, ...]
    _by_key: Mapping[str, RegistryEntry] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_key: dict[str, RegistryEntry] = {}
        for entry in self.entries:
            for spelling in (entry.name, entry.short_name, *entry.aliases):
                key = match_key(spelling)
                other = by_key.get(key)
                if other is not None and other is not entry:
                    raise TemplateError(
                        f'the {self.kind} spelling "{spelling}" is used by both '
                        f'"{other.name}" and "{entry.name}"; each spelling may name only one'
                    )
                by_key[key] = entry
        object.__setattr__(self, "_by_key", MappingProxyType(by_key))

    def find(self, text: str) -> RegistryEntry | None:
        return self._by_key.get(match_key(text))

    def suggest(self, text: str) -> str | None:
        """The registry name closest to ``text``, if one is close enough to be a typo."""
        close = difflib.get_close_matches(match_key(text), list(self._by_key), n=1, cutoff=0.75)
        return self._by_key[close[0]].name if close else None

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(e.name for e in self.entries)


@dataclass(frozen=True)
class Limits:
    """Guards against runaway files; adjustable in the template's [limits]."""

    max_uncompressed_mb: float = 100  # one file once unzipped, and all files together
    max_rows: int = 100_000  # rows of one sheet, and table rows of all files together
    max_columns: int = 50
    max_money: float = 1_000_000_000  # the largest budget or spend accepted, in pounds


@dataclass(frozen=True)
class PackLimits:
    """How long the board paper may grow, and when money is worth a key message; the template's [pack]."""

    attention_items: int = 12  # Needs attention lists this many in the body, the rest in the appendix
    partner_activities: int = 40  # a partner with more lists only its exceptions in the body
    appendix_activities: int = 300  # the appendix prints every activity up to this many
    completions_named: int = 5  # key messages name this many completions, then give a count
    near_budget_pct: float = 90  # an activity not complete that has spent this share of its budget
    partner_money_pct: float = 20  # a partner's spend this far above or below its budget


@dataclass(frozen=True)
class Config:
    """The template, checked and frozen."""

    path: str
    organisation: str
    report_title: str
    board: str
    year_start_month: int
    input_years: tuple[int, ...]  # strategy years offered in the blank workbook's period list
    partners: Registry
    areas: Registry
    header_aliases: Mapping[str, tuple[str, ...]]
    limits: Limits
    pack: PackLimits
    branding: Branding
    cover: Cover
    narrative: NarrativeTexts


def _section(data: dict, name: str) -> dict:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise TemplateError(f"[{name}] must be a table of settings")
    return value


def _text(section: dict, key: str, where: str, default: str | None = None) -> str:
    value = section.get(key, default)
    if not isinstance(value, str) or not value.strip():
        raise TemplateError(f'{where}: "{key}" must be some text')
    return clean_text(value)


def _registry(data: dict, key: str, kind: str) -> Registry:
    # Names print as the template writes them (curly quotes and case kept); find() matches loosely.
    items = data.get(key)
    if not isinstance(items, list) or not items:
        raise TemplateError(f"the template needs at least one [[{key}]] entry")
    entries = []
    for number, item in enumerate(items, start=1):
        where = f"[[{key}]] number {number}"
        if not isinstance(item, dict):
            raise TemplateError(f"{where} must be a table")
        name = _text(item, "name", where)
        aliases = item.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise TemplateError(f'{where} ("{name}"): "aliases" must be a list of text')
        entries.append(
            RegistryEntry(
                name=name,
                short_name=_text(item, "short_name", where, default=name),
                aliases=tuple(clean_text(a) for a in aliases if a.strip()),
                description=clean_text(item.get("description", "")),
            )
        )
    return Registry(kind, tuple(entries))


def _header_aliases(data: dict) -> dict[str, tuple[str, ...]]:
    known = {c.name for t in TABLES for c in t.columns}
    aliases = {}
    for column, spellings in _section(data, "header_aliases").items():
        if column not in known:
            raise TemplateError(f'[header_aliases]: "{column}" is not a column; use one of {", ".join(sorted(known))}')
        if not isinstance(spellings, list) or not all(isinstance(s, str) for s in spellings):
            raise TemplateError(f'[header_aliases]: "{column}" must be a list of headings')
        aliases[column] = tuple(spellings)
    return aliases


def _limits(data: dict) -> Limits:
    section = _section(data, "limits")
    defaults = Limits()
    values = {}
    for name in ("max_uncompressed_mb", "max_rows", "max_columns", "max_money"):
        value = section.get(name, getattr(defaults, name))
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise TemplateError(f'[limits]: "{name}" must be a positive number')
        values[name] = value
    return Limits(**values)


def _pack(data: dict) -> PackLimits:
    section = _section(data, "pack")
    defaults = PackLimits()
    known = [f.name for f in fields(PackLimits)]
    unknown = sorted(set(section) - set(known))
    if unknown:
        raise TemplateError(f"[pack]: unknown setting(s) {', '.join(unknown)}; use {', '.join(known)}")
    values = {}
    for name in known:
        default = getattr(defaults, name)
        value = section.get(name, default)
        whole = isinstance(default, int)
        if isinstance(value, bool) or not isinstance(value, int if whole else (int, float)) or value <= 0:
            raise TemplateError(f'[pack]: "{name}" must be a positive {"whole " if whole else ""}number')
        values[name] = value
    return PackLimits(**values)


# --------------------------------------------------------------------------- branding, cover, narrative


def load_config(path: str | Path | None = None) -> Config:
    """Read and check a template; raise TemplateError saying what to fix.

    Without ``path``, the template is looked for as :func:`find_template` says.
    """
    path = find_template(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TemplateError(f"template not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"cannot read the template {path}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(f"the template {path} is not valid TOML: {exc}") from None

    organisation = _section(data, "organisation")
    strategy = _section(data, "strategy")
    month = strategy.get("year_start_month", 8)
    if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
        raise TemplateError('[strategy]: "year_start_month" must be a month number from 1 to 12')

    years = strategy.get("input_years", [])
    if not isinstance(years, list) or not all(isinstance(y, str) and re.fullmatch(r"\d{4}-\d{2}", y) for y in years):
        raise TemplateError('[strategy]: "input_years" must be a list of strategy years such as "2025-26"')

    return Config(
        path=str(path),
        organisation=_text(organisation, "name", "[organisation]"),
        report_title=_text(
            organisation, "report_title", "[organisation]", default="International Strategy Progress Report"
        ),
        board=_text(organisation, "board", "[organisation]", default="Board of Trustees"),
        year_start_month=month,
        input_years=tuple(int(y[:4]) for y in years),
        partners=_registry(data, "partners", "partner"),
        areas=_registry(data, "areas", "area"),
        header_aliases=MappingProxyType(_header_aliases(data)),
        limits=_limits(data),
        pack=_pack(data),
        branding=parse_branding(data.get("branding", {}), path.resolve().parent),
        cover=parse_cover(data.get("cover", {})),
        narrative=parse_narrative(data.get("narrative", {})),
    )
