"""Check stage: pure functions ``Corpus -> list[Finding]``, one module per family.

A family is a module of this package that registers its check function with
:func:`register` and defines its finding codes in a module-level ``CODES`` dict
(collected by :mod:`toolkit.codes`).  Families are *discovered*: every module of the
package is imported (:func:`family_modules`), so adding a family is adding one module.
Modules named in :data:`ON_DEMAND` (artifact read-back, ``--artifacts``) hold codes
but are not run by :func:`run_checks`.  Findings are sorted by location, so the
order in which families run does not matter.
"""
from __future__ import annotations

import importlib
import os
import pkgutil
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from toolkit import model as m

from toolkit.corpus import Corpus
from toolkit.findings import Finding, sort_findings

Check = Callable[[Corpus], list[Finding]]
DraftCheck = Callable[[Corpus, str, "m.Draft"], list[Finding]]
SCOPES = ("full", "interface", "never")
"""How a family's corpus-wide part is cached (see :mod:`toolkit.checks.cache`): ``full`` — reused
while no corpus file changed; ``interface`` — reused while no file changed except for the wording
of drafts' ``text`` values (the part reads no draft text); ``never`` — always run (it reads
something besides the corpus, such as the site's hand-written pages)."""


@dataclass
class Family:
    """One check family: an optional corpus-wide part and an optional per-draft part.

    ``corpus(c)`` returns the findings of the whole corpus that are not about one draft;
    ``draft(c, sid, d)`` those of draft ``sid`` only, reading other drafts' structure but never
    their ``text`` values.  ``scope`` is one of :data:`SCOPES` (for the corpus-wide part);
    ``facts`` names the per-draft facts (:func:`register_facts`) the corpus-wide part gathers
    (it then runs after every draft's facts are known).
    """

    name: str
    corpus: Check | None = None
    draft: DraftCheck | None = None
    scope: str = "full"
    facts: tuple[str, ...] = ()

    def run(self, c: Corpus) -> list[Finding]:
        """Every finding of this family on ``c`` (no cache)."""
        out = list(self.corpus(c)) if self.corpus else []
        if self.draft:
            for sid, d in c.drafts.items():
                out += self.draft(c, sid, d)
        return out


FAMILIES: dict[str, Family] = {}
"""Registered families by name, filled as :func:`family_modules` imports them."""
CHECKS: list[tuple[str, Check]] = []
"""Registered families as ``(name, function of the corpus)`` (each runs the whole family, uncached)."""
ON_DEMAND = ("artifacts",)
"""Modules run only on request (``stdkit check --artifacts``), not by :func:`run_checks`."""


def _family(name: str) -> Family:
    if name not in FAMILIES:
        FAMILIES[name] = fam = Family(name)
        CHECKS.append((name, fam.run))
    return FAMILIES[name]


def register(name: str, scope: str = "full", facts: tuple[str, ...] = ()):
    """Decorator: the corpus-wide part of family ``name`` (once per name); ``scope`` as in :data:`SCOPES`;
    ``facts``: the per-draft facts it gathers with :func:`toolkit.checks.cache.per_draft_facts`."""
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {SCOPES}, not {scope!r}")

    def deco(fn: Check) -> Check:
        fam = _family(name)
        if fam.corpus is None:
            fam.corpus, fam.scope, fam.facts = fn, scope, tuple(facts)
        return fn

    return deco


def register_draft(name: str):
    """Decorator: the per-draft part ``fn(c, sid, d)`` of family ``name`` (once per name).

    Its findings for a draft are reused while that draft's file and the interface of the
    rest of the corpus are unchanged, so ``fn`` must read other drafts' structure only,
    never their ``text`` values.
    """

    def deco(fn: DraftCheck) -> DraftCheck:
        fam = _family(name)
        if fam.draft is None:
            fam.draft = fn
        return fn

    return deco


FACTS: dict[str, Callable[["m.Draft"], Any]] = {}
"""Per-draft facts by name: ``fn(d)`` reads draft ``d`` only and returns a picklable value."""


def register_facts(name: str):
    """Decorator: a per-draft fact ``fn(d)`` that corpus-wide parts gather with
    :func:`toolkit.checks.cache.per_draft_facts`; computed with the per-draft parts (in
    parallel, cached per draft file)."""

    def deco(fn):
        FACTS.setdefault(name, fn)
        return fn

    return deco


def prepared(c: Corpus, key: str, make: Callable[[Corpus], Any]) -> Any:
    """``make(c)``, computed once per corpus object and kept (for what per-draft parts share)."""
    memo = c.__dict__.setdefault("_check_prepared", {})
    if key not in memo:
        memo[key] = make(c)
    return memo[key]


