"""E106: a text longer than a spreadsheet cell holds (32,767 characters).

Indicator, measure and catalogue texts become cells of the XLSX tables, and clause
texts cells of the 修订对照表; Excel and every other reader cut a cell at 32,767
characters.  Rather than a silent cut in the outputs, such a text is a finding at
its own line (no text of a planning standard needs to be this long in one field).
"""
from __future__ import annotations

from typing import Any, Iterator

from toolkit.checks import register
from toolkit.corpus import Corpus
from toolkit.findings import Finding

CODES: dict[str, dict[str, str]] = {
    "E106": {"severity": "error", "title": "text longer than a spreadsheet cell holds (32,767 characters)",
             "fix": "split the text into several paragraphs, items or records"},
}
"""Finding codes this module emits (collected by :mod:`toolkit.codes`)."""

MAX_CELL_CHARS = 32_767
"""Excel's cell limit (same value as :data:`toolkit.render.cellsafe.MAX_CELL_CHARS`)."""


def _long_strings(data: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """Every ``(path, text)`` in plain data whose text is longer than :data:`MAX_CELL_CHARS`."""
    stack = [(path, data)]
    while stack:
        p, v = stack.pop()
        if isinstance(v, str):
            if len(v) > MAX_CELL_CHARS:
                yield p, v
        elif isinstance(v, dict):
            stack.extend((p + (k,), x) for k, x in v.items())
        elif isinstance(v, list):
            stack.extend((p + (i,), x) for i, x in enumerate(v))


@register("longtext")
def check_long_texts(c: Corpus) -> list[Finding]:
    """E106 for every string value of every loaded file longer than a spreadsheet cell."""
    out: list[Finding] = []
    for sf in c.files:
        known = getattr(sf, "longest_text", None)  # a cached file knows its longest text: no re-read
        if known is not None and known <= MAX_CELL_CHARS:
            continue
        if sf.data is None:  # sources released (diff sides)
            continue
        for path, text in _long_strings(sf.data):
            field = ".".join(str(x) for x in path)
            out.append(Finding("E106", "error",
                               f"`{field}` is {len(text)} characters long; a spreadsheet cell holds at most "
                               f"{MAX_CELL_CHARS}, so the XLSX tables would cut it",
                               sf.loc(path), "split the text into several paragraphs, list items or records"))
    return out
