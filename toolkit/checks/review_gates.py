"""E96x/W96x review rounds and stage gates: what must be settled before a draft moves on.

Stages in order (GB/T 1.1 drafting procedure, :data:`toolkit.model.STAGES`): 工作组讨论稿 →
征求意见稿 → 送审稿 → 报批稿.  The draft's ``stage`` is compared as a string with these
four values (so the check works whether ``stage`` is free text or an enum); a stage not
among them is not gated.

* E961 a draft at 送审稿 or later still has comments 待处理 from a round of an earlier stage;
* E962 a draft at 送审稿 or later shows a record flagged ``review:`` (its catalogue
  record, an indicator in its tables or clause targets, a target it quotes);
* E963 a draft at 送审稿 or later still holds placeholders (××, XX…, 待补充, TODO) in its text;
* W964 a comment is anchored to a clause, term, table or annex that is no longer in the
  draft: the finding names the comment and where the clause went — deleted, or its
  quoted text now in another clause (moved), or its id now in another draft;
* E965 a review round of a standard that has no draft (or no catalogue record).
"""
from __future__ import annotations

import re

from toolkit import model as m
from toolkit.checks import register, register_draft
from toolkit.corpus import Corpus, draft_clauses, draft_indicator_ids, iter_draft_blocks
from toolkit.findings import Finding

CODES: dict[str, dict[str, str]] = {
    "E961": {"severity": "error", "title": "draft at 送审稿 or later with comments still 待处理 from an earlier round",
             "fix": "give every comment of the earlier rounds a disposition (采纳/部分采纳/未采纳, with reason)"},
    "E962": {"severity": "error", "title": "draft at 送审稿 or later shows a record flagged `review:`",
             "fix": "settle the open question and remove `review:` before the draft goes to 审查"},
    "E963": {"severity": "error", "title": "draft at 送审稿 or later still holds placeholders (××, XX, 待补充, TODO)",
             "fix": "fill in the real text (起草单位, 起草人, values) before the draft goes to 审查"},
    "W964": {"severity": "warning", "title": "review comment anchored to a clause that is no longer in the draft",
             "fix": "check where the clause went (deleted or moved) and note it in the comment's disposition"},
    "E965": {"severity": "error", "title": "review round of a standard without a draft or catalogue record",
             "fix": "fix `standard:` of the round, or move the file to the standard's folder"},
}
"""Finding codes this module emits (collected by :mod:`toolkit.codes`)."""

GATE = m.STAGES.index("送审稿")
PLACEHOLDER_RE = re.compile(r"×{2,}|(?<![A-Za-z])X{2,}(?![A-Za-z])|待补充|待定|TODO|TBD")


def stage_rank(stage: str | None) -> int | None:
    """Position of ``stage`` in :data:`toolkit.model.STAGES` (0 = 工作组讨论稿), ``None`` if it is none of them."""
    s = str(getattr(stage, "value", stage) or "").strip()
    return m.STAGES.index(s) if s in m.STAGES else None


def _texts(d: m.Draft):
    for b, path, _ in iter_draft_blocks(d):
        for attr in ("text", "intro", "caption"):
            v = getattr(b, attr, None)
            if isinstance(v, str):
                yield v, path + (attr,)
        for i, it in enumerate(getattr(b, "items", None) or []):
            yield (it if isinstance(it, str) else it.text), path + ("items", i)
        for r, row in enumerate(getattr(b, "rows", None) or []):
            if isinstance(row, list):
                for k, cell in enumerate(row):
                    yield cell, path + ("rows", r, k)
    for cl, p in draft_clauses(d):
        if cl.title:
            yield cl.title, p + ("title",)
    for i, t in enumerate(d.terms):
        yield t.definition, ("terms", i, "definition")
    for i, b in enumerate(d.bibliography):
        yield b, ("bibliography", i)


