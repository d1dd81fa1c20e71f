"""Property-based tests: mutated real corpus files give findings or a clean pass, never an exception.

Each example takes one real file under ``standards/``, breaks it (deleted keys,
values of the wrong type, duplicated lines and keys, random bytes, truncation,
alias bombs, unsafe ids, odd Chinese text) and runs the whole pipeline — read,
validate, resolve, every check, formatting of every finding, and, when no error
is left, the document model of every draft — with the other real files.  The
other files are parsed once (the read stage is the slow part), so one example
costs about 0.1 s; 370 examples run (``STDKIT_FUZZ_SCALE=N`` runs N times as many).
"""
from __future__ import annotations

import json
import os
import random
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.checks import run_checks
from toolkit.corpus import resolve
from toolkit.document import build_document
from toolkit.findings import Finding, format_finding
from toolkit.load import corpus_files, read_file
from toolkit.model import ID_RE
from toolkit.validate import validate_tree

ROOT = Path(__file__).resolve().parents[2]
REAL = [p.relative_to(ROOT).as_posix() for p in corpus_files(ROOT)]
SETTINGS = dict(deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
SCALE = int(os.environ.get("STDKIT_FUZZ_SCALE", "1"))
"""Multiply the example counts for a deeper run on demand (``STDKIT_FUZZ_SCALE=10``)."""

_baseline: dict[str, object] = {}


def baseline() -> dict:
    """Parsed real files by relative path (read once per process)."""
    if not _baseline:
        for rel in REAL:
            sf, fs = read_file(ROOT / rel, ROOT)
            _baseline[rel] = (sf, fs)
    return _baseline


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def run_pipeline(scratch: Path, rel: str, raw: bytes) -> list[Finding]:
    """Replace real file ``rel`` by ``raw`` and run everything; returns all findings (must not raise)."""
    path = scratch / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw)
    sf, findings = read_file(path, scratch)
    files = []
    for r in REAL:
        if r == rel:
            if not findings:
                files.append(sf)
        else:
            base_sf, base_fs = baseline()[r]
            if not base_fs:
                files.append(base_sf)
    valid, f2 = validate_tree(files)
    corpus, f3 = resolve(valid, ROOT)
    findings = findings + f2 + f3 + run_checks(corpus)
    for f in findings:
        assert isinstance(f, Finding)
        assert format_finding(f)
        json.dumps(f.to_dict(), ensure_ascii=False)
    if not any(f.is_error for f in findings):
        for sid in corpus.drafts:
            if sid in corpus.standards:
                build_document(corpus, sid)
    return findings


def real_text(rel: str) -> str:
    return (ROOT / rel).read_text(encoding="utf-8")


# ------------------------------------------------------------------ data-level mutations
ODD_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["[[no-such-id]]", "必须", "GB/T 1.1-2020", "../..", "ind-far", "%", "range", ">=", "",
                     "<script>alert(1)</script>", "应符合[[tab-x]]的规定,宜", "national", "detailed"]),
    st.lists(st.text(max_size=8), max_size=3),
    st.dictionaries(st.sampled_from(["id", "title", "value", "x"]), st.integers(), max_size=2),
)


