"""E87x honest revisions (GB/T 1.1—2020, 8.1 代替, 8.3 前言; 标准修改单 practice).

A revision that says 代替 replaces the whole edition, so the draft holds the
whole new text — and, for the 修订对照表, the base edition's clauses
(``base_edition``) — or it is drafted as a 标准修改单 (``form: amendment``) that
states each change against the base standard's clause numbers.  A document
built on something that is not a standard (a policy guideline, a 试行 text)
says 本文件以…为基础起草 (``basis``), never 代替.  Every row of the 修订对照表
quotes text the corpus holds: 原条文 from the base edition's clause, 修订后条文 from
the new clause.

* E870 a revision prints 代替 but holds neither the base edition's text nor the form of an amendment;
* E871 a 修订对照表 row quotes 原条文/修订后条文 that the base edition / the new clause does not contain;
* E872 a draft built on a non-standard basis says 代替, or its 前言 lacks 本文件以…为基础起草;
* E873 a 标准修改单 without items, or an item against a clause the base edition does not have;
* E874 a revision of a document without a standard code and without ``basis``.
"""
from __future__ import annotations

import re

from toolkit import model as m
from toolkit.checks import prepared, register_draft
from toolkit.checks.normrefs import replaced_editions
from toolkit.corpus import Corpus, draft_clauses
from toolkit.document import REF_RE
from toolkit.findings import Finding
from toolkit.refs_order import is_unpublished

CODES: dict[str, dict[str, str]] = {
    "E870": {"severity": "error", "title": "revision says 代替 but holds neither the base edition's text nor an amendment form",
             "fix": "add `base_edition:` with the replaced edition's clauses, or draft it as `form: amendment` (标准修改单)"},
    "E871": {"severity": "error", "title": "修订对照表 row quotes text the base edition or the new clause does not contain",
             "fix": "give `base_clause:`/`new_clause:` and quote their text exactly"},
    "E872": {"severity": "error", "title": "draft on a non-standard basis says 代替, or its 前言 lacks 本文件以…为基础起草",
             "fix": "write 「本文件以《…》为基础起草」 in the 前言 and drop 代替"},
    "E873": {"severity": "error", "title": "标准修改单 without items, or an item against a clause the base edition lacks",
             "fix": "add `amendments:` stated against the base standard's clause numbers"},
    "E874": {"severity": "error", "title": "revision of a document that has no standard code, without `basis`",
             "fix": "set `basis:` to the document the draft is built on (本文件以…为基础起草)"},
}
"""Finding codes this module emits (collected by :mod:`toolkit.codes`)."""


def _squash(s: str) -> str:
    return "".join(REF_RE.sub("", s).split()).rstrip("。")


def clause_text(cl: m.Clause) -> str:
    """All paragraph, list and table text of a clause and its sub-clauses, squashed."""
    parts: list[str] = [cl.title or ""]
    for b in cl.blocks:
        if isinstance(b, (m.Paragraph, m.NoteBlock, m.ExampleBlock)):
            parts.append(b.text)
        elif isinstance(b, m.ListBlock):
            parts.append(b.intro or "")
            for it in b.items:
                parts.append(it if isinstance(it, str) else " ".join([it.text, *it.items]))
        elif isinstance(b, m.TableBlock):
            parts += [" ".join(map(str, r)) for r in b.rows]
    for s in cl.clauses:
        parts.append(clause_text(s))
    return _squash("".join(parts))


def _foreword_text(d: m.Draft) -> str:
    out = []
    for b in d.foreword:
        if isinstance(b, m.Paragraph):
            out.append(b.text)
        elif isinstance(b, m.ListBlock):
            out += [it if isinstance(it, str) else it.text for it in b.items]
    return "".join("".join(out).split())


def _replaced(c: Corpus) -> dict[str, str]:
    return {sid: code for code, sid in replaced_editions(c).items()}


