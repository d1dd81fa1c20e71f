"""E88x what a draft's stage allows (:mod:`toolkit.stages`; GB/T 1.1—2020, 8.1).

* E880 placeholder text (××××, XXXX) in the body at a stage that does not allow it
  (a placeholder code of a document still being drafted, ``TD/T XXXX—20XX``, is fine);
* E881 a ``review:`` flag on what a draft shows (an indicator of its tables, a
  target it states) at a stage that no longer allows open questions;
* E882 the published text (``发布稿``) with a placeholder code or date;
* W883 ICS or CCS not written as a classification code (``07.040``, ``P 50``);
* W884 no ``completion_date`` for a stage whose cover prints 本稿完成日期.
"""
from __future__ import annotations

import re

from toolkit import model as m
from toolkit.checks import register_draft
from toolkit.checks.text import draft_texts, matching
from toolkit.corpus import Corpus, draft_clauses, draft_indicator_ids, iter_draft_blocks
from toolkit.findings import Finding
from toolkit.stages import stage_rule
from toolkit.walk import block_id

CODES: dict[str, dict[str, str]] = {
    "E880": {"severity": "error", "title": "placeholder text (××××/XXXX) at a stage that does not allow it",
             "fix": "write the real text (起草单位, 起草人 …); placeholders are for 工作组讨论稿 only"},
    "E881": {"severity": "error", "title": "`review:` flag on a record the draft shows, at 送审稿 or later",
             "fix": "resolve the question and remove `review:`, or keep the draft at 征求意见稿"},
    "E882": {"severity": "error", "title": "published text (发布稿) with a placeholder code or date",
             "fix": "give the assigned code and the issue/implementation dates"},
    "W883": {"severity": "warning", "title": "ICS or CCS not written as a classification code",
             "fix": "ICS as `07.040` (or `07.040.10`), CCS as a letter, a space and two digits (`P 50`)"},
    "W884": {"severity": "warning", "title": "no `completion_date` for a stage whose cover prints 本稿完成日期",
             "fix": "add `completion_date: YYYY-MM-DD`"},
}
"""Finding codes this module emits (collected by :mod:`toolkit.codes`)."""

_PLACEHOLDER = re.compile(r"[×xX]{2,}|○○")
_CODE_PLACEHOLDER = re.compile(r"(?:GB/T|GB/Z|GB|[A-Z]{1,5}(?:/[TZ])?)\s*[\dXx×.]*[Xx×]{2,}[\dXx×.]*\s*[—-]\s*[\dXx×]{4}"
                               r"|(?:GB/T|GB/Z|GB|[A-Z]{1,5}(?:/[TZ])?)\s*\d+(?:\.\d+)*\s*[—-]\s*20[Xx×]{2}")
_ICS = re.compile(r"^\d{2}\.\d{3}(?:\.\d{2})?$")
_CCS = re.compile(r"^[A-Z] \d{2}$")


@register_draft("stage")
def check_stage(c: Corpus, sid: str, d: m.Draft) -> list[Finding]:
    """E880–W884 for draft ``sid`` (see module doc)."""
    out: list[Finding] = []
    rule = stage_rule(d.stage)
    if not rule.body_placeholders:
        for pc in matching(tuple(draft_texts(d)), _PLACEHOLDER):  # a code placeholder holds ××: other texts have none
            text = _CODE_PLACEHOLDER.sub("", pc.text)
            mt = _PLACEHOLDER.search(text)
            if mt:
                out.append(Finding("E880", "error",
                                   f"placeholder 「{mt.group(0)}」 in `{pc.owner}` of the {d.stage} `{sid}`",
                                   c.where("draft", sid, *pc.path),
                                   "write the real text; placeholders are allowed in a 工作组讨论稿 only"))
    if not rule.review_flags:
        for iid in sorted(draft_indicator_ids(d)):
            ind = c.indicators.get(iid)
            if ind is not None and ind.review:
                out.append(Finding("E881", "error", f"the {d.stage} `{sid}` shows `{iid}`, which is marked `review:`",
                                   c.where("indicator", iid, "review"), "resolve the question and remove `review:`"))
        for rt in c.targets:
            if rt.origin[0] in ("clause", "table") and rt.target.review and _owned(d, rt.origin[1]):
                out.append(Finding("E881", "error", f"the {d.stage} `{sid}` states a target marked `review:`",
                                   rt.location, "resolve the question and remove `review:`"))
    if not rule.code_placeholders:
        for field in ("code", "date_issue", "date_implement"):
            if _PLACEHOLDER.search(getattr(d, field)):
                out.append(Finding("E882", "error", f"published `{sid}` has a placeholder {field}: {getattr(d, field)}",
                                   c.where("draft", sid, field), "give the assigned code and dates"))
    if not _ICS.match(d.ics.strip()):
        out.append(Finding("W883", "warning", f"ICS `{d.ics}` of `{sid}` is not an ICS code",
                           c.where("draft", sid, "ics"), "write it as `07.040` or `07.040.10`"))
    if not _CCS.match(d.ccs.strip()):
        out.append(Finding("W883", "warning", f"CCS `{d.ccs}` of `{sid}` is not a CCS code",
                           c.where("draft", sid, "ccs"), "write it as a letter, a space and two digits (`P 50`)"))
    if rule.completion_date and not d.completion_date:
        out.append(Finding("W884", "warning", f"the {d.stage} `{sid}` has no `completion_date`",
                           c.key_where("draft", sid, "standard"), "add `completion_date: YYYY-MM-DD` (本稿完成日期)"))
    return out


def _owned(d, owner_id: str) -> bool:
    ids = {cl.id for cl, _ in draft_clauses(d)} | {block_id(b) for b, _, _ in iter_draft_blocks(d)}
    return owner_id in ids
