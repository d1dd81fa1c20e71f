"""Every finding code stdkit emits, with severity, title and how to fix it.

Each code is defined once, in the ``CODES`` dict of the module that emits it; this module
collects them.  The collected table is the single source for the README's and the site's finding-code
reference (``stdkit codes`` prints it).  Families: E0xx read, E1xx schema,
E2xx references, E3xx uniqueness, E4xx cells/domains, E5xx units and
thresholds, E6xx transmission (传导), E7xx coverage, E8xx draft structure
(GB/T 1.1-2020), E85x terminology, W9xx plausibility, W95x drafting language,
A0xx artifacts (``--artifacts``).  The letter gives the severity: ``E`` and
``A`` codes are errors (exit 1), ``W`` codes are warnings (exit 0).
"""
from __future__ import annotations

STAGE_MODULES = ("toolkit.load", "toolkit.validate", "toolkit.corpus")
"""Pipeline stages before the checks that emit codes (read E0xx, schema E1xx, resolve E301)."""

PLAN_MODULES = ("toolkit.evaluate.plan", "toolkit.evaluate.geometry")
"""``stdkit evaluate``'s plan input (E96x plan files, E97x/W97x GeoPackages); their codes are about a
plan, not the corpus, and are triggered by the tests in ``tests/evaluate``."""


def _code_key(code: str) -> tuple[bool, int]:
    """Order of the code table: by number (E0xx … W9xx), artifact codes (A0xx) last."""
    return code.startswith("A"), int(code[1:])


def collect_codes() -> dict[str, dict[str, str]]:
    """Every code, gathered from the ``CODES`` dict of each stage module and each check module.

    Check modules are discovered (:func:`toolkit.checks.family_modules`), so a new
    family adds its codes by defining ``CODES`` in its own module.  Raises
    ``ValueError`` when two modules claim one code.
    """
    import importlib

    from toolkit.checks import family_modules

    out: dict[str, dict[str, str]] = {}
    owner: dict[str, str] = {}
    modules = [importlib.import_module(m) for m in STAGE_MODULES] + family_modules(include_on_demand=True) + \
        [importlib.import_module(m) for m in PLAN_MODULES]
    for mod in modules:
        for code, info in getattr(mod, "CODES", {}).items():
            if code in out:
                raise ValueError(f"finding code {code} defined by both {owner[code]} and {mod.__name__}")
            out[code], owner[code] = info, mod.__name__
    return {c: out[c] for c in sorted(out, key=_code_key)}


CODES: dict[str, dict[str, str]] = collect_codes()
"""Every finding code → ``{"severity", "title", "fix"}``, in table order."""


def markdown_table() -> str:
    """The codes as a Markdown table (``| code | severity | meaning | how to fix |``), used in README and site."""
    lines = ["| code | severity | meaning | how to fix |", "| --- | --- | --- | --- |"]
    for code, info in CODES.items():
        fix = info.get("fix", "").replace("|", "\\|")
        title = info["title"].replace("|", "\\|")
        lines.append(f"| {code} | {info['severity']} | {title} | {fix} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # python -m toolkit.codes  → prints the Markdown table
    print(markdown_table(), end="")
