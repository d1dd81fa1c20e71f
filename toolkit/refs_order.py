"""Order and status of referenced documents (GB/T 1.1—2020, 8.6 and 9.5.4), shared by checks and the document model.

Pure functions over codes such as ``GB/T 1.1—2020`` or ``TD/T XXXX—20XX``.
"""
from __future__ import annotations

import re

from toolkit.corpus import Corpus

_CODE = re.compile(r"^\s*(?P<prefix>GB/T|GB/Z|GB|DB\d*/T|DB\d*|T/[A-Z]+|ISO/IEC|ISO|IEC|[A-Z]{1,6}(?:/[TZ])?)"
                   r"\s*(?P<num>[\dXx×]+(?:\.[\dXx×]+)*)")
_PLACEHOLDER = re.compile(r"[Xx×]{2,}")
_NATIONAL = {"GB": 0, "GB/T": 1, "GB/Z": 2}


def reference_sort_key(code: str | None, title: str = "") -> tuple:
    """GB/T 1.1—2020 (8.6) order key of a referenced document by its ``code``.

    Groups: 0 national (GB < GB/T < GB/Z), 1 industry (by code letters), 2 local
    (DB), 3 group (T/…), 4 international (ISO, ISO/IEC, IEC), 5 anything without a
    recognised code (kept in the drafter's order); then by number parts (``1.1`` < ``2`` < ``10``).
    """
    mt = _CODE.match(code or "")
    if not mt:
        return (5, "", (), "")
    prefix, num = mt.group("prefix"), mt.group("num")
    parts = tuple(int(p) if p.isdigit() else 10 ** 9 for p in num.split("."))
    if prefix in _NATIONAL:
        return (0, str(_NATIONAL[prefix]), parts, "")
    if prefix.startswith("DB"):
        return (2, prefix, parts, "")
    if prefix.startswith("T/"):
        return (3, prefix, parts, "")
    if prefix in ("ISO", "ISO/IEC", "IEC"):
        return (4, "", parts, prefix)
    return (1, prefix, parts, "")


def is_unpublished(code: str | None) -> bool:
    """A code with a placeholder number or year (``TD/T XXXX—20XX``), or no code at all."""
    return not code or bool(_PLACEHOLDER.search(code))


def ref_code_title(c: Corpus, rid: str) -> tuple[str | None, str, str]:
    """``(code, title, status)`` of a normative reference id (catalogue standard or external reference)."""
    if rid in c.references:
        r = c.references[rid]
        return r.code, r.title, r.status
    if rid in c.standards:
        st = c.standards[rid]
        return st.code, st.title, "current"
    return None, rid, "current"


def leading_code(s: str) -> str | None:
    """The entry itself when a 参考文献 line starts with a standard code (``[1] GB/T …``), else ``None``."""
    s = re.sub(r"^\[\d+\]\s*", "", s.strip())
    return s if _CODE.match(s) else None


def sorted_references(c: Corpus, ids: list[str]) -> list[str]:
    """``ids`` in GB/T 1.1—2020 order (stable for equal keys); used by the document model."""
    def key(rid: str):
        code, title, _ = ref_code_title(c, rid)
        return reference_sort_key(code, title)
    return sorted(ids, key=key)


