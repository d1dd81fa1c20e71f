"""The lean implicit-tag resolver of toolkit.load gives PyYAML's own tags."""
from __future__ import annotations

import pytest
import yaml

from toolkit.load import _Loader

SAMPLES = ["", "~", "null", "Null", "NULL", "yes", "No", "on", "OFF", "true", "False", "y", "n", "1", "-1", "+1.5",
           ".5", ".inf", "-.inf", ".NaN", "0x1F", "0o17", "017", "1_000", "1:20", "190:20:30", "0b101", "1e3", "1.0e+3",
           "6.8523015e+5", "2023-02-28", "2023-02-28 10:00:00", "2001-12-14t21:59:43.10-05:00", "<<", "=", "abc",
           "中文", "GB/T 1.1—2020", "-", "+", ".", "0", "00", "1.", "—2020", "!important", "&x", "*x"]


@pytest.mark.parametrize("value", SAMPLES)
def test_same_tag_as_pyyaml(value):
    ours, theirs = _Loader(""), yaml.SafeLoader("")
    for implicit in ((True, False), (False, True), (False, False)):
        assert ours.resolve(yaml.ScalarNode, value, implicit) == theirs.resolve(yaml.ScalarNode, value, implicit)
    for kind in (yaml.SequenceNode, yaml.MappingNode):
        assert ours.resolve(kind, None, (True, False)) == theirs.resolve(kind, None, (True, False))


def _doc(values):
    """A YAML document holding each sample as a plain value, a quoted value, a key and a list item."""
    lines = ["plain:"]
    lines += [f"  - {v}" if v not in ("", "&x", "*x", "!important", "<<", "=") else f"  - '{v}'" for v in values]
    lines += ["quoted:"] + [f"  - \"{v}\"" for v in values]
    lines += ["keys:"] + [f"  - {v}: {i}" for i, v in enumerate(values)
                          if v not in ("", "&x", "*x", "!important", "<<", "-", "~", "=")]
    lines += ["flow: {a: [1, yes, 中文, ~], b: {on: off}}", "block: |", "  1", "folded: >-", "  yes"]
    return "\n".join(lines) + "\n"


def test_parsed_values_are_pyyamls():
    """parse_text reads every sample as PyYAML does (values, keys, quoted, flow and block styles)."""
    from toolkit.load import parse_text

    text = _doc(SAMPLES)
    expected = yaml.load(text, Loader=yaml.SafeLoader)
    # stdkit keeps a key that is not text, a number or a bool as its text (None → "None")
    expected["keys"] = [{(k if isinstance(k, (str, int, float, bool)) else str(k)): v for k, v in item.items()}
                        for item in expected["keys"]]
    sf, fs = parse_text(text, "standards/x.yaml")
    assert fs == []
    assert sf.data == expected
    # and with the types, not only equal values (1 == True, 1.0 == 1)
    assert [type(v) for v in sf.data["plain"]] == [type(v) for v in expected["plain"]]
    assert [type(next(iter(k))) for k in sf.data["keys"]] == [type(next(iter(k))) for k in expected["keys"]]


def test_explicit_tags_still_work():
    from toolkit.load import parse_text

    sf, fs = parse_text("a: !!str 1\nb: !!int '2'\nc: !!float 3\n", "standards/x.yaml")
    assert fs == [] and sf.data == {"a": "1", "b": 2, "c": 3.0}
    _, fs = parse_text("a: !foo 1\n", "standards/x.yaml")
    assert [f.code for f in fs] == ["E011"]
    _, fs = parse_text("a: !foo [1]\n", "standards/x.yaml")
    assert [f.code for f in fs] == ["E011"]
