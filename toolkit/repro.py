"""Reproducibility: one clock for every artifact, one zip normaliser for every OOXML package.

Every timestamp stdkit writes into a file (DOCX/XLSX core properties and zip entry
times, Word comment and tracked-change dates, the site's sitemap dates, the dates of
the 修订记录 page) comes from :func:`build_epoch` — a date taken from the corpus itself,
never from the wall clock or from file modification times:

1. ``SOURCE_DATE_EPOCH`` (Unix seconds), when set in the environment, overrides
   everything (https://reproducible-builds.org/specs/source-date-epoch/);
2. else, when the project root is inside a git repository, the commit time of the last
   commit touching ``standards/`` (``git log -1 --format=%ct -- standards``);
3. else the newest ``date`` of the corpus's ``editions`` registry list
   (``standards/registry/system.yaml``), as 00:00 UTC of that day.

This module is the only place in ``toolkit/`` that reads ``SOURCE_DATE_EPOCH``.
Tools that read it themselves (MkDocs for its sitemap) are given the epoch explicitly
through :func:`source_date_env`, which sets the variable around one call and restores
the environment afterwards.

:func:`normalise_zip` rewrites an OOXML package (DOCX, XLSX) with its entries in the
order the writer made them, every entry dated :func:`zip_date_time` of the epoch, one
file mode (``0o644``, Unix) and one compression level, so equal content gives equal bytes.
"""
from __future__ import annotations

import datetime as dt
import functools
import io
import os
import re
import subprocess
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ENV = "SOURCE_DATE_EPOCH"
ZIP_MIN_EPOCH = 315532800
"""1980-01-01T00:00:00Z, the earliest time a zip entry can hold."""
FILE_MODE = 0o644
"""Unix mode of every entry of a normalised zip."""
COMPRESS_LEVEL = 6


class NoBuildEpoch(ValueError):
    """No date could be found: not in git, no ``SOURCE_DATE_EPOCH`` and no ``editions`` date in the corpus."""


def env_override() -> int | None:
    """``SOURCE_DATE_EPOCH`` as an int when set to a non-negative integer, else ``None``."""
    raw = os.environ.get(ENV, "").strip()
    return int(raw) if raw.isdigit() else None


