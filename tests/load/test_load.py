"""Read and validate stages: every bad input becomes a finding with file:line:col, never an exception."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from toolkit import load
from toolkit.load import parse_text, read_file, read_tree
from toolkit.validate import validate_file

MEASURE = """\
measures:
  - id: m-municipal-master-energy-01
    level: municipal
    plan_type: master
    domain: energy
    title: 推广分布式光伏
    summary: 在公共建筑屋顶推广分布式光伏。
    source: "004 §7.5(一)1)"
"""


def write(root: Path, rel: str, data: bytes | str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def codes(findings) -> list[str]:
    return [f.code for f in findings]


def test_valid_file_keeps_positions(tmp_path):
    path = write(tmp_path, "standards/measures/a.yaml", MEASURE)
    sf, fs = read_file(path, tmp_path)
    assert fs == []
    assert sf.rel == "standards/measures/a.yaml"
    assert sf.data["measures"][0]["title"] == "推广分布式光伏"
    loc = sf.loc(("measures", 0, "title"))
    assert (loc.line, loc.col) == (6, 12)
    assert sf.key_loc(("measures", 0, "summary")).line == 7
    assert sf.loc(("measures", 0, "no-such-key")).line == 2  # nearest known ancestor


def test_e001_not_utf8_points_at_the_byte(tmp_path):
    path = write(tmp_path, "standards/measures/gbk.yaml", "measures:\n  - title: 绿色\n".encode("gbk"))
    _, fs = read_file(path, tmp_path)
    assert codes(fs) == ["E001"]
    assert (fs[0].location.line, fs[0].location.col) == (2, 12)
    assert "iconv" in fs[0].hint


def test_e001_nul_bytes(tmp_path):
    path = write(tmp_path, "standards/x.yaml", b"measures: []\x00\x00")
    _, fs = read_file(path, tmp_path)
    assert codes(fs) == ["E001"]


def test_utf8_bom_is_accepted(tmp_path):
    path = write(tmp_path, "standards/measures/bom.yaml", b"\xef\xbb\xbf" + MEASURE.encode("utf-8"))
    sf, fs = read_file(path, tmp_path)
    assert fs == [] and sf.data["measures"][0]["level"] == "municipal"


@pytest.mark.parametrize("text", ["", "   \n\n", "# only a comment\n# another\n", "---\n...\n"])
def test_e002_empty(text):
    _, fs = parse_text(text, "standards/x.yaml")
    assert codes(fs) == ["E002"]


@pytest.mark.parametrize("text, line, snippet", [
    ("measures:\n  - id: a\n   title: b\n", 3, "title: b"),             # bad indentation
    ("measures:\n  - {id: m-x, level: national\n", 2, "{id: m-x"),     # unclosed flow mapping, error at EOF
    ("measures:\n  - title: \"unclosed\n", 2, "unclosed"),              # unclosed quote
    ("measures: [a, b\nindicators: []\n", 2, ""),                        # unclosed bracket
    ("a: b: c\n", 1, "a: b: c"),                                          # mapping values not allowed
    ("\tmeasures: []\n", 1, "measures"),                                  # tab
])
def test_e003_syntax_error_has_line_column_and_offending_line(text, line, snippet):
    _, fs = parse_text(text, "standards/x.yaml")
    assert codes(fs) == ["E003"]
    f = fs[0]
    assert f.location.line == line and f.location.col >= 1
    assert snippet in f.message
    assert "`" in f.message  # the offending line is quoted


def test_e004_duplicate_key_names_both_lines():
    text = MEASURE + "    title: 另一个标题\n"
    _, fs = parse_text(text, "standards/measures/a.yaml")
    assert codes(fs) == ["E004"]
    assert fs[0].location.line == 9
    assert "first at line 6" in fs[0].message and "`title`" in fs[0].message


def test_e004_duplicate_top_level_key():
    _, fs = parse_text("measures: []\nmeasures: []\n", "standards/x.yaml")
    assert codes(fs) == ["E004"]


def test_an_explicit_key_overrides_a_merged_one():
    """YAML merge keys: an explicit key wins over a merged one, before or after the `<<` (no E004)."""
    after = "base: &b\n  id: a\n  name: x\nitem:\n  <<: *b\n  id: c\n"
    sf, fs = parse_text(after, "standards/x.yaml")
    assert fs == [] and sf.data["item"] == {"id": "c", "name": "x"}
    before = "item:\n  id: c\n  <<: {id: a, name: x}\n"
    sf, fs = parse_text(before, "standards/x.yaml")
    assert fs == [] and sf.data["item"] == {"id": "c", "name": "x"}
    # the same explicit key twice is still a duplicate, merge or not
    _, fs = parse_text(after + "  id: d\n", "standards/x.yaml")
    assert codes(fs) == ["E004"] and "first at line 6" in fs[0].message


def test_e004_duplicate_int_key_names_the_first():
    _, fs = parse_text("a:\n  1: x\n  2: y\n  1: z\n", "standards/x.yaml")
    assert codes(fs) == ["E004"] and "first at line 2" in fs[0].message and fs[0].location.line == 4


def test_key_positions_can_be_left_out():
    with_keys, _ = parse_text(MEASURE, "standards/measures/a.yaml")
    without, _ = parse_text(MEASURE, "standards/measures/a.yaml", keys=False)
    assert with_keys.key_positions and without.key_positions == {}
    assert with_keys.data == without.data and with_keys.positions == without.positions


def test_e005_alias_bomb_is_stopped_quickly():
    rows = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for prev, name in zip("abcdefgh", "bcdefghi"):
        rows.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    t0 = time.perf_counter()
    _, fs = parse_text("\n".join(rows) + "\n", "standards/bomb.yaml")
    assert codes(fs) == ["E005"]
    assert time.perf_counter() - t0 < 5


def test_small_aliases_and_merge_keys_are_fine():
    text = ("base: &base {level: municipal, plan_type: master}\n"
            "measures:\n  - <<: *base\n    id: m-x\n")
    sf, fs = parse_text(text, "standards/x.yaml")
    assert fs == []
    assert sf.data["measures"][0] == {"level": "municipal", "plan_type": "master", "id": "m-x"}


def test_e006_unknown_top_level_key_suggests():
    sf, fs = parse_text("measure:\n  - id: m-x\n", "standards/x.yaml")
    assert fs == []
    _, vfs = validate_file(sf)
    assert codes(vfs) == ["E006"] and "measures" in vfs[0].hint


def test_e006_mixed_kinds():
    sf, _ = parse_text("measures: []\nindicators: []\n", "standards/x.yaml")
    _, vfs = validate_file(sf)
    assert "E006" in codes(vfs)


@pytest.mark.parametrize("text", ["- a\n- b\n", "just a string\n", "42\n"])
def test_e007_top_level_not_mapping(text):
    _, fs = parse_text(text, "standards/x.yaml")
    assert codes(fs) == ["E007"]


def test_e008_file_too_large(tmp_path):
    path = write(tmp_path, "standards/measures/huge.yaml", b"measures: []\n" + b"# pad\n" * (load.MAX_BYTES // 6 + 1))
    _, fs = read_file(path, tmp_path)
    assert codes(fs) == ["E008"]


def test_e101_misspelt_field_did_you_mean():
    sf, _ = parse_text(MEASURE.replace("summary:", "summery:"), "standards/measures/a.yaml")
    _, fs = validate_file(sf)
    e101 = [f for f in fs if f.code == "E101"]
    assert e101 and "是否应为 `summary`" in e101[0].hint
    assert e101[0].location.line == 7


@pytest.mark.parametrize("old, new", [
    ("level: municipal", "level: [municipal]"),
    ("title: 推广分布式光伏", "title: {a: 1}"),
    ("    source:", "    drafted: maybe\n    source:"),
])
def test_e102_wrong_type(old, new):
    sf, _ = parse_text(MEASURE.replace(old, new), "standards/measures/a.yaml")
    _, fs = validate_file(sf)
    assert "E102" in codes(fs)


def test_e103_missing_field():
    sf, _ = parse_text(MEASURE.replace("    domain: energy\n", ""), "standards/measures/a.yaml")
    _, fs = validate_file(sf)
    assert codes(fs) == ["E103"] and "domain" in fs[0].message


@pytest.mark.parametrize("bad", ["../etc/passwd", "a/b", "A-Capital", "has space", "double--hyphen", "-leading",
                                 "中文", "x" * 81, "dot.dot", "back\\slash"])
def test_e104_unsafe_ids(bad):
    sf, _ = parse_text(MEASURE.replace("m-municipal-master-energy-01", f"'{bad}'"), "standards/measures/a.yaml")
    _, fs = validate_file(sf)
    assert "E104" in codes(fs) or "E102" in codes(fs)
    assert any(f.location.line == 2 for f in fs)


def test_one_bad_record_does_not_hide_the_others():
    text = MEASURE + MEASURE.replace("measures:\n", "").replace("-01", "-02").replace("    domain: energy\n", "")
    sf, _ = parse_text(text, "standards/measures/a.yaml")
    vf, fs = validate_file(sf)
    assert codes(fs) == ["E103"]
    assert [m.id for m in vf.model.measures] == ["m-municipal-master-energy-01"]


def test_read_tree_reports_every_file(tmp_path):
    write(tmp_path, "standards/a.yaml", "")
    write(tmp_path, "standards/b.yaml", "a: [\n")
    write(tmp_path, "standards/c.yml", MEASURE)
    write(tmp_path, "standards/notes.txt", "ignored")
    files, fs = read_tree(tmp_path)
    assert [f.rel for f in files] == ["standards/c.yml"]
    assert sorted(codes(fs)) == ["E002", "E003"]
