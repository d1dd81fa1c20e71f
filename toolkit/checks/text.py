"""Draft text in document order, for the checks that read prose (E8xx, E85x, W95x).

:func:`draft_texts` walks a :class:`toolkit.model.Draft` the way the document
model lays it out (前言, 引言, chapters with their term entries, 附录, 参考文献)
and yields every piece of text with where it lives:

* ``path`` — the data path inside the draft record (for ``corpus.where``);
* ``owner`` — id of the clause, term, annex or table holding it (``foreword``,
  ``introduction``, ``bibliography`` for those elements);
* ``chapter`` — position in document order: -2 前言, -1 引言, ``i`` (0-based) for
  chapter ``i + 1``, :data:`ANNEX_BASE` ``+ i`` for 附录 ``i``, :data:`BIBLIOGRAPHY` for 参考文献;
* ``role`` — ``title``, ``p``, ``list``, ``note``, ``example``, ``caption``,
  ``table`` (header or body cell), ``generated`` (indicator names shown in a
  generated indicator table), ``definition``, ``term-note``, ``bibliography``;
* ``table`` — id of the enclosing table, if any.

Pure functions; no I/O.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate
from typing import Iterator, NamedTuple

from toolkit import model as m
from toolkit.corpus import Corpus
from toolkit.walk import DraftMemo, block_id

ANNEX_BASE = 1000
BIBLIOGRAPHY = 100_000

PROSE_ROLES = frozenset({"p", "list"})
"""Roles that hold provisions (requirements, recommendations, permissions)."""


class TextPiece(NamedTuple):
    """One run of draft text (see module doc for the fields).  A named tuple: a draft of the
    corpus yields some four hundred of them and every check family reads them."""

    text: str
    path: tuple
    owner: str
    chapter: int
    role: str
    table: str | None = None


def block_texts(b: object, path: tuple, owner: str, chapter: int,
                corpus: Corpus | None = None) -> Iterator[TextPiece]:
    """Text pieces of one block; indicator tables yield indicator names when ``corpus`` is given."""
    out: list[TextPiece] = []
    _block_texts(out.append, b, path, owner, chapter, corpus)
    return iter(out)


def _block_texts(add, b: object, path: tuple, owner: str, chapter: int, corpus: Corpus | None) -> None:
    """:func:`block_texts`, each piece handed to ``add`` (the walks fill one list per draft)."""
    if isinstance(b, m.Paragraph):
        add(TextPiece(b.text, path + ("text",), owner, chapter, "p"))
    elif isinstance(b, (m.NoteBlock, m.ExampleBlock)):
        add(TextPiece(b.text, path + ("text",), owner, chapter, b.type))
    elif isinstance(b, m.ListBlock):
        if b.intro:
            add(TextPiece(b.intro, path + ("intro",), owner, chapter, "list"))
        for i, it in enumerate(b.items):
            if isinstance(it, str):
                add(TextPiece(it, path + ("items", i), owner, chapter, "list"))
            else:
                add(TextPiece(it.text, path + ("items", i, "text"), owner, chapter, "list"))
                for j, s in enumerate(it.items):
                    add(TextPiece(s, path + ("items", i, "items", j), owner, chapter, "list"))
    elif isinstance(b, m.TableBlock):
        add(TextPiece(b.caption, path + ("caption",), b.id, chapter, "caption", b.id))
        if b.unit:
            add(TextPiece(b.unit, path + ("unit",), b.id, chapter, "table", b.id))
        for k, h in enumerate(b.header):
            add(TextPiece(str(h), path + ("header", k), b.id, chapter, "table", b.id))
        for r, row in enumerate(b.rows):
            for k, cell in enumerate(row):
                add(TextPiece(str(cell), path + ("rows", r, k), b.id, chapter, "table", b.id))
    elif isinstance(b, m.IndicatorTableBlock):
        add(TextPiece(b.caption, path + ("caption",), b.id, chapter, "caption", b.id))
        if corpus is not None:
            for i, iid in enumerate(b.indicators):
                ind = corpus.indicators.get(iid)
                if ind is not None:
                    add(TextPiece(ind.name, path + ("indicators", i), b.id, chapter, "generated", b.id))
    elif isinstance(b, m.MatrixBlock):
        add(TextPiece(b.caption, path + ("caption",), b.id, chapter, "caption", b.id))
        for k, col in enumerate(b.columns):
            add(TextPiece(str(col), path + ("columns", k), b.id, chapter, "table", b.id))
        for cid, vals in b.rows.items():
            for k, v in enumerate(vals):
                add(TextPiece(str(v), path + ("rows", cid, k), b.id, chapter, "table", b.id))


def _clause_texts(add, d: m.Draft, cl: m.Clause, path: tuple, chapter: int, corpus: Corpus | None) -> None:
    if cl.title:
        add(TextPiece(cl.title, path + ("title",), cl.id, chapter, "title"))
    for i, b in enumerate(cl.blocks):
        _block_texts(add, b, path + ("blocks", i), cl.id, chapter, corpus)
    if cl.kind == "terms" and len(path) == 2:
        for i, t in enumerate(d.terms):
            add(TextPiece(t.definition, ("terms", i, "definition"), t.id, chapter, "definition"))
            if t.note:
                add(TextPiece(t.note, ("terms", i, "note"), t.id, chapter, "term-note"))
    for j, sub in enumerate(cl.clauses):
        _clause_texts(add, d, sub, path + ("clauses", j), chapter, corpus)


_TEXTS = DraftMemo()


def memoised_texts(corpus: Corpus | None = None):
    """Within this block :func:`draft_texts` computes each draft's pieces once (several check
    families read them); the memo is dropped on exit (see :class:`toolkit.walk.DraftMemo`).  With
    ``corpus`` (the corpus being checked) a draft is walked once for both forms: the pieces
    without a corpus are those with it minus the ``generated`` ones."""
    return _TEXTS.active(corpus)


def draft_texts(d: m.Draft, corpus: Corpus | None = None) -> Iterator[TextPiece]:
    """Every text piece of a draft in document order (see module doc).

    Inside :func:`memoised_texts` the pieces of a draft are computed once and replayed.
    """
    if not _TEXTS.on:
        return _draft_texts(d, corpus)
    shared = _TEXTS.value
    if corpus is None and shared is not None:  # the full walk once, the plain form filtered from it
        return iter(_TEXTS.get("plain", d, lambda: (p for p in draft_texts(d, shared) if p.role != "generated")))
    return iter(_TEXTS.get(corpus is not None, d, lambda: _draft_texts(d, corpus)))


def _draft_texts(d: m.Draft, corpus: Corpus | None) -> Iterator[TextPiece]:
    out: list[TextPiece] = []
    add = out.append
    for i, b in enumerate(d.foreword):
        _block_texts(add, b, ("foreword", i), "foreword", -2, corpus)
    for i, b in enumerate(d.introduction):
        _block_texts(add, b, ("introduction", i), "introduction", -1, corpus)
    for ci, ch in enumerate(d.clauses):
        _clause_texts(add, d, ch, ("clauses", ci), ci, corpus)
    for ai, a in enumerate(d.annexes):
        chapter = ANNEX_BASE + ai
        add(TextPiece(a.title, ("annexes", ai, "title"), a.id, chapter, "title"))
        for i, b in enumerate(a.blocks):
            _block_texts(add, b, ("annexes", ai, "blocks", i), a.id, chapter, corpus)
        for j, cl in enumerate(a.clauses):
            _clause_texts(add, d, cl, ("annexes", ai, "clauses", j), chapter, corpus)
    for i, s in enumerate(d.bibliography):
        add(TextPiece(s, ("bibliography", i), "bibliography", BIBLIOGRAPHY, "bibliography"))
    return iter(out)


def matching(pieces: Sequence[TextPiece], rx: re.Pattern) -> list[TextPiece]:
    """The pieces of ``pieces`` in whose text ``rx`` finds a match, in order: a pre-filter for a
    check that looks at only the few texts holding some mark (a placeholder, a half-width comma).

    The texts are searched joined by NUL characters, one search per matching piece rather than
    one call per piece.  ``rx`` must not match across a NUL (no ``\\x00``, ``.`` with DOTALL or
    negated class that admits it, no look-around or anchor): then a piece is listed exactly when
    ``rx.search(piece.text)`` would find something in it alone.
    """
    if not pieces:
        return []
    joined = "\0".join([pc.text for pc in pieces])
    starts = list(accumulate([len(pc.text) + 1 for pc in pieces], initial=0))
    out: list[TextPiece] = []
    search, end = rx.search, len(joined)
    pos = 0
    while pos <= end:
        mt = search(joined, pos)
        if mt is None:
            break
        k = bisect_right(starts, mt.start()) - 1
        out.append(pieces[k])
        pos = starts[k + 1]
    return out


def annex_owner_ids(d: m.Draft) -> dict[str, str]:
    """Map every id inside an annex (its clauses and tables) to the annex id."""
    out: dict[str, str] = {}

    def walk(cl: m.Clause, aid: str) -> None:
        out[cl.id] = aid
        for b in cl.blocks:
            if block_id(b):
                out[b.id] = aid
        for s in cl.clauses:
            walk(s, aid)

    for a in d.annexes:
        for b in a.blocks:
            if block_id(b):
                out[b.id] = a.id
        for cl in a.clauses:
            walk(cl, a.id)
    return out
