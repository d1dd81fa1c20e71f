"""E3xx uniqueness: ids unique corpus-wide, titles unique within their kind.

* E302 a nested id — a draft's clause, table, annex, term or revision row, or a
  catalogue record's problem, lever or countermeasure — is used twice anywhere
  in the corpus (within one draft, across drafts, or by a top-level record such
  as an indicator).  ``[[id]]`` cross references and site anchors rely on it.
  (Top-level duplicates are E301, reported while resolving.)
* W303 two records of one kind share a title: measures, indicators, standards,
  goals, cells and the other registries corpus-wide; clauses among siblings;
  tables and annexes within one draft; levers within a standard and
  countermeasures within a lever.
"""
from __future__ import annotations

from typing import Iterator

from toolkit import model as m
from toolkit.checks import register, register_draft
from toolkit.corpus import Corpus, iter_clauses
from toolkit.findings import Finding, Location

CODES: dict[str, dict[str, str]] = {
    "E302": {"severity": "error", "title": "nested id (clause, table, annex, term, revision row, problem, lever, countermeasure) used twice in the corpus",
             "fix": "rename one; prefix draft-local ids with the standard's short name (e.g. `dpg-…`, `tab-dpg-…`)"},
    "W303": {"severity": "warning", "title": "two records of one kind share a title (clauses: among siblings; tables, annexes: within a draft)",
             "fix": "give each its own title, or merge the two records"},
}
"""Finding codes this module emits (collected by :mod:`toolkit.codes`)."""

# Top-level kinds whose ids share the namespace that [[id]] and anchors use.
_GLOBAL = ("cell", "scale", "goal", "reference", "measure", "indicator", "standard")

_TABLES = (m.TableBlock, m.IndicatorTableBlock, m.MatrixBlock)


def _blocks_ids(blocks: list, path: tuple) -> Iterator[tuple[str, str, tuple]]:
    for i, b in enumerate(blocks):
        if isinstance(b, _TABLES):
            yield "table", b.id, path + ("blocks", i)


def _clause_ids(clauses: list[m.Clause], path: tuple) -> Iterator[tuple[str, str, tuple]]:
    for cl, p in iter_clauses(clauses, path):
        yield "clause", cl.id, p
        yield from _blocks_ids(cl.blocks, p)


def draft_nested_ids(d: m.Draft) -> Iterator[tuple[str, str, tuple]]:
    """``(kind, id, data path)`` of every id defined inside a draft, in document order."""
    for i, t in enumerate(d.terms):
        yield "term", t.id, ("terms", i)
    yield from _clause_ids(d.clauses, ("clauses",))
    for ai, a in enumerate(d.annexes):
        yield "annex", a.id, ("annexes", ai)
        yield from _blocks_ids(a.blocks, ("annexes", ai))
        yield from _clause_ids(a.clauses, ("annexes", ai, "clauses"))
    for i, r in enumerate(d.revision_table):
        yield "revision row", r.id, ("revision_table", i)


def standard_nested_ids(s: m.Standard) -> Iterator[tuple[str, str, tuple]]:
    """``(kind, id, data path)`` of problems, levers and countermeasures of a catalogue record."""
    for i, p in enumerate(s.problems):
        yield "problem", p.id, ("problems", i)
    for li, lv in enumerate(s.levers):
        yield "lever", lv.id, ("levers", li)
        for ci, cm in enumerate(lv.countermeasures):
            yield "countermeasure", cm.id, ("levers", li, "countermeasures", ci)


@register("uniqueness", scope="interface")
def check_uniqueness(c: Corpus) -> list[Finding]:
    """E302 nested ids unique corpus-wide; W303 titles unique within their kind (those inside one draft:
    :func:`_draft_titles`, the per-draft part)."""
    return _nested_ids(c) + _titles(c)


Where = tuple
"""A deferred location: ``(record kind, record id, *path)``, resolved with ``corpus.where`` only for findings."""


def _loc(c: Corpus, w: Where) -> Location:
    return c.where(*w)


