"""Read + validate every corpus file, in parallel, with a per-file cache keyed by content hash.

``load_sources(root)`` is the read and validate stages of :func:`toolkit.corpus.load_corpus`
for a whole tree: it returns the validated files and every read/schema finding, in
file order, exactly as :func:`toolkit.load.read_file` followed by
:func:`toolkit.validate.validate_file` would for each file — only faster:

* **Cache.**  Each file's outcome (its validated model, its findings and its source
  maps) is stored under ``<root>/.stdkit-cache/sources/`` keyed by a SHA-256 of the
  file's bytes, its path and :func:`code_digest` (the source of the read/validate
  code and the versions of PyYAML, pydantic and Python).  A re-check after editing
  one file parses that file only.  Entries are written atomically (temporary file +
  rename), so a killed run never leaves a half-written entry; an unreadable entry is
  a miss.  Entries not used by a complete run are pruned.
* **Lazy source maps.**  A cached file's value positions are kept as pickled bytes and
  decoded on first use (:class:`CachedSourceFile`); its raw data, key positions and
  lines are not cached at all but re-read if ever asked for.
* **Parallel parsing.**  When many files miss the cache (a cold check), they are
  parsed in forked worker processes (``STDKIT_JOBS`` or ``os.cpu_count()``), each of
  which also writes the cache entries; the parent decodes the results.

``STDKIT_NO_CACHE=1`` turns the cache off (read only, write nothing).  The cache is
a pure accelerator: deleting ``.stdkit-cache/`` changes no result.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Any

from toolkit.findings import Finding
from toolkit.load import SourceFile, corpus_files, read_file
from toolkit.validate import ValidFile, validate_file

CACHE_DIR = ".stdkit-cache/sources"
"""Folder of the per-file cache, under the project root (git-ignored)."""
FORMAT = 5
"""Version of the entry layout; bump when :func:`_entry` changes."""
PARALLEL_MIN = 48
"""Fewest cache misses worth a process pool (below, parsing in-process is faster)."""
_CODE_MODULES = ("load.py", "validate.py", "validate_file.py", "model.py", "findings.py", "sourcecache.py")
_digest_memo: dict[str, str] = {}


def code_digest() -> str:
    """Digest of what a file's parsed and validated form depends on besides its bytes.

    The source of the read/validate modules and of the models (``toolkit/*.py`` listed in
    ``_CODE_MODULES`` plus every module of a ``toolkit/model*`` package), and the versions of
    Python, PyYAML (and libyaml) and pydantic.  Computed once per process.
    """
    if "d" in _digest_memo:
        return _digest_memo["d"]
    import pydantic
    import yaml

    pkg = Path(__file__).resolve().parent
    h = hashlib.sha256()
    h.update(f"{FORMAT}|{sys.version}|{yaml.__version__}|{getattr(yaml, '__with_libyaml__', '')}|"
             f"{pydantic.VERSION}".encode())
    paths = [pkg / n for n in _CODE_MODULES] + sorted(pkg.glob("model*/**/*.py"))
    for p in paths:
        if p.is_file():
            h.update(p.name.encode())
            h.update(p.read_bytes())
    _digest_memo["d"] = h.hexdigest()
    return _digest_memo["d"]


class CachedSourceFile(SourceFile):
    """A :class:`~toolkit.load.SourceFile` restored from the cache, its maps decoded on first use.

    ``positions`` is kept as pickled bytes until read (most files need no location at all);
    ``key_positions``, ``data`` and ``lines`` are not cached: the first access re-reads the
    file (rare: only messages pointing at a key or quoting the raw text need them).  :meth:`list_ids` gives the ids of a top-level list
    without the raw data (what :func:`toolkit.corpus.resolve` needs).  Assigning any
    map (as :func:`toolkit.corpus.release_sources` does) replaces it.
    """

    def __init__(self, rel: str, root: Path, blobs: dict[str, bytes], ids: dict[str, dict[str, int]],
                 longest_text: int | None = None, interface: str | None = None):  # noqa: D107
        self.rel = rel
        self.longest_text = longest_text
        """Length of the longest text value of the file (for checks that need only that), or None."""
        self.digest: str | None = None
        self.interface: str | None = interface
        self._root = root
        self._path = root / rel
        self._blobs = dict(blobs)
        self._ids = ids
        self._values: dict[str, Any] = {}

    def _get(self, name: str) -> Any:
        if name not in self._values:
            blob = self._blobs.pop(name, None)
            if blob is not None:
                self._values[name] = pickle.loads(blob)
            else:
                self._reparse()
        return self._values[name]

    def _reparse(self) -> None:
        """Read the file again for the maps that are not cached (falls back to empty maps)."""
        try:
            sf, _ = read_file(self._path, self._root)
        except OSError:
            sf = SourceFile(rel=self.rel)
        for name in ("positions", "key_positions", "data", "lines"):
            self._values.setdefault(name, getattr(sf, name))
        self._blobs.clear()

    def _set(self, name: str, value: Any) -> None:
        self._blobs.pop(name, None)
        self._values[name] = value

    positions = property(lambda s: s._get("positions"), lambda s, v: s._set("positions", v))
    key_positions = property(lambda s: s._get("key_positions"), lambda s, v: s._set("key_positions", v))
    data = property(lambda s: s._get("data"), lambda s, v: s._set("data", v))
    lines = property(lambda s: s._get("lines"), lambda s, v: s._set("lines", v))

    def list_ids(self, key: str) -> dict[str, int]:
        """``{id: first index}`` of the top-level list ``key`` (see :func:`list_ids`)."""
        return self._ids.get(key, {})

    def __reduce__(self):
        return (_restore_plain, (self.rel, self.data, self.positions, self.key_positions, self.lines))


def _restore_plain(rel, data, positions, key_positions, lines) -> SourceFile:
    return SourceFile(rel=rel, data=data, positions=positions, key_positions=key_positions, lines=lines)


def list_ids(sf: SourceFile, key: str) -> dict[str, int]:
    """Map each string ``id`` of the top-level list ``key`` of a file to its first index.

    Items that are not mappings with a string ``id`` are ignored; a missing key gives ``{}``.
    """
    if isinstance(sf, CachedSourceFile):
        return sf.list_ids(key)
    return _ids_of(sf.data.get(key) if isinstance(sf.data, dict) else None)


def longest_text(data: Any) -> int:
    """Length (characters) of the longest string anywhere in plain YAML ``data`` (0 if none)."""
    best = 0
    stack = [data]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            best = max(best, len(v))
        elif isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return best


def _ids_of(raw) -> dict[str, int]:
    index: dict[str, int] = {}
    if isinstance(raw, list):
        for i, r in enumerate(raw):
            if isinstance(r, dict) and isinstance(r.get("id"), str):
                index.setdefault(r["id"], i)
    return index


# ---------------------------------------------------------------------- entries
DRAFTS_DIR = "standards/drafts/"
"""Files under this folder get an :attr:`~toolkit.load.SourceFile.interface` digest."""


def _strip_text(v: Any) -> Any:
    """``v`` with the value of every ``text`` key replaced by ``None`` (the wording, not the structure)."""
    if isinstance(v, dict):
        return {k: (None if k == "text" else _strip_text(x)) for k, x in v.items()}
    if isinstance(v, list):
        return [_strip_text(x) for x in v]
    return v


def interface_digest(sf: SourceFile, position_blobs: dict[str, bytes]) -> str:
    """Digest of a draft file's data without its ``text`` values, plus the positions of all its nodes.

    Two versions of a file with the same interface differ only in the wording of ``text``
    values, and every value sits at the same line and column (so a finding located anywhere
    in the file keeps its location; a key sits just before its value).  ``position_blobs``
    holds the pickled ``positions`` map of ``sf``.
    """
    h = hashlib.sha256(b"interface|")
    h.update(pickle.dumps(_strip_text(sf.data), protocol=pickle.HIGHEST_PROTOCOL))
    h.update(position_blobs["positions"])
    return h.hexdigest()


def _entry(sf: SourceFile, vf: ValidFile | None, findings: list[Finding]) -> bytes:
    """Serialise one file's outcome: the model and findings as objects, the source maps as nested blobs.

    Sets ``sf.interface`` for a draft file (see :func:`interface_digest`).
    """
    positions = {"positions": pickle.dumps(sf.positions, protocol=pickle.HIGHEST_PROTOCOL)}
    data = sf.data if isinstance(sf.data, dict) else {}
    ids = {k: _ids_of(v) for k, v in data.items() if isinstance(v, list)}
    if sf.rel.startswith(DRAFTS_DIR):
        sf.interface = interface_digest(sf, positions)
    payload = (FORMAT, sf.rel, vf.kind if vf is not None else None, vf.model if vf is not None else None,
               findings, positions, ids,
               sf.longest_text if sf.longest_text is not None else longest_text(sf.data), sf.interface)
    return pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)


def _restore(blob: bytes, root: Path) -> tuple[SourceFile, ValidFile | None, list[Finding]]:
    fmt, rel, kind, model, findings, positions, ids, longest, interface = pickle.loads(blob)
    if fmt != FORMAT:
        raise ValueError("cache entry of another format")
    sf = CachedSourceFile(rel, root, positions, ids, longest, interface)
    return sf, (ValidFile(sf, kind, model) if kind is not None else None), findings


def _process(path: Path, root: Path) -> tuple[SourceFile, ValidFile | None, list[Finding], bool]:
    """Read and validate one file: ``(source, valid file or None, findings, cacheable)``.

    A file that could not be read or parsed (load findings) is not cacheable, so its
    messages are always made from the file as it is now.
    """
    sf, fs = read_file(path, root)
    if fs:
        return sf, None, fs, False
    vf, fs2 = validate_file(sf)
    return sf, vf, fs2, True


def _key(raw: bytes, rel: str) -> str:
    h = hashlib.sha256(code_digest().encode())
    h.update(rel.encode("utf-8"))
    h.update(b"\0")
    h.update(raw)
    return h.hexdigest()


def _write_entry(cache: Path, key: str, blob: bytes) -> None:
    """Write one entry atomically; any OS error just leaves the entry out (the cache is optional)."""
    try:
        cache.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=cache)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(blob)
            os.replace(tmp, cache / key)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass


# ---------------------------------------------------------------------- workers
_JOB: dict = {}


def _worker(indices: list[int]) -> list[tuple[int, bytes | None, Any]]:
    """Parse the files at ``indices`` of the forked job list; returns entry blobs (or the
    plain outcome of an uncacheable file), writing each entry to the cache."""
    root, paths, keys, cache = _JOB["root"], _JOB["paths"], _JOB["keys"], _JOB["cache"]
    out = []
    for i in indices:
        sf, vf, fs, ok = _process(paths[i], root)
        if ok:
            blob = _entry(sf, vf, fs)
            if cache is not None and keys[i] is not None:
                _write_entry(cache, keys[i], blob)
            out.append((i, blob, None))
        else:
            out.append((i, None, (sf, fs)))
    return out


def _workers(n_items: int) -> int:
    env = os.environ.get("STDKIT_JOBS", "")
    n = int(env) if env.isdigit() and int(env) > 0 else (os.cpu_count() or 1)
    return max(1, min(n, n_items // (PARALLEL_MIN // 2) or 1))


def _parse_parallel(root: Path, paths: list[Path], keys: list[str | None], cache: Path | None,
                    todo: list[int], n_workers: int) -> dict[int, tuple]:
    """Parse ``todo`` (indices into ``paths``) in ``n_workers`` forked processes; the parent
    takes a share itself so that it decodes results while the workers parse."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # interleave large and small files: files sorted by size, dealt round-robin into chunks
    by_size = sorted(todo, key=lambda i: -_size(paths[i]))
    chunks = [by_size[k::n_workers] for k in range(n_workers)]
    results: dict[int, tuple] = {}
    _JOB.update(root=root, paths=paths, keys=keys, cache=cache)
    try:
        ctx = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=n_workers - 1, mp_context=ctx) as pool:
            futures = [pool.submit(_worker, ch) for ch in chunks[1:]]
            for i in chunks[0]:
                sf, vf, fs, ok = _process(paths[i], root)
                if ok and cache is not None and keys[i] is not None:
                    _write_entry(cache, keys[i], _entry(sf, vf, fs))
                results[i] = (sf, vf, fs)
            for fut in futures:
                for i, blob, plain in fut.result():
                    if blob is not None:
                        results[i] = _restore(blob, root)
                    else:
                        results[i] = (plain[0], None, plain[1])
    finally:
        _JOB.clear()
    return results


def _size(p: Path) -> int:
    try:
        return p.stat().st_size
    except OSError:
        return 0


# ---------------------------------------------------------------------- entry point
def load_sources(root: Path, use_cache: bool | None = None) -> tuple[list[ValidFile], list[Finding]]:
    """Read and validate every corpus file under ``root``: ``(valid files, findings)`` in file order.

    Equivalent to :func:`toolkit.load.read_tree` then :func:`toolkit.validate.validate_tree`
    (same files, models and findings); see the module docstring for the cache and the
    parallel parse.  ``use_cache`` defaults to on unless ``STDKIT_NO_CACHE`` is set.
    Raises nothing for content problems.
    """
    root = Path(root)
    if use_cache is None:
        use_cache = os.environ.get("STDKIT_NO_CACHE", "") in ("", "0")
    cache = root / CACHE_DIR if use_cache else None
    paths = corpus_files(root)
    keys: list[str | None] = []
    results: dict[int, tuple] = {}
    todo: list[int] = []
    for i, path in enumerate(paths):
        key = None
        if cache is not None:
            try:
                raw = path.read_bytes()
            except OSError:
                raw = None
            if raw is not None:
                key = _key(raw, path.relative_to(root).as_posix())
                try:
                    blob = (cache / key).read_bytes()
                    results[i] = _restore(blob, root)
                except (OSError, ValueError, EOFError, pickle.UnpicklingError, AttributeError, TypeError,
                        ImportError, IndexError):
                    pass
        keys.append(key)
        if i not in results:
            todo.append(i)
    n_workers = _workers(len(todo)) if len(todo) >= PARALLEL_MIN else 1
    if n_workers > 1:
        results.update(_parse_parallel(root, paths, keys, cache, todo, n_workers))
    else:
        for i in todo:
            sf, vf, fs, ok = _process(paths[i], root)
            if ok and cache is not None and keys[i] is not None:
                _write_entry(cache, keys[i], _entry(sf, vf, fs))
            results[i] = (sf, vf, fs)
    valid: list[ValidFile] = []
    findings: list[Finding] = []
    for i in range(len(paths)):
        sf, vf, fs = results[i]
        sf.digest = keys[i]
        findings.extend(fs)
        if vf is not None:
            valid.append(vf)
    if cache is not None:
        _prune(cache, {k for k in keys if k is not None})
    return valid, findings


def _prune(cache: Path, used: set[str]) -> None:
    """Remove entries no file of this run used (edited or deleted files, older code)."""
    try:
        names = os.listdir(cache)
    except OSError:
        return
    for name in names:
        if name not in used:
            try:
                os.unlink(cache / name)
            except OSError:
                pass
