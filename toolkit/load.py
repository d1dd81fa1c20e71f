"""Read stage: YAML files → plain data plus a map of source positions.

Uses PyYAML's C composer (fast) and builds Python values from the node graph
ourselves, so that we can

* remember the 1-based line/column of every mapping value and list item
  (``positions[path] = (line, col)``, ``path`` a tuple of keys and indices);
* reject duplicate keys (PyYAML silently keeps the last one — a lost edit);
* bound alias expansion (a "billion laughs" alias bomb becomes a finding);
* report non-UTF-8 bytes, empty files and syntax errors with line, column and
  the offending line.

Errors are returned as :class:`toolkit.findings.Finding` (codes E001–E008),
never raised.
"""
from __future__ import annotations

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
}
"""Finding codes this module emits (collected by :mod:`toolkit.codes`)."""

try:  # pragma: no cover - depends on libyaml being present
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

MAX_NODES = 200_000
"""Most nodes one file may expand to (aliases included) before it is rejected as an alias bomb."""

MAX_BYTES = 5_000_000
"""Largest corpus file accepted (bytes)."""

Path_ = tuple


@dataclass
class SourceFile:
    """One parsed YAML file.

    ``rel`` is the path relative to the corpus root (posix), ``data`` the plain
    value (dict for a valid corpus file), ``positions`` maps a key path to the
    (line, col) where its value starts, ``key_positions`` maps a path to where
    its key starts, ``lines`` holds the source text lines for messages.
    """

    rel: str
    data: Any = None
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)

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


class _DuplicateKey(Exception):
    def __init__(self, key: str, first: tuple[int, int], second: tuple[int, int]):
        super().__init__(key)
        self.key, self.first, self.second = key, first, second


def _pos(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _scalar(node: yaml.ScalarNode, loader: yaml.SafeLoader) -> Any:
    return loader.construct_object(node, deep=False)


def _build(node: yaml.Node, path: Path_, sf: SourceFile, loader, budget: list[int]) -> Any:
    budget[0] += 1
    if budget[0] > MAX_NODES:
        raise _Bomb()
    sf.positions[path] = _pos(node)
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node, loader)
    if isinstance(node, yaml.SequenceNode):
        return [_build(child, path + (i,), sf, loader, budget) for i, child in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        out: dict = {}
        first_pos: dict = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                merged = _build(value_node, path, sf, loader, budget)
                for m in merged if isinstance(merged, list) else [merged]:
                    if isinstance(m, dict):
                        for k, v in m.items():
                            out.setdefault(k, v)
                continue
            key = _scalar(key_node, loader) if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            if not isinstance(key, (str, int, float, bool)) or key is None:
                key = str(key)
            if key in out:
                raise _DuplicateKey(str(key), first_pos[key], _pos(key_node))
            first_pos[key] = _pos(key_node)
            sf.key_positions[path + (key,)] = _pos(key_node)
            out[key] = _build(value_node, path + (key,), sf, loader, budget)
        return out
    return None  # pragma: no cover


def _line_text(lines: list[str], line: int) -> str:
    if 1 <= line <= len(lines):
        return lines[line - 1].rstrip("\n")
    return ""


def parse_text(text: str, rel: str) -> tuple[SourceFile, list[Finding]]:
    """Parse YAML ``text`` (already decoded) for file ``rel``; return the file and findings."""
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
            ctx = f" {exc.context.strip()}" if exc.context else ""
            if "mapping values are not allowed" in what:  # a half-width ": " inside unquoted text
                return sf, [Finding("E003", "error",
                                    f"YAML 语法错误：文字中的半角冒号“: ”被读作“键: 值”：`{offending.strip()}`",
                                    Location(rel, line, col),
                                    "给整段文字加引号（text: \"…\"），或改用全角冒号“：”")]
            return sf, [Finding("E003", "error", f"YAML 语法错误：{what}{ctx}：`{offending.strip()}`",
                                Location(rel, line, col),
                                "检查缩进、未闭合的引号或括号，以及“键: 值”的冒号后是否有空格")]
        except yaml.YAMLError as exc:
            return sf, [Finding("E003", "error", f"YAML error: {exc}", Location(rel, 1, 1), "fix the YAML syntax")]
        if node is None:
            return sf, [Finding("E002", "error", "file is empty", Location(rel, 1, 1), "add content or delete the file")]
        try:
            sf.data = _build(node, (), sf, loader, [0])
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
        except (yaml.YAMLError, ValueError, TypeError) as exc:
            return sf, [Finding("E003", "error", f"YAML value error: {exc}", Location(rel, 1, 1), "fix the value")]
    finally:
        loader.dispose()
    if sf.data is None:  # only document markers or a bare null
        return sf, [Finding("E002", "error", "file is empty (the YAML document holds no value)", Location(rel, 1, 1),
                            "add content or delete the file")]
    if not isinstance(sf.data, dict):
        return sf, [Finding("E007", "error",
                            f"top level must be a mapping (e.g. `measures:`), found {type(sf.data).__name__}",
                            Location(rel, 1, 1), "start the file with one of: measures:, indicators:, standard:, draft:, or registry lists")]
    return sf, []


def read_file(path: Path, root: Path) -> tuple[SourceFile, list[Finding]]:
    """Read and parse one file; decoding and size problems become findings (E001, E008)."""
    rel = path.relative_to(root).as_posix()
    raw = path.read_bytes()
    if len(raw) > MAX_BYTES:
        return SourceFile(rel=rel), [Finding("E008", "error", f"file is {len(raw)} bytes, more than {MAX_BYTES}",
                                             Location(rel, 1, 1), "split it into several files")]
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
    return parse_text(text, rel)


def corpus_files(root: Path) -> list[Path]:
    """All ``*.yaml``/``*.yml`` files under ``root/standards``, in sorted (deterministic) order."""
    base = root / "standards"
    files = [p for p in base.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()]
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
