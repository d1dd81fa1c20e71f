"""One clock for every artifact (toolkit.repro): where the date comes from, and byte-identical rebuilds."""
from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from toolkit import repro

ROOT = Path(__file__).resolve().parents[2]

# Writes the tables and one draft's DOCX of the real corpus into argv[1]; run in a child process, so the
# child's cwd and environment are its own.
_WRITE = """
import sys
from pathlib import Path
from toolkit.corpus import load_corpus
from toolkit.document import build_document
from toolkit.render import tables as T
from toolkit.render.docx_writer import write_docx
root, out = Path(sys.argv[1]), Path(sys.argv[2])
c, _ = load_corpus(root)
T.write_matrices(c, out)
T.write_indicator_tables(c, out)
sid = sorted(c.drafts)[0]
write_docx(build_document(c, sid), out / "drafts" / f"{sid}.docx")
"""


def _write(out: Path, cwd: Path, env: dict[str, str]) -> dict[str, str]:
    subprocess.run([sys.executable, "-c", _WRITE, str(ROOT), str(out)], cwd=cwd, env=env, check=True,
                   capture_output=True)
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*")) if p.is_file()}


def _zip_dates(path: Path) -> set[tuple]:
    with zipfile.ZipFile(path) as z:
        return {i.date_time for i in z.infolist()}


def test_rebuild_elsewhere_without_env_is_byte_identical(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != repro.ENV}
    a = _write(tmp_path / "a", ROOT, env)
    other = tmp_path / "elsewhere"
    other.mkdir()
    b = _write(tmp_path / "b", other, {**env, "TZ": "Asia/Shanghai", "LANG": "C"})
    assert a == b and any(k.endswith(".docx") for k in a) and any(k.endswith(".xlsx") for k in a)
    # the date is the corpus's (last commit under standards/), not the clock
    epoch = repro.git_epoch(str(ROOT))
    assert epoch is not None
    docx = next((tmp_path / "a" / "drafts").glob("*.docx"))
    assert _zip_dates(docx) == {repro.zip_date_time(epoch)}
    assert _zip_dates(tmp_path / "a" / "matrices" / "strategy-matrix.xlsx") == {repro.zip_date_time(epoch)}


def test_source_date_epoch_overrides(tmp_path):
    env = {**os.environ, repro.ENV: "1700000000"}  # 2023-11-14 22:13:20 UTC
    _write(tmp_path / "o", ROOT, env)
    docx = next((tmp_path / "o" / "drafts").glob("*.docx"))
    assert _zip_dates(docx) == {(2023, 11, 14, 22, 13, 20)}
    with zipfile.ZipFile(docx) as z:
        assert "2023-11-14T22:13:20Z" in z.read("docProps/core.xml").decode()
    assert _zip_dates(tmp_path / "o" / "indicators" / "indicators.xlsx") == {(2023, 11, 14, 22, 13, 20)}


def test_build_epoch_sources(tmp_path, monkeypatch):
    monkeypatch.delenv(repro.ENV, raising=False)
    assert repro.build_epoch(ROOT) == repro.git_epoch(str(ROOT.resolve()))
    # outside git: the newest editions date of the corpus
    proj = tmp_path / "proj"
    shutil.copytree(ROOT / "standards" / "registry", proj / "standards" / "registry")
    (proj / "standards" / "registry" / "more.yaml").write_text(
        'editions:\n  - {id: later, name: 后续版, date: "2024-05-06", drafted: true}\n', encoding="utf-8")
    assert repro.build_epoch(proj) == 1714953600  # 2024-05-06T00:00:00Z
    monkeypatch.setenv(repro.ENV, "1234567890")
    assert repro.build_epoch(proj) == repro.build_epoch(ROOT) == 1234567890
    monkeypatch.delenv(repro.ENV)
    empty = tmp_path / "empty"
    (empty / "standards").mkdir(parents=True)
    assert repro.find_epoch(empty) is None
    with pytest.raises(repro.NoBuildEpoch):
        repro.build_epoch(empty)


def test_source_date_env_restores_environment(monkeypatch):
    monkeypatch.delenv(repro.ENV, raising=False)
    with repro.source_date_env(1700000000):
        assert os.environ[repro.ENV] == "1700000000"
    assert repro.ENV not in os.environ
    monkeypatch.setenv(repro.ENV, "5")
    with repro.source_date_env(1700000000):
        assert os.environ[repro.ENV] == "1700000000"
    assert os.environ[repro.ENV] == "5"


def test_normalise_zip_fixes_times_mode_and_keeps_order(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("b.xml", "<b/>")
        z.writestr("a.xml", "<a/>")
    one = repro.normalise_zip(buf.getvalue(), 100, {"a.xml": b"<A/>"})  # before 1980: clamped
    p = tmp_path / "x.zip"
    p.write_bytes(buf.getvalue())
    assert repro.normalise_zip(p, 100, {"a.xml": lambda b: b.upper()}) == one == p.read_bytes()
    with zipfile.ZipFile(io.BytesIO(one)) as z:
        assert [i.filename for i in z.infolist()] == ["b.xml", "a.xml"]
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert {i.external_attr >> 16 for i in z.infolist()} == {0o644}
        assert z.read("a.xml") == b"<A/>"


def _git(repo: Path, *args: str, when: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "编制组", "GIT_AUTHOR_EMAIL": "a@example.org",
           "GIT_COMMITTER_NAME": "编制组", "GIT_COMMITTER_EMAIL": "a@example.org",
           "GIT_AUTHOR_DATE": "2020-01-01T00:00:00Z", "GIT_COMMITTER_DATE": when}
    subprocess.run(["git", "-C", str(repo), *args], env=env, check=True, capture_output=True)


def test_changes_page_dates_baseline_by_its_commit_and_new_version_by_the_build_epoch(tmp_path, monkeypatch):
    """修订记录: the baseline is dated by its commit time, the new version by the corpus's build epoch."""
    from toolkit.corpus import load_corpus
    from toolkit.render import changes_page as CP

    monkeypatch.delenv(repro.ENV, raising=False)
    repo = tmp_path / "proj"
    shutil.copytree(ROOT / "tests" / "diff" / "fixtures" / "v1" / "standards", repo / "standards")
    _git(repo, "init", "-q", "-b", "main", when="2026-02-01T01:00:00Z")
    _git(repo, "add", "-A", when="2026-02-01T01:00:00Z")
    _git(repo, "commit", "-q", "-m", "v1", when="2026-02-01T01:00:00Z")
    units = repo / "standards" / "registry" / "system.yaml"
    units.write_text(units.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "v2", when="2026-03-05T06:07:00Z")
    corpus, _ = load_corpus(repo)
    page, base = CP.changes_markdown(repo, corpus)
    assert base.origin == "first-commit"
    assert "2026-02-01 01:00 UTC" in page, "baseline: its commit time (not the author date 2020-01-01)"
    assert "2026-03-05 06:07 UTC" in page, "new version: the last commit under standards/"
    assert "2020-01-01" not in page