def _flags(c: Corpus, sid: str, d: m.Draft) -> list[tuple[str, object]]:
    """(what, location) of every ``review:`` flag in the records the draft shows."""
    out: list[tuple[str, object]] = []
    st = c.standards.get(sid)
    if st is not None and st.review:
        out.append((f"catalogue record {sid}", c.where("standard", sid, "review")))
    for ind in sorted(draft_indicator_ids(d)):
        x = c.indicators.get(ind)
        if x is None:
            continue
        if x.review:
            out.append((f"indicator {ind}", c.where("indicator", ind, "review")))
        for i, t in enumerate(x.targets):
            if t.review:
                out.append((f"a target of indicator {ind}", c.where("indicator", ind, "targets", i, "review")))
    for cl, p in draft_clauses(d):
        for i, t in enumerate(cl.targets):
            if t.review:
                out.append((f"a target in clause {cl.id}", c.where("draft", sid, *p, "targets", i, "review")))
    return out


def _where_it_went(c: Corpus, sid: str, comment: m.ReviewComment, index) -> str:
    for other, d in c.drafts.items():
        if other != sid and any(cl.id == comment.clause for cl, _ in draft_clauses(d)):
            return f"moved to the draft of {other}"
    probe = (comment.quote or comment.original or "").strip()
    if index is not None and len(probe) >= 6:
        for a in index.anchors.values():
            if probe[:40] in a.text:
                return f"its text is now in {a.number} ({a.id}): moved"
    return "deleted"


@register("review", scope="interface")
def check_review(c: Corpus) -> list[Finding]:
    """E965 for every review round whose standard has no draft or no catalogue record."""
    out: list[Finding] = []
    for key, rnd in c.reviews.items():
        if rnd.standard not in c.drafts or rnd.standard not in c.standards:
            out.append(Finding("E965", "error", f"review round {rnd.round} is for `{rnd.standard}`, which has no "
                               "draft or no catalogue record", c.where("review", key, "standard"),
                               "fix `standard:` or add the draft"))
    return out


@register_draft("review")
def check_review_draft(c: Corpus, sid: str, d: m.Draft) -> list[Finding]:
    """Stage gates (E961–E963) and comment anchors (W964) of draft ``sid`` and its review rounds."""
    from toolkit.review.status import current_index, present_ids

    out: list[Finding] = []
    index = present = None
    rank = stage_rank(d.stage)
    for key, rnd in c.reviews.items():
        if rnd.standard != sid or sid not in c.standards:
            continue
        if present is None:
            present = present_ids(c, sid)
        rrank = stage_rank(rnd.stage)
        for i, cm in enumerate(rnd.comments):
            if (rank is not None and rank >= GATE and rrank is not None and rrank < rank
                    and cm.disposition == "待处理"):
                out.append(Finding("E961", "error", f"draft {sid} is at {d.stage}, but comment "
                                   f"{rnd.round}/{cm.id} ({cm.unit}) from the {rnd.stage} round is still 待处理",
                                   c.where("review", key, "comments", i, "disposition"),
                                   "decide 采纳/部分采纳/未采纳 (with reason) before the draft moves on"))
            if cm.clause and cm.clause not in present and index is None:
                index = current_index(c, sid)  # the numbered document, built only to tell moved from deleted
            if cm.clause and cm.clause not in present and index is not None and index.number_of(cm.clause) is None:
                went = _where_it_went(c, sid, cm, index)
                out.append(Finding("W964", "warning", f"comment {rnd.round}/{cm.id} ({cm.unit}) is on "
                                   f"{cm.clause} ({cm.clause_number or '?'} in round {rnd.round}), which is no "
                                   f"longer in the draft of {sid}: {went}", c.where("review", key, "comments", i),
                                   "say in the comment's reason or resolved_by where the clause went"))
    if rank is None or rank < GATE:
        return out
    for what, loc in _flags(c, sid, d):
        out.append(Finding("E962", "error", f"draft {sid} is at {d.stage}, but {what} is flagged `review:`",
                           loc, "settle the question and remove `review:`"))
    for text, path in _texts(d):
        mt = PLACEHOLDER_RE.search(text or "")
        if mt:
            out.append(Finding("E963", "error", f"draft {sid} is at {d.stage}, but its text still holds the "
                               f"placeholder “{mt.group(0)}”: “{text[:40]}”", c.where("draft", sid, *path),
                               "fill in the real text"))
    return out
