"""The check cache (toolkit/checks/cache.py): findings reused only where their inputs did not change.

Every test compares a cached run with a run that reads and checks without any cache,
on a copy of the real corpus.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from toolkit import checks
from toolkit.checks import cache as cc
from toolkit.cli import collect_findings
from toolkit.corpus import load_corpus
from toolkit.findings import format_finding

ROOT = Path(__file__).resolve().parents[2]
DRAFT = "standards/drafts/std-detailed-plan-guide.yaml"
PARAGRAPH = "管控要素宜按空间布局、绿色建筑、资源利用、高效交通和生态环境五个方面组织，"
REWORDED = "管控要素必须按空间布局、绿色建筑、资源利用、高效交通和生态环境五个方面组织，"


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "standards", tmp_path / "standards")
    cc._stores.clear()  # a fresh process as far as the cache is concerned
    return tmp_path


def uncached(root: Path) -> list[str]:
    corpus, found = load_corpus(root, cache=False)
    return sorted(format_finding(f) for f in found + checks.run_checks(corpus))


def cached(root: Path) -> list[str]:
    _, found = collect_findings(root)
    return sorted(format_finding(f) for f in found)


def recomputed(monkeypatch) -> list:
    """Record the drafts whose per-draft parts each run computes."""
    seen: list = []
    real = cc.compute_drafts

    def spy(pl, sids, c):
        seen.extend(sids)
        return real(pl, sids, c)

    monkeypatch.setattr(cc, "compute_drafts", spy)
    return seen


def edit(root: Path, old: str, new: str) -> None:
    path = root / DRAFT
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_recheck_after_rewording_one_paragraph(project, monkeypatch):
    assert cached(project) == uncached(project)
    assert (project / cc.CACHE_DIR / "language.pickle").is_file()
    seen = recomputed(monkeypatch)
    again = cached(project)
    assert seen == []  # nothing changed: every finding from the cache
    assert again == uncached(project)
    edit(project, PARAGRAPH, REWORDED)
    seen.clear()
    after = cached(project)
    assert seen == ["std-detailed-plan-guide"]  # only the edited draft is checked again
    assert after == uncached(project)
    assert any("W951" in f and DRAFT in f and "必须" in f for f in after)
    edit(project, REWORDED, PARAGRAPH)  # and back: the finding goes away again
    assert cached(project) == uncached(project)
    assert not any("W951" in f and "必须" in f for f in cached(project))


def test_a_moved_line_rechecks_every_draft(project, monkeypatch):
    """A change beyond the wording (here a line added, which moves every later node) changes the
    draft's interface, so every draft's parts run again and every location stays right."""
    cached(project)
    seen = recomputed(monkeypatch)
    edit(project, "              text: " + PARAGRAPH, "              # 编制组备注\n              text: " + PARAGRAPH)
    after = cached(project)
    drafts = sorted(p.stem for p in (project / "standards" / "drafts").glob("*.yaml"))
    assert sorted(seen) == drafts
    assert after == uncached(project)


def test_a_registry_edit_rechecks_corpus_parts(project):
    """A unit renamed in the registry changes what every corpus-wide part reads."""
    cached(project)
    units = project / "standards" / "registry" / "units.yaml"
    text = units.read_text(encoding="utf-8")
    units.write_text(text + "\n", encoding="utf-8")  # same records, new bytes: a new key, same findings
    assert cached(project) == uncached(project)


def test_a_corrupt_cache_is_an_empty_cache(project):
    before = cached(project)
    for f in (project / cc.CACHE_DIR).glob("*.pickle"):
        f.write_bytes(b"not a pickle")
    cc._stores.clear()
    assert cached(project) == before == uncached(project)


def test_parallel_run_gives_the_same_findings(project, monkeypatch):
    """Drafts dealt out among forked workers, then the corpus-wide parts: same findings as one process."""
    monkeypatch.setattr(checks, "PARALLEL_MIN_DRAFTS", 1)
    monkeypatch.setenv("STDKIT_JOBS", "2")
    assert cached(project) == uncached(project)
    edit(project, PARAGRAPH, REWORDED)
    assert cached(project) == uncached(project)


def test_a_corpus_edited_in_memory_is_checked_afresh(project):
    """run_checks without ``cache=True`` never reuses results (the files' keys would not see the edit)."""
    cached(project)
    corpus, _ = load_corpus(project)
    d = corpus.drafts["std-detailed-plan-guide"]
    from toolkit.walk import iter_draft_blocks

    para = next(b for b, _, _ in iter_draft_blocks(d) if getattr(b, "text", "").startswith(PARAGRAPH))
    object.__setattr__(para, "text", para.text.replace(PARAGRAPH, REWORDED))
    found = [format_finding(f) for f in checks.run_checks(corpus)]
    assert any("W951" in f and "必须" in f for f in found)
