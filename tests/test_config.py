"""The template, read once by load_config: every section typed, every mistake a TemplateError naming the key.

Later stages trust what load_config returns, so these are the template's only checks
(but for narrative placeholders, which are known only from the summary: test_pdf.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import TEMPLATE
from PIL import Image
from pptx import Presentation

from boardpack import TemplateError, load_config
from boardpack.template_sections import DEFAULT_NARRATIVE, PRIMARY_COLOUR, Cover, parse_narrative
from generate_report import cli

ROOT = Path(__file__).resolve().parent.parent
BRANDING = 'accent_colour = "#C8553D"'  # the shipped template's last [branding] line, to add settings after
COVER = 'classification = "Open"'  # and its [cover] line
NARRATIVE = "messages_from_data = true"


def problem(template_with, old: str, new: str) -> str:
    """The message of the TemplateError load_config raises for the shipped template with ``old`` made ``new``."""
    with pytest.raises(TemplateError) as caught:
        load_config(template_with(old, new))
    return str(caught.value)


def added(line: str, *settings: str) -> tuple[str, str]:
    """(old, new) for template_with: ``settings`` added after ``line``."""
    return line, "\n".join((line, *settings))


def text_setting(key: str) -> str:
    """The shipped template's multi-line text setting ``key``, as written."""
    found = re.search(rf"^{key} = '''.*?'''$", TEMPLATE.read_text(encoding="utf-8"), re.M | re.S)
    assert found, key
    return found.group(0)


# --------------------------------------------------------------------------- the shipped template


def test_the_default_template_exists_and_loads():
    assert TEMPLATE.is_file()
    assert load_config(TEMPLATE).path == str(TEMPLATE)


def test_the_shipped_template_is_read_into_typed_fields():
    config = load_config(TEMPLATE)
    assert (config.branding.primary_colour, config.branding.accent_colour) == (PRIMARY_COLOUR, "#C8553D")
    assert config.branding.logo is None and config.branding.slides_template is None
    assert config.cover == Cover(
        title="",
        paper_reference="BoT/INT",
        agenda_item="International strategy",
        presented_by="Vice President Education",
        author="International Partnerships Coordinator",
        purpose="information",
        classification="Open",
    )
    assert config.narrative.messages_from_data is True
    assert config.narrative.key_messages == ()
    assert len(config.narrative.recommendations) == 2
    assert set(config.narrative.implications) == set(DEFAULT_NARRATIVE["implications"])


def test_a_template_without_branding_cover_or_narrative_gets_the_defaults(tmp_path):
    text = TEMPLATE.read_text(encoding="utf-8")
    bare = re.sub(r"\n\[branding\].*?(?=\n\[\[partners\]\])", "\n", text, flags=re.S)
    assert "[cover]" not in bare and "[narrative" not in bare
    (tmp_path / "bare.toml").write_text(bare, encoding="utf-8")
    config = load_config(tmp_path / "bare.toml")
    assert config.branding.primary_colour == PRIMARY_COLOUR
    assert config.cover == Cover()
    assert config.narrative.summary == DEFAULT_NARRATIVE["summary"]
    assert config.narrative.implications["equality"] == ""


def test_a_template_alias_for_an_unknown_column_is_named(template_with):
    custom = template_with('commentary = ["rag commentary"]', 'colour = ["shade"]')
    with pytest.raises(TemplateError, match='"colour" is not a column'):
        load_config(custom)


# --------------------------------------------------------------------------- [branding] colours


@pytest.mark.parametrize(
    "written, message",
    [
        ('"navy"', '[branding] primary_colour must be a colour like "#1F3A5F", not "navy"'),
        ('"#1F3A5"', '[branding] primary_colour must be a colour like "#1F3A5F", not "#1F3A5"'),
        ('"1F3A5F"', '[branding] primary_colour must be a colour like "#1F3A5F", not "1F3A5F"'),
        ('"#GG3A5F"', '[branding] primary_colour must be a colour like "#1F3A5F", not "#GG3A5F"'),
        ('"# 1F3A5"', '[branding] primary_colour must be a colour like "#1F3A5F", not "# 1F3A5"'),
        ("0x1F3A5F", '[branding] primary_colour must be a colour like "#1F3A5F", not 2046559'),
        ('["#1F3A5F"]', '[branding] primary_colour must be a colour like "#1F3A5F", not ["#1F3A5F"]'),
    ],
)
def test_a_colour_that_is_not_one_is_named(template_with, written, message):
    assert problem(template_with, 'primary_colour = "#1F3A5F"', f"primary_colour = {written}") == message


