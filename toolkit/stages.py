"""Drafting stages as data: what a draft prints and what it may still contain at each stage.

GB/T 1.1—2020 (8.1) asks for the patent-information notice (附录 D, D.1) in a
prominent place on the cover of a 征求意见稿 and a 送审稿; drafts carry their stage
under the title (``（征求意见稿）``) and the completion date of the text.  What a
stage *allows* is this project's drafting practice: placeholders (××××, XXXX) in
body text only in a working-group draft; ``review:`` flags on what a draft shows
until the 征求意见稿; a placeholder number in the code (``TD/T XXXX—20XX``) and
dates until the 报批稿; the published text (``发布稿``) has none of them.

Pure data and small helpers; imported by checks and renderers.
"""
from __future__ import annotations

from dataclasses import dataclass

PATENT_NOTICE = "在提交反馈意见时，请将您知道的相关专利连同支持性文件一并附上。"
"""Cover notice for 征求意见稿 and 送审稿 (GB/T 1.1—2020, 8.1 and D.1)."""


@dataclass(frozen=True)
class StageRule:
    """What one stage prints and allows.

    ``label`` the cover line (``（征求意见稿）``, empty for the published text);
    ``patent_notice`` print :data:`PATENT_NOTICE` on the cover; ``completion_date``
    print 本稿完成日期; ``body_placeholders`` ××××/XXXX allowed in body text;
    ``code_placeholders`` a placeholder number/year in the code and the dates;
    ``review_flags`` ``review:`` notes on shown records allowed.
    """

    name: str
    order: int
    label: str
    patent_notice: bool
    completion_date: bool
    body_placeholders: bool
    code_placeholders: bool
    review_flags: bool


STAGE_RULES: dict[str, StageRule] = {r.name: r for r in (
    StageRule("工作组讨论稿", 1, "（工作组讨论稿）", False, True, True, True, True),
    StageRule("征求意见稿", 2, "（征求意见稿）", True, True, False, True, True),
    StageRule("送审稿", 3, "（送审稿）", True, True, False, True, False),
    StageRule("报批稿", 4, "（报批稿）", False, True, False, True, False),
    StageRule("发布稿", 5, "", False, False, False, False, False),
)}


def stage_rule(stage: str) -> StageRule:
    """The rule of ``stage``; an unknown name (already an E102 finding) falls back to 征求意见稿."""
    return STAGE_RULES.get(stage, STAGE_RULES["征求意见稿"])
