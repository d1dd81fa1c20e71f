"""Small text helpers shared by writers and checks (one rule set each).

* :func:`md_escape` — text safe inside Markdown (including pipe tables) that becomes HTML;
* :func:`squash` — text without whitespace, for comparing layouts that space text differently;
* :func:`quiet_jieba` — keep jieba's dictionary-loading chatter off stderr (:func:`import_jieba`: a faster import);
* :data:`REF_RE` — the ``[[id]]`` cross-reference syntax of corpus text.
"""
from __future__ import annotations

import html
import logging
import re
import sys

REF_RE = re.compile(r"\[\[([a-z0-9][a-z0-9-]*)\]\]")
"""A cross reference written in corpus text: ``[[id]]`` (clause, table, annex, term, indicator, standard, reference)."""

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|])")


def md_escape(value: str | int) -> str:
    """``value`` as literal Markdown text: Markdown punctuation ``\\ ` * _ [ ] |`` backslash-escaped, then the HTML
    specials ``& < >`` as entities, ``\\r`` dropped and line breaks as ``<br>`` (safe in a pipe-table cell).

    Quotes stay as they are: the text is element content, never an attribute value, so
    ``'`` and ``"`` need no escaping and stay readable in the Markdown files offered for download."""
    s = html.escape(_MD_SPECIAL.sub(r"\\\1", str(value)), quote=False)
    return s.replace("\r", "").replace("\n", "<br>")


def squash(s: object) -> str:
    """``s`` (as text) without any whitespace: Chinese prose has no word spaces, and layout spaces vary by format."""
    return "".join(str(s).split())


def import_jieba():
    """``import jieba`` without ``pkg_resources``; returns the module.  Raises ``ImportError`` if jieba is missing.

    jieba 0.42 imports setuptools' deprecated ``pkg_resources`` only to open its own data
    files, and falls back to a plain ``open`` beside its module when that import fails.
    The import of ``pkg_resources`` alone costs 0.1–0.3 s (it scans every installed
    distribution), which a one-page site rebuild pays in full; so for jieba's import the
    name is blocked and jieba takes its fallback (the same files, the same dictionary).
    Any later ``import pkg_resources`` works as usual.
    """
    if "jieba" in sys.modules:
        return sys.modules["jieba"]
    block = "pkg_resources" not in sys.modules
    if block:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # ``import`` then raises ImportError
    try:
        import jieba
    finally:
        if block and sys.modules.get("pkg_resources", False) is None:
            del sys.modules["pkg_resources"]
    return jieba


def quiet_jieba(warn: logging.Logger | None = None) -> bool:
    """Raise jieba's log level to WARNING (it logs its dictionary load to stderr); returns whether jieba is installed.

    ``warn``, when given, gets a warning if jieba is missing (Material's search then indexes Chinese unsegmented).
    Imports jieba through :func:`import_jieba`.
    """
    try:
        jieba = import_jieba()
    except ImportError:
        if warn is not None:
            warn.warning("stdkit: jieba is not installed; Chinese search will find almost nothing")
        return False
    jieba.setLogLevel(logging.WARNING)
    return True
