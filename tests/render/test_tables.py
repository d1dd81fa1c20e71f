"""Matrices and indicator tables (toolkit.render.tables) hold exactly what the corpus holds."""
from __future__ import annotations

import copy
import io
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from toolkit.corpus import draft_indicator_ids, standard_indicator_ids
from toolkit.render import tables as T
from toolkit.repro import build_epoch, epoch_datetime, zip_date_time

MATRIX_KEYS = ("strategy-matrix", "count-matrix", "goal-matrix", "standards-coverage")
FORMATS = ("csv", "html", "md")
XLSX_SHEETS = ["策略矩阵", "数量矩阵", "目标矩阵", "标准覆盖", "说明"]


@pytest.fixture(scope="session")
def tables_out(corpus, tmp_path_factory) -> Path:
    """Outputs of the registered ``tables`` build output, written once per session."""
    from toolkit.render import load_output
    from toolkit.render.base import BuildContext, run_whole

    out = tmp_path_factory.mktemp("tables")
    written = run_whole(load_output("tables"), BuildContext(corpus=corpus, out=out, root=corpus.root))
    assert all(p.is_file() and out in p.parents for p in written)
    return out


def _csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def _expected_standards(corpus) -> dict[str, set[str]]:
    """Standard id → known indicator ids, computed here independently of the writer."""
    out: dict[str, set[str]] = {}
    for sid in set(corpus.standards) | set(corpus.drafts):
        ids: set[str] = set()
        if sid in corpus.standards:
            ids |= standard_indicator_ids(corpus.standards[sid])
        if sid in corpus.drafts:
            ids |= draft_indicator_ids(corpus.drafts[sid])
        ids &= set(corpus.indicators)
        if ids:
            out[sid] = ids
    return out


# ---------------------------------------------------------------------- paths
def test_all_contract_paths_exist(tables_out, corpus):
    m = tables_out / "matrices"
    for ext in ("xlsx",) + FORMATS:
        assert (m / f"strategy-matrix.{ext}").stat().st_size > 0
    for key in MATRIX_KEYS[1:]:
        for ext in FORMATS:
            assert (m / f"{key}.{ext}").stat().st_size > 0
    for ext in ("xlsx",) + FORMATS:
        assert (tables_out / "indicators" / f"indicators.{ext}").stat().st_size > 0


def test_xlsx_holds_every_matrix_sheet(tables_out):
    sheets = pd.read_excel(tables_out / "matrices" / "strategy-matrix.xlsx", sheet_name=None)
    assert list(sheets) == XLSX_SHEETS


def test_build_output_is_registered():
    from toolkit.render import load_output, output_names
    from toolkit.render.base import Output

    assert "tables" in output_names()
    assert load_output("tables") is T.OUTPUT and isinstance(T.OUTPUT, Output)


# ---------------------------------------------------------------------- matrix counts
def test_count_matrix_equals_corpus_counts(tables_out, corpus):
    cells = corpus.cells_sorted()
    domains = corpus.domains_sorted()
    for df in (_csv(tables_out / "matrices" / "count-matrix.csv"),
               pd.read_excel(tables_out / "matrices" / "strategy-matrix.xlsx", sheet_name="数量矩阵", dtype=str)):
        assert list(df.iloc[:, 0]) == [c.name for c in cells] + ["合计"]
        assert list(df.columns[1:]) == [d.name for d in domains] + ["合计"]
        body = df.iloc[:-1, 1:-1].astype(int)
        assert int(body.to_numpy().sum()) == len(corpus.measures)
        for i, cell in enumerate(cells):
            for j, d in enumerate(domains):
                assert body.iat[i, j] == len(corpus.measures_in(cell, d.id)), (cell.id, d.id)
            assert int(df.iat[i, -1]) == len(corpus.measures_in(cell))
        assert int(df.iat[-1, -1]) == len(corpus.measures)
        nonempty = {(x.level, x.plan_type, x.domain) for x in corpus.measures.values()}
        assert int((body > 0).to_numpy().sum()) == len(nonempty) == T.nonempty_domain_cells(corpus)


