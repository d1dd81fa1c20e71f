"""E85x terminology: one term, one definition across all drafts.

Terms are matched by their Chinese form (whitespace ignored); definitions are
compared after removing whitespace and a final 。.

* E851 a term is defined in two drafts with different definitions (the finding
  names the other draft and where its definition is),
* E852 a draft defines the same term twice.
"""
from __future__ import annotations

from toolkit.checks import register
from toolkit.corpus import Corpus
from toolkit.findings import Finding, Location

CODES: dict[str, dict[str, str]] = {
    "E851": {"severity": "error", "title": "term defined differently in two drafts",
             "fix": "use one definition (copy the existing wording) or a different term"},
    "E852": {"severity": "error", "title": "term defined twice in one draft",
             "fix": "keep one entry"},
}
"""Finding codes this module emits (collected by :mod:`toolkit.codes`)."""


def _short(s: str, n: int = 40) -> str:
    """The note in full (whitespace collapsed); never cut: the drafter needs the whole question."""
    return " ".join(s.split())


def _norm(s: str) -> str:
    return "".join(s.split()).rstrip("。")


@register("terminology", scope="interface")
def check_terminology(c: Corpus) -> list[Finding]:
    """E851/E852 (see module doc)."""
    out: list[Finding] = []
    first: dict[str, tuple[str, str, int]] = {}  # term -> (draft id, definition, index in its terms)
    reported: set[tuple[str, str]] = set()

    def loc(sid: str, i: int) -> Location:  # looked up only for a finding
        return c.where("draft", sid, "terms", i, "definition")

    for sid, d in c.drafts.items():
        in_draft: dict[str, str] = {}
        for i, t in enumerate(d.terms):
            key = "".join(t.term.split())
            if key in in_draft:
                out.append(Finding("E852", "error",
                                   f"term 「{t.term}」 is defined twice in draft `{sid}` (`{in_draft[key]}` and `{t.id}`)",
                                   c.where("draft", sid, "terms", i, "term"), "keep one entry"))
                continue
            in_draft[key] = t.id
            if key not in first:
                first[key] = (sid, t.definition, i)
                continue
            other_sid, other_def, other_i = first[key]
            if other_sid != sid and _norm(other_def) != _norm(t.definition) and (key, sid) not in reported:
                reported.add((key, sid))
                out.append(Finding("E851", "error",
                                   f"term 「{t.term}」 is defined differently in draft `{sid}` and in `{other_sid}` "
                                   f"({loc(other_sid, other_i)}): 「{_short(t.definition)}」 vs 「{_short(other_def)}」",
                                   loc(sid, i), "a term has one definition across the standards: copy the existing "
                                                "wording, or use a different term"))
    return out
