"""The template's [branding], [cover] and [narrative] sections, each parsed once into typed, frozen
fields and checked as it is read (load_config in config.py calls the parse_* functions): colours,
the logo and slide template read and checked, cover settings, narrative texts and their keys."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .errors import TemplateError
from .wording import PURPOSES

# The default brand colours, used where the template gives none (the shipped template states them too).
PRIMARY_COLOUR = "#1F3A5F"
ACCENT_COLOUR = "#C8553D"

_COLOUR = re.compile(r"#(?:[0-9A-Fa-f]{3}){1,2}")

# Image formats both the PDF (reportlab) and the deck (python-pptx) can place.
LOGO_FORMATS = ("PNG", "JPEG", "GIF", "BMP", "TIFF")


@dataclass(frozen=True)
class TemplateFile:
    """A file a setting names, read when the template is loaded (so it is read once, and checked then)."""

    name: str  # as the template writes it, for messages
    path: Path
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class Logo(TemplateFile):
    """The ``[branding] logo``: an image of one of LOGO_FORMATS, with its size in pixels."""

    width: int
    height: int


@dataclass(frozen=True)
class Branding:
    """The template's ``[branding]``: colours as ``#RRGGBB`` (upper case), the optional logo and slide template."""

    primary_colour: str = PRIMARY_COLOUR
    accent_colour: str = ACCENT_COLOUR
    logo: Logo | None = None
    slides_template: TemplateFile | None = None


@dataclass(frozen=True)
class Cover:
    """The template's ``[cover]``: each field as written ("" when not set); ``purpose`` one of PURPOSES."""

    title: str = ""
    paper_reference: str = ""
    agenda_item: str = ""
    presented_by: str = ""
    author: str = ""
    purpose: str = "information"
    classification: str = "Open"


# The implications a UK charity board paper states, in the order the cover lists them.
IMPLICATIONS: tuple[tuple[str, str], ...] = (
    ("financial", "Financial"),
    ("risk", "Risk"),
    ("legal_governance", "Legal and governance"),
    ("equality", "Equality and inclusion"),
    ("sustainability", "Sustainability"),
    ("students", "Impact on students"),
)

# Used for any [narrative] key the template leaves out; templates/board_report.toml
# states the same text so staff can see and change it.
DEFAULT_NARRATIVE: dict[str, Any] = {
    "summary": (
        "This paper reports progress on the international strategy as at {{ as_at }} "
        "(to {{ as_at_end }}). Of {{ totals.activities | plural('activity', 'activities') }}, "
        "{{ totals.on_track }} ({{ totals.on_track_pct | percent }}) are on track or complete"
        "{% if totals.previous_on_track_pct is not none %}, against "
        "{{ totals.previous_on_track_pct | percent }} in {{ previous }}{% endif %}."
        "{% if decisions %} The Board is asked for "
        "{{ decisions | length | plural('decision', 'decisions') }} "
        "({{ decisions | map(attribute='ref') | join_and }}){% if totals.attention_only %}; "
        "{{ totals.attention_only | plural('other activity needs', 'other activities need') }} attention"
        "{% endif %}.{% elif totals.attention_only %} {{ totals.attention_only | plural('activity needs', "
        "'activities need') }} attention.{% endif %}"
    ),
    "recommendations": [
        "The Board is asked to note the progress of the international strategy as at {{ as_at }}.",
        "{% if totals.attention_only %}The Board is asked to note the "
        "{{ totals.attention_only | plural('activity', 'activities') }} that "
        "{{ totals.attention_only | plural('needs', 'need', bare=true) }} attention "
        "and the action being taken on each.{% endif %}",
    ],
    # Texts added after the key messages written from the data.
    "key_messages": [],
    # false leaves out the key messages written from the data, so that the
    # template's key_messages are the only ones.
    "messages_from_data": True,
    "group_summary": (
        "{{ group.activities | plural('activity', 'activities') }} as at {{ as_at }}: "
        "{{ group.on_track_pct | percent }} on track or complete, {{ group.red }} Red, "
        "{{ group.amber }} Amber, {{ group.overdue }} overdue."
        "{% if group.budget %} Spend {{ group.spend | money }} of a "
        "{{ group.budget | money }} budget ({{ group.spend_pct | percent }}).{% endif %}"
    ),
    "implications": {
        "financial": (
            "{% if totals.budget %}{{ totals.spend | money }} spent against a budget of "
            "{{ totals.budget | money }} ({{ totals.spend_pct | percent }})."
            "{% if totals.overspent %} {{ totals.overspent | plural('activity is', 'activities are') }} "
            "over budget.{% endif %}"
            "{% if totals.near_budget %} {{ totals.near_budget | plural('activity has', 'activities have') }} "
            "spent nearly all {{ totals.near_budget | plural('its', 'their', bare=true) }} budget before "
            "completion.{% endif %}{% endif %}"
        ),
        "risk": (
            "{% if totals.needs_attention %}{{ totals.needs_attention | plural('activity needs', "
            "'activities need') }} attention ({{ totals.red }} Red, {{ totals.amber }} Amber, "
            "{{ totals.overdue }} overdue); each is listed under Needs attention or Decisions with the "
            "action being taken.{% endif %}"
        ),
        "legal_governance": "",
        "equality": "",
        "sustainability": "",
        "students": (
            "{% if totals.complete %}{{ totals.complete | plural('activity has', 'activities have') }} "
            "been completed for students this year.{% endif %}"
        ),
    },
}


