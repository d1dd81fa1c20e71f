"""Broken fixture corpora for the check tests (shared with tests/cli).

``fixtures/base/`` is a small corpus that passes every check with no finding at
all.  Each ``fixtures/cases/<name>/`` breaks it in one way: ``case.yaml`` says
which code must appear (``code``), why (``about``), and lists text ``edits``
(``file``, ``old`` → ``new``, first occurrence) and files to ``delete``; any
other files in the case folder (under ``standards/``) are added to or replace
the base's.  :func:`materialize` assembles a case into a folder.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import yaml

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BASE = FIXTURES / "base"
CASES = FIXTURES / "cases"


def case_names() -> list[str]:
    """Every case folder name, sorted."""
    return sorted(p.name for p in CASES.iterdir() if (p / "case.yaml").is_file())


def case_meta(name: str) -> dict:
    """The case's ``case.yaml`` as a dict (``code``, ``about``, ``edits``, ``delete``)."""
    return yaml.safe_load((CASES / name / "case.yaml").read_text(encoding="utf-8"))


def materialize(name: str | None, dest: Path) -> Path:
    """Copy the base corpus to ``dest`` and apply case ``name`` (None: base only); returns ``dest``.

    Raises ``AssertionError`` when an edit's ``old`` text is not in its file
    (the fixture went stale against the base).
    """
    dest = Path(dest)
    shutil.copytree(BASE, dest, dirs_exist_ok=True)
    if name is None:
        return dest
    meta = case_meta(name)
    case_dir = CASES / name
    for rel in meta.get("delete", []):
        (dest / rel).unlink()
    for edit in meta.get("edits", []):
        path = dest / edit["file"]
        text = path.read_text(encoding="utf-8")
        assert edit["old"] in text, f"case {name}: {edit['file']} does not contain {edit['old']!r}"
        path.write_text(text.replace(edit["old"], edit["new"], 1), encoding="utf-8")
    for src in case_dir.rglob("*"):
        if src.is_file() and src.name != "case.yaml":
            target = dest / src.relative_to(case_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, target)
    return dest


def make_large_file(root: Path, size: int) -> Path:
    """Add a syntactically valid measures file of at least ``size`` bytes under ``root`` (for E008)."""
    path = root / "standards" / "measures" / "huge.yaml"
    line = "# 填充行：超大文件测试。\n"
    path.write_text("measures: []\n" + line * (size // len(line.encode("utf-8")) + 1), encoding="utf-8")
    return path
