"""The board pack as one accessible HTML page: the companion to the PDF for screen readers,
magnification, phones and tablets.

Public API::

    from boardpack.html import render_html
    page = render_html(summary, charts, config, cover, sources, notes, skipped)   # str

Modules: ``render`` (what each part of the page holds, from :mod:`boardpack.pack_text`),
``svg`` (each chart's SVG made fit to sit inline) and ``templates/`` (the Jinja2
page, autoescaped, and its stylesheet). docs/accessibility.md says what the page
gives a reader and how it is checked.
"""

from .render import render_html

__all__ = ["render_html"]
