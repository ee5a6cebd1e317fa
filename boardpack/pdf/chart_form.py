"""A chart's one-page PDF (drawn by matplotlib) placed in the pack as a form XObject.

matplotlib writes each chart as a PDF page in the pack's font, with its hatches
and text as text. The pack copies that page's drawing into its own file as a
form XObject, unchanged: nothing is redrawn or converted, so placing a chart
costs the same on every layout pass whatever the chart holds.

reportlab has no public call to import a PDF page, so :meth:`ChartForm.place`
copies the page's objects (read with pypdf) into reportlab's own object model
and registers the result under the name ``canvas.doForm`` uses. Streams keep
their compressed bytes; only their dictionaries are rebuilt.
"""

from __future__ import annotations

import io
import re

from pypdf import PdfReader
from pypdf import generic as pdf
from reportlab.pdfbase import pdfdoc

# reportlab writes a form's name into the page as it is: only these characters are safe there.
_SAFE_NAME = re.compile(r"[A-Za-z0-9._-]+")


class ChartForm:
    """One chart's PDF page, read once, placeable in any number of documents."""

    def __init__(self, name: str, data: bytes) -> None:
        """Reads the page; raises ValueError when ``data`` is not a one-page PDF we can place."""
        try:
            page = PdfReader(io.BytesIO(data), strict=False).pages[0]
            x0, y0, x1, y1 = (float(v) for v in page.mediabox)
            contents = page.get("/Contents")
            resources = page.get("/Resources")
            # One content stream is what matplotlib writes; anything else is not one of our charts.
            stream = contents.get_object() if contents is not None else None
            if not isinstance(stream, pdf.StreamObject) or resources is None:
                raise ValueError("no single content stream")
            _read_all(resources.get_object())  # a damaged object fails here, not mid-layout
        except Exception as exc:  # pypdf raises many kinds for a damaged file
            raise ValueError(f"chart {name!r}: its PDF cannot be read ({exc})") from None
        self.name = name
        self.box = (x0, y0, x1, y1)
        self._stream = stream
        self._resources = resources

    @property
    def width(self) -> float:
        return self.box[2] - self.box[0]

    @property
    def height(self) -> float:
        return self.box[3] - self.box[1]

    def place(self, canvas) -> str:
        """The form's name for ``canvas.doForm``, copying the page into the canvas's document once."""
        document = canvas._doc
        form_name = "chart-" + (self.name if _SAFE_NAME.fullmatch(self.name) else self.name.encode().hex())
        internal = document.getXObjectName(form_name)
        if internal not in document.idToObject:
            copier = _Copier(document)
            head = pdfdoc.PDFDictionary(
                {
                    "Type": pdfdoc.PDFName("XObject"),
                    "Subtype": pdfdoc.PDFName("Form"),
                    "FormType": 1,
                    "BBox": pdfdoc.PDFArray(list(self.box)),
                    "Resources": copier.copy(self._resources),
                }
            )
            document.Reference(copier.stream(self._stream, head), internal)
        return form_name


def _read_all(value, seen: set[int] | None = None) -> None:
    """Resolve every object reachable from ``value`` once, so that copying cannot meet a broken one."""
    seen = set() if seen is None else seen
    if isinstance(value, pdf.IndirectObject):
        if value.idnum in seen:
            return
        seen.add(value.idnum)
        value = value.get_object()
        if value is None:
            raise ValueError("an object the page uses is missing")
    if isinstance(value, pdf.DictionaryObject):  # streams included
        for item in value.values():
            _read_all(item, seen)
    elif isinstance(value, pdf.ArrayObject):
        for item in value:
            _read_all(item, seen)


class _Copier:
    """pypdf objects -> reportlab pdfdoc objects, each indirect object copied once."""

    def __init__(self, document) -> None:
        self.document = document
        self.copied: dict[int, object] = {}

    def copy(self, value):
        if isinstance(value, pdf.IndirectObject):
            return self._indirect(value)
        if isinstance(value, pdf.StreamObject):
            return self.document.Reference(self.stream(value))
        if isinstance(value, pdf.DictionaryObject):
            return pdfdoc.PDFDictionary({key[1:]: self.copy(item) for key, item in value.items()})
        if isinstance(value, pdf.ArrayObject):
            return pdfdoc.PDFArray([self.copy(item) for item in value])
        if isinstance(value, pdf.NameObject):
            return pdfdoc.PDFName(value[1:])
        if isinstance(value, pdf.BooleanObject):
            return "true" if value else "false"
        if isinstance(value, pdf.NullObject):
            return "null"
        if isinstance(value, pdf.FloatObject):
            return float(value)
        if isinstance(value, pdf.NumberObject):
            return int(value)
        if isinstance(value, (pdf.TextStringObject, pdf.ByteStringObject)):
            return pdfdoc.PDFString(
                value.original_bytes if isinstance(value, pdf.TextStringObject) else bytes(value), enc="raw"
            )
        raise ValueError(f"unexpected PDF object {type(value).__name__}")

    def _indirect(self, reference: pdf.IndirectObject):
        number = reference.idnum
        if number in self.copied:
            return self.copied[number]
        target = reference.get_object()
        if isinstance(target, pdf.StreamObject):
            copied = self.document.Reference(self.stream(target))
        elif isinstance(target, (pdf.DictionaryObject, pdf.ArrayObject)):
            # Registered before its items are copied, so objects that point back at it resolve.
            shell = pdfdoc.PDFDictionary() if isinstance(target, pdf.DictionaryObject) else pdfdoc.PDFArray([])
            copied = self.document.Reference(shell)
            self.copied[number] = copied
            if isinstance(target, pdf.DictionaryObject):
                for key, item in target.items():
                    shell[key[1:]] = self.copy(item)
            else:
                shell.sequence.extend(self.copy(item) for item in target)
        else:
            copied = self.copy(target)
        self.copied[number] = copied
        return copied

    def stream(self, stream: pdf.StreamObject, head: pdfdoc.PDFDictionary | None = None) -> pdfdoc.PDFStream:
        """A copy of ``stream``: its dictionary (added to ``head``) and its bytes as they are."""
        dictionary = head or pdfdoc.PDFDictionary()
        for key, item in stream.items():
            if key != "/Length":  # reportlab writes the length itself
                dictionary[key[1:]] = self.copy(item)
        if "/Filter" in stream:
            # The bytes as read, still compressed (pypdf has no public name for
            # them); filters=[] stops reportlab compressing them again.
            return pdfdoc.PDFStream(dictionary, stream._data, filters=[])
        return pdfdoc.PDFStream(dictionary, stream.get_data())
