"""The corpus's fixed vocabularies, in one place: record kinds and the Chinese names of coded values.

* :data:`REGISTRY_LISTS` / :data:`RECORD_LISTS` — every record kind as ``(list key, kind)``:
  the list key is the YAML key and the :class:`~toolkit.corpus.Corpus` attribute
  (``plan_types``), the kind names one record in findings and locations (``plan_type``).
  Registry kinds come first, in the order of ``standards/registry/system.yaml``.
* :data:`CATEGORY_NAMES` — a catalogue record's ``category`` as the report names the
  groups of its proposed standards system (004 §9: 5 项综合标准, 11 项专项标准, 修订, 实施保障类新增).
* :data:`DIRECTION_NAMES` — an indicator's ``direction`` as 正向/逆向/适度 (the field's terms
  for indicator polarity), with :data:`DIRECTION_MEANINGS` saying what each means.

Nothing here imports the rest of stdkit.
"""
from __future__ import annotations

REGISTRY_LISTS: tuple[tuple[str, str], ...] = (
    ("levels", "level"), ("plan_types", "plan_type"), ("cells", "cell"), ("domains", "domain"),
    ("scales", "scale"), ("goals", "goal"), ("units", "unit"), ("references", "reference"),
    ("facets", "facet"), ("editions", "edition"),
)
"""Registry lists (``standards/registry/*.yaml``) as ``(list key, record kind)``."""

RECORD_LISTS: tuple[tuple[str, str], ...] = REGISTRY_LISTS + (
    ("measures", "measure"), ("indicators", "indicator"), ("standards", "standard"), ("drafts", "draft"),
    ("reviews", "review"),
)
"""Every record list of a corpus as ``(Corpus attribute, record kind)``, registries first."""

RECORD_KINDS: tuple[str, ...] = tuple(kind for _, kind in RECORD_LISTS)
"""Every record kind (``level`` … ``draft``)."""

REGISTRY_KIND: dict[str, str] = dict(REGISTRY_LISTS)
"""Registry list key → record kind (``plan_types`` → ``plan_type``)."""

GLOBAL_ID_KINDS: tuple[str, ...] = ("cell", "scale", "goal", "reference", "measure", "indicator", "standard")
"""Kinds whose ids share one namespace (unique corpus-wide)."""

CATEGORY_NAMES: dict[str, str] = {"comprehensive": "综合标准", "special": "专项标准", "revision": "修订标准",
                                  "implementation": "实施保障类新增标准", "in-progress": "在编标准建议"}
"""``Standard.category`` → Chinese group name (004 §9), in the order standards are listed."""

CATEGORY_ORDER: dict[str, int] = {cat: i for i, cat in enumerate(CATEGORY_NAMES)}
"""``Standard.category`` → its rank in listings (comprehensive first)."""

DIRECTION_NAMES: dict[str, str] = {"higher": "正向", "lower": "逆向", "target": "适度"}
"""``Indicator.direction`` → 正向 (larger is better), 逆向 (smaller is better), 适度 (nearest the target)."""

DIRECTION_MEANINGS: dict[str, str] = {"higher": "越高越好", "lower": "越低越好", "target": "趋近目标值"}
"""``Indicator.direction`` → what the direction means, in words."""


def direction_explained(direction: str) -> str:
    """``正向（越高越好）`` for ``higher``; an unknown value is returned as it is."""
    if direction not in DIRECTION_NAMES:
        return direction
    return f"{DIRECTION_NAMES[direction]}（{DIRECTION_MEANINGS[direction]}）"
