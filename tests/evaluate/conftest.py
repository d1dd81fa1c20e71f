"""Fixtures of the ``stdkit evaluate`` tests (helpers live in ``evalhelp``)."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from evalhelp import corpus, sample_gpkg  # noqa: E402,F401  (fixtures)
