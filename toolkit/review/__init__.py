"""Review stage of the drafting loop: comments come back, get a disposition, go into the draft.

* :mod:`toolkit.review.anchors` — which record a place in a circulated draft belongs to
  (Word bookmarks named from record ids; clause numbers such as 5.1.2, 表A.1, 附录B).
* :mod:`toolkit.review.rounds` — the draft as it was circulated in a round (git revision).
* :mod:`toolkit.review.importer` — Word comments, tracked changes and 征求意见表 → comment records.
* :mod:`toolkit.review.store` — write ``standards/reviews/<standard>/<round>.yaml`` (append only).
* :mod:`toolkit.review.apply` — write the proposed text of 采纳 comments into the draft YAML.
* :mod:`toolkit.review.status` — where each comment's clause is now (number, moved, deleted).

The review records are corpus files (``review:`` kind, :class:`toolkit.model.ReviewRound`),
validated like every other file; nothing here modifies a draft except :mod:`~toolkit.review.apply`.
"""