def test_the_accent_colour_is_checked_too(template_with):
    assert problem(template_with, 'accent_colour = "#C8553D"', 'accent_colour = "brick"') == (
        '[branding] accent_colour must be a colour like "#1F3A5F", not "brick"'
    )


@pytest.mark.parametrize("written, kept", [("#1f3a5f", "#1F3A5F"), ("#abc", "#AABBCC"), ("#C8553D", "#C8553D")])
def test_colours_are_kept_in_one_form(template_with, written, kept):
    config = load_config(template_with('primary_colour = "#1F3A5F"', f'primary_colour = "{written}"'))
    assert config.branding.primary_colour == kept


def test_an_unknown_branding_setting_is_named(template_with):
    assert problem(template_with, *added(BRANDING, 'primary_color = "#000000"')) == (
        "[branding] unknown setting(s) primary_color; use primary_colour, accent_colour, logo, slides_template"
    )


def test_branding_that_is_not_a_table_is_named(template_with):
    text = TEMPLATE.read_text(encoding="utf-8")
    start = text.index("[branding]")
    end = text.index("[cover]")
    path = template_with(text[start:end], "")
    path.write_text('branding = "navy"\n' + path.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        load_config(path)
    assert str(caught.value) == "[branding] must be a table of settings"


# --------------------------------------------------------------------------- [branding] logo and slides template


def test_a_logo_is_read_once_with_its_size(template_with, tmp_path):
    Image.new("RGB", (400, 100), "#1F3A5F").save(tmp_path / "logo.png")
    config = load_config(template_with(*added(BRANDING, 'logo = "logo.png"')))  # beside the template
    logo = config.branding.logo
    assert logo is not None
    assert (logo.name, logo.path, logo.width, logo.height) == ("logo.png", tmp_path / "logo.png", 400, 100)
    assert logo.data == (tmp_path / "logo.png").read_bytes()


def test_a_logo_in_the_folder_above_the_template_is_found(tmp_path):
    (tmp_path / "templates").mkdir()
    Image.new("RGB", (40, 20), "white").save(tmp_path / "templates" / "logo.jpg", "JPEG")
    text = TEMPLATE.read_text(encoding="utf-8").replace(BRANDING, f'{BRANDING}\nlogo = "templates/logo.jpg"')
    (tmp_path / "templates" / "board_report.toml").write_text(text, encoding="utf-8")
    logo = load_config(tmp_path / "templates" / "board_report.toml").branding.logo
    assert logo is not None and logo.path == tmp_path / "templates" / "logo.jpg"


def test_a_missing_logo_is_named_with_where_it_was_looked_for(template_with, tmp_path):
    assert problem(template_with, *added(BRANDING, 'logo = "crest.png"')) == (
        f'[branding] logo "crest.png" was not found at {tmp_path / "crest.png"}'
    )


def test_a_logo_that_is_not_an_image_is_named(template_with, tmp_path):
    (tmp_path / "logo.png").write_text("not a picture", encoding="utf-8")
    assert problem(template_with, *added(BRANDING, 'logo = "logo.png"')) == (
        '[branding] logo "logo.png" cannot be read as an image; save it as PNG or JPEG'
    )


def test_a_truncated_logo_is_named(template_with, tmp_path):
    Image.new("RGB", (200, 200), "#C8553D").save(tmp_path / "logo.png")
    data = (tmp_path / "logo.png").read_bytes()
    (tmp_path / "logo.png").write_bytes(data[: len(data) // 2])
    assert problem(template_with, *added(BRANDING, 'logo = "logo.png"')) == (
        '[branding] logo "logo.png" cannot be read as an image; save it as PNG or JPEG'
    )


def test_a_logo_the_pack_cannot_place_is_named(template_with, tmp_path):
    Image.new("RGB", (32, 32), "white").save(tmp_path / "logo.ico", "ICO")
    assert problem(template_with, *added(BRANDING, 'logo = "logo.ico"')) == (
        '[branding] logo "logo.ico" is ICO, which the pack cannot place; save it as PNG or JPEG'
    )


def test_a_logo_that_is_not_a_path_is_named(template_with):
    assert problem(template_with, *added(BRANDING, "logo = true")) == (
        "[branding] logo must be the path of a file, not true"
    )


def test_a_slides_template_is_read_once(template_with, tmp_path):
    Presentation().save(tmp_path / "union.pptx")
    config = load_config(template_with(*added(BRANDING, f"slides_template = '{tmp_path / 'union.pptx'}'")))
    own = config.branding.slides_template
    assert own is not None and own.data == (tmp_path / "union.pptx").read_bytes()


def test_a_missing_slides_template_is_named(template_with, tmp_path):
    assert problem(template_with, *added(BRANDING, 'slides_template = "nowhere.pptx"')) == (
        f'[branding] slides_template "nowhere.pptx" was not found at {tmp_path / "nowhere.pptx"}'
    )


@pytest.mark.parametrize("content", [b"not a presentation", b"PK\x03\x04 a broken zip"])
def test_a_slides_template_that_is_not_a_presentation_is_named(template_with, tmp_path, content):
    (tmp_path / "notes.pptx").write_bytes(content)
    assert problem(template_with, *added(BRANDING, 'slides_template = "notes.pptx"')) == (
        '[branding] slides_template "notes.pptx" cannot be read as a PowerPoint (.pptx) file; '
        "save it from PowerPoint as .pptx"
    )


def test_a_word_document_is_not_a_slides_template(template_with, tmp_path):
    import zipfile

    with zipfile.ZipFile(tmp_path / "letter.pptx", "w") as package:
        package.writestr("[Content_Types].xml", '<Types xmlns="x"><Override PartName="/word/document.xml"/></Types>')
    assert "cannot be read as a PowerPoint" in problem(
        template_with, *added(BRANDING, 'slides_template = "letter.pptx"')
    )


# --------------------------------------------------------------------------- [cover]


def test_cover_fields_are_kept_as_written_without_surrounding_spaces(template_with):
    config = load_config(template_with(*added(COVER, 'title = "  Our paper  "')))
    assert config.cover.title == "Our paper"
    config = load_config(template_with('purpose = "information"', 'purpose = " Decision "'))
    assert config.cover.purpose == "decision"


def test_a_bad_purpose_is_named(template_with):
    assert problem(template_with, 'purpose = "information"', 'purpose = "approval"') == (
        '[cover] purpose must be information, discussion or decision, not "approval"'
    )


def test_an_unknown_cover_setting_is_named(template_with):
    assert problem(template_with, *added(COVER, 'paper_ref = "BoT/26"')) == (
        "[cover] unknown setting(s) paper_ref; use title, paper_reference, agenda_item, presented_by, "
        "author, purpose, classification"
    )


@pytest.mark.parametrize(
    "old, new, message",
    [
        ('paper_reference = "BoT/INT"', "paper_reference = 7", "[cover] paper_reference must be text, not 7"),
        ('classification = "Open"', "classification = false", "[cover] classification must be text, not false"),
        (
            'agenda_item = "International strategy"',
            'agenda_item = ["7", "International"]',
            '[cover] agenda_item must be text, not ["7", "International"]',
        ),
    ],
)
def test_a_cover_field_that_is_not_text_is_named(template_with, old, new, message):
    assert problem(template_with, old, new) == message


# --------------------------------------------------------------------------- [narrative]


def test_an_unknown_narrative_setting_is_named(template_with):
    assert problem(template_with, *added(NARRATIVE, "key_mesages = []")) == (
        "[narrative] unknown setting(s) key_mesages; use summary, recommendations, key_messages, "
        "messages_from_data, group_summary, implications"
    )


def test_an_unknown_implication_is_named(template_with):
    assert problem(template_with, "[narrative.implications]", '[narrative.implications]\nlegal = "None"') == (
        "[narrative.implications] unknown setting(s) legal; use financial, risk, legal_governance, equality, "
        "sustainability, students"
    )


@pytest.mark.parametrize(
    "old, new, message",
    [
        (NARRATIVE, "messages_from_data = 1", "[narrative] messages_from_data must be true or false, not 1"),
        (NARRATIVE, 'messages_from_data = "yes"', '[narrative] messages_from_data must be true or false, not "yes"'),
        ("key_messages = []", "key_messages = [1, 2]", "[narrative] key_messages must be a list of text, not [1, 2]"),
        ("key_messages = []", "key_messages = 3", "[narrative] key_messages must be a list of text, not 3"),
        (text_setting("summary"), "summary = 3", "[narrative] summary must be text, not 3"),
        (text_setting("group_summary"), "group_summary = []", "[narrative] group_summary must be text, not []"),
        (
            text_setting("legal_governance"),
            "legal_governance = 0",
            "[narrative.implications] legal_governance must be text, not 0",
        ),
    ],
)
def test_a_narrative_setting_of_the_wrong_kind_is_named(template_with, old, new, message):
    assert problem(template_with, old, new) == message


def test_implications_that_are_not_a_table_are_named():
    # In a template file, [narrative.implications] would then be stated twice: TOML itself refuses that.
    with pytest.raises(TemplateError) as caught:
        parse_narrative({"implications": "none"})
    assert str(caught.value) == "[narrative.implications] must be a table of settings"


def test_a_narrative_text_that_is_not_a_template_is_named_with_its_line(template_with):
    assert problem(template_with, "key_messages = []", 'key_messages = ["Fine.", "{% if %}"]') == (
        "[narrative] key_messages (item 2): line 1: Expected an expression, got 'end of statement block'"
    )
    unclosed = "risk = '''\nSome risk.\n{% if totals.red %}\n'''"
    assert problem(template_with, text_setting("risk"), unclosed) == (
        "[narrative.implications] risk: line 2: Unexpected end of template. Jinja was looking for the following "
        "tags: 'elif' or 'else' or 'endif'. The innermost block that needs to be closed is 'if'."
    )


def test_a_single_text_for_a_list_setting_is_one_item(template_with):
    config = load_config(template_with("key_messages = []", 'key_messages = "One message."'))
    assert config.narrative.key_messages == ("One message.",)


# --------------------------------------------------------------------------- the commands


def test_a_broken_template_exits_1(tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text("[organisation\nname = 'x'\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "--inputs", str(ROOT / "inputs"), "--template", str(broken)])
    assert result.exit_code == 1
    assert "is not valid TOML" in result.output


@pytest.mark.parametrize("command", ["validate", "charts", "generate"])
def test_a_bad_colour_stops_every_command_the_same_way_before_anything_is_written(template_with, tmp_path, command):
    custom = template_with('primary_colour = "#1F3A5F"', 'primary_colour = "navy"')
    output = tmp_path / "reports"
    args = [command, "--inputs", str(ROOT / "inputs"), "--template", str(custom)]
    if command != "validate":
        args += ["--output", str(output)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    assert result.output == 'Error: [branding] primary_colour must be a colour like "#1F3A5F", not "navy"\n'
    assert not output.exists()


@pytest.mark.parametrize("source", ["{% if %}", "Some risk.\n{% if totals.red %}\n", "{{ totals.red }"])
def test_a_syntax_mistake_reads_as_it_would_when_the_pack_is_made(source):
    from boardpack.narrative import render_text

    with pytest.raises(TemplateError) as at_load:
        parse_narrative({"summary": source})
    with pytest.raises(TemplateError) as at_render:
        render_text(source, {}, "[narrative] summary")
    assert str(at_load.value) == str(at_render.value)
