"""The per-file parse cache and the parallel parse give exactly what a plain read + validate gives."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from toolkit import sourcecache
from toolkit.corpus import load_corpus
from toolkit.load import read_tree
from toolkit.validate import validate_tree

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def project(tmp_path):
    shutil.copytree(ROOT / "standards", tmp_path / "standards")
    return tmp_path


def _plain(root: Path):
    files, f1 = read_tree(root)
    valid, f2 = validate_tree(files)
    return valid, f1 + f2


def _summary(valid):
    return [(v.source.rel, v.kind, v.model.model_dump_json()) for v in valid]


def test_cache_cold_warm_and_plain_agree(project):
    plain_valid, plain_findings = _plain(project)
    cold_valid, cold_findings = sourcecache.load_sources(project)
    assert (project / sourcecache.CACHE_DIR).is_dir()
    warm_valid, warm_findings = sourcecache.load_sources(project)
    assert all(isinstance(v.source, sourcecache.CachedSourceFile) for v in warm_valid)
    assert _summary(plain_valid) == _summary(cold_valid) == _summary(warm_valid)
    assert plain_findings == cold_findings == warm_findings
    # locations come out of the lazily decoded positions, identical to a fresh parse
    for a, b in zip(plain_valid, warm_valid):
        for path in list(a.source.positions)[:50]:
            assert a.source.loc(path) == b.source.loc(path)
        assert a.source.key_positions == b.source.key_positions  # re-read on demand
        assert a.source.data == b.source.data


def test_one_edited_file_is_the_only_one_parsed(project, monkeypatch):
    sourcecache.load_sources(project)
    draft = project / "standards/drafts/std-detailed-plan-guide.yaml"
    draft.write_text(draft.read_text(encoding="utf-8").replace("编制", "编制　", 1), encoding="utf-8")
    parsed = []
    real = sourcecache._process
    monkeypatch.setattr(sourcecache, "_process", lambda p, r, *a, **k: parsed.append(p.name) or real(p, r, *a, **k))
    sourcecache.load_sources(project)
    assert parsed == ["std-detailed-plan-guide.yaml"]
    # the new entry went into a second, one-entry pack: the first is not rewritten
    packs = sourcecache.Packs(project / sourcecache.CACHE_DIR)
    n_files = len(list((project / "standards").rglob("*.yaml")))
    assert len(packs.files) == 2 and packs.total == n_files + 1
    packs.close()


def test_packs_are_compacted(project):
    """Edit after edit adds one small pack each; past MAX_PACKS the live entries are rewritten into
    one pack and the entries of the old contents dropped."""
    sourcecache.load_sources(project)
    draft = project / "standards/drafts/std-detailed-plan-guide.yaml"
    for k in range(sourcecache.MAX_PACKS + 1):
        draft.write_text(draft.read_text(encoding="utf-8").replace("编制", "编制　", 1), encoding="utf-8")
        sourcecache.load_sources(project)
    packs = sourcecache.Packs(project / sourcecache.CACHE_DIR)
    n_files = len(list((project / "standards").rglob("*.yaml")))
    assert len(packs.files) <= sourcecache.MAX_PACKS
    assert packs.total < n_files + sourcecache.MAX_PACKS
    packs.close()
    valid, findings = sourcecache.load_sources(project)
    plain_valid, plain_findings = _plain(project)
    assert _summary(valid) == _summary(plain_valid) and findings == plain_findings


def test_findings_of_a_broken_file_are_never_served_from_cache(project):
    bad = project / "standards/measures/county-master.yaml"
    bad.write_text(bad.read_text(encoding="utf-8") + "\n  - id: [unclosed\n", encoding="utf-8")
    _, first = sourcecache.load_sources(project)
    _, second = sourcecache.load_sources(project)
    e003 = [f for f in first if f.code == "E003"]
    assert e003 and e003 == [f for f in second if f.code == "E003"]
    assert e003[0].location.file == "standards/measures/county-master.yaml"


def test_corrupt_entries_are_misses(project):
    sourcecache.load_sources(project)
    for entry in (project / sourcecache.CACHE_DIR).iterdir():
        entry.write_bytes(b"not a pickle")
    valid, findings = sourcecache.load_sources(project)
    plain_valid, plain_findings = _plain(project)
    assert _summary(valid) == _summary(plain_valid) and findings == plain_findings


def test_code_change_invalidates(project, monkeypatch):
    sourcecache.load_sources(project)
    before = set(p.name for p in (project / sourcecache.CACHE_DIR).iterdir())
    monkeypatch.setitem(sourcecache._digest_memo, "d", "another-code-version")
    sourcecache.load_sources(project)
    after = set(p.name for p in (project / sourcecache.CACHE_DIR).iterdir())
    assert before.isdisjoint(after)


def test_parallel_parse_matches_serial(project, monkeypatch, tmp_path_factory):
    import tempfile

    spool = tmp_path_factory.mktemp("spool")
    monkeypatch.setattr(tempfile, "tempdir", str(spool))  # where workers put their results
    monkeypatch.setenv("STDKIT_JOBS", "2")
    monkeypatch.setattr(sourcecache, "PARALLEL_MIN", 2)
    par_valid, par_findings = sourcecache.load_sources(project, use_cache=False)
    plain_valid, plain_findings = _plain(project)
    assert _summary(par_valid) == _summary(plain_valid) and par_findings == plain_findings
    # every file, parsed here or in the worker, is kept compact; its maps come back when asked for
    assert all(isinstance(v.source, sourcecache.CachedSourceFile) for v in par_valid)
    for a, b in zip(plain_valid, par_valid):
        assert a.source.key_positions == b.source.key_positions and a.source.data == b.source.data
        assert [a.source.loc(p) for p in list(a.source.positions)[:20]] == [b.source.loc(p) for p in list(a.source.positions)[:20]]
    # and through the cache the workers wrote
    sourcecache.load_sources(project)
    warm_valid, _ = sourcecache.load_sources(project)
    assert _summary(warm_valid) == _summary(plain_valid)
    assert list(spool.iterdir()) == []  # every result file was read and removed


def test_worker_results_come_back_without_a_file(project, monkeypatch):
    """A worker that cannot write its result file sends the entries themselves."""
    import tempfile

    def refuse(*a, **k):
        raise OSError("no space left")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    monkeypatch.setenv("STDKIT_JOBS", "2")
    monkeypatch.setattr(sourcecache, "PARALLEL_MIN", 2)
    par_valid, par_findings = sourcecache.load_sources(project)
    plain_valid, plain_findings = _plain(project)
    assert _summary(par_valid) == _summary(plain_valid) and par_findings == plain_findings


def test_corpus_and_findings_identical_with_and_without_cache(project, monkeypatch):
    monkeypatch.setenv("STDKIT_NO_CACHE", "1")
    c1, f1 = load_corpus(project)
    assert not (project / sourcecache.CACHE_DIR).exists()
    monkeypatch.delenv("STDKIT_NO_CACHE")
    load_corpus(project)
    c2, f2 = load_corpus(project)
    assert f1 == f2
    assert [t.location for t in c1.targets] == [t.location for t in c2.targets]
    assert list(c1.records) == list(c2.records)


def test_parallel_checks_match_serial(project, monkeypatch):
    from toolkit import checks

    c, _ = load_corpus(project)
    monkeypatch.setenv("STDKIT_JOBS", "1")
    serial = checks.run_checks(c)
    monkeypatch.setenv("STDKIT_JOBS", "2")
    monkeypatch.setattr(checks, "PARALLEL_MIN_DRAFTS", 1)
    assert checks.run_checks(c) == serial


def test_diff_of_a_folder_writes_nothing_into_it(project, tmp_path_factory):
    """A diff side that is a user's folder is read without the cache (nothing written there)."""
    from toolkit.diff.source import load_side

    other = tmp_path_factory.mktemp("other")
    shutil.copytree(ROOT / "standards", other / "standards")
    load_side(str(other), project, tmp_path_factory.mktemp("tmp"))
    assert not (other / ".stdkit-cache").exists()


