"""The built site holds the corpus: a page per standard, indicator, cell and domain, stable clause
anchors, working links, downloads, Chinese search index, escaping and byte-identical rebuilds."""
from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest

from sitecheck import ROOT, SCRIPT, broken_links, page_refs

from toolkit.document import build_document
from toolkit.render.site import Links, SiteView, build_site, toc_tokens


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _h1(path: Path) -> str:
    m = re.search(r"<h1[^>]*>(.*?)</h1>", _text(path), re.S)
    assert m, f"{path} has no <h1>"
    return html.unescape(re.sub(r"<[^>]+>", "", m.group(1))).strip()


def test_site_step_ran_with_the_other_steps(built):
    assert "site" in built.info["steps"]
    assert built.info["steps"].index("site") == len(built.info["steps"]) - 1, "site must run after drafts/tables"
    for page in ("index.html", "standards/index.html", "matrices/index.html", "indicators/index.html",
                 "cells/index.html", "domains/index.html", "codes/index.html", "guide/index.html",
                 "changelog/index.html", "search/search_index.json"):
        assert (built.site / page).is_file(), page


def test_a_page_per_standard_indicator_cell_and_domain(built, corpus):
    assert corpus.standards and corpus.indicators
    for st in corpus.standards.values():
        assert _h1(built.site / "standards" / st.id / "index.html") == f"《{st.title}》"
    for ind in corpus.indicators.values():
        page = built.site / "indicators" / ind.id / "index.html"
        assert _h1(page) == ind.name
        assert html.escape(ind.unit, quote=False) in _text(page) or ind.unit in ("ratio", "index")
    for cell in corpus.cells.values():
        page = built.site / "cells" / cell.id / "index.html"
        assert _h1(page) == cell.name
        ids = page_refs(page).ids
        assert {d for d in corpus.domains} <= ids, "every domain has an anchor on every cell page"
        assert {x.id for x in corpus.measures_in(cell)} <= ids, "every measure has an anchor"
    for d in corpus.domains.values():
        assert _h1(built.site / "domains" / d.id / "index.html") == f"{d.name}领域"


def test_indicator_page_lists_targets_and_users(built, corpus):
    with_targets = [i for i in corpus.indicators if corpus.targets_of(i)]
    assert with_targets
    for iid in with_targets:
        text = _text(built.site / "indicators" / iid / "index.html")
        rows = re.findall(r'<td class="stdkit-value">', text)
        assert len(rows) == len(corpus.targets_of(iid)), iid
    for iid in corpus.indicators:
        text = _text(built.site / "indicators" / iid / "index.html")
        for mid in corpus.users_of(iid)["measures"]:
            assert f"#{mid}\"" in text, f"{iid} page does not link measure {mid}"


def test_home_matrix_links_every_nonempty_cell(built, corpus):
    text = _text(built.site / "index.html")
    for cell in corpus.cells_sorted():
        for d in corpus.domains_sorted():
            n = len(corpus.measures_in(cell, d.id))
            link = f'href="cells/{cell.id}/#{d.id}"'
            assert (link in text) == bool(n), (cell.id, d.id, n)
    for g in corpus.goals.values():
        assert f'id="{g.id}"' in text


def test_every_clause_has_a_stable_anchor_and_a_number_anchor(built, corpus):
    drafted = [sid for sid in corpus.drafts if sid in corpus.standards]
    assert "std-detailed-plan-guide" in drafted
    for sid in drafted:
        doc = build_document(corpus, sid)
        ids = page_refs(built.site / "standards" / sid / "index.html").ids
        for sec in doc.walk():
            assert sec.id in ids, f"{sid}: clause {sec.id} has no anchor"
            assert sec.number in ids, f"{sid}: clause {sec.number} has no number anchor"
        for a in doc.annexes:
            assert a.id in ids and a.letter in ids
        for t in doc.tables():
            assert t.id in ids
    text = _text(built.site / "standards" / "std-detailed-plan-guide" / "index.html")
    assert 'id="dpg-space-layout-mixed-use"' in text


def test_every_internal_link_resolves_and_nothing_is_external(built):
    broken, external, checked = broken_links(built.site)
    assert checked > 2000
    assert broken == []
    assert external == []


def test_downloads_are_copied_and_linked_relatively(built, corpus):
    offered = 0
    for sub in ("drafts", "indicators", "matrices"):
        src = built.out / sub
        for f in sorted(src.rglob("*")) if src.is_dir() else []:
            if f.suffix in (".docx", ".pdf", ".xlsx", ".csv"):
                copy = built.site / f.relative_to(built.out)
                assert copy.read_bytes() == f.read_bytes(), copy
                offered += 1
    assert offered, "the tables step writes XLSX/CSV files the site offers"
    for st in corpus.standards.values():
        text = _text(built.site / "standards" / st.id / "index.html")
        for rel in (f"drafts/{st.id}.docx", f"drafts/{st.id}.pdf", f"indicators/by-standard/{st.id}.xlsx"):
            linked = f'href="../../{rel}"' in text
            assert linked == (built.out / rel).is_file(), (st.id, rel)
    matrices = _text(built.site / "matrices" / "index.html")
    if (built.out / "matrices" / "strategy-matrix.xlsx").is_file():
        assert 'href="strategy-matrix.xlsx"' in matrices  # the page /matrices/ sits beside the files