def _nested_ids(c: Corpus) -> list[Finding]:
    out: list[Finding] = []
    seen: dict[str, tuple[str, Where]] = {}
    for (kind, id_) in c.records:
        if kind in _GLOBAL:
            seen.setdefault(id_, (kind, (kind, id_)))
    nested: list[tuple[str, str, Where]] = []
    for st in c.standards.values():
        nested.extend((k, i, ("standard", st.id, *p, "id")) for k, i, p in standard_nested_ids(st))
    for sid, d in c.drafts.items():
        nested.extend((k, i, ("draft", sid, *p, "id")) for k, i, p in draft_nested_ids(d))
    for kind, id_, w in nested:
        if id_ in seen:
            other_kind, other_w = seen[id_]
            out.append(Finding("E302", "error",
                               f"{kind} id `{id_}` is already used by {_a(other_kind)} at {_loc(c, other_w)}",
                               _loc(c, w), "ids are unique across the corpus (cross references and anchors use them): "
                                           "rename this one, e.g. with your standard's short prefix"))
        else:
            seen[id_] = (kind, w)
    return out


def _a(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def _dup_titles(c: Corpus, items, kind: str, scope: str) -> list[Finding]:
    """``items`` are ``(title, id, where)``; one W303 per repeated title (at the later record)."""
    out: list[Finding] = []
    first: dict[str, tuple[str, Where]] = {}
    for title, id_, w in items:
        key = "".join(title.split())
        if not key:
            continue
        if key in first:
            fid, fw = first[key]
            out.append(Finding("W303", "warning",
                               f"{kind} `{id_}` has the same title 「{title}」 as `{fid}` at {_loc(c, fw)}{scope}",
                               _loc(c, w), "give each its own title, or merge the two records if they are the same thing"))
        else:
            first[key] = (id_, w)
    return out


def _titles(c: Corpus) -> list[Finding]:
    out: list[Finding] = []
    registries = (("level", c.levels, "name"), ("plan_type", c.plan_types, "name"), ("cell", c.cells, "name"),
                  ("domain", c.domains, "name"), ("scale", c.scales, "name"), ("goal", c.goals, "name"),
                  ("measure", c.measures, "title"), ("indicator", c.indicators, "name"),
                  ("standard", c.standards, "title"))
    for kind, store, attr in registries:
        out += _dup_titles(c, [(getattr(x, attr), id_, (kind, id_, attr)) for id_, x in store.items()],
                           kind.replace("_", " "), "")
    for st in c.standards.values():
        out += _dup_titles(c, [(lv.name, lv.id, ("standard", st.id, "levers", i, "name"))
                               for i, lv in enumerate(st.levers)], "lever", f" in standard `{st.id}`")
        for li, lv in enumerate(st.levers):
            out += _dup_titles(c, [(cm.name, cm.id, ("standard", st.id, "levers", li, "countermeasures", i, "name"))
                                   for i, cm in enumerate(lv.countermeasures)], "countermeasure", f" in lever `{lv.id}`")
    return out


@register_draft("uniqueness")
def _draft_titles(c: Corpus, sid: str, d: m.Draft) -> list[Finding]:
    """W303 inside draft ``sid``: sibling clauses, annexes and tables sharing a title."""
    out: list[Finding] = []

    def siblings(clauses: list[m.Clause], path: tuple, parent: str) -> None:
        nonlocal out
        if len(clauses) > 1:
            out += _dup_titles(c, [(cl.title or "", cl.id, ("draft", sid, *path, i, "title"))
                                   for i, cl in enumerate(clauses)], "clause", f" under {parent}")
        for i, cl in enumerate(clauses):
            if cl.clauses:
                siblings(cl.clauses, path + (i, "clauses"), f"clause `{cl.id}`")

    siblings(d.clauses, ("clauses",), f"draft `{sid}`")
    for ai, a in enumerate(d.annexes):
        siblings(a.clauses, ("annexes", ai, "clauses"), f"annex `{a.id}`")
    out += _dup_titles(c, [(a.title, a.id, ("draft", sid, "annexes", i, "title"))
                           for i, a in enumerate(d.annexes)], "annex", f" in draft `{sid}`")
    tables = []
    for kind, id_, path in draft_nested_ids(d):
        if kind == "table":
            blk = _block_at(d, path)
            if blk is not None:
                tables.append((blk.caption, blk.id, ("draft", sid, *path, "caption")))
    out += _dup_titles(c, tables, "table", f" in draft `{sid}`")
    return out


def _block_at(d: m.Draft, path: tuple):
    """The model object at ``path`` inside a draft (paths from :func:`draft_nested_ids`)."""
    obj: object = d
    for part in path:
        obj = obj[part] if isinstance(part, int) else getattr(obj, part, None)
        if obj is None:
            return None
    return obj
