"""Helpers for reading a built site back: anchors and links of every HTML file.

:func:`broken_links` crawls every ``*.html`` under a site folder and resolves each
local ``href``/``src`` (relative or site-absolute) to a file, and each ``#fragment``
to an element id in the target page.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parents[2]
"""The project root (holds ``standards/``, ``mkdocs.yml``, ``site/``, ``templates/``)."""
SCRIPT = "<script>alert(1)</script>"
"""Markup put into YAML titles by the escaping tests; it must show as text."""

LINK_ATTRS = {"a": "href", "link": "href", "script": "src", "img": "src", "iframe": "src", "source": "src"}


@dataclass
class PageRefs:
    """Element ids of one HTML page and the links it holds (``(tag, url)``)."""

    ids: set[str] = field(default_factory=set)
    links: list[tuple[str, str]] = field(default_factory=list)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs = PageRefs()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.refs.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.refs.ids.add(a["name"])
        attr = LINK_ATTRS.get(tag)
        if attr and a.get(attr):
            self.refs.links.append((tag, a[attr]))


def page_refs(path: Path) -> PageRefs:
    """Ids and links of one HTML file."""
    c = _Collector()
    c.feed(path.read_text(encoding="utf-8"))
    c.close()
    return c.refs


def crawl(site: Path) -> dict[str, PageRefs]:
    """Every HTML page of ``site`` keyed by its path relative to ``site`` (POSIX)."""
    return {p.relative_to(site).as_posix(): page_refs(p) for p in sorted(site.rglob("*.html"))}


def is_external(url: str) -> bool:
    s = urlsplit(url)
    return bool(s.scheme and s.scheme not in ("file",)) or url.startswith("//")


def resolve(site: Path, page: str, url: str) -> tuple[str | None, str]:
    """``(target page path relative to site or None if outside/missing, fragment)`` for a local link."""
    s = urlsplit(url)
    frag = unquote(s.fragment)
    if not s.path:
        return page, frag
    base = PurePosixPath("/") if s.path.startswith("/") else PurePosixPath("/" + page).parent
    parts: list[str] = []
    for part in (base / unquote(s.path)).parts[1:]:
        if part == "..":
            if not parts:
                return None, frag
            parts.pop()
        elif part not in (".", ""):
            parts.append(part)
    rel = "/".join(parts)
    target = site / rel if rel else site
    if s.path.endswith("/") or target.is_dir():
        rel = (rel + "/index.html").lstrip("/")
        target = site / rel
    return (rel if target.is_file() else None), frag


def broken_links(site: Path) -> tuple[list[str], list[str], int]:
    """``(broken, external, checked)``: broken local links and anchors, external URLs, number checked."""
    pages = crawl(site)
    broken: list[str] = []
    external: list[str] = []
    checked = 0
    for page, refs in pages.items():
        for tag, url in refs.links:
            if url.startswith(("mailto:", "javascript:", "data:", "tel:")):
                continue
            if is_external(url):
                external.append(f"{page}: <{tag}> {url}")
                continue
            checked += 1
            target, frag = resolve(site, page, url)
            if target is None:
                broken.append(f"{page}: <{tag}> {url} (no such file)")
                continue
            if frag and target.endswith(".html"):
                ids = pages[target].ids if target in pages else page_refs(site / target).ids
                if frag not in ids:
                    broken.append(f"{page}: <{tag}> {url} (no element with id {frag!r} in {target})")
    return broken, external, checked
