"""Which review comments caused a change: changed clauses ↔ comments of the review rounds.

Records keep their ids across rounds (the diff matches by id), and a comment is anchored
to an id (``clause``) and may name what resolved it (``resolved_by``).  A changed,
moved, added or removed clause, term, table or annex is caused by the comments
dispositioned 采纳 or 部分采纳 that are anchored to it or resolved by it — of the
rounds held by the new side (falling back to the old side's).  Pure: no writers here.
"""
from __future__ import annotations

from dataclasses import dataclass

from toolkit.diff.changeset import UNIT_KINDS, Change, ChangeSet

CAUSING = ("采纳", "部分采纳")


@dataclass(frozen=True)
class CommentRef:
    """A comment as the diff shows it: ``key`` (round/id), unit, disposition, text, reason."""

    key: str
    unit: str
    disposition: str
    text: str
    reason: str | None

    @property
    def line(self) -> str:
        """One line: ``r1/c-009 某市规划设计研究院（采纳）：建议将…``."""
        text = self.text if len(self.text) <= 60 else self.text[:59] + "…"
        return f"{self.key} {self.unit}（{self.disposition}）：{text}"


def comments_by_change(cs: ChangeSet) -> dict[tuple[str | None, str], list[CommentRef]]:
    """``(standard, record id)`` of each changed draft unit → the 采纳/部分采纳 comments that caused it.

    Only changes of kinds :data:`~toolkit.diff.changeset.UNIT_KINDS` (clauses, terms,
    annexes, 前言) count; a table change is the change of the clause holding it, so
    comments on a table id are matched through ``resolved_by`` or their ``clause``.
    """
    rounds = dict(cs.old_corpus.reviews)
    rounds.update(cs.new_corpus.reviews)
    by_anchor: dict[tuple[str, str], list[CommentRef]] = {}
    for key in sorted(rounds):
        rnd = rounds[key]
        for c in rnd.comments:
            if c.disposition not in CAUSING:
                continue
            ref = CommentRef(f"{rnd.round}/{c.id}", c.unit, c.disposition, c.text, c.reason)
            for anchor in {c.clause, c.resolved_by} - {None}:
                by_anchor.setdefault((rnd.standard, anchor), []).append(ref)
    for (sid, anchor), refs in list(by_anchor.items()):  # a table's comments count for the clause holding it
        holder = _holders(cs, sid).get(anchor)
        if holder:
            by_anchor.setdefault((sid, holder), []).extend(r for r in refs if r not in by_anchor.get((sid, holder), []))
    out: dict[tuple[str | None, str], list[CommentRef]] = {}
    for ch in cs.changes:
        if ch.kind not in UNIT_KINDS or not ch.standard:
            continue
        refs = by_anchor.get((ch.standard, ch.id))
        if refs:
            out[(ch.standard, ch.id)] = refs
    return out


def _holders(cs: ChangeSet, sid: str) -> dict[str, str]:
    """Table id → id of the clause or annex that holds it, in the new (else old) document of ``sid``."""
    pair = cs.drafts.get(sid)
    doc = (pair.new or pair.old) if pair else None
    out: dict[str, str] = {}
    if doc is None:
        return out
    for s in doc.walk():
        for b in s.blocks:
            if getattr(b, "kind", "") == "table":
                out[b.id] = s.id
    for a in doc.annexes:
        for b in a.blocks:
            if getattr(b, "kind", "") == "table":
                out[b.id] = a.id
    return out


def comments_for(ch: Change, links: dict[tuple[str | None, str], list[CommentRef]]) -> list[CommentRef]:
    """The comments that caused change ``ch`` (empty when none)."""
    return links.get((ch.standard, ch.id), []) if ch.kind in UNIT_KINDS else []