def test_strategy_matrix_lists_each_cells_measures(tables_out, corpus):
    cells = corpus.cells_sorted()
    domains = corpus.domains_sorted()
    csv = _csv(tables_out / "matrices" / "strategy-matrix.csv")
    xlsx = pd.read_excel(tables_out / "matrices" / "strategy-matrix.xlsx", sheet_name="策略矩阵",
                         dtype=str, keep_default_na=False)
    assert csv.equals(xlsx)
    assert list(csv.iloc[:, 0]) == [c.name for c in cells]
    seen: list[str] = []
    for i, cell in enumerate(cells):
        for j, d in enumerate(domains, 1):
            lines = [ln for ln in csv.iat[i, j].split("\n") if ln]
            expected = [f"{x.id} {x.title}" for x in corpus.measures_in(cell, d.id)]
            assert lines == expected, (cell.id, d.id)
            seen += [ln.split(" ", 1)[0] for ln in lines]
    assert sorted(seen) == sorted(corpus.measures)
    md = (tables_out / "matrices" / "strategy-matrix.md").read_text(encoding="utf-8")
    assert md.count("\n| ") == len(cells) + 1  # header row + one row per cell


def test_goal_matrix_counts_and_scale_mapping(tables_out, corpus):
    cells = corpus.cells_sorted()
    goals = corpus.goals_sorted()
    df = _csv(tables_out / "matrices" / "goal-matrix.csv")
    assert list(df["目标"]) == [g.name for g in goals]
    assert list(df.columns[2:-1]) == [c.name for c in cells]
    marks = 0
    for i, g in enumerate(goals):
        scale = corpus.scales[g.scale]
        total = 0
        for j, cell in enumerate(cells):
            text = df.iat[i, 2 + j]
            n = sum(1 for x in corpus.measures_in(cell) if g.id in x.goals)
            total += n
            mapped = cell.level in scale.levels and cell.plan_type in scale.plan_types
            assert text.startswith(T.MARK) == mapped, (g.id, cell.id, text)
            digits = re.sub(r"\D", "", text)
            assert int(digits or 0) == n, (g.id, cell.id, text)
            marks += mapped
        assert int(df.iat[i, -1]) == total == sum(1 for x in corpus.measures.values() if g.id in x.goals)
    # §6.1: region → 5 master cells, city → municipal/county/township × 3 types, community → their detailed cells
    expected_marks = sum(sum(1 for c in cells if c.level in corpus.scales[g.scale].levels
                             and c.plan_type in corpus.scales[g.scale].plan_types) for g in goals)
    assert marks == expected_marks > 0


def test_standards_coverage_matches_catalogue(tables_out, corpus):
    domains = corpus.domains_sorted()
    standards = corpus.standards_sorted()
    df = _csv(tables_out / "matrices" / "standards-coverage.csv")
    assert len(df) == len(standards) + 1
    for i, st in enumerate(standards):
        assert df.iat[i, 0] == f"《{st.title}》"
        for d in domains:
            assert (df.at[i, d.name] == T.MARK) == (d.id in st.domains), (st.id, d.id)
    for d in domains:
        assert int(df[d.name].iat[-1]) == sum(1 for st in standards if d.id in st.domains)


# ---------------------------------------------------------------------- indicator tables
def test_indicator_table_has_one_row_per_indicator(tables_out, corpus):
    df = _csv(tables_out / "indicators" / "indicators.csv")
    assert list(df.columns) == T.INDICATOR_COLUMNS
    assert len(df) == len(corpus.indicators)
    assert list(df["编号"]) == sorted(corpus.indicators)
    for _, row in df.iterrows():
        ind = corpus.indicators[row["编号"]]
        assert row["指标名称"] == ind.name
        assert row["指标属性"] == ind.kind
        assert int(row["使用的措施数"]) == len(corpus.users_of(ind.id)["measures"])
        assert row["目标值"]
    xlsx = pd.read_excel(tables_out / "indicators" / "indicators.xlsx", sheet_name=None)
    assert list(xlsx) == ["指标表", "说明"] and len(xlsx["指标表"]) == len(corpus.indicators)
    md = (tables_out / "indicators" / "indicators.md").read_text(encoding="utf-8")
    assert md.count("\n| ") == len(corpus.indicators) + 1


def test_targets_are_formatted_from_the_registry(tables_out, corpus):
    df = _csv(tables_out / "indicators" / "indicators.csv").set_index("编号")
    with_targets = [i for i in corpus.indicators if corpus.targets_of(i)]
    assert with_targets, "the corpus states numeric targets for some indicators"
    for iid in with_targets:
        ind = corpus.indicators[iid]
        cell = df.at[iid, "目标值"]
        targets = {T.format_target(rt.target, ind.unit) for rt in corpus.targets_of(iid) if not rt.target.case}
        cases = {T.format_target(rt.target, ind.unit) for rt in corpus.targets_of(iid) if rt.target.case}
        for text in targets:
            assert text in cell, (iid, text, cell)
        for text in cases - targets:  # case-study values are reference values, not targets
            assert text not in cell.split("；"), (iid, text, cell)


