"""The site in a real browser (Debian's Chromium through Playwright): home page, Chinese search,
matrix navigation, clause anchors, escaping of markup, and the look on desktop and phone widths.

Screenshots go to ``$STDKIT_SCREENSHOTS`` when set (to look at them), else to a temporary folder.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from sitecheck import SCRIPT
from sitebrowser import DESKTOP, PHONE, serve, watch

SEARCH_WORD = "绿色出行分担率"
SEARCH_TARGET = "indicators/ind-green-travel-share/"
CLAUSE = ("std-detailed-plan-guide", "dpg-space-layout-mixed-use")


def _open(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")


def _in_viewport(page, selector: str) -> bool:
    """True when the element's top edge lies inside the visible viewport (below the fixed header)."""
    return page.evaluate(
        """(sel) => { const el = document.querySelector(sel); if (!el) return false;
                      const r = el.getBoundingClientRect();
                      return r.height > 0 && r.top >= 0 && r.top < window.innerHeight; }""", selector)


def _attr_sel(id_: str) -> str:
    return f'[id="{id_}"]'


def test_home_page_loads_without_console_errors_or_external_requests(desktop, base_url, corpus):
    log = watch(desktop, base_url)
    _open(desktop, base_url)
    assert desktop.locator("h1").first.inner_text() == "国土空间规划“双碳”标准体系"
    assert desktop.locator("html").get_attribute("lang") == "zh"
    assert desktop.locator("table a[href^='cells/']").count() >= len(corpus.cells)
    assert desktop.locator(".md-search__input").get_attribute("placeholder") == "搜索"
    assert log.console_errors == [] and log.page_errors == []
    assert log.external == [], "the site must work offline (no fonts or scripts from elsewhere)"
    assert log.failed == []


def test_searching_a_chinese_indicator_name_leads_to_its_page(desktop, base_url, corpus):
    log = watch(desktop, base_url)
    _open(desktop, base_url)
    box = desktop.locator("input.md-search__input")
    box.click()
    desktop.keyboard.type(SEARCH_WORD)
    # Characters typed without an IME fire no keyup; Material reads the query on keyup (an IME's
    # commit key gives one), so release a key that does not change the text.
    desktop.keyboard.press("End")
    first = desktop.locator(".md-search-result__list > li > a").first
    first.wait_for(timeout=60000)
    desktop.wait_for_function(
        "(t) => { const a = document.querySelector('.md-search-result__list > li > a');"
        " return a && a.href.includes(t); }", arg=SEARCH_TARGET, timeout=60000)
    first.click()
    desktop.wait_for_url(f"**/{SEARCH_TARGET}**")
    assert desktop.locator("article h1").first.inner_text() == corpus.indicators["ind-green-travel-share"].name
    assert log.console_errors == [] and log.page_errors == []


def test_clicking_a_matrix_cell_opens_its_measures(desktop, base_url, corpus):
    cell = corpus.cells["municipal-detailed"]
    measures = corpus.measures_in(cell, "transport")
    assert measures
    _open(desktop, base_url)
    desktop.locator(f'table a[href="cells/{cell.id}/#transport"]').click()
    desktop.wait_for_url(f"**/cells/{cell.id}/#transport")
    desktop.wait_for_load_state("networkidle")
    assert desktop.locator("article h1").first.inner_text() == cell.name
    assert _in_viewport(desktop, "#transport")
    first = desktop.locator(_attr_sel(measures[0].id))
    assert first.inner_text().startswith(measures[0].title)
    assert desktop.locator(".stdkit-measure h3[id^='m-']").count() == len(corpus.measures_in(cell))
    first.scroll_into_view_if_needed()
    assert first.is_visible()


@pytest.mark.parametrize("anchor", ["id", "number"])
def test_a_clause_anchor_lands_on_the_clause(desktop, base_url, corpus, anchor):
    from toolkit.document import build_document

    sid, cid = CLAUSE
    number = build_document(corpus, sid).labels[cid]
    target = cid if anchor == "id" else number
    log = watch(desktop, base_url)
    _open(desktop, f"{base_url}standards/{sid}/#{target}")
    desktop.wait_for_timeout(300)  # Material re-applies the hash after its scripts load
    heading = desktop.locator(f"h1, h2, h3, h4, h5, h6, p.gb-untitled").filter(has=desktop.locator(_attr_sel(number)))
    assert heading.count() == 1
    assert heading.first.get_attribute("id") == cid
    assert heading.first.is_visible()
    assert _in_viewport(desktop, _attr_sel(target))
    assert number in heading.first.inner_text()
    assert log.console_errors == [] and log.page_errors == []


def test_markup_in_yaml_shows_as_text(browser, hostile):
    mid, sid = hostile.info["measure"], hostile.info["standard"]
    from toolkit.corpus import load_corpus

    corpus, _ = load_corpus(hostile.out / "project")
    ms = corpus.measures[mid]
    cell = corpus.cell_of(ms.level, ms.plan_type)
    ctx = browser.new_context(viewport=DESKTOP)
    page = ctx.new_page()
    with serve(hostile.site) as base:
        log = watch(page, base)
        _open(page, f"{base}cells/{cell.id}/#{mid}")
        assert page.locator(_attr_sel(mid)).inner_text().startswith(SCRIPT)
        _open(page, f"{base}standards/{sid}/")
        assert page.locator("article h1").first.inner_text().startswith(f"《{SCRIPT}")
        assert SCRIPT in page.title()
        _open(page, f"{base}indicators/{hostile.info['indicator']}/")
        assert page.locator("article h1").first.inner_text().startswith(SCRIPT)
        title = corpus.standards[sid].title.removeprefix(SCRIPT)
        page.locator("input.md-search__input").click()
        page.keyboard.type(title)
        page.keyboard.press("End")  # see test_searching_a_chinese_indicator_name_leads_to_its_page
        page.wait_for_function(
            "(t) => [...document.querySelectorAll('.md-search-result__list > li > a')]"
            ".some(a => a.href.includes(t))", arg=f"standards/{sid}/", timeout=60000)
        shown = page.locator(f'.md-search-result__list > li > a[href*="standards/{sid}/"]').first.inner_text()
        assert SCRIPT in shown.replace("\u200b", ""), "search results show the markup as text"
        assert log.dialogs == [], "a <script> from YAML ran"
        assert log.page_errors == []
    ctx.close()


SHOTS = [("home", ""), ("indicator", SEARCH_TARGET), ("draft", f"standards/{CLAUSE[0]}/#draft")]


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_screenshots_on_desktop_and_phone(browser, base_url, tmp_path, viewport):
    out = Path(os.environ.get("STDKIT_SCREENSHOTS") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    size = DESKTOP if viewport == "desktop" else PHONE
    ctx = browser.new_context(viewport=size, locale="zh-CN")
    page = ctx.new_page()
    log = watch(page, base_url)
    for name, url in SHOTS:
        _open(page, base_url + url)
        page.wait_for_timeout(200)
        shot = out / f"{viewport}-{name}.png"
        page.screenshot(path=str(shot))
        assert shot.stat().st_size > 10_000
        width = page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= size["width"], f"{name}: the page scrolls sideways on {viewport} ({width}px)"
        drawer = page.locator("label.md-header__button[for='__drawer']")
        assert drawer.is_visible() == (viewport == "phone"), "the nav folds into a drawer on phones only"
    _open(page, base_url + f"standards/{CLAUSE[0]}/")
    assert page.locator(".gb-cover-title").is_visible()
    assert log.console_errors == [] and log.page_errors == [] and log.external == []
    ctx.close()
