"""Fixtures of the review tests (helpers live in review_helpers.py, a unique module name)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from review_helpers import make_project  # noqa: E402


@pytest.fixture
def project(tmp_path) -> Path:
    """A project folder with the check fixtures' base corpus, committed in its own git repository."""
    return make_project(tmp_path)
