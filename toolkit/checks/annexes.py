"""E84x normative content and annexes (GB/T 1.1—2020, 9.6; drafting practice of 国土空间规划 standards).

What a draft makes binding has to be visible where the reader looks for it: an
indicator the text calls 刚性 or 约束性 is in the draft's normative annex with that
attribute; a normative annex is cited with normative wording (「应符合附录A的规定」,
「按附录A」), an informative one with 「见/参见」 (9.6.3); a normative annex table gives
each indicator a value or says honestly that the local plan fixes it
(``set_locally``); case-study values (上海新城、深圳…案例) are reference material,
never normative content — they belong in a 示例 or in a ``case:`` target.

* E840 case values (案例, or the name of a ``case:`` of the corpus) in normative content;
* E841 a target whose context says 案例 but that has no ``case:``;
* E842 the text calls an indicator 刚性/约束性 (or 弹性/预期性) but the registry says otherwise;
* E843 the text makes an indicator 刚性/约束性, but no normative annex of the draft shows it;
* E844 a normative annex is never cited with normative wording (应/按…), or an informative one is cited as a requirement;
* W845 a row of a normative annex's indicator table has no value and the indicator is not ``set_locally``;
* E846 an indicator table imports an unknown record.
"""
from __future__ import annotations

import re

import ahocorasick

from toolkit import model as m
from toolkit.checks import prepared, register, register_draft
from toolkit.checks.genre import requirement
from toolkit.checks.text import ANNEX_BASE, BIBLIOGRAPHY, annex_owner_ids, draft_texts
from toolkit.corpus import Corpus, table_targets
from toolkit.document import REF_RE
from toolkit.findings import Finding

CODES: dict[str, dict[str, str]] = {
    "E840": {"severity": "error", "title": "case-study values (案例) in normative content",
             "fix": "move the case into a 示例 or the informative annex, or quote it as a `case:` target"},
    "E841": {"severity": "error", "title": "target whose context says 案例 lacks `case:`",
             "fix": "add `case: <案例名>` so the value is shown as a reference value, not a threshold"},
    "E842": {"severity": "error", "title": "text calls an indicator 刚性/约束性 or 弹性/预期性 against its registry attribute",
             "fix": "make the text and the indicator's `kind`/`rigidity` agree"},
    "E843": {"severity": "error", "title": "text makes an indicator 刚性/约束性 but no normative annex shows it",
             "fix": "add the indicator to the normative annex's indicator table, or drop the binding wording"},
    "E844": {"severity": "error", "title": "normative annex not cited with normative wording, or informative annex cited as a requirement",
             "fix": "cite a 规范性附录 as 「应符合附录A的规定」/「按附录A」, a 资料性附录 as 「见附录B」/「参见附录B」"},
    "W845": {"severity": "warning", "title": "normative annex indicator row without a value (由地方结合实际确定) and no `set_locally`",
             "fix": "state the target in the draft, or mark the indicator `set_locally: true` when the local plan fixes it"},
    "E846": {"severity": "error", "title": "indicator table imports an unknown record",
             "fix": "name an indicator, measure, countermeasure, clause or table id in `imports:`"},
}
"""Finding codes this module emits (collected by :mod:`toolkit.codes`)."""

_SENTENCE = re.compile(r"[^。；！？]+")
_BINDING = re.compile(r"刚性|约束性")
_SOFT = re.compile(r"弹性|预期性")
_BINDING_OR_SOFT = re.compile(r"刚性|约束性|弹性|预期性")
_NORMATIVE_CITE = re.compile(r"按|依据|执行|符合")


class IndicatorNames(list):
    """``(squashed name, id)`` of every indicator, longest first, with an Aho–Corasick automaton.

    A list (as before) plus ``automaton`` (:mod:`ahocorasick`, built once per run): one pass
    over a text finds every name occurring in it, whatever the number of indicators, and
    ``ids`` for ``[[id]]`` look-ups.
    """

    def __init__(self, items: list[tuple[str, str]]):
        super().__init__(items)
        self.ids = {iid for _, iid in items}
        self.automaton = ahocorasick.Automaton()
        for k, (name, iid) in enumerate(items):
            if name not in self.automaton:  # same name twice: the first (longest-first order) wins
                self.automaton.add_word(name, (k, len(name), iid))
        if items:
            self.automaton.make_automaton()

    def may_name(self, text: str) -> bool:
        """Whether :func:`named_indicators` can find anything in ``text`` or in any part of it: some
        name occurs in it (overlaps not yet resolved) or it holds a ``[[`` reference."""
        if "[[" in text:
            return True
        if not self:
            return False
        for _hit in self.automaton.iter("".join(text.split())):
            return True
        return False


def indicator_names(c: Corpus) -> IndicatorNames:
    """``(squashed name, id)`` of every indicator, longest first (names of 3+ characters)."""
    out = [("".join(ind.name.split()), iid) for iid, ind in c.indicators.items()]
    return IndicatorNames(sorted([x for x in out if len(x[0]) >= 3], key=lambda x: -len(x[0])))


