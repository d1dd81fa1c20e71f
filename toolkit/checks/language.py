"""W95x drafting language (GB/T 1.1-2020, 附录 C and 9.x): how provisions are worded.

GB/T 1.1-2020 expresses provisions with the 能愿动词 应/不应 (requirement),
宜/不宜 (recommendation), 可/不必 (permission), 能/不能 (possibility).  All
findings here are warnings: wording is for a drafter to judge.

* W951 a non-standard modal verb in a provision: 必须/务必/须 → 应, 不得 → 不应,
  可以 → 可, 无须/无需 → 不必 (checked in chapters 1– and annexes, not in 前言/引言);
* W952 one sentence mixes a requirement (应/不应) with a recommendation (宜/不宜);
* W953 half-width punctuation ``, ; : ( )`` next to Chinese text (use ，；：（）);
* W954 a standard code not written as ``GB/T 1.1—2020`` (one space after the
  prefix, an em dash before the year): ``GB/T 1.1-2020``, ``GB/T1.1—2020`` …;
* W955 a term is used before the clause that defines it: in 规范性引用文件, or in
  the definition of a term listed before it (范围 may use terms; 前言 and 引言
  describe the document and are not checked).
"""
from __future__ import annotations

import re

from toolkit import model as m
from toolkit.checks import register, register_draft
from toolkit.checks.structure import term_variants
from toolkit.checks.text import BIBLIOGRAPHY, TextPiece, draft_texts, matching
from toolkit.corpus import Corpus
from toolkit.findings import Finding

CODES: dict[str, dict[str, str]] = {
    "W951": {"severity": "warning", "title": "non-standard 能愿动词 in a provision (必须/务必/须/不得/可以/无须)",
             "fix": "use 应/不应 (requirement), 宜/不宜 (recommendation), 可/不必 (permission)"},
    "W952": {"severity": "warning", "title": "one sentence mixes a requirement (应) and a recommendation (宜)",
             "fix": "split it into one sentence per provision type"},
    "W953": {"severity": "warning", "title": "half-width punctuation , ; : ( ) in Chinese text",
             "fix": "use full-width ，；：（）"},
    "W954": {"severity": "warning", "title": "standard code not written as `GB/T 1.1—2020`",
             "fix": "one space after the prefix, an em dash (—) before the year"},
    "W955": {"severity": "warning", "title": "term used before the clause that defines it",
             "fix": "reorder `terms:` or reword"},
}
"""Finding codes this module emits (collected by :mod:`toolkit.codes`)."""

# ------------------------------------------------------------------ W951 modal verbs
_NONSTANDARD = [
    # (pattern, word, suggestion)
    (re.compile(r"必须"), "必须", "应"),
    (re.compile(r"务必"), "务必", "应"),
    (re.compile(r"(?<![必务无毋])须(?!知)"), "须", "应"),
    (re.compile(r"(?<![舍怪巴恨顾由说])不得(?!不)"), "不得", "不应"),
    (re.compile(r"不得不"), "不得不", "应"),
    (re.compile(r"可以"), "可以", "可"),
    (re.compile(r"无[须需]"), "无须", "不必"),
]
_NONSTANDARD_ANY = re.compile(r"必须|务必|须|不得|可以|无[须需]")
"""What every pattern of :data:`_NONSTANDARD` matches at least (a pre-filter for :func:`toolkit.checks.text.matching`)."""
_YI = re.compile("宜")
_PROVISION_ROLES = frozenset({"p", "list", "note", "example", "table", "definition", "term-note"})

# ------------------------------------------------------------------ W952 应 + 宜 in one sentence
_YING_WORDS = re.compile(r"应用|适应|响应|供应|相应|对应|应对|效应|反应|回应|呼应|应急|感应|顺应|答应|应变|照应|因应|"
                         r"应力|应收|应付|应届|应邀|应聘|应征|内应|报应|应酬|应答|应和|应景|应运|应试|应声|应战|策应|接应")
_YI_WORDS = re.compile(r"适宜|便宜|事宜|宜居|因地制宜|权宜|相宜|合宜|时宜|机宜|咸宜")
_SENTENCE = re.compile(r"[^。；！？]+")


