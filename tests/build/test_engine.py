"""The incremental build engine (toolkit.build) on the real corpus: what runs, what is written, what survives."""
from __future__ import annotations

import errno
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from buildhelpers import ENV, STDKIT, copy_project, files_state, stdkit_build  # noqa: E402

from toolkit.build import MANIFEST_NAME  # noqa: E402

EDIT_MARK = "（测试修改）"
DRAFT = "std-carbon-impact-evaluation"


def edit_one_clause(root: Path, sid: str = DRAFT) -> str:
    """Append :data:`EDIT_MARK` to the first plain clause paragraph of a draft; returns the new text."""
    f = root / "standards" / "drafts" / f"{sid}.yaml"
    lines = f.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if re.match(r"^\s+clauses:\s*$", line))
    for i in range(start, len(lines)):
        mt = re.match(r"^(\s+(?:- )?text: )(.*)。$", lines[i])
        if mt and not mt.group(2).startswith(("'", '"', "|", ">")):
            lines[i] = f"{mt.group(1)}{mt.group(2)}{EDIT_MARK}。"
            f.write_text("\n".join(lines), encoding="utf-8")
            return mt.group(2) + EDIT_MARK
    raise AssertionError(f"no plain clause paragraph in {f}")


def leftovers(root: Path) -> list[str]:
    """stdkit's temporary folders beside and inside build/."""
    found = [p.name for p in root.iterdir() if p.name.startswith((".build-staging-", ".build-old-"))]
    if (root / "build").is_dir():
        found += [p.name for p in (root / "build").iterdir() if p.name.startswith((".stdkit-staging-", ".stdkit-old-"))]
    return sorted(found)


def changed(before: dict, after: dict) -> set[str]:
    """Files added, removed or rewritten (another inode or mtime)."""
    return {k for k in set(before) | set(after) if before.get(k) != after.get(k)}


def citing_drafts(root: Path, ref_id: str) -> set[str]:
    """Drafts whose YAML mentions ``ref_id`` (computed independently of the engine)."""
    return {f.stem for f in (root / "standards" / "drafts").glob("*.yaml")
            if re.search(rf"(?<![\w-]){re.escape(ref_id)}(?![\w-])", f.read_text(encoding="utf-8"))}


def manifest(root: Path) -> dict:
    return json.loads((root / "build" / MANIFEST_NAME).read_text(encoding="utf-8"))


# ---------------------------------------------------------------------- cold, no-op, edits
def test_cold_build_is_complete(built_project):
    m = manifest(built_project)
    outputs = {v["output"] for v in m["jobs"].values()}
    from toolkit.render import output_names

    assert outputs == set(output_names()) >= {"data", "tables", "drafts", "reviews", "site"}
    assert {k for k in m["jobs"] if k.startswith("reviews/")} == {"reviews/std-detailed-plan-guide"}
    drafts = {f.stem for f in (built_project / "standards" / "drafts").glob("*.yaml")}
    assert {k for k in m["jobs"] if k.startswith("drafts/")} == {f"drafts/{d}" for d in drafts}
    for key, rec in m["jobs"].items():
        assert rec["outputs"], key
        assert all((built_project / "build" / o).is_file() for o in rec["outputs"]), key
        assert rec["deps"] or key == "site/downloads", f"{key} recorded no input"
    # a draft job recorded its own draft and catalogue record as it read them
    deps = m["jobs"][f"drafts/{DRAFT}"]["deps"]
    assert f'["rec","drafts","{DRAFT}"]' in deps and f'["rec","standards","{DRAFT}"]' in deps
    # the tables read drafts only through a derived projection, never a draft record
    assert not any(k.startswith('["rec","drafts"') for k in m["jobs"]["tables"]["deps"])
    assert leftovers(built_project) == []


def test_noop_writes_nothing(project):
    before = files_state(project)
    res = stdkit_build(project)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "up to date" in res.stdout
    assert files_state(project) == before  # not one file created, rewritten or touched (inode, mtime)


