"""JSON Schema of the corpus: Chinese descriptions complete, committed schemas in sync, corpus valid (check-jsonschema)."""
from __future__ import annotations

import fnmatch
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import BaseModel

from toolkit import fields_zh as zh
from toolkit import model as m
from toolkit import schema as sc

ROOT = Path(__file__).resolve().parents[2]
CHECK_JSONSCHEMA = Path(sys.executable).with_name("check-jsonschema")


def corpus_models() -> dict[str, type[BaseModel]]:
    return {n: o for n, o in vars(m).items() if isinstance(o, type) and issubclass(o, BaseModel)
            and o.__module__ == m.__name__ and o.model_fields and n not in ("Sourced",)}


def test_every_model_and_field_has_a_chinese_description():
    missing = []
    for name, model in corpus_models().items():
        if not zh.model_description(name):
            missing.append(f'MODELS["{name}"]')
        for field in model.model_fields:
            if not zh.field_description(name, field):
                missing.append(f'FIELDS["{name}.{field}"]')
    assert not missing, "add Chinese descriptions to toolkit/fields_zh.py: " + ", ".join(missing)


def test_descriptions_are_chinese_and_name_real_fields():
    models = corpus_models()
    for key, text in zh.FIELDS.items():
        model, field = key.split(".")
        assert model in models and field in models[model].model_fields, f"stale entry FIELDS[{key!r}]"
        assert any("\u4e00" <= ch <= "\u9fff" for ch in text), key
    for name in zh.MODELS:
        assert name in models, f"stale entry MODELS[{name!r}]"


def test_committed_schemas_are_in_sync(corpus):
    stale = sc.stale_schemas(ROOT, corpus)
    assert not stale, f"regenerate with `stdkit schema` (make schema): {stale}"


def test_schema_generation_is_deterministic(corpus):
    assert sc.render_schemas(corpus) == sc.render_schemas(corpus)


def test_every_corpus_file_has_exactly_one_schema():
    for p in sorted((ROOT / "standards").rglob("*.yaml")):
        rel = p.relative_to(ROOT).as_posix()
        kinds = [k.name for k in sc.SCHEMA_KINDS if any(fnmatch.fnmatch(rel, g) for g in k.globs)]
        assert len(kinds) == 1, (rel, kinds)


def test_vscode_settings_map_every_kind():
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapped = settings["yaml.schemas"]
    for k in sc.SCHEMA_KINDS:
        path = f"./schemas/{k.name}.schema.json"
        assert mapped[path] == ["/" + g for g in k.globs]
        assert (ROOT / path).is_file()


def test_vocabularies_and_descriptions_in_the_schema(corpus):
    s = sc.schema_for(next(k for k in sc.SCHEMA_KINDS if k.name == "measures"), sc.Vocab.from_corpus(corpus))
    measure = s["$defs"]["Measure"]["properties"]
    assert measure["level"]["enum"] == list(corpus.levels)
    assert measure["domain"]["enum"] == list(corpus.domains)
    assert set(measure["indicators"]["items"]["examples"]) == set(corpus.indicators)
    assert "enum" not in measure["indicators"]["items"]  # open set: suggested, not enforced (E201 checks it)
    assert measure["id"]["pattern"] == sc.ID_PATTERN
    assert measure["title"]["description"] == zh.field_description("Measure", "title")
    target = s["$defs"]["Target"]["properties"]
    assert target["comparator"]["enum"] == [">=", "<=", ">", "<", "=", "range"]
    assert target["unit"]["anyOf"][0]["enum"] == list(corpus.units)
    d = sc.schema_for(next(k for k in sc.SCHEMA_KINDS if k.name == "drafts"), sc.Vocab.from_corpus(corpus))
    tags = sorted(v["properties"]["type"]["const"] for k, v in d["$defs"].items()
                  if "type" in v.get("properties", {}) and "const" in v["properties"]["type"])
    assert tags == sorted(["p", "list", "note", "example", "table", "indicator_table", "cell_matrix"])


def _validate(schema: Path, files: list[Path]) -> subprocess.CompletedProcess:
    return subprocess.run([str(CHECK_JSONSCHEMA), "--schemafile", str(schema), *map(str, files)],
                          capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("kind", [k.name for k in sc.SCHEMA_KINDS])
def test_check_jsonschema_accepts_the_whole_corpus(kind):
    k = next(x for x in sc.SCHEMA_KINDS if x.name == kind)
    files = sorted({p for g in k.globs for p in ROOT.glob(g)})
    assert files, k.globs
    res = _validate(ROOT / sc.SCHEMA_DIR / f"{kind}.schema.json", files)
    assert res.returncode == 0, res.stdout + res.stderr


def test_check_jsonschema_rejects_what_stdkit_rejects(tmp_path):
    """The validator is real: a misspelt field, an unknown domain, a bad id, a missing source and a range
    without value_max each fail validation."""
    good = (ROOT / "standards/measures/county-detailed.yaml").read_text(encoding="utf-8")
    bad = {
        "misspelt.yaml": good.replace("    summary:", "    summery:", 1),
        "domain.yaml": good.replace("domain: industry", "domain: steel", 1),
        "id.yaml": good.replace("id: m-county-detailed-industry-01", "id: M County 01", 1),
        "source.yaml": good.replace('    source: "004 §7.9(一)1)"', "", 1),
        "range.yaml": good.replace("    goals: [g-region-industry-pattern]\n",
                                   "    targets: [{indicator: ind-far, comparator: range, value: 1, source: x}]\n"
                                   "    goals: [g-region-industry-pattern]\n", 1),
    }
    schema = ROOT / sc.SCHEMA_DIR / "measures.schema.json"
    for name, text in bad.items():
        assert text != good, name
        p = tmp_path / name
        p.write_text(text, encoding="utf-8")
        res = _validate(schema, [p])
        assert res.returncode == 1, (name, res.stdout)
    ok = tmp_path / "ok.yaml"
    ok.write_text(good, encoding="utf-8")
    assert _validate(schema, [ok]).returncode == 0


def test_stdkit_schema_command_writes_and_checks(tmp_path):
    from typer.testing import CliRunner

    from toolkit.cli import app

    shutil.copytree(ROOT / "standards", tmp_path / "standards")
    res = CliRunner().invoke(app, ["schema", "--root", str(tmp_path), "--check"])
    assert res.exit_code == 1 and "schemas/measures.schema.json" in res.output
    res = CliRunner().invoke(app, ["schema", "--root", str(tmp_path)])
    assert res.exit_code == 0, res.output
    for k in sc.SCHEMA_KINDS:
        assert (tmp_path / sc.SCHEMA_DIR / f"{k.name}.schema.json").read_bytes() == \
            (ROOT / sc.SCHEMA_DIR / f"{k.name}.schema.json").read_bytes()
    assert CliRunner().invoke(app, ["schema", "--root", str(tmp_path), "--check"]).exit_code == 0
