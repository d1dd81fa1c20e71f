"""Every finding code stdkit emits, with severity, title and how to fix it.

This table is the single source for the README's and the site's finding-code
reference (``stdkit codes`` prints it).  Families: E0xx read, E1xx schema,
E2xx references, E3xx uniqueness, E4xx cells/domains, E5xx units and
thresholds, E6xx transmission (传导), E7xx coverage, E8xx draft structure
(GB/T 1.1-2020), E85x terminology, W9xx plausibility, W95x drafting language,
A0xx artifacts.
"""
from __future__ import annotations

CODES: dict[str, dict[str, str]] = {
    "E001": {"severity": "error", "title": "file is not UTF-8 text", "fix": "re-save the file as UTF-8"},
    "E002": {"severity": "error", "title": "file is empty", "fix": "add content or delete the file"},
    "E003": {"severity": "error", "title": "YAML syntax error", "fix": "fix indentation, quotes or brackets at the given line and column"},
    "E004": {"severity": "error", "title": "duplicate key in a mapping (one edit would be lost)", "fix": "merge or rename the keys"},
    "E005": {"severity": "error", "title": "anchors/aliases expand without bound (alias bomb)", "fix": "write content out instead of nesting aliases"},
    "E006": {"severity": "error", "title": "unknown top-level key or mixed file kinds", "fix": "use measures:, indicators:, standard:, draft: or registry lists, one kind per file"},
    "E007": {"severity": "error", "title": "top level is not a mapping", "fix": "start the file with a key such as `measures:`"},
    "E008": {"severity": "error", "title": "file too large", "fix": "split the file"},
    "E101": {"severity": "error", "title": "unknown or misspelt field", "fix": "use the suggested field name or remove it"},
    "E102": {"severity": "error", "title": "wrong type or invalid value", "fix": "use the expected type or one of the allowed values"},
    "E103": {"severity": "error", "title": "missing required field", "fix": "add the field"},
    "E104": {"severity": "error", "title": "unsafe id (ids become file names and URLs)", "fix": "use lowercase ASCII letters, digits and single hyphens"},
    "E201": {"severity": "error", "title": "reference to an unknown id", "fix": "define the target or fix the id"},
    "E202": {"severity": "error", "title": "target without indicator", "fix": "name the indicator the target is for"},
    "E203": {"severity": "error", "title": "normative reference not in the catalogue or the external list", "fix": "add it to standards/registry/references.yaml"},
    "E301": {"severity": "error", "title": "duplicate id", "fix": "ids are unique corpus-wide: rename or delete one"},
}
