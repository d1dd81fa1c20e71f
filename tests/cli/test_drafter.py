"""Drafter workflow: scaffolds (stdkit new), path-limited check, baseline, messages and CLI polish."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli import app

ROOT = Path(__file__).resolve().parents[2]
CHECK_JSONSCHEMA = Path(sys.executable).with_name("check-jsonschema")


@pytest.fixture()
def project(tmp_path) -> Path:
    """A copy of the real corpus (and its schemas) to write into."""
    shutil.copytree(ROOT / "standards", tmp_path / "standards")
    shutil.copytree(ROOT / "schemas", tmp_path / "schemas")
    return tmp_path


def cli(*args: str, root: Path | None = None):
    argv = list(args) + (["--root", str(root)] if root is not None else [])
    return CliRunner().invoke(app, argv)


def check_json(root: Path, *paths: str, extra: tuple = ()) -> list[dict]:
    res = cli("check", *paths, "--format", "json", *extra, root=root)
    assert res.exit_code in (0, 1), res.output
    return json.loads(res.stdout)


def schema_ok(root: Path, kind: str, rel: str) -> None:
    res = subprocess.run([str(CHECK_JSONSCHEMA), "--schemafile", str(root / "schemas" / f"{kind}.schema.json"),
                          str(root / rel)], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stdout


# ---------------------------------------------------------------------- scaffolds
def test_new_standard_then_draft_is_clean(project):
    res = cli("new", "standard", "low-carbon-street-design", "--title", "低碳街道设计指南", root=project)
    assert res.exit_code == 0, res.output
    cat = "standards/catalogue/std-low-carbon-street-design.yaml"
    assert (project / cat).is_file() and "std-low-carbon-street-design" in res.output
    drafts_schema = json.loads((project / "schemas/drafts.schema.json").read_text(encoding="utf-8"))
    assert "std-low-carbon-street-design" in drafts_schema["$defs"]["Draft"]["properties"]["standard"]["examples"]
    res = cli("new", "draft", "std-low-carbon-street-design", root=project)
    assert res.exit_code == 0, res.output
    rel = "standards/drafts/std-low-carbon-street-design.yaml"
    text = (project / rel).read_text(encoding="utf-8")
    for element in ("foreword:", "kind: scope", "kind: normrefs", "kind: terms", "title: 总体要求"):
        assert element in text
    assert check_json(project, rel) == []          # the draft itself: no finding at all
    assert check_json(project, cat) == []
    full = cli("check", root=project)
    assert full.exit_code == 0, full.output        # and the whole corpus still has no error
    schema_ok(project, "drafts", rel)
    schema_ok(project, "catalogue", cat)


def test_new_draft_of_a_catalogue_standard_with_indicators_is_clean(project):
    cat = project / "standards/catalogue/std-low-carbon-urban-design-guide.yaml"
    cat.write_text(cat.read_text(encoding="utf-8").replace(
        "  plan_types: [master, detailed]\n", "  plan_types: [master, detailed]\n  indicators: [ind-far, ind-green-space-ratio]\n", 1),
        encoding="utf-8")
    res = cli("new", "draft", "std-low-carbon-urban-design-guide", root=project)
    assert res.exit_code == 0, res.output
    rel = "standards/drafts/std-low-carbon-urban-design-guide.yaml"
    text = (project / rel).read_text(encoding="utf-8")
    assert "type: indicator_table" in text and "[[tab-lcudg-indicators]]" in text
    assert check_json(project, rel) == []
    schema_ok(project, "drafts", rel)


def test_new_never_overwrites(project):
    before = (project / "standards/drafts/std-detailed-plan-guide.yaml").read_bytes()
    res = cli("new", "draft", "std-detailed-plan-guide", root=project)
    assert res.exit_code == 1 and "已有草案" in res.output
    assert (project / "standards/drafts/std-detailed-plan-guide.yaml").read_bytes() == before
    res = cli("new", "standard", "detailed-plan-guide", "--title", "x", root=project)
    assert res.exit_code == 1 and "已被使用" in res.output
    assert cli("new", "draft", "std-no-such-standard", root=project).exit_code == 1


def test_new_measure_appends_with_a_fresh_id_keeping_the_file(project):
    rel = "standards/measures/municipal-detailed.yaml"
    before = (project / rel).read_text(encoding="utf-8")
    res = cli("new", "measure", "--level", "municipal", "--plan-type", "detailed", "--domain", "energy",
              "--title", "推广建筑光伏一体化", root=project)
    assert res.exit_code == 0, res.output
    after = (project / rel).read_text(encoding="utf-8")
    assert after.startswith(before)                 # every existing line, comment and quote kept
    from toolkit.corpus import load_corpus

    c, _ = load_corpus(ROOT)
    existing = [i for i in c.measures if i.startswith("m-municipal-detailed-energy-")]
    new_id = f"m-municipal-detailed-energy-{max(int(i.rsplit('-', 1)[1]) for i in existing) + 1:02d}"
    assert f"- id: {new_id}" in after[len(before):]
    assert [f["code"] for f in check_json(project, rel)] == ["W903"]  # the file's known warning, nothing new
    schema_ok(project, "measures", rel)
    res = cli("new", "measure", "--level", "national", "--plan-type", "detailed", "--domain", "energy",
              "--title", "x", root=project)
    assert res.exit_code == 1 and "不是报告论及的规划单元" in res.output


def test_new_indicator_creates_then_appends(project):
    rel = "standards/indicators/drafted.yaml"
    res = cli("new", "indicator", "roof-pv-share", "--name", "屋顶光伏覆盖率", "--unit", "%",
              "--kind", "约束性", root=project)
    assert res.exit_code == 0, res.output
    first = (project / rel).read_text(encoding="utf-8")
    res = cli("new", "indicator", "roof-pv-area", "--name", "屋顶光伏面积", "--unit", "hm²", root=project)
    assert res.exit_code == 0, res.output
    assert (project / rel).read_text(encoding="utf-8").startswith(first)
    found = check_json(project, rel)
    assert {f["code"] for f in found} == {"W704"}  # orphan until a measure or standard uses it
    schema_ok(project, "indicators", rel)
    res = cli("new", "indicator", "x", "--name", "职住比", "--unit", "ratio", root=project)
    assert res.exit_code == 1 and "ind-jobs-housing-ratio" in res.output


# ---------------------------------------------------------------------- focus and baseline
def test_check_paths_limits_findings_to_those_files_and_their_referrers(project):
    all_found = check_json(project)
    files = {f["location"]["file"] for f in all_found}
    assert len(files) > 3
    near = "standards/indicators/near-term.yaml"
    found = check_json(project, near)
    assert found and {f["location"]["file"] for f in found} == {near}
    # a finding in another file naming an indicator defined in s7-5.yaml is shown with it
    found = check_json(project, "standards/indicators/s7-5.yaml")
    assert "standards/measures/municipal-master.yaml" in {f["location"]["file"] for f in found}
    assert check_json(project, "standards/registry") == []
    assert cli("check", "/", root=project).exit_code == 2  # outside the project


def test_baseline_hides_known_findings_and_survives_line_shifts(project, tmp_path):
    bl = tmp_path / "baseline.json"
    res = cli("check", "--write-baseline", str(bl), root=project)
    assert res.exit_code == 0 and bl.is_file()
    data = json.loads(bl.read_text(encoding="utf-8"))
    assert data["stdkit_baseline"] == 1 and sum(e["count"] for e in data["findings"]) == len(check_json(project))
    res = cli("check", "--baseline", str(bl), root=project)
    assert res.exit_code == 0 and res.stdout.startswith("0 个错误（error），0 个警告（warning）（另有")
    # shift every line of a file with known findings: still known
    p = project / "standards/indicators/near-term.yaml"
    p.write_text("# 新增的注释行\n# 再一行\n" + p.read_text(encoding="utf-8"), encoding="utf-8")
    assert check_json(project, extra=("--baseline", str(bl))) == []
    # a new problem shows, alone
    m = project / "standards/measures/county-detailed.yaml"
    m.write_text(m.read_text(encoding="utf-8").replace("indicators: [ind-industrial-project-carbon-cap]",
                                                       "indicators: [ind-no-such-indicator]", 1), encoding="utf-8")
    found = check_json(project, extra=("--baseline", str(bl)))
    assert [f["code"] for f in found] == ["E201"]
    bl.write_text("{not json", encoding="utf-8")
    assert cli("check", "--baseline", str(bl), root=project).exit_code == 2


def test_write_baseline_is_deterministic(project, tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    cli("check", "--write-baseline", str(a), root=project)
    cli("check", "--write-baseline", str(b), root=project)
    assert a.read_bytes() == b.read_bytes()


# ---------------------------------------------------------------------- messages
def _draft(project: Path) -> Path:
    assert cli("new", "standard", "msg-test", "--title", "消息测试指南", root=project).exit_code == 0
    assert cli("new", "draft", "std-msg-test", root=project).exit_code == 0
    return project / "standards/drafts/std-msg-test.yaml"


def test_e102_names_the_clause_number_and_id(project):
    p = _draft(project)
    text = p.read_text(encoding="utf-8").replace(
        "          blocks:\n            - type: list",
        "          targets:\n            - {indicator: ind-far, comparator: '≥', value: 1, drafted: true}\n"
        "          blocks:\n            - type: list", 1)
    p.write_text(text, encoding="utf-8")
    found = check_json(project, "standards/drafts/std-msg-test.yaml")
    e102 = [f for f in found if f["code"] == "E102"]
    assert e102 and e102[0]["message"].startswith("条 4.1 (mt-general-principles) › targets[1].comparator：")
    assert "draft.clauses" not in e102[0]["message"]


def test_ragged_table_row_is_e102_with_the_row(project):
    p = _draft(project)
    p.write_text(p.read_text(encoding="utf-8") + """\
            - type: table
              id: tab-mt-ragged
              caption: 测试表
              header: [项目, 要求, 备注]
              rows:
                - [甲, 应布置, 无]
                - [乙, 宜布置]
