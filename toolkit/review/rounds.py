"""The draft as it was circulated in a review round.

A round records ``revision``: the git commit of the draft it circulated.  Clause numbers
in comments (and the text a tracked change edits) refer to that draft, so they are
resolved against its document model, read from git with
:func:`toolkit.diff.source.load_side` (nothing in the working tree is touched).  A round
without ``revision`` (or outside a git repository) uses the working tree.
"""
from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from toolkit import model as m
from toolkit.corpus import Corpus
from toolkit.document import Document, build_document


class RoundError(Exception):
    """The circulated draft cannot be read (unknown revision, no draft at it). Message is user-facing."""


def draft_revision(root: Path, standard_id: str) -> str | None:
    """The commit a round circulates: ``HEAD`` when ``standards/drafts/<id>.yaml`` has no uncommitted changes, else ``None``.

    ``None`` also outside a git repository.  A draft with local edits was not
    circulated from a commit, so no revision is recorded rather than a wrong one.
    """
    rel = f"standards/drafts/{standard_id}.yaml"
    def git(*args):
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)
    head = git("rev-parse", "--verify", "--quiet", "HEAD")
    if head.returncode != 0:
        return None
    dirty = git("status", "--porcelain", "--", rel)
    tracked = git("ls-files", "--error-unmatch", "--", rel)
    if dirty.returncode != 0 or dirty.stdout.strip() or tracked.returncode != 0:
        return None
    return head.stdout.strip()


def round_corpus(corpus: Corpus, root: Path, revision: str | None, tmp: Path) -> Corpus:
    """The corpus as of ``revision`` (exported under ``tmp``), or ``corpus`` itself when ``revision`` is ``None``."""
    if not revision:
        return corpus
    from toolkit.diff.source import DiffSourceError, load_side

    try:
        old, _, _ = load_side(revision, root, tmp)
    except DiffSourceError as exc:
        raise RoundError(f"revision {revision[:12]} of the round cannot be read: {exc}") from None
    return old


def round_document(corpus: Corpus, root: Path, standard_id: str, revision: str | None) -> Document:
    """Document model of ``standard_id``'s draft as circulated at ``revision`` (``None``: working tree).

    Raises :class:`RoundError` when the revision cannot be read or holds no draft of it.
    """
    with tempfile.TemporaryDirectory(prefix="stdkit-round-") as tmp:
        c = round_corpus(corpus, root, revision, Path(tmp))
        if standard_id not in c.drafts or standard_id not in c.standards:
            where = f"revision {revision[:12]}" if revision else "the working tree"
            raise RoundError(f"{where} holds no draft of {standard_id}")
        return build_document(c, standard_id)


def round_clause_models(corpus: Corpus, root: Path, standard_id: str, revision: str | None) -> dict[str, str]:
    """JSON of every clause, term and annex of the draft at ``revision`` by id (to tell whether one changed since)."""
    with tempfile.TemporaryDirectory(prefix="stdkit-round-") as tmp:
        c = round_corpus(corpus, root, revision, Path(tmp))
        d = c.drafts.get(standard_id)
        if d is None:
            raise RoundError(f"revision {revision[:12] if revision else '(working tree)'} holds no draft of {standard_id}")
        return clause_models(d)


def clause_models(d: m.Draft) -> dict[str, str]:
    """JSON of every clause (with its sub-clauses' own text only), term and annex of draft ``d`` by id."""
    from toolkit.corpus import draft_clauses

    out: dict[str, str] = {}
    for cl, _ in draft_clauses(d):
        out[cl.id] = cl.model_copy(update={"clauses": []}).model_dump_json()
    for t in d.terms:
        out[t.id] = t.model_dump_json()
    for a in d.annexes:
        out[a.id] = a.model_copy(update={"clauses": []}).model_dump_json()
    return out
