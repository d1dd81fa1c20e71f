"""Dependencies recorded as they are read (the idea of Sphinx's ``env.note_dependency``).

A build job reads the corpus through a :class:`RecordingCorpus`: a read-only view of a
:class:`~toolkit.corpus.Corpus` that notes every *input* the job reads, as a **probe**
(a small JSON list naming what was read) together with the digest of the value read:

==============================  ===============================================
probe                           what was read
==============================  ===============================================
``["rec", kind, id]``           one record (``corpus.drafts["std-x"]``, ``.get``, ``items()``)
``["keys", kind]``              which ids a kind holds, in order (iteration, ``len``)
``["has", kind, id]``           whether an id exists (``id in corpus.references``)
``["call", method, args]``      a corpus method's result (``corpus.targets_of("ind-x")``)
``["fn", "mod:qual", args]``    a :func:`derived` function of the corpus
``["attr", name]``              any other corpus attribute (``corpus.targets``)
``["all"]``                     the whole corpus (every record of every kind)
``["file", path]``              bytes of a project file (:meth:`Recorder.note_file`)
``["tree", path]``              every file under a project folder
``["probe", "mod:qual", args]`` a function of the project root (:meth:`Recorder.probe`)
``["opt", name]``               a build option (``review``)
==============================  ===============================================

The engine stores each job's probes and digests in the build manifest; the next build
evaluates the same probes on the new corpus (:class:`Inputs`, every probe once, cached)
and re-runs exactly the jobs for which one differs.  Nothing is listed by hand: a writer
that starts reading a new record or field is recorded the next time it runs.

Granularity is the record (its whole validated model, as JSON).  Writers that need only
a small projection of many records — the indicator ids a draft uses, the codes of the
references with one number — get it from a :func:`derived` function, whose *result* is
what is recorded, so editing a clause's text does not touch a table that only lists
indicator ids.

Digests are SHA-256 (hex, first 32 digits) of a canonical JSON form (:func:`canon`) of
the value; pydantic models as their JSON dump, sets sorted, dataclasses by fields.
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import importlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Callable, Iterator

from pydantic import BaseModel

from toolkit.vocabulary import RECORD_LISTS

KINDS: tuple[str, ...] = tuple(attr for attr, _ in RECORD_LISTS)
"""Record kinds of :class:`~toolkit.corpus.Corpus` (attribute names), in pipeline order."""


def sha(*parts: str | bytes) -> str:
    """SHA-256 (hex) of length-prefixed parts (``str`` as UTF-8)."""
    h = hashlib.sha256()
    for p in parts:
        b = p.encode("utf-8") if isinstance(p, str) else p
        h.update(len(b).to_bytes(8, "little"))
        h.update(b)
    return h.hexdigest()


def canon(value: Any) -> Any:
    """A JSON-able canonical form of ``value`` (models, dataclasses, sets, paths, containers)."""
    if isinstance(value, BaseModel):
        return ["M", type(value).__name__, value.model_dump_json()]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, Mapping):
        return ["D", [[canon(k), canon(v)] for k, v in value.items()]]
    if isinstance(value, (list, tuple)):
        return [canon(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return ["S", sorted(json.dumps(canon(v), ensure_ascii=False, sort_keys=True) for v in value)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return ["C", type(value).__name__, {f.name: canon(getattr(value, f.name)) for f in dataclasses.fields(value)}]
    if isinstance(value, Path):
        return ["P", value.as_posix()]
    return ["R", repr(value)]


def digest_of(value: Any) -> str:
    """Digest of a value read by a job (see :func:`canon`)."""
    return sha(json.dumps(canon(value), ensure_ascii=False, sort_keys=True, default=repr))[:32]


def probe_key(*parts: Any) -> str:
    """The manifest key of a probe: its parts as compact JSON."""
    return json.dumps(list(parts), ensure_ascii=False, separators=(",", ":"))


def qualname(fn: Callable) -> str:
    """``module:qualname`` of a module-level function (how probes name functions)."""
    return f"{fn.__module__}:{fn.__qualname__}"


def resolve_function(name: str) -> Callable:
    """The function named ``module:qualname`` (raises ``ImportError``/``AttributeError`` if gone)."""
    mod, _, qual = name.partition(":")
    obj: Any = importlib.import_module(mod)
    for part in qual.split("."):
        obj = getattr(obj, part)
    return getattr(obj, "__stdkit_derived__", obj)


def files_digest(bases: list[Path]) -> str:
    """Digest of every file under the given folders or files (paths and bytes; hidden files and caches skipped)."""
    h = hashlib.sha256()
    seen: set[Path] = set()
    for base in bases:
        base = Path(base)
        if not base.exists():
            h.update(f"missing:{base.name}\n".encode())
            continue
        real = base.resolve()
        if real in seen:
            continue
        seen.add(real)
        paths = [real] if real.is_file() else sorted(
            p for p in real.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and not any(s.startswith(".") for s in p.relative_to(real).parts))
        for p in paths:
            rel = p.name if p == real else p.relative_to(real).as_posix()
            h.update(f"{base.name}/{rel}\n".encode())
            h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


# ---------------------------------------------------------------------- evaluating probes
class Inputs:
    """Evaluates probes on one corpus and project root; every probe once (cached).

    ``options`` are the build options a job may read (``{"review": bool}``).  An unknown
    or failing probe (a function renamed, a record gone) digests to ``"!<error>"``, which
    differs from any recorded digest, so the job runs again.
    """

    def __init__(self, corpus, root: Path, options: dict | None = None):
        self.corpus = corpus
        self.root = Path(root)
        self.options = dict(options or {})
        self._cache: dict[str, str] = {}
        self._kind_of: dict[type, str] | None = None

    # -- argument encoding for corpus methods taking records
    def kind_of(self, obj: Any) -> str | None:
        if self._kind_of is None:
            self._kind_of = {}
            for k in KINDS:
                for v in getattr(self.corpus, k).values():
                    self._kind_of.setdefault(type(v), k)
                    break
        return self._kind_of.get(type(obj))

    def encode_args(self, args: tuple) -> list | None:
        """JSON form of call arguments (records by ``{"$": [kind, id]}``); None if not encodable."""
        out = []
        for a in args:
            if isinstance(a, (str, int, float, bool)) or a is None:
                out.append(a)
            elif isinstance(a, BaseModel):
                k = self.kind_of(a)
                rid = getattr(a, "id", None)
                if k is None or rid is None or getattr(self.corpus, k).get(rid) is not a:
                    return None
                out.append({"$": [k, rid]})
            elif isinstance(a, (list, tuple)) and all(isinstance(x, (str, int, float, bool)) for x in a):
                out.append(list(a))
            else:
                return None
        return out

    def decode_args(self, args: list) -> tuple:
        out = []
        for a in args:
            if isinstance(a, dict) and "$" in a:
                k, rid = a["$"]
                out.append(getattr(self.corpus, k)[rid])
            else:
                out.append(a)
        return tuple(out)

    # -- digests
    def known(self, key: str, value: Any) -> str:
        """Digest of a probe whose value the caller just read (stored in the cache)."""
        d = self._cache.get(key)
        if d is None:
            d = self._cache[key] = digest_of(value)
        return d

    def digest(self, key: str) -> str:
        """Digest of the probe ``key`` (see module docstring) on this corpus and root."""
        d = self._cache.get(key)
        if d is None:
            try:
                d = self._evaluate(json.loads(key))
            except Exception as exc:  # the probe no longer makes sense: the job must run again
                d = f"!{type(exc).__name__}"
            self._cache[key] = d
        return d

    def all_digest(self) -> str:
        return self.digest(probe_key("all"))

    def _evaluate(self, p: list) -> str:
        c = self.corpus
        what = p[0]
        if what == "rec":
            obj = getattr(c, p[1]).get(p[2])
            return "absent" if obj is None else sha(obj.model_dump_json())[:32]
        if what == "keys":
            return sha("\n".join(getattr(c, p[1])))[:32]
        if what == "has":
            return "1" if p[2] in getattr(c, p[1]) else "0"
        if what == "call":
            return digest_of(getattr(c, p[1])(*self.decode_args(p[2])))
        if what == "fn":
            return digest_of(resolve_function(p[1])(c, *self.decode_args(p[2])))
        if what == "attr":
            return digest_of(getattr(c, p[1]))
        if what == "all":
            return sha(*(f"{k}:{self.digest(probe_key('keys', k))}:" + ",".join(
                self.digest(probe_key("rec", k, i)) for i in getattr(c, k)) for k in KINDS))[:32]
        if what == "file":
            f = self.root / p[1]
            return sha(f.read_bytes())[:32] if f.is_file() else "missing"
        if what == "tree":
            return files_digest([self.root / p[1]])[:32]
        if what == "probe":
            return digest_of(resolve_function(p[1])(self.root, *p[2]))
        if what == "opt":
            return digest_of(self.options.get(p[1]))
        raise ValueError(f"unknown probe {p!r}")


class Recorder:
    """The inputs one job (or one plan) read: probe key → digest (in reading order)."""

    def __init__(self, inputs: Inputs):
        self.inputs = inputs
        self.deps: dict[str, str] = {}

    def note(self, key: str, value: Any = dataclasses.MISSING) -> None:
        """Record the probe ``key``; ``value`` is what was read (saves evaluating it again)."""
        if key not in self.deps:
            self.deps[key] = (self.inputs.digest(key) if value is dataclasses.MISSING
                              else self.inputs.known(key, value))

    def note_file(self, path: Path | str) -> None:
        """Record the bytes of a project file (path absolute under the root, or relative to it)."""
        self.note(probe_key("file", self._rel(path)))

    def note_tree(self, path: Path | str) -> None:
        """Record every file under a project folder (names and bytes)."""
        self.note(probe_key("tree", self._rel(path)))

    def probe(self, fn: Callable, *args) -> Any:
        """Call ``fn(root, *args)`` (a module-level function; JSON-able ``args``), record and return its result."""
        value = fn(self.inputs.root, *args)
        self.note(probe_key("probe", qualname(fn), list(args)), value)
        return value

    def option(self, name: str) -> Any:
        """A build option's value, recorded."""
        value = self.inputs.options.get(name)
        self.note(probe_key("opt", name), value)
        return value

    def _rel(self, path: Path | str) -> str:
        p = Path(path)
        root = self.inputs.root
        return p.relative_to(root).as_posix() if p.is_absolute() and p.is_relative_to(root) else p.as_posix()


