"""Render the pages of a PDF to PNG files, to look at a pack without a PDF viewer.

    python -m boardpack.preview reports/2026-09-24/board-pack.pdf /tmp/pack-preview
    python -m boardpack.preview board-pack.pdf docs/pack --scale 0.5 --pages 1-4
    python -m boardpack.preview board-pack.pdf /tmp/pages --pages 1,3,5,6,16,23 --strip docs/pack-pages.png

Writes ``page-01.png``, ``page-02.png``, … into OUTDIR (created if missing) and
prints one line per page; ``--strip FILE`` also joins the chosen pages, side by
side as thumbnails, into one PNG (for the README). Uses pypdfium2 (a test
dependency) and Pillow.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _pages(spec: str | None, count: int) -> list[int]:
    """'1-3,7' -> [0, 1, 2, 6] (0-based), within the document."""
    if not spec:
        return list(range(count))
    chosen: list[int] = []
    for part in spec.split(","):
        part = part.strip()
        if "-" in part:
            first, last = part.split("-", 1)
            chosen.extend(range(int(first) - 1, min(int(last), count)))
        elif part:
            chosen.append(int(part) - 1)
    return [p for p in chosen if 0 <= p < count]


def render_pages(pdf: Path | bytes, outdir: Path, *, scale: float = 1.5, pages: str | None = None) -> list[Path]:
    """Render pages to PNG (``scale`` 1 = 72 dpi); returns the files written."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf if isinstance(pdf, bytes) else str(pdf))
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    try:
        width = max(2, len(str(len(document))))
        for index in _pages(pages, len(document)):
            page = document[index]
            image = page.render(scale=scale).to_pil()
            path = outdir / f"page-{index + 1:0{width}d}.png"
            image.save(path)
            written.append(path)
            page.close()
    finally:
        document.close()
    return written


def thumbnail_strip(pages: list[Path], path: Path, *, height: int = 360, gap: int = 12) -> Path:
    """The given page images side by side, each ``height`` pixels tall, with a thin frame."""
    from PIL import Image, ImageOps

    thumbs = []
    for page in pages:
        with Image.open(page) as image:
            width = round(image.width * height / image.height)
            thumbs.append(
                ImageOps.expand(
                    image.convert("RGB").resize((width, height), Image.Resampling.LANCZOS), border=1, fill="#B0B0B0"
                )
            )
    strip = Image.new("RGB", (sum(t.width for t in thumbs) + gap * (len(thumbs) + 1), height + 2 + 2 * gap), "white")
    x = gap
    for thumb in thumbs:
        strip.paste(thumb, (x, gap))
        x += thumb.width + gap
    path.parent.mkdir(parents=True, exist_ok=True)
    strip.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(
        path, optimize=True
    )  # a palette keeps the file small enough to commit
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m boardpack.preview", description="Render the pages of a PDF to PNG files."
    )
    parser.add_argument("pdf", type=Path, help="the PDF, e.g. reports/2026-09-24/board-pack.pdf")
    parser.add_argument("outdir", type=Path, help="folder for page-01.png, page-02.png, …")
    parser.add_argument("--scale", type=float, default=1.5, help="1 = 72 dpi (default 1.5 = 108 dpi)")
    parser.add_argument("--pages", help="pages to render, e.g. 1-3,7 (default: all)")
    parser.add_argument("--strip", type=Path, help="also write these pages side by side as thumbnails to this PNG")
    args = parser.parse_args(argv)
    if not args.pdf.is_file():
        print(f"no such PDF: {args.pdf}", file=sys.stderr)
        return 2
    written = render_pages(args.pdf, args.outdir, scale=args.scale, pages=args.pages)
    for path in written:
        print(path)
    if args.strip:
        print(thumbnail_strip(written, args.strip))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
