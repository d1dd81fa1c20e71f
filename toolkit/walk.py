"""Walks over corpus models: the clause tree, a draft's blocks, the indicators a record uses.

Pure functions of :mod:`toolkit.model` values (no corpus, no I/O); :mod:`toolkit.corpus`
re-exports them, :mod:`toolkit.index` builds the reverse links with them.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from toolkit import model as m


def iter_clauses(clauses: list[m.Clause], path: tuple = ("clauses",)) -> Iterator[tuple[m.Clause, tuple]]:
    """Depth-first walk of a clause tree, yielding ``(clause, data path)``."""
    for i, c in enumerate(clauses):
        p = path + (i,)
        yield c, p
        yield from iter_clauses(c.clauses, p + ("clauses",))


_MEMO: dict[tuple[str, int], tuple] = {}
_MEMO_ON: list[bool] = []


@contextmanager
def memoised_walks() -> Iterator[None]:
    """Within this block :func:`iter_draft_blocks` and :func:`draft_clauses` walk each draft once
    and replay the walk (the check families walk every draft many times); dropped on exit.
    Drafts are models nobody mutates meanwhile."""
    _MEMO_ON.append(True)
    try:
        yield
    finally:
        _MEMO_ON.pop()
        if not _MEMO_ON:
            _MEMO.clear()


def _memo(kind: str, d: m.Draft, walk) -> Iterator:
    if not _MEMO_ON:
        return walk(d)
    hit = _MEMO.get((kind, id(d)))
    if hit is None or hit[0] is not d:
        hit = (d, tuple(walk(d)))
        _MEMO[(kind, id(d))] = hit
    return iter(hit[1])


def iter_draft_blocks(d: m.Draft) -> Iterator[tuple[object, tuple, str]]:
    """Every block of a draft with its data path and the id of its container (clause/annex/foreword)."""
    return _memo("blocks", d, _draft_blocks)


def _draft_blocks(d: m.Draft) -> Iterator[tuple[object, tuple, str]]:
    for i, b in enumerate(d.foreword):
        yield b, ("foreword", i), "foreword"
    for i, b in enumerate(d.introduction):
        yield b, ("introduction", i), "introduction"
    for c, p in iter_clauses(d.clauses):
        for i, b in enumerate(c.blocks):
            yield b, p + ("blocks", i), c.id
    for ai, a in enumerate(d.annexes):
        for i, b in enumerate(a.blocks):
            yield b, ("annexes", ai, "blocks", i), a.id
        for c, p in iter_clauses(a.clauses, ("annexes", ai, "clauses")):
            for i, b in enumerate(c.blocks):
                yield b, p + ("blocks", i), c.id


def draft_clauses(d: m.Draft) -> Iterator[tuple[m.Clause, tuple]]:
    """Every clause of a draft, body chapters first, then the clauses of each annex, with data paths."""
    return _memo("clauses", d, _draft_clauses)


def _draft_clauses(d: m.Draft) -> Iterator[tuple[m.Clause, tuple]]:
    yield from iter_clauses(d.clauses)
    for ai, a in enumerate(d.annexes):
        yield from iter_clauses(a.clauses, ("annexes", ai, "clauses"))


def draft_indicator_ids(d: m.Draft) -> set[str]:
    """Indicator ids a draft uses (indicator tables and clause targets)."""
    ids: set[str] = set()
    for b, _, _ in iter_draft_blocks(d):
        if isinstance(b, m.IndicatorTableBlock):
            ids.update(b.indicators)
    for c, _ in draft_clauses(d):
        ids.update(t.indicator for t in c.targets if t.indicator)
    for b, _, _ in iter_draft_blocks(d):
        if isinstance(b, m.IndicatorTableBlock):
            ids.update(t.indicator for t in b.targets if t.indicator)
    return ids


def standard_indicator_ids(s: m.Standard) -> set[str]:
    """Indicator ids a catalogue record uses (its list and its countermeasures)."""
    ids = set(s.indicators)
    for lv in s.levers:
        for cm in lv.countermeasures:
            ids.update(cm.indicators)
            ids.update(t.indicator for t in cm.targets if t.indicator)
    return ids


__all__ = ["iter_clauses", "iter_draft_blocks", "draft_clauses", "draft_indicator_ids", "standard_indicator_ids",
           "memoised_walks"]