# ---------------------------------------------------------------------- the recording view
class RecordingMap(Mapping):
    """One record kind of the corpus, noting what is read (see module docstring)."""

    def __init__(self, kind: str, data: dict, rec: Recorder):
        self._kind, self._data, self._rec = kind, data, rec

    def __getitem__(self, id_):
        obj = self._data[id_]
        self._rec.note(probe_key("rec", self._kind, id_))
        return obj

    def get(self, id_, default=None):
        if id_ in self._data:
            return self[id_]
        self._rec.note(probe_key("has", self._kind, id_))
        return default

    def __contains__(self, id_) -> bool:
        found = id_ in self._data
        self._rec.note(probe_key("has", self._kind, id_))
        return found

    def __iter__(self) -> Iterator[str]:
        self._rec.note(probe_key("keys", self._kind))
        return iter(self._data)

    def __len__(self) -> int:
        self._rec.note(probe_key("keys", self._kind))
        return len(self._data)


class RecordingCorpus:
    """A read-only view of a corpus that records what is read into a :class:`Recorder`.

    Record kinds come back as :class:`RecordingMap`; corpus methods are recorded with
    their result (arguments that are records are named by kind and id); other
    attributes are recorded whole.  :meth:`whole` hands out the plain corpus for code
    that reads everything anyway (recorded as ``["all"]``).
    """

    def __init__(self, base, rec: Recorder):
        object.__setattr__(self, "_base", base)
        object.__setattr__(self, "_rec", rec)

    def whole(self):
        """The plain corpus, recording a dependency on all of it."""
        self._rec.note(probe_key("all"))
        return self._base

    def __getattr__(self, name: str):
        base, rec = self._base, self._rec
        value = getattr(base, name)
        if name in KINDS:
            return RecordingMap(name, value, rec)
        if name == "root" or name.startswith("__"):
            return value
        if callable(value):
            @functools.wraps(value)
            def recorded(*args, **kwargs):
                result = value(*args, **kwargs)
                enc = None if kwargs else rec.inputs.encode_args(args)
                if enc is None:
                    rec.note(probe_key("all"))
                else:
                    rec.note(probe_key("call", name, enc), result)
                return result
            return recorded
        rec.note(probe_key("attr", name), value)
        return value

    def __setattr__(self, name, value):
        raise AttributeError("the corpus is read-only during a build")


def derived(fn: Callable) -> Callable:
    """Decorator: ``fn(corpus, *args)`` computed from the corpus, recorded by its *result*.

    Called with a :class:`RecordingCorpus`, ``fn`` runs on the plain corpus and only
    ``["fn", "module:qualname", args]`` with the digest of its result is recorded — so a
    writer that needs a projection of many records (indicator ids of every draft) does
    not depend on everything else in them.  ``fn`` must be a module-level function of
    a light module (the next build calls it again to compare), ``args`` JSON-able.
    """
    name = qualname(fn)

    @functools.wraps(fn)
    def wrapper(corpus, *args):
        if isinstance(corpus, RecordingCorpus):
            rec = corpus._rec
            value = fn(corpus._base, *args)
            enc = rec.inputs.encode_args(args)
            rec.note(probe_key("all") if enc is None else probe_key("fn", name, enc), value)
            return value
        return fn(corpus, *args)

    wrapper.__stdkit_derived__ = fn
    return wrapper
