"""Read stage: YAML files → plain data plus a map of source positions.

Uses PyYAML's C composer (fast) and builds Python values from the node graph
ourselves, so that we can

* remember the 1-based line/column of every mapping value and list item
  (``positions[path] = (line, col)``, ``path`` a tuple of keys and indices);
* reject duplicate keys (PyYAML silently keeps the last one — a lost edit);
* bound alias expansion (a "billion laughs" alias bomb becomes a finding);
* report non-UTF-8 bytes, empty files and syntax errors with line, column and
  the offending line (and, for an unclosed bracket or quote, where it opened);
* bound nesting depth well before Python's recursion limit (E009);
* report a scalar that cannot be built (``2023-02-30``, ``!!int abc``) at its own
  line and column (E010), and any tag other than the standard YAML ones —
  ``!foo``, ``!!python/object/apply:…`` — on scalars, lists and mappings (E011);
* check a file's size with ``stat`` before reading it (E008), and report
  symbolic links that dangle, loop or leave the project (E012).

Errors are returned as :class:`toolkit.findings.Finding` (codes E001–E012),
never raised.
"""
from __future__ import annotations

import errno
import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from toolkit.findings import Finding, Location

CODES: dict[str, dict[str, str]] = {
    "E001": {"severity": "error", "title": "file is not UTF-8 text",
             "fix": "re-save the file as UTF-8"},
    "E002": {"severity": "error", "title": "file is empty",
             "fix": "add content or delete the file"},
    "E003": {"severity": "error", "title": "YAML syntax error",
             "fix": "fix indentation, quotes or brackets at the given line and column; quote text that holds a half-width `: ` or use ："},
    "E004": {"severity": "error", "title": "duplicate key in a mapping (one edit would be lost)",
             "fix": "merge or rename the keys"},
    "E005": {"severity": "error", "title": "anchors/aliases expand without bound (alias bomb)",
             "fix": "write content out instead of nesting aliases"},
    "E007": {"severity": "error", "title": "top level is not a mapping",
             "fix": "start the file with a key such as `measures:`"},
    "E008": {"severity": "error", "title": "file too large",
             "fix": "split the file"},
    "E009": {"severity": "error", "title": "lists/mappings nested too deep",
             "fix": "flatten the structure (no corpus record needs more than a few levels)"},
    "E010": {"severity": "error", "title": "value cannot be read as its YAML type (e.g. a date that does not exist)",
             "fix": "write a valid value, or quote it to keep it as text"},
    "E011": {"severity": "error", "title": "YAML tag other than the standard ones (e.g. `!foo`, `!!python/…`)",
             "fix": "remove the tag; write the plain value"},
    "E012": {"severity": "error", "title": "symbolic link in standards/ that dangles, loops, leaves the project "
                                           "or links a folder (or an entry that is not a regular file)",
             "fix": "replace the link by the file itself, or point it at a file inside the project"},
}
"""Finding codes this module emits (collected by :mod:`toolkit.codes`)."""

try:  # pragma: no cover - depends on libyaml being present
    _BaseLoader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _BaseLoader = yaml.SafeLoader


_STR_TAG = "tag:yaml.org,2002:str"


class _Loader(_BaseLoader):
    """PyYAML's safe loader (libyaml when present) with a leaner implicit-tag resolver.

    libyaml calls :meth:`resolve` once per scalar (about 1.5 million times at N = 1000
    standards).  PyYAML's own method concatenates two lists and consults path resolvers
    on every call; this one gives the same tags (YAML 1.1 safe schema, no path
    resolvers) from tables built once.
    """

    _wild = tuple(_BaseLoader.yaml_implicit_resolvers.get(None, ()))
    _by_first = {k: tuple(v) + tuple(_BaseLoader.yaml_implicit_resolvers.get(None, ()))
                 for k, v in _BaseLoader.yaml_implicit_resolvers.items() if k is not None}

    def resolve(self, kind, value, implicit, _scalar=yaml.ScalarNode, _str=_STR_TAG):  # noqa: D102 - see the class docstring
        if kind is _scalar:
            if implicit[0]:
                for tag, regexp in self._by_first.get(value[:1], self._wild):
                    if regexp.match(value):
                        return tag
            return _str
        return self.DEFAULT_SEQUENCE_TAG if kind is yaml.SequenceNode else self.DEFAULT_MAPPING_TAG

    # No path resolvers: the composer's calls before and after each node have nothing to do.
    # C callables taking the same arguments (and whose result is ignored) spare a Python call
    # per node: ``descend_resolver(parent, index)``, ``ascend_resolver()``.
    descend_resolver = staticmethod(slice)
    ascend_resolver = staticmethod(tuple)


