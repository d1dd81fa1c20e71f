"""Fixtures for the site tests: built sites (once per session), served over HTTP, and Chromium.

* ``built``: the real corpus built the way ``stdkit build`` does it — every registered
  step into one staging folder, so the site step finds the drafts and tables it offers
  as downloads.
* ``hostile``: a copy of the corpus with markup (``<script>alert(1)</script>``) put into
  a measure title, an indicator name and a standard title, built with the site step only.
  It is not a git repository, so its "changes since …" page is the no-baseline fallback.
* ``changed``: a git repository (README-only first commit, then the real corpus, then
  :func:`sitegit.edit_corpus`'s edits) built with the site step only; its "changes
  since …" page diffs against the first commit holding ``standards/``.

Both are built once per session and shared between xdist workers through a lock file.
Browser tests drive Debian's Chromium through Playwright (no Playwright browser download).
"""
from __future__ import annotations

import fcntl
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import pytest

from sitebrowser import CHROMIUM, CHROMIUM_ARGS, DESKTOP, serve
from sitecheck import ROOT, SCRIPT
from sitegit import commit_all, edit_corpus, init_repo

os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


@dataclass(frozen=True)
class BuiltSite:
    """A build tree ``out`` whose ``out/site`` holds the site; ``info`` says what was built."""

    out: Path
    info: dict

    @property
    def site(self) -> Path:
        return self.out / "site"


@pytest.fixture(scope="session")
def worker_id(request) -> str:
    """xdist worker id, or ``master`` without xdist."""
    return getattr(request.config, "workerinput", {}).get("workerid", "master")


def _shared(tmp_path_factory, worker_id: str, name: str, make: Callable[[Path], dict]) -> BuiltSite:
    """Build ``name`` once for all workers of this session (``make(out) -> info``), under a lock."""
    base = tmp_path_factory.getbasetemp()
    shared = base if worker_id == "master" else base.parent
    out = shared / name
    done = shared / f"{name}.json"
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            if out.exists():
                shutil.rmtree(out)
            out.mkdir()
            done.write_text(json.dumps(make(out)))
    return BuiltSite(out, json.loads(done.read_text()))


def _build_all_steps(out: Path) -> dict:
    from toolkit.build.engine import render_all
    from toolkit.corpus import load_corpus
    from toolkit.render import output_names

    corpus, _ = load_corpus(ROOT)
    render_all(corpus, out, ROOT)  # registry order: data, tables, drafts, then site
    return {"steps": output_names()}


def make_hostile_corpus(dest: Path) -> dict:
    """Copy ``standards/`` to ``dest/standards`` with :data:`SCRIPT` in the title of the first measure,
    the name of the first indicator and the title of the first catalogue standard; returns their ids."""
    from ruamel.yaml import YAML

    shutil.copytree(ROOT / "standards", dest / "standards")
    yaml = YAML()
    yaml.preserve_quotes = True
    changed: dict[str, str] = {}

    def patch(folder: str, key: str, field: str, kind: str) -> None:
        for path in sorted((dest / "standards" / folder).glob("*.yaml")):
            data = yaml.load(path.read_text(encoding="utf-8"))
            if not data or key not in data:
                continue
            rec = data[key][0] if isinstance(data[key], list) else data[key]
            rec[field] = f"{SCRIPT}{rec[field]}"
            with path.open("w", encoding="utf-8") as fh:
                yaml.dump(data, fh)
            changed[kind] = str(rec["id"])
            return

    patch("measures", "measures", "title", "measure")
    patch("indicators", "indicators", "name", "indicator")
    patch("catalogue", "standard", "title", "standard")
    return changed


def _build_hostile(out: Path) -> dict:
    from toolkit.render.site import build_site

    root = out / "project"
    root.mkdir()
    changed = make_hostile_corpus(root)
    build_site(root, out / "site", config_file=ROOT / "mkdocs.yml", downloads_from=out / "no-downloads")
    return changed


def _build_changed(out: Path) -> dict:
    from toolkit.render.site import build_site

    repo = out / "repo"
    init_repo(repo)
    shutil.copytree(ROOT / "standards", repo / "standards")
    base = commit_all(repo, "corpus", "2026-02-01T09:00:00+08:00")
    edited = edit_corpus(repo / "standards", SCRIPT)
    commit_all(repo, "edits", "2026-03-02T09:30:00+08:00")
    build_site(repo, out / "site", config_file=ROOT / "mkdocs.yml", downloads_from=out / "no-downloads")
    return {**edited, "base": base}


@pytest.fixture(scope="session")
def built(tmp_path_factory, worker_id) -> BuiltSite:
    """The real corpus built once per session (all build steps) into a temporary build tree."""
    return _shared(tmp_path_factory, worker_id, "stdkit-site-real", _build_all_steps)


@pytest.fixture(scope="session")
def hostile(tmp_path_factory, worker_id) -> BuiltSite:
    """Site of a corpus copy with markup in titles; ``info`` maps measure/indicator/standard to the changed id."""
    return _shared(tmp_path_factory, worker_id, "stdkit-site-hostile", _build_hostile)


@pytest.fixture(scope="session")
def changed(tmp_path_factory, worker_id) -> BuiltSite:
    """Site of a git repository whose last commit edits the corpus; ``info``: the edited ids (see
    :func:`sitegit.edit_corpus`) and ``base``, the sha of the commit that added ``standards/``."""
    return _shared(tmp_path_factory, worker_id, "stdkit-site-changed", _build_changed)


@pytest.fixture(scope="session")
def base_url(built) -> Iterator[str]:
    """URL of the real site, served over HTTP on 127.0.0.1."""
    with serve(built.site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (headless)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's `chromium` package (make test does)")
    with sync_playwright() as p:
        br = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield br
        finally:
            br.close()


@pytest.fixture
def desktop(browser):
    """A fresh desktop-sized (1366×900) page."""
    ctx = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = ctx.new_page()
    try:
        yield page
    finally:
        ctx.close()