def named_indicators(text: str, names: list[tuple[str, str]]) -> list[str]:
    """Ids of indicators named in ``text`` (longest names win; each id once, in order of names).

    Whitespace is ignored.  A name counts only where it does not overlap a longer name (or
    an earlier one of the same length) already found: 「城市绿地率」 does not also name 「绿地率」.
    ``[[id]]`` references to known indicators follow, in order of appearance.
    """
    t = "".join(text.split())
    if isinstance(names, IndicatorNames):
        found = _named_by_automaton(t, names)
        known = names.ids
    else:
        known = {iid for _, iid in names}
        found = []
        for name, iid in names:
            if name in t:
                t = t.replace(name, "\0")
                if iid not in found:
                    found.append(iid)
    for mt in REF_RE.finditer(text):
        if mt.group(1) not in found and mt.group(1) in known:
            found.append(mt.group(1))
    return found


def _named_by_automaton(t: str, names: IndicatorNames) -> list[str]:
    """The replace-longest-first rule of :func:`named_indicators` on the automaton's matches:
    names in list order; an occurrence counts if it overlaps no span already taken, and the
    occurrences of one name are taken left to right without overlapping each other."""
    if not names or not t:
        return []
    by_name: dict[int, list[tuple[int, int, str]]] = {}
    for end, (k, n, iid) in names.automaton.iter(t):
        by_name.setdefault(k, []).append((end - n + 1, end + 1, iid))
    if not by_name:
        return []
    taken = bytearray(len(t))
    found: list[str] = []
    for k in sorted(by_name):
        hit = False
        for start, end, iid in sorted(by_name[k]):
            if any(taken[start:end]):
                continue
            taken[start:end] = b"\1" * (end - start)
            hit = True
        if hit and iid not in found:
            found.append(iid)
    return found


def case_names(c: Corpus) -> set[str]:
    """Every ``case:`` name used by a target of the corpus (2+ characters)."""
    return {rt.target.case for rt in c.targets if rt.target.case and len(rt.target.case) >= 2}


def normative_annex_indicators(c: Corpus, d: m.Draft, names: list[tuple[str, str]] | None = None) -> set[str]:
    """Indicators shown in a normative annex of ``d`` (indicator tables, or named in a free table);
    ``names`` is :func:`indicator_names` (computed when not given)."""
    names = indicator_names(c) if names is None else names
    out: set[str] = set()
    for a in d.annexes:
        if not a.normative:
            continue
        blocks = list(a.blocks) + [b for cl in a.clauses for b in _walk_blocks(cl)]
        for b in blocks:
            if isinstance(b, m.IndicatorTableBlock):
                out.update(b.indicators)
            elif isinstance(b, m.TableBlock):
                for row in b.rows:
                    out.update(named_indicators(" ".join(map(str, row)), names))
    return out


def _walk_blocks(cl: m.Clause):
    yield from cl.blocks
    for s in cl.clauses:
        yield from _walk_blocks(s)


@register("annexes", scope="interface")
def check_annexes(c: Corpus) -> list[Finding]:
    """E841 for every target (see module doc)."""
    out: list[Finding] = []
    for rt in c.targets:
        if not rt.target.case and "案例" in (rt.target.context or ""):
            out.append(Finding("E841", "error", f"target of `{rt.indicator}` has context 「{rt.target.context}」 but no `case:`",
                               rt.location, "add `case: <案例名>` (shown as 参考值, never as a threshold)"))
    return out


def _shared(c: Corpus) -> tuple[list[str], "IndicatorNames", dict]:
    """What every draft's pass reads: case names (sorted), the indicator-name automaton, and each
    indicator's targets in corpus order (the importable ids, needed only for an import that is
    not a record, are :func:`_importable_ids`, prepared when first needed)."""
    by_indicator: dict[str, list] = {}
    for rt in c.targets:
        by_indicator.setdefault(rt.indicator, []).append(rt)
    return sorted(case_names(c)), prepared(c, "indicator-names", indicator_names), by_indicator


