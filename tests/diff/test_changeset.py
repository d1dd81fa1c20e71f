"""The semantic change set of the fixture repository (HEAD~1 → HEAD), asserted exactly."""
from __future__ import annotations

from toolkit.diff import Move
from toolkit.render.technical_changes import technical_changes

TARGET_KEY = "ind-roof-pv-share@indicator:ind-roof-pv-share|municipal|detailed|新建公共建筑"

EXPECTED = [
    ("clause", "tg-general-carbon", "added"),
    ("clause", "tg-general-b", "moved"),
    ("clause", "tg-tech-a", "changed"),
    ("annex", "annex-tg-indicators", "changed"),
    ("measure", "m-md-buildings-01", "removed"),
    ("indicator", "ind-ev-charger-ratio", "added"),
    ("target", TARGET_KEY, "changed"),
]


def test_change_set_is_exactly_the_five_edits(result):
    assert result.changes.keys() == EXPECTED


def test_sides_carry_commit_author_and_date(result):
    cs = result.changes
    assert cs.old.kind == cs.new.kind == "git"
    assert cs.old.author == "张审校" and cs.new.author == "李起草"
    assert cs.new.date_iso == "2026-03-02T01:30:00Z"
    assert cs.new.label.startswith("HEAD (") and len(cs.new.commit) == 40


def test_renumbered_clause_is_a_move_not_delete_plus_add(result):
    ch = {c.id: c for c in result.changes.changes}["tg-general-b"]
    assert ch.op == "moved" and ch.fields == ()
    assert ch.move == Move("4.2", "4.3", "tg-general", "tg-general")
    assert not ch.move.reparented
    assert (ch.number, ch.old_number, ch.standard) == ("4.3", "4.2", "std-test-guide")
    assert [c.op for c in result.changes.changes if c.id == "tg-general-b"] == ["moved"]


def test_inserted_clause_is_added_with_its_text(result):
    ch = {c.id: c for c in result.changes.changes}["tg-general-carbon"]
    assert ch.title == "4.2　碳排放评估" and ch.number == "4.2" and ch.move is None
    assert ch.field("text").old is None and ch.field("text").new == "详细规划应开展碳排放评估。"


def test_changed_clause_text_old_and_new(result):
    ch = {c.id: c for c in result.changes.changes}["tg-tech-a"]
    assert ch.move is None and [f.path for f in ch.fields] == ["text"]
    assert ch.field("text").old == "新建公共建筑应配置屋顶光伏，覆盖率应符合附录A的规定。"
    assert ch.field("text").new == "新建公共建筑和居住建筑应配置屋顶光伏，覆盖率应符合附录A的规定。"


def test_changed_target_value_old_to_new(result):
    ch = {c.id: c for c in result.changes.changes}[TARGET_KEY]
    assert ch.title == "新建建筑屋顶光伏覆盖率"
    assert [(f.path, f.old, f.new) for f in ch.fields] == [("value", "≥50%", "≥55%")]
    assert ch.note == "市级·详细规划·新建公共建筑（指标登记）"


def test_generated_indicator_table_change_shows_on_the_annex(result):
    ch = {c.id: c for c in result.changes.changes}["annex-tg-indicators"]
    text = ch.field("text")
    assert "≥50%（新建公共建筑）" in text.old and "≥55%（新建公共建筑）" in text.new


def test_reference_relabelling_is_editorial_not_a_change(result):
    # 4.1 cites [[tg-general-b]]: its display goes 见4.2 → 见4.3, its source does not change.
    pair = result.changes.drafts["std-test-guide"]
    old = {u.id: u for u in pair.old_units}["tg-general-a"]
    new = {u.id: u for u in pair.new_units}["tg-general-a"]
    assert old.text.endswith("见4.2。") and new.text.endswith("见4.3。")
    assert "tg-general-a" not in {c.id for c in result.changes.changes}


def test_removed_and_added_records(result):
    by = {c.id: c for c in result.changes.changes}
    assert by["m-md-buildings-01"].title == "推行绿色建筑"
    assert by["m-md-buildings-01"].note == "市级国土空间详细规划·建筑"
    assert by["ind-ev-charger-ratio"].title == "停车场充电桩配置率"


def test_counts_and_changed_drafts(result):
    counts = result.changes.counts()
    assert counts["clause"] == {"added": 1, "removed": 0, "changed": 1, "moved": 1}
    assert counts["target"]["changed"] == 1 and counts["standard"] == {op: 0 for op in counts["standard"]}
    assert result.changes.changed_drafts() == ["std-test-guide"]