def _paths(data, prefix=()):
    """Every key path in ``data`` (mappings and lists), depth-first."""
    if isinstance(data, dict):
        for k, v in data.items():
            yield prefix + (k,)
            yield from _paths(v, prefix + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield prefix + (i,)
            yield from _paths(v, prefix + (i,))


def _parent(data, path):
    for p in path[:-1]:
        data = data[p]
    return data


@settings(max_examples=120 * SCALE, **SETTINGS)
@given(rel=st.sampled_from(REAL), seed=st.integers(0, 2**32 - 1), op=st.sampled_from(["delete", "replace"]),
       value=ODD_VALUES)
def test_data_mutations(scratch, rel, seed, op, value):
    """Delete a key or list item anywhere, or give it a value of another type."""
    import copy

    data = copy.deepcopy(baseline()[rel][0].data)
    paths = list(_paths(data))
    if not paths:
        return
    path = random.Random(seed).choice(paths)
    parent = _parent(data, path)
    if op == "delete":
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    raw = yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")
    run_pipeline(scratch, rel, raw)


# ------------------------------------------------------------------ text-level mutations
@settings(max_examples=150 * SCALE, **SETTINGS)
@given(rel=st.sampled_from(REAL), seed=st.integers(0, 2**32 - 1),
       op=st.sampled_from(["duplicate-line", "random-bytes", "truncate", "delete-line", "indent", "swap-lines"]),
       junk=st.binary(min_size=1, max_size=12))
def test_text_mutations(scratch, rel, seed, op, junk):
    """Duplicate a line (duplicate keys), insert random bytes, truncate, drop or shift lines."""
    rnd = random.Random(seed)
    raw = (ROOT / rel).read_bytes()
    lines = raw.split(b"\n")
    i = rnd.randrange(len(lines))
    if op == "duplicate-line":
        lines.insert(i, lines[i])
        raw = b"\n".join(lines)
    elif op == "random-bytes":
        k = rnd.randrange(len(raw) + 1)
        raw = raw[:k] + junk + raw[k:]
    elif op == "truncate":
        raw = raw[: rnd.randrange(len(raw) + 1)]
    elif op == "delete-line":
        del lines[i]
        raw = b"\n".join(lines)
    elif op == "indent":
        lines[i] = b" " * rnd.choice([1, 2, 3]) + lines[i]
        raw = b"\n".join(lines)
    else:
        j = rnd.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
        raw = b"\n".join(lines)
    run_pipeline(scratch, rel, raw)


UNSAFE_IDS = st.one_of(
    st.sampled_from(["../escape", "a/b", "A", "has space", "x--y", "-x", "中文", "x" * 81, "", ".", "a\\b",
                     "con", "index.html", "%2e%2e", "ｉｎｄ", "\u200bind-x"]),
    st.text(min_size=0, max_size=20),
)


@settings(max_examples=40 * SCALE, **SETTINGS)
@given(rel=st.sampled_from(REAL), seed=st.integers(0, 2**32 - 1), bad=UNSAFE_IDS)
def test_unsafe_ids(scratch, rel, seed, bad):
    """Replace one `id:` (or `standard:` reference) by an unsafe one."""
    text = real_text(rel)
    lines = text.split("\n")
    idx = [i for i, l in enumerate(lines) if l.lstrip(" -").startswith(("id:", "standard:"))]
    if not idx:
        return
    i = random.Random(seed).choice(idx)
    head = lines[i].split(":", 1)[0]
    lines[i] = f"{head}: {json.dumps(bad, ensure_ascii=False)}"
    findings = run_pipeline(scratch, rel, "\n".join(lines).encode("utf-8"))
    stripped = bad.strip()  # the models strip surrounding whitespace
    if not rel.endswith("units.yaml") and (not ID_RE.match(stripped) or "--" in stripped):  # unit ids may hold "/"
        assert any(f.is_error for f in findings), f"unsafe id {bad!r} passed"


@settings(max_examples=20 * SCALE, **SETTINGS)
@given(rel=st.sampled_from(REAL), seed=st.integers(0, 2**32 - 1), depth=st.integers(2, 9), width=st.integers(2, 12))
def test_alias_bombs(scratch, rel, seed, depth, width):
    """Anchors and aliases nested ``depth`` levels, ``width`` wide, spliced in as a value or a new key."""
    rows = ["x0: &a0 [lol, lol, lol]"]
    for d in range(1, depth + 1):
        rows.append(f"x{d}: &a{d} [" + ", ".join([f"*a{d - 1}"] * width) + "]")
    text = real_text(rel)
    if random.Random(seed).random() < 0.5:
        raw = "\n".join(rows) + "\n" + text
    else:
        raw = text.rstrip("\n") + "\n" + "\n".join(rows) + f"\nbomb: *a{depth}\n"
    findings = run_pipeline(scratch, rel, raw.encode("utf-8"))
    if width ** depth > 200_000:
        assert any(f.code == "E005" for f in findings)


@settings(max_examples=40 * SCALE, **SETTINGS)
@given(rel=st.sampled_from(REAL), seed=st.integers(0, 2**32 - 1))
def test_duplicate_keys(scratch, rel, seed):
    """Repeat one `key:` line of a mapping: YAML would keep only one of them, so it must be E004."""
    sf = baseline()[rel][0]
    lines = (ROOT / rel).read_text(encoding="utf-8").split("\n")
    starts = sorted({line for (line, col) in sf.key_positions.values()
                     if not lines[line - 1].lstrip().startswith("-") and col == len(lines[line - 1]) - len(lines[line - 1].lstrip()) + 1})
    if not starts:
        return
    n = random.Random(seed).choice(starts)
    lines.insert(n, lines[n - 1])
    findings = run_pipeline(scratch, rel, "\n".join(lines).encode("utf-8"))
    assert [f.code for f in findings if f.location.file == rel][:1] == ["E004"]


# ------------------------------------------------------------------ tags, deep nesting, symbolic links (issue 11)
TAGS = st.sampled_from(["!foo", "!!python/object/apply:os.system", "!!python/name:os.system", "!!python/tuple",
                        "!!python/object:collections.OrderedDict", "!<tag:example.org,2026:x>", "!!timestamp",
                        "!!int", "!!float", "!!binary", "!!set", "!!omap", "!!str", "!!null", "!"])


@settings(max_examples=60 * SCALE, **SETTINGS)
@given(rel=st.sampled_from(REAL), seed=st.integers(0, 2**32 - 1), tag=TAGS)
def test_tags(scratch, rel, seed, tag):
    """Put a tag before one value (scalar, list or mapping); a non-standard tag must be E011 at that line."""
    lines = real_text(rel).split("\n")
    idx = [i for i, l in enumerate(lines) if ": " in l and not l.lstrip().startswith("#")]
    if not idx:
        return
    i = random.Random(seed).choice(idx)
    key, _, value = lines[i].partition(": ")
    lines[i] = f"{key}: {tag} {value}"
    findings = run_pipeline(scratch, rel, "\n".join(lines).encode("utf-8"))
    if tag.startswith(("!!python", "!foo", "!<")):
        here = [f for f in findings if f.location.file == rel]
        assert here and here[0].code in ("E011", "E003"), here  # E003: the tag made the line unparsable
        if here[0].code == "E011":
            assert here[0].location.line == i + 1


@settings(max_examples=30 * SCALE, **SETTINGS)
@given(rel=st.sampled_from(REAL), seed=st.integers(0, 2**32 - 1), depth=st.integers(1, 1200),
       flow=st.booleans())
def test_deep_nesting(scratch, rel, seed, depth, flow):
    """Nest a value ``depth`` levels deep (flow ``[[…]]`` or block ``- - …``): a finding or a pass, never a crash."""
    lines = real_text(rel).split("\n")
    idx = [i for i, l in enumerate(lines) if ": " in l and not l.lstrip().startswith("#")]
    if not idx:
        return
    i = random.Random(seed).choice(idx)
    key, _, value = lines[i].partition(": ")
    if flow:
        lines[i] = f"{key}: {'[' * depth}{value}{']' * depth}"
    else:
        indent = len(key) - len(key.lstrip()) + 2
        lines[i] = f"{key}:\n" + " " * indent + "- " * depth + (value or "x")
    findings = run_pipeline(scratch, rel, "\n".join(lines).encode("utf-8"))
    from toolkit.load import MAX_DEPTH

    if depth > MAX_DEPTH + 1:
        assert any(f.code in ("E009", "E003") and f.location.file == rel for f in findings), findings


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
@settings(max_examples=20 * SCALE, **SETTINGS)
@given(rel=st.sampled_from(REAL), kind=st.sampled_from(["dangling", "loop", "outside", "absolute", "folder", "inside"]))
def test_symlinks(tmp_path_factory, rel, kind):
    """Replace a real file by a symbolic link: dangling, looping and project-leaving links are E012, never read."""
    from toolkit.corpus import load_corpus

    root = tmp_path_factory.mktemp("links")
    shutil.copytree(ROOT / "standards", root / "standards")
    path = root / rel
    path.unlink()
    outside = tmp_path_factory.mktemp("outside") / "x.yaml"
    outside.write_bytes((ROOT / rel).read_bytes())
    target = {"dangling": Path("no-such.yaml"), "loop": Path(path.name), "outside": outside,
              "absolute": Path("/etc/passwd"), "folder": root / "standards" / "registry",
              "inside": Path(os.path.relpath(root / "copy.yaml", path.parent))}[kind]
    if kind == "inside":
        (root / "copy.yaml").write_bytes((ROOT / rel).read_bytes())
    path.symlink_to(target)
    corpus, findings = load_corpus(root)
    here = [f for f in findings if f.location.file == rel]
    if kind == "inside":
        assert not [f for f in here if f.code == "E012"]
    else:
        assert [f.code for f in here] == ["E012"], here
    for f in findings:
        assert format_finding(f)
    shutil.rmtree(root)