def test_one_clause_edit_rerenders_that_draft_and_its_pages(project, build_here):
    text = edit_one_clause(project)
    before = files_state(project / "build")
    templates = {p.name: p.read_bytes() for p in (project / "build" / "evaluation" / "templates").glob("*.xlsx")}
    res = build_here(project)
    # corpus.json is a dump of the whole corpus: it changes too; tables and other drafts do not.
    # The evaluation templates depend on the clause numbers of the drafts (a derived function), not
    # on their wording: their job does not run again.
    assert sorted(res.ran) == ["data", f"drafts/{DRAFT}", "site", "site/downloads"], res.changed
    assert res.changed[f"drafts/{DRAFT}"] == "inputs"
    diff = changed(before, files_state(project / "build"))
    assert templates and templates == {p.name: p.read_bytes()
                                       for p in (project / "build" / "evaluation" / "templates").glob("*.xlsx")}
    outside_site = {k for k in diff if not k.startswith(("site/", ".stdkit", "evaluation/templates/"))}
    assert outside_site == {f"drafts/{DRAFT}.{x}" for x in ("docx", "pdf", "html")} | {"data/corpus.json"}
    # site pages rewritten: only those that show the edited text (plus the search index, the
    # downloads of the re-rendered draft and the page cache)
    pages = {k for k in diff if k.startswith("site/") and k.endswith(".html")}
    assert f"site/standards/{DRAFT}/index.html" in pages
    for page in pages - {"site/404.html"}:  # MkDocs writes its 404 page on every site build
        assert text in (project / "build" / page).read_text(encoding="utf-8") or page.startswith("site/drafts/"), page
    assert not any(k.startswith("site/standards/") and DRAFT not in k for k in diff)
    assert leftovers(project) == []
    again = build_here(project)
    assert again.up_to_date


def test_reference_added_rerenders_only_citing_drafts(project, build_here):
    refs = project / "standards" / "registry" / "references.yaml"
    refs.write_text(refs.read_text(encoding="utf-8").rstrip("\n")
                    + "\n  - {id: gbt-99999-2026, code: \"GB/T 99999—2026\", title: 测试用新增引用文件}\n",
                    encoding="utf-8")
    res = build_here(project)
    assert not [k for k in res.ran if k.startswith("drafts/")], res.ran  # no draft cites it yet
    assert "tables" not in res.ran
    # cite it from one draft: that draft alone is re-rendered
    f = project / "standards" / "drafts" / f"{DRAFT}.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("  normative_references:\n",
                                                       "  normative_references:\n    - gbt-99999-2026\n", 1),
                 encoding="utf-8")
    res = build_here(project)
    assert [k for k in res.ran if k.startswith("drafts/")] == [f"drafts/{DRAFT}"]
    assert "GB/T 99999—2026" in (project / "build" / "drafts" / f"{DRAFT}.html").read_text(encoding="utf-8")


def test_reference_edited_rerenders_exactly_the_drafts_citing_it(project, build_here):
    ref = "tdt-1062-2021"  # 社区生活圈规划技术指南, cited by some drafts and not others
    refs = project / "standards" / "registry" / "references.yaml"
    text = refs.read_text(encoding="utf-8")
    assert "title: 社区生活圈规划技术指南}" in text
    refs.write_text(text.replace("title: 社区生活圈规划技术指南}", "title: 社区生活圈规划技术指南（测试）}"),
                    encoding="utf-8")
    res = build_here(project)
    expected = {f"drafts/{d}" for d in citing_drafts(project, ref)}
    assert len(expected) >= 2
    assert {k for k in res.ran if k.startswith("drafts/")} == expected


# ---------------------------------------------------------------------- failures and recovery
def test_failing_output_leaves_build_intact(project, build_here, monkeypatch):
    from toolkit.render import drafts

    edit_one_clause(project)
    before = files_state(project / "build")

    def boom(*a, **k):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(drafts, "render_draft", boom)
    with pytest.raises(RuntimeError, match="renderer crashed"):
        build_here(project, workers=1)
    assert files_state(project / "build") == before
    assert leftovers(project) == []


def test_corrupt_manifest_is_recovered(project):
    (project / "build" / MANIFEST_NAME).write_text('{"version": 2, "jobs": {', encoding="utf-8")
    res = stdkit_build(project, "--only", "data,tables")
    assert res.returncode == 0, res.stdout + res.stderr
    assert "manifest of build/ is unreadable" in " ".join(res.stderr.split())
    m = manifest(project)
    assert set(m["jobs"]) == {"data", "tables"}
    assert (project / "build" / "drafts" / f"{DRAFT}.pdf").is_file()  # other outputs' files kept
    res = stdkit_build(project, "--only", "data,tables")
    assert "up to date" in res.stdout


def test_stale_manifest_entry_reruns_that_job_only(project, build_here):
    path = project / "build" / MANIFEST_NAME
    m = json.loads(path.read_text(encoding="utf-8"))
    key = next(iter(m["jobs"]["tables"]["deps"]))
    m["jobs"]["tables"]["deps"][key] = "0" * 32  # as if the input had been different when it ran
    path.write_text(json.dumps(m), encoding="utf-8")
    res = build_here(project)
    assert res.ran == ["tables", "site/downloads"] and res.changed["tables"] == "inputs"
    assert build_here(project).up_to_date


