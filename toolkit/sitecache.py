"""Page cache for the ``site`` build step: MkDocs lays out again only the pages whose inputs changed.

MkDocs has no incremental build (its ``--dirty`` mode leaves the navigation and the
search index wrong).  The expensive part of a site build is, per page, the theme's
template (Material renders the whole navigation into every page) and the search
plugin's Chinese segmentation (jieba).  Both are pure functions of:

* the page: URL, title, body HTML (as the ``stdkit`` plugin rendered it), table of
  contents, front matter, previous/next page;
* the whole navigation and the list of pages (every page shows the nav);
* everything global — theme, ``mkdocs.yml``, templates, code, library versions —
  which the caller folds into ``salt`` (the build's environment digest).

:func:`page_cache` wraps ``mkdocs.commands.build._build_page`` while a build runs: a
page whose key (SHA-256 of all of the above) equals the key recorded by the previous
build gets the previous build's HTML file hard-linked (it is never written to) and
its search entries replayed into the search index in the same position; any other
page is built as usual.  Static files (theme assets, downloads) whose bytes equal
the previous build's copy are linked the same way.  The result is byte-identical to
a full build, and an unchanged page keeps its file (same inode) from build to build.  Pages are still *read* (our templates
render every body), so nav, links and anchors are always checked in strict mode.

The cache is off (every page built) when another plugin than the search plugin
hooks ``page_context`` or ``post_page``, since their side effects cannot be replayed.
The record of keys and search entries is a JSON file written by the caller's job
(``build/.stdkit-cache/site-pages.json``).

Optionally (``jinja_cache``) every Jinja2 environment created during the build — the
theme's and the ``stdkit`` plugin's — keeps its compiled templates in a bytecode cache
(:class:`EnvBytecodeCache`), so the theme's ~40 templates are not compiled again on
every build.
"""
from __future__ import annotations

import filecmp
import hashlib
import json
import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import jinja2

CACHE_VERSION = 1

JINJA_CACHE = ".stdkit-cache/jinja"
"""Compiled Jinja2 templates of the site and draft builds, under the project root (a pure cache, git-ignored)."""


@dataclass
class CacheStats:
    """What one build did: pages and static files taken from the previous build, pages laid out."""

    hits: int = 0
    built: int = 0
    linked: int = 0
    enabled: bool = True
    pages: dict[str, dict] = field(default_factory=dict)


def _toc(items) -> list:
    return [[str(i.title), str(i.id), int(i.level), _toc(i.children)] for i in items]


def _nav(items) -> list:
    """The navigation as plain data: kind, title, URL (pages and links) and children (sections)."""
    out = []
    for it in items:
        kids = getattr(it, "children", None)
        out.append([type(it).__name__, str(it.title), None if kids else getattr(it, "url", None),
                    _nav(kids) if kids else []])
    return out


def _ref(p) -> list | None:
    return None if p is None else [str(p.url), str(p.title)]


def page_key(salt: str, site_key: str, page) -> str:
    """Key of a page's theme output and search entries (see module docstring)."""
    parts = {
        "salt": salt, "site": site_key, "src": page.file.src_uri, "url": page.url,
        "canonical": page.canonical_url, "edit": page.edit_url, "title": str(page.title),
        "content": page.content or "", "toc": _toc(page.toc), "homepage": page.is_homepage,
        "meta": json.dumps(page.meta, sort_keys=True, ensure_ascii=False, default=str),
        "prev": _ref(page.previous_page), "next": _ref(page.next_page),
        "ancestors": [str(a.title) for a in page.ancestors],
    }
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8")).hexdigest()


def _search_plugin(config):
    for plugin in config.plugins.values():
        if hasattr(plugin, "search_index") and hasattr(plugin.search_index, "entries"):
            return plugin
    return None


def _cacheable(config, search) -> bool:
    """True when only the search plugin reacts to the per-page events a cached page skips."""
    for event in ("page_context", "post_page"):
        for handler in config.plugins.events.get(event, []):
            owner = getattr(handler, "__self__", None)
            if owner is not search:
                return False
    return True


def read_store(path: Path | None, salt: str) -> dict[str, dict]:
    """Page records ``{src_uri: {"key", "entries"}}`` of a previous build (empty if absent, unreadable or other salt)."""
    if path is None:
        return {}
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != CACHE_VERSION or data.get("salt") != salt:
        return {}
    pages = data.get("pages")
    return pages if isinstance(pages, dict) else {}


