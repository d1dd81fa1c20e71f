"""Issue 14 on the site, in Chromium: a cell page lists what applies to it (standards, clauses, targets)
and offers its evaluation template; the indicator index filters by level, plan type, domain and
约束性/预期性 and shows values; indicator pages keep case values apart; exact names rank first in search."""
from __future__ import annotations

import time

import pytest

from sitebrowser import watch


def _open(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")


def test_cell_page_lists_applicable_standards_clauses_and_targets(desktop, base_url, built, corpus, tmp_path):
    from toolkit.evaluate.engine import applicable_criteria

    log = watch(desktop, base_url)
    _open(desktop, base_url + "cells/municipal-detailed/")
    section = desktop.locator("#applies")
    assert section.count() == 1
    stds = desktop.locator(".stdkit-applies-standards > li[data-standard]")
    by_scope = [s.id for s in corpus.standards.values() if "municipal" in s.levels and "detailed" in s.plan_types]
    shown = [stds.nth(i).get_attribute("data-standard") for i in range(stds.count())]
    assert set(by_scope) <= set(shown) and len(by_scope) >= 13
    # the clause of the detailed-plan guide that states the microgrid targets is linked by its anchor
    link = desktop.locator('.stdkit-applies-standards a[href*="standards/std-detailed-plan-guide/#dpg-resource-energy-microgrid"]')
    assert link.count() == 1 and "7.1.3" in link.inner_text()
    link.click()
    desktop.wait_for_url("**/standards/std-detailed-plan-guide/#dpg-resource-energy-microgrid")
    _open(desktop, base_url + "cells/municipal-detailed/")
    rows = desktop.locator("table.stdkit-applies-targets tbody tr")
    assert rows.count() == len(applicable_criteria(corpus, "municipal", "detailed"))
    text = desktop.locator("table.stdkit-applies-targets").inner_text()
    assert "纽约" not in text and "深圳案例" not in text  # case values never apply
    # the evaluation template is offered and downloads as an XLSX prefilled with the cell's indicators
    a = desktop.locator("#evaluation-template a")
    href = a.get_attribute("href")
    assert href.endswith("evaluation/templates/municipal-detailed.xlsx")
    with desktop.expect_download() as dl:
        a.click()
    from openpyxl import load_workbook

    saved = tmp_path / "template.xlsx"
    dl.value.save_as(saved)
    wb = load_workbook(saved)
    ids = [r[0] for r in wb["values"].iter_rows(min_row=2, values_only=True)]
    assert "ind-microgrid-capacity" in ids and "ind-far" in ids
    assert dict((r[0], r[1]) for r in wb["plan"].iter_rows(min_row=2, values_only=True))["level"] == "municipal"
    assert log.console_errors == [] and log.page_errors == [] and log.external == []


def test_every_cell_page_offers_its_template(built, corpus):
    for cell in corpus.cells.values():
        page = (built.site / "cells" / cell.id / "index.html").read_text(encoding="utf-8")
        assert f"evaluation/templates/{cell.id}.xlsx" in page
        assert (built.site / "evaluation" / "templates" / f"{cell.id}.xlsx").is_file()


def test_indicator_index_filters_in_the_browser(desktop, base_url, corpus):
    log = watch(desktop, base_url)
    _open(desktop, base_url + "indicators/")
    rows = desktop.locator("tr[data-indicator][data-kind]")
    assert rows.count() == len(corpus.indicators)

    def visible() -> set[str]:
        return set(desktop.eval_on_selector_all(
            "tr[data-indicator][data-kind]", "els => els.filter(e => !e.hidden).map(e => e.dataset.indicator)"))

    desktop.select_option('select[name="levels"]', "county")
    desktop.select_option('select[name="plan-types"]', "master")
    desktop.select_option('select[name="kind"]', "binding")
    want = {i.id for i in corpus.indicators.values()
            if "county" in i.levels and "master" in i.plan_types and i.kind == "约束性"}
    assert visible() == want and want
    assert desktop.locator("#stdkit-filter-count").inner_text() == f"{len(want)} 项"
    assert "levels=county" in desktop.url  # the filter is in the address, so it can be shared
    desktop.select_option('select[name="domains"]', "sinks")
    want2 = {i for i in want if "sinks" in corpus.indicators[i].domains}
    assert visible() == want2
    # a group without visible rows is hidden
    hidden_groups = desktop.eval_on_selector_all(".stdkit-indicator-group", "els => els.filter(e => e.hidden).length")
    assert hidden_groups >= 1
    # reload with the address: the same filter applies (works offline, no requests elsewhere)
    _open(desktop, desktop.url)
    assert visible() == want2
    for name in ("levels", "plan-types", "domains", "kind"):
        desktop.select_option(f'select[name="{name}"]', "")
    assert len(visible()) == len(corpus.indicators)
    assert log.console_errors == [] and log.page_errors == [] and log.external == []


def test_index_shows_values_not_counts(built):
    page = (built.site / "indicators" / "index.html").read_text(encoding="utf-8")
    row = page[page.index('data-indicator="ind-far"'):]
    row = row[:row.index("</tr>")]
    assert "0.6～0.8" in row and "县城建成区" in row and "另有案例参考值 19 项" in row


def test_indicator_page_separates_case_values(desktop, base_url):
    _open(desktop, base_url + "indicators/ind-far/")
    targets = desktop.locator(".stdkit-targets tbody tr")
    assert targets.count() == 1 and "县级·总体规划" in targets.first.inner_text()
    assert "纽约" not in desktop.locator(".stdkit-targets").inner_text()
    assert desktop.locator(".stdkit-cases tbody tr").count() == 19
    assert desktop.locator("#formula").count() == 1


def _search(page, base_url: str, word: str) -> list[str]:
    _open(page, base_url)
    page.locator("input.md-search__input").click()
    page.keyboard.type(word)
    page.keyboard.press("End")  # see test_site_browser: Material reads the query on keyup
    page.locator(".md-search-result__list > li > a").first.wait_for(timeout=60000)
    time.sleep(0.3)
    return page.eval_on_selector_all(".md-search-result__list > li > a", "els => els.map(a => a.getAttribute('href'))")


@pytest.mark.parametrize("word, first", [
    ("容积率", "indicators/ind-far/"),
    ("FAR", "indicators/ind-far/"),
    ("标准地", "standards/std-industrial-land-carbon-control/"),  # defines the term 标准地
    ("国土空间详细规划编制指南", "standards/std-detailed-plan-guide/"),
    ("城市工业用地规划碳排放控制标准", "standards/std-industrial-land-carbon-control/"),  # a long full title
    ("绿色出行分担率", "indicators/ind-green-travel-share/"),
])
def test_exact_name_ranks_first(desktop, base_url, word, first):
    hrefs = _search(desktop, base_url, word)
    assert hrefs and hrefs[0].split("?")[0].split("#")[0].endswith(first), hrefs[:5]


def test_carbon_sink_finds_a_standard_defining_it_first(desktop, base_url, corpus):
    hrefs = _search(desktop, base_url, "碳汇")
    defining = {sid for sid, d in corpus.drafts.items() if any(t.term == "碳汇" for t in d.terms)}
    top = hrefs[0].split("?")[0]
    assert any(top.endswith(f"standards/{sid}/") for sid in defining), hrefs[:5]