@register_draft("annexes")
def check_annexes_draft(c: Corpus, sid: str, d: m.Draft) -> list[Finding]:
    """E840, E842–E846 for draft ``sid`` (see module doc)."""
    out: list[Finding] = []
    cases, names, by_indicator = prepared(c, "annexes", _shared)
    owner_annex = annex_owner_ids(d)
    annex_by_id = {a.id: a for a in d.annexes}
    in_annex = normative_annex_indicators(c, d, names)
    cited_normatively: set[str] = set()
    for pc in draft_texts(d):
        if pc.chapter < 0 or pc.chapter >= BIBLIOGRAPHY:
            continue
        normative_place = pc.chapter < ANNEX_BASE or d.annexes[pc.chapter - ANNEX_BASE].normative
        path = pc.path  # the location is looked up only for a finding
        if normative_place and pc.role in ("p", "list", "table", "note"):
            hit = "案例" if "案例" in pc.text else next((n for n in cases if n in pc.text), None)
            if hit:
                out.append(Finding("E840", "error", f"case-study content (「{hit}」) in normative content of `{pc.owner}`",
                                   c.where("draft", sid, *path), "move it into a 示例 or the informative annex, or quote it as a `case:` target"))
        if pc.role not in ("p", "list") or pc.chapter >= ANNEX_BASE:
            continue
        if "[[" not in pc.text and not _BINDING_OR_SOFT.search(pc.text):
            continue  # no sentence of it cites an annex or calls an indicator binding or soft
        for sent in _SENTENCE.findall(pc.text):
            for mt in REF_RE.finditer(sent):
                aid = mt.group(1) if mt.group(1) in annex_by_id else owner_annex.get(mt.group(1))
                if aid is None or aid not in annex_by_id:
                    continue
                if annex_by_id[aid].normative:
                    if requirement(sent) or _NORMATIVE_CITE.search(sent):
                        cited_normatively.add(aid)
                elif requirement(sent):
                    out.append(Finding("E844", "error",
                                       f"informative annex `{aid}` is cited as a requirement in `{pc.owner}`: "
                                       f"「{sent.strip()[:40]}」", c.where("draft", sid, *path),
                                       "cite a 资料性附录 with 「见/参见附录B」, or make the annex normative"))
            binding, soft = bool(_BINDING.search(sent)), bool(_SOFT.search(sent))
            if binding == soft:
                continue
            ids = named_indicators(sent, names)
            if len(ids) != 1:
                continue
            ind = c.indicators[ids[0]]
            word = _BINDING.search(sent).group(0) if binding else _SOFT.search(sent).group(0)
            registry = {"刚性": ind.rigidity == "刚性", "约束性": ind.kind == "约束性",
                        "弹性": ind.rigidity == "弹性", "预期性": ind.kind == "预期性"}[word]
            if not registry:
                attr = ind.kind + (f"（{ind.rigidity}）" if ind.rigidity else "")
                out.append(Finding("E842", "error",
                                   f"`{pc.owner}` calls {ind.name} {word}, but `{ind.id}` is {attr}", c.where("draft", sid, *path),
                                   "make the text and the indicator's `kind`/`rigidity` agree"))
            elif binding and ind.id not in in_annex:
                out.append(Finding("E843", "error",
                                   f"`{pc.owner}` makes {ind.name} {word}, but no normative annex of `{sid}` shows it",
                                   c.where("draft", sid, *path), "add it to the normative annex's indicator table, or drop the binding wording"))
    for ai, a in enumerate(d.annexes):
        if a.normative and a.id not in cited_normatively:
            out.append(Finding("E844", "error",
                               f"normative annex `{a.id}` of `{sid}` is never cited with normative wording",
                               c.where("draft", sid, "annexes", ai, "title"),
                               "cite it as 「应符合附录A的规定」 or 「按附录A…」 where the text relies on it"))
    out += _annex_tables(c, sid, d, by_indicator)
    return out


def _importable_ids(c: Corpus) -> set[str]:
    """Ids an indicator table may import: countermeasures, clauses and indicator tables of every draft
    (indicators and measures are looked up in ``c.records``); computed once per check run."""
    countermeasures = {cm.id for st in c.standards.values() for lv in st.levers for cm in lv.countermeasures}
    local = {cl.id for dd in c.drafts.values() for cl in _all_clauses(dd)}
    tables = {b.id for dd in c.drafts.values() for b in _all_blocks(dd) if isinstance(b, m.IndicatorTableBlock)}
    return countermeasures | local | tables


def _annex_tables(c: Corpus, sid: str, d: m.Draft, by_indicator: dict) -> list[Finding]:
    out: list[Finding] = []
    known_kinds = ("indicator", "measure")
    for ai, a in enumerate(d.annexes):
        for bi, b in enumerate(a.blocks):
            if not isinstance(b, m.IndicatorTableBlock):
                continue
            path = ("annexes", ai, "blocks", bi)
            for i, rid in enumerate(b.imports):
                if not (any((k, rid) in c.records for k in known_kinds)
                        or rid in prepared(c, "annexes-importable", _importable_ids)):
                    out.append(Finding("E846", "error", f"table `{b.id}` imports unknown record `{rid}`",
                                       c.where("draft", sid, *path, "imports", i),
                                       "name an indicator, measure, countermeasure, clause or table id"))
            if not a.normative:
                continue
            own = table_targets(c, sid, b, by_indicator)
            for i, iid in enumerate(b.indicators):
                ind = c.indicators.get(iid)
                if ind is None or ind.set_locally:
                    continue
                if not any(rt.indicator == iid and not rt.target.case for rt in own):
                    out.append(Finding("W845", "warning",
                                       f"row {ind.name} of normative table `{b.id}` has no value (由地方结合实际确定)",
                                       c.where("draft", sid, *path, "indicators", i),
                                       "state the target (`targets:` on the table or a clause), or `set_locally: true`"))
    return out


def _all_clauses(d: m.Draft):
    def walk(cl):
        yield cl
        for s in cl.clauses:
            yield from walk(s)
    for cl in d.clauses:
        yield from walk(cl)
    for a in d.annexes:
        for cl in a.clauses:
            yield from walk(cl)


def _all_blocks(d: m.Draft):
    for cl in _all_clauses(d):
        yield from cl.blocks
    for a in d.annexes:
        yield from a.blocks
