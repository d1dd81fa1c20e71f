"""The CLI's consoles are made on first use: loading the CLI does not import Rich."""
from __future__ import annotations

import subprocess
import sys


def test_cli_loads_without_rich_and_prints_through_it_when_asked():
    code = ("import sys; import toolkit.cli as c; before = 'rich.console' in sys.modules; "
            "c.err.print('[b]警告[/b] ' + c.escape('[x]')); "
            "print(before, 'rich.console' in sys.modules, type(c.err.real()).__name__, c.err.real() is c.err.real())")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout.split() == ["False", "True", "Console", "True"]
    assert res.stderr.strip() == "警告 [x]"  # markup applied, the escaped text kept literally