def test_recorder_catches_a_newly_read_record(tmp_path, monkeypatch):
    """A writer that starts reading another record depends on it from its next run on."""
    from toolkit.build.engine import incremental_build
    from toolkit.corpus import load_corpus
    from toolkit.render.base import Job

    root = copy_project(tmp_path / "p")
    reads_unit = {"on": False}

    class Probe:
        name, reads, names_of = "probe", (), ()

        def plan(self, ctx):
            return [Job("probe", "probe")]

        def run(self, ctx, job):
            ind = ctx.corpus.indicators["ind-far"] if "ind-far" in ctx.corpus.indicators else \
                next(iter(ctx.corpus.indicators.values()))
            text = ind.name
            if reads_unit["on"]:
                text += "|" + next(iter(ctx.corpus.units.values())).model_dump_json()
            p = ctx.out / "probe.txt"
            p.write_text(text, encoding="utf-8")
            return [p]

    def build():
        c, _ = load_corpus(root)
        return incremental_build(c, root, names=["probe"], loader=lambda n: Probe(), workers=1, quiet=True)

    def edit_first_unit():
        f = root / "standards" / "registry" / "units.yaml"
        text = f.read_text(encoding="utf-8")
        c, _ = load_corpus(root)
        first = next(iter(c.units.values()))
        assert f"name: {first.name}," in text
        f.write_text(text.replace(f"name: {first.name},", f"name: {first.name}改,", 1), encoding="utf-8")

    assert not build().up_to_date
    edit_first_unit()
    assert build().up_to_date  # the writer does not read units: nothing to do
    reads_unit["on"] = True
    monkeypatch.setattr("toolkit.build.engine.env_digest", lambda root: "writer-v2")  # new code
    assert build().ran == ["probe"]
    deps = json.loads((root / "build" / MANIFEST_NAME).read_text(encoding="utf-8"))["jobs"]["probe"]["deps"]
    assert any(k.startswith('["rec","units"') for k in deps)
    edit_first_unit()
    assert build().ran == ["probe"]  # now it does


