"""Where a comment's clause stands: the cheap id set agrees with the built document's anchors."""
from __future__ import annotations

from pathlib import Path

from toolkit.corpus import load_corpus
from toolkit.review.status import current_index, present_ids

ROOT = Path(__file__).resolve().parents[2]


def test_present_ids_are_anchors_of_every_real_draft():
    corpus, _ = load_corpus(ROOT, cache=False)
    assert corpus.drafts
    for sid in corpus.drafts:
        present = present_ids(corpus, sid)
        index = current_index(corpus, sid)
        assert present and index is not None
        assert present <= set(index.anchors), sid
        # every clause, table and annex of the draft is among them
        d = corpus.drafts[sid]
        assert {a.id for a in d.annexes} <= present
        assert {cl.id for cl in d.clauses} <= present


def test_present_ids_without_a_draft():
    corpus, _ = load_corpus(ROOT, cache=False)
    assert present_ids(corpus, "no-such-standard") == set()