def write_store(path: Path, salt: str, pages: dict[str, dict]) -> Path:
    """Write the page records (pages sorted by source path, UTF-8) to ``path`` (a new file); returns ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    # Key order inside search entries is kept as the search plugin made it: it shows in search_index.json.
    data = {"version": CACHE_VERSION, "salt": salt, "pages": {k: pages[k] for k in sorted(pages)}}
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str) + "\n", encoding="utf-8")
    return path


class EnvBytecodeCache(jinja2.BytecodeCache):
    """Jinja2 bytecode cache for one environment ``env``, in ``root/<fingerprint of env>/``.

    Jinja2 keys cached code by template name and source checksum only, so environments
    whose options change how templates compile (sandbox, autoescape, whitespace control,
    extensions) must not share a folder: the fingerprint is taken when a template is
    loaded, after extensions were added.  Files are written under a temporary name and
    renamed (safe with parallel builds); a cache problem never fails a build.
    """

    def __init__(self, env: jinja2.Environment, root: Path):
        self.env, self.root = env, Path(root)

    def folder(self) -> Path:
        e = self.env
        fp = json.dumps([type(e).__module__, type(e).__qualname__, repr(e.autoescape), e.trim_blocks,
                         e.lstrip_blocks, e.keep_trailing_newline, e.newline_sequence, e.optimized,
                         sorted(e.extensions), e.block_start_string, e.block_end_string, e.variable_start_string,
                         e.variable_end_string, e.comment_start_string, e.comment_end_string,
                         e.line_statement_prefix, e.line_comment_prefix, jinja2.__version__])
        return self.root / hashlib.sha256(fp.encode()).hexdigest()[:20]

    def load_bytecode(self, bucket) -> None:
        try:
            with open(self.folder() / f"{bucket.key}.cache", "rb") as fh:
                bucket.load_bytecode(fh)
        except OSError:
            return

    def dump_bytecode(self, bucket) -> None:
        d = self.folder()
        try:
            d.mkdir(parents=True, exist_ok=True)
            tmp = d / f"{bucket.key}.{os.getpid()}.tmp"
            with open(tmp, "wb") as fh:
                bucket.write_bytecode(fh)
            os.replace(tmp, d / f"{bucket.key}.cache")
        except OSError:
            return


@contextmanager
def page_cache(salt: str, previous_site: Path | None, previous_store: Path | None,
               jinja_cache: Path | None = None) -> Iterator[CacheStats]:
    """Within the ``with`` block, MkDocs builds reuse unchanged pages of ``previous_site``.

    ``salt`` must change whenever anything global to the site changes (theme, config,
    templates, code, versions).  The yielded :class:`CacheStats` collects the new page
    records (``stats.pages``) for :func:`write_store`.  ``jinja_cache``: folder for
    compiled templates (:class:`EnvBytecodeCache`), or None.  Not thread-safe (patches
    MkDocs and Jinja2 while the block runs).
    """
    import mkdocs.commands.build as mk
    from mkdocs.structure.files import File

    old = read_store(previous_store, salt) if previous_site is not None else {}
    stats = CacheStats()
    original = mk._build_page
    state: dict = {}

    def build_page(page, config, doc_files, nav, env, dirty=False, excluded=False):
        if "search" not in state:
            state["search"] = _search_plugin(config)
            stats.enabled = _cacheable(config, state["search"])
        if state.get("nav_id") != id(nav):
            state["nav_id"] = id(nav)
            state["site_key"] = hashlib.sha256(json.dumps(
                [_nav(nav.items), [f.url for f in doc_files]], ensure_ascii=False, default=str).encode()).hexdigest()
        if not stats.enabled or excluded or dirty:
            stats.built += 1
            return original(page, config, doc_files, nav, env, dirty, excluded)
        search = state["search"]
        entries = search.search_index.entries if search is not None and search.config.enabled else None
        key = page_key(salt, state["site_key"], page)
        src = page.file.src_uri
        rec = old.get(src)
        prev_file = previous_site / page.file.dest_uri if previous_site is not None else None
        if rec is not None and rec.get("key") == key and prev_file is not None and prev_file.is_file():
            _place(prev_file, Path(page.file.abs_dest_path))
            if entries is not None:
                entries.extend(rec.get("entries", []))
            stats.pages[src] = rec
            stats.hits += 1
            return None
        n0 = len(entries) if entries is not None else 0
        result = original(page, config, doc_files, nav, env, dirty, excluded)
        new_entries = entries[n0:] if entries is not None else []
        stats.pages[src] = {"key": key, "entries": json.loads(json.dumps(new_entries, default=str))}
        stats.built += 1
        return result

    def copy_file(self, dirty: bool = False) -> None:
        src = getattr(self, "abs_src_path", None)
        if not dirty and getattr(self, "_content", None) is None and src and previous_site is not None:
            prev = previous_site / self.dest_uri
            if prev.is_file() and filecmp.cmp(src, prev, shallow=False):
                _place(prev, Path(self.abs_dest_path))
                stats.linked += 1
                return
        original_copy(self, dirty)

    original_init = jinja2.Environment.__init__

    def env_init(self, *args, **kwargs) -> None:
        original_init(self, *args, **kwargs)
        if self.bytecode_cache is None and jinja_cache is not None:
            self.bytecode_cache = EnvBytecodeCache(self, jinja_cache)

    original_copy = File.copy_file
    mk._build_page = build_page
    File.copy_file = copy_file
    jinja2.Environment.__init__ = env_init
    try:
        yield stats
    finally:
        mk._build_page = original
        File.copy_file = original_copy
        jinja2.Environment.__init__ = original_init


def _place(prev: Path, dest: Path) -> None:
    """Put ``prev`` (a file of the previous build, never written to) at ``dest``: a hard link, or a copy."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.exists() or dest.is_symlink():
        dest.unlink()
    try:
        os.link(prev, dest)
    except OSError:  # another file system
        shutil.copyfile(prev, dest)