@dataclass(frozen=True)
class NarrativeTexts:
    """The template's ``[narrative]``: Jinja2 texts, not yet filled in, the built-in text where it gives none.

    Their placeholders are known only when a pack is made (narrative.py fills them in).
    """

    summary: str = DEFAULT_NARRATIVE["summary"]
    recommendations: tuple[str, ...] = tuple(DEFAULT_NARRATIVE["recommendations"])
    key_messages: tuple[str, ...] = tuple(DEFAULT_NARRATIVE["key_messages"])
    messages_from_data: bool = DEFAULT_NARRATIVE["messages_from_data"]
    group_summary: str = DEFAULT_NARRATIVE["group_summary"]
    implications: Mapping[str, str] = field(
        default_factory=lambda: MappingProxyType(dict(DEFAULT_NARRATIVE["implications"]))
    )  # every key of IMPLICATIONS


def _shown(value: object) -> str:
    """A template value as a message quotes it: text in double quotes, the rest as TOML writes it."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _settings(section: Mapping[str, Any], name: str, known: list[str]) -> Mapping[str, Any]:
    """The table ``[name]``, refused when it is not a table or holds a setting not in ``known``."""
    if not isinstance(section, Mapping):
        raise TemplateError(f"[{name}] must be a table of settings")
    unknown = sorted(set(section) - set(known))
    if unknown:
        raise TemplateError(f"[{name}] unknown setting(s) {', '.join(unknown)}; use {', '.join(known)}")
    return section


def _colour(section: Mapping[str, Any], key: str, default: str) -> str:
    value = section.get(key, default)
    if not isinstance(value, str) or not _COLOUR.fullmatch(value):
        raise TemplateError(f'[branding] {key} must be a colour like "#1F3A5F", not {_shown(value)}')
    digits = value[1:] if len(value) == 7 else "".join(ch * 2 for ch in value[1:])
    return "#" + digits.upper()


def _file(section: Mapping[str, Any], key: str, folder: Path) -> TemplateFile | None:
    """The file ``key`` names, read; None when unset. A relative path is looked for beside the
    template, then in the folder above it (the project folder, for the shipped templates/)."""
    name = section.get(key, "")
    if name == "":
        return None
    if not isinstance(name, str):
        raise TemplateError(f"[branding] {key} must be the path of a file, not {_shown(name)}")
    path = Path(name)
    if not path.is_absolute():
        candidates = [folder / path, folder.parent / path]
        path = next((p for p in candidates if p.is_file()), candidates[0])
    if not path.is_file():
        raise TemplateError(f'[branding] {key} "{name}" was not found at {path}')
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TemplateError(f'[branding] {key} "{name}" cannot be read ({exc.strerror or exc})') from None
    return TemplateFile(name, path, data)


def _logo(file: TemplateFile) -> Logo:
    from PIL import Image  # late: only a template with a logo needs it

    try:
        with Image.open(io.BytesIO(file.data)) as image:
            image.load()
            kind, (width, height) = image.format, image.size
    except Exception:  # Pillow raises many kinds for a file that is not an image
        raise TemplateError(
            f'[branding] logo "{file.name}" cannot be read as an image; save it as PNG or JPEG'
        ) from None
    if kind not in LOGO_FORMATS:
        raise TemplateError(
            f'[branding] logo "{file.name}" is {kind}, which the pack cannot place; save it as PNG or JPEG'
        )
    return Logo(file.name, file.path, file.data, width, height)


# The main part's content types python-pptx opens: a presentation, with or without macros.
_PRESENTATION_TYPES = (
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml",
)


def _slides_template(file: TemplateFile) -> TemplateFile:
    from xml.etree import ElementTree

    try:
        with zipfile.ZipFile(io.BytesIO(file.data)) as package:
            types = ElementTree.fromstring(package.read("[Content_Types].xml"))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, EOFError, ValueError):
        types = None
    main = (
        [e.get("ContentType") for e in types if e.get("PartName") == "/ppt/presentation.xml"]
        if types is not None
        else []
    )
    if not main or main[0] not in _PRESENTATION_TYPES:
        raise TemplateError(
            f'[branding] slides_template "{file.name}" cannot be read as a PowerPoint (.pptx) file; '
            "save it from PowerPoint as .pptx"
        )
    return file


def parse_branding(section: Mapping[str, Any], folder: Path) -> Branding:
    """A ``[branding]`` table (as tomllib reads it) checked into Branding, its files read from beside
    ``folder`` (the template's folder); raises TemplateError naming the setting."""
    section = _settings(section, "branding", [f.name for f in fields(Branding)])
    primary = _colour(section, "primary_colour", PRIMARY_COLOUR)
    accent = _colour(section, "accent_colour", ACCENT_COLOUR)
    logo = _file(section, "logo", folder)
    slides = _file(section, "slides_template", folder)
    return Branding(
        primary_colour=primary,
        accent_colour=accent,
        logo=_logo(logo) if logo else None,
        slides_template=_slides_template(slides) if slides else None,
    )


def parse_cover(section: Mapping[str, Any]) -> Cover:
    """A ``[cover]`` table checked into Cover; raises TemplateError naming the setting."""
    known = [f.name for f in fields(Cover)]
    section = _settings(section, "cover", known)
    defaults = Cover()
    values = {}
    for key in known:
        value = section.get(key, getattr(defaults, key))
        if not isinstance(value, str):
            raise TemplateError(f"[cover] {key} must be text, not {_shown(value)}")
        values[key] = value.strip()
    purpose = values["purpose"].lower()
    if purpose not in PURPOSES:
        written = section.get("purpose")
        raise TemplateError(f"[cover] purpose must be information, discussion or decision, not {_shown(written)}")
    return Cover(**{**values, "purpose": purpose})


def _jinja_text(value: object, where: str) -> str:
    """A narrative text, its Jinja2 syntax checked (placeholders are checked when it is filled in)."""
    import jinja2  # late: the narrative's engine, not needed for the rest of the template

    if not isinstance(value, str):
        raise TemplateError(f"{where} must be text, not {_shown(value)}")
    try:
        jinja2.Environment(trim_blocks=True, lstrip_blocks=True).parse(value)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{where}: line {exc.lineno}: {exc.message}") from None
    return value


def parse_narrative(section: Mapping[str, Any]) -> NarrativeTexts:
    """A ``[narrative]`` table checked into NarrativeTexts: its settings, their kinds and the texts'
    Jinja2 syntax; raises TemplateError naming the setting."""
    section = _settings(section, "narrative", list(DEFAULT_NARRATIVE))

    def texts(key: str) -> tuple[str, ...]:
        value = section.get(key, DEFAULT_NARRATIVE[key])
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
            raise TemplateError(f"[narrative] {key} must be a list of text, not {_shown(value)}")
        return tuple(_jinja_text(v, f"[narrative] {key} (item {n})") for n, v in enumerate(items, start=1))

    from_data = section.get("messages_from_data", DEFAULT_NARRATIVE["messages_from_data"])
    if not isinstance(from_data, bool):
        raise TemplateError(f"[narrative] messages_from_data must be true or false, not {_shown(from_data)}")
    implications = section.get("implications", {})
    if not isinstance(implications, Mapping):
        raise TemplateError("[narrative.implications] must be a table of settings")
    keys = [key for key, _label in IMPLICATIONS]
    unknown = sorted(set(implications) - set(keys))
    if unknown:
        raise TemplateError(f"[narrative.implications] unknown setting(s) {', '.join(unknown)}; use {', '.join(keys)}")
    return NarrativeTexts(
        summary=_jinja_text(section.get("summary", DEFAULT_NARRATIVE["summary"]), "[narrative] summary"),
        recommendations=texts("recommendations"),
        key_messages=texts("key_messages"),
        messages_from_data=from_data,
        group_summary=_jinja_text(
            section.get("group_summary", DEFAULT_NARRATIVE["group_summary"]), "[narrative] group_summary"
        ),
        implications=MappingProxyType(
            {
                key: _jinja_text(
                    implications.get(key, DEFAULT_NARRATIVE["implications"][key]), f"[narrative.implications] {key}"
                )
                for key in keys
            }
        ),
    )
