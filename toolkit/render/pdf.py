"""PDF writer for drafts: the standalone HTML of :mod:`toolkit.render.html_writer` through WeasyPrint.

Fonts are the Noto CJK families named in the CSS (fontconfig finds them; Debian
package ``fonts-noto-cjk``), subset and embedded by WeasyPrint (through HarfBuzz when
``libharfbuzz-subset0`` is installed, about 5× faster).

Deterministic: no creation/modification dates are written (the HTML has no
``dcterms`` metadata), and the file ``/ID`` is a hash of the HTML, so the same input
gives the same bytes.
"""
from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from toolkit.render import draft_layout as lay
from toolkit.render.html_writer import TEMPLATES
from toolkit.repro import source_date_env


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
    import weasyprint  # heavy import, only when a PDF is wanted

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