def _interface(text: str) -> str:
    from toolkit.load import parse_text

    sf, fs = parse_text(text, "standards/drafts/x.yaml")
    assert not fs
    import pickle

    return sourcecache.interface_digest(sf, {"positions": pickle.dumps(sf.positions)})


_DRAFT = """draft:
  title: 城市标准
  clauses:
    - id: c1
      title: 总则
      text: 本文件规定了城市的要求。  # 注释
    - id: c2
      text: |
        第一行。
        第二行。
"""


def test_interface_ignores_only_the_wording_of_text_values():
    base = _interface(_DRAFT)
    # a text value reworded (same length in lines): same interface
    assert _interface(_DRAFT.replace("本文件规定了城市的要求。", "本文件规定了乡村的全部要求。")) == base
    assert _interface(_DRAFT.replace("第二行。", "第二行改。")) == base
    # anything else changes it: a title, an id, a comment outside a text value, a moved line
    assert _interface(_DRAFT.replace("总则", "一般规定")) != base
    assert _interface(_DRAFT.replace("id: c2", "id: c3")) != base
    assert _interface(_DRAFT.replace("# 注释", "# 另一注释")) != base
    assert _interface(_DRAFT.replace("第二行。\n", "第二行。\n        第三行。\n")) == base  # nothing after it moves
    # a text value grown by a line moves every later node: the interface changes
    assert _interface(_DRAFT.replace("要求。  # 注释", "要求。\n        续行。  # 注释")) != base


