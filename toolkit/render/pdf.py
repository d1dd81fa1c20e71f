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

from toolkit.render.html_writer import TEMPLATES


def html_to_pdf(html: str, base_url: Path = TEMPLATES) -> bytes:
    """Lay out ``html`` and return the PDF bytes.

    Raises whatever WeasyPrint raises for broken HTML/CSS (a bug, not content).
    """
    import weasyprint  # heavy import, only when a PDF is wanted

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    ident = hashlib.md5(html.encode("utf-8")).hexdigest().encode("ascii")
    return weasyprint.HTML(string=html, base_url=str(base_url)).write_pdf(pdf_identifier=ident)


def write_pdf(html: str, path: Path) -> Path:
    """Write the PDF of ``html`` to ``path`` (parents created); returns ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(html_to_pdf(html))
    return path


def page_count(pdf: bytes | Path) -> int:
    """Number of pages of a PDF (bytes or path), read with pypdf."""
    import io

    from pypdf import PdfReader

    data = pdf.read_bytes() if isinstance(pdf, Path) else pdf
    return len(PdfReader(io.BytesIO(data)).pages)
