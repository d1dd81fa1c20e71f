"""Read + validate every corpus file, in parallel, with a per-file cache keyed by content hash.

``load_sources(root)`` is the read and validate stages of :func:`toolkit.corpus.load_corpus`
for a whole tree: it returns the validated files and every read/schema finding, in
file order, exactly as :func:`toolkit.load.read_file` followed by
:func:`toolkit.validate.validate_file` would for each file — only faster:

* **Cache.**  Each file's outcome (its validated model, its findings and its source
  maps) is stored under ``<root>/.stdkit-cache/sources/`` keyed by a SHA-256 of the
  file's bytes, its path and :func:`code_digest` (the source of the read/validate
  code and the versions of PyYAML, pydantic and Python).  Entries live in a few *pack*
  files (:class:`Packs`): a run writes the entries it computed as one new pack (a cold
  check writes one file, not thousands), atomically (temporary file + rename), so a
  killed run never leaves a half-written pack; an unreadable pack is a miss.  Packs are
  compacted (only the entries of the current files kept) when they pile up.
* **Lazy source maps.**  A cached file's value positions are kept as pickled bytes and
  decoded on first use (:class:`CachedSourceFile`); its raw data, key positions and
  lines are not cached at all but re-read if ever asked for.
* **Parallel parsing.**  When many files miss the cache (a cold check), they are
  parsed in forked worker processes (``STDKIT_JOBS`` or ``os.cpu_count()``) and in this
  one; the workers send their entries back, and this process decodes them and writes
  the pack.  A file parsed here is kept in the same compact form as one restored from
  the cache (:func:`_compact`).

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
from toolkit.load import SourceFile, corpus_files, cut_digest, read_file, read_regular
from toolkit.validate import ValidFile, validate_file

CACHE_DIR = ".stdkit-cache/sources"
"""Folder of the per-file cache, under the project root (git-ignored)."""
FORMAT = 6
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


def interface_digest(sf: SourceFile, position_blobs: dict[str, bytes]) -> str:
    """Digest of a draft file without the wording of its ``text`` values, plus the positions of all its nodes.

    The file's text with the span of every ``text`` value left out
    (:attr:`~toolkit.load.SourceFile.text_cut`, cut while parsing by the scalars' own start and
    end marks) is hashed together with the pickled ``positions`` map (``position_blobs``), whose
    paths name every key and whose values place every value.  Two versions of a file with the
    same interface therefore differ only in the wording of ``text`` values, and every value
    sits at the same line and column, so a finding located anywhere in the file keeps its
    location.  A file without a cut (no ``text`` key, or a source made otherwise) is hashed
    whole.  Linear in the file's size (no walk of the data).
    """
    h = hashlib.sha256(b"interface3|")
    h.update(position_blobs["positions"])
    h.update(sf.text_cut if sf.text_cut is not None else cut_digest("\n".join(sf.lines), []))
    return h.hexdigest()


def _entry(sf: SourceFile, vf: ValidFile | None, findings: list[Finding]) -> bytes:
    """Serialise one file's outcome: the model and findings as objects, the source maps as nested blobs.

    Sets ``sf.interface`` for a draft file (see :func:`interface_digest`).
    """
    return _entry_parts(sf, vf, findings)[0]


def _entry_parts(sf: SourceFile, vf: ValidFile | None, findings: list[Finding], blob: bool = True) -> tuple:
    """:func:`_entry` and its parts: ``(blob, position blobs, list ids, longest text)`` (``blob=False``:
    the parts alone, the blob ``None``)."""
    positions = {"positions": pickle.dumps(sf.positions, protocol=pickle.HIGHEST_PROTOCOL)}
    data = sf.data if isinstance(sf.data, dict) else {}
    ids = {k: _ids_of(v) for k, v in data.items() if isinstance(v, list)}
    if sf.rel.startswith(DRAFTS_DIR):
        sf.interface = interface_digest(sf, positions)
    longest = sf.longest_text if sf.longest_text is not None else longest_text(sf.data)
    if not blob:
        return None, positions, ids, longest
    payload = (FORMAT, sf.rel, vf.kind if vf is not None else None, vf.model if vf is not None else None,
               findings, positions, ids, longest, sf.interface)
    return pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL), positions, ids, longest


def _compact(sf: SourceFile, vf: ValidFile | None, root: Path, parts: tuple) -> tuple[SourceFile, ValidFile | None]:
    """The file just parsed in its cached form: the model kept, the source maps as the blobs of
    its entry (``parts`` from :func:`_entry_parts`), so that this process holds no more of it
    than of a file restored from the cache (no raw data, lines or decoded positions)."""
    _blob, positions, ids, longest = parts
    csf = CachedSourceFile(sf.rel, root, positions, ids, longest, sf.interface)
    return csf, (ValidFile(csf, vf.kind, vf.model) if vf is not None else None)


def _restore(blob: bytes, root: Path) -> tuple[SourceFile, ValidFile | None, list[Finding]]:
    fmt, rel, kind, model, findings, positions, ids, longest, interface = pickle.loads(blob)
    if fmt != FORMAT:
        raise ValueError("cache entry of another format")
    sf = CachedSourceFile(rel, root, positions, ids, longest, interface)
    return sf, (ValidFile(sf, kind, model) if kind is not None else None), findings


def _process(path: Path, root: Path, keys: bool = True,
             raw: bytes | None = None) -> tuple[SourceFile, ValidFile | None, list[Finding], bool]:
    """Read and validate one file: ``(source, valid file or None, findings, cacheable)``.

    A file that could not be read or parsed (load findings) is not cacheable, so its
    messages are always made from the file as it is now.  ``keys=False``: the source is
    about to be cached (whose key positions are re-read when asked for), so they are not
    recorded, unless validation has findings (which may point at a key: the file is then
    read again with them).
    """
    sf, fs = read_file(path, root, keys, raw)
    if fs:
        return sf, None, fs, False
    vf, fs2 = validate_file(sf)
    if fs2 and not keys:
        return _process(path, root, True, raw)
    return sf, vf, fs2, True


def _key(raw: bytes, rel: str) -> str:
    h = hashlib.sha256(code_digest().encode())
    h.update(rel.encode("utf-8"))
    h.update(b"\0")
    h.update(raw)
    return h.hexdigest()


PACK_SUFFIX = ".pack"
_PACK_MAGIC = b"STDKPAK2"
MAX_PACKS = 8
"""Packs kept before the live entries are rewritten into one (see :class:`Packs`)."""


STALE_TMP_SECONDS = 3600
"""A pack still being written (``.tmp-…``) untouched for this long was left by a killed run and is removed."""


def _older_than(path: Path, seconds: float) -> bool:
    import time

    try:
        return time.time() - path.stat().st_mtime > seconds
    except OSError:
        return False


class PackWriter:
    """One pack being written: entries are appended to a temporary file in the cache folder as
    they are made (so a cold run does not hold them all in memory), and :meth:`finish` adds the
    index and renames the file into place.  A run killed before that leaves a ``.tmp-`` file and
    no pack.  OS errors make it quietly write nothing (the cache is optional)."""

    def __init__(self, folder: Path):  # noqa: D107
        self.folder = folder
        self.index: dict[str, tuple[int, int]] = {}
        self._fh = None
        self._tmp: str | None = None
        self._off = len(_PACK_MAGIC)
        self._failed = False

    def add(self, key: str, blob) -> None:
        """Append entry ``key`` (``blob``: bytes or a bytes-like view)."""
        if self._failed or key in self.index:
            return
        try:
            if self._fh is None:
                self.folder.mkdir(parents=True, exist_ok=True)
                fd, self._tmp = tempfile.mkstemp(prefix=".tmp-", dir=self.folder)
                self._fh = os.fdopen(fd, "wb", buffering=1 << 20)
                self._fh.write(_PACK_MAGIC)
            self._fh.write(blob)
        except OSError:
            self.abort()
            self._failed = True
            return
        n = len(blob) if not isinstance(blob, memoryview) else blob.nbytes
        self.index[key] = (self._off, n)
        self._off += n

    def __contains__(self, key: str) -> bool:
        return key in self.index

    def finish(self) -> Path | None:
        """Write the index (a pickled ``{key: (offset, length)}``, then its length in 8 bytes,
        little-endian, at the very end) and rename the pack into place; returns its path, or
        ``None`` when nothing was written."""
        if self._fh is None or self._failed:
            return None
        try:
            head = pickle.dumps(self.index, protocol=pickle.HIGHEST_PROTOCOL)
            self._fh.write(head + len(head).to_bytes(8, "little"))
            self._fh.close()
            self._fh = None
            path = self.folder / f"{hashlib.sha256(head).hexdigest()[:16]}{PACK_SUFFIX}"
            os.replace(self._tmp, path)
            return path
        except OSError:
            self.abort()
            return None

    def abort(self) -> None:
        """Drop what was written (the temporary file is removed)."""
        if self._fh is not None:
            try:
                self._fh.close()
            except OSError:
                pass
            self._fh = None
        if self._tmp:
            Path(self._tmp).unlink(missing_ok=True)
            self._tmp = None


class Packs:
    """The entries of the cache folder: a few *pack* files, each many entries in one file.

    A pack is ``STDKPAK2``, the entry blobs one after the other, the index (a pickled
    ``{key: (offset, length)}``) and the index's length (8 bytes, little-endian).  A run reads
    every pack (memory-mapped), and appends the entries it has to compute to **one** new pack
    as it goes (:class:`PackWriter`: temporary file + rename, so a killed run leaves no
    half-written pack), so a cold check writes one file rather than one per corpus file.  When
    more than :data:`MAX_PACKS` packs exist, or dead entries (of edited or deleted files, or
    older code) fill more than half of them, the entries this run used are rewritten into a
    single pack and the others removed.  A pack that cannot be read (of an older layout, say)
    is removed; its entries are misses.
    """

    def __init__(self, folder: Path):  # noqa: D107
        import mmap

        self.folder = folder
        self.index: dict[str, tuple] = {}  # key -> (mmap, offset, length)
        self.files: list[Path] = []
        self._maps = []
        self.total = 0
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            names = []
        for name in names:
            path = folder / name
            if not name.endswith(PACK_SUFFIX):
                if not name.startswith(".tmp-") or _older_than(path, STALE_TMP_SECONDS):
                    path.unlink(missing_ok=True)  # an entry of the older layout, or left by a killed run
                continue
            try:
                with open(path, "rb") as fh:
                    mm = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
                if mm[:len(_PACK_MAGIC)] != _PACK_MAGIC or len(mm) < len(_PACK_MAGIC) + 8:
                    mm.close()
                    raise ValueError("not a pack of this layout")
                n = int.from_bytes(mm[-8:], "little")
                if n > len(mm) - 8 - len(_PACK_MAGIC):
                    mm.close()
                    raise ValueError("index length out of range")
                index = pickle.loads(mm[len(mm) - 8 - n:len(mm) - 8])
            except (OSError, ValueError, EOFError, pickle.UnpicklingError, TypeError):
                path.unlink(missing_ok=True)  # packs are renamed into place whole: this one is broken or old
                continue
            self._maps.append(mm)
            self.files.append(path)
            for key, (off, length) in index.items():
                self.index.setdefault(key, (mm, off, length))
                self.total += 1

    def get(self, key: str) -> memoryview | None:
        """The blob of entry ``key`` (a view into its pack), or ``None``."""
        hit = self.index.get(key)
        if hit is None:
            return None
        mm, off, length = hit
        return memoryview(mm)[off:off + length]

    def writer(self) -> PackWriter:
        """A new pack for this run's entries (see :meth:`commit`)."""
        return PackWriter(self.folder)

    def commit(self, new: PackWriter, used: set[str]) -> None:
        """Finish the pack ``new``; compact when packs pile up (see the class docstring).

        OS errors leave the cache as it was (it is optional)."""
        live = {k for k in used if k in self.index or k in new}
        written = new.finish()
        if not (len(self.files) + 1 > MAX_PACKS or (self.total and len(live - set(new.index)) * 2 < self.total)):
            return
        if written is None and new.index:  # the new entries were not written: nothing to compact with
            return
        every = Packs(self.folder)  # the packs as they are now, this run's among them
        try:
            out = PackWriter(self.folder)
            for k in sorted(live):
                blob = every.get(k)
                if blob is not None:
                    out.add(k, blob)
            final = out.finish()
            if final is not None:
                for path in every.files:
                    if path != final:
                        path.unlink(missing_ok=True)
        except OSError:
            pass
        finally:
            every.close()

    def close(self) -> None:
        """Release the memory maps (entries already restored keep no reference to them)."""
        for mm in self._maps:
            try:
                mm.close()
            except BufferError:  # a view is still alive somewhere: the map goes with it
                pass
        self._maps.clear()


