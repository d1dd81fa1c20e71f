"""Digest of what every output depends on besides the corpus (code, templates, libraries, environment)."""
from __future__ import annotations

import sys
from pathlib import Path

from toolkit.deps import files_digest, sha

__all__ = ["env_digest", "files_digest", "sha", "LIBS"]

LIBS = ("pydantic", "jinja2", "python-docx", "weasyprint", "pydyf", "tinycss2", "fonttools", "pandas", "openpyxl",
        "mkdocs", "mkdocs-material", "pymdown-extensions", "markdown", "jieba", "pyyaml", "ruamel.yaml")
"""Libraries whose versions every job's digest covers (the writers use them)."""


def _epoch(root: Path) -> str:
    """The build epoch as text, or why there is none (the writers then report it)."""
    from toolkit.repro import NoBuildEpoch, build_epoch

    try:
        return str(build_epoch(Path(root)))
    except NoBuildEpoch as exc:
        return f"none: {exc}"


def env_digest(root: Path) -> str:
    """Digest of what every output depends on besides the corpus (hex SHA-256).

    Covers the stdkit version and the source of every ``toolkit`` module (writer code),
    ``templates/`` (the package's and the project's), the versions of :data:`LIBS`, the
    Python version and the build epoch (:func:`toolkit.repro.build_epoch`: every timestamp
    written into an output comes from it).
    """
    from importlib import metadata

    import toolkit

    pkg = Path(toolkit.__file__).resolve().parent
    versions = []
    for lib in LIBS:
        try:
            versions.append(f"{lib}={metadata.version(lib)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{lib}=-")
    epoch = _epoch(root)
    return sha("stdkit", toolkit.__version__, sys.version, epoch, ";".join(versions), files_digest([pkg]),
               files_digest([pkg.parent / "templates", Path(root) / "templates"]))
