"""Sources of targets: clause numbers come from the numbering pass alone, the same as the document's."""
from __future__ import annotations

from toolkit.document import build_document, clause_numbers
from toolkit.evaluate.engine import draft_numbering


def test_clause_numbers_are_the_documents(corpus):
    for sid in corpus.drafts:
        doc = {s.id: s.number for s in build_document(corpus, sid).walk()}
        nums = clause_numbers(corpus, sid)
        assert nums and all(doc[k] == v for k, v in nums.items()) or not doc
        assert draft_numbering(corpus, sid) == {"code": corpus.drafts[sid].code, "numbers": nums}
    assert draft_numbering(corpus, "std-no-such-draft") == {"code": "", "numbers": {}}
