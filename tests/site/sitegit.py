"""Git helpers for the site tests: repositories with fixed authors and dates, and an edited corpus copy.

:func:`git` runs git with an empty configuration (no user ``~/.gitconfig``, no signing),
so commits made here are the same on every machine.  :func:`edit_corpus` makes the
edits the "changes since …" page must report, on a copy of ``standards/``.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

from ruamel.yaml import YAML

AUTHOR = "张审校"
EDIT = "（修订记录测试）"
NEW_TERM_ID = "zz-term-changes-test"


def git(repo: Path, *args: str, date: str = "2026-03-01T08:00:00+08:00") -> str:
    """``git -C repo args`` as :data:`AUTHOR` at ``date``; returns stdout; raises on failure."""
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": AUTHOR, "GIT_AUTHOR_EMAIL": "a@example.org", "GIT_AUTHOR_DATE": date,
           "GIT_COMMITTER_NAME": AUTHOR, "GIT_COMMITTER_EMAIL": "a@example.org", "GIT_COMMITTER_DATE": date}
    res = subprocess.run(["git", "-C", str(repo), "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false",
                          *args], env=env, capture_output=True, text=True, check=True)
    return res.stdout.strip()


def init_repo(repo: Path) -> None:
    """A new repository at ``repo`` on branch ``main`` whose first commit holds only a README (no ``standards/``)."""
    repo.mkdir(parents=True, exist_ok=True)
    git(repo, "init", "-q", "-b", "main")
    (repo / "README.md").write_text("fixture\n", encoding="utf-8")
    commit_all(repo, "README only", "2026-01-01T08:00:00+08:00")


def commit_all(repo: Path, message: str, date: str) -> str:
    """Commit everything under ``repo``; returns the commit's full sha."""
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, date=date)
    return git(repo, "rev-parse", "HEAD")


def _yaml() -> YAML:
    y = YAML()
    y.preserve_quotes = True
    y.width = 4096
    return y


def _first_p_block(clauses) -> tuple[str, dict] | None:
    for cl in clauses or []:
        for block in cl.get("blocks") or []:
            if block.get("type") == "p" and isinstance(block.get("text"), str):
                return str(cl["id"]), block
        found = _first_p_block(cl.get("clauses"))
        if found:
            return found
    return None


def edit_corpus(standards: Path, markup: str) -> dict[str, str]:
    """Edit the corpus copy at ``standards`` in place; returns what was edited (ids).

    * ``draft``/``clause``: :data:`EDIT` appended to the first paragraph of the first
      draft's first clause that has one (a changed clause);
    * ``term``: a term :data:`NEW_TERM_ID` inserted before the draft's first term, so
      the others are renumbered (moves, not removals);
    * ``measure``: the first measure of the first measures file removed;
    * ``indicator``: ``markup`` put in front of the first indicator's name.
    """
    y = _yaml()
    out: dict[str, str] = {}
    draft_file = sorted((standards / "drafts").glob("*.yaml"))[0]
    data = y.load(draft_file.read_text(encoding="utf-8"))
    draft = data["draft"]
    out["draft"] = str(draft["standard"])
    cid, block = _first_p_block(draft["clauses"])
    block["text"] = str(block["text"]) + EDIT
    out["clause"] = cid
    terms = draft.get("terms")
    assert terms, f"{draft_file.name} has no terms to renumber"
    out["moved_term"] = str(terms[0]["id"])
    terms.insert(0, {"id": NEW_TERM_ID, "term": "修订记录测试术语", "definition": "用于测试修订记录页的术语。",
                     "drafted": True})
    with draft_file.open("w", encoding="utf-8") as fh:
        y.dump(data, fh)

    measures_file = sorted((standards / "measures").glob("*.yaml"))[0]
    data = y.load(measures_file.read_text(encoding="utf-8"))
    out["measure"] = str(data["measures"][0]["id"])
    del data["measures"][0]
    with measures_file.open("w", encoding="utf-8") as fh:
        y.dump(data, fh)

    for path in sorted((standards / "indicators").glob("*.yaml")):
        data = y.load(path.read_text(encoding="utf-8"))
        if data and data.get("indicators"):
            ind = data["indicators"][0]
            ind["name"] = f"{markup}{ind['name']}"
            out["indicator"] = str(ind["id"])
            with path.open("w", encoding="utf-8") as fh:
                y.dump(data, fh)
            break
    return out
