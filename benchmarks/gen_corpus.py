"""Write a synthetic but realistic stdkit project of N standards: ``gen_corpus.py N OUT``.

The synthetic corpus is the real one (``standards/`` of this repository) scaled
by N / (size of the real catalogue):

* ``standards/registry/*`` is copied unchanged (levels, plan types, the twelve
  cells, domains, goals, units, external references);
* "sets" j = 0, 1, … each hold a copy of every real measure, indicator and
  catalogue record with ids suffixed ``-s<j>`` (titles and names of set j > 0
  get ``（第j+1组）`` so titles stay unique within their kind); references
  inside a set point into the same set;
* every synthetic standard gets a draft: its own real draft if it has one, else
  a real draft of the same kind of work (new standard, revision of a published
  standard, revision of an unpublished document), preferably of the type its title
  names, chosen round-robin — its ``doc_type`` and the verb of its 范围 then fit
  the title — with every id inside the draft suffixed ``-d<i>`` (i = index of the
  standard) and ``standard:`` pointing at its owner; in set j > 0 the text names
  the set's own indicators (``（第j+1组）`` added, term definitions left alone);
  a real draft's review rounds go with each of its copies;
* the last set is cut so that exactly N catalogue records exist; references to
  the cut standards are dropped (``[[id]]`` in text becomes the title), and an
  indicator that only a cut standard used is adopted by the first kept standard
  of the set so that nothing becomes an orphan.

With the real corpus at 24 catalogue records, 165 measures, ~115 indicators
and six drafts of ~40 clauses, N = 1000 gives 1000 drafts (~44 000 clauses),
~6 900 measures and ~4 800 indicators.

``OUT`` also gets symlinks to the repository's ``mkdocs.yml``, ``templates/``
and ``site/`` (when present) so that ``stdkit build`` works from inside OUT.
Output is deterministic (same N and same real corpus → same bytes).
"""
from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path
from typing import Any, Callable

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from toolkit.checks.genre import SCOPE_VERBS, TITLE_TYPES  # noqa: E402
from toolkit.refs_order import is_unpublished  # noqa: E402
REF_RE = re.compile(r"\[\[([a-z0-9][a-z0-9-]*)\]\]")

try:
    _Loader = yaml.CSafeLoader
    _Dumper = yaml.CSafeDumper
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader
    _Dumper = yaml.SafeDumper


def _load(path: Path) -> Any:
    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_Loader)


