"""Internal review page of a standard: every comment by clause, with its status.

Written only by the review build (``stdkit build --review``) as
``reviews/review/<standard-id>.html`` — never part of the public site (the site offers
files of ``drafts/``, ``indicators/`` and ``matrices/`` only).  Clauses appear in
document order with today's number (the round's number noted where it changed);
comments on clauses that no longer exist and general comments come last.
"""
from __future__ import annotations

from pathlib import Path

from toolkit.corpus import Corpus
from toolkit.review.status import comment_views, current_index, disposition_counts

REVIEW_PAGE_DIR = "reviews/review"


def review_page_html(corpus: Corpus, standard_id: str) -> str:
    """The page as a standalone HTML string (UTF-8, CSS inlined)."""
    from jinja2 import FileSystemLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    from toolkit.render.html_writer import TEMPLATES

    index = current_index(corpus, standard_id)
    views = comment_views(corpus, standard_id, index)
    order = {a: i for i, a in enumerate(index.anchors)} if index else {}
    groups: dict[str, list] = {}
    for v in views:
        key = v.comment.clause if v.state in ("same", "moved") else ("~deleted" if v.state == "deleted" else "~general")
        groups.setdefault(key, []).append(v)
    clauses = []
    for key in sorted(groups, key=lambda k: (k.startswith("~"), order.get(k, 0), k)):
        if key == "~deleted":
            label = "已删除条款上的意见"
        elif key == "~general":
            label = "总体意见"
        else:
            a = index.anchors[key]
            label = f"{a.number}　{a.title}" if a.title and a.title != a.number else a.number
        clauses.append({"id": key, "label": label, "views": groups[key]})
    st = corpus.standards[standard_id]
    env = SandboxedEnvironment(loader=FileSystemLoader(str(TEMPLATES.parent / "review")), autoescape=True,
                               undefined=StrictUndefined, keep_trailing_newline=True)
    return env.get_template("review-page.html.j2").render(
        title=st.title, standard_id=standard_id, clauses=clauses, counts=disposition_counts(views),
        total=len(views), rounds=corpus.reviews_of(standard_id))


def write_review_page(corpus: Corpus, out_dir: Path, standard_id: str) -> list[Path]:
    """Write ``out_dir/reviews/review/<standard_id>.html``; returns the path (none without comments)."""
    if not corpus.reviews_of(standard_id):
        return []
    path = Path(out_dir) / REVIEW_PAGE_DIR / f"{standard_id}.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(review_page_html(corpus, standard_id), encoding="utf-8")
    return [path]
