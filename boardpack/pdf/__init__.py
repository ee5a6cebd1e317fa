"""The board pack as a PDF (reportlab): styles, fonts, page templates, flowables, sections.

Public API::

    from boardpack.pdf import render_pack, RenderedPack
    pack = render_pack(summary, charts, config, cover, sources, notes)
    pack.pdf          # bytes
    pack.page_count   # int

Modules: ``fonts`` (DejaVu Sans for text and charts), ``styles`` (geometry,
colours, paragraph styles), ``markup`` (escaping untrusted text), ``flowables``
(headings with bookmarks, charts, contents, tables), ``document`` (page
templates, running header and footer, "Page N of M"), ``sections`` (what the
pack says) and ``pack`` (``render_pack``).
"""

from .pack import PACK_CHART_SECTIONS, RenderedPack, render_pack

__all__ = ["PACK_CHART_SECTIONS", "RenderedPack", "render_pack"]
