"""Reuse check findings whose inputs did not change (``.stdkit-cache/checks/``).

A family (:class:`toolkit.checks.Family`) has a corpus-wide part and a per-draft part.
Each part's findings are stored with the key of what it read:

* the **code key**: the source of every module of the ``toolkit`` package and the
  versions of Python and of the libraries that read the corpus;
* the **full key**: the code key and the content key of every corpus file
  (:attr:`toolkit.load.SourceFile.digest`), for a corpus-wide part of scope ``full``;
* the **interface key**: the code key and, for each draft file, its
  :attr:`~toolkit.load.SourceFile.interface` (everything but the wording of ``text``
  values, with every node's position), for every other file its content key — for a
  corpus-wide part of scope ``interface``;
* a **draft key** per draft: the interface key and the content key of that draft's file,
  for the per-draft part.

So a re-check after editing the wording of one paragraph re-runs the per-draft parts
for that draft and the corpus-wide parts of scope ``full`` only.  When any file has no
content key (the corpus was read without the parse cache: ``STDKIT_NO_CACHE=1``, or the
two sides of a diff), nothing is cached.  One file per family, written atomically
(temporary file + rename); an unreadable file is an empty cache.  The cache is a pure
accelerator: deleting ``.stdkit-cache/`` changes no result.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from toolkit.corpus import Corpus
from toolkit.findings import Finding

CACHE_DIR = ".stdkit-cache/checks"
"""Folder of the check cache, under the project root (git-ignored with ``.stdkit-cache/``)."""
FORMAT = 1
"""Version of the cache layout."""
_code_memo: dict[str, str] = {}
_stores: dict[tuple[str, str], "_Store"] = {}


def code_key() -> str:
    """Digest of the ``toolkit`` package's source (every ``*.py``) and of Python's, PyYAML's and pydantic's versions."""
    if "k" in _code_memo:
        return _code_memo["k"]
    import pydantic
    import yaml

    pkg = Path(__file__).resolve().parents[1]
    h = hashlib.sha256(f"{FORMAT}|{sys.version}|{yaml.__version__}|{pydantic.VERSION}".encode())
    for p in sorted(pkg.rglob("*.py")):
        h.update(p.relative_to(pkg).as_posix().encode())
        h.update(b"\0")
        h.update(p.read_bytes())
    _code_memo["k"] = h.hexdigest()
    return _code_memo["k"]


@dataclass(frozen=True)
class CorpusKeys:
    """The keys of one corpus (see the module docstring); ``drafts`` maps a draft id to its draft key."""

    root: Path
    full: str
    interface: str
    drafts: dict[str, str]


def corpus_keys(c: Corpus) -> CorpusKeys | None:
    """The keys of ``c``, or ``None`` when some file has no content key (then nothing is cached)."""
    files = sorted(c.files, key=lambda sf: sf.rel)
    if not files or any(getattr(sf, "digest", None) is None for sf in files):
        return None
    code = code_key()
    full = hashlib.sha256(code.encode())
    iface = hashlib.sha256(code.encode())
    for sf in files:
        full.update(f"{sf.rel}\0{sf.digest}\n".encode())
        iface.update(f"{sf.rel}\0{getattr(sf, 'interface', None) or sf.digest}\n".encode())
    interface = iface.hexdigest()
    drafts: dict[str, str] = {}
    for sid in c.drafts:
        rec = c.records.get(("draft", sid))
        digest = getattr(rec.source, "digest", None) if rec is not None else None
        if digest is None:
            return None
        drafts[sid] = hashlib.sha256(f"{interface}|{sid}|{rec.source.rel}|{digest}".encode()).hexdigest()
    return CorpusKeys(Path(c.root), full.hexdigest(), interface, drafts)


class _Store:
    """The cached results of one family (or fact): ``corpus`` = (key, findings), ``drafts`` = {sid: (key, value)}.

    ``path=None``: an in-memory store (no cache), never read or written.
    """

    def __init__(self, path: Path | None):
        self.path = path
        self.corpus: tuple[str, list[Finding]] | None = None
        self.drafts: dict[str, tuple] = {}
        self.dirty = False
        if path is None:
            return
        try:
            fmt, corpus, drafts = pickle.loads(path.read_bytes())
            if fmt == FORMAT and isinstance(drafts, dict):
                self.corpus, self.drafts = corpus, drafts
        except (OSError, ValueError, EOFError, TypeError, AttributeError, ImportError, IndexError,
                pickle.UnpicklingError):
            pass

    def save(self, sids) -> None:
        """Write the store (entries of drafts no longer in the corpus dropped); OS errors are ignored."""
        keep = {sid: self.drafts[sid] for sid in sids if sid in self.drafts}
        changed = self.dirty or len(keep) != len(self.drafts)
        self.drafts, self.dirty = keep, False
        if self.path is None or not changed:
            return
        blob = pickle.dumps((FORMAT, self.corpus, self.drafts), protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=self.path.parent)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(blob)
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError:
            pass


def _store(keys: CorpusKeys, name: str) -> _Store:
    at = (str(keys.root), name)
    if at not in _stores:
        _stores[at] = _Store(keys.root / CACHE_DIR / f"{name}.pickle")
    return _stores[at]


@dataclass
class Plan:
    """What a run must compute: per family (and fact) its store, whether its corpus-wide part is
    stale, and which drafts' parts are stale; ``work`` counts drafts to check (a corpus-wide part
    of scope ``interface`` counting as every draft, any other as one)."""

    families: list
    facts: dict
    keys: CorpusKeys | None
    stores: dict[str, _Store]
    corpus_keys: dict[str, str | None]
    stale_corpus: list[str]
    stale: dict[str, set[str]]
    work: int = 0
    corpus_work: int = 0

    def stale_drafts(self) -> list[str]:
        """Every draft with at least one stale part, in id order."""
        return sorted(set().union(*self.stale.values())) if self.stale else []

    def stale_corpus_parts(self) -> list[str]:
        """Names of the families whose corpus-wide part is stale, heaviest scope first."""
        by = {f.name: f for f in self.families}
        return sorted(self.stale_corpus, key=lambda n: (by[n].scope != "interface", n))


def _draft_key(keys: CorpusKeys | None, sid: str) -> str:
    return keys.drafts[sid] if keys is not None else ""


def _fact_key(keys: CorpusKeys | None, c: Corpus, sid: str) -> str:
    if keys is None:
        return ""
    rec = c.records.get(("draft", sid))
    return hashlib.sha256(f"{code_key()}|{sid}|{rec.source.rel}|{rec.source.digest}".encode()).hexdigest()


def plan(families: list, facts: dict, c: Corpus, keys: CorpusKeys | None) -> Plan:
    """Compare every part with the cache (everything is stale when ``keys`` is ``None``)."""
    stores: dict[str, _Store] = {}
    ckeys: dict[str, str | None] = {}
    stale_corpus: list[str] = []
    stale: dict[str, set[str]] = {}
    n = max(1, len(c.drafts))
    work = corpus_work = 0
    for fam in families:
        st = stores[fam.name] = _store(keys, fam.name) if keys is not None else _Store(None)
        if fam.corpus is not None:
            k = ckeys[fam.name] = _corpus_key(fam, keys) if keys is not None else None
            if k is None or st.corpus is None or st.corpus[0] != k:
                stale_corpus.append(fam.name)
                w = n if fam.scope == "interface" else 1  # "full"/"never" parts only gather or count
                work, corpus_work = work + w, corpus_work + w
        if fam.draft is not None:
            todo = {sid for sid in c.drafts if st.drafts.get(sid, (None,))[0] != _draft_key(keys, sid)}
            if todo:
                stale[fam.name] = todo
                work += len(todo)
    for name in facts:
        st = stores[f"facts-{name}"] = _store(keys, f"facts-{name}") if keys is not None else _Store(None)
        todo = {sid for sid in c.drafts if st.drafts.get(sid, (None,))[0] != _fact_key(keys, c, sid)}
        if todo:
            stale[f"facts-{name}"] = todo
            work += len(todo)
    return Plan(families, facts, keys, stores, ckeys, stale_corpus, stale, work, corpus_work)


def _corpus_key(fam, keys: CorpusKeys) -> str | None:
    return {"full": keys.full, "interface": keys.interface}.get(fam.scope)


def compute_drafts(pl: Plan, sids: list[str], c: Corpus) -> dict[str, dict[str, object]]:
    """Run the stale per-draft parts and facts of drafts ``sids``: ``{part name: {sid: value}}``."""
    out: dict[str, dict[str, object]] = {}
    drafts = [f for f in pl.families if f.draft is not None]
    for sid in sids:
        d = c.drafts[sid]
        for fam in drafts:
            if sid in pl.stale.get(fam.name, ()):
                out.setdefault(fam.name, {})[sid] = list(fam.draft(c, sid, d))
        for name, fn in pl.facts.items():
            if sid in pl.stale.get(f"facts-{name}", ()):
                out.setdefault(f"facts-{name}", {})[sid] = fn(d)
    return out


def record_drafts(pl: Plan, results: list[dict], c: Corpus) -> None:
    """Store computed per-draft results and make every draft's facts available to corpus-wide parts."""
    for res in results:
        for name, by_sid in res.items():
            st = pl.stores[name]
            for sid, value in by_sid.items():
                key = _fact_key(pl.keys, c, sid) if name.startswith("facts-") else _draft_key(pl.keys, sid)
                st.drafts[sid] = (key, value)
                st.dirty = True
    facts = c.__dict__.setdefault("_check_facts", {})
    for name in pl.facts:
        st = pl.stores[f"facts-{name}"]
        facts[name] = {sid: st.drafts[sid][1] for sid in c.drafts}
        st.save(c.drafts)


