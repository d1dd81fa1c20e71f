"""Helpers for the review tests (imported as ``review_helpers``; the ``project`` fixture is in conftest.py): a small project (the check fixtures' base corpus), its draft DOCX,
Word comments added with python-docx and tracked changes written as raw OOXML."""
from __future__ import annotations

import copy
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "checks"))

from fixture_corpus import materialize  # noqa: E402

from toolkit.corpus import load_corpus  # noqa: E402
from toolkit.document import build_document  # noqa: E402
from toolkit.render.docx_writer import write_docx  # noqa: E402

STD = "std-demo-guide"
DRAFT = Path("standards/drafts/std-demo-guide.yaml")

NEW_CLAUSE = """        - id: demo-transport-parking
          title: 停车设施
          source: "test"
          blocks:
            - {type: p, text: 城区新建住宅应按规定配建充电车位。}
"""


def git(root: Path, *args: str) -> str:
    """Run git in ``root`` (fixed identity and dates); returns stdout."""
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z",
           "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z", "PATH": "/usr/bin:/bin"}
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True,
                          env=env).stdout.strip()


def make_project(tmp_path) -> Path:
    """A project folder with the base fixture corpus, committed in its own git repository."""
    root = materialize(None, tmp_path / "proj")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    return root


def draft_docx(root: Path, out: Path) -> Path:
    """The draft of :data:`STD` in ``root`` as the DOCX stdkit builds."""
    corpus, _ = load_corpus(root)
    return write_docx(build_document(corpus, STD), out)


def paragraph_after(d, prefix: str):
    """The paragraph after the body heading whose text starts with ``prefix`` (not the 目次 entry)."""
    ps = d.paragraphs
    for i in range(len(ps) - 1, -1, -1):
        if ps[i].text.startswith(prefix):
            return ps[i + 1]
    raise AssertionError(f"no paragraph starting {prefix!r}")


def add_tracked_change(p, delete: str, insert: str, author: str = "李工") -> None:
    """Turn the first occurrence of ``delete`` in paragraph ``p``'s first run into a tracked replacement by ``insert``."""
    r = p.runs[0]._r
    t = r.find(qn("w:t"))
    text = t.text
    i = text.index(delete)
    before, after = text[:i], text[i + len(delete):]
    t.text = before
    t.set(qn("xml:space"), "preserve")
    dl = OxmlElement("w:del")
    for k, v in (("id", "901"), ("author", author), ("date", "2026-05-01T00:00:00Z")):
        dl.set(qn(f"w:{k}"), v)
    rd = copy.deepcopy(r)
    dt = rd.find(qn("w:t"))
    dt.tag = qn("w:delText")
    dt.text = delete
    dl.append(rd)
    ins = OxmlElement("w:ins")
    for k, v in (("id", "902"), ("author", author), ("date", "2026-05-01T00:00:00Z")):
        ins.set(qn(f"w:{k}"), v)
    ri = copy.deepcopy(r)
    ri.find(qn("w:t")).text = insert
    ins.append(ri)
    rest = copy.deepcopy(r)
    rest.find(qn("w:t")).text = after
    rest.find(qn("w:t")).set(qn("xml:space"), "preserve")
    r.addnext(dl)
    dl.addnext(ins)
    ins.addnext(rest)


def reviewed_docx(root: Path, out: Path) -> Path:
    """The draft with a Word comment on 4.1's text and a tracked change in 4.2's text."""
    src = draft_docx(root, out.with_name("circulated.docx"))
    d = docx.Document(str(src))
    p = paragraph_after(d, "4.1")
    d.add_comment(p.runs, text="建议提高城区绿色出行分担率目标。", author="张工", initials="Z")
    add_tracked_change(paragraph_after(d, "4.2"), "交通设施", "慢行交通设施")
    d.save(str(out))
    return out


def insert_clause_before_share(root: Path) -> None:
    """Insert a clause before 4.1 (demo-transport-share), so 4.1 → 4.2 and 4.2 → 4.3."""
    path = root / DRAFT
    text = path.read_text(encoding="utf-8")
    anchor = "        - id: demo-transport-share\n"
    assert anchor in text
    path.write_text(text.replace(anchor, NEW_CLAUSE + anchor, 1), encoding="utf-8")


def copy_tree(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest)
    return dest
