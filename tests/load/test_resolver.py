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