def modal_ying(s: str) -> bool:
    """Does ``s`` use 应 as a modal verb (应/不应/应当/应该), not inside 应用, 供应, 相应 …?"""
    return "应" in _YING_WORDS.sub("", s)


def modal_yi(s: str) -> bool:
    """Does ``s`` use 宜 as a modal verb (宜/不宜), not inside 适宜, 宜居, 因地制宜 …?"""
    return "宜" in _YI_WORDS.sub("", s)


# ------------------------------------------------------------------ W953 punctuation
_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
_HALF_PUNCT = re.compile(rf"(?<=[{_CJK}])\s?[,;:()]|[,;:()]\s?(?=[{_CJK}])")
_FULL = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）"}
_ANY_HALF = re.compile(r"[,;:()]")
"""Any half-width mark :data:`_HALF_PUNCT` looks for (texts without one are skipped)."""
_REF = re.compile(r"\[\[[a-z0-9-]+\]\]")
_URL = re.compile(r"https?://\S+")

# ------------------------------------------------------------------ W954 standard codes
_PREFIX = r"GB/T|GB/Z|GB|TD/T|CJJ/T|CJJ|JGJ/T|JGJ|HJ/T|HJ|NY/T|LY/T|DL/T|SL|CECS|DB\d{2}/T|DB\d{2}|T/[A-Z]+"
_ANY_PREFIX = re.compile(r"GB|TD/|CJJ|JGJ|HJ|NY/|LY/|DL/|SL|CECS|DB\d|T/")
"""A part of every prefix of :data:`_PREFIX` (a text without one holds no standard code)."""
_CODE = re.compile(rf"(?<![A-Za-z/])({_PREFIX})(\s*)(\d+(?:\.\d+)*)(\s*)([-—–－~～―]+)(\s*)(\d{{4}})(?!\d)")


def code_problem(mt: re.Match) -> str | None:
    """What is wrong with a matched standard code, or None if it is written ``GB/T 1.1—2020``."""
    prefix, sp1, num, sp2, dash, sp3, year = mt.groups()
    problems = []
    if sp1 not in (" ", "\u3000"):
        problems.append("one space after the prefix" if sp1 == "" else "a single space after the prefix")
    if dash != "—":
        problems.append("an em dash (—) before the year")
    if sp2 or sp3:
        problems.append("no space around the dash")
    if not problems:
        return None
    return f"write {prefix} {num}—{year}: " + ", ".join(problems)


@register_draft("language")
def check_language_draft(c: Corpus, sid: str, d: m.Draft) -> list[Finding]:
    """W951–W955 for draft ``sid`` (see module doc)."""
    pieces = list(draft_texts(d))
    return (_modal_and_mix(c, sid, pieces) + _punctuation(c, sid, pieces) + _codes(c, sid, pieces)
            + _terms_before_definition(c, sid, d, pieces))


@register("language", scope="interface")
def check_language(c: Corpus) -> list[Finding]:
    """W954 for the codes of the registries' references and of the catalogue (see module doc)."""
    out: list[Finding] = []
    for rid, ref in c.references.items():
        if ref.code:
            for mt in _CODE.finditer(ref.code):
                prob = code_problem(mt)
                if prob:
                    out.append(Finding("W954", "warning", f"standard code `{mt.group(0)}` of reference `{rid}`: {prob}",
                                       c.where("reference", rid, "code"), "GB/T 1.1-2020 writes codes as GB/T 1.1—2020"))
    for st in c.standards.values():
        if st.code:
            for mt in _CODE.finditer(st.code):
                prob = code_problem(mt)
                if prob:
                    out.append(Finding("W954", "warning", f"standard code `{mt.group(0)}` of `{st.id}`: {prob}",
                                       c.where("standard", st.id, "code"), "GB/T 1.1-2020 writes codes as GB/T 1.1—2020"))
    return out


