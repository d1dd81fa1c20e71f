"""``stdkit review apply``: write the proposed text of 采纳 comments into the draft YAML.

A comment applies when its disposition is 采纳 and it carries ``original`` (the text the
reviewer changed, as circulated) and ``proposal`` (the new text) — tracked changes
always do; form rows do when the drafter fills both.  The text is replaced inside the
one string of the clause (its title, a paragraph, a 列项 entry, a term's definition)
that contains ``original``; only that scalar's characters in the file change: its
position comes from ruamel.yaml's round-trip composer (``start_mark``/``end_mark``),
the rest of the file — formatting, comments, quoting — stays byte-for-byte.

Refusals (nothing is written for the standard when any comment is refused):

* the clause changed since the round (its record differs from the draft at the round's
  ``revision``) and the proposal is not already in it;
* ``original`` is found in none, or in more than one, of the clause's strings.

A comment whose proposal is already in the clause (and whose original is gone) is
reported as already applied.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

from toolkit.corpus import Corpus, draft_clauses
from toolkit.review.rounds import RoundError, clause_models, round_clause_models


@dataclass
class ApplyResult:
    """Outcome for one standard: ``applied``/``already``/``refused`` as (round/comment id, message); ``path`` of the draft."""

    path: Path | None
    applied: list[tuple[str, str]] = field(default_factory=list)
    already: list[tuple[str, str]] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    written: bool = False


def _record_paths(d) -> dict[str, tuple]:
    out: dict[str, tuple] = {}
    for cl, p in draft_clauses(d):
        out[cl.id] = p
        for b in cl.blocks:
            if getattr(b, "id", None):  # a table: edited within the clause that holds it
                out.setdefault(b.id, p)
    for i, a in enumerate(d.annexes):
        for b in a.blocks:
            if getattr(b, "id", None):
                out.setdefault(b.id, ("annexes", i))
    for i, t in enumerate(d.terms):
        out[t.id] = ("terms", i)
    for i, a in enumerate(d.annexes):
        out[a.id] = ("annexes", i)
    return out


def _node_at(node, path: tuple):
    for part in path:
        if isinstance(node, MappingNode):
            node = next(v for k, v in node.value if k.value == part)
        elif isinstance(node, SequenceNode):
            node = node.value[part]
        else:
            raise KeyError(part)
    return node


def _strings(node, skip_children: bool = True):
    """Every scalar string of a clause record except its ids and its sub-clauses."""
    if isinstance(node, ScalarNode):
        yield node
    elif isinstance(node, MappingNode):
        for k, v in node.value:
            if k.value in ("id", "type", "style", "kind", "source", "drafted", "review") or (
                    skip_children and k.value == "clauses"):
                continue
            yield from _strings(v, skip_children)
    elif isinstance(node, SequenceNode):
        for v in node.value:
            yield from _strings(v, skip_children)


def _all_scalars(node):
    if isinstance(node, ScalarNode):
        yield node
    elif isinstance(node, MappingNode):
        for k, v in node.value:
            yield from _all_scalars(k)
            yield from _all_scalars(v)
    elif isinstance(node, SequenceNode):
        for v in node.value:
            yield from _all_scalars(v)


def render_scalar(value: str, style: str | None) -> str:
    """``value`` written as a YAML scalar in the style it had (plain if still safe, else double-quoted)."""
    if style in (None, "") and "\n" not in value:
        try:
            if pyyaml.safe_load(f"k: {value}") == {"k": value}:
                return value
        except pyyaml.YAMLError:
            pass
    if style == "'" and "\n" not in value:
        return "'" + value.replace("'", "''") + "'"
    return json.dumps(value, ensure_ascii=False)


def apply_standard(corpus: Corpus, root: Path, standard_id: str, dry_run: bool = False) -> ApplyResult:
    """Apply the 采纳 comments of every round of ``standard_id`` to ``standards/drafts/<id>.yaml``.

    Returns what was applied, already applied and refused; writes the file (atomically)
    only when something applies and nothing is refused.
    """
    rec = corpus.records.get(("draft", standard_id))
    res = ApplyResult(None)
    if rec is None:
        res.refused.append(("-", f"{standard_id} has no draft"))
        return res
    path = Path(root) / rec.source.rel
    res.path = path
    text = path.read_text(encoding="utf-8")
    draft = corpus.drafts[standard_id]
    paths = _record_paths(draft)
    now = clause_models(draft)
    tree = YAML().compose(text)
    edits: dict[int, tuple[int, str, str]] = {}  # start index → (end index, new scalar text, new value)
    values: dict[int, str] = {}
    for rnd in corpus.reviews_of(standard_id):
        pending = [c for c in rnd.comments if c.disposition == "采纳" and c.proposal and c.original and c.clause]
        if not pending:
            continue
        try:
            then = round_clause_models(corpus, Path(root), standard_id, rnd.revision) if rnd.revision else None
        except RoundError as exc:
            for c in pending:
                res.refused.append((f"{rnd.round}/{c.id}", str(exc)))
            continue
        for c in pending:
            key = f"{rnd.round}/{c.id}"
            where = f"{c.clause}（{c.clause_number or '?'}）"
            if c.clause not in paths:
                res.refused.append((key, f"clause {where} no longer exists in the draft"))
                continue
            node = _node_at(tree, ("draft", *paths[c.clause]))
            scalars = [s for s in _strings(node) if isinstance(s.value, str)]
            cur = {id(s): values.get(s.start_mark.index, s.value) for s in scalars}
            hits = [s for s in scalars if c.original in cur[id(s)]]
            if not hits and any(c.proposal in cur[id(s)] for s in scalars):
                res.already.append((key, f"{where}: proposed text is already in the draft"))
                continue
            if then is not None and then.get(c.clause) != now.get(c.clause):
                res.refused.append((key, f"clause {where} changed since round {rnd.round} "
                                         f"(revision {rnd.revision[:12]}); re-check the comment against the new text"))
                continue
            if len(hits) != 1:
                res.refused.append((key, f"clause {where}: the text “{c.original[:30]}” is found "
                                         f"{'nowhere' if not hits else f'{len(hits)} times'} in it"))
                continue
            s = hits[0]
            new_value = cur[id(s)].replace(c.original, c.proposal, 1)
            values[s.start_mark.index] = new_value
            edits[s.start_mark.index] = (s.end_mark.index, render_scalar(new_value, s.style), new_value)
            res.applied.append((key, f"{where}: “{c.original[:20]}…” → “{c.proposal[:20]}…”"))
    if res.refused or not edits or dry_run:
        return res
    out = text
    for start in sorted(edits, reverse=True):
        end, scalar, _ = edits[start]
        out = out[:start] + scalar + out[end:]
    before = list(_all_scalars(tree))
    after = list(_all_scalars(YAML().compose(out)))
    intended = [values.get(n.start_mark.index, n.value) for n in before]
    if len(before) != len(after) or intended != [n.value for n in after]:  # a bug, never written
        raise RuntimeError(f"review apply: editing {path} would change more than the proposed text")
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(out, encoding="utf-8")
    os.replace(tmp, path)
    res.written = True
    return res
