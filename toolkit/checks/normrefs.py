"""E83x normative references (GB/T 1.1—2020, 8.6, 8.13, 9.5.4).

A normatively referenced document becomes part of the requirements, so it must
be published and valid: a document still being drafted (``TD/T XXXX—20XX``, a
catalogue standard without a published code) is cited normatively only with the
note 正在制定 (list it in ``pending_references``), otherwise informatively in 参考文献;
a superseded or withdrawn document is never cited normatively, nor a dated
edition that another draft of the corpus replaces (cite the new edition undated).
The list is ordered by document type — national (GB, then GB/T, then GB/Z),
industry, local, group, international, other documents — and within a type by
code letters and number (8.6); the renderer sorts the list itself
(:func:`reference_sort_key`), a hand-ordered 参考文献 is checked.

* E830 normative reference to an unpublished document (not in ``pending_references``): a
  catalogue standard without a published code, or a code with a placeholder number (an
  external document without a code, e.g. a policy paper, counts as published);
* E831 normative reference to a superseded or withdrawn edition, or one another draft replaces;
* W832 ``normative_references`` written out of GB/T 1.1—2020 order (the renderer sorts them);
* W833 参考文献 entries out of GB/T 1.1—2020 order;
* E834 ``pending_references`` names a document that is not a normative reference, or one that is published.
"""
from __future__ import annotations

from toolkit import model as m
from toolkit.checks import prepared, register_draft
from toolkit.corpus import Corpus
from toolkit.refs_order import is_unpublished, leading_code, ref_code_title, reference_sort_key
from toolkit.findings import Finding

CODES: dict[str, dict[str, str]] = {
    "E830": {"severity": "error", "title": "normative reference to an unpublished document",
             "fix": "cite it informatively in 参考文献, or list its id in `pending_references` (printed with 正在制定)"},
    "E831": {"severity": "error", "title": "normative reference to a superseded or withdrawn edition (or one another draft replaces)",
             "fix": "cite the current edition, undated (e.g. TD/T 1063), or drop the reference"},
    "W832": {"severity": "warning", "title": "normative_references not in GB/T 1.1—2020 order (GB, GB/T, GB/Z, industry, …, by number)",
             "fix": "reorder the list (the rendered list is sorted anyway)"},
    "W833": {"severity": "warning", "title": "参考文献 not in GB/T 1.1—2020 order",
             "fix": "order national standards (GB, GB/T, GB/Z), then industry, local, group, international, then other documents"},
    "E834": {"severity": "error", "title": "`pending_references` entry not a normative reference of the draft, or already published",
             "fix": "list only ids of `normative_references` whose code still has a placeholder number"},
}
"""Finding codes this module emits (collected by :mod:`toolkit.codes`)."""

def replaced_editions(c: Corpus) -> dict[str, str]:
    """Map the code of every edition a draft of the corpus replaces to that draft's id.

    The replaced edition is ``base_edition.code`` when given; otherwise, for a
    revision whose catalogue code has a real number, the registered reference with
    the same number and a real year (as the 代替 line is computed).
    """
    out: dict[str, str] = {}
    for sid, d in c.drafts.items():
        if d.basis or d.form == "amendment":  # a 修改单 amends its base edition, which stays in force
            continue
        if d.base_edition is not None:
            out[d.base_edition.code] = sid
            continue
        st = c.standards.get(sid)
        if st is None or st.action != "revise" or not st.code:
            continue
        base = st.code.split("—")[0].strip()
        if not base or is_unpublished(base):
            continue
        for r in c.references.values():
            if r.code and "—" in r.code and r.code != st.code and r.code.split("—")[0].strip() == base:
                out[r.code] = sid
    return out


@register_draft("normrefs")
def check_normrefs(c: Corpus, sid: str, d: m.Draft) -> list[Finding]:
    """E830–E834 for draft ``sid`` (see module doc)."""
    out: list[Finding] = []
    replaced = prepared(c, "normrefs", replaced_editions)
    keys = []
    for i, rid in enumerate(d.normative_references):
        code, title, status = ref_code_title(c, rid)
        keys.append(reference_sort_key(code, title))
        if rid not in c.references and rid not in c.standards:
            continue  # E203
        unpublished = is_unpublished(code) if rid in c.standards else bool(code) and is_unpublished(code)
        if unpublished and rid not in d.pending_references:
            out.append(Finding("E830", "error",
                               f"`{sid}` cites {code or title} normatively, but it is not published",
                               c.where("draft", sid, "normative_references", i), "cite it in `bibliography:` (参考文献), or add the id to `pending_references`"))
        if status != "current":
            out.append(Finding("E831", "error", f"`{sid}` cites {code} normatively, but it is {status}",
                               c.where("draft", sid, "normative_references", i), "cite the edition in force, or drop the reference"))
        elif code in replaced and replaced[code] != sid:
            out.append(Finding("E831", "error",
                               f"`{sid}` cites {code} normatively, but draft `{replaced[code]}` replaces that edition",
                               c.where("draft", sid, "normative_references", i), f"cite it undated ({code.split('—')[0].strip()}) or drop the dated reference"))
    if keys != sorted(keys):
        out.append(Finding("W832", "warning",
                           f"normative references of `{sid}` are not in GB/T 1.1—2020 order",
                           c.key_where("draft", sid, "normative_references"),
                           "order GB, GB/T, GB/Z, then industry standards by code and number (the rendered list is sorted)"))
    bib = [reference_sort_key(leading_code(s), s) for s in d.bibliography]
    if bib != sorted(bib):
        out.append(Finding("W833", "warning", f"参考文献 of `{sid}` are not in GB/T 1.1—2020 order",
                           c.key_where("draft", sid, "bibliography"),
                           "order national standards, industry, local, group, international, then other documents"))
    for i, rid in enumerate(d.pending_references):
        code, _, _ = ref_code_title(c, rid)
        if rid not in d.normative_references or not is_unpublished(code):
            out.append(Finding("E834", "error",
                               f"`pending_references` of `{sid}` lists `{rid}`, which is "
                               + ("not a normative reference" if rid not in d.normative_references else "published"),
                               c.where("draft", sid, "pending_references", i),
                               "list only unpublished documents that are in `normative_references`"))
    return out


