"""The site's "changes since …" page (``changes.md``), computed at site-build time.

The page diffs a *baseline* revision against the corpus being built, with the diff
package (:func:`toolkit.diff.load_side`, :func:`toolkit.diff.compute_changes`,
:func:`toolkit.render.diff_report.changes_page_markdown`) — the same change set ``stdkit diff
<baseline>`` reports.  The baseline is, in this order:

1. ``extra: {stdkit: {changes_since: <git revision>}}`` in ``mkdocs.yml``;
2. the most recent git tag reachable from ``HEAD`` (``git describe --tags --abbrev=0``);
3. the first commit of the repository that contains ``standards/``.

When none can be had — git is not installed, the project root is not inside a git
repository, the repository has no commit with ``standards/``, or the baseline cannot
be read — the page still exists and says that no baseline is available
(:func:`fallback_markdown`); nothing here raises for such cases.

Determinism: the page depends only on the baseline commit (its content, author and
commit time, which dates the baseline), the corpus being built and its build epoch
(:func:`toolkit.repro.build_epoch`, which dates the new version); :func:`baseline_key` gives the build cache
what it needs to know about git.  The baseline's links point at Markdown sources
(``standards/<id>.md#<clause-id>``), so ``mkdocs build --strict`` checks them.
"""
from __future__ import annotations

import dataclasses
import logging
import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from toolkit.corpus import Corpus
from toolkit.repro import commit_epoch, epoch_utc

log = logging.getLogger("mkdocs.plugins.stdkit")

CHANGES_URI = "changes.md"
"""Docs path of the page (URL ``changes/``)."""
FALLBACK_TITLE = "修订记录"
SETTING = "extra.stdkit.changes_since"

Origin = Literal["config", "tag", "first-commit", "none"]


@dataclass(frozen=True)
class Baseline:
    """The revision the page compares against.

    ``sha`` is the full commit id (``None`` when no baseline is available, then
    ``reason`` says why, in Chinese); ``name`` is what the reader knows it by (the
    configured revision, the tag name, or the short sha); ``origin`` how it was chosen.
    """

    origin: Origin
    sha: str | None = None
    name: str = ""
    reason: str = ""

    @property
    def label(self) -> str:
        """``v1.0 (abc1234)``, or ``abc1234`` when the name is the short sha itself."""
        if self.sha is None:
            return ""
        short = self.sha[:7]
        return short if self.name.startswith(short) else f"{self.name} ({short})"


def changes_since_setting(extra: Mapping | None) -> str | None:
    """``changes_since`` from the ``extra`` mapping of ``mkdocs.yml`` (``None`` when not set).

    Raises :class:`ValueError` when ``extra.stdkit`` is not a mapping or the value is
    not a string (YAML reads ``changes_since: 1.10`` as the number 1.1: quote it).
    """
    section = (extra or {}).get("stdkit")
    if section is None:
        return None
    if not isinstance(section, Mapping):
        raise ValueError(f"`extra.stdkit` in mkdocs.yml must be a mapping, not {type(section).__name__}")
    value = section.get("changes_since")
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"`{SETTING}` in mkdocs.yml must be a git revision written as a string "
                         f"(quote it: changes_since: \"{value}\"), not {type(value).__name__}")
    return value.strip()


def _git(root: Path, *args: str) -> str | None:
    """stdout of ``git -C root args`` (stripped), or ``None`` when git fails or cannot run."""
    try:
        res = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True,
                             env={**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    return res.stdout.strip() if res.returncode == 0 else None


def find_baseline(root: Path, configured: str | None = None) -> Baseline:
    """Choose the baseline for the project at ``root`` (see module doc); never raises for git problems."""
    root = Path(root)
    if shutil.which("git") is None:
        return Baseline("none", reason="未找到 git 程序")
    if _git(root, "rev-parse", "--show-toplevel") is None:
        return Baseline("none", reason="项目目录不在 git 仓库中")
    if configured is not None:
        from toolkit.diff import DiffSourceError, resolve_revision  # only here: a no-op build's plan needs no diff

        try:
            return Baseline("config", resolve_revision(root, configured), configured)
        except (DiffSourceError, OSError):
            return Baseline("none", reason=f"mkdocs.yml 中 {SETTING} 所设的“{configured}”不是本仓库中的 git 修订")
    if _git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}") is None:
        return Baseline("none", reason="git 仓库中还没有提交")
    tag = _git(root, "describe", "--tags", "--abbrev=0", "HEAD")
    if tag:
        sha = _git(root, "rev-parse", "--verify", "--quiet", f"refs/tags/{tag}^{{commit}}")
        if sha:
            return Baseline("tag", sha, tag)
    first = _git(root, "rev-list", "--reverse", "HEAD", "--", "standards")
    if first:
        sha = first.split("\n", 1)[0].strip()
        return Baseline("first-commit", sha, sha[:7])
    return Baseline("none", reason="git 仓库中没有包含 standards/ 的提交")


