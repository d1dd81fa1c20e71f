"""Every finding code stdkit emits, with severity, title and how to fix it.

This table is the single source for the README's and the site's finding-code
reference (``stdkit codes`` prints it).  Families: E0xx read, E1xx schema,
E2xx references, E3xx uniqueness, E4xx cells/domains, E5xx units and
thresholds, E6xx transmission (传导), E7xx coverage, E8xx draft structure
(GB/T 1.1-2020), E85x terminology, W9xx plausibility, W95x drafting language,
A0xx artifacts (``--artifacts``).  The letter gives the severity: ``E`` and
``A`` codes are errors (exit 1), ``W`` codes are warnings (exit 0).
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
    "E302": {"severity": "error", "title": "nested id (clause, table, annex, term, revision row, problem, lever, countermeasure) used twice in the corpus",
             "fix": "rename one; prefix draft-local ids with the standard's short name (e.g. `dpg-…`, `tab-dpg-…`)"},
    "W303": {"severity": "warning", "title": "two records of one kind share a title (clauses: among siblings; tables, annexes: within a draft)",
             "fix": "give each its own title, or merge the two records"},
    "E401": {"severity": "error", "title": "measure in a level × plan-type cell that does not exist (e.g. 国家级详细规划) or at an unknown level/plan type",
             "fix": "use one of the twelve cells of standards/registry/system.yaml"},
    "E402": {"severity": "error", "title": "measure in an unknown domain", "fix": "use a domain id: energy, industry, transport, buildings, waste, agriculture, sinks"},
    "E403": {"severity": "error", "title": "target applies to a level × plan type that is not a cell", "fix": "fix the target's `level`/`plan_type`"},
    "E501": {"severity": "error", "title": "indicator unit not in the controlled vocabulary", "fix": "use a unit id from standards/registry/units.yaml (or add the unit there)"},
    "E502": {"severity": "error", "title": "target quoted in a unit other than its indicator's", "fix": "convert the value to the indicator's unit, or drop the target's `unit:`"},
    "E503": {"severity": "error", "title": "two targets disagree on the threshold for the same indicator and context (level, plan type, context, year)",
             "fix": "state the same value in both places, or distinguish the contexts"},
    "E504": {"severity": "error", "title": "declared plausible range is empty (min > max)", "fix": "write `range: [min, max]`"},
    "E601": {"severity": "error", "title": "transmission (传导): a lower level or plan type sets a looser target than the one above it",
             "fix": "tighten the lower target, relax the upper one, or check the indicator's `direction`"},
    "E701": {"severity": "error", "title": "near-term standard without levers (重要抓手)", "fix": "add `levers:` from the report's §9.1 table"},
    "E702": {"severity": "error", "title": "lever without countermeasures (核心对策)", "fix": "add `countermeasures:` under the lever"},
    "W703": {"severity": "warning", "title": "countermeasure names no indicator", "fix": "add `indicators:` unless the report gives none"},
    "W704": {"severity": "warning", "title": "orphan indicator: used by no measure, standard or draft", "fix": "reference it from a measure or standard, or remove it"},
    "E705": {"severity": "error", "title": "binding (约束性) indicator with no numeric target and no `set_locally: true`",
             "fix": "add the report's target, or `set_locally: true` when the local plan fixes it"},
    "W706": {"severity": "warning", "title": "五级三类 cell without measures", "fix": "add measures for the cell"},
    "E801": {"severity": "error", "title": "draft lacks a required element (前言, 范围, 规范性引用文件, or 术语和定义 when terms are defined)",
             "fix": "add the element: `foreword:`, or a chapter with `kind: scope|normrefs|terms`"},
    "E802": {"severity": "error", "title": "fixed element (范围/规范性引用文件/术语和定义) repeated or below chapter level", "fix": "keep one top-level chapter of each"},
    "E803": {"severity": "error", "title": "draft elements out of GB/T 1.1-2020 order", "fix": "order chapters 1 范围, 2 规范性引用文件, 3 术语和定义, then technical chapters"},
    "E804": {"severity": "error", "title": "table or annex never cited with [[id]] in the text outside itself", "fix": "cite it where the text relies on it, e.g. “应符合[[tab-x]]的规定”"},
    "E805": {"severity": "error", "title": "defined term never used after 术语和定义", "fix": "use it in the provisions or drop the definition"},
    "E806": {"severity": "error", "title": "chapter or annex without a title", "fix": "give it a `title:`"},
    "W807": {"severity": "warning", "title": "悬置段: paragraphs before a clause's sub-clauses", "fix": "move them into a sub-clause"},
    "W808": {"severity": "warning", "title": "clause with a single sub-clause", "fix": "split into two or more sub-clauses, or merge"},
    "W809": {"severity": "warning", "title": "sibling clauses mix titled and untitled clauses", "fix": "title all clauses of a level, or none"},
    "W810": {"severity": "warning", "title": "normative reference never cited in the text by code or title", "fix": "cite it in a provision, or move it to 参考文献"},
    "E851": {"severity": "error", "title": "term defined differently in two drafts", "fix": "use one definition (copy the existing wording) or a different term"},
    "E852": {"severity": "error", "title": "term defined twice in one draft", "fix": "keep one entry"},
    "W901": {"severity": "warning", "title": "target value outside the indicator's or unit's plausible range", "fix": "check the value against the source; declare `range:` on the indicator if it is right"},
    "W902": {"severity": "warning", "title": "percentage outside 0–100", "fix": "check the value; declare `range:` on the indicator if it can exceed 100"},
    "W903": {"severity": "warning", "title": "target value marked `review:` (looks wrong in the source, kept as printed)", "fix": "confirm against the source, then remove `review:`"},
    "E904": {"severity": "error", "title": "range target with minimum above maximum", "fix": "swap `value` and `value_max`"},
    "W905": {"severity": "warning", "title": "indicator or standard marked `review:` (open reviewer question)", "fix": "resolve the question, then remove `review:`"},
    "W951": {"severity": "warning", "title": "non-standard 能愿动词 in a provision (必须/务必/须/不得/可以/无须)", "fix": "use 应/不应 (requirement), 宜/不宜 (recommendation), 可/不必 (permission)"},
    "W952": {"severity": "warning", "title": "one sentence mixes a requirement (应) and a recommendation (宜)", "fix": "split it into one sentence per provision type"},
    "W953": {"severity": "warning", "title": "half-width punctuation , ; : ( ) in Chinese text", "fix": "use full-width ，；：（）"},
    "W954": {"severity": "warning", "title": "standard code not written as `GB/T 1.1—2020`", "fix": "one space after the prefix, an em dash (—) before the year"},
    "W955": {"severity": "warning", "title": "term used before the clause that defines it", "fix": "reorder `terms:` or reword"},
    "A001": {"severity": "error", "title": "build artifact missing (build/, a file, or a site page)", "fix": "run `stdkit build`"},
    "A002": {"severity": "error", "title": "build artifact cannot be read (corrupt JSON, XLSX, DOCX or PDF)", "fix": "rebuild; if it persists, the writer has a bug"},
    "A003": {"severity": "error", "title": "record of the source missing from a build artifact", "fix": "rebuild; if it persists, the writer drops the record"},
    "A004": {"severity": "error", "title": "record in a build artifact differs from the source", "fix": "rebuild; if it persists, the writer alters the record"},
    "A005": {"severity": "error", "title": "build artifact holds a record that is not in the source (stale build)", "fix": "rebuild"},
}


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
