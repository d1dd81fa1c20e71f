"""Build step ``reviews``: the documents of the drafting loop for every standard with review records.

Per standard with at least one round under ``standards/reviews/<standard-id>/``:

* ``reviews/<id>-disposition.{docx,xlsx}`` — 征求意见汇总处理表 (:mod:`toolkit.render.dispositions`);
* ``drafts/<id>-explanation.{docx,pdf}`` — 编制说明 (:mod:`toolkit.render.explanation`);
* with ``stdkit build --review`` only: ``reviews/review/<id>.html`` — the internal page of
  comments by clause with their status (:mod:`toolkit.render.review_pages`).

:func:`render_reviews` is the whole output as a plain function ``(corpus, out_dir, review) ->
list[Path]``; :data:`OUTPUT` is the build's output (one job per standard).
"""
from __future__ import annotations

from pathlib import Path

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


class ReviewsOutput:
    """Build output ``reviews``: one job per reviewed standard (see :class:`toolkit.render.base.Output`)."""

    name = "reviews"
    reads: tuple[str, ...] = ()
    names_of: tuple[str, ...] = ()

    def plan(self, ctx) -> list:
        from toolkit.render.base import Job

        return [Job(self.name, f"reviews/{sid}", (sid,), cost=2) for sid in reviewed_standards(ctx.corpus)]

    def run(self, ctx, job) -> list:
        sid = job.args[0]
        written = write_dispositions(ctx.corpus, ctx.out, sid) + write_explanation(ctx.corpus, ctx.out, sid)
        if ctx.review:
            written += write_review_page(ctx.corpus, ctx.out, sid)
        return sorted(written)


OUTPUT = ReviewsOutput()
