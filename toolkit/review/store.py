"""Write review rounds: ``standards/reviews/<standard-id>/<round>.yaml`` (append only).

A new round file is created with the round's facts (standard, round, stage, revision,
date) and the imported comments; an existing one gets the new comments appended at its
end — the bytes before stay exactly as they were (verified), so dispositions and notes
already written by hand are never touched.  Comments whose ``origin`` (file digest and
comment/row) is already in the round are skipped: importing the same file twice adds
nothing.  The result is validated like every corpus file (read → validate) before it is
written, atomically; on any finding nothing is written.
"""
from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML

from toolkit.review.importer import Imported, ReviewInputError

REVIEWS_DIR = Path("standards") / "reviews"


def round_path(root: Path, standard_id: str, round_id: str) -> Path:
    """Path of a round file under ``root``."""
    return Path(root) / REVIEWS_DIR / standard_id / f"{round_id}.yaml"


def _yaml() -> YAML:
    y = YAML()
    y.indent(mapping=2, sequence=4, offset=2)
    y.width = 4096
    y.allow_unicode = True
    return y


def _comment_map(c: Imported, id_: str) -> dict:
    d: dict = {"id": id_, "unit": c.unit}
    if c.reviewer:
        d["reviewer"] = c.reviewer
    d["kind"] = c.kind
    if c.clause:
        d["clause"] = c.clause
    if c.clause_number:
        d["clause_number"] = c.clause_number
    if c.quote:
        d["quote"] = c.quote
    d["text"] = c.text
    if c.original:
        d["original"] = c.original
    if c.proposal:
        d["proposal"] = c.proposal
    if c.date:
        d["date"] = c.date
    d["origin"] = c.origin
    d["disposition"] = "待处理"
    return d


@dataclass
class WriteResult:
    """``path`` written (or that would be), ``added`` comment ids, ``skipped`` origins already present, ``created`` new file."""

    path: Path
    added: list[str]
    skipped: list[str]
    created: bool


def _validate_text(text: str, path: Path) -> list[str]:
    from toolkit.load import parse_text
    from toolkit.validate import validate_file

    sf, findings = parse_text(text, str(path))
    if not findings:
        _, more = validate_file(sf)
        findings = findings + more
    return [f"{f.location}: {f.code} {f.message}" for f in findings if f.is_error]


def write_round(root: Path, standard_id: str, round_id: str, comments: list[Imported], *, stage: str,
                revision: str | None, date: str | None, source_note: str, dry_run: bool = False) -> WriteResult:
    """Append ``comments`` to the round file (creating it with the round's facts); returns what was done.

    Raises :class:`~toolkit.review.importer.ReviewInputError` when the round file exists but
    is not a review of ``standard_id`` or the result would not validate; nothing is written then.
    """
    path = round_path(root, standard_id, round_id)
    y = _yaml()
    old_text = path.read_text(encoding="utf-8") if path.is_file() else None
    existing_origins: set[str] = set()
    existing_ids: set[str] = set()
    if old_text is not None:
        data = YAML(typ="safe").load(old_text) or {}
        rv = data.get("review") if isinstance(data, dict) else None
        if not isinstance(rv, dict) or rv.get("standard") != standard_id:
            raise ReviewInputError([f"{path}: not a review round of {standard_id}; nothing written"])
        for c in rv.get("comments") or []:
            if isinstance(c, dict):
                existing_origins.add(str(c.get("origin")))
                existing_ids.add(str(c.get("id")))
    new = [c for c in comments if c.origin not in existing_origins]
    skipped = [c.origin for c in comments if c.origin in existing_origins]
    n = 0
    maps = []
    for c in new:
        while True:
            n += 1
            cid = f"c-{n:03d}"
            if cid not in existing_ids:
                break
        existing_ids.add(cid)
        maps.append(_comment_map(c, cid))
    if not maps:
        return WriteResult(path, [], skipped, False)
    if old_text is None:
        head: dict = {"standard": standard_id, "round": round_id, "stage": stage}
        if revision:
            head["revision"] = revision
        if date:
            head["date"] = date
        head["source"] = source_note
        head["units_sent"] = []
        head["replied_without_comments"] = []
        head["comments"] = maps
        buf = io.StringIO()
        buf.write(f"# {standard_id} {stage}征求意见记录（轮次 {round_id}），由 stdkit review import 写入。\n"
                  "# 处理意见填 disposition（采纳/部分采纳/未采纳/待处理），部分采纳、未采纳须填 reason；\n"
                  "# 发送单位填 units_sent，回函无意见的单位填 replied_without_comments。\n")
        y.dump({"review": head}, buf)
        text = buf.getvalue()
    else:
        buf = io.StringIO()
        y.dump({"review": {"comments": maps}}, buf)
        items = buf.getvalue().split("\n", 2)[2]  # drop "review:" and "  comments:"
        text = old_text if old_text.endswith("\n") else old_text + "\n"
        if re.search(r"^  comments:\s*\[\]\s*$", text, re.M):
            text = re.sub(r"^  comments:\s*\[\]\s*$", "  comments:", text, count=1, flags=re.M)
        elif not re.search(r"^  comments:\s*$", text, re.M):
            text += "  comments:\n"
        last = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
        if last and not (last[-1].startswith("    ") or last[-1].startswith("  comments:")):
            raise ReviewInputError([f"{path}: `comments:` is not the last entry of the round; move it to the end "
                                    "so new comments can be appended without touching the others"])
        text += items
    problems = _validate_text(text, path)
    if problems:
        raise ReviewInputError([f"{path}: the imported records do not validate; nothing written", *problems])
    if not dry_run:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    return WriteResult(path, [m["id"] for m in maps], skipped, old_text is None)