# ---------------------------------------------------------------------- workers
_JOB: dict = {}


def _worker(indices: list[int]) -> tuple[str | None, list[tuple]]:
    """Parse the files at ``indices`` of the forked job list; the parent writes their entries to the cache.

    Returns ``(path, items)``: the entry blobs, one after the other, are written to the temporary
    file ``path`` (one write; the parent reads it back in one read and removes it), and each item
    is ``(index, offset, length, None)`` for an entry or ``(index, -1, 0, (source, findings))`` for a
    file that cannot be cached.  Sending tens of megabytes back through the pool's pipe instead
    costs seconds at N = 1000: the pipe is read in 64 KiB pieces by a thread of the parent,
    which waits for the interpreter lock for each piece while the parent parses its own share.
    When the file cannot be written, ``path`` is ``None`` and each item carries its blob instead
    of an offset (``(index, blob, -1, None)``).
    """
    root, paths, raws = _JOB["root"], _JOB["paths"], _JOB["raws"]
    items: list[tuple] = []
    blobs: list[bytes] = []
    off = 0
    for i in indices:
        sf, vf, fs, ok = _process(paths[i], root, keys=False, raw=raws[i])
        if ok:
            blob = _entry(sf, vf, fs)
            items.append((i, off, len(blob), None))
            blobs.append(blob)
            off += len(blob)
        else:
            items.append((i, -1, 0, (sf, fs)))
    try:
        fd, tmp = tempfile.mkstemp(prefix="stdkit-parse-")
        with os.fdopen(fd, "wb") as fh:
            fh.writelines(blobs)
        return tmp, items
    except OSError:
        blob_of = iter(blobs)
        return None, [(i, next(blob_of), -1, None) if plain is None else (i, -1, 0, plain)
                      for i, _off, _n, plain in items]