def test_foreword_list_of_technical_changes(result):
    assert technical_changes(result.changes, "std-test-guide") == [
        "与TD/T 9999—2020相比，除结构调整和编辑性改动外，主要技术变化如下：",
        "a) 增加了“碳排放评估”（见4.2）；",
        "b) 更改了“屋顶光伏”的规定（见5.1，2020年版的5.1）；",
        "c) 更改了附录A“指标表”的内容（见附录A，2020年版的附录A）。",
    ]


def test_revision_without_standards_folder_is_an_empty_corpus(repo, tmp_path):
    from toolkit.diff import compute_changes, load_side

    old, oi, _ = load_side("HEAD~2", repo, tmp_path)
    new, ni, _ = load_side("HEAD", repo, tmp_path)
    assert not old.measures and not old.drafts
    cs = compute_changes(old, new, oi, ni)
    assert ("draft", "std-test-guide", "added") in cs.keys()
    assert ("measure", "m-md-energy-01", "added") in cs.keys()
    assert ("standard", "std-test-guide", "added") in cs.keys()
    assert cs.changed_drafts() == []


def test_same_version_has_no_changes(repo, tmp_path):
    from toolkit.diff import compute_changes, load_side

    a, ai, _ = load_side("HEAD", repo, tmp_path)
    b, bi, _ = load_side(None, repo, tmp_path)
    cs = compute_changes(a, b, ai, bi)
    assert cs.changes == [] and not cs
    assert cs.drafts["std-test-guide"].same  # identical inputs: the Documents are not even built


def test_project_in_a_subfolder_of_the_repository(tmp_path, run_git, v1_dir):
    import shutil

    from toolkit.diff import load_side

    git = run_git
    proj = tmp_path / "repo" / "proj"
    shutil.copytree(v1_dir / "standards", proj / "standards")
    git(tmp_path / "repo", "init", "-q", "-b", "main")
    git(tmp_path / "repo", "add", "-A")
    git(tmp_path / "repo", "commit", "-q", "-m", "sub")
    corpus, info, findings = load_side("HEAD", proj, tmp_path / "tmp")
    assert findings == [] and set(corpus.measures) == {"m-md-energy-01", "m-md-transport-01", "m-md-buildings-01"}
    assert info.author == "测试"


def test_target_fields_beyond_the_value_are_compared():
    import dataclasses

    from toolkit import model as m
    from toolkit.corpus import ResolvedTarget
    from toolkit.diff.records import compare_targets, target_key
    from toolkit.findings import Location

    def rt(**kw):
        t = m.Target(indicator="ind-a", comparator="=", value=2, year=2032, context="国外参考值", source="004", **kw)
        return ResolvedTarget("ind-a", t, "provincial", "master", ("measure", "m-a"), Location())

    old, new = rt(), rt(case="德国《陆上风能法》")
    assert target_key(old) == target_key(new) == "ind-a@measure:m-a|provincial|master|国外参考值"
    assert [(f.path, f.label, f.old, f.new) for f in compare_targets(old, new, "%", "%")] == [
        ("case", "案例参考值", None, "德国《陆上风能法》")]
    moved = dataclasses.replace(old, target=old.target.model_copy(update={"value": 3.0}))
    assert [(f.path, f.old, f.new) for f in compare_targets(old, moved, "%", "%")] == [
        ("value", "＝2%（2032年）", "＝3%（2032年）")]


def test_clause_moved_to_another_chapter_is_reparented(v1_dir, tmp_path):
    import shutil

    from toolkit.diff import compute_changes, load_side
    from toolkit.render.revision_table import revision_rows

    proj = tmp_path / "moved"
    shutil.copytree(v1_dir / "standards", proj / "standards")
    draft = proj / "standards" / "drafts" / "std-test-guide.yaml"
    text = draft.read_text(encoding="utf-8")
    start = text.index("        - id: tg-tech-b\n")
    end = text.index("  annexes:\n")
    block = text[start:end]
    text = text[:start] + text[end:]
    text = text.replace("    - id: tg-tech\n", block + "    - id: tg-tech\n")
    draft.write_text(text, encoding="utf-8")
    old, oi, _ = load_side(str(v1_dir), proj, tmp_path)
    new, ni, f = load_side(str(proj), proj, tmp_path)
    assert f == []
    cs = compute_changes(old, new, oi, ni)
    assert cs.keys() == [("clause", "tg-tech-b", "moved")]
    mv = cs.changes[0].move
    assert (mv.old_number, mv.new_number, mv.old_parent, mv.new_parent) == ("5.2", "4.3", "tg-tech", "tg-general")
    assert mv.reparented
    assert [(r.clause, r.reason) for r in revision_rows(cs, "std-test-guide")] == [
        ("4.3（原5.2）", "由第5章调整至第4章，编号由5.2改为4.3。条文未修改。")]