def test_interface_does_not_cut_an_alias_of_a_non_text_value():
    text = "draft:\n  title: &t 城市标准\n  clauses:\n    - id: c1\n      text: *t\n"
    base = _interface(text)
    # the aliased value is the title's: its wording is part of the interface
    assert _interface(text.replace("城市标准", "乡村标准")) != base


def test_interface_cut_while_parsing_agrees_with_the_cut_from_lines():
    """Both ways of cutting see the same changes (the parse-time cut is the one used)."""
    from toolkit.load import parse_text

    sf, _ = parse_text(_DRAFT, "standards/drafts/x.yaml")
    assert sf.text_cut is not None
    sf2, _ = parse_text(_DRAFT.replace("第一行。", "第一行甲。"), "standards/drafts/x.yaml")
    assert sf.text_cut == sf2.text_cut


def test_pack_of_an_older_layout_and_stale_temporaries_are_removed(project):
    import os
    import time

    folder = project / sourcecache.CACHE_DIR
    folder.mkdir(parents=True)
    (folder / "0123456789abcdef.pack").write_bytes(b"STDKPAK1" + b"\0" * 64)  # the layout before the index moved
    stale, fresh = folder / ".tmp-stale", folder / ".tmp-fresh"
    stale.write_bytes(b"STDKPAK2 half-written")
    fresh.write_bytes(b"STDKPAK2 being written")
    old = time.time() - sourcecache.STALE_TMP_SECONDS - 60
    os.utime(stale, (old, old))
    valid, findings = sourcecache.load_sources(project)
    plain_valid, plain_findings = _plain(project)
    assert _summary(valid) == _summary(plain_valid) and findings == plain_findings
    names = {p.name for p in folder.iterdir()}
    assert "0123456789abcdef.pack" not in names and ".tmp-stale" not in names and ".tmp-fresh" in names
    assert len([n for n in names if n.endswith(".pack")]) == 1


def test_an_interrupted_parse_leaves_no_pack_behind(project, monkeypatch):
    calls = []
    real = sourcecache._parse_one

    def failing(*a, **k):
        calls.append(1)
        if len(calls) == 5:
            raise KeyboardInterrupt
        return real(*a, **k)

    monkeypatch.setattr(sourcecache, "_parse_one", failing)
    monkeypatch.setenv("STDKIT_JOBS", "1")
    with pytest.raises(KeyboardInterrupt):
        sourcecache.load_sources(project)
    folder = project / sourcecache.CACHE_DIR
    assert not folder.exists() or list(folder.iterdir()) == []