def _dump(data: Any, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        yaml.dump(data, fh, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)


def _ids_in(node: Any, out: set[str]) -> set[str]:
    """Every value of an ``id`` key anywhere below ``node``."""
    if isinstance(node, dict):
        v = node.get("id")
        if isinstance(v, str):
            out.add(v)
        for x in node.values():
            _ids_in(x, out)
    elif isinstance(node, list):
        for x in node:
            _ids_in(x, out)
    return out


def _rewrite(node: Any, mapping: dict[str, str | None], label: Callable[[str], str]) -> Any:
    """Copy of ``node`` with ids renamed by ``mapping``.

    A string equal to a mapped id is renamed; inside text, ``[[id]]`` is renamed,
    or replaced by ``label(id)`` when the mapping is ``None`` (a cut record).
    List items that name a cut record are dropped.  Dict keys are left alone
    (they name registry records, e.g. the cells of a matrix block).
    """
    if isinstance(node, dict):
        return {k: _rewrite(v, mapping, label) for k, v in node.items()}
    if isinstance(node, list):
        out = []
        for x in node:
            if isinstance(x, str) and x in mapping and mapping[x] is None:
                continue
            out.append(_rewrite(x, mapping, label))
        return out
    if isinstance(node, str):
        if node in mapping:
            new = mapping[node]
            return new if new is not None else node
        if "[[" in node:
            def sub(mt: re.Match) -> str:
                rid = mt.group(1)
                if rid not in mapping:
                    return mt.group(0)
                new = mapping[rid]
                return f"[[{new}]]" if new is not None else label(rid)
            return REF_RE.sub(sub, node)
    return node


def _indicator_refs(node: Any, indicator_ids: set[str], out: set[str]) -> set[str]:
    """Indicator ids named anywhere below ``node`` (as values or ``[[id]]``)."""
    if isinstance(node, dict):
        for x in node.values():
            _indicator_refs(x, indicator_ids, out)
    elif isinstance(node, list):
        for x in node:
            _indicator_refs(x, indicator_ids, out)
    elif isinstance(node, str):
        if node in indicator_ids:
            out.add(node)
        elif "[[" in node:
            out.update(r for r in REF_RE.findall(node) if r in indicator_ids)
    return out


def _title_type(title: str) -> str:
    """The document type a title names at its end (规范/规程/指南), or ``""``."""
    return next((t for t in TITLE_TYPES if title.endswith(t)), "")


def _code_kind(rec: dict) -> str:
    code = rec.get("code") or ""
    return "published" if code and not is_unpublished(code.split("—")[0]) else "none"


def _template(owner: dict, title: str, order: list[str], records: dict, i: int) -> str:
    """A real draft for a standard that has none: one of the same kind of work (a revision of a
    published standard, of an unpublished document, or a new standard), preferably of the type
    its title names; chosen round-robin by the standard's index ``i``."""
    action = "revise" if owner.get("action") == "revise" else "new"

    def shape(sid: str) -> tuple[str, str]:
        rec = records[sid]
        return ("revise" if rec.get("action") == "revise" else "new"), _code_kind(rec)

    cands = ([t for t in order if shape(t) == (action, _code_kind(owner))]
             or [t for t in order if shape(t)[0] == action] or order)
    same = [t for t in cands if _title_type(records[t]["title"]) == _title_type(title)]
    pool = same or cands
    return pool[i % len(pool)]


def _fit_doc_type(draft: dict, title: str) -> None:
    """Make a borrowed draft's ``doc_type`` (and the verb of its 范围) the type its new title names."""
    want = _title_type(title)
    if not want or draft.get("doc_type") in (None, want):
        return
    verbs = SCOPE_VERBS.get(draft["doc_type"], ())
    draft["doc_type"] = want
    for ch in draft.get("clauses", []):
        if ch.get("kind") == "scope":
            for b in ch.get("blocks", []):
                if b.get("type") == "p":
                    text = b["text"]
                    for v in verbs:
                        text = text.replace(v, SCOPE_VERBS[want][0])
                    b["text"] = text
                    return


def _renamed(node: Any, names_rx: re.Pattern, mark: str) -> Any:
    """Copy of ``node`` where every indicator name in text gets the set's ``mark`` (names are unique per set)."""
    if isinstance(node, dict):  # a term keeps one definition across the standards (E851): left alone
        return {k: (v if k == "terms" else _renamed(v, names_rx, mark)) for k, v in node.items()}
    if isinstance(node, list):
        return [_renamed(x, names_rx, mark) for x in node]
    if isinstance(node, str):
        return names_rx.sub(lambda mt: mt.group(0) + mark, node)
    return node


def generate(n: int, out: Path, source: Path = REPO) -> dict[str, int]:
    """Write the synthetic project of ``n`` standards under ``out``; returns counts written.

    Raises ``ValueError`` if ``n < 1`` or the source corpus has no catalogue or no draft.
    """
    if n < 1:
        raise ValueError("N must be at least 1")
    std_dir = source / "standards"
    registry, measures_files, indicator_files, catalogue, drafts, other = [], [], [], [], {}, []
    reviews: dict[str, list] = {}
    for path in sorted(std_dir.rglob("*.yaml")):
        data = _load(path)
        rel = path.relative_to(std_dir)
        if not isinstance(data, dict):
            other.append(rel)
        elif "measures" in data:
            measures_files.append((rel, data))
        elif "indicators" in data:
            indicator_files.append((rel, data))
        elif "standard" in data:
            catalogue.append((rel, data))
        elif "draft" in data:
            drafts[data["draft"]["standard"]] = (rel, data)
        elif "review" in data:
            reviews.setdefault(data["review"]["standard"], []).append((rel, data))
        else:
            registry.append(rel)
    if not catalogue or not drafts:
        raise ValueError(f"{std_dir} holds no catalogue record or no draft to scale")

    if out.exists():
        shutil.rmtree(out / "standards", ignore_errors=True)
    (out / "standards").mkdir(parents=True, exist_ok=True)
    for rel in registry + other:
        dst = out / "standards" / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(std_dir / rel, dst)
    for name in ("mkdocs.yml", "templates", "site"):
        link = out / name
        if (source / name).exists() and not link.exists() and not link.is_symlink():
            link.symlink_to(source / name)

    record_ids: set[str] = set()
    for _, data in measures_files + indicator_files + catalogue:
        _ids_in(data, record_ids)
    indicator_ids = {r["id"] for _, d in indicator_files for r in d["indicators"]}
    titles = {d["standard"]["id"]: d["standard"]["title"] for _, d in catalogue}
    records = {d["standard"]["id"]: d["standard"] for _, d in catalogue}
    draft_order = sorted(drafts)
    base_names = sorted({r["name"] for _, d in indicator_files for r in d["indicators"]}, key=len, reverse=True)
    names_rx = re.compile("|".join(re.escape(x) for x in base_names)) if base_names else None
    per_set = len(catalogue)
    n_sets = -(-n // per_set)
    counts = {"standards": 0, "drafts": 0, "measures": 0, "indicators": 0}

    for j in range(n_sets):
        kept = catalogue[: n - j * per_set] if j == n_sets - 1 else catalogue
        kept_ids = {d["standard"]["id"] for _, d in kept}
        mapping: dict[str, str | None] = {i: f"{i}-s{j}" for i in record_ids}
        for _, d in catalogue:
            if d["standard"]["id"] not in kept_ids:
                for i in _ids_in(d, set()):
                    mapping[i] = None

        def label(rid: str) -> str:
            return f"《{titles.get(rid, rid)}》"

        mark = "" if j == 0 else f"（第{j + 1}组）"
        # Indicators that only cut standards use are adopted by the first kept standard.
        used: set[str] = set()
        for _, d in measures_files:
            _indicator_refs(d, indicator_ids, used)
        for _, d in kept:
            _indicator_refs(d, indicator_ids, used)
        adopt = sorted(indicator_ids - used)

        for rel, data in measures_files:
            new = _rewrite(data, mapping, label)
            for rec in new["measures"]:
                rec["title"] += mark
            counts["measures"] += len(new["measures"])
            _dump(new, out / "standards" / rel.with_name(f"{rel.stem}-s{j}.yaml"))
        for rel, data in indicator_files:
            new = _rewrite(data, mapping, label)
            for rec in new["indicators"]:
                rec["name"] += mark
            counts["indicators"] += len(new["indicators"])
            _dump(new, out / "standards" / rel.with_name(f"{rel.stem}-s{j}.yaml"))
        for k, (rel, data) in enumerate(kept):
            i = j * per_set + k
            std = _rewrite(data, mapping, label)
            std["standard"]["title"] += mark
            if k == 0 and adopt:
                std["standard"]["indicators"] = list(std["standard"].get("indicators", [])) + [mapping[x] for x in adopt]
            _dump(std, out / "standards" / rel.with_name(f"{rel.stem}-s{j}.yaml"))
            counts["standards"] += 1

            owner = data["standard"]["id"]
            title = std["standard"]["title"]
            template_id = owner if owner in drafts else _template(records[owner], title, draft_order, records, i)
            drel, ddata = drafts[template_id]
            dmap = dict(mapping)
            dmap.update({x: f"{x}-d{i}" for x in _ids_in(ddata["draft"], set())})
            draft = _rewrite(ddata, dmap, label)
            draft["draft"]["standard"] = mapping[owner]
            _fit_doc_type(draft["draft"], title)
            if mark and names_rx is not None:  # the text names this set's indicators, as a real corpus would
                draft = _renamed(draft, names_rx, mark)
            _dump(draft, out / "standards" / drel.with_name(f"{owner}-s{j}.yaml"))
            counts["drafts"] += 1
            if template_id == owner:
                for rrel, rdata in reviews.get(owner, []):
                    review = _rewrite(rdata, dmap, label)
                    _dump(review, out / "standards" / "reviews" / mapping[owner] / rrel.name)
    return counts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, help="number of standards to generate")
    ap.add_argument("out", type=Path, help="project folder to write (its standards/ is replaced)")
    ap.add_argument("--source", type=Path, default=REPO, help="project whose standards/ is scaled (default: this repo)")
    a = ap.parse_args(argv)
    counts = generate(a.n, a.out, a.source)
    print(f"{a.out}: " + ", ".join(f"{v} {k}" for k, v in counts.items()), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
