"""Findings: what checks report about content (never exceptions).

A :class:`Finding` has a code (``E104``), a severity (``error``/``warning``), a
message, a source location (file relative to the corpus root, 1-based line and
column) and a hint saying how to fix it.  :func:`format_finding` prints it the
way compilers do::

    standards/measures/x.yaml:12:5: E104 error: … (hint: …)
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Location:
    """A position in a corpus file: ``file`` relative path, ``line``/``col`` 1-based (0 = unknown)."""

    file: str = ""
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if not self.file:
            return "<corpus>"
        if self.line:
            return f"{self.file}:{self.line}:{self.col or 1}"
        return self.file


@dataclass(frozen=True)
class Finding:
    """One content problem. ``code`` is documented in :mod:`toolkit.codes`."""

    code: str
    severity: Severity
    message: str
    location: Location = field(default_factory=Location)
    hint: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def sort_key(self) -> tuple:
        return (self.location.file, self.location.line, self.location.col, self.code, self.message)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["location"] = asdict(self.location)
        return d


def format_finding(f: Finding) -> str:
    """Render a finding as ``file:line:col: CODE severity: message (hint: …)``."""
    hint = f" (hint: {f.hint})" if f.hint else ""
    return f"{f.location}: {f.code} {f.severity}: {f.message}{hint}"


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Stable, deterministic order: by file, line, column, code; duplicates removed."""
    seen: set = set()
    out: list[Finding] = []
    for f in sorted(findings, key=Finding.sort_key):
        key = (f.code, f.message, f.location)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out