def test_search_index_is_chinese_and_segmented(built):
    index = json.loads(_text(built.site / "search" / "search_index.json"))
    assert index["config"]["lang"] == ["zh"]
    assert "\\u200b" in index["config"]["separator"]
    texts = [d["title"] + d["text"] for d in index["docs"]]
    assert any("绿色\u200b出行" in t for t in texts), "jieba must segment Chinese at build time"
    locations = {d["location"] for d in index["docs"]}
    assert "indicators/ind-green-travel-share/" in locations


def test_rebuild_is_byte_identical(built, corpus, tmp_path):
    again = tmp_path / "site"
    build_site(ROOT, again, corpus=corpus, downloads_from=built.out)
    first = sorted(p.relative_to(built.site).as_posix() for p in built.site.rglob("*") if p.is_file())
    second = sorted(p.relative_to(again).as_posix() for p in again.rglob("*") if p.is_file())
    assert first == second
    differ = [p for p in first if (built.site / p).read_bytes() != (again / p).read_bytes()]
    assert differ == []
    dates = set(re.findall(r"<lastmod>([^<]*)</lastmod>", _text(built.site / "sitemap.xml")))
    assert dates <= {"2023-11-14"}, "sitemap dates come from SOURCE_DATE_EPOCH, not the clock"


def test_markup_in_yaml_is_escaped_everywhere(hostile):
    info = hostile.info
    assert set(info) == {"measure", "indicator", "standard"}
    escaped = html.escape(SCRIPT, quote=False)
    raw_hits = [p for p in hostile.site.rglob("*.html") if SCRIPT in _text(p)]
    assert raw_hits == []
    index = _text(hostile.site / "search" / "search_index.json")
    assert SCRIPT not in index and "&lt;script&gt;" in index
    assert escaped in _text(hostile.site / "indicators" / info["indicator"] / "index.html")
    std_page = _text(hostile.site / "standards" / info["standard"] / "index.html")
    assert escaped in std_page
    assert re.search(r"<title>[^<]*" + re.escape(escaped), std_page), "the <title> shows the markup as text"
    assert escaped in _text(hostile.site / "standards" / "index.html")
    assert any(escaped in _text(p) for p in (hostile.site / "cells").rglob("index.html"))


def test_hand_written_page_cannot_shadow_a_generated_one(tmp_path, caplog):
    from mkdocs.exceptions import Abort

    project = tmp_path / "project"
    project.mkdir()
    shutil.copytree(ROOT / "site", project / "site")
    shutil.copytree(ROOT / "templates", project / "templates")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    (project / "site" / "codes.md").write_text("# 手写的检查代码页\n", encoding="utf-8")
    (project / "standards").symlink_to(ROOT / "standards")
    with pytest.raises(Abort):
        build_site(project, tmp_path / "out")
    assert "codes.md is generated from standards/" in caplog.text


def test_links_are_relative_and_unknown_ids_are_not_linked(corpus):
    view = SiteView(corpus)
    urls = {"index.md": "", "indicators/ind-far.md": "indicators/ind-far/", "drafts/x.docx": "drafts/x.docx",
            "cells/municipal-detailed.md": "cells/municipal-detailed/"}
    links = Links("standards/std-detailed-plan-guide/", urls, view)
    assert links.indicator("ind-far") == "../../indicators/ind-far/"
    assert links.indicator("ind-does-not-exist") is None
    assert links.file("drafts/x.docx") == "../../drafts/x.docx"
    assert links.home("g-city-tod") == "../../#g-city-tod"
    mid = corpus.measures_in(corpus.cells["municipal-detailed"])[0].id
    assert links.measure(mid) == f"../../cells/municipal-detailed/#{mid}"
    assert Links("", urls, view).home() == "./"


def test_toc_tokens_nest_and_skip_permalinks():
    body = ('<h1>T</h1><h2 id="a">甲 &lt;b&gt;<a class="headerlink" href="#a">¶</a></h2>'
            '<h3 id="a1">甲一</h3><h4 id="deep">深</h4><h2 id="b">乙</h2><h2>无编号</h2>')
    toc = toc_tokens(body, 3)
    assert [(t["id"], t["name"]) for t in toc] == [("a", "甲 &lt;b&gt;"), ("b", "乙")]
    assert [c["id"] for c in toc[0]["children"]] == ["a1"]
    assert toc[0]["children"][0]["children"] == []


def test_every_finding_code_is_documented_once(built):
    from toolkit.codes import CODES
    from toolkit.render.site import code_family

    text = _text(built.site / "codes" / "index.html")
    for code, info in CODES.items():
        assert text.count(f'<tr id="{code}">') == 1, code
        assert info["title"] in html.unescape(text)
    ids = re.findall(r'<h2 id="([^"]+)"', text)
    assert len(ids) == len(set(ids)) and "codes-other" not in ids
    assert [code_family(c) for c in ("E104", "W303", "E851", "W955", "W901", "A003")] == ["1", "3", "85", "95", "9", "A"]