def compute_corpus(pl: Plan, names: list[str], c: Corpus) -> dict[str, list[Finding]]:
    """Run the corpus-wide parts of the families ``names``: ``{name: findings}``."""
    by = {f.name: f for f in pl.families}
    return {name: list(by[name].corpus(c)) for name in names}


def record_corpus(pl: Plan, results: list[dict], c: Corpus) -> None:
    """Store computed corpus-wide results, then write every family's store that changed."""
    for res in results:
        for name, found in res.items():
            pl.stores[name].corpus = (pl.corpus_keys.get(name) or "", found)
            pl.stores[name].dirty = True
    for fam in pl.families:
        st = pl.stores[fam.name]
        if fam.scope == "never" and fam.draft is None:
            st.dirty = False  # a part of scope "never" is not kept
        st.save(c.drafts)


def findings(pl: Plan, c: Corpus) -> list[Finding]:
    """Every finding of the run (cached and computed), unsorted."""
    out: list[Finding] = []
    for fam in pl.families:
        st = pl.stores[fam.name]
        if fam.corpus is not None and st.corpus is not None:
            out += st.corpus[1]
        if fam.draft is not None:
            for sid in c.drafts:
                out += st.drafts[sid][1]
    return out


def per_draft_facts(c: Corpus, name: str, fn) -> dict:
    """``{sid: fn(d)}`` for every draft of ``c``: the fact ``name`` (registered with
    :func:`toolkit.checks.register_facts`) as gathered by the current run, else computed now."""
    got = c.__dict__.get("_check_facts", {}).get(name)
    if got is not None:
        return got
    return {sid: fn(d) for sid, d in c.drafts.items()}


def corpus_keys_memo(c: Corpus) -> CorpusKeys | None:
    """:func:`corpus_keys` of ``c``, computed once per corpus object."""
    memo = c.__dict__.setdefault("_check_keys", {})
    if "k" not in memo:
        memo["k"] = corpus_keys(c)
    return memo["k"]