MAX_NODES = 200_000
"""Most nodes one file may expand to (aliases included) before it is rejected as an alias bomb."""

MAX_BYTES = 5_000_000
"""Largest corpus file accepted (bytes); checked with ``stat`` before the file is read."""

MAX_DEPTH = 64
"""Deepest nesting of lists/mappings accepted (the deepest real draft nests about 15 levels;
Python's recursion limit, 1000 frames, is far away)."""

STANDARD_TAGS = frozenset("tag:yaml.org,2002:" + t for t in (
    "str", "int", "float", "bool", "null", "timestamp", "seq", "map", "merge", "binary", "omap", "pairs", "set"))
"""The standard YAML tags (the types of YAML 1.1's safe schema); any other tag is E011."""

_STR = "tag:yaml.org,2002:str"

Path_ = tuple


@dataclass
class SourceFile:
    """One parsed YAML file.

    ``rel`` is the path relative to the corpus root (posix), ``data`` the plain
    value (dict for a valid corpus file), ``positions`` maps a key path to the
    (line, col) where its value starts, ``key_positions`` maps a path to where
    its key starts, ``lines`` holds the source text lines for messages;
    ``longest_text`` is the length (characters) of the longest text value, counted while
    parsing (``None`` when not known).
    """

    rel: str
    data: Any = None
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)
    longest_text: int | None = None
    digest: str | None = None
    """Content key of the file (set by :func:`toolkit.sourcecache.load_sources` when caching), else ``None``."""
    interface: str | None = None
    """For a draft file: digest of everything but its ``text`` values, with every node's position
    (set with :attr:`digest`); a change of a paragraph's wording alone leaves it unchanged."""
    text_cut: bytes | None = None
    """SHA-256 of the file's text with the span of every ``text`` value left out (set by
    :func:`parse_text` for a file holding ``text`` keys; see :func:`toolkit.sourcecache.interface_digest`)."""

    def loc(self, path: Path_ = ()) -> Location:
        """Location of ``path`` in this file, falling back to the nearest known ancestor."""
        p = tuple(path)
        while p:
            if p in self.positions:
                line, col = self.positions[p]
                return Location(self.rel, line, col)
            p = p[:-1]
        return Location(self.rel, self.positions.get((), (1, 1))[0], 1)

    def key_loc(self, path: Path_) -> Location:
        """Location of the key of ``path`` (falls back to :meth:`loc`)."""
        p = tuple(path)
        if p in self.key_positions:
            line, col = self.key_positions[p]
            return Location(self.rel, line, col)
        return self.loc(p)


class _Bomb(Exception):
    pass


class _TooDeep(Exception):
    def __init__(self, pos: tuple[int, int]):
        super().__init__(pos)
        self.pos = pos


class _DuplicateKey(Exception):
    def __init__(self, key: str, first: tuple[int, int], second: tuple[int, int]):
        super().__init__(key)
        self.key, self.first, self.second = key, first, second