def family_modules(include_on_demand: bool = False) -> list[ModuleType]:
    """Import and return every module of this package, sorted by name (helpers included).

    ``include_on_demand`` adds the modules of :data:`ON_DEMAND`.
    """
    names = sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))
    return [importlib.import_module(f"{__name__}.{n}") for n in names
            if include_on_demand or n not in ON_DEMAND]


PARALLEL_MIN_DRAFTS = 50
"""Stale drafts from which :func:`run_checks` shares the work with forked processes (below, forking costs more)."""


def _workers() -> int:
    env = os.environ.get("STDKIT_JOBS", "")
    return int(env) if env.isdigit() and int(env) > 0 else (os.cpu_count() or 1)


def run_checks(corpus: Corpus, cache: bool = False) -> list[Finding]:
    """Run every discovered check family on ``corpus``; findings sorted by location.

    ``cache=True`` (what ``stdkit check`` and ``stdkit build`` pass) reuses results from
    ``.stdkit-cache/checks/`` where their inputs did not change (:mod:`toolkit.checks.cache`;
    nothing is reused when the corpus was read without the parse cache).  Only a corpus read
    from its files may be checked with the cache: one edited in memory keeps its files' keys.

    The work left after the cache: the per-draft parts and facts of the stale drafts, and the
    stale corpus-wide parts (those gathering per-draft facts last).  With at least
    :data:`PARALLEL_MIN_DRAFTS` stale drafts and more than one core, that work is cut into
    tasks (each corpus-wide part, then a few drafts at a time) that this process and forked
    workers take one after another as each becomes free (:func:`toolkit.parallel.share`); the
    workers share the loaded corpus copy-on-write, and each process computes the text pieces
    of its own drafts only.  The result does not depend on it.
    """
    from toolkit.checks.cache import corpus_keys_memo
    from toolkit.checks.text import memoised_texts
    from toolkit.walk import memoised_walks

    family_modules()
    memos = ("_check_prepared", "_check_keys", "_check_facts")
    for memo in memos:  # what parts share is made afresh each run
        corpus.__dict__.pop(memo, None)
    if not cache:
        corpus.__dict__["_check_keys"] = {"k": None}
    try:
        with memoised_texts(corpus), memoised_walks():
            return _run_families(corpus, corpus_keys_memo(corpus))
    finally:
        for memo in memos:
            corpus.__dict__.pop(memo, None)


def _run_families(corpus: Corpus, keys) -> list[Finding]:
    from toolkit.checks import cache as cc
    from toolkit.parallel import share

    fams = [FAMILIES[n] for n in sorted(FAMILIES)]
    pl = cc.plan(fams, FACTS, corpus, keys)
    n_workers = _workers()
    sids = pl.stale_drafts()
    parts = pl.stale_corpus_parts()
    free = [p for p in parts if not FAMILIES[p].facts]  # corpus-wide parts that gather no per-draft fact
    after = [p for p in parts if FAMILIES[p].facts]
    tasks = _tasks(sids, free)
    done: list[tuple[dict, dict]] = []
    share(len(tasks), lambda k: done.append(_job(tasks[k], corpus, pl)), lambda k: _job(tasks[k], corpus, pl),
          lambda _k, got: done.append(got), n_workers if len(sids) >= PARALLEL_MIN_DRAFTS else 1)
    cc.record_drafts(pl, [d for d, _ in done], corpus)
    cc.record_corpus(pl, [c for _, c in done] + [cc.compute_corpus(pl, after, corpus)], corpus)
    return sort_findings(cc.findings(pl, corpus))


DRAFTS_PER_TASK = 8
"""Drafts per task when the stale per-draft parts are shared between processes (about 40 ms of work)."""


def _tasks(sids: list[str], free: list[str]) -> list[tuple[list[str], list[str]]]:
    """The work of a run as tasks ``(drafts, corpus-wide parts)``: each corpus-wide part of ``free``
    alone (the larger pieces, first), then the drafts :data:`DRAFTS_PER_TASK` at a time."""
    return ([([], [name]) for name in free]
            + [(sids[k:k + DRAFTS_PER_TASK], []) for k in range(0, len(sids), DRAFTS_PER_TASK)])


def _job(job: tuple[list[str], list[str]], corpus: Corpus, pl) -> tuple[dict, dict]:
    """One task of a run: the stale per-draft parts of drafts ``job[0]``, the corpus-wide parts ``job[1]``."""
    from toolkit.checks.cache import compute_corpus, compute_drafts

    sids, names = job
    return compute_drafts(pl, sids, corpus), compute_corpus(pl, names, corpus)