""", encoding="utf-8")
    found = check_json(project, "standards/drafts/std-msg-test.yaml")
    e102 = [f for f in found if f["code"] == "E102"]
    assert e102, found
    assert "表 tab-mt-ragged › rows" in e102[0]["message"] and "第 2 行有 2 个单元格，表头有 3 列" in e102[0]["message"]


def test_half_width_colon_in_text_gets_the_quote_hint(project):
    p = _draft(project)
    p.write_text(p.read_text(encoding="utf-8").replace("本文件适用于××××。", "本文件适用于: 城市设计。", 1),
                 encoding="utf-8")
    found = check_json(project, "standards/drafts/std-msg-test.yaml")
    assert [f["code"] for f in found] == ["E003"]
    assert "加引号" in found[0]["hint"] and "：" in found[0]["hint"]


def test_review_notes_are_not_cut():
    res = cli("check", "--format", "json", "standards/catalogue", root=ROOT)
    found = json.loads(res.stdout)
    assert found and not any(f["message"].endswith("…") for f in found)


def test_e503_hint_does_not_speak_of_a_registry_value():
    from toolkit.checks import units

    src = Path(units.__file__).read_text(encoding="utf-8")
    assert "registry value" not in src


# ---------------------------------------------------------------------- CLI polish
def test_version_and_help_show_flags_as_flags():
    res = cli("--version")
    assert res.exit_code == 0 and res.stdout.startswith("stdkit ")
    stdkit = Path(sys.executable).with_name("stdkit")
    out = subprocess.run([str(stdkit), "build", "--help"], capture_output=True, text=True, timeout=60).stdout
    assert "<bool>" not in out and "--review " in out
    from toolkit.render import output_names

    listed = " ".join(out.split()).split("steps: ", 1)[1].split(" --", 1)[0]
    assert set(listed.split(", ")) == set(output_names())  # the build's own registry, not a copy