def _pos(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


_SCALAR_HINTS = {
    "timestamp": "a date must exist (YYYY-MM-DD, e.g. 2023-02-28); quote it (\"2023-02-30\") to keep it as text",
    "int": "write digits only, or quote the value to keep it as text",
    "float": "write a number such as 1.5, or quote the value to keep it as text",
    "binary": "remove the `!!binary` tag and write the text",
}


def _short_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


def _scalar(node: yaml.ScalarNode, loader: yaml.SafeLoader, bad: list[Finding] | None = None, rel: str = "") -> Any:
    """The value of a scalar node; a tag or value that cannot be built is recorded in ``bad`` (E010/E011)."""
    if node.tag == _STR:  # most scalars: the text itself (what SafeConstructor returns for a str node)
        return node.value
    if bad is not None and node.tag not in STANDARD_TAGS:
        bad.append(Finding("E011", "error", f"YAML tag `{_short_tag(node.tag)}` on the value `{node.value[:60]}`: "
                           "only the standard YAML tags are read", Location(rel, *_pos(node)),
                           "remove the tag and write the plain value"))
        return node.value
    try:
        return loader.construct_object(node, deep=False)
    except Exception as exc:  # PyYAML's constructors raise anything (`!!timestamp x`: AttributeError)
        if bad is None:
            raise
        kind = node.tag.rpartition(":")[2]
        problem = getattr(exc, "problem", None) or (str(exc).splitlines() or [""])[0]
        if not isinstance(exc, (yaml.YAMLError, ValueError, OverflowError)):  # a constructor's own bug
            problem = f"not a valid {kind}"
        bad.append(Finding("E010", "error", f"value `{node.value[:60]}` cannot be read as {kind}: {problem}",
                           Location(rel, *_pos(node)),
                           _SCALAR_HINTS.get(kind, "fix the value, or quote it to keep it as text")))
        return node.value


def _build(node: yaml.Node, path: Path_, sf: SourceFile, loader, budget: list[int],
           bad: list[Finding] | None = None, depth: int = 0, text_spans: list | None = None,
           keys: bool = True) -> Any:
    """Plain value of ``node``, recording positions in ``sf``; raises _Bomb, _TooDeep, _DuplicateKey.

    ``text_spans`` (when given) receives ``(start, end)``, the character offsets in the stream, of
    every value of a ``text`` key (aliases of earlier nodes left out).  ``keys=False`` leaves
    ``sf.key_positions`` empty (for a file whose keys' own positions will not be asked for).

    Tag and scalar problems go to ``bad`` (the build goes on, so every one of them is reported).
    ``budget[0]`` counts the nodes built so far (against :data:`MAX_NODES`).  Written as one
    closure with local look-ups: it runs once per node of the whole corpus (about a million
    at N = 1000 standards), so it is the largest cost of a cold read after libyaml itself.
    """
    positions, rel = sf.positions, sf.rel
    key_positions = sf.key_positions if keys else None
    scalar_cls, seq_cls, map_cls = yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode
    str_tag, tags, merge_tag = _STR, STANDARD_TAGS, "tag:yaml.org,2002:merge"
    count = budget[0]
    longest = sf.longest_text or 0
    spans = text_spans if text_spans is not None else []

    def build(node, path, depth):
        nonlocal count, longest
        count += 1
        if count > MAX_NODES:
            raise _Bomb()
        mark = node.start_mark
        positions[path] = (mark.line + 1, mark.column + 1)
        cls = node.__class__
        if cls is scalar_cls:
            if node.tag == str_tag:
                value = node.value
                if len(value) > longest:
                    longest = len(value)
                return value
            return _scalar(node, loader, bad, rel)
        if depth > MAX_DEPTH:
            raise _TooDeep(_pos(node))
        if bad is not None and node.tag not in tags:
            what = "list" if cls is seq_cls else "mapping"
            bad.append(Finding("E011", "error", f"YAML tag `{_short_tag(node.tag)}` on a {what}: "
                               "only the standard YAML tags are read (a tag like this would run code in some loaders)",
                               Location(rel, *_pos(node)), "remove the tag and write the plain list or mapping"))
        depth += 1
        if cls is seq_cls:
            return [build(child, path + (i,), depth) for i, child in enumerate(node.value)]
        if cls is map_cls:
            out: dict = {}
            merged_keys = None  # keys that came from a merge (`<<`): an explicit key may override them once
            for key_node, value_node in node.value:
                if key_node.tag == merge_tag:
                    merged = build(value_node, path, depth)
                    for m in merged if isinstance(merged, list) else [merged]:
                        if isinstance(m, dict):
                            for k, v in m.items():
                                if k not in out:
                                    out[k] = v
                                    merged_keys = merged_keys or set()
                                    merged_keys.add(k)
                    continue
                if key_node.__class__ is scalar_cls and key_node.tag == str_tag:
                    key = key_node.value
                else:
                    key = _key_of(key_node, loader, bad, rel)
                if key in out:
                    if merged_keys is not None and key in merged_keys:
                        merged_keys.discard(key)  # YAML: an explicit key overrides a merged one
                    else:
                        raise _DuplicateKey(str(key), _first_key_pos(node, key, loader, rel), _pos(key_node))
                kpath = path + (key,)
                if key_positions is not None:
                    kmark = key_node.start_mark
                    key_positions[kpath] = (kmark.line + 1, kmark.column + 1)
                if key == "text":
                    start = value_node.start_mark.index
                    if start > key_node.start_mark.index:  # not an alias of an earlier node
                        spans.append((start, value_node.end_mark.index))
                out[key] = build(value_node, kpath, depth)
            return out
        return None  # pragma: no cover

    try:
        return build(node, path, depth)
    finally:
        budget[0] = count
        sf.longest_text = longest


def _key_of(key_node: yaml.Node, loader, bad: list[Finding] | None, rel: str) -> Any:
    """The key a mapping's key node stands for: its plain value (str, int, float or bool), else its text."""
    if key_node.__class__ is yaml.ScalarNode:
        key = key_node.value if key_node.tag == _STR else _scalar(key_node, loader, bad, rel)
    else:  # a list or mapping as a key: not a corpus key; shown as where it is
        key = f"<{type(key_node).__name__} at line {_pos(key_node)[0]}>"
    if key.__class__ is not str and (not isinstance(key, (str, int, float, bool)) or key is None):
        key = str(key)
    return key


def _first_key_pos(node: yaml.MappingNode, key: Any, loader, rel: str) -> tuple[int, int]:
    """Where the first explicit ``key`` of mapping ``node`` stands (for a duplicate key's message)."""
    for key_node, _value in node.value:
        if key_node.tag != "tag:yaml.org,2002:merge" and _key_of(key_node, loader, [], rel) == key:
            return _pos(key_node)
    return _pos(node)  # pragma: no cover - the key was seen


def _line_text(lines: list[str], line: int) -> str:
    if 1 <= line <= len(lines):
        return lines[line - 1].rstrip("\n")
    return ""


def _opened_at(exc: yaml.MarkedYAMLError, lines: list[str], stopped: tuple[int, int]) -> str:
    """For an error inside a construct (``while parsing a flow mapping`` …): where that construct began.

    The parser stops where it noticed the problem (often lines later); like a
    compiler, the message also names the line and column of the unclosed ``{``,
    ``[`` or quote.  Empty when there is no such place or it is the same one.
    """
    cm = exc.context_mark
    if cm is None or not exc.context:
        return ""
    began = (cm.line + 1, cm.column + 1)
    if began == stopped:
        return ""
    what = exc.context.strip()
    for prefix in ("while parsing ", "while scanning ", "a ", "an "):
        if what.startswith(prefix):
            what = what[len(prefix):]
    snippet = _line_text(lines, began[0]).strip()
    if len(snippet) > 60:
        snippet = snippet[:57] + "..."
    name = _CONSTRUCT_ZH.get(what, what)
    if what.startswith("flow") or "quoted" in what:  # a bracket or quote that was opened and never closed
        return f"；未闭合的{name}始于第 {began[0]} 行第 {began[1]} 列（`{snippet}`）"
    return f"；所属的{name}始于第 {began[0]} 行第 {began[1]} 列（`{snippet}`）"


_CONSTRUCT_ZH = {"flow mapping": "花括号 { }", "flow sequence": "方括号 [ ]", "quoted scalar": "引号",
                 "block mapping": "映射（键: 值）", "block collection": "缩进块", "block sequence": "列表（- 项）",
                 "double-quoted scalar": "双引号", "single-quoted scalar": "单引号", "plain scalar": "文字"}
"""PyYAML's names of the constructs an error can sit in, as a drafter calls them."""


def parse_text(text: str, rel: str, keys: bool = True) -> tuple[SourceFile, list[Finding]]:
    """Parse YAML ``text`` (already decoded) for file ``rel``; return the file and findings.

    ``keys=False`` leaves :attr:`SourceFile.key_positions` empty (faster; for a file whose
    keys' own positions will not be asked for)."""
    sf = SourceFile(rel=rel, lines=text.splitlines())
    if not text.strip() or all(l.strip().startswith("#") or not l.strip() for l in sf.lines):
        return sf, [Finding("E002", "error", "file is empty", Location(rel, 1, 1),
                            "add content (e.g. `measures:` with a list) or delete the file")]
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            offending = _line_text(sf.lines, line)
            if not offending.strip() and exc.context_mark is not None:  # error at end of input: show where it opened
                line, col = exc.context_mark.line + 1, exc.context_mark.column + 1
                offending = _line_text(sf.lines, line)
            what = (exc.problem or "syntax error").strip()
            if "maximum nesting depth" in what:  # libyaml's own bound (1000 levels)
                return sf, [Finding("E009", "error", f"lists/mappings nested too deep ({what})",
                                    Location(rel, line, col), "flatten the structure (unbalanced `[`/`{`?)")]
            ctx = f" {exc.context.strip()}" if exc.context else ""
            opened = _opened_at(exc, sf.lines, (line, col))
            if "mapping values are not allowed" in what:  # a half-width ": " inside unquoted text
                return sf, [Finding("E003", "error",
                                    f"YAML 语法错误：文字中的半角冒号“: ”被读作“键: 值”：`{offending.strip()}`",
                                    Location(rel, line, col),
                                    "给整段文字加引号（text: \"…\"），或改用全角冒号“：”")]
            return sf, [Finding("E003", "error", f"YAML 语法错误：{what}{ctx}：`{offending.strip()}`{opened}",
                                Location(rel, line, col),
                                "检查缩进、未闭合的引号或括号，以及“键: 值”的冒号后是否有空格")]
        except yaml.YAMLError as exc:
            return sf, [Finding("E003", "error", f"YAML error: {exc}", Location(rel, 1, 1), "fix the YAML syntax")]
        if node is None:
            return sf, [Finding("E002", "error", "file is empty", Location(rel, 1, 1), "add content or delete the file")]
        bad: list[Finding] = []
        spans: list[tuple[int, int]] = []
        try:
            sf.data = _build(node, (), sf, loader, [0], bad, text_spans=spans, keys=keys)
        except _TooDeep as deep:
            return sf, [Finding("E009", "error",
                                f"lists/mappings nested more than {MAX_DEPTH} levels deep here; "
                                "the rest of this file is not read",
                                Location(rel, *deep.pos),
                                "flatten the structure: no corpus record nests this deep (unbalanced `[`/`{`?)")]
        except _DuplicateKey as d:
            return sf, [Finding("E004", "error",
                                f"duplicate key `{d.key}` (first at line {d.first[0]}); YAML keeps only one of them, so an edit would be lost",
                                Location(rel, d.second[0], d.second[1]),
                                "merge the two entries or rename one of the keys")]
        except _Bomb:
            return sf, [Finding("E005", "error",
                                f"file expands to more than {MAX_NODES} nodes (anchors/aliases expanding without bound?)",
                                Location(rel, 1, 1),
                                "remove nested aliases (`*name`) that repeat large anchors; write content out plainly")]
        except (yaml.YAMLError, ValueError, TypeError) as exc:  # pragma: no cover - scalars report E010 themselves
            mark = getattr(exc, "problem_mark", None)
            where = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            return sf, [Finding("E003", "error", f"YAML value error: {str(exc).splitlines()[0]}",
                                Location(rel, *where), "fix the value")]
        if bad:
            return sf, bad
    finally:
        loader.dispose()
    if sf.data is None:  # only document markers or a bare null
        return sf, [Finding("E002", "error", "file is empty (the YAML document holds no value)", Location(rel, 1, 1),
                            "add content or delete the file")]
    if not isinstance(sf.data, dict):
        return sf, [Finding("E007", "error",
                            f"top level must be a mapping (e.g. `measures:`), found {type(sf.data).__name__}",
                            Location(rel, 1, 1), "start the file with one of: measures:, indicators:, standard:, draft:, or registry lists")]
    if spans:
        sf.text_cut = cut_digest(text, spans)
    return sf, []


def cut_digest(text: str, spans: list[tuple[int, int]]) -> bytes:
    """SHA-256 of ``text`` with the character ranges ``spans`` left out (each cut marked by a NUL)."""
    h = hashlib.sha256(b"cut1|")
    kept = 0
    for start, end in sorted(spans):
        if start >= kept:
            h.update(text[kept:start].encode("utf-8"))
            h.update(b"\0")
            kept = max(start, end)
    h.update(text[kept:].encode("utf-8"))
    return h.digest()


def link_problem(path: Path, root: Path) -> str | None:
    """Why the symbolic link ``path`` must not be followed, or ``None`` (not a link, or a link to a file in the project).

    Dangling links, loops and links whose target lies outside ``root`` (the project)
    are refused; so are links to folders (their files would otherwise be skipped
    without a word, since the corpus walk does not follow folder links).
    """
    if not path.is_symlink():
        return None
    try:
        target = os.readlink(path)
    except OSError as exc:  # pragma: no cover - raced away
        return f"cannot be read ({exc.strerror})"
    try:
        real = path.resolve(strict=True)
    except FileNotFoundError:
        return f"points at `{target}`, which does not exist (dangling link)"
    except (RuntimeError, OSError) as exc:  # RuntimeError: loop (Python < 3.13), OSError ELOOP later
        return f"points at `{target}` and loops back on itself" if "loop" in str(exc).lower() or getattr(
            exc, "errno", None) == errno.ELOOP else f"points at `{target}`, which cannot be read ({exc})"
    try:
        real.relative_to(Path(root).resolve())
    except ValueError:
        return f"points at `{target}`, outside the project; stdkit reads only files inside it"
    if real.is_dir():
        return f"is a link to the folder `{target}`; folder links are not followed, so its files would be skipped"
    return None


def read_regular(path: Path) -> bytes | None:
    """The bytes of ``path`` when it is a regular file (not a link) of at most :data:`MAX_BYTES`, else ``None``.

    Checked with ``lstat`` before anything is read: what this returns ``None`` for (links, pipes,
    huge files, unreadable ones) is left to :func:`read_file`, which reports it.
    """
    try:
        st = path.lstat()
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_BYTES:
            return None
        with open(path, "rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except OSError:
        return None
    return raw if len(raw) <= MAX_BYTES else None


def read_file(path: Path, root: Path, keys: bool = True, raw: bytes | None = None) -> tuple[SourceFile, list[Finding]]:
    """Read and parse one file; link, size and decoding problems become findings (E012, E008, E001).

    ``keys`` as in :func:`parse_text`; ``raw``: the file's bytes as :func:`read_regular` gave them
    (then the file is not read again).

    The size is checked with ``stat`` before anything is read (a 2 GiB file costs
    nothing), and at most :data:`MAX_BYTES` + 1 bytes are ever read.
    """
    rel = path.relative_to(root).as_posix()
    if raw is not None:
        return _decode_and_parse(raw, rel, keys)
    problem = link_problem(path, root)
    if problem is not None:
        return SourceFile(rel=rel), [Finding("E012", "error", f"symbolic link {problem}", Location(rel, 1, 1),
                                             "replace the link by the file itself, or point it at a file inside the project")]
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            return SourceFile(rel=rel), [Finding("E012", "error", "not a regular file (a device, pipe or socket?)",
                                                 Location(rel, 1, 1), "put a YAML text file here, or remove this entry")]
        if st.st_size > MAX_BYTES:
            return SourceFile(rel=rel), [Finding("E008", "error", f"file is {st.st_size} bytes, more than {MAX_BYTES}",
                                                 Location(rel, 1, 1), "split it into several files")]
        with open(path, "rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        return SourceFile(rel=rel), [Finding("E001", "error", f"file cannot be read: {exc.strerror}", Location(rel, 1, 1),
                                             "check the file's permissions")]
    if len(raw) > MAX_BYTES:  # grew since the stat
        return SourceFile(rel=rel), [Finding("E008", "error", f"file is more than {MAX_BYTES} bytes",
                                             Location(rel, 1, 1), "split it into several files")]
    return _decode_and_parse(raw, rel, keys)


def _decode_and_parse(raw: bytes, rel: str, keys: bool) -> tuple[SourceFile, list[Finding]]:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        return SourceFile(rel=rel), [Finding("E001", "error",
                                             f"file is not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
                                             Location(rel, line, col),
                                             "re-save the file as UTF-8 (e.g. `iconv -f GBK -t UTF-8`)")]
    if "\x00" in text:
        return SourceFile(rel=rel), [Finding("E001", "error", "file contains NUL bytes (binary file?)",
                                             Location(rel, 1, 1), "save the file as UTF-8 text")]
    return parse_text(text, rel, keys)


def corpus_files(root: Path) -> list[Path]:
    """All ``*.yaml``/``*.yml`` files under ``root/standards``, in sorted (deterministic) order.

    Symbolic links are listed too — YAML-named links whatever they point at, and links
    to folders — so that :func:`read_file` reports the ones it must not follow (E012).
    """
    base = root / "standards"
    files = [p for p in base.rglob("*")
             if (p.suffix in (".yaml", ".yml") and (p.is_file() or p.is_symlink()))
             or (p.is_symlink() and link_problem(p, root) is not None)]
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def read_tree(root: Path) -> tuple[list[SourceFile], list[Finding]]:
    """Read every corpus file under ``root``; returns parsed files and all load findings."""
    files: list[SourceFile] = []
    findings: list[Finding] = []
    for path in corpus_files(root):
        sf, fs = read_file(path, root)
        findings.extend(fs)
        if not fs:
            files.append(sf)
    return files, findings