@functools.lru_cache(maxsize=64)
def git_epoch(root: str, rev: str = "HEAD", path: str = "standards") -> int | None:
    """Commit time (Unix seconds) of the last commit reachable from ``rev`` touching ``path`` under ``root``.

    ``None`` when git is missing, ``root`` is not in a repository or no commit touches
    ``path`` (an empty ``path``: the time of ``rev`` itself).  Cached per ``(root, rev, path)`` for the life of the process.
    """
    try:
        res = subprocess.run(["git", "-C", root, "log", "-1", "--format=%ct", rev, *(["--", path] if path else [])],
                             capture_output=True, text=True, timeout=60,
                             env={**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"})
    except (OSError, subprocess.SubprocessError):
        return None
    out = res.stdout.strip()
    return int(out) if res.returncode == 0 and out.isdigit() else None


def commit_epoch(root: Path, rev: str) -> int | None:
    """Commit time (Unix seconds) of revision ``rev`` itself in the repository holding ``root`` (``None`` if unknown)."""
    return git_epoch(str(Path(root).resolve()), rev, "")


_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


_CORPUS_EPOCHS: dict[tuple, int | None] = {}
""":func:`corpus_epoch` by the registry files' names, sizes and modification times (read once while they stay so)."""


def corpus_epoch(root: Path) -> int | None:
    """The newest ``editions[].date`` (``YYYY-MM-DD``) of the registry files under ``root/standards/registry``, as
    00:00 UTC of that day; ``None`` when no file holds one.  Read directly (small files), so no corpus is needed;
    read again only when a registry file's size or modification time changed (a check builds
    documents for many drafts, each asking for this date)."""
    folder = Path(root) / "standards" / "registry"
    files = sorted(folder.glob("*.y*ml")) if folder.is_dir() else []
    stamp = [str(folder)]
    for f in files:
        try:
            st = f.stat()
        except OSError:
            continue
        stamp.append((f.name, st.st_size, st.st_mtime_ns))
    key = tuple(stamp)
    if key not in _CORPUS_EPOCHS:
        if len(_CORPUS_EPOCHS) > 64:
            _CORPUS_EPOCHS.clear()
        _CORPUS_EPOCHS[key] = _read_corpus_epoch(files)
    return _CORPUS_EPOCHS[key]


def _read_corpus_epoch(files: list[Path]) -> int | None:
    import yaml

    best: int | None = None
    for f in files:
        try:
            data = yaml.load(f.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        editions = data.get("editions") if isinstance(data, dict) else None
        for e in editions if isinstance(editions, list) else []:
            m = _DATE.match(str(e.get("date", ""))) if isinstance(e, dict) else None
            if m:
                day = dt.datetime(int(m[1]), int(m[2]), int(m[3]), tzinfo=dt.timezone.utc)
                best = max(best or 0, int(day.timestamp()))
    return best


def find_epoch(root: Path | str) -> int | None:
    """:func:`build_epoch`, or ``None`` when no date can be found (instead of raising)."""
    override = env_override()
    if override is not None:
        return override
    resolved = Path(root).resolve()
    from_git = git_epoch(str(resolved))
    if from_git is not None:
        return from_git
    return corpus_epoch(resolved)


def build_epoch(root: Path | str) -> int:
    """The date (Unix seconds, UTC) of every artifact built from the corpus at ``root`` (see module doc).

    Raises :class:`NoBuildEpoch` when neither ``SOURCE_DATE_EPOCH``, git nor the corpus gives a date.
    """
    found = find_epoch(root)
    if found is not None:
        return found
    resolved = Path(root).resolve()
    raise NoBuildEpoch(f"{resolved}: no date for the build — not a git repository, SOURCE_DATE_EPOCH not set, "
                       "and no `editions` date in standards/registry/")


def epoch_datetime(epoch: int) -> dt.datetime:
    """``epoch`` as a naive UTC datetime (what python-docx and openpyxl store as core-property dates)."""
    return dt.datetime.fromtimestamp(epoch, dt.timezone.utc).replace(tzinfo=None)


def epoch_utc(epoch: int) -> dt.datetime:
    """``epoch`` as a timezone-aware UTC datetime."""
    return dt.datetime.fromtimestamp(epoch, dt.timezone.utc)


def zip_date_time(epoch: int) -> tuple[int, int, int, int, int, int]:
    """Zip entry ``date_time`` of ``epoch`` (UTC; clamped to 1980-01-01, the earliest a zip can hold).

    Seconds are rounded down to even: a zip entry stores time in 2-second steps, so this is
    exactly what a reader gets back from the file.
    """
    t = epoch_datetime(max(epoch, ZIP_MIN_EPOCH))
    return (t.year, t.month, t.day, t.hour, t.minute, t.second - t.second % 2)


def core_dates_rewrite(epoch: int) -> Callable[[bytes], bytes]:
    """A rewrite for ``docProps/core.xml`` setting ``dcterms:created``/``modified`` to ``epoch`` (UTC)."""
    stamp = epoch_datetime(epoch).strftime("%Y-%m-%dT%H:%M:%SZ").encode()

    def fix(body: bytes) -> bytes:
        for tag in (b"created", b"modified"):
            body = re.sub(rb"(<dcterms:" + tag + rb"[^>]*>)[^<]*(</dcterms:" + tag + rb">)",
                          lambda m: m.group(1) + stamp + m.group(2), body)
        return body

    return fix


def normalise_zip(src: Path | bytes, epoch: int,
                  rewrite: dict[str, bytes | Callable[[bytes], bytes]] | None = None) -> bytes:
    """The zip ``src`` (a path, rewritten in place, or bytes) with fixed entry times, mode and compression.

    Entries keep the order the writer made them; each is dated :func:`zip_date_time` of
    ``epoch``, has mode ``0o644`` (Unix) and is deflated at level 6.  ``rewrite`` maps entry
    names to replacement bytes or to a filter over the entry's bytes.  Returns the new
    bytes (also written back when ``src`` is a path).  Raises ``zipfile.BadZipFile`` for
    a file that is not a zip.
    """
    data = Path(src).read_bytes() if isinstance(src, Path) else src
    rewrite = rewrite or {}
    stamp = zip_date_time(epoch)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            body = zin.read(info.filename)
            fix = rewrite.get(info.filename)
            if fix is not None:
                body = fix(body) if callable(fix) else fix
            zi = zipfile.ZipInfo(info.filename, date_time=stamp)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = FILE_MODE << 16
            zi.create_system = 3
            zout.writestr(zi, body, compresslevel=COMPRESS_LEVEL)
    result = out.getvalue()
    if isinstance(src, Path):
        src.write_bytes(result)
    return result


@contextmanager
def source_date_env(epoch: int) -> Iterator[None]:
    """Set ``SOURCE_DATE_EPOCH`` to ``epoch`` for a tool that reads it itself (MkDocs, WeasyPrint/fontTools),
    restoring the previous environment afterwards."""
    old = os.environ.get(ENV)
    os.environ[ENV] = str(int(epoch))
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(ENV, None)
        else:
            os.environ[ENV] = old
