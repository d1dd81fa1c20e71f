"""The README documents every finding code, exactly as toolkit.codes defines them."""
from __future__ import annotations

import re

from toolkit.codes import CODES, markdown_table


def test_readme_lists_every_code(root):
    text = (root / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- codes:begin[^\n]*-->\n(.*?)<!-- codes:end -->", text, re.S)
    assert block, "README lacks the generated codes block"
    assert block.group(1) == markdown_table(), "README codes table is stale: run `python -m toolkit.codes`"
    for code in CODES:
        assert f"| {code} |" in block.group(1)
