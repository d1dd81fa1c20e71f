"""Unit conversion for plan values (``stdkit evaluate``): a value may be given in any unit of the
indicator's dimension (``hm²`` for an ``m²`` indicator, ``万tCO2e`` for ``tCO2e`` …).

Each unit id of ``standards/registry/units.yaml`` that converts belongs to one dimension with a
factor to that dimension's base unit; aliases (``ha``, ``公顷``, ``m2``) map to unit ids.
Units outside this table convert only to themselves.
"""
from __future__ import annotations

# unit id → (dimension, factor to the dimension's base unit)
FACTORS: dict[str, tuple[str, float]] = {
    "m": ("length", 1.0), "km": ("length", 1000.0),
    "m²": ("area", 1.0), "hm²": ("area", 1e4), "km²": ("area", 1e6), "亩": ("area", 10000.0 / 15.0),
    "t": ("mass", 1.0),
    "tCO2e": ("emission", 1.0), "万tCO2e": ("emission", 1e4),
    "kV": ("voltage", 1.0), "V": ("voltage", 1e-3),
    "MW": ("power", 1.0), "kW": ("power", 1e-3),
    "%": ("share", 1.0), "‰": ("share", 0.1),
    "km/km²": ("line-density", 1.0), "m/hm²": ("line-density", 0.1),
    "个/km²": ("count-density", 1.0), "个/hm²": ("count-density", 100.0),
    "万人/km²": ("population-density", 1.0), "人/hm²": ("population-density", 0.01),
    "min": ("time", 1.0), "h": ("time", 60.0),
}

ALIASES: dict[str, str] = {
    "m2": "m²", "㎡": "m²", "平方米": "m²", "ha": "hm²", "hm2": "hm²", "公顷": "hm²", "km2": "km²", "平方公里": "km²",
    "米": "m", "千米": "km", "公里": "km", "percent": "%", "pct": "%", "吨": "t", "千伏": "kV", "兆瓦": "MW",
    "km/km2": "km/km²", "个/km2": "个/km²", "万人/km2": "万人/km²", "分钟": "min",
}


def normalise(unit: str) -> str:
    """The unit id for ``unit`` (aliases resolved, whitespace stripped)."""
    u = (unit or "").strip()
    return ALIASES.get(u, ALIASES.get(u.lower(), u))


def convert(value: float, from_unit: str, to_unit: str) -> float | None:
    """``value`` in ``from_unit`` expressed in ``to_unit``; ``None`` when the two do not convert."""
    a, b = normalise(from_unit), normalise(to_unit)
    if a == b:
        return value
    fa, fb = FACTORS.get(a), FACTORS.get(b)
    if fa is None or fb is None or fa[0] != fb[0]:
        return None
    return value * fa[1] / fb[1]


def convertible_units(to_unit: str) -> list[str]:
    """Unit ids that convert into ``to_unit`` (itself first)."""
    b = normalise(to_unit)
    dim = FACTORS.get(b, (None,))[0]
    return [b] + sorted(u for u, (d, _) in FACTORS.items() if dim and d == dim and u != b)
