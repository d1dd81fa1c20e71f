"""Validate single corpus files against the schema: ``python -m toolkit.validate_file FILE...``.

Prints ``ok`` or the findings of the read and schema stages (the same guards as
``stdkit check``: size, links, tags, nesting, duplicate keys); exit 1 on errors.
A convenience for authors; ``stdkit check`` is the full check.
"""
from __future__ import annotations

import sys
from pathlib import Path

from toolkit.findings import format_finding
from toolkit.load import read_file
from toolkit.validate import validate_file


def main(argv: list[str]) -> int:
    """Check each file of ``argv``; returns 0 when all are valid, else 1."""
    rc = 0
    for arg in argv:
        path = Path(arg).absolute()
        sf, findings = read_file(path, path.parent)
        sf.rel = arg
        if not findings:
            _, findings = validate_file(sf)
        findings = [f.__class__(f.code, f.severity, f.message, f.location.__class__(arg, f.location.line,
                                                                                       f.location.col), f.hint)
                    for f in findings]
        if findings:
            print("\n".join(format_finding(f) for f in findings))
            rc = rc or int(any(f.is_error for f in findings))
        else:
            print(f"{arg}: ok")
    return rc


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
