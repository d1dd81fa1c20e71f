"""Focus and triage of findings: limit them to the files being edited, hide known ones (baseline).

* :func:`focus` — ``stdkit check PATH…``: keep findings located in those files (or
  under those folders) and findings elsewhere that name a record defined in them
  (e.g. a measure's E503 against a target in the indicator file being edited).
* :func:`write_baseline` / :func:`load_baseline` / :func:`apply_baseline` —
  ``stdkit check --write-baseline FILE`` records the current findings;
  ``--baseline FILE`` hides them and shows only new ones.  A finding's key is its
  code, file and message with line numbers removed (:func:`finding_key`), so a
  known finding stays known when lines shift above it; keys are counted, so a
  second identical finding in the same file is new.

The baseline file is JSON (sorted, one entry per key with its count; deterministic)::

    {"stdkit_baseline": 1, "findings": [{"code": "W905", "file": "…", "message": "…", "count": 1}, …]}
"""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from toolkit.findings import Finding

BASELINE_VERSION = 1

_LINE_RE = re.compile(r"(line|行|第)\s*\d+")
_TOKEN_RE = re.compile(r"[a-z0-9][a-z0-9-]*[a-z0-9]")


class BaselineError(Exception):
    """The baseline file cannot be read (missing, not JSON, wrong shape)."""


def rel_paths(paths: list[Path], root: Path) -> list[str]:
    """Command-line paths as posix paths relative to ``root``.

    A relative path is taken relative to the current folder when that lies inside
    ``root``, else relative to ``root`` (``stdkit check --root DIR PATH`` run elsewhere).

    Raises ``ValueError`` for a path outside ``root``.
    """
    out = []
    cwd = Path.cwd().resolve()
    base = cwd if cwd.is_relative_to(root.resolve()) else root  # outside the project: relative to --root
    for p in paths:
        ap = p.resolve() if p.is_absolute() else (base / p).resolve()
        try:
            rel = ap.relative_to(root.resolve()).as_posix()
        except ValueError:
            raise ValueError(f"{p} 不在项目 {root} 之内") from None
        out.append("" if rel == "." else rel)
    return out


def _in(file: str, rels: list[str]) -> bool:
    return any(r == "" or file == r or file.startswith(r.rstrip("/") + "/") for r in rels)


def focus(findings: list[Finding], corpus, rels: list[str]) -> list[Finding]:
    """Findings in files ``rels`` (files or folders, relative to the root) or naming a record defined there.

    ``corpus`` is the resolved :class:`toolkit.corpus.Corpus` (its ``records`` say
    which file defines which id).  Order is kept.
    """
    ids = {rid for (kind, rid), rec in corpus.records.items()
           if kind != "draft" and _in(rec.source.rel, rels)} if corpus else set()  # a draft shares its standard's id
    out = []
    for f in findings:
        if f.location.file and _in(f.location.file, rels):
            out.append(f)
        elif ids and ids.intersection(_TOKEN_RE.findall(f.message)):
            out.append(f)
    return out


def finding_key(f: Finding) -> str:
    """Stable key of a finding: ``code|file|message`` with line numbers in the message blanked."""
    msg = _LINE_RE.sub(lambda m: m.group(1) + " N", f.message)
    return f"{f.code}|{f.location.file}|{' '.join(msg.split())}"


def baseline_text(findings: list[Finding]) -> str:
    """The baseline file content for ``findings`` (deterministic JSON)."""
    counts = Counter(finding_key(f) for f in findings)
    entries = []
    for key in sorted(counts):
        code, file, message = key.split("|", 2)
        entries.append({"code": code, "file": file, "message": message, "count": counts[key]})
    return json.dumps({"stdkit_baseline": BASELINE_VERSION, "findings": entries}, ensure_ascii=False, indent=1) + "\n"


def write_baseline(findings: list[Finding], path: Path) -> None:
    """Write the baseline of ``findings`` to ``path`` (atomically)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(baseline_text(findings), encoding="utf-8")
    tmp.replace(path)


def load_baseline(path: Path) -> Counter:
    """Known finding keys and their counts from a baseline file; raises :class:`BaselineError`."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"基线文件 {path} 不存在（用 `stdkit check --write-baseline {path}` 生成）") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BaselineError(f"基线文件 {path} 无法读取：{exc}") from None
    if not isinstance(data, dict) or data.get("stdkit_baseline") != BASELINE_VERSION or not isinstance(
            data.get("findings"), list):
        raise BaselineError(f"{path} 不是 stdkit 基线文件（应由 `stdkit check --write-baseline` 生成）")
    known: Counter = Counter()
    for e in data["findings"]:
        if not isinstance(e, dict) or not all(isinstance(e.get(k), str) for k in ("code", "file", "message")):
            raise BaselineError(f"{path}：条目格式不对：{e!r}")
        count = e.get("count", 1)
        known[f"{e['code']}|{e['file']}|{e['message']}"] += count if isinstance(count, int) and count > 0 else 1
    return known


def apply_baseline(findings: list[Finding], known: Counter) -> tuple[list[Finding], int]:
    """Findings not in the baseline, and how many were hidden."""
    left = Counter(known)
    out: list[Finding] = []
    hidden = 0
    for f in findings:
        k = finding_key(f)
        if left[k] > 0:
            left[k] -= 1
            hidden += 1
        else:
            out.append(f)
    return out, hidden