@register_draft("revisions")
def check_revisions(c: Corpus, sid: str, d: m.Draft) -> list[Finding]:
    """E870–E874 for draft ``sid`` (see module doc)."""
    out: list[Finding] = []
    replaced = prepared(c, "revisions", _replaced)
    st = c.standards.get(sid)
    revise = st is not None and st.action == "revise"
    fw = _foreword_text(d)

    def top():  # looked up only for a finding
        return c.key_where("draft", sid, "standard")

    if d.basis:
        if "代替" in fw:
            out.append(Finding("E872", "error", f"`{sid}` is built on {d.basis} (not a standard) but its 前言 says 代替",
                               c.key_where("draft", sid, "foreword"), "write 「本文件以…为基础起草」 instead of 代替"))
        if not re.search(r"以.+为基础", fw):
            out.append(Finding("E872", "error", f"前言 of `{sid}` does not say 本文件以{d.basis}为基础起草",
                               c.key_where("draft", sid, "foreword"), "add 「本文件以…为基础起草」 to the 前言"))
    replaces = bool(revise and not d.basis and st.code and not is_unpublished(st.code.split("—")[0]))
    if revise and not d.basis and not replaces and d.base_edition is None:
        out.append(Finding("E874", "error", f"`{sid}` revises a document without a standard code but has no `basis`",
                           top(), "set `basis:` (本文件以…为基础起草) or `base_edition:` with the replaced standard's code"))
    if d.form == "amendment":
        if not d.amendments:
            out.append(Finding("E873", "error", f"标准修改单 `{sid}` has no `amendments:`", top(),
                               "state each change against the base standard's clause numbers"))
        numbers = {bc.number for bc in d.base_edition.clauses} if d.base_edition else set()
        for i, a in enumerate(d.amendments):
            if numbers and a.clause not in numbers:
                out.append(Finding("E873", "error", f"item `{a.id}` changes clause {a.clause}, which "
                                                    f"{d.base_edition.code} does not have",
                                   c.where("draft", sid, "amendments", i, "clause"),
                                   "use a clause number of the base edition"))
        if d.base_edition is None and not (revise and replaces):
            out.append(Finding("E873", "error", f"标准修改单 `{sid}` names no base standard", top(),
                               "add `base_edition: {code, title}` of the standard it amends"))
        return out
    if (replaces or (d.base_edition is not None and not d.basis)) and not (d.base_edition and d.base_edition.clauses):
        out.append(Finding("E870", "error",
                           f"`{sid}` replaces {d.base_edition.code if d.base_edition else replaced.get(sid, st.code)} but holds neither "
                           "the base edition's clauses nor the form of a 标准修改单", top(),
                           "add `base_edition.clauses` and the full new text, or draft it as `form: amendment`"))
    out += _revision_rows(c, sid, d)
    return out


def _revision_rows(c: Corpus, sid: str, d: m.Draft) -> list[Finding]:
    out: list[Finding] = []
    if not d.revision_table:
        return out
    base = {bc.number: _squash((bc.title or "") + bc.text) for bc in d.base_edition.clauses} if d.base_edition else {}
    new = {cl.id: clause_text(cl) for cl, _ in draft_clauses(d)}
    for i, r in enumerate(d.revision_table):
        loc = c.where("draft", sid, "revision_table", i)
        if d.base_edition is None:
            out.append(Finding("E871", "error", f"修订对照表 row `{r.id}` quotes an edition the corpus does not hold",
                               loc, "add `base_edition:` with the replaced edition's clauses, or drop the 修订对照表"))
            continue
        if r.base_clause is None and r.new_clause is None:
            out.append(Finding("E871", "error", f"修订对照表 row `{r.id}` names neither `base_clause` nor `new_clause`",
                               loc, "point the row at the clauses it compares"))
            continue
        if r.base_clause is not None:
            if r.base_clause not in base:
                out.append(Finding("E871", "error", f"row `{r.id}`: {d.base_edition.code} has no clause {r.base_clause}",
                                   loc, "use a clause number of `base_edition.clauses`"))
            elif _squash(r.original) not in base[r.base_clause]:
                out.append(Finding("E871", "error", f"row `{r.id}`: 原条文 is not the text of {d.base_edition.code} "
                                                    f"{r.base_clause}: 「{r.original[:30]}」", loc,
                                   "quote the base clause exactly"))
        if r.new_clause is not None:
            if r.new_clause not in new:
                out.append(Finding("E871", "error", f"row `{r.id}`: this draft has no clause `{r.new_clause}`",
                                   loc, "use a clause id of this draft"))
            elif _squash(r.revised) not in new[r.new_clause]:
                out.append(Finding("E871", "error", f"row `{r.id}`: 修订后条文 is not the text of `{r.new_clause}`: "
                                                    f"「{r.revised[:30]}」", loc, "quote the new clause exactly"))
    return out
