"""Where each review comment stands now: its clause as numbered today, moved or deleted.

Record ids are stable across rounds (a renumbered clause keeps its id — the same id
matching :mod:`toolkit.diff` uses), so a comment's ``clause`` finds the clause in
today's draft; ``clause_number`` is its number in the round.  Used by the
征求意见汇总处理表 (current number, round number noted where it changed), the internal
review page, the stage-gate checks and the diff.
"""
from __future__ import annotations

from dataclasses import dataclass

from toolkit import model as m
from toolkit.corpus import Corpus
from toolkit.document import Document, build_document, numbered_ids
from toolkit.render.draft_layout import FOREWORD_ID
from toolkit.review.anchors import AnchorIndex


@dataclass(frozen=True)
class CommentView:
    """One comment with ``round`` (id), ``stage`` and its clause today: ``number`` (None: gone), ``state``.

    ``state``: ``general`` (no clause), ``same`` (same number), ``moved`` (renumbered),
    ``deleted`` (the id is no longer in the draft).
    """

    round: str
    stage: str
    comment: m.ReviewComment
    number: str | None
    state: str

    @property
    def number_text(self) -> str:
        """标准章条编号 as shown in the 汇总处理表: today's number, with the round's where it changed."""
        c = self.comment
        if self.state == "general":
            return "总体"
        if self.state == "deleted":
            return f"（原{c.clause_number or c.clause}，已删除）"
        if self.state == "moved" and c.clause_number:
            return f"{self.number}（原{c.clause_number}）"
        return self.number or ""


def current_index(corpus: Corpus, standard_id: str) -> AnchorIndex | None:
    """Anchor index of today's draft of ``standard_id`` (``None`` without a draft or catalogue record)."""
    if standard_id not in corpus.drafts or standard_id not in corpus.standards:
        return None
    return AnchorIndex(build_document(corpus, standard_id))


def present_ids(corpus: Corpus, standard_id: str) -> set[str]:
    """Ids certainly anchored in today's draft of ``standard_id`` (empty without a draft or catalogue record).

    Its clauses, terms, tables and annexes and the 前言, from the numbering pass alone (no
    document is built): a subset of :func:`current_index`'s anchors, so a comment whose
    clause is in it is not on a deleted clause; any other needs the full index to tell.
    """
    if standard_id not in corpus.drafts or standard_id not in corpus.standards:
        return set()
    return numbered_ids(corpus, standard_id) | {FOREWORD_ID}


def comment_views(corpus: Corpus, standard_id: str, index: AnchorIndex | None = None) -> list[CommentView]:
    """Every comment of every round of ``standard_id``, in round then comment order, with where its clause is now."""
    index = index or current_index(corpus, standard_id)
    out: list[CommentView] = []
    for rnd in corpus.reviews_of(standard_id):
        for c in rnd.comments:
            if not c.clause:
                out.append(CommentView(rnd.round, rnd.stage, c, None, "general"))
                continue
            now = index.number_of(c.clause) if index else None
            if now is None:
                state = "deleted"
            elif c.clause_number and c.clause_number.replace(" ", "") != now:
                state = "moved"
            else:
                state = "same"
            out.append(CommentView(rnd.round, rnd.stage, c, now, state))
    return out


def disposition_counts(views: list[CommentView]) -> dict[str, int]:
    """Number of comments per disposition (采纳, 部分采纳, 未采纳, 待处理), all four keys present."""
    counts = {k: 0 for k in m.DISPOSITIONS}
    for v in views:
        counts[v.comment.disposition] += 1
    return counts


def unit_counts(rnd: m.ReviewRound) -> dict[str, int]:
    """The 说明 of a 汇总处理表: units ``sent``, ``replied``, ``with_comments``, ``no_reply`` (from the round record).

    Units with comments are the distinct ``unit`` of the comments; replied = with
    comments + ``replied_without_comments``; not replied = sent − replied (never < 0).
    """
    with_comments = {c.unit for c in rnd.comments}
    replied = with_comments | set(rnd.replied_without_comments)
    sent = set(rnd.units_sent) | replied
    return {"sent": len(sent), "replied": len(replied), "with_comments": len(with_comments),
            "no_reply": len(sent - replied)}


def document_of(corpus: Corpus, standard_id: str) -> Document | None:
    """Today's document of ``standard_id`` or ``None``."""
    if standard_id not in corpus.drafts or standard_id not in corpus.standards:
        return None
    return build_document(corpus, standard_id)