def baseline_key(root: Path, configured: str | None = None) -> str:
    """What the page depends on in git, as a string for the build cache (the baseline commit or the reason)."""
    b = find_baseline(root, configured)
    return f"{b.origin}\x00{b.sha or ''}\x00{b.name}\x00{b.reason}"


def configured_in(config_file: Path) -> str | None:
    """``changes_since`` as written in ``config_file`` (``mkdocs.yml``), read without MkDocs.

    YAML tags MkDocs resolves itself (``!ENV``, ``!!python/name:``) read as ``None``.
    Returns ``None`` when the file is missing or unreadable; raises :class:`ValueError`
    as :func:`changes_since_setting` does.
    """
    import yaml

    class _Loader(yaml.SafeLoader):
        pass

    _Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    try:
        data = yaml.load(Path(config_file).read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, yaml.YAMLError):
        return None
    extra = data.get("extra") if isinstance(data, dict) else None
    return changes_since_setting(extra if isinstance(extra, Mapping) else None)


def _md(text: str) -> str:
    from toolkit.textfmt import md_escape

    return md_escape(text)


ORDER_TEXT = (f"基线依次取 `mkdocs.yml` 中的 `{SETTING}`（一个 git 修订，如标签或提交号）、"
              "最近的 git 标签、仓库中首个包含 `standards/` 的提交。")


def fallback_markdown(reason: str) -> str:
    """The page when no baseline is available; ``reason`` is shown (escaped)."""
    return (f"# {FALLBACK_TITLE}\n\n"
            f"没有可用的比较基线：{_md(reason)}。\n\n"
            "本页在构建网站时比较基线版本与本站内容，列出新增、删除、修改和移动的标准、条款、措施、指标与目标值。"
            f"{ORDER_TEXT}\n")


def _origin_text(b: Baseline) -> str:
    if b.origin == "config":
        return f"`mkdocs.yml` 中 `{SETTING}` 所设的修订 {_md(b.label)}"
    if b.origin == "tag":
        return f"最近的 git 标签 {_md(b.label)}"
    return f"仓库中首个包含 `standards/` 的提交 {_md(b.label)}（未设置 `{SETTING}`，也没有 git 标签）"


def changes_markdown(root: Path, corpus: Corpus, configured: str | None = None) -> tuple[str, Baseline]:
    """The page's Markdown and the baseline used: the change set from the baseline to ``corpus``.

    ``corpus`` is the corpus being built (loaded from ``root/standards``); ``root`` is
    the project root, inside the git repository the baseline comes from.  Returns the
    fallback page (and a ``none`` baseline) when no baseline is available.
    """
    from toolkit.diff import DiffSourceError, compute_changes, load_side, worktree_info
    from toolkit.render.diff_report import changes_page_markdown

    b = find_baseline(root, configured)
    if b.sha is None:
        log.info(f"stdkit: {CHANGES_URI}: no baseline ({b.reason})")
        return fallback_markdown(b.reason), b
    with tempfile.TemporaryDirectory(prefix="stdkit-changes-") as tmp:
        try:
            old, old_info, _ = load_side(b.sha, Path(root), Path(tmp))
        except (DiffSourceError, OSError) as exc:
            log.info(f"stdkit: {CHANGES_URI}: cannot read baseline {b.label}: {exc}")
            none = Baseline("none", reason=f"无法读取基线 {b.label}")
            return fallback_markdown(none.reason), none
    when = commit_epoch(root, b.sha)
    old_info = dataclasses.replace(old_info, label=b.label, date=epoch_utc(when) if when is not None else old_info.date)
    cs = compute_changes(old, corpus, old_info, worktree_info(root))
    page = changes_page_markdown(cs)
    title, sep, body = page.partition("\n")
    note = (f"比较基线：{_origin_text(b)}；新版本为本站构建时的内容。{ORDER_TEXT}"
            f"带修订痕迹的 DOCX 与修订对照表请运行 `stdkit diff {b.sha[:7]}`。\n")
    return f"{title}\n\n{note}{sep}{body}", b
