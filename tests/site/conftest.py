"""Fixtures for the site tests: one built site per test session, served over HTTP, and Chromium.

The site is built once (shared between xdist workers through a lock file) the way
``stdkit build`` does it: every registered build step runs into one staging folder, so
the site step finds the drafts and tables it offers as downloads.  Browser tests drive
Debian's Chromium through Playwright (no Playwright browser download).
"""
from __future__ import annotations

import fcntl
import functools
import http.server
import json
import os
import shutil
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}

os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


@dataclass(frozen=True)
class BuiltSite:
    """A build tree (``out``) whose ``out/site`` holds the site; ``steps`` are the steps that ran."""

    out: Path
    steps: tuple[str, ...]

    @property
    def site(self) -> Path:
        return self.out / "site"


def _shared_dir(tmp_path_factory, worker_id: str) -> Path:
    base = tmp_path_factory.getbasetemp()
    return base if worker_id == "master" else base.parent


def build_all_steps(out: Path) -> tuple[str, ...]:
    """Run every registered build step (data, tables, drafts, …, site) on the real corpus into ``out``."""
    from toolkit import build as b
    from toolkit.corpus import load_corpus

    corpus, _ = load_corpus(ROOT)
    b._load_steps()
    ctx = b.BuildContext(corpus=corpus, out=out, root=ROOT, quiet=True)
    b.run_steps(ctx, b.STEPS)
    return tuple(name for name, _ in b.STEPS)


@pytest.fixture(scope="session")
def worker_id(request) -> str:
    """xdist worker id, or ``master`` without xdist."""
    return getattr(request.config, "workerinput", {}).get("workerid", "master")


@pytest.fixture(scope="session")
def built(tmp_path_factory, worker_id) -> BuiltSite:
    """The real corpus built once per session (all steps) into a temporary build tree."""
    shared = _shared_dir(tmp_path_factory, worker_id)
    out = shared / "stdkit-site-build"
    done = shared / "stdkit-site-build.json"
    with open(shared / "stdkit-site-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            if out.exists():
                shutil.rmtree(out)
            out.mkdir()
            steps = build_all_steps(out)
            done.write_text(json.dumps(list(steps)))
    return BuiltSite(out, tuple(json.loads(done.read_text())))


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - keep test output clean
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 at a random port; yields the base URL (ending in ``/``)."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def base_url(built) -> Iterator[str]:
    """URL of the session's site, served over HTTP."""
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


@dataclass
class PageLog:
    """What a page reported: console errors, uncaught exceptions, dialogs, requests outside the site."""

    console_errors: list[str]
    page_errors: list[str]
    dialogs: list[str]
    external: list[str]
    failed: list[str]


def watch(page, base: str) -> PageLog:
    """Record console errors, page errors, dialogs (dismissed), external and failed requests of ``page``."""
    log = PageLog([], [], [], [], [])
    page.on("console", lambda msg: log.console_errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: log.page_errors.append(str(exc)))

    def on_dialog(d):
        log.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", on_dialog)
    page.on("request", lambda r: log.external.append(r.url)
            if not (r.url.startswith(base) or r.url.startswith("data:") or r.url.startswith("blob:")) else None)
    page.on("requestfailed", lambda r: log.failed.append(r.url))
    return log


@pytest.fixture
def desktop(browser):
    ctx = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = ctx.new_page()
    try:
        yield page
    finally:
        ctx.close()
