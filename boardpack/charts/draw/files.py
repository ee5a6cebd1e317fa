"""A spec drawn in every form the outputs use: the PDF pages, the SVG and the PNGs.

matplotlib writes the PDF and SVG; pdfium rasterises the PDF pages to the PNGs
and Pillow saves them, the same bytes every time.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping

import numpy as np
from PIL import Image, PngImagePlugin

from .. import style
from ..spec import ChartSpec, DrawnImages
from .common import chart_context
from .figure import build

__all__ = ["draw_images"]


def draw_images(spec: ChartSpec) -> DrawnImages:
    """Draw one spec in every form the outputs use, the same bytes every time.

    The figure is built and laid out once, with its title, subtitle and source
    line around the chart (:func:`add_frame`). matplotlib saves it twice as PDF:
    whole, and cropped to the chart alone (those texts hidden), which the pack
    places under its own heading and the slides under their titles. The SVG is
    the whole figure, or the cropped one when ``spec.bare``. PNGs are the PDF
    pages rasterised by pdfium (three times as fast as matplotlib drawing them
    again, and exactly what the pack prints): the officers' PNG at 300 dpi, the
    same with a transparent background, the same centred on a 16:9 canvas for
    a full slide (at a lower dpi when the chart is too tall for one), and the
    cropped chart for the slides.
    """
    from matplotlib.transforms import Bbox

    words = {"Title": spec.title, "Description": spec.alt_text}
    with chart_context():
        fig = build(spec)
        width, height = (float(v) for v in fig.get_size_inches())
        header, footer, frame = fig.frame_header, fig.frame_footer, fig.frame_artists
        whole = io.BytesIO()
        fig.savefig(whole, format="pdf", metadata={**style.PDF_METADATA, "Title": spec.title})
        svg = io.BytesIO()
        if not spec.bare:
            fig.savefig(svg, format="svg", metadata={**style.SVG_METADATA, **words})
        for artist in frame:
            artist.set_visible(False)
        crop = Bbox.from_bounds(0, footer, width, height - header - footer)
        bare = io.BytesIO()
        fig.savefig(bare, format="pdf", bbox_inches=crop, metadata={**style.PDF_METADATA, "Title": spec.title})
        if spec.bare:
            fig.savefig(svg, format="svg", bbox_inches=crop, metadata={**style.SVG_METADATA, **words})
    del fig  # the figure and its canvas go before the pictures come: one large thing at a time
    text = {**style.PNG_METADATA, **words}
    officer_pdf = bare.getvalue() if spec.bare else whole.getvalue()
    picture = _rasterise(bare.getvalue(), style.DPI)
    slide_png = _png(picture, style.DPI, text)
    if spec.bare:
        png = slide_png
    else:
        del picture
        picture = _rasterise(officer_pdf, style.DPI)
        png = _png(picture, style.DPI, text)
    wide = _wide_png(picture, officer_pdf, text)
    del picture
    transparent = _png(_rasterise(officer_pdf, style.DPI, transparent=True), style.DPI, text)
    officer_height = height - header - footer if spec.bare else height
    return DrawnImages(
        png=png,
        svg=svg.getvalue(),
        pdf=bare.getvalue(),
        width_in=round(width, 3),
        height_in=round(officer_height, 3),
        slide_png=slide_png,
        slide_width_in=round(width, 3),
        slide_height_in=round(height - header - footer, 3),
        wide_png=wide,
        transparent_png=transparent,
    )


def _wide_png(picture: Image.Image, pdf: bytes, text: Mapping[str, str | None]) -> bytes:
    """The PNG of the picture centred on a white 16:9 canvas (the shape of a slide), never
    stretched: at 300 dpi, or, when that canvas would pass ``style.WIDE_MAX_PIXELS``, the
    page rasterised again at the highest whole dpi whose canvas fits."""
    dpi = style.DPI
    while (pixels := math.prod(_canvas_size(picture.size))) > style.WIDE_MAX_PIXELS and dpi > 1:
        # The highest whole dpi that should fit; one less if a pixel of rounding says otherwise.
        dpi = max(1, min(dpi - 1, math.floor(dpi * math.sqrt(style.WIDE_MAX_PIXELS / pixels))))
        picture = _rasterise(pdf, dpi)
    width, height = picture.size
    canvas_width, canvas_height = _canvas_size(picture.size)
    canvas = Image.new("RGB", (canvas_width, canvas_height), (255, 255, 255))
    canvas.paste(picture, ((canvas_width - width) // 2, (canvas_height - height) // 2))
    del picture  # a picture rasterised again above goes before the canvas is encoded
    return _png(canvas, dpi, text)


def _canvas_size(size: tuple[int, int]) -> tuple[int, int]:
    """The smallest 16:9 canvas (width, height) that holds a picture of ``size``."""
    width, height = size
    canvas_height = max(height, math.ceil(width * 9 / 16))
    return max(width, math.ceil(canvas_height * 16 / 9)), canvas_height


def _rasterise(pdf: bytes, dpi: float, *, transparent: bool = False) -> Image.Image:
    """The first page of ``pdf`` as a picture at ``dpi``, drawn by pdfium on white (RGB), or
    on nothing when ``transparent`` (RGBA: the charts draw no background of their own).

    Only the Pillow image outlives the call: pdfium's bitmap goes with the document."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        page = document[0]
        # pdfium rounds the size up; a stray last row or column of white goes,
        # so the PNG is the figure's size in inches x dpi, as the SVG and PDF are.
        width, height = (round(points * dpi / 72) for points in page.get_size())
        if transparent:
            bitmap = page.render(scale=dpi / 72, rev_byteorder=True, fill_color=(255, 255, 255, 0))  # RGBA
        else:
            bitmap = page.render(scale=dpi / 72, rev_byteorder=True)  # RGB, on white
        return Image.fromarray(np.ascontiguousarray(bitmap.to_numpy()[:height, :width]))
    finally:
        document.close()


def _png(picture: Image.Image, dpi: float, text: Mapping[str, str | None]) -> bytes:
    """PNG bytes of a picture, saved with Pillow (8-bit RGB, or RGBA when it has an alpha
    channel) at zlib level ``style.PNG_COMPRESS_LEVEL``, with ``dpi`` and each ``text`` item
    (None leaves it out) stored in the file."""
    info = PngImagePlugin.PngInfo()
    for key, value in text.items():
        if value is not None:
            info.add_text(key, value)  # tEXt, or UTF-8 iTXt when the text is not Latin-1
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", dpi=(dpi, dpi), pnginfo=info, compress_level=style.PNG_COMPRESS_LEVEL)
    return buffer.getvalue()