# ---------------------------------------------------------------------- kill -9, lock, places
def _children(pid: int) -> list[int]:
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(d.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def test_sigkill_mid_render_then_next_build_succeeds(project):
    edit_one_clause(project)
    before = files_state(project / "build")
    proc = subprocess.Popen([str(STDKIT), "build", "--root", str(project), "--quiet"], env=ENV,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    workers: list[int] = []
    while time.monotonic() < deadline and proc.poll() is None:
        staging = [p for p in project.iterdir() if p.name.startswith(".build-staging-")]
        workers = _children(proc.pid)
        if staging and len(workers) >= 2:
            break
        time.sleep(0.05)
    assert proc.poll() is None and workers, "the build finished before the pool started"
    time.sleep(0.5)  # mid-render
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.05)
    assert not any(_alive(w) for w in workers), "pool workers outlived the killed build"
    assert files_state(project / "build") == before  # still the previous complete build
    res = stdkit_build(project)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "was killed" in " ".join(res.stderr.split())
    assert leftovers(project) == []
    assert EDIT_MARK in (project / "build" / "drafts" / f"{DRAFT}.html").read_text(encoding="utf-8")


def test_cross_device_build_folder(project, build_here, monkeypatch):
    """``build/`` on another filesystem: renames and links across it fail with EXDEV; the build copies."""
    build = (project / "build").resolve()
    real_rename, real_link = os.rename, os.link

    def inside(p) -> bool:
        p = Path(os.path.abspath(p))
        return p == build or build in p.parents

    def rename(src, dst, *a, **k):
        if inside(src) != inside(dst):
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        return real_rename(src, dst, *a, **k)

    def link(src, dst, *a, **k):
        if inside(src) != inside(dst):
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        return real_link(src, dst, *a, **k)

    monkeypatch.setattr(os, "rename", rename)
    monkeypatch.setattr(os, "link", link)
    measures = next((project / "standards" / "measures").glob("*.yaml"))
    measures.write_text(measures.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # any change of input
    (project / "build" / "data" / "corpus.json").unlink()  # the data job must run
    res = build_here(project, selected={"data"}, workers=1)
    assert res.ran == ["data"]
    assert (project / "build" / "data" / "corpus.json").is_file()
    assert (project / "build" / "drafts" / f"{DRAFT}.pdf").is_file()
    assert leftovers(project) == []
    assert build_here(project, selected={"data"}, workers=1).up_to_date


def test_build_path_that_is_a_file_is_refused_and_kept(tmp_path):

    root = copy_project(tmp_path / "p")
    (root / "build").write_text("my notes\n", encoding="utf-8")
    res = stdkit_build(root, "--only", "data")
    assert res.returncode == 2
    assert "not a folder" in " ".join(res.stderr.split())
    assert (root / "build").read_text(encoding="utf-8") == "my notes\n"
    assert leftovers(root) == []


def test_foreign_build_folder_is_refused_and_kept(tmp_path):

    root = copy_project(tmp_path / "p")
    (root / "build").mkdir()
    (root / "build" / "thesis.docx").write_bytes(b"years of work")
    res = stdkit_build(root, "--only", "data")
    assert res.returncode == 2 and "did not write" in " ".join(res.stderr.split())
    assert (root / "build" / "thesis.docx").read_bytes() == b"years of work"


def test_empty_corpus_never_empties_build(project, build_here):
    from toolkit.build import BuildError
    from toolkit.build.engine import incremental_build
    from toolkit.corpus import Corpus

    before = files_state(project / "build")
    with pytest.raises(BuildError, match="no records"):
        incremental_build(Corpus(root=project), project, quiet=True)
    assert files_state(project / "build") == before


def test_second_build_waits_for_the_lock(tmp_path):
    from toolkit.build.staging import build_lock

    root = copy_project(tmp_path / "p")
    import threading

    lines: list[str] = []
    with build_lock(root):
        proc = subprocess.Popen([str(STDKIT), "build", "--root", str(root), "--only", "data", "--wait", "120"],
                                env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        reader = threading.Thread(target=lambda: lines.extend(proc.stderr), daemon=True)
        reader.start()
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not any("waiting for another" in x for x in lines):
            assert proc.poll() is None, "".join(lines)  # waiting, not failing
            time.sleep(0.1)
        time.sleep(0.5)
        assert proc.poll() is None
    proc.wait(timeout=120)
    reader.join(10)
    assert proc.returncode == 0, "".join(lines)
    assert "waiting for another stdkit build" in " ".join("".join(lines).split())
    assert (root / "build" / "data" / "corpus.json").is_file()


# ---------------------------------------------------------------------- registry and cost of a no-op
def test_noop_build_imports_no_writer(built_project):
    """Deciding that nothing changed needs neither pandas, WeasyPrint, python-docx nor MkDocs."""
    code = ("import sys; from pathlib import Path; from toolkit.corpus import load_corpus; "
            "from toolkit.build.engine import incremental_build; r = Path(sys.argv[1]); c, _ = load_corpus(r); "
            "res = incremental_build(c, r, quiet=True); "
            "heavy = sorted(m for m in ('pandas', 'weasyprint', 'docx', 'mkdocs', 'openpyxl') if m in sys.modules); "
            "print(res.up_to_date, heavy)")
    res = subprocess.run([sys.executable, "-c", code, str(built_project)], capture_output=True, text=True, env=ENV,
                         timeout=300)
    assert res.returncode == 0, res.stderr
    assert res.stdout.split("\n")[0] == "True []"


def test_a_renamed_output_module_fails_loudly(monkeypatch, tmp_path):
    from toolkit import render
    from toolkit.build.engine import incremental_build
    from toolkit.corpus import load_corpus

    monkeypatch.setattr(render, "OUTPUTS", render.OUTPUTS[:1] + (("tables", "toolkit.render.tablez:OUTPUT"),))
    with pytest.raises(render.OutputMissing, match="tablez does not exist"):
        render.load_output("tables")
    monkeypatch.setattr(render, "OUTPUTS", (("tables", "toolkit.render.data:OUTPUT"),))
    with pytest.raises(render.OutputMissing, match="is named 'data'"):
        render.load_output("tables")
    root = copy_project(tmp_path / "p")
    corpus, _ = load_corpus(root)
    with pytest.raises(render.OutputMissing):
        incremental_build(corpus, root, quiet=True, workers=1)
    assert not (root / "build").exists()


def test_only_one_output_runs_without_waiting_for_the_others(project, build_here):
    """``--only site``: the site's jobs do not wait for drafts and tables, which keep what build/ holds."""
    edit_one_clause(project)
    before = files_state(project / "build")
    res = build_here(project, selected={"site"})
    assert res.ran == ["site"]
    diff = changed(before, files_state(project / "build"))
    assert f"site/standards/{DRAFT}/index.html" in diff
    assert not any(k.startswith(("drafts/", "data/", "matrices/", "indicators/")) for k in diff)
