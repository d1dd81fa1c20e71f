"""Character-level text differences (Chinese has no spaces, so words are no unit).

:func:`char_ops` turns two strings into a list of ``(op, text)`` with ``op``
``"="`` (kept), ``"-"`` (deleted) or ``"+"`` (inserted), using
:class:`difflib.SequenceMatcher` on characters, followed by a semantic clean-up
that folds short equalities stranded between edits into the edits (so
``的``/``，`` do not chop a rewritten sentence into confetti).  Within one edit
region deletions come before insertions.  Very long texts are first aligned by
line, then diffed by character inside replaced lines.
"""
from __future__ import annotations

from difflib import SequenceMatcher

Op = tuple[str, str]

_LONG = 6000
"""Above this many characters on both sides, align by line before diffing by character."""


def _raw_ops(a: str, b: str) -> list[Op]:
    out: list[Op] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            out.append(("=", a[i1:i2]))
        else:
            if i2 > i1:
                out.append(("-", a[i1:i2]))
            if j2 > j1:
                out.append(("+", b[j1:j2]))
    return out


def _by_lines(a: str, b: str) -> list[Op]:
    la, lb = a.splitlines(keepends=True), b.splitlines(keepends=True)
    out: list[Op] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, la, lb, autojunk=False).get_opcodes():
        if tag == "equal":
            out.append(("=", "".join(la[i1:i2])))
        elif tag == "replace":
            out.extend(_cleanup(_raw_ops("".join(la[i1:i2]), "".join(lb[j1:j2]))))
        elif tag == "delete":
            out.append(("-", "".join(la[i1:i2])))
        else:
            out.append(("+", "".join(lb[j1:j2])))
    return out


def _group(ops: list[Op]) -> list[tuple[str, str, str]]:
    """Ops as regions: ``("=", text, "")`` or ``("~", deleted, inserted)``."""
    regions: list[tuple[str, str, str]] = []
    for op, text in ops:
        if not text:
            continue
        if op == "=":
            if regions and regions[-1][0] == "=":
                regions[-1] = ("=", regions[-1][1] + text, "")
            else:
                regions.append(("=", text, ""))
        else:
            if not regions or regions[-1][0] != "~":
                regions.append(("~", "", ""))
            _, d, i = regions[-1]
            regions[-1] = ("~", d + text, i) if op == "-" else ("~", d, i + text)
    return regions


def _cleanup(ops: list[Op]) -> list[Op]:
    regions = _group(ops)
    changed = True
    while changed:
        changed = False
        for k in range(1, len(regions) - 1):
            tag, text, _ = regions[k]
            prev, nxt = regions[k - 1], regions[k + 1]
            if tag != "=" or prev[0] != "~" or nxt[0] != "~":
                continue
            edit = min(max(len(prev[1]), len(prev[2])), max(len(nxt[1]), len(nxt[2])))
            if len(text) <= 2 and len(text) <= edit:
                merged = ("~", prev[1] + text + nxt[1], prev[2] + text + nxt[2])
                regions[k - 1:k + 2] = [merged]
                changed = True
                break
    out: list[Op] = []
    for tag, d, i in regions:
        if tag == "=":
            out.append(("=", d))
        else:
            if d:
                out.append(("-", d))
            if i:
                out.append(("+", i))
    return out


def char_ops(old: str | None, new: str | None) -> list[Op]:
    """Character-level edit script from ``old`` to ``new`` (``None`` counts as empty).

    Concatenating the ``=`` and ``-`` texts gives ``old``; the ``=`` and ``+``
    texts give ``new``.
    """
    a, b = old or "", new or ""
    if a == b:
        return [("=", a)] if a else []
    if not a:
        return [("+", b)]
    if not b:
        return [("-", a)]
    if len(a) > _LONG and len(b) > _LONG:
        return _cleanup(_by_lines(a, b))
    return _cleanup(_raw_ops(a, b))


def excerpt_ops(ops: list[Op], context: int = 12) -> list[Op]:
    """Shorten long kept stretches to ``context`` characters around each edit (``…`` marks a cut)."""
    out: list[Op] = []
    for k, (op, text) in enumerate(ops):
        if op != "=" or len(text) <= 2 * context + 1:
            out.append((op, text))
            continue
        first, last = k == 0, k == len(ops) - 1
        if first and last:
            out.append((op, text[:2 * context] + "…"))
        elif first:
            out.append((op, "…" + text[-context:]))
        elif last:
            out.append((op, text[:context] + "…"))
        else:
            out.append((op, text[:context] + "…" + text[-context:]))
    return out


Segment = tuple[str, object]
"""``("ops", list[Op])`` — changed lines diffed per character; ``("skip", n)`` — ``n`` unchanged lines left out."""


def line_hunks(old: str | None, new: str | None, small: int = 3) -> list[Segment]:
    """Changed stretches of a multi-line text, unchanged lines folded away.

    Lines (paragraphs, table rows) are aligned first; each changed stretch is
    diffed per character (its ops may contain ``\\n``).  Texts of at most
    ``small`` lines on both sides come back whole as one ``ops`` segment.
    """
    a, b = old or "", new or ""
    la, lb = a.split("\n"), b.split("\n")
    if old is None or new is None or (len(la) <= small and len(lb) <= small):
        return [("ops", char_ops(old, new))]
    out: list[Segment] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, la, lb, autojunk=False).get_opcodes():
        if tag == "equal":
            out.append(("skip", i2 - i1))
        else:
            out.append(("ops", char_ops("\n".join(la[i1:i2]) if i2 > i1 else None,
                                        "\n".join(lb[j1:j2]) if j2 > j1 else None)))
    return out
