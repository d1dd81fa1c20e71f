"""E4xx applicability: every target says, in the facet vocabulary, where it applies.

``stdkit evaluate`` matches a target against a plan by its level, plan type, year and
``applies:`` facets (``standards/registry/facets.yaml``); the free-text ``context`` is
for reading only.  Case values (``case:``) never apply and need no ``applies``.

* W404 a non-case target has no ``applies:`` (its applicability cannot be stated, so a
  plan cannot be checked against it; ``scripts/migrate_applicability.py`` fills it from
  ``context`` where the mapping table can),
* E405 ``applies:`` names a facet or a facet value that is not in the vocabulary.
"""
from __future__ import annotations

import difflib

from toolkit.checks import register
from toolkit.corpus import Corpus
from toolkit.findings import Finding

CODES: dict[str, dict[str, str]] = {
    "W404": {"severity": "warning", "title": "target without structured applicability (`applies:`): no plan can be evaluated against it",
             "fix": "state `applies:` with facets of standards/registry/facets.yaml (`{}` for the whole level × plan type), "
                    "add a rule to scripts/migrate_applicability.py, or mark a case value with `case:`"},
    "E405": {"severity": "error", "title": "`applies:` names a facet or facet value not in the vocabulary",
             "fix": "use a facet id and value ids of standards/registry/facets.yaml (or add them there)"},
}
"""Finding codes this module emits (collected by :mod:`toolkit.codes`)."""


def _close(word: str, options) -> str:
    close = difflib.get_close_matches(word, sorted(options), n=1, cutoff=0.5)
    return f"did you mean `{close[0]}`?" if close else f"one of: {', '.join(sorted(options)[:12])}"


@register("applicability", scope="interface")
def check_applicability(c: Corpus) -> list[Finding]:
    """W404 for non-case targets without ``applies``; E405 for unknown facets or values in ``applies``."""
    out: list[Finding] = []
    for rt in c.targets:
        t = rt.target
        if t.case:
            continue
        name = c.indicators[rt.indicator].name if rt.indicator in c.indicators else rt.indicator
        if t.applies is None:
            out.append(Finding("W404", "warning",
                               f"target for `{rt.indicator}`（{name}）has no `applies:`; context “{t.context}” "
                               "is not stated as level, plan type, year and facets",
                               rt.location, CODES["W404"]["fix"]))
            continue
        for key, values in t.applies.items():
            facet = c.facets.get(key)
            if facet is None:
                out.append(Finding("E405", "error", f"target for `{rt.indicator}` applies to unknown facet `{key}`",
                                   rt.location, _close(key, c.facets) if c.facets else
                                   "no facets are registered: add standards/registry/facets.yaml"))
                continue
            known = {v.id for v in facet.values}
            for v in values:
                if v not in known:
                    out.append(Finding("E405", "error",
                                       f"target for `{rt.indicator}`: `{v}` is not a value of facet `{key}`（{facet.name}）",
                                       rt.location, _close(v, known)))
    return out
