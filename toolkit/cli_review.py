"""``stdkit review import|apply|status`` — the drafting loop on the command line (thin: parse, call, print).

Exit codes as the rest of the CLI: 0 done, 1 input refused (nothing written), 2 cannot run.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from toolkit.console import lazy_console

review_app = typer.Typer(add_completion=False, no_args_is_help=True,
                         help="Review rounds: import reviewers' comments, apply accepted ones, show their status.")
err = lazy_console(stderr=True, highlight=False, soft_wrap=True)
out = lazy_console(highlight=False, soft_wrap=True)


def _root(root: Optional[Path]) -> Path:
    r = (root or Path.cwd()).resolve()
    if not (r / "standards").is_dir():
        err.print(f"stdkit review: no `standards/` folder under {r}; run from the project root or pass --root DIR")
        raise typer.Exit(2)
    return r


def _corpus(r: Path, standard: str):
    from toolkit.corpus import load_corpus

    corpus, findings = load_corpus(r)
    if standard not in corpus.drafts:
        known = ", ".join(sorted(corpus.drafts)) or "none"
        err.print(f"stdkit review: no draft of `{standard}` under {r}/standards/drafts (drafts: {known})")
        raise typer.Exit(1)
    return corpus, findings


@review_app.command("import")
def import_(
    file: Path = typer.Argument(..., help="a DOCX returned by a reviewer (批注, tracked changes) or a 征求意见表 (XLSX/DOCX)"),
    standard: str = typer.Option(..., "--standard", help="standard id, e.g. std-detailed-plan-guide"),
    unit: str = typer.Option(..., "--from", help="提出单位: the unit that sent the comments"),
    round_id: Optional[str] = typer.Option(None, "--round", help="round id (default: the latest round, or r1)"),
    reviewer: Optional[str] = typer.Option(None, "--reviewer", help="reviewer's name (default: the comment's author)"),
    root: Optional[Path] = typer.Option(None, "--root", help="project root holding standards/"),
) -> None:
    """Import one reviewer's file into standards/reviews/<standard>/<round>.yaml (append only; never touches a draft)."""
    from datetime import date

    from toolkit.review.anchors import AnchorIndex
    from toolkit.review.importer import ReviewInputError, read_input
    from toolkit.review.rounds import RoundError, draft_revision, round_document
    from toolkit.review.store import round_path, write_round

    r = _root(root)
    corpus, _ = _corpus(r, standard)
    rounds = corpus.reviews_of(standard)
    rid = round_id or (rounds[-1].round if rounds else "r1")
    existing = next((x for x in rounds if x.round == rid), None)
    if existing is None and round_path(r, standard, rid).exists():
        err.print(f"stdkit review: {round_path(r, standard, rid)} does not validate; run `stdkit check` and fix it first")
        raise typer.Exit(1)
    revision = existing.revision if existing else draft_revision(r, standard)
    try:
        doc = round_document(corpus, r, standard, existing.revision if existing else None)
        result = read_input(file, AnchorIndex(doc), standard, unit, reviewer)
        stage = existing.stage if existing else corpus.drafts[standard].stage
        when = date.today().isoformat()
        wr = write_round(r, standard, rid, result.comments, stage=stage, revision=revision, date=when,
                         source_note=f"回函 {file.name}")
    except (ReviewInputError, RoundError) as exc:
        for p in getattr(exc, "problems", [str(exc)]):
            err.print(f"stdkit review import: {p}")
        err.print("stdkit review import: nothing written")
        raise typer.Exit(1)
    for note in result.notes:
        err.print(f"stdkit review import: {note}")
    rel = wr.path.relative_to(r).as_posix() if wr.path.is_relative_to(r) else str(wr.path)
    if not wr.added:
        out.print(f"{rel}: nothing new ({len(wr.skipped)} comment(s) already imported)")
        return
    what = "created" if wr.created else "appended to"
    out.print(f"{rel}: {what}, {len(wr.added)} comment(s) added ({wr.added[0]}…{wr.added[-1]})"
              + (f", {len(wr.skipped)} already there" if wr.skipped else ""))
    if wr.created and not revision:
        out.print("note: the draft has uncommitted changes (or no git), so no `revision:` was recorded; "
                  "clause numbers refer to the working tree")


@review_app.command("apply")
def apply(
    standard: str = typer.Option(..., "--standard", help="standard id"),
    dry_run: bool = typer.Option(False, "--dry-run", help="show what would change, write nothing"),
    root: Optional[Path] = typer.Option(None, "--root", help="project root holding standards/"),
) -> None:
    """Write the proposed text of comments marked 采纳 into the draft YAML (formatting and comments kept)."""
    from toolkit.review.apply import apply_standard

    r = _root(root)
    corpus, _ = _corpus(r, standard)
    res = apply_standard(corpus, r, standard, dry_run=dry_run)
    for key, msg in res.applied:
        out.print(f"{'would apply' if dry_run or res.refused else 'applied'} {key}: {msg}")
    for key, msg in res.already:
        out.print(f"already applied {key}: {msg}")
    for key, msg in res.refused:
        err.print(f"refused {key}: {msg}")
    if res.refused:
        err.print(f"stdkit review apply: {len(res.refused)} comment(s) refused; {res.path} not changed")
        raise typer.Exit(1)
    if res.written:
        out.print(f"{res.path.relative_to(r).as_posix()}: {len(res.applied)} comment(s) applied")
    elif not res.applied:
        out.print("nothing to apply")


@review_app.command("status")
def status(
    standard: str = typer.Option(..., "--standard", help="standard id"),
    root: Optional[Path] = typer.Option(None, "--root", help="project root holding standards/"),
) -> None:
    """Each comment with its clause as numbered now and its disposition."""
    from toolkit.review.status import comment_views

    r = _root(root)
    corpus, _ = _corpus(r, standard)
    for v in comment_views(corpus, standard):
        out.print(f"{v.round}/{v.comment.id}  {v.number_text:<14} {v.comment.disposition:<4}  "
                  f"{v.comment.unit}：{v.comment.text[:50]}")
