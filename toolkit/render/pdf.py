"""PDF writer for drafts: the standalone HTML of :mod:`toolkit.render.html_writer` through WeasyPrint.

Fonts are the Noto CJK families named in the CSS (fontconfig finds them; Debian
package ``fonts-noto-cjk``), subset and embedded by WeasyPrint (through HarfBuzz when
``libharfbuzz-subset0`` is installed, about 5× faster).

Deterministic: no creation/modification dates are written (the HTML has no
``dcterms`` metadata), and the file ``/ID`` is a hash of the HTML, so the same input
gives the same bytes.
"""
from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import sys
from pathlib import Path

from toolkit.render import draft_layout as lay
from toolkit.render.html_writer import TEMPLATES
from toolkit.repro import source_date_env


def import_weasyprint():
    """``import weasyprint``, without ctypes' library search on Linux; returns the module.

    WeasyPrint (≤ 70) loads Pango, HarfBuzz and fontconfig through ``cffi``, trying for each
    library a list of names whose first ones (``libgobject-2.0-0``, ``gobject-2.0`` …) are
    the Windows and macOS spellings.  ``cffi`` hands a name it cannot open to
    ``ctypes.util.find_library``, which on Linux runs ``ldconfig``, ``gcc`` and ``ld`` as
    subprocesses: 54 of them here, 0.2–0.3 s of every import (WeasyPrint issue #1125).
    The Linux names (``libgobject-2.0.so.0`` …) come later in each list and the dynamic
    loader opens them directly.  So on Linux ``find_library`` answers "not found" for the
    time of the import and each library is opened by its soname — the same files.  If
    that import fails, it is undone and repeated with the real ``find_library`` (and
    WeasyPrint's own message).  Raises what ``import weasyprint`` raises.
    """
    if "weasyprint" in sys.modules:
        return sys.modules["weasyprint"]
    if sys.platform.startswith("linux"):
        import ctypes.util

        real = ctypes.util.find_library
        ctypes.util.find_library = lambda name: None
        try:
            with contextlib.redirect_stdout(io.StringIO()):  # WeasyPrint prints its install hints on failure
                import weasyprint
            return weasyprint
        except (OSError, ImportError):
            for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
                del sys.modules[name]
        finally:
            ctypes.util.find_library = real
    import weasyprint

    return weasyprint


def _justify_between_characters() -> None:
    """Make WeasyPrint justify lines by spreading the extra space between *characters*.

    WeasyPrint (≤ 70) justifies only by widening spaces; Chinese lines have none, so
    ``text-align: justify`` left them ragged.  Chinese typesetting (and Word, for the
    DOCX) distributes the space between characters instead.  This patches two internals
    of ``weasyprint.layout.inline`` / ``weasyprint.text.line_break`` once per process:
    every character of a justified line counts as an expansion point, and the justified
    layout gets the share as Pango letter spacing instead of word spacing.  Lines that
    are not justified (the last line of a paragraph, left/centred text) are unchanged.
    If the internals are not as expected (another WeasyPrint), nothing is patched and
    text stays ragged.
    """
    import_weasyprint()
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout import inline
    from weasyprint.text import line_break as lb

    if getattr(inline, "_stdkit_cjk_justify", False):
        return
    if not all(hasattr(x, y) for x, y in ((inline, "count_expandable_spaces"), (lb.Layout, "set_text"),
                                          (lb, "pango"), (lb, "TO_UNITS"), (lb, "unicode_to_char_p"))):
        return
    original_count = inline.count_expandable_spaces
    original_set_text = lb.Layout.set_text

    def count_characters(box):
        if isinstance(box, boxes.TextBox):
            return len(box.text)
        return original_count(box) if not isinstance(box, (boxes.LineBox, boxes.InlineBox)) else \
            sum(count_characters(child) for child in box.children)

    def set_text(self, text, justify=False):
        spacing = self.justification_spacing if justify else 0
        original_set_text(self, text, justify=False)
        if not spacing or not self.text:
            return
        letter = self.style["letter_spacing"]
        letter = 0 if letter == "normal" else letter
        _, bytestring = lb.unicode_to_char_p(self.text)
        attrs = lb.pango.pango_layout_get_attributes(self.layout)
        if attrs == lb.ffi.NULL:
            attrs = lb.ffi.gc(lb.pango.pango_attr_list_new(), lb.pango.pango_attr_list_unref)
        attr = lb.pango.pango_attr_letter_spacing_new(int((letter + spacing) * lb.TO_UNITS))
        attr.start_index, attr.end_index = 0, len(bytestring)
        lb.pango.pango_attr_list_change(attrs, attr)
        lb.pango.pango_layout_set_attributes(self.layout, attrs)

    inline.count_expandable_spaces = count_characters
    lb.Layout.set_text = set_text
    inline._stdkit_cjk_justify = True


def render_pdf(html: str, base_url: Path = TEMPLATES, epoch: int | None = None) -> tuple[bytes, dict[str, str]]:
    """Lay out ``html``; returns ``(pdf bytes, page labels)``.

    Page labels map every anchor id to the page number printed on its page, as the
    目次 shows it: Roman (``III``) in the front matter, Arabic (``4``) in the body — the
    DOCX writer uses them as the cached page numbers of its TOC field.
    ``epoch`` (the build epoch) is given to WeasyPrint and the font subsetter as
    ``SOURCE_DATE_EPOCH`` for the call (see :func:`toolkit.repro.source_date_env`).
    Raises whatever WeasyPrint raises for broken HTML/CSS (a bug, not content).
    """
    if epoch is not None:
        with source_date_env(epoch):
            return render_pdf(html, base_url)
    weasyprint = import_weasyprint()  # heavy import, only when a PDF is wanted

    _justify_between_characters()
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    document = weasyprint.HTML(string=html, base_url=str(base_url)).render()
    first: dict[str, int] = {}
    for i, page in enumerate(document.pages):
        for anchor in page.anchors:
            first.setdefault(anchor, i)
    front = first.get(lay.CONTENTS_ID, 1)
    main = first.get(lay.MAIN_ID, front + 1)
    labels = {a: (lay.roman(i - front + 1) if i < main else str(i - main + 1))
              for a, i in sorted(first.items()) if i >= front}
    ident = hashlib.md5(html.encode("utf-8")).hexdigest().encode("ascii")
    return document.write_pdf(pdf_identifier=ident), labels


def html_to_pdf(html: str, base_url: Path = TEMPLATES) -> bytes:
    """Lay out ``html`` and return the PDF bytes (see :func:`render_pdf`)."""
    return render_pdf(html, base_url)[0]


def write_pdf(html: str, path: Path, epoch: int | None = None) -> dict[str, str]:
    """Write the PDF of ``html`` to ``path`` (parents created); returns the page labels of :func:`render_pdf`."""
    data, labels = render_pdf(html, epoch=epoch)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return labels


def page_count(pdf: bytes | Path) -> int:
    """Number of pages of a PDF (bytes or path), read with pypdf."""
    import io

    from pypdf import PdfReader

    data = pdf.read_bytes() if isinstance(pdf, Path) else pdf
    return len(PdfReader(io.BytesIO(data)).pages)