def test_one_indicator_table_per_standard_with_indicators(tables_out, corpus):
    expected = _expected_standards(corpus)
    assert expected, "some standards use indicators"
    folder = tables_out / "indicators" / "by-standard"
    for sid, ids in expected.items():
        for ext in ("xlsx",) + FORMATS:
            assert (folder / f"{sid}.{ext}").is_file(), (sid, ext)
        assert set(_csv(folder / f"{sid}.csv")["编号"]) == ids, sid
    assert {p.stem for p in folder.iterdir()} == set(expected)


# ---------------------------------------------------------------------- formats
def test_csv_has_bom_and_unix_lines(tables_out):
    for p in (tables_out / "matrices").glob("*.csv"):
        data = p.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf"), p.name
        assert b"\r\n" not in data, p.name


def test_html_is_standalone_utf8_with_cjk_fonts(tables_out):
    page = (tables_out / "matrices" / "strategy-matrix.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in page
    assert '"Noto Sans CJK SC"' in page and '"Noto Serif CJK SC"' in page
    assert "http://" not in page and "https://" not in page  # no external resources
    for key in MATRIX_KEYS:
        assert f'href="{key}.html"' in page


def test_outputs_are_deterministic(corpus, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    a, b = tmp_path / "a", tmp_path / "b"
    pa = T.write_matrices(corpus, a) + T.write_indicator_tables(corpus, a)
    pb = T.write_matrices(corpus, b) + T.write_indicator_tables(corpus, b)
    assert [p.relative_to(a) for p in pa] == [p.relative_to(b) for p in pb]
    for x, y in zip(pa, pb):
        assert x.read_bytes() == y.read_bytes(), x.relative_to(a)
    # The corpus's build epoch is in the zip entries and the core properties, not the clock.
    epoch = build_epoch(corpus.root)
    with zipfile.ZipFile(a / "matrices" / "strategy-matrix.xlsx") as z:
        assert {i.date_time for i in z.infolist()} == {zip_date_time(epoch)}
        core = z.read("docProps/core.xml").decode()
    assert core.count(epoch_datetime(epoch).strftime("%Y-%m-%dT%H:%M:%SZ")) == 2


def test_source_date_epoch_sets_xlsx_times(corpus, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    data = T.xlsx_bytes([T.count_matrix(corpus)], build_epoch(corpus.root))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert {i.date_time for i in z.infolist()} == {(2023, 11, 14, 22, 13, 20)}
        assert "2023-11-14T22:13:20Z" in z.read("docProps/core.xml").decode()
    assert T.xlsx_bytes([T.count_matrix(corpus)], 1700000000) == data


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        self.scripts += tag == "script"

    def handle_data(self, data):
        self.text.append(data)


def test_markup_in_content_is_shown_as_text(corpus, tmp_path):
    evil = "<script>alert('x')</script> & <b>粗</b>|管道"
    c = copy.deepcopy(corpus)
    mid = sorted(c.measures)[0]
    c.measures[mid] = c.measures[mid].model_copy(update={"title": evil})
    iid = sorted(c.indicators)[0]
    c.indicators[iid] = c.indicators[iid].model_copy(update={"name": evil})
    T.write_matrices(c, tmp_path)
    T.write_indicator_tables(c, tmp_path)
    for page in (tmp_path / "matrices" / "strategy-matrix.html", tmp_path / "indicators" / "indicators.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script>" not in html and "<b>粗" not in html
        assert "&lt;script&gt;" in html
        parser = _Text()
        parser.feed(html)
        assert parser.scripts == 0
        assert evil in "".join(parser.text)
    for md in (tmp_path / "matrices" / "strategy-matrix.md", tmp_path / "indicators" / "indicators.md"):
        text = md.read_text(encoding="utf-8")
        assert "<script>" not in text and "&lt;script&gt;" in text and "\\|管道" in text
    csv = _csv(tmp_path / "indicators" / "indicators.csv").set_index("编号")
    assert csv.at[iid, "指标名称"] == evil  # CSV keeps the text as data


def test_md_escape():
    assert T.md_escape("a|b<c>&\nd") == "a\\|b&lt;c&gt;&amp;<br>d"
    assert T.md_escape(3) == "3"
