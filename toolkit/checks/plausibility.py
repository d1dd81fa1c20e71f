"""W9xx plausibility: values that look wrong surface as warnings (never errors).

The plausible interval of a value is the indicator's ``range`` if it declares
one, else its unit's ``range`` (``standards/registry/units.yaml``).

* W901 a target value lies outside the indicator's or unit's plausible range,
* W902 a percentage lies outside 0–100 (unless the indicator declares its own ``range``,
  e.g. 空地率 can exceed 100 %),
* W903 a target carries ``review:`` (the source value looks wrong and is kept as
  printed, e.g. the report's 人均公园绿地 ≥ 114 m²/人),
* E904 a ``range`` target whose minimum exceeds its maximum (a contradiction, so an error),
* W905 an indicator or standard carries ``review:`` (a reviewer's question is open).
"""
from __future__ import annotations

from toolkit.checks import register
from toolkit.checks.units import value_text
from toolkit.corpus import Corpus
from toolkit.document import format_number
from toolkit.findings import Finding

CODES: dict[str, dict[str, str]] = {
    "W901": {"severity": "warning", "title": "target value outside the indicator's or unit's plausible range",
             "fix": "check the value against the source; declare `range:` on the indicator if it is right"},
    "W902": {"severity": "warning", "title": "percentage outside 0–100",
             "fix": "check the value; declare `range:` on the indicator if it can exceed 100"},
    "W903": {"severity": "warning", "title": "target value marked `review:` (looks wrong in the source, kept as printed)",
             "fix": "confirm against the source, then remove `review:`"},
    "E904": {"severity": "error", "title": "range target with minimum above maximum",
             "fix": "swap `value` and `value_max`"},
    "W905": {"severity": "warning", "title": "indicator or standard marked `review:` (open reviewer question)",
             "fix": "resolve the question, then remove `review:`"},
}
"""Finding codes this module emits (collected by :mod:`toolkit.codes`)."""


def _short(s: str, n: int = 80) -> str:
    """The note in full (whitespace collapsed); never cut: the drafter needs the whole question."""
    return " ".join(s.split())


@register("plausibility", scope="interface")
def check_plausibility(c: Corpus) -> list[Finding]:
    """W901, W902, W903, E904, W905 (see module doc)."""
    out: list[Finding] = []
    for rt in c.targets:
        ind = c.indicators.get(rt.indicator)
        if ind is None:
            continue
        t = rt.target
        values = [t.value] + ([t.value_max] if t.value_max is not None else [])
        shown = value_text(t, ind.unit)
        if t.comparator == "range" and t.value_max is not None and t.value > t.value_max:
            out.append(Finding("E904", "error",
                               f"range target for `{ind.id}` goes from {format_number(t.value)} down to "
                               f"{format_number(t.value_max)}",
                               rt.location, "write `value` as the minimum and `value_max` as the maximum"))
        unit = c.units.get(ind.unit)
        if ind.unit == "%" and not ind.range and any(v < 0 or v > 100 for v in values):
            out.append(Finding("W902", "warning",
                               f"`{ind.id}`（{ind.name}）target {shown} is a percentage outside 0–100",
                               rt.location, "check the figure against the source; keep it and add `review:` if the "
                                            "source really prints it"))
        else:
            lo_hi = ind.range or (unit.range if unit else None)
            if lo_hi and any(v < lo_hi[0] or v > lo_hi[1] for v in values):
                whose = "indicator's" if ind.range else f"unit `{ind.unit}`'s"
                out.append(Finding("W901", "warning",
                                   f"`{ind.id}`（{ind.name}）target {shown} lies outside the {whose} plausible range "
                                   f"[{format_number(lo_hi[0])}, {format_number(lo_hi[1])}]",
                                   rt.location, "check the figure against the source; if it is right, declare "
                                                "`range:` on the indicator"))
        if t.review:
            out.append(Finding("W903", "warning",
                               f"`{ind.id}`（{ind.name}）target {shown} is marked for review: {_short(t.review)}",
                               rt.location, "confirm the value against the source, then remove `review:`"))
    for ind in c.indicators.values():
        if ind.review:
            out.append(Finding("W905", "warning", f"indicator `{ind.id}`（{ind.name}）is marked for review: "
                                                  f"{_short(ind.review)}",
                               c.where("indicator", ind.id, "review"), "resolve the question, then remove `review:`"))
    for st in c.standards.values():
        if st.review:
            out.append(Finding("W905", "warning", f"standard `{st.id}`（{st.title}）is marked for review: "
                                                  f"{_short(st.review)}",
                               c.where("standard", st.id, "review"), "resolve the question, then remove `review:`"))
    return out