def _received(path: str | None, items: list[tuple]) -> list[tuple[int, Any, Any]]:
    """A worker's ``(path, items)`` as ``(index, blob or None, plain outcome or None)``; removes ``path``."""
    if path is None:
        return [(i, blob if plain is None else None, plain) for i, blob, _n, plain in items]
    try:
        with open(path, "rb") as fh:
            data = memoryview(fh.read())
    finally:
        os.unlink(path)
    return [(i, data[off:off + n] if plain is None else None, plain) for i, off, n, plain in items]


def _workers(n_items: int) -> int:
    env = os.environ.get("STDKIT_JOBS", "")
    n = int(env) if env.isdigit() and int(env) > 0 else (os.cpu_count() or 1)
    return max(1, min(n, n_items // (PARALLEL_MIN // 2) or 1))


def _parse_parallel(root: Path, paths: list[Path], keys: list[str | None], new: PackWriter | None,
                    todo: list[int], n_workers: int, raws: list[bytes | None]) -> dict[int, tuple]:
    """Parse ``todo`` (indices into ``paths``) here and in ``n_workers - 1`` forked workers.

    The files, largest first, are cut into :data:`TASKS_PER_WORKER` tasks per process of
    about equal size, shared out as each process becomes free (:func:`toolkit.parallel.share`);
    this process decodes the workers' entries between its own tasks.
    """
    from toolkit.parallel import share

    sizes = {i: _size(paths[i]) for i in todo}
    tasks = _tasks(sorted(todo, key=lambda i: -sizes[i]), sizes, TASKS_PER_WORKER * n_workers)
    results: dict[int, tuple] = {}

    def local(k: int) -> None:
        for i in tasks[k]:
            results[i] = _parse_one(paths[i], root, keys[i], new, raws[i], compact=True)

    def receive(_k: int, got: tuple) -> None:
        for i, blob, plain in _received(*got):
            if blob is not None:
                results[i] = _restore(blob, root)
                if new is not None and keys[i] is not None:
                    new.add(keys[i], blob)
            else:
                results[i] = (plain[0], None, plain[1])

    _JOB.update(root=root, paths=paths, raws=raws)
    try:
        share(len(tasks), local, lambda k: _worker(tasks[k]), receive, n_workers)
    finally:
        _JOB.clear()
    return results


TASKS_PER_WORKER = 24
"""Tasks the files of a parallel parse are cut into, per process (more: finer sharing, more round trips)."""


def _tasks(order: list[int], sizes: dict[int, int], n: int) -> list[list[int]]:
    """The indices ``order`` (largest file first) cut, in that order, into about ``n`` runs of about equal total size."""
    total = sum(sizes[i] for i in order) or 1
    target = total / max(1, n)
    out: list[list[int]] = []
    run: list[int] = []
    acc = 0
    for i in order:
        run.append(i)
        acc += sizes[i]
        if acc >= target:
            out.append(run)
            run, acc = [], 0
    if run:
        out.append(run)
    return out


def _parse_one(path: Path, root: Path, key: str | None, new: PackWriter | None, raw: bytes | None = None,
               compact: bool = False) -> tuple:
    """Read and validate one file in this process; its entry goes into ``new`` (when caching) and
    the file is kept in its compact cached form (also without caching when ``compact``: a parallel
    parse keeps every file as the workers' files are kept, so that a large corpus read without the
    cache, as each side of a diff is, holds its source maps as blobs rather than as plain data)."""
    caching = new is not None and key is not None
    sf, vf, fs, ok = _process(path, root, keys=not (caching or compact), raw=raw)
    if ok and (caching or compact):
        parts = _entry_parts(sf, vf, fs, blob=caching)
        if caching:
            new.add(key, parts[0])
        sf, vf = _compact(sf, vf, root, parts)
    return sf, vf, fs


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
    packs = Packs(root / CACHE_DIR) if use_cache else None
    new = packs.writer() if packs is not None else None
    paths = corpus_files(root)
    keys: list[str | None] = []
    results: dict[int, tuple] = {}
    todo: list[int] = []
    raws: list[bytes | None] = []
    for i, path in enumerate(paths):
        key = None
        raw = read_regular(path) if packs is not None else None  # links, pipes, huge files: read_file reports them
        raws.append(raw)
        if packs is not None:
            if raw is not None:
                key = _key(raw, path.relative_to(root).as_posix())
                blob = packs.get(key)
                if blob is not None:
                    try:
                        results[i] = _restore(blob, root)
                    except (ValueError, EOFError, pickle.UnpicklingError, AttributeError, TypeError,
                            ImportError, IndexError):
                        pass
                    finally:
                        blob.release()
                if i in results:
                    raws[i] = None  # a hit: its bytes are not needed any more
        keys.append(key)
        if i not in results:
            todo.append(i)
    n_workers = _workers(len(todo)) if len(todo) >= PARALLEL_MIN else 1
    try:
        if n_workers > 1:
            results.update(_parse_parallel(root, paths, keys, new, todo, n_workers, raws))
        else:
            for i in todo:
                results[i] = _parse_one(paths[i], root, keys[i], new, raws[i])
    except BaseException:
        if new is not None:
            new.abort()
        raise
    valid: list[ValidFile] = []
    findings: list[Finding] = []
    for i in range(len(paths)):
        sf, vf, fs = results[i]
        sf.digest = keys[i]
        findings.extend(fs)
        if vf is not None:
            valid.append(vf)
    if packs is not None:
        packs.commit(new, {k for k in keys if k is not None})
        packs.close()
    return valid, findings
