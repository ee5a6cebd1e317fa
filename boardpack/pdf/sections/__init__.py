"""The sections of the board pack, each a list of flowables built from plain data.

Order (design.md, "What a board pack contains"): cover sheet, contents,
executive summary, decisions for the Board, needs attention (ranked), one
compact section per partner, the strategic areas in one view, the appendix.
Sections flow on from one another; a section starts a new page only when
little of the page is left. Fixed wording lives in ``..wording``.
"""

from .appendix import appendix_section
from .areas import areas_section
from .attention import attention_section
from .common import CoverDetails, PackParts, PlacedChart
from .cover import contents_lines, contents_section, cover_section
from .decisions import decisions_section
from .executive import executive_section
from .partners import partners_section

__all__ = [
    "CoverDetails",
    "PackParts",
    "PlacedChart",
    "appendix_section",
    "areas_section",
    "attention_section",
    "contents_lines",
    "contents_section",
    "cover_section",
    "decisions_section",
    "executive_section",
    "partners_section",
]
