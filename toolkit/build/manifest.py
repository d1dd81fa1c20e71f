"""The build manifest ``build/.stdkit-manifest.json``: what the last build ran, read and wrote.

Shape (version 2)::

    {"version": 2,
     "env": "<digest of code, templates, libraries>",          (toolkit.build.digest)
     "outputs": {"<output>": {"plan": {probe: digest}, "jobs": [key, ...],
                              "reads": [...], "names_of": [...]}},
     "jobs": {"<key>": {"output", "args", "after", "names_of", "cost", "reuses_previous",
                        "deps": {probe: digest}, "outputs": ["relative/path", ...]}}}

``plan`` holds what the output's ``plan()`` read, ``deps`` what the job read (probes of
:mod:`toolkit.deps`).  A manifest that cannot be read, has another version or a wrong
shape counts as absent: the next build rebuilds everything (and says so).
"""
from __future__ import annotations

import json
from pathlib import Path

from toolkit.build import MANIFEST_NAME, BuildError

MANIFEST_VERSION = 2


def read_manifest(build_dir: Path) -> tuple[dict | None, str]:
    """The manifest of a previous build, or ``(None, reason)``; reason is ``""`` when there is none at all."""
    path = Path(build_dir) / MANIFEST_NAME
    if not path.exists():
        return None, ""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return None, f"unreadable ({type(exc).__name__})"
    if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
        return None, "from another stdkit version"
    if not (isinstance(data.get("jobs"), dict) and isinstance(data.get("outputs"), dict)
            and isinstance(data.get("env"), str)
            and all(isinstance(v, dict) and isinstance(v.get("outputs"), list) and isinstance(v.get("deps"), dict)
                    for v in data["jobs"].values())
            and all(isinstance(v, dict) and isinstance(v.get("plan"), dict) and isinstance(v.get("jobs"), list)
                    for v in data["outputs"].values())):
        return None, "malformed"
    return data, ""


def write_manifest(out: Path, env: str, outputs: dict[str, dict], jobs: dict[str, dict]) -> Path:
    """Write ``out/.stdkit-manifest.json`` (sorted, deterministic); returns its path.

    Raises :class:`BuildError` if two jobs claim the same file.
    """
    claimed: dict[str, str] = {}
    for k, v in sorted(jobs.items()):
        for o in v["outputs"]:
            if o in claimed:
                raise BuildError(f"jobs {claimed[o]} and {k} both write {o}")
            claimed[o] = k
    path = Path(out) / MANIFEST_NAME
    data = {"version": MANIFEST_VERSION, "env": env, "outputs": outputs, "jobs": dict(sorted(jobs.items()))}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    return path
