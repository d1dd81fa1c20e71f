"""Links from diff reports to the site's pages (relative, so ``build/`` can move as a whole).

The site (:mod:`toolkit.render.site`) publishes ``standards/<id>.md``,
``indicators/<id>.md`` and ``cells/<cell-id>.md`` with directory URLs; clauses
and measures are anchors on those pages (anchors are record ids).

Two link styles:

* built URLs (``sources=False``) for reports outside the site: ``base`` is the
  relative path from the report to the built site, ``../site/`` for
  ``build/diff/index.html`` → ``../site/standards/<id>/#<clause-id>``;
* Markdown sources (``sources=True``) for a page *inside* the site, so MkDocs
  validates and rewrites them: ``base`` is the path from that page's source to
  the docs root (``""`` for ``changes.md``) → ``standards/<id>.md#<clause-id>``.
"""
from __future__ import annotations

from dataclasses import dataclass

from toolkit.corpus import Corpus


@dataclass(frozen=True)
class SiteLinks:
    """Builds relative URLs into the site; returns ``None`` for records the (new) site has no page for."""

    base: str
    corpus: Corpus
    sources: bool = False

    def _page(self, folder: str, name: str, anchor: str = "") -> str:
        page = f"{folder}/{name}.md" if self.sources else f"{folder}/{name}/"
        return f"{self.base}{page}" + (f"#{anchor}" if anchor else "")

    def standard(self, sid: str, anchor: str = "") -> str | None:
        return self._page("standards", sid, anchor) if sid in self.corpus.standards else None

    def indicator(self, iid: str) -> str | None:
        return self._page("indicators", iid) if iid in self.corpus.indicators else None

    def measure(self, mid: str) -> str | None:
        cell = self.corpus.index.measure_cell.get(mid)
        return self._page("cells", cell, mid) if cell else None

    def for_change(self, ch) -> str | None:
        """Link of one :class:`~toolkit.diff.changeset.Change` (new side), or ``None`` (removed records, unknown pages)."""
        if ch.op == "removed":
            return None
        if ch.kind == "standard":
            return self.standard(ch.id)
        if ch.kind == "draft":
            return self.standard(ch.id)
        if ch.kind in ("clause", "term", "annex"):
            return self.standard(ch.standard, ch.id) if ch.standard else None
        if ch.kind == "front":
            return self.standard(ch.standard) if ch.standard else None
        if ch.kind == "measure":
            return self.measure(ch.id)
        if ch.kind == "indicator":
            return self.indicator(ch.id)
        if ch.kind == "target":
            return self.indicator(ch.id.split("@", 1)[0])
        return None
