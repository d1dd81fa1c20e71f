"""`mkdocs serve` regenerates pages when a YAML file under standards/ changes (no generated copies on disk)."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from sitecheck import ROOT


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _wait_for(url: str, needle: str, seconds: float, proc: subprocess.Popen, log: Path) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"mkdocs serve exited:\n{log.read_text(encoding='utf-8')[-3000:]}"
        text = _get(url)
        if text is not None and needle in text:
            return text
        time.sleep(0.5)
    raise AssertionError(f"{url} did not show {needle!r} within {seconds} s:\n{log.read_text(encoding='utf-8')[-3000:]}")


def test_serve_picks_up_edits_to_standards(tmp_path):
    from ruamel.yaml import YAML

    project = tmp_path / "project"
    project.mkdir()
    for name in ("site", "templates", "standards"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    assert not any((project / "site").rglob("ind-*")), "no generated pages are kept in site/"
    path = sorted((project / "standards" / "indicators").glob("*.yaml"))[0]
    yaml = YAML()
    data = yaml.load(path.read_text(encoding="utf-8"))
    ind = data["indicators"][0]
    iid, old = str(ind["id"]), str(ind["name"])
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    log_path = tmp_path / "serve.log"
    log = log_path.open("w")
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
                            cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}/indicators/{iid}/"
        _wait_for(url, old, 120, proc, log_path)
        ind["name"] = f"{old}（修订）"
        with path.open("w", encoding="utf-8") as fh:
            yaml.dump(data, fh)
        _wait_for(url, f"{old}（修订）", 120, proc, log_path)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
    assert not any((project / "site").rglob("ind-*")), "serving writes nothing into site/"
