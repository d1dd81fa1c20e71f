"""Build step ``reviews``: the documents of the drafting loop for every standard with review records.

Per standard with at least one round under ``standards/reviews/<standard-id>/``:

* ``reviews/<id>-disposition.{docx,xlsx}`` — 征求意见汇总处理表 (:mod:`toolkit.render.dispositions`);
* ``drafts/<id>-explanation.{docx,pdf}`` — 编制说明 (:mod:`toolkit.render.explanation`);
* with ``stdkit build --review`` only: ``reviews/review/<id>.html`` — the internal page of
  comments by clause with their status (:mod:`toolkit.render.review_pages`).

:func:`render_reviews` is the whole step as a plain function ``(corpus, out_dir, review) ->
list[Path]``; :func:`step_reviews` adapts it to the build's step signature.
"""
from __future__ import annotations

from pathlib import Path

from toolkit.build import BuildContext, register_step
from toolkit.corpus import Corpus
from toolkit.render.dispositions import write_dispositions
from toolkit.render.explanation import write_explanation
from toolkit.render.review_pages import write_review_page


def reviewed_standards(corpus: Corpus) -> list[str]:
    """Ids of standards that have a draft, a catalogue record and at least one review round, sorted."""
    return sorted({r.standard for r in corpus.reviews.values()
                   if r.standard in corpus.drafts and r.standard in corpus.standards})


def render_reviews(corpus: Corpus, out_dir: Path, review: bool = False) -> list[Path]:
    """Write every review output under ``out_dir``; returns the paths written, sorted."""
    written: list[Path] = []
    for sid in reviewed_standards(corpus):
        written += write_dispositions(corpus, out_dir, sid)
        written += write_explanation(corpus, out_dir, sid)
        if review:
            written += write_review_page(corpus, out_dir, sid)
    return sorted(written)


def step_reviews(ctx: BuildContext) -> list[Path]:
    """Build step: :func:`render_reviews` into the staging folder."""
    return render_reviews(ctx.corpus, ctx.out, ctx.review)


register_step("reviews", step_reviews)