def _modal_and_mix(c: Corpus, sid: str, pieces: list[TextPiece]) -> list[Finding]:
    out: list[Finding] = []
    for pc in matching(pieces, _NONSTANDARD_ANY):
        if pc.chapter < 0 or pc.chapter >= BIBLIOGRAPHY or pc.role not in _PROVISION_ROLES:
            continue
        for rx, word, better in _NONSTANDARD:
            if rx.search(pc.text):
                out.append(Finding("W951", "warning",
                                   f"「{word}」 in a provision of `{pc.owner}`; GB/T 1.1-2020 uses 「{better}」",
                                   c.where("draft", sid, *pc.path),
                                   f"write 「{better}」 (requirement 应/不应, recommendation 宜/不宜, permission 可/不必)"))
    for pc in matching(pieces, _YI):  # a sentence mixing 应 and 宜 holds 宜
        if pc.chapter < 0 or pc.chapter >= BIBLIOGRAPHY or pc.role not in ("p", "list") or "应" not in pc.text:
            continue
        for sent in _SENTENCE.findall(pc.text):
            if modal_ying(sent) and modal_yi(sent):
                out.append(Finding("W952", "warning",
                                   f"one sentence of `{pc.owner}` mixes a requirement (应) and a recommendation (宜): "
                                   f"「{sent.strip()[:40]}」",
                                   c.where("draft", sid, *pc.path),
                                   "split it into one sentence per provision type, so each states one 能愿动词"))
                break
    return out


def _punctuation(c: Corpus, sid: str, pieces: list[TextPiece]) -> list[Finding]:
    out: list[Finding] = []
    for pc in matching(pieces, _ANY_HALF):
        if pc.role == "bibliography":
            continue
        text = _URL.sub(" ", _REF.sub("〇", pc.text))
        hits = [mt.group(0).strip() for mt in _HALF_PUNCT.finditer(text)]
        if hits:
            shown = "".join(dict.fromkeys(hits))
            fix = "".join(_FULL[h] for h in dict.fromkeys(hits))
            out.append(Finding("W953", "warning",
                               f"half-width punctuation 「{shown}」 in Chinese text of `{pc.owner}` ({len(hits)}×)",
                               c.where("draft", sid, *pc.path), f"use full-width 「{fix}」 in Chinese text"))
    return out


def _codes(c: Corpus, sid: str, pieces: list[TextPiece]) -> list[Finding]:
    out: list[Finding] = []
    for pc in matching(pieces, _ANY_PREFIX):  # every code starts with one of these: other texts hold none
        for mt in _CODE.finditer(pc.text):
            prob = code_problem(mt)
            if prob:
                out.append(Finding("W954", "warning", f"standard code `{mt.group(0)}` in `{pc.owner}`: {prob}",
                                   c.where("draft", sid, *pc.path), "GB/T 1.1-2020 writes codes as GB/T 1.1—2020"))
    return out


def _terms_before_definition(c: Corpus, sid: str, d: m.Draft, pieces: list[TextPiece]) -> list[Finding]:
    out: list[Finding] = []
    if not d.terms:
        return out
    kinds = {i: ch.kind for i, ch in enumerate(d.clauses)}
    terms_ch = next((i for i, k in kinds.items() if k == "terms"), None)
    variants = [(t, term_variants(t.term)) for t in d.terms]
    order = {t.id: i for i, t in enumerate(d.terms)}
    for pc in pieces:
        if pc.role in ("definition", "term-note"):
            text = "".join(pc.text.split())
            later = [t for t, vs in variants if order[t.id] > order.get(pc.owner, -1) and any(v in text for v in vs)]
        elif terms_ch is not None and 0 <= pc.chapter < terms_ch and kinds.get(pc.chapter) != "scope":
            text = "".join(pc.text.split())
            later = [t for t, vs in variants if any(v in text for v in vs)]
        else:
            continue
        for t in later:
            out.append(Finding("W955", "warning",
                               f"term 「{t.term}」 is used in `{pc.owner}` before its definition (`{t.id}`)",
                               c.where("draft", sid, *pc.path),
                               "define terms before their first use: reorder `terms:`, or reword"))
    return out
