"""Hostile and careless input to the read stage: every one a located finding, never a traceback (issue 11).

Deep nesting (E009), scalars that cannot be built (E010), non-standard tags on
scalars, lists and mappings (E011), unclosed brackets named where they opened
(E003), the size limit checked before reading (E008, a sparse 2 GiB file) and
symbolic links that dangle, loop, leave the project or link a folder (E012).
"""
from __future__ import annotations

import os
import sys
import tracemalloc
from pathlib import Path

import pytest

from toolkit.corpus import load_corpus
from toolkit.load import MAX_DEPTH, parse_text, read_file

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "checks"))
from fixture_corpus import materialize  # noqa: E402


def codes(findings) -> list[str]:
    return [f.code for f in findings]


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 495, 998, 999, 5000])
def test_deep_nesting_is_a_located_finding_and_other_findings_are_kept(tmp_path, depth):
    root = materialize(None, tmp_path)
    (root / "standards" / "measures" / "deep.yaml").write_text(
        "measures:\n  - id: m-deep\n    indicators: " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    (root / "standards" / "measures" / "broken.yaml").write_text("measures: [\n", encoding="utf-8")
    corpus, findings = load_corpus(root)
    deep = [f for f in findings if f.location.file == "standards/measures/deep.yaml"]
    assert codes(deep) == ["E009"], deep
    assert deep[0].location.line == 3 and deep[0].location.col > 1 and deep[0].hint
    assert "E003" in codes(f for f in findings if f.location.file == "standards/measures/broken.yaml")
    assert corpus.measures  # the other files still load


def test_nesting_up_to_the_bound_is_read():
    sf, fs = parse_text("x: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n", "standards/x.yaml")
    assert fs == []


@pytest.mark.parametrize("text, line, col, needle", [
    ("measures:\n  - id: m-x\n    value: 2023-02-30\n", 3, 12, "2023-02-30"),
    ("measures:\n  - id: m-x\n    n: !!int abc\n", 3, 8, "abc"),
    ("measures:\n  - id: m-x\n    when: 2023-13-01 10:00:00\n", 3, 11, "2023-13-01"),
])
def test_scalar_that_cannot_be_built_is_reported_at_its_value(text, line, col, needle):
    _, fs = parse_text(text, "standards/x.yaml")
    assert codes(fs) == ["E010"]
    assert (fs[0].location.line, fs[0].location.col) == (line, col)
    assert needle in fs[0].message and fs[0].hint


@pytest.mark.parametrize("text, line, col, what", [
    ("measures:\n  - id: m-x\n    title: !cn 标题\n", 3, 12, "`!cn` on the value"),
    ("goals: !!python/object/apply:os.system [ids]\n", 1, 8, "on a list"),
    ("measures:\n  - id: m-x\n    goals: !!python/object/apply:os.system\n      - g-x\n", 3, 12, "on a list"),
    ("measures:\n  - !!python/object:collections.OrderedDict\n    id: m-x\n", 2, 5, "on a mapping"),
    ("measures:\n  - id: !!python/name:os.system x\n", 2, 9, "on the value"),
])
def test_non_standard_tags_are_findings_wherever_they_appear(text, line, col, what):
    _, fs = parse_text(text, "standards/x.yaml")
    assert codes(fs) == ["E011"], fs
    assert (fs[0].location.line, fs[0].location.col) == (line, col)
    assert what in fs[0].message


def test_every_bad_tag_and_value_in_a_file_is_reported():
    text = "measures:\n  - id: !a m-x\n    title: !b t\n    since: 2023-02-30\n"
    _, fs = parse_text(text, "standards/x.yaml")
    assert [(f.code, f.location.line) for f in fs] == [("E011", 2), ("E011", 3), ("E010", 4)]


def test_standard_tags_are_fine():
    sf, fs = parse_text("a: !!str 12\nb: !!int '3'\nc: !!float 1\nd: !!map {x: 1}\ne: !!seq [1]\n", "standards/x.yaml")
    assert fs == [] and sf.data == {"a": "12", "b": 3, "c": 1.0, "d": {"x": 1}, "e": [1]}


def test_unclosed_bracket_names_where_it_stopped_and_where_it_began():
    lines = ["measures:"] + [f"  - id: m-x{i}" for i in range(205)]
    lines += ["  - {id: m-open, title: a,", "    level: national", "    plan_type: master x: y", "  - id: m-after"]
    _, fs = parse_text("\n".join(lines) + "\n", "standards/x.yaml")
    assert codes(fs) == ["E003"]
    f = fs[0]
    assert f.location.line == 209  # where the parser stopped
    assert "始于第 207 行第 5 列" in f.message and "{id: m-open" in f.message


def test_size_limit_is_checked_before_reading(tmp_path):
    path = tmp_path / "standards" / "huge.yaml"
    path.parent.mkdir(parents=True)
    with open(path, "wb") as fh:  # a sparse 2 GiB file: costs no disk, would cost 2 GiB of memory if read
        fh.truncate(2 * 1024 ** 3)
    tracemalloc.start()
    try:
        _, fs = read_file(path, tmp_path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert codes(fs) == ["E008"] and "2147483648 bytes" in fs[0].message
    assert peak < 10 * 1024 ** 2, peak


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_symlinks_that_dangle_loop_leave_or_link_a_folder_are_findings(tmp_path):
    root = materialize(None, tmp_path / "proj")
    outside = tmp_path / "outside.yaml"
    outside.write_text("measures: []\n", encoding="utf-8")
    std = root / "standards"
    (std / "dangling.yaml").symlink_to("nowhere.yaml")
    (std / "loop.yaml").symlink_to("loop.yaml")
    (std / "leaves.yaml").symlink_to(outside)
    (std / "abs-passwd.yaml").symlink_to("/etc/passwd")
    (std / "folder").symlink_to(std / "measures")
    (std / "inside.yaml").symlink_to(Path("..") / "notes.yaml")  # a link to a file in the project is fine
    (root / "notes.yaml").write_text("references: []\n", encoding="utf-8")
    corpus, findings = load_corpus(root)
    got = {f.location.file: f for f in findings if f.code == "E012"}
    assert set(got) == {"standards/dangling.yaml", "standards/loop.yaml", "standards/leaves.yaml",
                        "standards/abs-passwd.yaml", "standards/folder"}, findings
    assert "does not exist" in got["standards/dangling.yaml"].message
    assert "loops" in got["standards/loop.yaml"].message
    assert "outside the project" in got["standards/leaves.yaml"].message
    assert "folder" in got["standards/folder"].message
    assert all(f.location.line == 1 and f.hint for f in got.values())
    assert not [f for f in findings if f.location.file == "standards/inside.yaml"]
    assert corpus.measures  # the rest loads


def test_fifo_named_yaml_is_not_read(tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    root = materialize(None, tmp_path)
    os.mkfifo(root / "standards" / "pipe.yaml")
    corpus, findings = load_corpus(root)  # must not block on the pipe
    assert corpus.measures and not [f for f in findings if f.location.file == "standards/pipe.yaml" and f.code != "E012"]


def test_huge_file_is_not_read_for_the_cache_key_either(tmp_path):
    """Through the parse cache too, a 2 GiB file is refused by its size before anything is read."""
    from toolkit.sourcecache import load_sources

    root = materialize(None, tmp_path)
    with open(root / "standards" / "huge.yaml", "wb") as fh:  # sparse: costs no disk
        fh.truncate(2 * 1024 ** 3)
    tracemalloc.start()
    try:
        _, fs = load_sources(root, use_cache=True)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [f.code for f in fs if f.location.file == "standards/huge.yaml"] == ["E008"]
    assert peak < 200 * 1024 ** 2, peak


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_link_to_a_pipe_inside_the_project_does_not_block(tmp_path):
    root = materialize(None, tmp_path)
    os.mkfifo(root / "pipe")
    (root / "standards" / "pipe.yaml").symlink_to(root / "pipe")
    corpus, findings = load_corpus(root)  # with the parse cache: must not read the pipe for a key
    assert corpus.measures
    assert [f.code for f in findings if f.location.file == "standards/pipe.yaml"] == ["E012"]
