"""Writer: ``build/data/corpus.json`` — the resolved corpus as JSON.

Shape: ``{"levels": [...], "plan_types": [...], "cells": [...], "domains": [...],
"scales": [...], "goals": [...], "units": [...], "references": [...],
"measures": [...], "indicators": [...], "standards": [...], "drafts": [...]}``;
each record is its model dump (no ``None`` fields), lists in deterministic order
(五级三类 order for cells, ids otherwise). Indicators also carry ``targets_resolved``
(every target stated anywhere, with origin) and ``used_by``.
"""
from __future__ import annotations

import json
from pathlib import Path

from toolkit.corpus import Corpus


def corpus_dict(c: Corpus) -> dict:
    """The corpus as plain JSON-able data (see module doc for the shape)."""
    def dump(x):
        return x.model_dump(mode="json", exclude_none=True)

    indicators = []
    for ind in sorted(c.indicators.values(), key=lambda i: i.id):
        d = dump(ind)
        d["targets_resolved"] = [
            {**rt.target.model_dump(mode="json", exclude_none=True), "indicator": rt.indicator,
             "level": rt.level, "plan_type": rt.plan_type, "origin": list(rt.origin)}
            for rt in c.targets_of(ind.id)
        ]
        d["used_by"] = c.users_of(ind.id)
        indicators.append(d)
    return {
        "levels": [dump(x) for x in sorted(c.levels.values(), key=lambda x: x.order)],
        "plan_types": [dump(x) for x in sorted(c.plan_types.values(), key=lambda x: x.order)],
        "cells": [dump(x) for x in c.cells_sorted()],
        "domains": [dump(x) for x in c.domains_sorted()],
        "scales": [dump(x) for x in c.scales_sorted()],
        "goals": [dump(x) for x in c.goals_sorted()],
        "units": [dump(x) for x in c.units.values()],
        "references": [dump(x) for x in sorted(c.references.values(), key=lambda x: x.id)],
        "measures": [dump(x) for x in sorted(c.measures.values(), key=lambda x: x.id)],
        "indicators": indicators,
        "standards": [dump(x) for x in c.standards_sorted()],
        "drafts": [dump(x) for _, x in sorted(c.drafts.items())],
    }


def write_corpus_json(c: Corpus, out: Path) -> list[Path]:
    """Write ``out/data/corpus.json`` (UTF-8, sorted keys, 1-space indent); returns the path written."""
    path = out / "data" / "corpus.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(corpus_dict(c), ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return [path]


class DataOutput:
    """Build output ``data``: ``build/data/corpus.json`` (one job; see :class:`toolkit.render.base.Output`)."""

    name = "data"
    reads: tuple[str, ...] = ()
    names_of: tuple[str, ...] = ()

    def plan(self, ctx) -> list:
        from toolkit.render.base import Job

        return [Job(self.name, self.name)]

    def run(self, ctx, job) -> list[Path]:
        return write_corpus_json(ctx.corpus, ctx.out)


OUTPUT = DataOutput()
